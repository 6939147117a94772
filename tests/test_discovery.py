"""File discovery: what is walked, what is skipped, and how exclude patterns read."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck.discovery import PathNotFoundError, discover, is_excluded, path_matches


def rel(paths: list[str], root: Path) -> list[str]:
    return [Path(p).resolve().relative_to(root.resolve()).as_posix() for p in paths]


def test_walk_finds_py_and_pyi_in_sorted_order(tmp_path: Path, write) -> None:
    for name in ("b.py", "a.py", "pkg/c.pyi", "pkg/sub/d.py", "notes.txt", "script", "pkg/e.pyc"):
        write(name)
    found = discover([str(tmp_path)], project_root=str(tmp_path))
    assert rel(found, tmp_path) == ["a.py", "b.py", "pkg/c.pyi", "pkg/sub/d.py"]


def test_walk_skips_tooling_and_virtualenv_directories(tmp_path: Path, write) -> None:
    for name in (
        ".git/hooks/x.py", ".hidden/x.py", "__pycache__/x.py", "node_modules/x.py", "build/x.py", "dist/x.py",
        "venv/lib/x.py", ".venv/lib/x.py", "lib/python3.11/site-packages/keras/x.py",
        "myenv/lib/x.py", "env/lib/x.py",
    ):
        write(name)
    write("myenv/pyvenv.cfg", "home = /usr/bin\n")
    write("env/pyvenv.cfg", "home = /usr/bin\n")
    write("rl/env/cartpole.py")  # an 'env' package that is not a virtualenv is user code
    write("src/.hidden_file.py")  # only hidden directories are skipped
    found = discover([str(tmp_path)], project_root=str(tmp_path))
    assert rel(found, tmp_path) == ["rl/env/cartpole.py", "src/.hidden_file.py"]


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("tests/corpus", "tests/corpus/a.py", True),
        ("tests/corpus", "tests/corpus", True),
        ("tests/corpus", "other/tests/corpus/a.py", False),  # anchored: contains a slash
        ("tests/corpus/", "tests/corpus/x/y.py", True),
        ("/tests", "tests/a.py", True),
        ("legacy/*.py", "legacy/old.py", True),
        ("legacy/*.py", "legacy/sub/old.py", False),  # '*' does not cross '/'
        ("legacy/**/*.py", "legacy/sub/deep/old.py", True),
        ("legacy/**/*.py", "legacy/old.py", True),
        ("**/generated", "a/b/generated/x.py", True),
        ("generated", "a/b/generated/x.py", True),  # no slash: any component
        ("*_pb2.py", "proto/model_pb2.py", True),
        ("*_pb2.py", "proto/model_pb2.pyi", False),
        ("ex?mple.py", "example.py", True),
        ("[ab].py", "a.py", True),
        ("[!ab].py", "a.py", False),
        ("./scripts", "scripts/x.py", True),
        ("scripts", "myscripts/x.py", False),
    ],
)
def test_path_matches(pattern: str, path: str, expected: bool) -> None:
    assert path_matches(path, pattern) is expected


def test_exclude_patterns_prune_the_walk(tmp_path: Path, write) -> None:
    for name in ("tests/corpus/a.py", "tests/test_a.py", "legacy/old.py", "legacy/sub/keep.py",
                 "src/gen/x.py", "src/main.py"):
        write(name)
    found = discover([str(tmp_path)], project_root=str(tmp_path),
                     exclude=["tests/corpus", "legacy/*.py", "gen"])
    assert rel(found, tmp_path) == ["legacy/sub/keep.py", "src/main.py", "tests/test_a.py"]


def test_exclude_is_relative_to_the_project_root_not_the_walked_directory(tmp_path: Path, write) -> None:
    write("tests/corpus/a.py")
    write("tests/b.py")
    found = discover([str(tmp_path / "tests")], project_root=str(tmp_path), exclude=["tests/corpus"])
    assert rel(found, tmp_path) == ["tests/b.py"]


def test_explicit_files_are_linted_even_when_excluded_unless_forced(tmp_path: Path, write) -> None:
    path = write("tests/corpus/a.py")
    write("tests/corpus/b.py")
    assert discover([str(path)], project_root=str(tmp_path), exclude=["tests/corpus"]) == [str(path)]
    assert discover([str(path)], project_root=str(tmp_path), exclude=["tests/corpus"], force_exclude=True) == []
    # An explicitly named excluded directory is dropped as a whole with force_exclude.
    assert discover([str(tmp_path / "tests")], project_root=str(tmp_path), exclude=["tests"],
                    force_exclude=True) == []


def test_explicit_files_keep_their_order_and_appear_once(tmp_path: Path, write) -> None:
    b, a = write("b.py"), write("a.py")
    found = discover([str(b), str(a), str(tmp_path), str(b)], project_root=str(tmp_path))
    assert found[:2] == [str(b), str(a)]
    assert len(found) == 2


def test_explicit_non_python_file_is_linted(tmp_path: Path, write) -> None:
    path = write("train_script")
    assert discover([str(path)], project_root=str(tmp_path)) == [str(path)]


def test_missing_path_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(PathNotFoundError, match="path does not exist: nope.py"):
        discover([str(tmp_path), "nope.py"], project_root=str(tmp_path))


def test_is_excluded_outside_the_root_uses_the_absolute_path(tmp_path: Path) -> None:
    assert is_excluded(tmp_path / "a" / "gen" / "x.py", tmp_path / "a", ["gen"])
    assert not is_excluded(tmp_path / "b" / "x.py", tmp_path / "a", ["gen"])
    assert not is_excluded(tmp_path / "a" / "x.py", tmp_path / "a", [])


# -- .gitignore ------------------------------------------------------------------------------------


def _repo(tmp_path: Path) -> Path:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    return tmp_path


def test_gitignored_files_and_folders_are_skipped_inside_a_repository(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / ".gitignore").write_text("build/\n*_generated.py\n!keep_generated.py\n")
    (repo / ".git" / "info" / "exclude").write_text("scratch.py\n")
    for name in ("train.py", "model_generated.py", "keep_generated.py", "scratch.py", "build/out.py",
                 "sub/a.py", "sub/local.py"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("x = 1\n")
    (repo / "sub" / ".gitignore").write_text("local.py\n")
    found = discover([str(repo)], project_root=str(repo), respect_gitignore=True)
    assert sorted(Path(p).relative_to(repo).as_posix() for p in found) == [
        "keep_generated.py", "sub/a.py", "train.py"]
    everything = discover([str(repo)], project_root=str(repo), respect_gitignore=False)
    assert len(everything) == 6  # build/ is always skipped


def test_gitignore_outside_a_repository_is_not_applied(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n")
    (tmp_path / "a.py").write_text("x = 1\n")
    assert discover([str(tmp_path)], project_root=str(tmp_path), respect_gitignore=True) == [str(tmp_path / "a.py")]


def test_named_gitignored_file_is_linted_unless_force_exclude(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / ".gitignore").write_text("gen/\n")
    (repo / "gen").mkdir()
    target = repo / "gen" / "x.py"
    target.write_text("x = 1\n")
    assert discover([str(target)], project_root=str(repo), respect_gitignore=True) == [str(target)]
    assert discover([str(target)], project_root=str(repo), respect_gitignore=True, force_exclude=True) == []


def test_exclude_patterns_mean_what_they_mean_in_gitignore(tmp_path: Path) -> None:
    for name in ("a/b/gen.py", "a/keep.py", "legacy/old.py", "x/legacy/old.py", "top.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    found = discover([str(tmp_path)], project_root=str(tmp_path), exclude=["/legacy", "a/**/gen.py", "*.py", "!a/keep.py", "!top.py"])
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p in found) == ["a/keep.py", "top.py"]
