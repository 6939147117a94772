"""Hostile inputs: each gets a clear finding or message, the run goes on, exit codes and JSON stay valid.

These go through the real rules (the KC101 one-unit softmax is the canary that a file was really
linted) and, where the process boundary matters (encodings of stdout, file names), a real process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kerascheck.config import default_settings
from kerascheck.engine import lint_paths, lint_source

CANARY = 'import keras\nm = keras.Sequential([keras.layers.Dense(1, activation="softmax")])\n'


def codes(diagnostics) -> list[str]:
    return [d.code for d in diagnostics]


def lint_bytes(data: bytes) -> list[str]:
    return codes(lint_source(data, "a.py", default_settings()))


def kerascheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "kerascheck", "--no-cache", *args], cwd=cwd,
                          capture_output=True, timeout=120)


# -- content ---------------------------------------------------------------------------------------


def test_empty_and_comment_only_files_are_clean() -> None:
    assert lint_bytes(b"") == []
    assert lint_bytes(b"# keras notes only\n# tensorflow too\n") == []
    assert lint_bytes(b"\n\n\n") == []


def test_line_endings_bom_tabs_and_form_feeds_do_not_change_the_result() -> None:
    lf = CANARY.encode()
    assert lint_bytes(lf) == ["KC101"]
    assert lint_bytes(lf.replace(b"\n", b"\r\n")) == ["KC101"]
    assert lint_bytes(lf.replace(b"\n", b"\r")) == ["KC101"]
    assert lint_bytes(b"\xef\xbb\xbf" + lf) == ["KC101"]
    with_tabs = b"import keras\n\x0c\nif True:\n\tm = keras.Sequential([keras.layers.Dense(1, activation='softmax')])\n"
    assert lint_bytes(with_tabs) == ["KC101"]


def test_lone_cr_positions_are_on_the_right_line() -> None:
    [diag] = lint_source(CANARY.replace("\n", "\r").encode(), "a.py", default_settings())
    assert diag.line == 2


def test_latin1_cookie_and_undecodable_bytes() -> None:
    latin = ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + CANARY).encode("latin-1")
    assert lint_bytes(latin) == ["KC101"]
    [diag] = lint_source(b"import keras\nname = '\xff'\n", "a.py", default_settings())
    assert diag.code == "KC000" and "cannot decode" in diag.message and diag.line == 2


def test_binary_file_named_py_and_nul_bytes() -> None:
    [diag] = lint_source(os.urandom(64) + b"keras" + bytes(range(256)), "blob.py", default_settings())
    assert diag.code == "KC000"
    [diag] = lint_source(b"import keras\nx = 1\x00\n", "a.py", default_settings())
    assert diag.code == "KC000" and "NUL" in diag.message


# -- files and paths -------------------------------------------------------------------------------


def test_missing_paths_unreadable_files_and_vanished_files_each_get_a_finding(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.py").write_text(CANARY)
    (tmp_path / "locked.py").write_text(CANARY)
    real_open = open

    def guarded_open(file, *args, **kwargs):  # root ignores permission bits, so simulate them
        if str(file).endswith("locked.py"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded_open)
    import kerascheck.discovery

    real_discover = kerascheck.discovery.discover
    monkeypatch.setattr(kerascheck.discovery, "discover",
                        lambda *a, **k: [*real_discover(*a, **k), str(tmp_path / "vanished.py")])
    result = lint_paths([str(tmp_path / "ok.py"), str(tmp_path / "locked.py"), str(tmp_path / "nope.py")],
                        default_settings())
    by_name = {Path(d.path).name: d for d in result.diagnostics}
    assert by_name["ok.py"].code == "KC101"
    assert by_name["locked.py"].message == "cannot read file: Permission denied"
    assert by_name["nope.py"].message == "cannot read file: no such file or directory"
    assert by_name["vanished.py"].message == "cannot read file: No such file or directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permission bits")
def test_really_unreadable_file(tmp_path: Path) -> None:  # pragma: no cover - CI runs as root
    locked = tmp_path / "locked.py"
    locked.write_text(CANARY)
    locked.chmod(0)
    [diag] = lint_paths([str(locked)], default_settings()).diagnostics
    assert diag.code == "KC000" and "Permission denied" in diag.message


def test_symlink_loops_and_links_outside_the_tree(tmp_path: Path) -> None:
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    tree.mkdir()
    outside.mkdir()
    (outside / "model.py").write_text(CANARY)
    (tree / "loop").symlink_to(tree)  # a directory symlink to itself: never followed
    (tree / "out").symlink_to(outside)  # a directory symlink out of the tree: not walked
    (tree / "linked.py").symlink_to(outside / "model.py")  # a file symlink: linted as the file
    (tree / "dangling.py").symlink_to(tmp_path / "gone.py")
    result = lint_paths([str(tree)], default_settings())
    assert [(Path(d.path).name, d.code) for d in result.diagnostics] == [("linked.py", "KC101")]
    [diag] = lint_paths([str(tree / "dangling.py")], default_settings()).diagnostics
    assert diag.message == "cannot read file: broken symbolic link"


def test_a_directory_with_50000_files(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.mkdir()
    for i in range(50_000):
        (big / f"m{i:05}.py").write_bytes(b"x = 1\n")
    (big / "m99999.py").write_text(CANARY)
    result = lint_paths([str(big)], default_settings())
    assert (result.files_checked, result.files_skipped) == (1, 50_000)
    assert codes(result.diagnostics) == ["KC101"]


def test_unusual_file_names_stay_parsable_in_text_and_json(tmp_path: Path) -> None:
    names = [b"with space.py", b"new\nline.py", b"caf\xe9.py"]
    for name in names:
        (Path(os.fsdecode(tmp_path)) / os.fsdecode(name)).write_text(CANARY)
    text = kerascheck(".", cwd=tmp_path)
    assert text.returncode == 1
    lines = text.stdout.decode("utf-8").splitlines()  # valid UTF-8, one line per finding
    assert sorted(line.split(":2:")[0] for line in lines) == ["caf\\xe9.py", "new\\nline.py", "with space.py"]
    as_json = kerascheck("--output-format", "json", ".", cwd=tmp_path)
    assert as_json.returncode == 1
    found = json.loads(as_json.stdout.decode("utf-8"))
    assert sorted(os.fsencode(d["path"]) for d in found) == sorted(names)


def test_missing_path_on_the_command_line_does_not_stop_the_run(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(CANARY)
    result = kerascheck("--output-format", "json", "train.py", "missing.py", cwd=tmp_path)
    assert result.returncode == 1
    found = json.loads(result.stdout)
    assert [(d["path"], d["code"]) for d in found] == [("missing.py", "KC000"), ("train.py", "KC101")]


# -- size limit ------------------------------------------------------------------------------------


def test_files_above_max_file_size_are_skipped_with_an_info_finding(tmp_path: Path) -> None:
    big = tmp_path / "generated.py"
    big.write_text(CANARY + "# generated\n" * 90_000)  # cheap to parse once the limit is off
    assert big.stat().st_size > 1_000_000
    [diag] = lint_paths([str(big)], default_settings()).diagnostics
    assert (diag.code, diag.name, diag.severity.value) == ("KC000", "file-too-large", "info")
    assert "max-file-size = 0" in diag.message
    unlimited = default_settings().__class__(**{**default_settings().__dict__, "max_file_size": 0})
    assert "KC101" in codes(lint_paths([str(big)], unlimited).diagnostics)


def test_max_file_size_is_configurable(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.kerascheck]\nmax-file-size = 50\n")
    (tmp_path / "train.py").write_text(CANARY)
    result = kerascheck("--output-format", "json", "train.py", cwd=tmp_path)
    [diag] = json.loads(result.stdout)
    assert diag["name"] == "file-too-large" and f"{len(CANARY)} bytes" in diag["message"]
    (tmp_path / "pyproject.toml").write_text("[tool.kerascheck]\nmax-file-size = -1\n")
    bad = kerascheck("train.py", cwd=tmp_path)
    assert bad.returncode == 2 and b"max-file-size" in bad.stderr
