"""The benchmark corpus generator and the benchmark harness (``benchmarks/``)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import gen_corpus  # noqa: E402

PREFILTER_WORDS = ("keras", "tensorflow", "tf.")


@pytest.fixture(scope="module")
def default_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], float]:
    out = tmp_path_factory.mktemp("corpus320")
    start = time.perf_counter()
    paths = gen_corpus.generate(out, seed=0)
    return paths, time.perf_counter() - start


def _read_all(paths: list[Path]) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in paths}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    first = _read_all(gen_corpus.generate(tmp_path / "a", seed=7, n_files=12))
    second = _read_all(gen_corpus.generate(tmp_path / "b", seed=7, n_files=12))
    assert len(first) == 12
    assert first == second


def test_different_seed_gives_different_files(tmp_path: Path) -> None:
    first = gen_corpus.generate(tmp_path / "a", seed=7, n_files=12)
    other = gen_corpus.generate(tmp_path / "b", seed=8, n_files=12)
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]
    assert len({p.read_bytes() for p in first}) == 12  # files differ from each other too


def test_regenerating_replaces_an_earlier_corpus(tmp_path: Path) -> None:
    gen_corpus.generate(tmp_path, seed=1, n_files=12)
    paths = gen_corpus.generate(tmp_path, seed=1, n_files=5)
    assert sorted(tmp_path.glob("*.py")) == sorted(paths)


def test_small_corpus_parses_and_respects_line_bounds(tmp_path: Path) -> None:
    import libcst

    paths = gen_corpus.generate(tmp_path, seed=11, n_files=12)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        ast.parse(text, filename=str(path))
        libcst.parse_module(text)
        lines = text.count("\n")
        assert gen_corpus.MIN_LINES <= lines <= gen_corpus.MAX_LINES, (path.name, lines)
        assert text.endswith("\n") and not text.endswith("\n\n")


def test_default_corpus_is_big_enough_and_quick(default_corpus: tuple[list[Path], float]) -> None:
    paths, elapsed = default_corpus
    stats = gen_corpus.stats(paths)
    assert stats["files"] >= 300
    assert stats["total_lines"] >= 100_000
    assert stats["min_lines"] >= gen_corpus.MIN_LINES
    assert stats["max_lines"] <= gen_corpus.MAX_LINES
    assert elapsed < 5.0


def test_default_corpus_compiles(default_corpus: tuple[list[Path], float]) -> None:
    # ``compile`` (CPython's parser) is much faster than libcst; the small-corpus test covers libcst.
    for path in default_corpus[0]:
        compile(path.read_bytes(), str(path), "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)


def test_default_corpus_has_a_share_of_plain_files(default_corpus: tuple[list[Path], float]) -> None:
    texts = [p.read_bytes() for p in default_corpus[0]]
    plain = [t for t in texts if not any(w.encode() in t for w in PREFILTER_WORDS)]
    assert 0.01 <= len(plain) / len(texts) <= 0.12


@pytest.mark.parametrize("snippet", [
    # import spellings
    "import keras\n", "from tensorflow import keras\n", "tf.keras.layers.Dense(", "from keras.layers import ",
    "from keras import layers as L\n", "import tf_keras\n", "from tensorflow.keras.layers import ",
    # model building
    "Sequential([", ".add(", "keras.Model(", "(keras.Model):", "def call(self, inputs, training=False):",
    # Keras 2 spellings
    "(lr=", "nb_epoch=", "init=",
    # numerics, data, training
    "tf.math.log(", "keras.ops.log(", "K.log(", "clip_by_value(", "tf.data.Dataset", "/ 255", "read_csv(",
    "StandardScaler()", "tf.GradientTape()", "EarlyStopping(", "ExponentialDecay(", "plt.subplots(",
    "argparse.ArgumentParser(", "clipnorm=",
    # planted bugs
    'Dense(1, activation="softmax")', '"mse", metrics=["accuracy"]', "learning_rate=0.5",
    'Dense(10, activation="sigmoid")',
])
def test_default_corpus_covers(default_corpus: tuple[list[Path], float], snippet: str) -> None:
    needle = snippet.encode()
    assert any(needle in p.read_bytes() for p in default_corpus[0]), snippet


def test_stats_of_nothing() -> None:
    assert gen_corpus.stats([])["files"] == 0


def test_bench_quick_smoke(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_static.py"), "--quick", "--files", "6", "--repeat", "1",
         "--json", str(out)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert {"meta", "corpus", "one_file", "figures", "ratios", "ratios_paired", "samples", "diagnostics", "consistent",
            "importtime", "na"} <= set(result)
    assert set(result["figures"]) == {"floor_parse_s", "guard_s", "cold_s", "warm_s", "jobs1_cold_s", "jobs2_cold_s",
                                      "one_file_module_s", "one_file_console_s", "one_file_console_warm_s",
                                      "python_start_s", "python_import_libcst_s"}
    assert result["figures"]["python_import_libcst_s"] > result["figures"]["python_start_s"] > 0
    assert set(result["ratios"]) == set(result["ratios_paired"]) == {"cold_over_floor", "guard_over_floor",
                                                                     "warm_over_cold", "jobs2_over_jobs1"}
    assert result["corpus"]["files"] == 6
    assert result["figures"]["floor_parse_s"] > 0
    for name in ("cold_s", "warm_s", "jobs2_cold_s", "one_file_module_s"):
        key = {"cold_s": "cold", "warm_s": "warm", "jobs2_cold_s": "jobs2", "one_file_module_s": "cli_module"}[name]
        assert result["figures"][name] is not None or key in result["na"], name
    assert result["consistent"], result["diagnostics"]
    assert "cold/floor" in proc.stdout
