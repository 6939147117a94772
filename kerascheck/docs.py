"""Rule documentation: one Markdown page per rule, rendered from its docstring, plus the catalogue index.

The docstring is the single source (its layout is described in ``kerascheck.rules.base``): the same page is
printed by ``kerascheck rule CODE`` and committed under ``rules/``, and ``tests/test_catalogue.py`` fails
when the committed copy is stale and lints every example in it. Regenerate with::

    python -m kerascheck.docs            # writes rules/<CODE>-<name>.md and rules/README.md
    python -m kerascheck.docs --check    # exit 1 if rules/ is out of date (for CI)

The ``## Options`` section is generated from ``Rule.options`` (name, default, description, and a ready
``[tool.kerascheck.options.CODE]`` snippet) so it cannot drift from the code; prose a docstring puts under
its own ``## Options`` heading is kept above the table.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from kerascheck.rules.base import Rule, all_rules

REQUIRED_SECTIONS = ("What it flags", "Why it breaks training", "Example", "Fix")
INDEX_NAME = "README.md"
_PAGE_NAME = re.compile(r"KC\d{3}-[a-z0-9-]+\.md\Z")
_HEADING = re.compile(r"##\s+(?P<title>.+?)\s*\Z")


def docstring(rule: type[Rule]) -> str:
    """The rule's own docstring, dedented (never the inherited ``Rule`` docstring)."""
    return inspect.cleandoc(rule.__dict__.get("__doc__") or "")


def split_sections(doc: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Split Markdown into the lines before the first ``## `` heading and (title, body lines) pairs.

    Headings inside fenced code blocks are not headings (an example may contain a ``## `` comment line).
    """
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    current = preamble
    in_fence = False
    for line in doc.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            current = []
            sections.append((match.group("title"), current))
        else:
            current.append(line)
    return preamble, sections


def summary(rule: type[Rule]) -> str:
    """The docstring's first line (empty when the rule has no docstring of its own)."""
    lines = docstring(rule).splitlines()
    return lines[0].strip() if lines else ""


def section(rule: type[Rule], title: str) -> str | None:
    """The body of one docstring section, or ``None`` when the rule's docstring lacks it."""
    for name, body in split_sections(docstring(rule))[1]:
        if name == title:
            return "\n".join(body)
    return None


def missing_sections(rule: type[Rule]) -> list[str]:
    """Required sections the docstring lacks (an empty list when it is complete)."""
    titles = {name for name, _ in split_sections(docstring(rule))[1]}
    return [title for title in REQUIRED_SECTIONS if title not in titles]


def first_code_block(text: str, language: str = "python") -> str | None:
    """The content of the first fenced block tagged ``language`` in ``text``."""
    lines = text.splitlines()
    for start, line in enumerate(lines):
        if line.strip() == f"```{language}":
            body: list[str] = []
            for inner in lines[start + 1 :]:
                if inner.strip() == "```":
                    return "\n".join(body) + "\n"
                body.append(inner)
            return None
    return None


def toml_value(value: Any) -> str:
    """A Python option default written the way it would be set in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return "[" + ", ".join(toml_value(item) for item in items) + "]"
    return repr(value)


def _options_lines(rule: type[Rule]) -> list[str]:
    rows = ["| Option | Default | Description |", "| --- | --- | --- |"]
    for name, option in rule.options.items():
        doc = " ".join(option.doc.split()).replace("|", "\\|")
        rows.append(f"| `{name}` | `{toml_value(option.default)}` | {doc} |")
    snippet = [f"[tool.kerascheck.options.{rule.code}]"]
    snippet += [f"{name} = {toml_value(o.default)}" for name, o in rule.options.items() if o.default is not None]
    return ["", *rows, "", "Set them in `pyproject.toml`:", "", "```toml", *snippet, "```", ""]


FIX_LABELS = {"none": "none", "safe": "safe", "unsafe": "unsafe", "mixed": "safe and unsafe"}


def fix_label(rule: type[Rule]) -> str:
    """``safe``, ``unsafe``, ``safe and unsafe`` or ``none``: what ``--fix`` can do for the rule."""
    return FIX_LABELS[rule.fixable]


def metadata_line(rule: type[Rule]) -> str:
    default = "on" if rule.default_enabled else "off (opt-in)"
    return (f"Severity: **{rule.severity.value}**, enabled by default: **{default}**, "
            f"fix: **{fix_label(rule)}**")


def _fix_lines(rule: type[Rule]) -> list[str]:
    """The generated ``## Autofix`` section: which flag applies the fix, and what it does."""
    flag = {"safe": "`kerascheck --fix` applies it.",
            "unsafe": "`kerascheck --fix --unsafe-fixes` applies it (review the change: it alters behaviour).",
            "mixed": "`kerascheck --fix` applies the safe fixes, `--unsafe-fixes` the others too."}[rule.fixable]
    return ["", " ".join(f"{flag} {rule.fix_doc}".split()), ""]


def rule_page(rule: type[Rule]) -> str:
    """The Markdown page of one rule: heading, metadata line, docstring, generated options."""
    preamble, sections = split_sections(docstring(rule))
    if rule.options:
        titles = [title for title, _ in sections]
        if "Options" in titles:
            body = sections[titles.index("Options")][1]
            while body and not body[-1].strip():
                body.pop()
            body.extend(_options_lines(rule))
        else:
            at = titles.index("References") if "References" in titles else len(sections)
            sections.insert(at, ("Options", _options_lines(rule)))
    if rule.fixable != "none":
        titles = [title for title, _ in sections]
        at = titles.index("References") if "References" in titles else len(sections)
        sections.insert(at, ("Autofix", _fix_lines(rule)))
    out = [f"# {rule.code} {rule.name}", "", metadata_line(rule), "", *preamble]
    for title, body in sections:
        while out and not out[-1].strip():
            out.pop()
        out += ["", f"## {title}", *body]
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"


def page_name(rule: type[Rule]) -> str:
    return f"{rule.code}-{rule.name}.md"


def index_page(rules: Iterable[type[Rule]]) -> str:
    """``rules/README.md``: a table of every rule linking to its page."""
    lines = [
        "# kerascheck rules",
        "",
        "Generated by `python -m kerascheck.docs` from the rules' docstrings; do not edit by hand.",
        "",
        "| Code | Name | Severity | Default | Fix | Summary |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    count = 0
    for rule in rules:
        count += 1
        text = summary(rule).replace("|", "\\|")
        default = "on" if rule.default_enabled else "off"
        lines.append(f"| [{rule.code}]({page_name(rule)}) | {rule.name} | {rule.severity.value} | {default} "
                     f"| {fix_label(rule)} | {text} |")
    if not count:
        lines += ["", "No rules are registered yet."]
    return "\n".join(lines) + "\n"


def generate_catalogue(rules: Mapping[str, type[Rule]] | None = None) -> dict[str, str]:
    """File name → content for every file of the catalogue directory."""
    rules = all_rules() if rules is None else rules
    files = {page_name(rule): rule_page(rule) for rule in rules.values()}
    files[INDEX_NAME] = index_page(rules.values())
    return files


def stale_files(directory: Path, rules: Mapping[str, type[Rule]] | None = None) -> list[str]:
    """Names of catalogue files that are missing, outdated, or left over from a renamed/removed rule."""
    expected = generate_catalogue(rules)
    problems = []
    for name, content in expected.items():
        path = directory / name
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            problems.append(name)
    if directory.is_dir():
        problems += sorted(p.name for p in directory.iterdir() if _PAGE_NAME.match(p.name) and p.name not in expected)
    return sorted(problems)


def write_catalogue(directory: Path | str, rules: Mapping[str, type[Rule]] | None = None) -> list[str]:
    """Bring ``directory`` up to date; returns the names of files written or removed."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    expected = generate_catalogue(rules)
    changed = stale_files(directory, rules)
    for name in changed:
        path = directory / name
        if name in expected:
            path.write_text(expected[name], encoding="utf-8", newline="\n")
        else:
            path.unlink()
    return changed


README_START = "<!-- rules-table:start (generated by python -m kerascheck.docs) -->"
README_END = "<!-- rules-table:end -->"


def readme_table(rules: Iterable[type[Rule]]) -> str:
    """The rule table shown in the project README (links point into ``rules/``)."""
    lines = ["| Code | Name | Default | What goes wrong |", "| --- | --- | --- | --- |"]
    for rule in rules:
        text = summary(rule).replace("|", "\\|")
        default = "on" if rule.default_enabled else "opt-in"
        lines.append(f"| [{rule.code}](rules/{page_name(rule)}) | {rule.name} | {default} | {text} |")
    return "\n".join(lines) + "\n"


def readme_with_table(readme: str, rules: Mapping[str, type[Rule]] | None = None) -> str:
    """``readme`` with the text between the table markers replaced by the current table."""
    rules = all_rules() if rules is None else rules
    start = readme.find(README_START)
    end = readme.find(README_END)
    if start < 0 or end < start:
        return readme
    head = readme[: start + len(README_START)]
    return head + "\n" + readme_table(rules.values()) + readme[end:]


def default_readme() -> Path | None:
    repo = Path(__file__).resolve().parent.parent
    readme = repo / "README.md"
    return readme if (repo / "pyproject.toml").is_file() and readme.is_file() else None


def default_directory() -> Path:
    """``rules/`` of the source checkout kerascheck runs from, else ``./rules``."""
    repo = Path(__file__).resolve().parent.parent
    return repo / "rules" if (repo / "pyproject.toml").is_file() else Path("rules")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kerascheck.docs", description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=None, help="default: the checkout's rules/")
    parser.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")
    args = parser.parse_args(argv)
    directory = args.directory or default_directory()
    readme = default_readme() if args.directory is None else None
    readme_text = readme.read_text(encoding="utf-8") if readme is not None else ""
    readme_stale = readme is not None and readme_with_table(readme_text) != readme_text
    if args.check:
        stale = stale_files(directory)
        for name in stale:
            print(f"{directory / name}: out of date (run `python -m kerascheck.docs`)", file=sys.stderr)
        if readme_stale:
            print(f"{readme}: rule table out of date (run `python -m kerascheck.docs`)", file=sys.stderr)
        return 1 if stale or readme_stale else 0
    for name in write_catalogue(directory):
        print(f"updated {directory / name}")
    if readme is not None and readme_stale:
        readme.write_text(readme_with_table(readme_text), encoding="utf-8", newline="\n")
        print(f"updated {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
