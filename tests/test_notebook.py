"""Notebooks: code cells linted together, findings cell-relative, odd notebooks handled."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kerascheck.cli import cli
from kerascheck.config import default_settings
from kerascheck.engine import lint_paths, lint_source

MODEL = 'model = keras.Sequential([keras.layers.Dense(1, activation="softmax")])'


def notebook(*cells: tuple[str, str], nbformat: int = 4, language: str = "python") -> bytes:
    if nbformat == 3:
        document = {"nbformat": 3, "metadata": {}, "worksheets": [{"cells": [
            {"cell_type": kind, ("input" if kind == "code" else "source"): src} for kind, src in cells]}]}
    else:
        document = {"nbformat": 4, "nbformat_minor": 5,
                    "metadata": {"kernelspec": {"language": language, "name": "k"}},
                    "cells": [{"cell_type": kind, "metadata": {},
                               "source": src.splitlines(keepends=True),
                               **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                              for kind, src in cells]}
    return json.dumps(document).encode()


def found(data: bytes, select: list[str] | None = None) -> list[tuple[str, int | None, int, int]]:
    settings = default_settings(select=select) if select else default_settings()
    return [(d.code, dict(d.extra).get("cell"), d.line, d.column)
            for d in lint_source(data, "nb.ipynb", settings)]


def test_findings_name_the_cell_and_the_line_inside_it() -> None:
    data = notebook(("markdown", "# Title"), ("code", "import keras\n"), ("code", "\n" + MODEL))
    assert found(data) == [("KC101", 2, 2, 27)]


def test_magics_shell_help_and_empty_cells_are_handled() -> None:
    data = notebook(("code", "%matplotlib inline\n!pip install keras\nimport keras"), ("code", ""),
                    ("code", "keras.layers.Dense?"), ("code", "%%bash\necho hi ${x}"),
                    ("code", "%%time\n" + MODEL), ("code", "await something()"))
    assert found(data) == [("KC101", 5, 2, 27)]


def test_a_notebook_and_its_py_export_give_the_same_codes() -> None:
    cells = ["import keras", MODEL, 'model.compile(loss="categorical_crossentropy", optimizer="adam")']
    data = notebook(*(("code", c) for c in cells))
    export = "\n\n".join(cells) + "\n"
    assert [c for c, *_ in found(data)] == [d.code for d in lint_source(export, "nb.py", default_settings())]


def test_nbformat_3_is_read() -> None:
    assert found(notebook(("code", "import keras\n" + MODEL), nbformat=3)) == [("KC101", 1, 2, 27)]


def test_invalid_and_foreign_notebooks_are_kc000() -> None:
    [diag] = lint_source(b'{"cells": [ keras', "nb.ipynb", default_settings())
    assert diag.code == "KC000" and diag.message.startswith("not a notebook: invalid JSON")
    [diag] = lint_source(b'["keras"]', "nb.ipynb", default_settings())
    assert diag.code == "KC000" and "not an object" in diag.message
    [diag] = lint_source(notebook(("code", "library(keras)"), language="R"), "nb.ipynb", default_settings())
    assert (diag.code, diag.severity.value) == ("KC000", "info") and "language is r" in diag.message


def test_syntax_error_in_a_cell_points_into_that_cell() -> None:
    assert found(notebook(("code", "import keras"), ("code", "x = (\n"))) == [("KC000", 2, 1, 5)]


def test_suppressions_inside_cells_and_ignore_file_in_the_first_cell() -> None:
    assert found(notebook(("code", "import keras"), ("code", MODEL + "  # noqa: KC101"))) == []
    assert found(notebook(("code", "# kerascheck: ignore-file\nimport keras"), ("code", MODEL))) == []


def test_huge_outputs_do_not_count_against_max_file_size(tmp_path: Path) -> None:
    document = json.loads(notebook(("code", "import keras\n" + MODEL)))
    document["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * 3_000_000}]
    path = tmp_path / "big.ipynb"
    path.write_text(json.dumps(document))
    [diag] = lint_paths([str(path)], default_settings()).diagnostics
    assert diag.code == "KC101"


def test_notebooks_are_discovered_and_shown_with_their_cell(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "nb.ipynb").write_bytes(notebook(("code", "import keras"), ("code", MODEL)))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--no-cache", "."])
    assert result.exit_code == 1
    assert result.stdout.startswith("nb.ipynb:cell 2:1:27: KC101 ")
    result = CliRunner().invoke(cli, ["--no-cache", "--output-format", "json", "nb.ipynb"])
    [entry] = json.loads(result.stdout)
    assert (entry["cell"], entry["line"], entry["column"]) == (2, 1, 27)
