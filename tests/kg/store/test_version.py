"""Readers follow every committed write (issue #17, defect 5).

``store_version`` changes in the same step as each commit (the write-ahead log grows), so a
``FollowingStore`` opened before a write answers with it at its next call — also when the
writer was killed right after the commit. The directory's modification time, the version
before, did not change for a transaction at all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pyoxigraph as ox

from kg.store.embedded import FollowingStore, open_store, replace_document, store_version

from ...conftest import ROOT

G1, G2 = "http://example.org/g1", "http://example.org/g2"


def _quad(graph: str, n: int = 1) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"http://example.org/s{n}"), ox.NamedNode("http://example.org/p"),
                   ox.Literal(str(n)), ox.NamedNode(graph))


def test_every_committed_write_changes_the_version_and_the_reader_sees_it(tmp_path):
    path = tmp_path / "store"
    writer = open_store(path)
    writer.add(_quad(G1))
    writer.flush()
    reader = FollowingStore(path)
    assert len(reader) == 1
    mtime = os.stat(path).st_mtime_ns
    versions = [store_version(path)]
    writer.load(f"<http://example.org/a> <http://example.org/b> \"c\" <{G2}> .\n".encode(),
                format=ox.RdfFormat.N_QUADS)
    versions.append(store_version(path))
    assert os.stat(path).st_mtime_ns == mtime        # what the directory's mtime missed
    assert len(reader) == 2
    writer.update(f"DROP GRAPH <{G2}>")
    versions.append(store_version(path))
    assert len(reader) == 1
    writer.bulk_load(f"<http://example.org/x> <http://example.org/y> \"z\" <{G2}> .\n".encode(),
                     format=ox.RdfFormat.N_QUADS)
    writer.flush()
    versions.append(store_version(path))
    assert len(reader) == 2
    assert len(set(versions)) == len(versions)
    assert versions[-1] == store_version(path)       # reading changes nothing
    assert all(a.changed <= b.changed for a, b in zip(versions, versions[1:], strict=False))


def test_a_reader_sees_what_a_killed_writer_committed(tmp_path):
    """The writer commits a document with ``replace_document`` and is killed at once (no flush,
    no clean close): the version has changed, and a reader opened before sees the document."""
    path = tmp_path / "store"
    st = open_store(path)
    st.add(_quad(G1))
    st.flush()
    del st
    reader = FollowingStore(path)
    before = store_version(path)
    assert not reader.contains_named_graph(ox.NamedNode(G2))
    script = (
        "import os, signal, sys\n"
        "from kg.graph.ntriples import Triples\n"
        "from kg.store.embedded import open_store, replace_document\n"
        "st = open_store(sys.argv[1])\n"
        "doc = Triples()\n"
        "doc.add('<http://example.org/d>', '<http://example.org/p>', '\"written\"')\n"
        f"replace_document(st, '{G2}', doc, Triples())\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")
    proc = subprocess.run([sys.executable, "-c", script, str(path)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert store_version(path) != before
    assert reader.contains_named_graph(ox.NamedNode(G2))
    assert [q.object.value for q in reader.quads_for_pattern(None, None, None, ox.NamedNode(G2))] == ["written"]


def test_replace_document_changes_the_version(tmp_path, extract):
    from kg.graph.build import document_graphs

    path = tmp_path / "store"
    st = open_store(path)
    st.add(_quad(G1))
    graphs = document_graphs(extract("3"))
    before = store_version(path)
    replace_document(st, graphs.iri, graphs.document, graphs.agencies)
    assert store_version(path) != before
    assert FollowingStore(path).contains_named_graph(ox.NamedNode(str(graphs.iri)))
