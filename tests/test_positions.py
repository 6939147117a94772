"""Positions computed from the innermost statement equal libcst's whole-module positions."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from kerascheck.facts.model import Loc
from kerascheck.positions import PositionResolver

SOURCES = {
    "nested": '''#!/usr/bin/env python
# comment

import keras
x = 1; y = keras.layers.Dense(3)

# lead
@dec
# between
@dec2(
  1)
def f(a,
      b):
    \t
    return keras.ops.log(a)   # c

class C:
    def m(self):
        z = 1 / (a +
           b)
        if z:
            w = g(z)
        elif z > 1:
            w = h(z, k(1))
        else:
            for i in range(3):
                w = q(i)
            else:
                w = r()
        try:
            v = s(w)
        except ValueError as e:
            v = t(e)
        finally:
            u = vv(1)
        while v:
            with open("f") as fh, ctx(2):
                v = fh.read(); v2 = more(v)
        return v
''',
    "tabs_crlf": "import keras\r\nif True:\r\n\tm = keras.Sequential([\r\n\t\tkeras.layers.Dense(1)])\r\n\tdef f():\r\n\t\treturn g(1)\r\n",
    "unicode": "import keras\n# é ü\ndef f():\n    s = 'héllo'; t = g('ü', h(1))\n    return t\n",
    "match": "import keras\nmatch x:\n    case 1:\n        y = f(1)\n    case _:\n        y = g(2)\n",
    "one_liners": "import keras\ndef f(): return g(1)\nclass K: pass\nif x: y = h(2)\n",
}


def _locs(module: cst.Module) -> list[Loc]:
    """A Loc (with its statement path) for every call, name and binary operation in the module."""
    found: list[Loc] = []

    def walk(node: cst.CSTNode, path: tuple) -> None:
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            path = path + (node,)
        if isinstance(node, (cst.Call, cst.Name, cst.BinaryOperation, cst.Arg)) and path:
            found.append(Loc(node, path[0], path=path))
        for child in node.children:
            walk(child, path)

    for stmt in module.body:
        walk(stmt, ())
    return found


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_statement_local_positions_match_whole_module(name):
    source = SOURCES[name]
    module = cst.parse_module(source)
    whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    resolver = PositionResolver(module, source)
    locs = _locs(module)
    assert len(locs) > 5
    for loc in locs:
        expected = whole[loc.node]
        want = (expected.start.line, expected.start.column + 1, expected.end.line, expected.end.column + 1)
        assert resolver.span(loc) == want, cst.Module([]).code_for_node(loc.node)


def test_without_a_path_the_top_statement_is_used():
    source = "import keras\n\n\nm = keras.Sequential(\n    [keras.layers.Dense(1)]\n)\n"
    module = cst.parse_module(source)
    call = module.body[1].body[0].value
    assert PositionResolver(module, source).span(Loc(call, module.body[1])) == (4, 5, 6, 2)


def test_runtime_locations_use_their_recorded_line():
    module = cst.parse_module("import keras\n")
    assert PositionResolver(module, "import keras\n").span(Loc(file="x.py", line=7)) == (7, 1, 7, 1)


@pytest.mark.parametrize("module_name", ["textwrap", "shlex", "dataclasses"])
def test_real_modules_positions_match_whole_module(module_name):
    """Real code (decorators, nested defs, try/else, docstrings, continuation lines) agrees too."""
    import importlib
    import inspect

    source = inspect.getsource(importlib.import_module(module_name))
    module = cst.parse_module(source)
    whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    resolver = PositionResolver(module, source)
    locs = [loc for loc in _locs(module) if isinstance(loc.node, cst.Call)]
    assert len(locs) > 50
    for loc in locs:
        expected = whole[loc.node]
        want = (expected.start.line, expected.start.column + 1, expected.end.line, expected.end.column + 1)
        assert resolver.span(loc) == want, cst.Module([]).code_for_node(loc.node)


@pytest.mark.parametrize(
    "source",
    [
        "x = '''a\n# not a comment\n(''' ; y = 1\nz = [\n 1,  # c\n 2]\n",
        "s = 'a\\\nb'\nt = r'\\\\'\nu = f\"{x!r}\" \\\n    + 'q'\n",
        "@d\n@e(1,\n   2)\nclass K:\n    def f(self): return 1\n    x = 2\n",
        "if a:\n    pass\nelif b:\n    pass\nelse:\n    pass\ntry:\n    pass\nexcept E:\n    pass\nelse:\n    pass\nfinally:\n    pass\n",
        "for i in x:\n    pass\nelse:\n    pass\nwhile y:\n    pass\nwith a as b, c:\n    pass\n",
        "match p:\n    case [1, 2]:\n        pass\n    case _:\n        pass\n",
        "x = 1\r\ny = (\r\n 2)\r\n\r\n# end\r\n",
    ],
)
def test_logical_line_scan_agrees_with_the_parser(source):
    import ast

    from kerascheck.statement_lines import statement_starts

    module = cst.parse_module(source)
    starts = statement_starts(module, source)
    assert starts is not None
    tree = ast.parse(source)
    position = 0
    for stmt in module.body:
        assert starts[id(stmt)][0] == tree.body[position].lineno
        position += len(stmt.body) if isinstance(stmt, cst.SimpleStatementLine) else 1


def test_scan_gives_up_rather_than_guess_on_unterminated_strings():
    from kerascheck.statement_lines import logical_lines

    assert logical_lines("x = '''never closed\n") is None
