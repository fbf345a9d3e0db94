"""Settings are declared once and documented in README.md."""

from __future__ import annotations

from kg import settings

from ..conftest import ROOT


def test_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for s in settings.SETTINGS:
        assert f"| `{s.name}` |" in readme, s.name


def test_environment_and_overrides(monkeypatch):
    monkeypatch.setenv("POLICYKG_MAX_ROWS", "7")
    assert settings.get("POLICYKG_MAX_ROWS") == 7
    assert settings.get("POLICYKG_MAX_ROWS", {"POLICYKG_MAX_ROWS": 3}) == 3
    monkeypatch.delenv("POLICYKG_MAX_ROWS")
    assert settings.get("POLICYKG_MAX_ROWS") == 10_000


def test_default_store_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("POLICYKG_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert settings.get("POLICYKG_STORE") == str(tmp_path / "policykg" / "store")
