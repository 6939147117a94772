"""Command line: ``kerascheck [check] [OPTIONS] [PATHS]...``, ``kerascheck run TARGET``, ``kerascheck rule CODE``
and ``kerascheck server`` (the language server; pygls is imported only when it runs).

``check`` is the default sub-command, so ``kerascheck train.py`` works like ruff/flake8; a path that happens
to be called like a sub-command is linted with ``kerascheck check rule``.

Exit status: 0 no findings, 1 findings (``--exit-zero`` turns it into 0), 2 usage, configuration or
internal error, reported as one ``kerascheck: error: ...`` line on stderr.

Only ``click`` and the package's ``__init__`` are imported at start-up: the config, the engine and libcst
are imported when a command runs, so ``--version``/``--help`` are instant.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Sequence

import click

from kerascheck import __version__

FORMATS = ("concise", "text", "full", "json", "json-lines", "sarif", "github", "gitlab", "junit")
RUN_FORMATS = ("text", "json")  # `run` prints one document with its measurements (see README)
_GROUP_OPTIONS = ("--help", "-h", "--version")


class _DefaultCommandGroup(click.Group):
    """A group that runs ``check`` when the first argument is not a sub-command."""

    default_command = "check"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in _GROUP_OPTIONS):
            if args and len(args) == 1 and _looks_like_a_command(args[0]):
                _fail(f"no such command or path '{args[0]}' (commands: {', '.join(sorted(self.commands))}; "
                      "or give a file or directory to lint)")
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


def _looks_like_a_command(word: str) -> bool:
    """A lone bare word that is not a path (``kerascheck lsp``): a mistyped sub-command, not a file."""
    return word.isidentifier() and not os.path.exists(word)


def _fail(message: str) -> None:
    """Print the one-line error and exit 2 (shared by every user-facing error)."""
    click.echo(f"kerascheck: error: {message}", err=True)
    raise click.exceptions.Exit(2)


_output_format = click.option(
    "--output-format",
    type=click.Choice(FORMATS),
    default="concise",
    show_default=True,
    envvar="KERASCHECK_OUTPUT_FORMAT",
    show_envvar=True,
    help="concise (alias text): 'path:line:col: CODE message' lines; full: with the source line and why; "
         "json, json-lines, sarif, github, gitlab, junit: for tools and CI (see README). Also "
         "'output-format' in the config.",
)


@click.group(
    cls=_DefaultCommandGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Without a sub-command, 'check' runs: 'kerascheck train.py' is 'kerascheck check train.py'.",
)
@click.version_option(__version__, "--version", prog_name="kerascheck", message="%(prog)s %(version)s")
def cli() -> None:
    """kerascheck: find why a Keras model will train to NaN loss, zero accuracy or not at all."""


@cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(), metavar="[PATHS]...")
@click.option("--select", multiple=True, metavar="CODES",
              help="Rules to enable (codes, prefixes such as KC1, rule names, or ALL); replaces the configured "
                   "selection. Comma-separated, repeatable.")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Rules to enable in addition.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Rules to disable.")
@_output_format
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--fix/--no-fix", "fix", default=None,
              help="Apply the safe fixes in place, then report what remains (also 'fix = true' in the config).")
@click.option("--unsafe-fixes/--no-unsafe-fixes", "unsafe_fixes", default=None,
              help="With --fix, --fix-only or --diff: also apply the unsafe fixes, which change behaviour "
                   "(also 'unsafe-fixes = true' in the config).")
@click.option("--fix-only", is_flag=True, help="Apply fixes as --fix, but do not report the remaining findings.")
@click.option("--diff", is_flag=True,
              help="Print the fixes as a unified diff and write nothing; exit 1 if there is any diff.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Read settings from FILE (a pyproject.toml or a kerascheck.toml) instead of searching "
                   "upward from the current directory for one.")
@click.option("--stdin-filename", metavar="NAME",
              help="Name to report (and to match per-file-ignores against) for input read from '-'.")
@click.option("--force-exclude", is_flag=True,
              help="Apply exclude patterns to explicitly named files too (for pre-commit).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="KERASCHECK_CACHE_DIR",
              show_envvar=True, metavar="DIR",
              help="Where to keep the results cache [default: .kerascheck_cache at the project root].")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Worker processes [default: the usable cores]; a pool starts only for enough files.")
@click.option("-q", "--quiet", is_flag=True, help="Do not print the summary line.")
@click.option("--statistics", "show_statistics", is_flag=True, help="Print the number of findings per rule.")
@click.option("--no-color", "no_color", is_flag=True, help="No colours in the full format (also: NO_COLOR).")
@click.option("-v", "--verbose", is_flag=True, help="Print the traceback of internal errors (for bug reports).")
@click.option("--show-settings", is_flag=True,
              help="Print the effective configuration for PATHS (config file, each rule on/off and why) and exit.")
@click.option("--show-files", is_flag=True, help="Print the files that would be linted and exit.")
@click.version_option(__version__, "--version", prog_name="kerascheck", message="%(prog)s %(version)s")
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    exit_zero: bool,
    fix: bool | None,
    unsafe_fixes: bool | None,
    fix_only: bool,
    diff: bool,
    config_file: str | None,
    stdin_filename: str | None,
    force_exclude: bool,
    no_cache: bool,
    cache_dir: str | None,
    jobs: int | None,
    quiet: bool,
    show_statistics: bool,
    no_color: bool,
    verbose: bool,
    show_settings: bool,
    show_files: bool,
) -> None:
    """Lint PATHS (files or directories; '-' reads standard input; default: '.').

    Findings go to stdout; the summary goes to stderr, so stdout is only findings. Exit status: 0 no
    findings, 1 findings, 2 usage, configuration or internal error (an internal error on one file is
    reported as a KC000 finding, the other files are still linted, and the exit status is 2).
    """
    if verbose:  # tracebacks come from relinting: a cached result has none to show
        os.environ["KERASCHECK_DEBUG"] = "1"
        no_cache = True
    from kerascheck.config import KerascheckError, load_config, resolve_settings, split_selectors
    from kerascheck.engine import lint_paths
    from kerascheck.report import write_report

    stdin: bytes | None = None
    try:
        config = load_config(config_file)
        settings = resolve_settings(
            config,
            select=split_selectors(select) if select else None,
            extend_select=split_selectors(extend_select),
            ignore=split_selectors(ignore),
        )
        if show_settings or show_files:
            from kerascheck.show import files_report, settings_report

            selectors = dict(select=split_selectors(select) if select else None,
                             extend_select=split_selectors(extend_select), ignore=split_selectors(ignore))
            click.echo(settings_report(config, settings, list(paths) or ["."], **selectors) if show_settings
                       else files_report(settings, list(paths) or ["."], force_exclude), nl=False)
            return
        if "-" in paths:
            stream = getattr(sys.stdin, "buffer", None)
            stdin = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
        cache = None if no_cache else _cache(settings, cache_dir)
        result = lint_paths(list(paths), settings, force_exclude=force_exclude, stdin=stdin,
                            stdin_filename=stdin_filename, cache=cache,
                            jobs=jobs if jobs is not None else _default_jobs())
        if ctx.get_parameter_source("output_format") in (click.core.ParameterSource.DEFAULT, None) \
                and settings.output_format:
            output_format = settings.output_format
    except KerascheckError as exc:
        _fail(str(exc))
        return
    except Exception as exc:
        if os.environ.get("KERASCHECK_DEBUG"):
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (set KERASCHECK_DEBUG=1 for a traceback)")
        return
    if cache is not None and cache.problem and not quiet:
        click.echo(f"kerascheck: warning: {cache.problem}", err=True)
    fixing = diff or fix_only or (fix if fix is not None else settings.fix)
    if fixing:
        unsafe = unsafe_fixes if unsafe_fixes is not None else settings.unsafe_fixes
        _fix(result, settings, unsafe=unsafe, diff=diff, fix_only=fix_only, quiet=quiet, exit_zero=exit_zero,
             output_format=output_format, show_statistics=show_statistics, no_color=no_color,
             stdin=stdin, stdin_path=None if stdin is None else _stdin_path(stdin_filename))
        return
    write_report(
        result.diagnostics,
        result.files_checked,
        output_format=output_format,
        stdout=sys.stdout,
        stderr=sys.stderr,
        quiet=quiet,
        show_statistics=show_statistics,
        no_colour=no_color,
        files_skipped=result.files_skipped,
    )
    if not quiet and output_format in ("concise", "text", "full") and not show_statistics:
        from kerascheck.fixes.run import fixable_hint

        hint = fixable_hint(result.diagnostics)
        if hint:
            click.echo(hint, err=True)
    _exit_for(result.diagnostics, quiet=quiet, exit_zero=exit_zero)


def _exit_for(diagnostics: Sequence[Any], *, quiet: bool, exit_zero: bool) -> None:
    """Exit 2 on an internal error, 1 on findings (unless ``exit_zero``), else return."""
    if any(d.name == "internal-error" for d in diagnostics):
        if not quiet:
            click.echo("kerascheck: error: kerascheck itself failed on some files (KC000 internal-error "
                       "above); rerun with --verbose for the traceback and please report it", err=True)
        raise click.exceptions.Exit(2)
    if diagnostics and not exit_zero:
        raise click.exceptions.Exit(1)


def _stdin_path(stdin_filename: str | None) -> str:
    from kerascheck.config import display_path

    return display_path(stdin_filename) if stdin_filename else "-"


def _fix(result: Any, settings: Any, *, unsafe: bool, diff: bool, fix_only: bool, quiet: bool, exit_zero: bool,
         output_format: str, show_statistics: bool, no_color: bool, stdin: bytes | None,
         stdin_path: str | None) -> None:
    """--fix / --fix-only / --diff: fix (or show the diff), then report what remains."""
    from kerascheck.fixes.run import fix_lint_results, summary
    from kerascheck.report import write_report

    run = fix_lint_results(result.diagnostics, settings, unsafe=unsafe, write=not diff, stdin=stdin,
                           stdin_path=stdin_path)
    for note in run.notes:
        click.echo(f"kerascheck: warning: {note}", err=True)
    if diff:
        sys.stdout.write("".join(run.diffs))
        sys.stdout.flush()
        if not quiet:
            click.echo(summary(run, diff=True), err=True)
        if any(d.name == "internal-error" for d in result.diagnostics):
            raise click.exceptions.Exit(2)
        raise click.exceptions.Exit(1 if run.diffs else 0)
    if run.stdin_output is not None:  # fixed standard input goes to stdout, findings to stderr
        sys.stdout.buffer.write(run.stdin_output) if hasattr(sys.stdout, "buffer") else \
            sys.stdout.write(run.stdin_output.decode("utf-8", "replace"))
        sys.stdout.flush()
        report_out = sys.stderr
    else:
        report_out = sys.stdout
    if not quiet and run.applied and (fix_only or output_format in ("concise", "text", "full")):
        click.echo(summary(run, diff=False), err=True)
    if fix_only:
        if any(d.name == "internal-error" for d in run.remaining):
            raise click.exceptions.Exit(2)
        return
    write_report(run.remaining, result.files_checked, output_format=output_format, stdout=report_out,
                 stderr=sys.stderr, quiet=quiet, show_statistics=show_statistics, no_colour=no_color,
                 files_skipped=result.files_skipped)
    if not quiet and not unsafe and output_format in ("concise", "text", "full"):
        hidden = sum(1 for d in run.remaining if d.fix is not None and not d.fix.safe)
        if hidden:
            click.echo(f"{hidden} more fixable with --unsafe-fixes (review them: they change behaviour).",
                       err=True)
    _exit_for(run.remaining, quiet=quiet, exit_zero=exit_zero)


@cli.command("run")
@click.argument("target", required=False, type=click.Path(dir_okay=False), metavar="[TARGET]")
@click.argument("script_args", nargs=-1, type=click.UNPROCESSED, metavar="[-- SCRIPT_ARGS]...")
@click.option("--entry", metavar="MODULE:FUNCTION",
              help="Check the compiled model a factory returns (pkg.module:build_model) instead of a script.")
@click.option("--data", "data_entry", metavar="MODULE:FUNCTION",
              help="With --entry: a function returning (x, y) for one batch [default: synthetic data].")
@click.option("--continue", "continue_after", is_flag=True,
              help="Let the script go on training after the checks (default: stop it at its first fit).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=300, show_default=True,
              metavar="SECONDS", help="Kill the script (and every process it started) after this long.")
@click.option("--memory-limit", metavar="SIZE",
              help="Address-space cap of the script's process, e.g. 8G; 'none' or 0 for no cap "
                   "[default: 75% of RAM].")
@click.option("--synthetic-data", is_flag=True,
              help="Replace keras.datasets loaders by offline arrays of the real shapes and ranges.")
@click.option("--max-samples", type=click.IntRange(min=1), metavar="N",
              help="Keep at most N examples of each synthetic dataset.")
@click.option("--keras2-compat", is_flag=True,
              help="Map one-to-one Keras 2 spellings (lr=, nb_epoch=, fit_generator...) so old scripts reach fit.")
@click.option("--output-format", type=click.Choice(RUN_FORMATS), default="text", show_default=True,
              envvar="KERASCHECK_OUTPUT_FORMAT", show_envvar=True,
              help="text: findings, then the per-layer table on stderr; json: one JSON object on stdout.")
@click.option("--select", multiple=True, metavar="CODES", help="Rules to enable (replaces the configured selection).")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Rules to enable in addition.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Rules to disable.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Read settings from FILE instead of searching upward for a pyproject.toml/kerascheck.toml.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("-q", "--quiet", is_flag=True, help="No progress, per-layer table or summary on stderr.")
@click.option("--show-output", is_flag=True,
              help="Stream the script's own output to stderr (default: keep it, show its tail on failure).")
def run(
    target: str | None,
    script_args: tuple[str, ...],
    entry: str | None,
    data_entry: str | None,
    continue_after: bool,
    timeout: float,
    memory_limit: str | None,
    synthetic_data: bool,
    max_samples: int | None,
    keras2_compat: bool,
    output_format: str,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_file: str | None,
    exit_zero: bool,
    quiet: bool,
    show_output: bool,
) -> None:
    """Run TARGET (a .py script or .ipynb notebook) up to its first fit() and check the live model.

    The script runs in a child process with a timeout and a memory cap; it is stopped at its first
    fit() (or train_on_batch()) unless --continue. Static findings of TARGET are reported too. Exit
    status: 0 clean, 1 findings, 2 the script could not be checked (error, no fit, timeout, crash),
    130 interrupted (143 SIGTERM, 129 SIGHUP); info notes on checks that could not be done do not
    count as findings. With --entry, arguments after -- become the factory's
    sys.argv[1:].
    """
    from kerascheck.config import KerascheckError, load_config, resolve_settings, split_selectors
    from kerascheck.runtime import run_command
    from kerascheck.runtime.launcher import Limits, parse_memory_limit

    if entry and target is not None and not target.endswith((".py", ".ipynb")):
        # click has already dropped the ``--``: with --entry there is no TARGET, so it is the first arg
        target, script_args = None, (target, *script_args)
    if not run_command.tensorflow_available():
        _fail(run_command.NO_TENSORFLOW)
    args = run_command.RunArgs(target=target, script_args=script_args, entry=entry, data=data_entry,
                               continue_after=continue_after, synthetic_data=synthetic_data,
                               max_samples=max_samples, keras2_compat=keras2_compat, show_output=show_output,
                               exit_zero=exit_zero)
    try:
        limits = Limits(timeout=timeout, memory=parse_memory_limit(memory_limit))
        settings = resolve_settings(load_config(config_file), select=split_selectors(select) if select else None,
                                    extend_select=split_selectors(extend_select), ignore=split_selectors(ignore))
        if not quiet and sys.stderr.isatty():
            what = entry or target
            click.echo(f"running {what} (importing TensorFlow)...", err=True)
        report = run_command.execute(args, settings, limits, echo=sys.stderr if show_output else None)
    except (KerascheckError, ValueError) as exc:
        _fail(str(exc))
        return
    except KeyboardInterrupt:  # before the child started or after it ended (the launcher handles the rest)
        click.echo("kerascheck: interrupted", err=True)
        raise click.exceptions.Exit(130) from None
    _write_run_report(report, output_format, quiet=quiet, output_shown=show_output)
    raise click.exceptions.Exit(report.exit_code)


def _write_run_report(report: Any, output_format: str, *, quiet: bool, output_shown: bool) -> None:
    """Findings on stdout; the table, the failure explanation and the summary on stderr."""
    from kerascheck.report import text
    from kerascheck.runtime.outcome import failure_text
    from kerascheck.runtime.run_report import layer_table, write_json_document

    if output_format == "json":
        write_json_document(report, sys.stdout)
        return
    text.write_text(report.diagnostics, sys.stdout)
    sys.stdout.flush()
    if report.measurements is not None and not quiet:
        table = layer_table(report.measurements)
        if table:
            click.echo("\n" + table, err=True, nl=False)
    if report.message is not None:
        click.echo(failure_text(report, output_shown=output_shown), err=True)
    elif not quiet:
        click.echo(text.summary(report.diagnostics, 1), err=True)


@cli.command("rule")
@click.argument("code", required=False, metavar="CODE_OR_NAME")
@click.option("--all", "show_all", is_flag=True, help="List every rule.")
@click.option("--output-format", type=click.Choice(RUN_FORMATS), default="text", show_default=True,
              help="text: the rule's page (or a table with --all); json: the same as one JSON document.")
def rule(code: str | None, show_all: bool, output_format: str) -> None:
    """Explain a rule (by code or name), or list them all with --all."""
    from kerascheck import docs
    from kerascheck.rules.base import all_rules, rule_by_code_or_name

    if show_all == (code is not None):
        _fail("give either a rule code/name or --all")
    if show_all:
        rules = list(all_rules().values())
        if output_format == "json":
            click.echo(_json([_rule_json(r) for r in rules]))
        else:
            click.echo(_rule_table(rules), nl=False)
        return
    assert code is not None
    found = rule_by_code_or_name(code)
    if found is None:
        _fail(f"unknown rule '{code}' (see 'kerascheck rule --all')")
        return
    if output_format == "json":
        entry = _rule_json(found)
        entry["options"] = {name: {"default": opt.default, "doc": opt.doc} for name, opt in found.options.items()}
        entry["page"] = docs.rule_page(found)
        click.echo(_json(entry))
    else:
        click.echo(docs.rule_page(found), nl=False)


@cli.command("server")
@click.option("--stdio", is_flag=True, help="Talk LSP over standard input/output (the default and only transport; "
              "accepted because many editors pass it).")
def server(stdio: bool) -> None:
    """Run the language server over stdio: diagnostics as you type, fixes and noqa as code actions.

    Needs the 'lsp' extra (pip install 'kerascheck[lsp]'). Editors start it themselves: see the README's
    Editors section for VS Code, Neovim, Emacs and Helix set-ups.
    """
    from kerascheck.server import INSTALL_HINT, pygls_available

    if not pygls_available():
        _fail(INSTALL_HINT)
    from kerascheck.server.server import main as serve

    serve()


def _cache(settings: Any, cache_dir: str | None) -> Any:
    from pathlib import Path

    from kerascheck.cache import ResultCache, default_cache_dir, settings_fingerprint

    root = Path(cache_dir) if cache_dir else default_cache_dir(settings.project_root)
    return ResultCache(root, settings_fingerprint(settings))


def _default_jobs() -> int:
    from kerascheck.parallel import usable_cores

    return usable_cores()


def _rule_json(rule: Any) -> dict[str, Any]:
    from kerascheck import docs

    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "default_enabled": bool(rule.default_enabled),
        "autofix": rule.fixable != "none",
        "fix": rule.fixable,
        "summary": docs.summary(rule),
    }


def _json(value: Any) -> str:
    import json

    return json.dumps(value, indent=2, ensure_ascii=False,
                      default=lambda o: sorted(o) if isinstance(o, (set, frozenset)) else repr(o))


def _rule_table(rules: Sequence[Any]) -> str:
    header = ("CODE", "NAME", "SEVERITY", "DEFAULT-ON", "FIX")
    rows = [header] + [
        (r.code, r.name, r.severity.value, "yes" if r.default_enabled else "no", r.fixable)
        for r in rules
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() + "\n" for row in rows)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point (``kerascheck``) and ``python -m kerascheck``."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="kerascheck")
    except BrokenPipeError:
        # ``kerascheck . | head``: stop quietly, and keep Python from complaining while flushing at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
