"""Virtuoso's own bulk loader (``ld_dir`` + ``rdf_loader_run``), run through its SQL client.

The fastest way into Virtuoso: the server reads N-Quads files itself, each quad into its
named graph, with no SPARQL parsing and no HTTP. The files must be readable by the server at
the path given (same machine or a shared filesystem) and under a folder of its
``DirsAllowed``; the SQL port is POLICYKG_VIRTUOSO_SQL, the client POLICYKG_VIRTUOSO_ISQL.
Not a transaction: a load cut short leaves part of the files (``policykg load`` finds such
documents by their triple count and replaces them whole when run again).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .. import settings
from ..errors import KGError

DEFAULT_GRAPH = "https://w3id.org/policykg/graph/loaded"     # only for triples without a graph (none)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def bulk_load(files: list[Path], address: str | None = None, user: str | None = None,
              password: str | None = None, timeout: float = 24 * 3600) -> None:
    """Load ``files`` (absolute paths as the server sees them) with ``ld_dir`` and one
    ``rdf_loader_run``, then checkpoint; K703 with the server's message on any error. A file
    loaded before is loaded again (its row in DB.DBA.LOAD_LIST is dropped first)."""
    if not files:
        return
    address = address or settings.get("POLICYKG_VIRTUOSO_SQL")
    user = user or settings.get("POLICYKG_STORE_USER") or "dba"
    password = password or settings.get("POLICYKG_STORE_PASSWORD") or "dba"
    names = ", ".join(_sql_string(str(f)) for f in files)
    lines = [f"DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file IN ({names});"]
    lines += [f"ld_dir({_sql_string(str(f.parent))}, {_sql_string(f.name)}, {_sql_string(DEFAULT_GRAPH)});"
              for f in files]
    lines += ["rdf_loader_run();", "checkpoint;",
              f"SELECT 'LOADERR', ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_file IN ({names}) "
              "AND (ll_error IS NOT NULL OR ll_state <> 2);",
              f"SELECT 'LOADED', COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_file IN ({names}) AND ll_state = 2;"]
    command = [settings.get("POLICYKG_VIRTUOSO_ISQL"), address, user, password]
    try:
        done = subprocess.run(command, input="\n".join(lines) + "\n", text=True, capture_output=True,
                              timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise KGError("K703", f"{command[0]} {address}: {e}") from e
    output = done.stdout + done.stderr
    loaded = [line.split() for line in done.stdout.splitlines() if line.strip().startswith("LOADED")]
    if done.returncode != 0 or "*** Error" in output or "LOADERR" in done.stdout.replace("'LOADERR'", "") \
            or not loaded or loaded[-1][-1] != str(len(files)):
        raise KGError("K703", f"{address}: {output.strip()[-1500:]}")
