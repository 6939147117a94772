"""The README's set-up commands are the ones CI runs, and the documented behaviour exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _setup_commands() -> list[str]:
    section = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL)]


def test_exactly_two_setup_commands():
    commands = _setup_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert "kerascheck examples/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = _setup_commands()[1]
    assert test_command in [line.strip() for line in ci.splitlines()]


def test_documented_options_exist():
    from click.testing import CliRunner

    from kerascheck.cli import cli

    help_text = CliRunner().invoke(cli, ["check", "--help"]).output
    for option in ("--select", "--ignore", "--extend-select", "--output-format", "--exit-zero",
                   "--config", "--stdin-filename", "--no-cache", "--cache-dir", "--jobs", "--quiet"):
        assert option in README
        assert option in help_text
