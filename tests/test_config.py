"""Configuration files, validation messages, and ruff-like rule selection."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from kerascheck.config import (
    ConfigError,
    ConfigFile,
    Settings,
    default_settings,
    find_config,
    load_config,
    read_config,
    resolve_settings,
    split_selectors,
)

pytestmark = pytest.mark.usefixtures("fake_rules")

DEFAULT_ON = ("KC901", "KC902", "KC903", "KC960")


def toml(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def enabled(config: ConfigFile | None = None, **cli: object) -> tuple[str, ...]:
    return resolve_settings(config, **cli).enabled  # type: ignore[arg-type]


def cfg(**kwargs: object) -> ConfigFile:
    return ConfigFile(path=Path("/project/kerascheck.toml"), **kwargs)  # type: ignore[arg-type]


# -- finding and reading files ------------------------------------------------------------------


def test_nearest_pyproject_with_a_kerascheck_table_wins(tmp_path: Path) -> None:
    toml(tmp_path / "pyproject.toml", "[tool.kerascheck]\nignore = ['KC901']\n")
    toml(tmp_path / "a" / "pyproject.toml", "[project]\nname = 'sub'\n")  # no table: skipped
    toml(tmp_path / "a" / "b" / "pyproject.toml", "[tool.kerascheck]\nselect = ['KC902']\n")
    (tmp_path / "a" / "b" / "c").mkdir()
    assert find_config(tmp_path / "a" / "b" / "c") == tmp_path / "a" / "b" / "pyproject.toml"
    assert find_config(tmp_path / "a") == tmp_path / "pyproject.toml"


def test_kerascheck_toml_takes_precedence_in_the_same_directory(tmp_path: Path) -> None:
    toml(tmp_path / "pyproject.toml", "[tool.kerascheck]\n")
    toml(tmp_path / "kerascheck.toml", "select = ['KC902']\n")
    assert find_config(tmp_path) == tmp_path / "kerascheck.toml"
    assert load_config(cwd=tmp_path).select == ("KC902",)  # type: ignore[union-attr]


def test_no_config_anywhere(tmp_path: Path) -> None:
    assert load_config(cwd=tmp_path) is None


def test_explicit_config_file_of_either_kind(tmp_path: Path) -> None:
    py = toml(tmp_path / "x" / "pyproject.toml", "[tool.kerascheck]\nextend-select = ['KC950']\n")
    own = toml(tmp_path / "y.toml", "ignore = ['KC9']\nexclude = ['a']\nextend-exclude = ['b']\n")
    assert load_config(py).extend_select == ("KC950",)  # type: ignore[union-attr]
    loaded = load_config(own)
    assert loaded is not None and loaded.ignore == ("KC9",) and loaded.exclude == ("a", "b")
    assert loaded.root == tmp_path.resolve()


def test_explicit_config_file_missing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "missing.toml")


def error_for(tmp_path: Path, body: str, monkeypatch: pytest.MonkeyPatch, name: str = "pyproject.toml") -> str:
    monkeypatch.chdir(tmp_path)
    path = toml(tmp_path / name, body)
    with pytest.raises(ConfigError) as info:
        read_config(path)
    return str(info.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[tool.kerascheck]\nselekt = ['KC9']\n",
         "pyproject.toml: [tool.kerascheck] unknown key 'selekt' (did you mean 'select'?)"),
        ("[tool.kerascheck]\nselect = 'KC901'\n",
         "pyproject.toml: [tool.kerascheck] 'select' must be a list of strings, got string"),
        ("[tool.kerascheck]\nexclude = [1]\n",
         "pyproject.toml: [tool.kerascheck] 'exclude' must be a list of strings, got an integer in it"),
        ("[tool.kerascheck]\nignore = ['KC999']\n",
         "pyproject.toml: [tool.kerascheck] 'ignore': rule selector 'KC999' matches no rule"),
        ("[tool.kerascheck]\nignore = ['bomb-call']\n",
         "pyproject.toml: [tool.kerascheck] 'ignore': unknown rule selector 'bomb-call' (did you mean 'boom-call'?)"),
        ("[tool.kerascheck]\nselect = ['KC000']\n", "KC000 (parse and internal errors) is always reported"),
        ("[tool.kerascheck.per-file-ignores]\n'a.py' = 'KC901'\n",
         "pyproject.toml: [tool.kerascheck] 'per-file-ignores' \"a.py\" must be a list of strings, got string"),
        ("[tool.kerascheck.options.KC999]\nx = 1\n",
         "pyproject.toml: [tool.kerascheck] 'options': unknown rule 'KC999'"),
        ("[tool.kerascheck.options.KC902]\nthreshhold = 1.0\n",
         "pyproject.toml: [tool.kerascheck.options.KC902] unknown option 'threshhold' for KC902 "
         "(known: count, label, strict, threshold)"),
        ("[tool.kerascheck.options.bang-call]\nthreshold = 'high'\n",
         "pyproject.toml: [tool.kerascheck.options.bang-call] 'threshold' must be a number, got string"),
        ("[tool.kerascheck.options.KC902]\ncount = 2.5\n",
         "pyproject.toml: [tool.kerascheck.options.KC902] 'count' must be an integer, got number"),
        ("[tool.kerascheck.options.KC902]\ncount = true\n",
         "pyproject.toml: [tool.kerascheck.options.KC902] 'count' must be an integer, got boolean"),
        ("[tool.kerascheck.options.KC902]\nstrict = 1\n",
         "pyproject.toml: [tool.kerascheck.options.KC902] 'strict' must be a boolean, got integer"),
        ("[tool.kerascheck.options.KC902]\nlabel = 'a'\n[tool.kerascheck.options.bang-call]\nlabel = 'b'\n",
         "option 'label' of KC902 is set twice"),
        ("[tool.kerascheck\n", "pyproject.toml: invalid TOML"),
    ],
)
def test_config_errors_name_the_file_and_key(tmp_path: Path, monkeypatch, body: str, message: str) -> None:
    assert message in error_for(tmp_path, body, monkeypatch)


def test_kerascheck_toml_errors_use_top_level_keys(tmp_path: Path, monkeypatch) -> None:
    assert error_for(tmp_path, "selekt = []\n", monkeypatch, "kerascheck.toml") == (
        "kerascheck.toml: unknown key 'selekt' (did you mean 'select'?)")
    assert error_for(tmp_path, "[options.KC902]\ncount = 'x'\n", monkeypatch, "kerascheck.toml") == (
        "kerascheck.toml: [options.KC902] 'count' must be an integer, got string")


def test_options_by_code_or_name_with_int_for_float(tmp_path: Path) -> None:
    path = toml(tmp_path / "pyproject.toml", """
        [tool.kerascheck.options.KC902]
        threshold = 2
        [tool.kerascheck.options.bang-call]
        label = "loud"
    """)
    settings = resolve_settings(read_config(path))
    options = settings.rule_options("KC902")
    assert options == {"threshold": 2.0, "label": "loud", "count": 3, "strict": False}
    assert isinstance(options["threshold"], float)
    assert settings.rule_options("KC901") == {}


def test_per_file_ignores_are_validated_and_kept(tmp_path: Path) -> None:
    path = toml(tmp_path / "pyproject.toml", """
        [tool.kerascheck.per-file-ignores]
        "tests/*.py" = ["kc9", "boom-call"]
    """)
    settings = resolve_settings(read_config(path))
    assert settings.per_file_ignores == (("tests/*.py", ("KC9", "boom-call")),)
    assert settings.ignored_selectors("tests/a.py") == ("KC9", "boom-call")
    assert settings.ignored_selectors("src/a.py") == ()
    assert settings.project_root == str(tmp_path.resolve())


def test_settings_are_hashable_and_serialisable(tmp_path: Path) -> None:
    path = toml(tmp_path / "pyproject.toml", """
        [tool.kerascheck]
        exclude = ["gen"]
        [tool.kerascheck.options.KC902]
        threshold = 1.5
    """)
    a = resolve_settings(read_config(path))
    b = resolve_settings(read_config(path))
    assert a == b and hash(a) == hash(b)
    assert a != resolve_settings(read_config(path), ignore=["KC902"])
    data = json.loads(json.dumps(a.to_dict()))
    assert data["options"] == {"KC902": {"threshold": 1.5}} and data["exclude"] == ["gen"]


# -- selection ---------------------------------------------------------------------------------


def test_defaults_are_the_default_enabled_rules() -> None:
    assert enabled() == DEFAULT_ON
    assert isinstance(default_settings(), Settings)


def test_select_replaces_and_can_enable_opt_in_rules() -> None:
    assert enabled(select=["KC902"]) == ("KC902",)
    assert enabled(select=["KC95"]) == ("KC950",)
    assert enabled(select=["ALL"]) == ("KC901", "KC902", "KC903", "KC950", "KC960")
    assert enabled(select=["KC"]) == ("KC901", "KC902", "KC903", "KC950", "KC960")
    assert enabled(select=[]) == ()


def test_extend_select_adds_and_ignore_removes() -> None:
    assert enabled(extend_select=["KC950"]) == (*DEFAULT_ON[:3], "KC950", "KC960")
    assert enabled(ignore=["KC90"]) == ("KC960",)
    assert enabled(ignore=["opt-in-call", "boom-call"]) == ("KC902", "KC903", "KC960")


def test_more_specific_selector_wins_and_ignore_wins_ties() -> None:
    assert enabled(select=["KC9"], ignore=["KC90"]) == ("KC950", "KC960")
    assert enabled(select=["KC901"], ignore=["KC9"]) == ("KC901",)
    assert enabled(select=["KC901"], ignore=["KC901"]) == ()
    assert enabled(select=["ALL"], ignore=["ALL"], extend_select=["KC903"]) == ("KC903",)


def test_command_line_select_replaces_the_configured_selection() -> None:
    config = cfg(select=("KC901",), ignore=("KC902",), extend_select=("KC950",))
    assert enabled(config) == ("KC901", "KC950")
    assert enabled(config, select=["KC902"]) == ("KC902",)


def test_command_line_extend_select_and_ignore_add_to_the_config() -> None:
    config = cfg(ignore=("KC902",))
    assert enabled(config) == ("KC901", "KC903", "KC960")
    # A broader command-line selector does not undo a more specific configured ignore...
    assert enabled(config, extend_select=["KC9"]) == ("KC901", "KC903", "KC950", "KC960")
    # ...but naming the rule itself on the command line does.
    assert enabled(config, extend_select=["KC902"]) == DEFAULT_ON
    assert enabled(cfg(select=("KC90",)), ignore=["KC901"]) == ("KC902", "KC903")


def test_unknown_command_line_selectors_are_errors() -> None:
    with pytest.raises(ConfigError, match="--select: rule selector 'KC7' matches no rule"):
        resolve_settings(None, select=["KC7"])
    with pytest.raises(ConfigError, match="--ignore: unknown rule selector 'nope'"):
        resolve_settings(None, ignore=["nope"])


def test_split_selectors() -> None:
    assert split_selectors(["KC1, KC2", "KC3", ",", " all "]) == ["KC1", "KC2", "KC3", "all"]
    assert enabled(select=split_selectors(["all"])) == enabled(select=["ALL"])
