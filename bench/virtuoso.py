"""Start a throw-away Virtuoso (Debian's virtuoso-opensource) for the remote-store tests and benchmark.

``virtuoso-t +foreground`` on a fresh database in a temporary folder, SQL and HTTP ports
chosen free on 127.0.0.1; the system service the package installs is never used. A fresh
database has the user dba with password dba, who may update through /sparql-auth (digest).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BINARY = "virtuoso-t"
INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = ., {d}/load
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@dataclass
class Virtuoso:
    process: subprocess.Popen
    folder: Path
    port: int
    sql_port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    @property
    def update_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql-auth"

    @property
    def gsp_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql-graph-crud-auth"

    def env(self) -> dict[str, str]:
        """The settings that point PolicyKG at this server (dba may update; `load --bulk` uses
        its bulk loader through the SQL port)."""
        return {"POLICYKG_STORE_UPDATE_URL": self.update_url, "POLICYKG_STORE_GSP_URL": self.gsp_url,
                "POLICYKG_STORE_USER": "dba", "POLICYKG_STORE_PASSWORD": "dba",
                "POLICYKG_SEARCH_DIR": str(self.folder / "search"),
                "POLICYKG_VIRTUOSO_SQL": f"127.0.0.1:{self.sql_port}"}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(folder: Path, wait: float = 60.0, buffers: int = 10_000) -> Virtuoso:
    """Start Virtuoso in ``folder`` and wait until its SPARQL endpoint answers. ``buffers``:
    8 kB pages of cache (Virtuoso's guide: about 2/3 of the memory given to it)."""
    binary = shutil.which(BINARY)
    if binary is None:
        raise RuntimeError(f"{BINARY} not found: install the Debian package virtuoso-opensource "
                           "(README 'Run the tests' installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, sql=sql, http=http, buffers=buffers, dirty=buffers * 3 // 4), encoding="utf-8")
    with (folder / "stdout.log").open("wb") as log:       # the child keeps its own copy
        process = subprocess.Popen([binary, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                                   cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    server = Virtuoso(process, folder, http, sql)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(server.url + "?query=ASK%7B%7D", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.25)
    output = (folder / "stdout.log").read_text(errors="replace")[-2000:]
    server.stop()
    raise RuntimeError(f"Virtuoso did not answer on {server.url} within {wait:g} s:\n{output}")


def bulk_load(server: Virtuoso, nquads: Path) -> None:
    """Load an N-Quads file with Virtuoso's own bulk loader (``ld_dir`` + ``rdf_loader_run``,
    ``kg.store.virtuoso``), each quad into its named graph: the README's way to move a store to
    Virtuoso. The file is moved under the server's DirsAllowed first."""
    from kg.store.virtuoso import bulk_load as load_files

    target = server.folder / "load" / nquads.name
    target.parent.mkdir(exist_ok=True)
    if target != nquads:
        shutil.move(str(nquads), target)
    load_files([target], f"127.0.0.1:{server.sql_port}", "dba", "dba", timeout=7200)
