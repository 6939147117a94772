"""``--fix``, ``--unsafe-fixes``, ``--diff``, ``--fix-only`` on real rules, through the command line.

Every fix is checked the same way, on LF, CRLF and latin-1 (with a coding cookie) copies of its
example: the finding disappears, the file becomes exactly the expected text (so every other byte,
comments, quotes and line endings included, is preserved), a second ``--fix`` changes nothing, and
``--diff`` writes nothing and exits 1. Unsafe fixes need ``--unsafe-fixes``.
"""

from __future__ import annotations

import json
import os
import stat
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kerascheck.cli import cli
from kerascheck.diagnostics import Edit, Fix


def run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["--no-cache", "-j", "1", *args], input=input, catch_exceptions=False)


@dataclass(frozen=True)
class Case:
    id: str
    code: str
    before: str
    after: str
    safe: bool

    def source(self, variant: str, text: str) -> bytes:
        text = textwrap.dedent(text)
        if variant == "crlf":
            return text.replace("\n", "\r\n").encode("utf-8")
        if variant == "latin1":
            return ("# -*- coding: latin-1 -*-\n# réglé à la main\n" + text).encode("latin-1")
        return text.encode("utf-8")


MODEL = """\
    import keras
    model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="adam")
"""

CASES = [
    Case("kc001-unused-noqa", "KC001", """\
        import keras
        model = keras.Sequential()  # noqa: KC101
        """, """\
        import keras
        model = keras.Sequential()
        """, safe=True),
    Case("kc205-lr", "KC205", """\
        import keras
        opt = keras.optimizers.SGD(lr=0.01, momentum=0.9)  # lr=0.01 stays in this comment
        """, """\
        import keras
        opt = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)  # lr=0.01 stays in this comment
        """, safe=True),
    Case("kc205-decay", "KC205", """\
        import keras
        opt = keras.optimizers.SGD(
            learning_rate=0.01,
            decay=1e-6,
            momentum=0.9,  # heavy
        )
        """, """\
        import keras
        opt = keras.optimizers.SGD(
            learning_rate=0.01,
            momentum=0.9,  # heavy
        )
        """, safe=False),
    Case("kc901-nb-epoch", "KC901", MODEL + "    model.fit(x, y, nb_epoch=10, batch_size=32)\n",
         MODEL + "    model.fit(x, y, epochs=10, batch_size=32)\n", safe=True),
    Case("kc901-layer-keywords", "KC901", """\
        import keras
        layer = keras.layers.Dense(output_dim=8, init='uniform')
        conv = keras.layers.Conv2D(16, 3, border_mode="same", dim_ordering="th")
        """, """\
        import keras
        layer = keras.layers.Dense(units=8, kernel_initializer='uniform')
        conv = keras.layers.Conv2D(16, 3, padding="same", data_format="channels_first")
        """, safe=True),
    Case("kc902-module", "KC902", """\
        from keras.layers.core import Dense, Dropout  # Keras 2 path
        from keras.utils.np_utils import to_categorical
        """, """\
        from keras.layers import Dense, Dropout  # Keras 2 path
        from keras.utils import to_categorical
        """, safe=True),
    Case("kc902-keras1-convolution", "KC902", """\
        from keras.layers import Convolution2D
        conv = Convolution2D(32, 3, 3, activation="relu")  # Keras 1
        """, """\
        from keras.layers import Convolution2D
        conv = Convolution2D(32, (3, 3), activation="relu")  # Keras 1
        """, safe=False),
    Case("kc413-add-keyword", "KC413", """\
        import keras
        model = keras.Sequential()
        model.add(keras.layers.Conv2D(32, (3, 3)), input_shape=(28, 28, 1))  # misplaced
        model.add(keras.layers.Dense(8,), activation="relu")
        """, """\
        import keras
        model = keras.Sequential()
        model.add(keras.layers.Conv2D(32, (3, 3), input_shape=(28, 28, 1)))  # misplaced
        model.add(keras.layers.Dense(8, activation="relu",))
        """, safe=True),
    Case("kc902-fit-generator", "KC902", MODEL + "    model.fit_generator(batches, steps_per_epoch=100)\n",
         MODEL + "    model.fit(batches, steps_per_epoch=100)\n", safe=True),
    Case("kc101-activation-argument", "KC101", """\
        import keras
        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1, activation='softmax')])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        """, """\
        import keras
        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1, activation='sigmoid')])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        """, safe=False),
    Case("kc101-activation-layer", "KC101", """\
        import keras
        model = keras.Sequential([
            keras.Input(shape=(8,)),
            keras.layers.Dense(1),
            keras.layers.Activation("softmax"),  # the output
        ])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        """, """\
        import keras
        model = keras.Sequential([
            keras.Input(shape=(8,)),
            keras.layers.Dense(1),
            keras.layers.Activation("sigmoid"),  # the output
        ])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        """, safe=False),
    Case("kc103-from-logits", "KC103", """\
        from tensorflow import keras
        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        """, """\
        from tensorflow import keras
        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy())
        """, safe=False),
    Case("kc102-loss-string", "KC102", """\
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input(shape=(8,)), tf.keras.layers.Dense(10)])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        """, """\
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.Input(shape=(8,)), tf.keras.layers.Dense(10)])
        model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        """, safe=False),
    Case("kc102-loss-object", "KC102", """\
        import keras
        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(label_smoothing=0.1))
        """, """\
        import keras
        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(label_smoothing=0.1, from_logits=True))
        """, safe=False),
    Case("kc106-accuracy", "KC106", """\
        import keras
        model = keras.Sequential([keras.Input(shape=(13,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
        """, """\
        import keras
        model = keras.Sequential([keras.Input(shape=(13,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        """, safe=False),
    Case("kc203-clipnorm", "KC203", """\
        import keras
        model = keras.Sequential([keras.Input(shape=(None, 4)), keras.layers.LSTM(8), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.RMSprop(
            learning_rate=1e-3,
        ), loss="mse")
        """, """\
        import keras
        model = keras.Sequential([keras.Input(shape=(None, 4)), keras.layers.LSTM(8), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.RMSprop(
            learning_rate=1e-3,
            clipnorm=1.0,
        ), loss="mse")
        """, safe=False),
    Case("kc501-clip", "KC501", """\
        import tensorflow as tf
        from tensorflow import keras

        def loss(y_true, y_pred):
            return -tf.reduce_mean(y_true * tf.math.log(y_pred))  # hand-written

        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss=loss)
        """, """\
        import tensorflow as tf
        from tensorflow import keras
        EPSILON = 1e-7

        def loss(y_true, y_pred):
            return -tf.reduce_mean(y_true * tf.math.log(tf.clip_by_value(y_pred, EPSILON, 1.0)))  # hand-written

        model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss=loss)
        """, safe=False),
]
VARIANTS = ("lf", "crlf", "latin1")


def _flags(case: Case) -> list[str]:
    return ["--select", case.code] + ([] if case.safe else ["--unsafe-fixes"])


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_fix_removes_the_finding_and_preserves_every_other_byte(case: Case, variant: str, tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    target.write_bytes(case.source(variant, case.before))
    assert case.code in run("--select", case.code, str(target)).stdout  # it fires before

    result = run("--fix", *_flags(case), str(target))
    assert target.read_bytes() == case.source(variant, case.after), result.output
    assert case.code not in result.stdout
    assert "Fixed" in result.stderr
    assert case.code not in run("--select", case.code, str(target)).stdout

    again = run("--fix", *_flags(case), str(target))  # idempotent
    assert target.read_bytes() == case.source(variant, case.after)
    assert "Fixed" not in again.stderr


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_diff_writes_nothing_and_exits_1(case: Case, tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    before = case.source("crlf", case.before)
    target.write_bytes(before)
    result = run("--diff", *_flags(case), str(target))
    assert result.exit_code == 1
    assert target.read_bytes() == before
    assert f"--- {target}\n" in result.stdout and f"+++ {target}\n" in result.stdout  # absolute: as given
    assert "Would fix" in result.stderr


@pytest.mark.parametrize("case", [c for c in CASES if not c.safe], ids=lambda c: c.id)
def test_unsafe_fixes_need_the_flag(case: Case, tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    before = case.source("lf", case.before)
    target.write_bytes(before)
    result = run("--fix", "--select", case.code, str(target))
    assert target.read_bytes() == before
    assert result.exit_code == 1 and case.code in result.stdout
    assert "fixable with --unsafe-fixes" in result.stderr
    assert run("--diff", "--select", case.code, str(target)).exit_code == 0  # no safe fix: no diff


def test_diff_of_a_relative_path_has_git_style_headers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("train.py").write_text("import keras\nopt = keras.optimizers.SGD(lr=0.01)\n")
    result = run("--diff", "train.py")
    assert result.stdout.splitlines()[:2] == ["--- a/train.py", "+++ b/train.py"]
    assert "-opt = keras.optimizers.SGD(lr=0.01)" in result.stdout
    assert "+opt = keras.optimizers.SGD(learning_rate=0.01)" in result.stdout


def test_diff_exits_0_when_there_is_nothing_to_fix(tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    target.write_text("import keras\nopt = keras.optimizers.SGD(learning_rate=0.01)\n")
    result = run("--diff", str(target))
    assert (result.exit_code, result.stdout) == (0, "")


def test_fix_only_reports_nothing_and_exits_0(tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    target.write_text("import keras\nopt = keras.optimizers.SGD(lr=0.01, decay=1e-6)\n")
    result = run("--fix-only", "--select", "KC205", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text() == "import keras\nopt = keras.optimizers.SGD(learning_rate=0.01, decay=1e-6)\n"
    assert "Fixed 1 problem in 1 file." in result.stderr


def test_fix_reports_what_remains(tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    target.write_text("import keras\nopt = keras.optimizers.SGD(lr=0.01, decay=1e-6)\n")
    result = run("--fix", "--select", "KC205", str(target))
    assert result.exit_code == 1
    assert result.stdout.count("KC205") == 1 and "decay" in result.stdout
    assert "Fixed 1 problem in 1 file." in result.stderr and "Found 1 problem" in result.stderr


def test_overlapping_fixes_all_land_in_later_rounds(tmp_path: Path) -> None:
    # Deleting `decay=` (the last argument) and adding `clipnorm=` after it touch the same place.
    target = tmp_path / "train.py"
    target.write_text("import keras\n"
                      "model = keras.Sequential([keras.Input(shape=(None, 4)), keras.layers.GRU(8)])\n"
                      "model.compile(optimizer=keras.optimizers.Adam(lr=0.01, decay=1e-6), loss='mse')\n")
    result = run("--fix", "--unsafe-fixes", "--select", "KC205,KC203", str(target))
    assert result.exit_code == 0, result.output
    assert "keras.optimizers.Adam(learning_rate=0.01, clipnorm=1.0)" in target.read_text()


def test_config_fix_and_unsafe_fixes_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pyproject.toml").write_text("[tool.kerascheck]\nfix = true\nunsafe-fixes = true\n")
    Path("train.py").write_text("import keras\nopt = keras.optimizers.SGD(lr=0.01, decay=1e-6)\n")
    result = run("--select", "KC205", "train.py")
    assert result.exit_code == 0, result.output
    assert Path("train.py").read_text() == "import keras\nopt = keras.optimizers.SGD(learning_rate=0.01)\n"
    Path("train.py").write_text("import keras\nopt = keras.optimizers.SGD(lr=0.01)\n")
    assert run("--no-fix", "--select", "KC205", "train.py").exit_code == 1
    assert "lr=" in Path("train.py").read_text()


def test_a_fix_that_would_break_the_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kerascheck.fixes import build

    def broken(self: build.FixBuilder, intent: object) -> Fix:
        return Fix("delete a parenthesis", (Edit(2, 27, 2, 28, ""),), safe=True)  # SGD( -> SGD

    monkeypatch.setattr(build.FixBuilder, "build", broken)
    target = tmp_path / "train.py"
    before = b"import keras\nopt = keras.optimizers.SGD(lr=0.01)\n"
    target.write_bytes(before)
    result = run("--fix", "--select", "KC205", str(target))
    assert target.read_bytes() == before
    assert "KC205 fix not applied: the fixed source would not parse" in result.stderr
    assert result.exit_code == 1 and "KC205" in result.stdout


def test_fixed_file_keeps_its_permissions_and_bom(tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    target.write_bytes(b"\xef\xbb\xbfimport keras\nopt = keras.optimizers.SGD(lr=0.01)\n")
    os.chmod(target, 0o640)
    run("--fix", "--select", "KC205", str(target))
    assert target.read_bytes() == b"\xef\xbb\xbfimport keras\nopt = keras.optimizers.SGD(learning_rate=0.01)\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["train.py"]  # no temporary file left behind


def test_stdin_fixed_source_goes_to_stdout(tmp_path: Path) -> None:
    result = run("--fix", "--select", "KC205", "-", input=b"import keras\nopt = keras.optimizers.Adam(lr=1e-3)\n")
    assert result.stdout == "import keras\nopt = keras.optimizers.Adam(learning_rate=1e-3)\n"
    assert result.exit_code == 0


def test_json_fix_field(tmp_path: Path) -> None:
    target = tmp_path / "train.py"
    target.write_text("import keras\nopt = keras.optimizers.SGD(lr=0.01, decay=1e-6)\n")
    found = json.loads(run("--output-format", "json", "--select", "KC205", str(target)).stdout)
    lr, decay = found
    assert lr["fix"] == {
        "applicability": "safe", "safe": True, "message": "Rename `lr` to `learning_rate`",
        "edits": [{"line": 2, "column": 28, "end_line": 2, "end_column": 30, "content": "learning_rate"}],
    }
    assert decay["fix"]["applicability"] == "unsafe" and decay["fix"]["safe"] is False
    assert decay["fix"]["edits"] == [{"line": 2, "column": 35, "end_line": 2, "end_column": 47, "content": ""}]
    assert "InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6)" in decay["fix"]["message"]


def test_sarif_fixes_validate_against_the_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    monkeypatch.chdir(tmp_path)
    Path("train.py").write_text("import keras\nopt = keras.optimizers.SGD(lr=0.01, decay=1e-6)\n")
    document = json.loads(run("--output-format", "sarif", "--select", "KC205", "train.py").stdout)
    schema = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
    jsonschema.validate(document, json.loads(schema.read_text()))
    fix = document["runs"][0]["results"][0]["fixes"][0]
    assert fix["description"]["text"] == "Rename `lr` to `learning_rate` (safe fix)"
    change = fix["artifactChanges"][0]
    assert change["artifactLocation"] == {"uri": "train.py", "uriBaseId": "%SRCROOT%"}
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 2, "startColumn": 28, "endLine": 2, "endColumn": 30},
        "insertedContent": {"text": "learning_rate"},
    }]


def test_rule_command_says_whether_there_is_a_fix() -> None:
    def rule(*args: str) -> str:
        return CliRunner().invoke(cli, ["rule", *args], catch_exceptions=False).stdout

    assert "fix: **safe and unsafe**" in rule("KC205") and "## Autofix" in rule("KC205")
    assert "fix: **none**" in rule("KC201") and "## Autofix" not in rule("KC201")
    data = json.loads(rule("KC101", "--output-format", "json"))
    assert (data["fix"], data["autofix"]) == ("unsafe", True)


def test_fix_flags_are_documented_and_the_pre_commit_hook_exists() -> None:
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    help_text = CliRunner().invoke(cli, ["check", "--help"]).output
    for option in ("--fix", "--unsafe-fixes", "--diff", "--fix-only", "--no-fix"):
        assert option in readme and option in help_text
    yaml = pytest.importorskip("yaml")
    hooks = {hook["id"]: hook for hook in yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["kerascheck-fix"]["entry"] == "kerascheck --fix --force-exclude"
    assert hooks["kerascheck-fix"]["types_or"] == hooks["kerascheck"]["types_or"]


def test_readme_fix_table_lists_exactly_the_fixable_rules() -> None:
    from kerascheck.rules.base import all_rules

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Fixes", 1)[1].split("\n## ", 1)[0]
    listed = {line.split()[1] for line in section.splitlines() if line.startswith("| KC")}
    assert listed == {code for code, rule in all_rules().items() if rule.fixable != "none"}
