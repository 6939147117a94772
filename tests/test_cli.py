"""The command line: exit codes, output formats, streams, config and flags, sub-commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kerascheck import __version__
from kerascheck.cli import cli

JSON_KEYS = {"code", "name", "severity", "message", "path", "line", "column", "end_line", "end_column", "fix", "url"}


def run(*args: str, input: bytes | str | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def project(in_tmp: Path, write, fake_rules) -> Path:
    """A working directory with one clean file, one with two findings and one with a syntax error."""
    write("clean.py", "import keras\nmodel = keras.Sequential()\n")
    write("pkg/train.py", "import keras\n\nboom()\nbang()\n")
    write("broken.py", "import keras\nmodel = keras.Sequential([\n")
    return in_tmp


# -- exit codes and output -----------------------------------------------------------------------


def test_clean_file_exits_0_with_summary_on_stderr(project: Path) -> None:
    result = run("clean.py")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "All checks passed! (1 file checked)\n"


def test_findings_exit_1_in_text_format_sorted_by_path_then_position(project: Path) -> None:
    result = run()
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "broken.py:2:26: KC000 syntax error: '[' was never closed",
        "pkg/train.py:3:1: KC901 boom() makes the loss NaN",
        "pkg/train.py:4:1: KC902 bang threshold=0.5 count=3 strict=False",
    ]
    assert result.stderr == "Found 3 problems in 2 files.\n"


def test_check_subcommand_is_the_same_command(project: Path) -> None:
    assert run("check", "pkg").stdout == run("pkg").stdout != ""


def test_exit_zero_and_quiet(project: Path) -> None:
    result = run("--exit-zero", "--quiet", "pkg")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr == ""


def test_json_output_has_exactly_the_documented_keys(project: Path) -> None:
    result = run("--output-format", "json", ".")
    assert result.exit_code == 1
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert [(d["path"], d["code"]) for d in data] == [("broken.py", "KC000"), ("pkg/train.py", "KC901"),
                                                      ("pkg/train.py", "KC902")]
    assert all(set(d) == JSON_KEYS for d in data)
    assert data[1] == {"code": "KC901", "name": "boom-call", "severity": "error",
                       "message": "boom() makes the loss NaN", "path": "pkg/train.py", "line": 3, "column": 1,
                       "end_line": 3, "end_column": 7, "fix": None,
                       "url": "https://github.com/kerascheck/kerascheck/blob/main/rules/KC901-boom-call.md"}


def test_json_output_when_clean_is_an_empty_array(project: Path) -> None:
    result = run("--output-format=json", "clean.py")
    assert (result.exit_code, json.loads(result.stdout), result.stderr) == (0, [], "")


def test_output_format_from_the_environment(project: Path) -> None:
    result = run("pkg", env={"KERASCHECK_OUTPUT_FORMAT": "json"})
    assert len(json.loads(result.stdout)) == 2
    bad = CliRunner().invoke(cli, ["pkg"], env={"KERASCHECK_OUTPUT_FORMAT": "xml"})
    assert bad.exit_code == 2


def test_statistics(project: Path, write) -> None:
    write("more.py", "import keras\nboom()\n")
    result = run("--statistics", ".")
    assert result.stdout.splitlines() == ["2  KC901  boom-call", "1  KC000  parse-error", "1  KC902  bang-call"]
    result = run("--statistics", "--output-format", "json", ".")
    assert json.loads(result.stdout)[0] == {"code": "KC901", "name": "boom-call", "count": 2}


def test_nonexistent_path_is_a_finding_and_the_other_files_are_still_linted(project: Path) -> None:
    result = run("pkg/train.py", "missing.py")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "missing.py:1:1: KC000 cannot read file: no such file or directory" in lines
    assert any(line.startswith("pkg/train.py:") for line in lines)


def test_parse_error_does_not_stop_other_files(project: Path) -> None:
    result = run("broken.py", "pkg/train.py")
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["broken.py", "pkg/train.py", "pkg/train.py"]


def test_stdin(project: Path) -> None:
    result = run("-", input=b"import keras\nboom()\n")
    assert (result.exit_code, result.stdout) == (1, "-:2:1: KC901 boom() makes the loss NaN\n")
    result = run("-", "--stdin-filename", "nb/x.py", input=b"import keras\nboom()\n")
    assert result.stdout == "nb/x.py:2:1: KC901 boom() makes the loss NaN\n"
    assert run("-", input=b"import keras\n").exit_code == 0


def test_stdin_filename_selects_per_file_ignores(project: Path, write) -> None:
    write("pyproject.toml", '[tool.kerascheck.per-file-ignores]\n"nb/*" = ["KC901"]\n')
    result = run("-", "--stdin-filename", "nb/x.py", input=b"import keras\nboom()\n")
    assert (result.exit_code, result.stdout) == (0, "")


def test_selection_flags(project: Path) -> None:
    assert [line.split()[1] for line in run("--select", "KC902", "pkg").stdout.splitlines()] == ["KC902"]
    assert [line.split()[1] for line in run("--ignore", "KC901,KC902", "pkg").stdout.splitlines()] == []
    assert run("--select", "KC901", "--select", "KC902", "pkg").stdout.count("\n") == 2


def test_unknown_selector_exits_2(project: Path) -> None:
    result = run("--select", "KC7", "pkg")
    assert result.exit_code == 2
    assert result.stderr == "kerascheck: error: --select: rule selector 'KC7' matches no rule\n"


# -- configuration ---------------------------------------------------------------------------------


def test_config_from_the_nearest_pyproject_above_the_cwd(project: Path, write, monkeypatch) -> None:
    write("pyproject.toml", "[tool.kerascheck]\nignore = ['KC902']\n")
    monkeypatch.chdir(project / "pkg")
    assert run("train.py").stdout == "train.py:3:1: KC901 boom() makes the loss NaN\n"


def test_command_line_flags_override_the_config(project: Path, write) -> None:
    write("pyproject.toml", "[tool.kerascheck]\nselect = ['KC901']\n")
    assert "KC902" not in run("pkg").stdout
    assert [line.split()[1] for line in run("--select", "KC902", "pkg").stdout.splitlines()] == ["KC902"]
    assert run("--extend-select", "KC902", "pkg").stdout.count("\n") == 2


def test_explicit_config_file(project: Path, write) -> None:
    write("pyproject.toml", "[tool.kerascheck]\nignore = ['KC902']\n")
    write("conf/kerascheck.toml", "ignore = ['KC901']\n[options.KC902]\nlabel = 'custom'\n")
    result = run("--config", "conf/kerascheck.toml", "pkg")
    assert result.stdout == "pkg/train.py:4:1: KC902 custom threshold=0.5 count=3 strict=False\n"
    missing = run("--config", "nope.toml", "pkg")
    assert missing.exit_code == 2
    assert missing.stderr == "kerascheck: error: config file not found: nope.toml\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[tool.kerascheck]\nselekt = ['KC901']\n",
         "kerascheck: error: pyproject.toml: [tool.kerascheck] unknown key 'selekt' (did you mean 'select'?)\n"),
        ("[tool.kerascheck]\nignore = 'KC901'\n",
         "kerascheck: error: pyproject.toml: [tool.kerascheck] 'ignore' must be a list of strings, got string\n"),
        ("[tool.kerascheck.options.KC902]\nthreshold = 'x'\n",
         "kerascheck: error: pyproject.toml: [tool.kerascheck.options.KC902] 'threshold' must be a number, "
         "got string\n"),
        ("[tool.kerascheck.options.KC902]\nnope = 1\n",
         "kerascheck: error: pyproject.toml: [tool.kerascheck.options.KC902] unknown option 'nope' for KC902 "
         "(known: count, label, strict, threshold)\n"),
    ],
)
def test_bad_config_exits_2_with_one_line(project: Path, write, body: str, message: str) -> None:
    write("pyproject.toml", body)
    result = run("pkg")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_exclude_and_per_file_ignores_from_config(project: Path, write) -> None:
    write("legacy/old.py", "import keras\nboom()\n")
    write("pyproject.toml", textwrap.dedent("""
        [tool.kerascheck]
        exclude = ["legacy", "broken.py"]
        [tool.kerascheck.per-file-ignores]
        "pkg/*.py" = ["KC901"]
    """))
    result = run()
    assert result.stdout == "pkg/train.py:4:1: KC902 bang threshold=0.5 count=3 strict=False\n"
    # Named explicitly, an excluded file is linted, unless --force-exclude (what pre-commit passes).
    assert run("legacy/old.py").exit_code == 1
    assert run("--force-exclude", "legacy/old.py").exit_code == 0


# -- sub-commands and start-up --------------------------------------------------------------------


def test_version() -> None:
    assert run("--version").stdout == f"kerascheck {__version__}\n"
    assert run("check", "--version").stdout == f"kerascheck {__version__}\n"


def test_a_path_named_like_a_subcommand_via_check(project: Path, write) -> None:
    write("rule", "import keras\nboom()\n")
    result = run("check", "rule")
    assert result.stdout == "rule:2:1: KC901 boom() makes the loss NaN\n"


def test_rule_page(fake_rules) -> None:
    result = run("rule", "KC902")
    assert result.exit_code == 0
    assert result.stdout.startswith("# KC902 bang-call\n\nSeverity: **warning**")
    assert "| `threshold` | `0.5` | A float option. |" in result.stdout
    assert run("rule", "bang-call").stdout == result.stdout
    data = json.loads(run("rule", "kc902", "--output-format", "json").stdout)
    assert data["code"] == "KC902" and data["options"]["count"] == {"default": 3, "doc": "An integer option."}
    assert data["page"] == result.stdout


def test_rule_all_table_and_json(fake_rules) -> None:
    lines = run("rule", "--all").stdout.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "DEFAULT-ON", "FIX"]
    assert lines[1].split() == ["KC901", "boom-call", "error", "yes", "none"]
    assert lines[4].split() == ["KC950", "opt-in-call", "warning", "no", "none"]
    data = json.loads(run("rule", "--all", "--output-format", "json").stdout)
    assert data[0] == {"code": "KC901", "name": "boom-call", "severity": "error", "default_enabled": True,
                       "autofix": False, "fix": "none", "summary": "Calls to boom() make the loss NaN."}


def test_rule_errors(fake_rules) -> None:
    unknown = run("rule", "KC999")
    assert (unknown.exit_code, unknown.stderr) == (2, "kerascheck: error: unknown rule 'KC999' "
                                                      "(see 'kerascheck rule --all')\n")
    assert run("rule").exit_code == 2
    assert run("rule", "KC901", "--all").exit_code == 2


def test_unknown_option_is_a_usage_error(project: Path) -> None:
    result = CliRunner().invoke(cli, ["--selekt", "KC1"])
    assert result.exit_code == 2
    assert "No such option" in result.stderr and "--selekt" in result.stderr


def _python(code: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *code.split("\0")], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_python_dash_m_kerascheck_in_a_real_process(tmp_path: Path, write) -> None:
    write("bad.py", "import keras\n\nmodel.fit(x, y\n")
    write("ok.py", "import keras\n")
    result = _python("-m\0kerascheck\0.", tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout == "bad.py:3:10: KC000 syntax error: '(' was never closed\n"
    assert result.stderr == "Found 1 problem in 1 file.\n"
    assert _python("-m\0kerascheck\0ok.py", tmp_path).returncode == 0
    missing = _python("-m\0kerascheck\0nope.py", tmp_path)
    assert (missing.returncode, missing.stdout) == (1, "nope.py:1:1: KC000 cannot read file: no such file or directory\n")
    typo = _python("-m\0kerascheck\0lsp", tmp_path)
    assert typo.returncode == 2 and typo.stderr.startswith("kerascheck: error: no such command or path 'lsp'")


def test_version_does_not_import_libcst(tmp_path: Path) -> None:
    code = ("import sys\nfrom kerascheck.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n"
            "    pass\nprint(sorted(m for m in sys.modules if m.split('.')[0] in ('libcst', 'kerascheck')))")
    result = _python(f"-c\0{code}", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"kerascheck {__version__}", "['kerascheck', 'kerascheck.cli']"]


def test_every_output_format_is_offered_and_config_sets_the_default(project: Path, write) -> None:
    for fmt in ("concise", "full", "json-lines", "sarif", "github", "gitlab", "junit"):
        assert run("--output-format", fmt, "pkg").exit_code == 1, fmt
    write("kerascheck.toml", 'output-format = "github"\n')
    result = run("pkg")
    assert result.stdout.startswith("::error file=pkg/train.py,line=3")
    assert run("--output-format", "concise", "pkg").stdout.startswith("pkg/train.py:3:1: KC901")


def test_internal_errors_exit_2_after_reporting_everything(project: Path, write) -> None:
    write("pkg/crashy.py", "import keras\ncrash()\nboom()\n")
    result = run("pkg")
    assert result.exit_code == 2
    assert "pkg/crashy.py:1:1: KC000 rule KC960" in result.stdout and "pkg/train.py:3:1: KC901" in result.stdout
    assert "rerun with --verbose" in result.stderr and "Traceback" not in result.stderr
    verbose = run("--verbose", "pkg", env={"KERASCHECK_DEBUG": ""})  # CliRunner restores the variable
    assert verbose.exit_code == 2 and "Traceback (most recent call last)" in verbose.stderr


def test_an_unwritable_cache_is_one_warning(project: Path, write) -> None:
    write("blocker", "a file where the cache folder should be")
    result = run("--cache-dir", "blocker/cache", "pkg")
    assert result.exit_code == 1
    assert result.stderr.count("kerascheck: warning: cannot write the results cache") == 1


def test_rule_help_describes_rules_not_findings() -> None:
    text = run("rule", "--help").stdout
    assert "the rule's page" in text and "path:line:col" not in text


def test_show_files_lists_what_would_be_linted(project: Path, write) -> None:
    write("legacy/old.py", "import keras\n")
    write("kerascheck.toml", 'exclude = ["legacy"]\n')
    result = run("--show-files", ".", "missing.py")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["broken.py", "clean.py", "pkg/train.py",
                                          "missing.py  (not linted: no such file or directory)"]


def test_show_settings_says_which_config_and_why_each_rule_is_on(project: Path, write) -> None:
    write("kerascheck.toml", 'ignore = ["KC902"]\n[per-file-ignores]\n"pkg/*.py" = ["KC901"]\n')
    result = run("--show-settings", "--extend-select", "KC903", "pkg/train.py")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("config file: ") and lines[0].endswith("kerascheck.toml")
    assert any(l.startswith("  KC902 ") and "off" in l and "ignore 'KC902' in the config file" in l for l in lines)
    assert any(l.startswith("  KC901 ") and "(on by default)" in l for l in lines)
    assert lines[-1] == "pkg/train.py: per-file-ignores KC901"
