"""Assemble a corpus of real, public Keras programs from local git mirrors, outside the repository.

    python benchmarks/real_corpus.py OUTDIR [--mirrors /work/.mirror] [--list]

Correct public code (keras.io examples, the Deep Learning with Python notebooks) is what the linter
must stay quiet on, and real files are what a speed benchmark should measure; neither may be copied
into this repository. This script writes them under ``OUTDIR`` from the mirrors present on this
machine (``MIRRORS/owner+name/repo``, bare git directories as the ``fetch`` tool leaves them), each at
the commit pinned below, so two runs give the same files:

- ``.py`` files are copied as they are;
- ``.ipynb`` notebooks become ``.py`` files of their code cells (``# In[N]:`` between cells, IPython
  line magics and shell escapes turned into ``pass  # %magic``, cell magics commented out), unless a ``.py`` of the same stem is in the same or
  the parent folder (keras.io keeps ``examples/x/name.py`` and ``examples/x/ipynb/name.ipynb``);
- only files that mention keras or tensorflow are kept (what kerascheck would lint at all), and only
  those CPython compiles (a notebook whose cells only run under IPython is counted as not valid).

It prints one line per repository (files, lines, what was skipped) and the totals. A mirror that is
absent, or lacks the pinned commit, is reported and skipped; ``--any-commit`` takes its HEAD instead.
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

DEFAULT_MIRRORS = Path("/work/.mirror")


@dataclass(frozen=True)
class Source:
    """One public repository: where its files are, at which commit, which folders count."""

    repo: str  # owner/name
    commit: str
    folders: tuple[str, ...] = ()  # path prefixes to take (empty: the whole tree)


SOURCES = (
    # keras.io examples and guides (a translation fork: the code is keras.io's).
    Source("wariua/keras-io-ko", "4be4d9ff595fd2f03167a16445bd158cdd977190",
           ("examples/", "guides/")),
    Source("fchollet/deep-learning-with-python-notebooks",
           "dea84a4e12cc3bb3cb61ce952a0168bca113d315"),
    Source("MachineNeil/keras-io-examples-revamped", "40189465ca553c859ec892696b7578f1c238b2f7"),
    Source("ageron/handson-ml3", "e3f3f9e66d58cfa1d068a498433063a1d3fba9ef"),
    Source("ageron/handson-ml2", "1e2115277b50f6c584cd668fa30e3af309a5b136"),
    Source("tensorflow/docs", "7c3650212740204359d4ceae481abc79345541be",
           ("site/en/tutorials/", "site/en/guide/")),
    Source("keras-team/keras-io", "", ("examples/", "guides/")),  # any commit, when mirrored
)
_MENTIONS = ("keras", "tensorflow")


def git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(git_dir), *args], check=True,
                          capture_output=True).stdout


def notebook_to_script(raw: bytes) -> str | None:
    """The code cells of a notebook as one script; None when it is not a readable notebook."""
    try:
        notebook = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return None
    parts: list[str] = []
    for number, cell in enumerate((c for c in cells if isinstance(c, dict)
                                   and c.get("cell_type") == "code"), 1):
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        lines = text.splitlines()
        if next((line for line in lines if line.strip()), "").lstrip().startswith("%%"):
            lines = [f"# {line}" for line in lines]  # a cell magic (%%bash...): not Python
        else:
            lines = [_magic_as_pass(line) for line in lines]
        parts.append(f"# In[{number}]:\n" + "\n".join(lines) + "\n")
    return "\n\n".join(parts)


def _magic_as_pass(line: str) -> str:
    """``%pip install x`` / ``!ls`` (also inside a block) becomes ``pass  # %pip install x``, so
    the block around it stays valid Python."""
    stripped = line.lstrip()
    if not stripped.startswith(("%", "!")):
        return line
    return f"{line[:len(line) - len(stripped)]}pass  # {stripped}"


def _compiles(text: str) -> bool:
    """Whether CPython accepts the text (the floor and the linter then parse the same files)."""
    try:
        compile(text, "<corpus>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except (SyntaxError, ValueError):
        return False
    return True


def _has_script_twin(path: PurePosixPath, scripts: set[PurePosixPath]) -> bool:
    stem = path.stem
    return any(folder / f"{stem}.py" in scripts for folder in (path.parent, path.parent.parent))


def assemble(source: Source, mirrors: Path, out: Path, any_commit: bool) -> str:
    """Write one repository's files under ``out``; return its summary line."""
    git_dir = mirrors / source.repo.replace("/", "+") / "repo"
    if not git_dir.exists():
        return f"{source.repo}: no mirror at {git_dir} (skipped)"
    commit = source.commit
    try:
        if not commit or any_commit:
            commit = git(git_dir, "rev-parse", "HEAD").decode().strip()
        git(git_dir, "cat-file", "-e", f"{commit}^{{commit}}")
    except subprocess.CalledProcessError:
        return f"{source.repo}: commit {commit[:12]} not in the mirror (skipped; --any-commit)"
    names = [PurePosixPath(n) for n in git(git_dir, "ls-tree", "-r", "--name-only", commit)
             .decode("utf-8", "replace").splitlines()]
    names = [n for n in names if not source.folders or str(n).startswith(source.folders)]
    scripts = {n for n in names if n.suffix == ".py"}
    kept = skipped_twin = skipped_unrelated = absent = invalid = lines = 0
    target_root = out / source.repo.replace("/", "+")
    for name in names:
        if name.suffix not in (".py", ".ipynb"):
            continue
        if name.suffix == ".ipynb" and _has_script_twin(name, scripts):
            skipped_twin += 1
            continue
        try:
            raw = git(git_dir, "show", f"{commit}:{name}")
        except subprocess.CalledProcessError:
            absent += 1  # the mirror lists the largest files without their contents
            continue
        if name.suffix == ".ipynb":
            text = notebook_to_script(raw)
            if text is None:
                continue
            name = name.with_suffix(".py")
        else:
            text = raw.decode("utf-8", "replace")
        if not any(word in text for word in _MENTIONS):
            skipped_unrelated += 1
            continue
        if not _compiles(text):  # notebook cells that only run with IPython, in order, etc.
            invalid += 1
            continue
        target = target_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        kept += 1
        lines += text.count("\n") + 1
    return (f"{source.repo}@{commit[:12]}: {kept} files, {lines} lines "
            f"(skipped {skipped_twin} notebooks with a .py twin, {skipped_unrelated} files "
            f"without keras/tensorflow, {invalid} not valid Python, {absent} absent from the mirror)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS)
    parser.add_argument("--any-commit", action="store_true",
                        help="use each mirror's HEAD when the pinned commit is missing")
    parser.add_argument("--list", action="store_true", help="print the written paths")
    args = parser.parse_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    for source in SOURCES:
        print(assemble(source, args.mirrors, args.outdir, args.any_commit))
    written = sorted(p for p in args.outdir.rglob("*.py"))
    if args.list:
        for path in written:
            print(path)
    print(f"total: {len(written)} files under {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
