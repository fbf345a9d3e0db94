"""The throw-away Virtuoso of the remote-store tests (marker ``virtuoso``; bench/virtuoso.py)."""

from __future__ import annotations

import pytest

from bench import virtuoso


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A Virtuoso of the test module's own on loopback, the settings pointing PolicyKG at it."""
    try:
        vt = virtuoso.start(tmp_path_factory.mktemp("virtuoso"))
    except RuntimeError as e:
        pytest.fail(str(e), pytrace=False)        # never a skip: CI installs virtuoso-opensource
    with pytest.MonkeyPatch.context() as mp:
        for name, value in vt.env().items():
            mp.setenv(name, value)
        yield vt
    vt.stop()
