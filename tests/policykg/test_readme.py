"""README.md's two commands stay true: CI runs exactly the test command it shows."""

from __future__ import annotations

import re

from ..conftest import ROOT


def _commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", readme, flags=re.S)[:2]


def test_readme_opens_with_the_two_commands():
    main, tests = _commands()
    assert "policykg ingest corpus" in main and "policykg serve" in main
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\n" + _commands()[1] + "\n" in ci          # the whole command, line for line
