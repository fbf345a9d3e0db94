"""Start a throw-away Virtuoso (Debian's virtuoso-opensource) for the remote-store tests and benchmark.

``virtuoso-t +foreground`` on a fresh database in a temporary folder, SQL and HTTP ports
chosen free on 127.0.0.1; the system service the package installs is never used. A fresh
database has the user dba with password dba, who may update through /sparql-auth (digest).
Files under the folder's ``load/`` may be bulk-loaded (its DirsAllowed).

As a command, for CI (.ci/run) and developers: one server that outlives this process, for the
tests that load into a running Virtuoso (tests/kg/store/test_load_virtuoso.py)::

    eval "$(python -m bench.virtuoso start DIR)"     # prints the POLICYKG_TEST_VIRTUOSO_* exports
    python -m bench.virtuoso stop DIR
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
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


# a running server for the tests (``start`` below prints them; tests/conftest.py reads them)
TEST_ENV = ("POLICYKG_TEST_VIRTUOSO_HTTP", "POLICYKG_TEST_VIRTUOSO_SQL", "POLICYKG_TEST_VIRTUOSO_LOAD")


@dataclass
class Virtuoso:
    process: subprocess.Popen | None          # None: a server this process did not start
    folder: Path
    port: int
    sql_port: int = 0
    host: str = "127.0.0.1"
    load: Path | None = None                  # a folder under its DirsAllowed (default: folder/load)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/sparql"

    @property
    def update_url(self) -> str:
        return f"http://{self.host}:{self.port}/sparql-auth"

    @property
    def gsp_url(self) -> str:
        return f"http://{self.host}:{self.port}/sparql-graph-crud-auth"

    @property
    def sql(self) -> str:
        return f"{self.host}:{self.sql_port}"

    @property
    def load_folder(self) -> Path:
        """Where to put files for its bulk loader."""
        return self.load or self.folder / "load"

    def env(self) -> dict[str, str]:
        """The settings that point PolicyKG at this server (dba may update; `load --bulk` uses
        its bulk loader through the SQL port)."""
        return {"POLICYKG_STORE_UPDATE_URL": self.update_url, "POLICYKG_STORE_GSP_URL": self.gsp_url,
                "POLICYKG_STORE_USER": "dba", "POLICYKG_STORE_PASSWORD": "dba",
                "POLICYKG_SEARCH_DIR": str(self.folder / "search"),
                "POLICYKG_VIRTUOSO_SQL": self.sql}

    def test_env(self) -> dict[str, str]:
        """The variables that hand this server to the tests (``attach``)."""
        return dict(zip(TEST_ENV, (f"{self.host}:{self.port}", self.sql, str(self.load_folder)), strict=True))

    def stop(self) -> None:
        if self.process is None:
            return
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


def attach(environ, folder: Path) -> Virtuoso | None:
    """The running server the POLICYKG_TEST_VIRTUOSO_* variables of ``environ`` name (HTTP and
    SQL host:port, a folder it may bulk-load from), with ``folder`` for this process's own
    files (search index); None when they are not set. ``stop`` leaves it running."""
    if not environ.get(TEST_ENV[0]):
        return None
    missing = [name for name in TEST_ENV if not environ.get(name)]
    if missing:
        raise RuntimeError(f"{TEST_ENV[0]} is set, {', '.join(missing)} not")
    host, port = environ[TEST_ENV[0]].rsplit(":", 1)
    sql_host, sql_port = environ[TEST_ENV[1]].rsplit(":", 1)
    if sql_host != host:
        raise RuntimeError(f"{TEST_ENV[0]} and {TEST_ENV[1]} name different hosts")
    return Virtuoso(None, folder, int(port), int(sql_port), host, Path(environ[TEST_ENV[2]]))


def bulk_load(server: Virtuoso, nquads: Path) -> None:
    """Load an N-Quads file with Virtuoso's own bulk loader (``ld_dir`` + ``rdf_loader_run``,
    ``kg.store.virtuoso``), each quad into its named graph: the README's way to move a store to
    Virtuoso. The file is moved under the server's DirsAllowed first."""
    from kg.store.virtuoso import bulk_load as load_files

    target = server.load_folder / nquads.name
    target.parent.mkdir(exist_ok=True)
    if target != nquads:
        shutil.move(str(nquads), target)
    load_files([target], server.sql, "dba", "dba", timeout=7200)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.virtuoso",
                                description="Start or stop a Virtuoso that outlives this command (CI, tests).")
    p.add_argument("action", choices=["start", "stop"])
    p.add_argument("folder", help="its database, log and load/ folder (start: made; stop: removed)")
    args = p.parse_args(argv)
    folder = Path(args.folder).resolve()
    pid_file = folder / "virtuoso.pid"
    if args.action == "start":
        server = start(folder)
        pid_file.write_text(str(server.process.pid), encoding="utf-8")
        server.load_folder.mkdir(exist_ok=True)
        for name, value in server.test_env().items():
            print(f"export {name}={value}")
        return 0
    try:
        pid = int(pid_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"no Virtuoso started in {folder} ({e})", file=sys.stderr)
        return 1
    _end(pid)
    shutil.rmtree(folder, ignore_errors=True)
    return 0


def _running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie does not: it waits for a parent that may never reap it)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _end(pid: int, wait: float = 20.0) -> None:
    """SIGTERM to ``pid`` (a server ``start`` left running), SIGKILL if still there after ``wait`` s."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not _running(pid):
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
