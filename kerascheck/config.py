"""Configuration: ``[tool.kerascheck]`` in ``pyproject.toml`` (or a ``kerascheck.toml``) plus command-line flags.

The result is one frozen, hashable ``Settings`` value. It is hashable and JSON-serialisable on purpose: the
result cache keys on it, and a process pool ships it to workers. Everything that can be wrong in a config
file is checked here, once, with a message that names the file and the key, so that a typo (``selekt``,
``max_lrr``) is an error rather than a silently ignored setting that leaves a NaN-causing bug unreported.

Rule selection follows ruff, so users do not have to learn a second model:

- the enabled set starts as every rule with ``default_enabled``; a ``select`` replaces it;
- ``extend-select`` adds, ``ignore`` removes; selectors are codes (``KC101``), prefixes (``KC1``, ``KC``),
  rule names (``single-unit-softmax``) or ``ALL``;
- when several selectors match one rule, the most specific (longest) wins; on a tie ``ignore`` wins, and a
  selector given on the command line beats one from the config file;
- a command-line ``--select`` replaces the configured ``select``/``extend-select``/``ignore`` entirely,
  while ``--extend-select`` and ``--ignore`` add to them;
- opt-in rules (``default_enabled = False``) are enabled only by a selector that matches them explicitly
  (``ALL`` included).

``KC000`` (parse and internal errors) is not a rule and cannot be selected or ignored: a file kerascheck
cannot read would otherwise pass silently. Use ``exclude`` for files that are not meant to parse.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

if TYPE_CHECKING:
    from kerascheck.rules.base import Rule

PARSE_ERROR_CODE = "KC000"
CONFIG_KEYS = ("select", "ignore", "extend-select", "exclude", "extend-exclude", "per-file-ignores", "options",
               "runtime", "max-file-size", "respect-gitignore", "output-format", "fix", "unsafe-fixes")
# Files above this many bytes are not parsed (see ``max-file-size``): about 1 MB, twenty times the largest
# hand-written training script we have seen, while a 6.8 MB generated file took libcst 65 s and 3.6 GB.
DEFAULT_MAX_FILE_SIZE = 1_000_000
CONFIG_FILE_NAMES = ("kerascheck.toml", "pyproject.toml")


class KerascheckError(Exception):
    """A problem the user can fix (bad config, missing path): reported as one line, exit status 2."""


class ConfigError(KerascheckError):
    """The configuration (file or flags) is invalid."""


@dataclass(frozen=True)
class ConfigFile:
    """The validated contents of one config file; ``select`` is ``None`` when the file does not set it."""

    path: Path
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    runtime: tuple[tuple[str, Any], ...] = ()  # [tool.kerascheck.runtime] thresholds (field name, value)
    max_file_size: int | None = None  # bytes; 0 = no limit; None = not set in this file
    respect_gitignore: bool | None = None  # None = not set in this file
    output_format: str | None = None
    fix: bool | None = None  # `kerascheck check` applies safe fixes (as --fix)
    unsafe_fixes: bool | None = None  # fixing also applies unsafe fixes (as --unsafe-fixes)

    @property
    def root(self) -> Path:
        """Relative ``exclude``/``per-file-ignores`` patterns are anchored here."""
        return self.path.parent


@dataclass(frozen=True)
class Settings:
    """The effective configuration of a run.

    ``enabled``: rule codes to run, sorted. ``options``: per-rule option overrides (code, sorted
    (key, value) pairs; defaults are not stored, ``rule_options`` merges them). ``exclude``: gitignore-style
    patterns relative to ``project_root`` (absolute). ``per_file_ignores``: (glob, selectors) pairs.
    """

    enabled: tuple[str, ...] = ()
    options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    project_root: str = field(default_factory=os.getcwd)
    config_path: str | None = field(default=None, compare=False)
    runtime: tuple[tuple[str, Any], ...] = ()  # threshold overrides for ``kerascheck run``
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # bytes; files above it are skipped with an info finding; 0: none
    respect_gitignore: bool = True  # skip what .gitignore / info/exclude / global excludes ignore
    output_format: str | None = field(default=None, compare=False)  # the config's default output format
    # What the config says about fixing; the flags override them. Not part of the cache key: fixing
    # reads the findings, it does not change them.
    fix: bool = field(default=False, compare=False)
    unsafe_fixes: bool = field(default=False, compare=False)

    def thresholds(self) -> Any:
        """The runtime ``Thresholds``: defaults overridden by ``[tool.kerascheck.runtime]``."""
        from kerascheck.runtime.thresholds import Thresholds

        return Thresholds().with_overrides(self.runtime)

    def rule_options(self, code: str) -> dict[str, Any]:
        """The rule's option values: its declared defaults overridden by the configured ones."""
        from kerascheck.rules._index import load_rule

        rule = load_rule(code)
        values: dict[str, Any] = rule.default_options() if rule is not None else {}
        for rule_code, pairs in self.options:
            if rule_code == code:
                values.update(pairs)
        return values

    def ignored_selectors(self, relative_path: str) -> tuple[str, ...]:
        """The ``per-file-ignores`` selectors that apply to a path relative to ``project_root``."""
        if not self.per_file_ignores:
            return ()
        from kerascheck.discovery import path_matches

        found: list[str] = []
        for pattern, selectors in self.per_file_ignores:
            if path_matches(relative_path, pattern):
                found.extend(selectors)
        return tuple(found)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible view (for cache keys and ``--show-settings``-style debugging)."""
        return {
            "enabled": list(self.enabled),
            "options": {code: {k: _jsonable(v) for k, v in pairs} for code, pairs in self.options},
            "exclude": list(self.exclude),
            "per_file_ignores": {glob: list(sel) for glob, sel in self.per_file_ignores},
            "project_root": self.project_root,
            "runtime": dict(self.runtime),
            "max_file_size": self.max_file_size,
            "respect_gitignore": self.respect_gitignore,
        }


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# -- selectors ----------------------------------------------------------------------------------


def selector_matches(selector: str, code: str, name: str | None = None) -> bool:
    """Whether a (normalised) selector, ``ALL``, a code prefix or a rule name, covers ``code``."""
    return selector == "ALL" or code.startswith(selector) or (name is not None and selector == name)


def _specificity(selector: str) -> int:
    if selector == "ALL":
        return 0
    if selector.startswith("KC"):
        return len(selector)
    return 5  # a rule name is as specific as a full code


def normalize_selector(raw: str, where: str, rules: Mapping[str, type[Rule]]) -> str:
    """Validate a selector and return its canonical spelling (codes upper-case, names as declared)."""
    selector = raw.strip()
    upper = selector.upper()
    if upper == "ALL":
        return "ALL"
    if upper == PARSE_ERROR_CODE:
        raise ConfigError(
            f"{where}: {PARSE_ERROR_CODE} (parse and internal errors) is always reported and cannot be "
            "selected or ignored; exclude the file instead"
        )
    if upper == "KC" or (upper.startswith("KC") and upper[2:].isdigit()):
        if upper == "KC" or any(code.startswith(upper) for code in rules):
            return upper
        raise ConfigError(f"{where}: rule selector '{selector}' matches no rule")
    for rule in rules.values():
        if rule.name == selector:
            return selector
    hint = _did_you_mean(selector, [*rules, *(r.name for r in rules.values())])
    raise ConfigError(f"{where}: unknown rule selector '{selector}'{hint}")


def split_selectors(values: Iterable[str]) -> list[str]:
    """Flatten repeatable, comma-separated command-line values (``--select KC1,KC2 --select KC3``)."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@dataclass(frozen=True)
class _Layer:
    select: tuple[str, ...] | None
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]


def _resolve_selection(layers: Sequence[_Layer], rules: Mapping[str, type[Rule]]) -> tuple[str, ...]:
    """Apply the ruff-like selection rules described in the module docstring."""
    return tuple(sorted(code for code, (on, _) in _selection(layers, rules).items() if on))


_LAYER_NAMES = ("the config file", "the command line")


def _selection(layers: Sequence[_Layer], rules: Mapping[str, type[Rule]]) -> dict[str, tuple[bool, str]]:
    """Each rule's state and why: the selector that decided it (``--show-settings`` prints the reasons)."""
    start = 0
    for index, layer in enumerate(layers):
        if layer.select is not None:
            start = index
    base_from_defaults = all(layer.select is None for layer in layers)
    # (specificity, layer index, 0 = enable / 1 = disable, selector, key): applied in order, last write wins.
    entries: list[tuple[int, int, int, str, str]] = []
    for index in range(start, len(layers)):
        layer = layers[index]
        entries += [(_specificity(s), index, 0, s, "select") for s in layer.select or ()]
        entries += [(_specificity(s), index, 0, s, "extend-select") for s in layer.extend_select]
        entries += [(_specificity(s), index, 1, s, "ignore") for s in layer.ignore]
    state: dict[str, tuple[bool, str]] = {}
    for code, rule in rules.items():
        if base_from_defaults:
            state[code] = (rule.default_enabled, "on by default" if rule.default_enabled else "opt-in, not selected")
        else:
            state[code] = (False, "not selected")
    for _spec, layer, kind, selector, key in sorted(entries):
        for code, rule in rules.items():
            if selector_matches(selector, code, rule.name):
                state[code] = (kind == 0, f"{key} {selector!r} in {_LAYER_NAMES[min(layer, 1)]}")
    return state


# -- reading config files -----------------------------------------------------------------------


def _load_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{display_path(path)}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{display_path(path)}: cannot read: {exc.strerror or exc}") from None


def display_path(path: Path | str) -> str:
    """``path`` relative to the working directory when it lies under it, else absolute."""
    text = os.fspath(path)
    if os.sep == "/" and text and not text.startswith("//") and ".." not in text.split("/"):
        # The common cases by string operations (a warm run did path arithmetic per file): a relative
        # path without ``..`` lies under the working directory, and an absolute one is under it when
        # it starts with it; either way the answer is the normalised path, or what follows the cwd.
        normal = os.path.normpath(text)
        if not text.startswith("/"):
            return normal
        cwd = os.getcwd()
        if cwd != "/" and not cwd.startswith("//"):
            if normal.startswith(cwd + "/"):
                return normal[len(cwd) + 1:]
            return "." if normal == cwd else normal
    from kerascheck.discovery import relative_to_root

    return str(Path(relative_to_root(path, os.getcwd())))


def find_config(start: Path) -> Path | None:
    """The nearest ``kerascheck.toml``, or ``pyproject.toml`` with a ``[tool.kerascheck]`` table, upward.

    A ``pyproject.toml`` without our table is skipped (as ruff does), so a sub-package's own
    pyproject does not hide the repository's settings. The cheap byte check avoids parsing unrelated files.
    """
    for directory in (start, *start.parents):
        own = directory / "kerascheck.toml"
        if own.is_file():
            return own
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            try:
                mentions = b"kerascheck" in pyproject.read_bytes()
            except OSError:
                mentions = False
            if mentions and isinstance(_load_toml(pyproject).get("tool", {}).get("kerascheck"), dict):
                return pyproject
    return None


def read_config(path: Path) -> ConfigFile:
    """Read and validate one config file (pyproject.toml: ``[tool.kerascheck]``; otherwise top level)."""
    from kerascheck.rules._index import rule_index

    rules = rule_index()  # metadata only: selecting rules imports none of them
    data = _load_toml(path)
    shown = display_path(path)
    if path.name == "pyproject.toml":
        table, prefix = data.get("tool", {}).get("kerascheck", {}), "tool.kerascheck."
        where = f"{shown}: [tool.kerascheck]"
    else:
        table, prefix, where = data, "", f"{shown}:"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    for key in table:
        if key not in CONFIG_KEYS:
            raise ConfigError(f"{where} unknown key '{key}'{_did_you_mean(key, CONFIG_KEYS)}")

    def selectors(key: str) -> tuple[str, ...] | None:
        if key not in table:
            return None
        values = _string_list(table[key], f"{where} '{key}'")
        return tuple(normalize_selector(v, f"{where} '{key}'", rules) for v in values)

    exclude = [
        *_string_list(table.get("exclude", []), f"{where} 'exclude'"),
        *_string_list(table.get("extend-exclude", []), f"{where} 'extend-exclude'"),
    ]
    return ConfigFile(
        path=path.resolve(),
        select=selectors("select"),
        ignore=selectors("ignore") or (),
        extend_select=selectors("extend-select") or (),
        exclude=tuple(exclude),
        per_file_ignores=_per_file_ignores(table.get("per-file-ignores", {}), where, rules),
        options=_options(table.get("options", {}), where, f"{shown}: [{prefix}options", rules),
        runtime=_runtime(table.get("runtime", {}), f"{shown}: [{prefix}runtime]"),
        max_file_size=_max_file_size(table.get("max-file-size"), f"{where} 'max-file-size'"),
        respect_gitignore=_optional_bool(table.get("respect-gitignore"), f"{where} 'respect-gitignore'"),
        output_format=_output_format(table.get("output-format"), f"{where} 'output-format'"),
        fix=_optional_bool(table.get("fix"), f"{where} 'fix'"),
        unsafe_fixes=_optional_bool(table.get("unsafe-fixes"), f"{where} 'unsafe-fixes'"),
    )


def _output_format(value: Any, where: str) -> str | None:
    from kerascheck.report import FORMATS

    if value is None:
        return None
    if not isinstance(value, str) or value not in FORMATS:
        raise ConfigError(f"{where} must be one of {', '.join(FORMATS)}, got {value!r}")
    return value


def _optional_bool(value: Any, where: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise ConfigError(f"{where} must be true or false, got {_type_name(value, article=True)}")


def _max_file_size(value: Any, where: str) -> int | None:
    """A byte count (0 = no limit), or ``None`` when not set."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"{where} must be a non-negative integer number of bytes (0 = no limit), "
                          f"got {_type_name(value, article=True)}")
    return value


def _runtime(value: Any, label: str) -> tuple[tuple[str, Any], ...]:
    """Validate ``[tool.kerascheck.runtime]`` against the runtime ``Thresholds`` (kebab-case keys)."""
    from kerascheck.runtime.thresholds import field_types, threshold_key

    if not isinstance(value, dict):
        raise ConfigError(f"{label} must be a table, got {_type_name(value)}")
    types = field_types()
    by_key = {threshold_key(name): name for name in types}
    result = []
    for key, raw in value.items():
        name = by_key.get(key)
        if name is None:
            raise ConfigError(f"{label} unknown threshold '{key}'{_did_you_mean(key, by_key)}")
        expected = types[name]
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or (expected is int and not isinstance(raw, int)):
            raise ConfigError(f"{label} '{key}' must be {'an integer' if expected is int else 'a number'}, "
                              f"got {_type_name(raw, article=True)}")
        if raw < 0 or (expected is int and raw < 1):
            raise ConfigError(f"{label} '{key}' must be {'at least 1' if expected is int else 'non-negative'}")
        result.append((name, expected(raw)))
    return tuple(sorted(result))


def _string_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list):
        raise ConfigError(f"{where} must be a list of strings, got {_type_name(value)}")
    for item in value:
        if not isinstance(item, str):
            raise ConfigError(f"{where} must be a list of strings, got {_type_name(item, article=True)} in it")
    return list(value)


def _per_file_ignores(
    value: Any, where: str, rules: Mapping[str, type[Rule]]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} 'per-file-ignores' must be a table of glob = [codes], got {_type_name(value)}")
    result = []
    for pattern, codes in value.items():
        label = f"{where} 'per-file-ignores' \"{pattern}\""
        selectors = tuple(normalize_selector(c, label, rules) for c in _string_list(codes, label))
        result.append((pattern, selectors))
    return tuple(result)


def _options(
    value: Any, where: str, table_label: str, rules: Mapping[str, type[Rule]]
) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    """Validate ``options``; ``table_label`` is e.g. ``pyproject.toml: [tool.kerascheck.options``."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where} 'options' must be a table, got {_type_name(value)}")
    by_code: dict[str, dict[str, Any]] = {}
    for key, table in value.items():
        rule = _rule_for_key(key, rules)
        label = f"{table_label}.{key}]"
        if rule is None:
            names = [*rules, *(r.name for r in rules.values())]
            raise ConfigError(f"{where} 'options': unknown rule '{key}'{_did_you_mean(key, names)}")
        if not isinstance(table, dict):
            raise ConfigError(f"{label} must be a table, got {_type_name(table)}")
        merged = by_code.setdefault(rule.code, {})
        for name, raw in table.items():
            if name not in rule.options:
                known = ", ".join(sorted(rule.options)) or "none"
                raise ConfigError(f"{label} unknown option '{name}' for {rule.code} (known: {known})")
            if name in merged:
                raise ConfigError(f"{label} option '{name}' of {rule.code} is set twice (by code and by name)")
            merged[name] = _coerce_option(raw, rule.options[name].default, f"{label} '{name}'")
    return tuple((code, tuple(sorted(opts.items()))) for code, opts in sorted(by_code.items()))


def _rule_for_key(key: str, rules: Mapping[str, type[Rule]]) -> type[Rule] | None:
    if key.upper() in rules:
        return rules[key.upper()]
    return next((rule for rule in rules.values() if rule.name == key), None)


def _coerce_option(value: Any, default: Any, where: str) -> Any:
    """Check an option value against the type of its default; lists become tuples to stay hashable."""
    if default is None:
        return tuple(value) if isinstance(value, list) else value
    expected = type(default)
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, (list, tuple, frozenset, set)):
        ok = isinstance(value, list)
        if ok and default:
            item_type = type(next(iter(default)))
            ok = all(isinstance(item, item_type) for item in value)
        value = tuple(value) if ok else value
    else:
        ok = isinstance(value, expected)
    if not ok:
        raise ConfigError(f"{where} must be {_type_name(default, article=True)}, got {_type_name(value)}")
    return value


def _type_name(value: Any, article: bool = False) -> str:
    names = {bool: "boolean", int: "integer", float: "number", str: "string", list: "list", tuple: "list",
             dict: "table", frozenset: "list", set: "list"}
    name = names.get(type(value), type(value).__name__)
    if not article:
        return name
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


# -- putting it together --------------------------------------------------------------------------


def load_config(config_file: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> ConfigFile | None:
    """The explicit ``--config`` file, else the nearest one found from ``cwd`` upward, else ``None``."""
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"config file not found: {config_file}")
        return read_config(path)
    found = find_config((cwd or Path.cwd()).resolve())
    return read_config(found) if found is not None else None


def _selection_layers(config: ConfigFile | None, select: Sequence[str] | None, ignore: Sequence[str],
                      extend_select: Sequence[str], rules: Mapping[str, type[Rule]]) -> list[_Layer]:
    return [
        _Layer(
            select=config.select if config else None,
            extend_select=config.extend_select if config else (),
            ignore=config.ignore if config else (),
        ),
        _Layer(
            select=None if select is None else tuple(normalize_selector(s, "--select", rules) for s in select),
            extend_select=tuple(normalize_selector(s, "--extend-select", rules) for s in extend_select),
            ignore=tuple(normalize_selector(s, "--ignore", rules) for s in ignore),
        ),
    ]


def resolve_settings(
    config: ConfigFile | None = None,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
    project_root: str | os.PathLike[str] | None = None,
) -> Settings:
    """Combine a config file and command-line selectors (which win) into ``Settings``."""
    from kerascheck.rules._index import rule_index

    rules = rule_index()  # metadata only: selecting rules imports none of them
    layers = _selection_layers(config, select, ignore, extend_select, rules)
    root = project_root if project_root is not None else (config.root if config else Path.cwd())
    return Settings(
        enabled=_resolve_selection(layers, rules),
        options=config.options if config else (),
        exclude=config.exclude if config else (),
        per_file_ignores=config.per_file_ignores if config else (),
        project_root=os.path.abspath(root),
        config_path=str(config.path) if config else None,
        runtime=config.runtime if config else (),
        max_file_size=DEFAULT_MAX_FILE_SIZE if config is None or config.max_file_size is None
        else config.max_file_size,
        respect_gitignore=True if config is None or config.respect_gitignore is None else config.respect_gitignore,
        output_format=config.output_format if config else None,
        fix=bool(config and config.fix),
        unsafe_fixes=bool(config and config.unsafe_fixes),
    )


def selection_reasons(
    config: ConfigFile | None = None,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    extend_select: Sequence[str] = (),
) -> dict[str, tuple[bool, str]]:
    """Whether each rule is on and why, for the same inputs as ``resolve_settings``."""
    from kerascheck.rules._index import rule_index

    rules = rule_index()  # metadata only: selecting rules imports none of them
    return _selection(_selection_layers(config, select, ignore, extend_select, rules), rules)


def default_settings(**overrides: Any) -> Settings:
    """Settings as if no config file existed (for tests and library use)."""
    return resolve_settings(None, **overrides)
