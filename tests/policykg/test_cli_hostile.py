"""What `policykg ingest` and `policykg serve` do with hostile or broken inputs (issue #17,
defects 9–11): every path left out of a folder is reported, symbolic links are not followed out
of the folder, malformed outlines are K501 (never E999), and store errors are a K code and exit
2, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from policykg.cli import main

from ..conftest import CORPUS, DOC_3, ROOT, SEED

OUTLINE = CORPUS / "national" / "guideline-2017-43.json"


def _reports(capsys) -> dict[str, dict]:
    return {r["path"].rsplit("/", 1)[-1]: r for r in json.loads(capsys.readouterr().out)}


@pytest.fixture()
def hostile(tmp_path):
    """A folder with a document, links out of it (to /etc/passwd and to a corpus document), a
    link inside it, a link to a folder, a truncated outline, metadata JSON and other files."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SEED, folder / "seed.txt")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "outside.txt").symlink_to(DOC_3)
    (folder / "again.txt").symlink_to(folder / "seed.txt")
    (folder / "etc").symlink_to("/etc")
    (folder / "sub" / "cut.json").write_bytes(OUTLINE.read_bytes()[:300])
    (folder / "SOURCES.json").write_text('{"files": []}', encoding="utf-8")
    (folder / "notes.md").write_text("notes", encoding="utf-8")
    (folder / ".hidden.txt").write_text("hidden", encoding="utf-8")
    return folder


def test_links_out_of_the_folder_are_not_followed_and_every_left_out_path_is_reported(hostile, tmp_path, capsys):
    code = main(["ingest", str(hostile), "--store", str(tmp_path / "store"), "--json"])
    reports = _reports(capsys)
    assert code == 1                                         # the truncated outline failed
    assert {k: (r["status"], (r["error"] or {}).get("code")) for k, r in reports.items()} == {
        "again.txt": ("loaded", None), "seed.txt": ("replaced", None),      # the same document, twice
        "passwd.txt": ("skipped", "K802"), "outside.txt": ("skipped", "K802"), "etc": ("skipped", "K802"),
        "cut.json": ("failed", "K501"), "SOURCES.json": ("skipped", "K803"), "notes.md": ("skipped", "K803"),
        ".hidden.txt": ("skipped", "K803")}
    assert "/etc/passwd" in reports["passwd.txt"]["error"]["message"]
    from kg.store.embedded import open_store

    st = open_store(tmp_path / "store", read_only=True)
    assert not bool(st.query('ASK { GRAPH ?g { ?s ?p ?o FILTER(CONTAINS(STR(?o), "root:x:0:0")) } }'))  # no passwd
    assert len([r for r in reports.values() if r["status"] == "loaded"]) == 1


def test_human_output_names_each_skipped_path_and_follow_symlinks_follows(hostile, tmp_path, capsys):
    (hostile / "passwd.txt").unlink()
    (hostile / "etc").unlink()
    (hostile / "sub" / "cut.json").unlink()
    assert main(["ingest", str(hostile), "--store", str(tmp_path / "s1")]) == 0
    out = capsys.readouterr()
    assert "skipped  " + str(hostile / "outside.txt") + ": K802" in out.err
    assert "SOURCES.json: K803" in out.err and "notes.md: K803" in out.err
    assert "已载入 2 份，失败 0 份" in out.out and "另有 4 个路径未读入" in out.out
    assert main(["ingest", str(hostile), "--store", str(tmp_path / "s2"), "--follow-symlinks"]) == 0
    out = capsys.readouterr()
    assert "国发〔2019〕3号" in out.out and "已载入 3 份，失败 0 份" in out.out and "另有 3 个路径未读入" in out.out


def test_an_unreadable_folder_is_reported(hostile, tmp_path, capsys, monkeypatch):
    """Tests run as root here, who reads any folder: the refusal is what os.scandir raises."""
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["ingest", str(hostile), "--store", str(tmp_path / "store"), "--json"]) == 1
    sub = _reports(capsys)["sub"]
    assert sub["status"] == "failed" and sub["error"]["code"] == "K801"
    assert "Permission denied" in sub["error"]["message"]


BAD_OUTLINES = {
    "title-not-text": lambda d: d["document"].update(title=["a list"]),
    "identifier-number": lambda d: d["document"].update(identifier=43),
    "written-not-a-date": lambda d: d["document"].update(written="2017-13-45"),
    "written-number": lambda d: d["document"].update(written=2017),
    "principles-list": lambda d: d.update(principles=["p"]),
    "principle-number": lambda d: d["principles"].update(items=[1, 2]),
    "goals-object": lambda d: d.update(goals={"text": "x"}),
    "goal-year-text": lambda d: d["goals"][0].update(year="二〇二〇"),
    "goal-without-text": lambda d: d["goals"][0].pop("text"),
    "task-not-object": lambda d: d["key_tasks"]["items"].append("a task"),
    "task-number-text": lambda d: d["key_tasks"]["items"][0].update(n="one"),
    "task-number-negative": lambda d: d["key_tasks"]["items"][0].update(n=-1),
    "scope-object": lambda d: d["key_tasks"]["items"][0].update(scope={"a": 1}),
    "not-available-text": lambda d: d.update(not_available="all"),
    "duplicate-task-number": lambda d: d["key_tasks"]["items"][1].update(n=d["key_tasks"]["items"][0]["n"]),
}


@pytest.mark.parametrize("name", sorted(BAD_OUTLINES))
def test_malformed_outlines_are_k501_never_e999(name, tmp_path):
    from kg.ingest import ingest_outline
    from kg.store.embedded import open_store

    data = json.loads(OUTLINE.read_text(encoding="utf-8"))
    assert data["goals"] and len(data["key_tasks"]["items"]) > 1
    BAD_OUTLINES[name](data)
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    st = open_store(None)
    report = ingest_outline(st, path)
    assert report.status == "failed" and report.error["code"] == "K501", report.error
    assert len(st) == 0


def test_deeply_nested_outline_is_k501(tmp_path):
    from kg.ingest import ingest_outline, iter_inputs
    from kg.store.embedded import open_store

    path = tmp_path / "deep.json"
    path.write_text('{"document": {"title": "t"}, "key_tasks": ' + "[" * 100_000 + "]" * 100_000 + "}")
    report = ingest_outline(open_store(None), path)
    assert report.error["code"] == "K501" and "nested" in report.error["message"]
    assert list(iter_inputs([tmp_path])) == [path]        # in a folder: taken, and fails with K501


def test_the_valid_outline_still_loads_with_every_task(tmp_path):
    from kg.ingest import ingest_outline
    from kg.store.embedded import open_store

    report = ingest_outline(open_store(None), OUTLINE)
    data = json.loads(OUTLINE.read_text(encoding="utf-8"))
    assert report.status == "loaded" and report.tasks == len(data["key_tasks"]["items"])


def test_serve_on_a_missing_store_is_k101_exit_2_without_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "policykg", "serve", "--store", str(tmp_path / "nonexistent"),
                           "--port", "1"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith("错误：K101") and "Traceback" not in proc.stderr
    assert not (tmp_path / "nonexistent").exists()


def test_a_store_that_cannot_be_flushed_is_k106_exit_2(tmp_path, capsys, monkeypatch):
    """Disk full (ENOSPC) when the store is flushed: a K106 message, exit 2, no traceback; what
    was committed before is there."""
    import pyoxigraph as ox

    from kg import write

    class Full:
        def flush(self):
            raise OSError(28, "No space left on device")

    real = write.flush
    monkeypatch.setattr(write, "flush", lambda store: real(Full()))
    code = main(["ingest", str(SEED), "--store", str(tmp_path / "store")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("错误：K106") and "No space left on device" in err
    assert "Traceback" not in err
    assert len(ox.Store.read_only(str(tmp_path / "store"))) > 0


def test_flush_turns_a_store_error_into_k106():
    from kg.errors import KGError
    from kg.write import flush

    class Store:
        def flush(self):
            raise OSError(28, "No space left on device")

    with pytest.raises(KGError) as e:
        flush(Store())
    assert e.value.code == "K106" and "No space left" in e.value.message


def test_serve_beside_an_unwritable_index_searches_from_memory(tmp_path, store_dir, store):
    """The index beside a read-only store cannot be written (here: a folder stands where the
    index file would be, as root may write anywhere): search still answers, from memory."""
    from kg.search import index_path
    from web import create_app

    copy = tmp_path / "store"
    shutil.copytree(store_dir, copy)
    index_path(copy).mkdir()
    app = create_app({"STORE": str(copy), "TESTING": True, "QUERY_WORKERS": 1})
    try:
        page = app.test_client().get("/search?q=" + "科技特派员")
        assert page.status_code == 200 and "科技特派员" in page.get_data(as_text=True)
        assert app.extensions["policykg_search"].conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] > 0
    finally:
        app.extensions["policykg_queries"].close()

