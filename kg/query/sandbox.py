"""Take away a process's network: the processes that evaluate users' SPARQL on an embedded store.

Oxigraph evaluates ``SERVICE`` by opening an HTTP connection. The read-only guard
(``kg.query.sparql.check_query``) refuses such queries from a real parse, but a guard is only as good
as its agreement with the engine's own grammar. So the processes that evaluate queries on an
embedded store — the service's query workers and ``policykg query`` — also lose the ability to
open any socket other than a Unix one: a seccomp filter (through libseccomp, the library the
kernel's seccomp is used with everywhere) makes ``socket()`` fail with EACCES for every family but
``AF_UNIX``, and ``io_uring_setup`` (which could open sockets behind the filter's back) likewise.
The filter is set with ``no_new_privs`` and synchronised to every thread; it is inherited by
children and cannot be removed by the process — a query that got past the guard still cannot
reach any address.

A store reached over HTTP (``--store http…``) needs the network, so its processes are not
sandboxed; there the guard alone stands between a query and a SERVICE call (the remote store's
own settings should forbid SERVICE too: README, "Remote store").
"""

from __future__ import annotations

import errno
import socket

from ..errors import KGError

_DENIED = (errno.EACCES, errno.EPERM, errno.EAFNOSUPPORT)


def deny_network() -> None:
    """Install the filter in this process (all threads). Raises K210 when it cannot be installed."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as e:          # pyseccomp loads libseccomp.so.2 when imported
        raise KGError("K210", f"libseccomp is not available ({e})") from e
    try:
        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)
        rules.set_attr(seccomp.Attr.CTL_NNP, 1)
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.add_rule(seccomp.ERRNO(errno.EACCES), "io_uring_setup")
        rules.load()
    except (OSError, RuntimeError, ValueError) as e:
        raise KGError("K210", f"the seccomp filter could not be installed ({e})") from e
    if not network_denied():
        raise KGError("K210", "the seccomp filter was installed but an IP socket can still be opened")


def network_denied(_store=None) -> bool:
    """Whether this process can no longer open an IP socket (the argument lets a query worker run
    it as a ``kg.query.pool.Call``)."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.socket(family, socket.SOCK_STREAM).close()
        except OSError as e:
            if e.errno not in _DENIED:
                raise
        else:
            return False
    return True
