"""Notebooks are fixed in place: code cells' sources only, the rest of the JSON byte for byte."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from click.testing import CliRunner

from kerascheck.cli import cli
from kerascheck.config import default_settings
from kerascheck.engine import lint_source


def _cell(kind: str, source: str, **extra: object) -> dict:
    cell = {"cell_type": kind, "metadata": {"tags": ["keep"]}, "source": source.splitlines(keepends=True)}
    if kind == "code":
        cell.update(execution_count=3, outputs=[{"output_type": "stream", "name": "stdout", "text": ["é ok\n"]}])
    cell.update(extra)
    return cell


def _document() -> dict:
    return {
        "cells": [
            _cell("markdown", "# Training — lr=0.1 in prose stays\n"),
            _cell("code", "%matplotlib inline\nimport tensorflow as tf\nfrom tensorflow import keras"),
            _cell("code", "def loss(y_true, y_pred):\n"
                          "    return -tf.reduce_mean(y_true * tf.math.log(y_pred))\n"),
            _cell("code", "model = keras.Sequential([keras.Input(shape=(8,)), "
                          "keras.layers.Dense(3, activation='softmax')])\n"
                          "model.compile(optimizer=keras.optimizers.Adam(lr=1e-3), loss=loss)"),
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _jupyter_bytes(document: dict) -> bytes:
    """How Jupyter (nbformat) writes a notebook: indent=1, sorted keys, UTF-8, final newline."""
    return (json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def test_notebook_fix_changes_only_the_fixed_cell_sources(tmp_path: Path) -> None:
    path = tmp_path / "train.ipynb"
    document = _document()
    path.write_bytes(_jupyter_bytes(document))

    result = CliRunner().invoke(cli, ["--no-cache", "--fix", "--unsafe-fixes", "--select", "KC205,KC501",
                                      str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output

    expected = copy.deepcopy(document)
    expected["cells"][1]["source"] = ["%matplotlib inline\n", "import tensorflow as tf\n",
                                      "from tensorflow import keras\n", "EPSILON = 1e-7"]
    expected["cells"][2]["source"][1] = \
        "    return -tf.reduce_mean(y_true * tf.math.log(tf.clip_by_value(y_pred, EPSILON, 1.0)))\n"
    expected["cells"][3]["source"][1] = \
        "model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss=loss)"
    assert path.read_bytes() == _jupyter_bytes(expected)
    assert "Fixed 2 problems in 1 file." in result.stderr

    again = CliRunner().invoke(cli, ["--no-cache", "--fix", "--unsafe-fixes", "--select", "KC205,KC501",
                                     str(path)], catch_exceptions=False)
    assert again.exit_code == 0 and path.read_bytes() == _jupyter_bytes(expected)


def test_notebook_edits_are_cell_relative(tmp_path: Path) -> None:
    data = _jupyter_bytes(_document())
    [lr] = [d for d in lint_source(data, "nb.ipynb", default_settings(select=["KC205"]))]
    assert dict(lr.extra)["cell"] == 3
    [edit] = lr.fix.edits
    assert (edit.cell, edit.line, edit.column, edit.content) == (3, 2, 47, "learning_rate")


def test_notebook_diff_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "train.ipynb"
    data = _jupyter_bytes(_document())
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["--no-cache", "--diff", "--select", "KC205", str(path)],
                                catch_exceptions=False)
    assert result.exit_code == 1 and path.read_bytes() == data
    assert '-    "model.compile(optimizer=keras.optimizers.Adam(lr=1e-3), loss=loss)"' in result.stdout


def test_compact_notebook_with_string_sources_keeps_its_shape(tmp_path: Path) -> None:
    path = tmp_path / "train.ipynb"
    document = _document()
    for cell in document["cells"]:
        cell["source"] = "".join(cell["source"])
    path.write_bytes(json.dumps(document).encode())  # one line, ASCII escapes, no final newline
    CliRunner().invoke(cli, ["--no-cache", "--fix", "--select", "KC205", str(path)], catch_exceptions=False)
    document["cells"][3]["source"] = document["cells"][3]["source"].replace("lr=", "learning_rate=")
    assert path.read_bytes() == json.dumps(document).encode()
