"""``--show-settings`` and ``--show-files``: what a run would use and read, without linting.

When a rule stays silent, the first question is whether it ran at all: which config file was found,
whether the rule is on (and which selector decided it), whether a per-file-ignore or an exclude pattern
or ``.gitignore`` hides the file. These answer it the way ruff's ``--show-settings``/``--show-files`` do.
"""

from __future__ import annotations

from typing import Any, Sequence

from kerascheck.config import ConfigFile, Settings, display_path, selection_reasons


def files_report(settings: Settings, paths: Sequence[str], force_exclude: bool = False) -> str:
    """The files a run would lint, one per line (missing paths and unreadable folders are marked)."""
    from kerascheck.discovery import discover

    problems: list[str] = []
    files = discover(list(paths), project_root=settings.project_root, exclude=settings.exclude,
                     force_exclude=force_exclude, respect_gitignore=settings.respect_gitignore,
                     on_problem=lambda where, reason: problems.append(f"{display_path(where)}  (not linted: {reason})"))
    from kerascheck.report.text import printable_path

    return "".join(f"{printable_path(display_path(f))}\n" for f in files) + "".join(f"{p}\n" for p in problems)


def settings_report(config: ConfigFile | None, settings: Settings, paths: Sequence[str], **selectors: Any) -> str:
    """The effective configuration, then each rule's state and why, then what applies to each path."""
    from kerascheck.discovery import relative_to_root
    from kerascheck.rules.base import all_rules

    lines = [
        f"config file: {settings.config_path or '(none found: defaults)'}",
        f"project root: {settings.project_root}",
        f"exclude: {', '.join(settings.exclude) or '(none)'}",
        f"respect-gitignore: {str(settings.respect_gitignore).lower()}",
        f"max-file-size: {settings.max_file_size or 'no limit'}",
        f"output-format: {settings.output_format or 'concise (default)'}",
        f"runtime thresholds changed: {', '.join(f'{k}={v}' for k, v in settings.runtime) or '(none)'}",
        "rules:",
    ]
    rules = all_rules()
    for code, (on, why) in sorted(selection_reasons(config, **selectors).items()):
        options = dict(settings.options).get(code)
        extra = f"; options {dict(options)}" if options else ""
        lines.append(f"  {code} {rules[code].name:<38} {'on ' if on else 'off'}  ({why}{extra})")
    for path in paths:
        relative = relative_to_root(path, settings.project_root)
        ignored = settings.ignored_selectors(relative)
        lines.append(f"{path}: per-file-ignores {', '.join(ignored) if ignored else '(none)'}")
    return "\n".join(lines) + "\n"
