"""The benchmark's corpus builders and harness (``benchmarks/``): real files from mirrors, edge shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import edge_cases  # noqa: E402
import real_corpus  # noqa: E402


def _notebook(*cells: str, kind: str = "code") -> bytes:
    return json.dumps({"cells": [{"cell_type": kind, "source": c} for c in cells]}).encode()


def test_notebook_code_cells_become_a_script_that_compiles() -> None:
    raw = _notebook("import keras\n%matplotlib inline", "for i in range(2):\n    !ls\n", "%%writefile a.py\nx = (")
    text = real_corpus.notebook_to_script(raw)
    assert text is not None
    assert "# In[1]:" in text and "# In[3]:" in text
    assert "pass  # %matplotlib inline" in text  # a line magic stays a statement (blocks stay valid)
    assert "    pass  # !ls" in text
    assert "# %%writefile a.py" in text and "# x = (" in text  # a cell magic is not Python: all commented
    compile(text, "nb.py", "exec")


def test_markdown_cells_and_broken_notebooks() -> None:
    assert real_corpus.notebook_to_script(_notebook("# Title", kind="markdown")) == ""
    assert real_corpus.notebook_to_script(b"not json") is None
    assert real_corpus.notebook_to_script(b"[1, 2]") is None


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def test_assemble_takes_the_pinned_commit_and_reports_what_it_skipped(tmp_path: Path) -> None:
    work = tmp_path / "work"
    (work / "examples" / "ipynb").mkdir(parents=True)
    (work / "examples" / "mnist.py").write_text("import keras\nmodel = keras.Sequential()\n")
    (work / "examples" / "ipynb" / "mnist.ipynb").write_bytes(_notebook("import keras"))  # has a .py twin
    (work / "examples" / "nb.ipynb").write_bytes(_notebook("import tensorflow as tf\n!pip install x"))
    (work / "examples" / "plain.py").write_text("print('no deep learning here')\n")
    (work / "examples" / "broken.py").write_text("import keras\n  x = 1\n")
    (work / "other.py").write_text("import keras\n")  # outside the folders taken
    _git(work, "init", "-q")
    _git(work, "add", ".")
    _git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "c")
    commit = _git(work, "rev-parse", "HEAD").strip()
    mirrors = tmp_path / "mirrors"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(mirrors / "o+r" / "repo")], check=True)
    out = tmp_path / "out"
    line = real_corpus.assemble(real_corpus.Source("o/r", commit, ("examples/",)), mirrors, out, any_commit=False)
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.py"))
    assert written == ["o+r/examples/mnist.py", "o+r/examples/nb.py"]
    assert "2 files" in line and "1 notebooks with a .py twin" in line and "1 files without keras" in line
    assert "1 not valid Python" in line
    assert "pass  # !pip install x" in (out / "o+r" / "examples" / "nb.py").read_text()
    missing = real_corpus.assemble(real_corpus.Source("o/r", "0" * 40), mirrors, tmp_path / "x", any_commit=False)
    assert "not in the mirror" in missing
    assert "no mirror" in real_corpus.assemble(real_corpus.Source("a/b", commit), mirrors, out, any_commit=False)


def test_edge_shapes_parse_and_the_small_script_is_ten_lines(tmp_path: Path) -> None:
    import libcst

    paths = edge_cases.write(tmp_path)
    assert {p.name for p in paths} == {"train_small.py", "no_keras.py", "long_module.py"}
    for path in paths:
        libcst.parse_module(path.read_text(encoding="utf-8"))
    assert edge_cases.train_small().count("\n") == 10
    assert (tmp_path / "long_module.py").read_text().count("\n") > 2000
    assert b"keras" not in (tmp_path / "no_keras.py").read_bytes()


def test_many_small_scripts_are_distinct(tmp_path: Path) -> None:
    paths = edge_cases.write_many(tmp_path, 150)
    assert len(paths) == len({p.read_bytes() for p in paths}) == 150
    assert len({p.parent for p in paths}) == 2


def test_bench_quick_smoke(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    edge_cases.write(corpus)
    out = tmp_path / "latest.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_static.py"), "--corpus", str(corpus), "--repeat", "1",
         "--one-file-runs", "1", "--scale", "100", "--no-importtime", "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert {"meta", "corpus", "figures_s", "ratios", "one_file", "scale", "samples", "findings", "consistent",
            "na"} <= set(result)
    assert set(result["figures_s"]) == {"floor", "guard", "cold", "warm", "jobs2"}
    assert set(result["ratios"]) == {"cold_over_floor", "guard_over_floor", "warm_over_cold", "jobs1_over_jobs2"}
    assert result["figures_s"]["floor"] > 0 and result["ratios"]["cold_over_floor"] > 0
    assert result["one_file"]["lines"] == 10
    assert result["one_file"]["median_s"]["floor_py_libcst_parse"] > result["one_file"]["median_s"]["python_start"]
    assert "python_m_kerascheck" in result["one_file"]["median_s"]
    assert result["scale"]["cold_100"]["files"] == 100 and result["scale"]["cold_100"]["peak_rss_mb"] > 0
    assert result["scale"]["warm"]["files"] == 100
    assert result["consistent"], result["findings"]
    assert "cold/floor" in proc.stdout and "jobs2 speed-up" in proc.stdout and "peak RSS" in proc.stdout
