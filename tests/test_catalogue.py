"""The rule catalogue in ``rules/``: up to date, complete docstrings, and examples that do what they say.

The per-rule tests are generated from ``all_rules()``, so a new rule module is covered without editing
this file; with no rules registered they are simply not generated. The rendering itself is tested on the
test-only rules from ``conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck import docs
from kerascheck.config import default_settings
from kerascheck.engine import lint_source
from kerascheck.rules.base import Option, Rule, all_rules

CATALOGUE = Path(__file__).resolve().parent.parent / "rules"
RULES = list(all_rules().values())
# Runtime checks' examples are scripts for `kerascheck run`: tests/runtime/test_runtime_catalogue.py runs
# them with TensorFlow. Statically they must lint clean of their own code (the static pass never runs them).
STATIC_RULES = [rule for rule in RULES if not rule.runtime]


def test_committed_catalogue_is_up_to_date() -> None:
    stale = docs.stale_files(CATALOGUE)
    assert not stale, f"rules/ is out of date ({', '.join(stale)}): run `python -m kerascheck.docs`"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docstring_has_the_required_sections(rule: type[Rule]) -> None:
    assert docs.summary(rule), f"{rule.code} has no docstring summary line"
    assert docs.missing_sections(rule) == [], f"{rule.code} docstring lacks sections"
    for title in ("Example", "Fix"):
        assert docs.first_code_block(docs.section(rule, title) or ""), f"{rule.code}: no ```python block in {title}"


def _lint_block(rule: type[Rule], title: str) -> list[tuple[str, int, str]]:
    code = docs.first_code_block(docs.section(rule, title) or "")
    assert code is not None, f"{rule.code}: no ```python block under ## {title}"
    diagnostics = lint_source(code, f"{rule.code}-{title.lower()}.py", default_settings(select=["ALL"]))
    return [(d.code, d.line, d.message) for d in diagnostics]


@pytest.mark.parametrize("rule", STATIC_RULES, ids=lambda r: r.code)
def test_example_reports_this_rule_and_nothing_else(rule: type[Rule]) -> None:
    found = _lint_block(rule, "Example")
    assert found, f"{rule.code}: its ## Example is not reported"
    assert {code for code, _, _ in found} == {rule.code}, f"{rule.code}: ## Example should report only it: {found}"


@pytest.mark.parametrize("rule", STATIC_RULES, ids=lambda r: r.code)
def test_fix_is_clean(rule: type[Rule]) -> None:
    assert _lint_block(rule, "Fix") == [], f"{rule.code}: its ## Fix still has findings"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_code_and_name_are_well_formed(rule: type[Rule]) -> None:
    assert len(rule.code) == 5 and rule.code.startswith("KC") and rule.code[2:].isdigit() and rule.code != "KC000"
    assert rule.name == rule.name.lower() and " " not in rule.name and "_" not in rule.name


# -- rendering (on the test rules) ---------------------------------------------------------------------


def test_rule_page_layout(fake_rules) -> None:
    page = docs.rule_page(fake_rules["KC901"])
    assert page == (
        "# KC901 boom-call\n\n"
        "Severity: **error**, enabled by default: **on**, fix: **none**\n\n"
        "Calls to boom() make the loss NaN.\n\n"
        "## What it flags\nA call to `boom()`.\n\n"
        "## Why it breaks training\nIt is a test rule.\n\n"
        "## Example\n```python\nimport keras\nboom()\n```\n\n"
        "## Fix\n```python\nimport keras\n```\n"
    )


def test_options_are_generated_into_the_options_section(fake_rules) -> None:
    page = docs.rule_page(fake_rules["KC902"])
    options = page.split("## Options\n", 1)[1].split("\n## ", 1)[0]
    assert options.startswith("Both options only change the message.\n\n| Option | Default | Description |")
    assert "| `label` | `\"bang\"` | A string option. |" in options
    assert "| `strict` | `false` | A boolean option. |" in options
    assert "```toml\n[tool.kerascheck.options.KC902]\nthreshold = 0.5\nlabel = \"bang\"\ncount = 3\nstrict = false\n```" in options
    assert page.index("## Options") < page.index("## References")


def test_options_section_is_added_when_the_docstring_has_none(fake_rules) -> None:
    class WithOptions(fake_rules["KC901"]):  # type: ignore[misc, valid-type]
        """Summary.

        ## What it flags
        x

        ## References
        - y
        """

        options = {"limit": Option(1e-3, "The limit.")}

    page = docs.rule_page(WithOptions)
    assert "## Options\n\n| Option | Default | Description |" in page
    assert "| `limit` | `0.001` | The limit. |" in page
    assert page.index("## Options") < page.index("## References")


def test_sections_ignore_headings_inside_code_blocks(fake_rules) -> None:
    _, sections = docs.split_sections("S.\n\n## Example\n```python\n## not a heading\nx = 1\n```\n## Fix\ny\n")
    assert [title for title, _ in sections] == ["Example", "Fix"]
    assert docs.first_code_block("\n".join(sections[0][1])) == "## not a heading\nx = 1\n"


def test_missing_sections_are_reported(fake_rules) -> None:
    assert docs.missing_sections(fake_rules["KC901"]) == []
    assert docs.missing_sections(fake_rules["KC950"]) == ["What it flags", "Why it breaks training", "Example", "Fix"]


def test_index_lists_every_rule(fake_rules) -> None:
    index = docs.index_page(fake_rules.values())
    assert "| [KC901](KC901-boom-call.md) | boom-call | error | on | none | Calls to boom() make the loss NaN. |" in index
    assert "| [KC950](KC950-opt-in-call.md) | opt-in-call | warning | off | none | An opt-in test rule. |" in index
    assert "No rules are registered yet." in docs.index_page([])


def test_write_catalogue_writes_checks_and_prunes(tmp_path: Path, fake_rules) -> None:
    (tmp_path / "KC777-removed-rule.md").write_text("old\n")
    (tmp_path / "notes.txt").write_text("kept\n")
    written = docs.write_catalogue(tmp_path)
    assert "KC777-removed-rule.md" in written and "README.md" in written
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*(docs.page_name(r) for r in fake_rules.values()), "README.md", "notes.txt"])
    assert docs.stale_files(tmp_path) == []
    assert docs.main(["--check", str(tmp_path)]) == 0
    (tmp_path / "KC901-boom-call.md").write_text("edited by hand\n")
    assert docs.stale_files(tmp_path) == ["KC901-boom-call.md"]
    assert docs.main(["--check", str(tmp_path)]) == 1
    assert docs.write_catalogue(tmp_path) == ["KC901-boom-call.md"]
    assert docs.write_catalogue(tmp_path) == []


def test_readme_rule_table_is_up_to_date():
    """The README lists every rule, generated from the same docstrings as rules/."""
    from pathlib import Path

    from kerascheck import docs
    from kerascheck.rules.base import all_rules

    readme = Path(__file__).resolve().parent.parent / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert docs.README_START in text and docs.README_END in text
    assert docs.readme_with_table(text) == text, "run `python -m kerascheck.docs`"
    for code in all_rules():
        assert f"[{code}]" in text
