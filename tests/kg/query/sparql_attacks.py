"""SERVICE in every form and position the SPARQL grammar allows, for the guard and sandbox tests.

``variants(base)`` composes a query from a keyword form × a target form × a pattern position
(× the ``\\u`` escape trick of the security issue #17: an escape inside an earlier IRI that made
the old regular-expression guard read the rest of the line as a comment). ``attack`` evaluates
every variant with Oxigraph itself — no guard — against a loopback listener of its own, in the
calling process, and says which ones made a connection: run unsandboxed it shows which variants
are real attacks; run after ``kg.query.sandbox.deny_network`` it shows the sandbox stopping them.
"""

from __future__ import annotations

import socket
import threading
import time

KEYWORDS = ("SERVICE", "service", "SeRvIcE SILENT", "\\u0053ERVICE")
TARGETS = {                     # name: (prologue, what follows the keyword)
    "iri": ("", " <{b}/sparql>"),
    "iri-glued": ("", "<{b}/sparql>"),
    "pname": ("PREFIX e: <{b}/>\n", " e:sparql"),
    "pname-glued": ("PREFIX e: <{b}/>\n", "e:sparql"),
    "empty-prefix-glued": ("PREFIX : <{b}/>\n", ":sparql"),
    "cjk-prefix-glued": ("PREFIX 服: <{b}/>\n", "服:sparql"),
    "digit-prefix-glued": ("PREFIX e1: <{b}/>\n", "e1:sparql"),
    "comment": ("", "#c\n<{b}/sparql>"),
    "variable": ("", " ?svc"),
}
POSITIONS = {
    "top": "SELECT * WHERE {{ {pre}{p} }}",
    "optional": "SELECT * WHERE {{ {pre}?a ?b ?c OPTIONAL {{ {p} }} }}",
    "minus": "SELECT * WHERE {{ {pre}BIND(1 AS ?a) MINUS {{ {p} }} }}",
    "union": "SELECT * WHERE {{ {pre}{{ ?a ?b ?c }} UNION {{ {p} }} }}",
    "subquery": "SELECT * WHERE {{ {pre}{{ SELECT * WHERE {{ {p} }} }} }}",
    "exists": "SELECT * WHERE {{ {pre}BIND(1 AS ?a) FILTER EXISTS {{ {p} }} }}",
    "not-exists": "SELECT * WHERE {{ {pre}BIND(1 AS ?a) FILTER NOT EXISTS {{ {p} }} }}",
    "ask": "ASK {{ {pre}{p} }}",
    "construct": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pre}{p} }}",
    "describe": "DESCRIBE ?s WHERE {{ {pre}{p} }}",
}
ESCAPE = "BIND(<http://x/\\u0041#> AS ?x) "
NAMED_IN_THE_ISSUE = ("SERVICE/pname-glued/top", "SERVICE/iri/top/escape")


def variants(base: str) -> list[tuple[str, str]]:
    """``(name, query)``: every target in every position with SERVICE; the other keyword forms
    with every target in two positions; the escape trick in two positions."""
    out = []
    for kw in KEYWORDS:
        for tname, (prologue, target) in TARGETS.items():
            for pname, shape in POSITIONS.items():
                if kw != "SERVICE" and pname not in ("top", "exists"):
                    continue
                for esc in ("", ESCAPE):
                    if esc and (kw != "SERVICE" or pname not in ("top", "optional")):
                        continue
                    values = "VALUES ?svc { <{b}/sparql> } " if tname == "variable" else ""
                    query = prologue + shape.format(pre=esc + values, p=kw + target + " { ?s ?p ?o }")
                    out.append((f"{kw}/{tname}/{pname}{'/escape' if esc else ''}", query.replace("{b}", base)))
    return out


def attack(sandboxed: bool) -> dict[str, str]:
    """Each variant's outcome when Oxigraph evaluates it unguarded in this process: "connected",
    "syntax" (Oxigraph cannot read it) or "no connection". With ``sandboxed`` the network is taken
    away first (the listener, opened before, still accepts)."""
    import pyoxigraph as ox

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted = []
    body = b'{"head":{"vars":[]},"results":{"bindings":[]}}'
    answer = (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
              b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(1)
            try:
                conn.recv(65536)
                conn.sendall(answer)
            except OSError:
                pass
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    if sandboxed:
        from kg.query.sandbox import deny_network

        deny_network()
    outcome = {}
    for name, query in variants(f"http://127.0.0.1:{listener.getsockname()[1]}"):
        before = len(accepted)
        try:
            result = ox.Store().query(query)
            if not isinstance(result, ox.QueryBoolean):
                list(result)
        except SyntaxError:
            outcome[name] = "syntax"
            continue
        except (OSError, RuntimeError, ValueError):
            pass
        time.sleep(0.005)
        outcome[name] = "connected" if len(accepted) > before else "no connection"
    listener.close()
    return outcome
