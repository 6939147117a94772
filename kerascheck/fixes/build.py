"""Turn a rule's ``FixIntent`` into positioned text edits (the only fix code that knows libcst).

Imported by the engine only for files with a finding that carries a fix, after positions have
been computed for it, so a clean or cached run never loads it. Each operation first checks that the
syntax has exactly the shape it expects (a keyword argument, a plain string literal, a call without
``**kwargs``...) and raises ``NoFix`` otherwise: then the finding is reported without a fix, which is
always better than a fix that guesses.

Edits are computed as offsets in the linted text and converted to 1-based positions with the same
line splitting as the applier. Node spans come from the engine's ``PositionResolver`` (statement-local,
cheap), looked up with the reported ``Loc``'s statement path; everything between nodes (commas,
parentheses, comments) is read from the text, so the edits touch nothing but what they change.
"""

from __future__ import annotations

from typing import Any, Iterator

import libcst as cst

from kerascheck.diagnostics import Edit, Fix
from kerascheck.facts.model import Loc
from kerascheck.fixes import intents as fx
from kerascheck.fixes.apply import TextIndex

__all__ = ["NoFix", "FixBuilder"]


class NoFix(Exception):
    """The syntax at the site is not what the fix expects: report the finding without a fix."""


class FixBuilder:
    """Builds the fixes of one file: one per finding, sharing the position resolver and text index."""

    def __init__(self, module: cst.Module, text: str, resolver: Any) -> None:
        self.module = module
        self.text = text
        self.index = TextIndex(text)
        self.resolver = resolver

    def build(self, intent: fx.FixIntent) -> Fix | None:
        """The fix, or ``None`` when one of its operations does not apply cleanly here."""
        edits: list[Edit] = []
        try:
            for op in intent.ops:
                edits.extend(self.index.edit(s, e, c) for s, e, c in self._op(op))
        except (NoFix, ValueError, KeyError):
            return None
        if not edits:
            return None
        edits.sort(key=lambda e: (e.line, e.column, e.end_line, e.end_column))
        return Fix(message=intent.message, edits=tuple(edits), safe=intent.safe)

    # -- operations ------------------------------------------------------------------------------

    def _op(self, op: fx.FixOp) -> list[tuple[int, int, str]]:
        if isinstance(op, fx.RenameKeyword):
            return self._rename_keyword(op)
        if isinstance(op, fx.DeleteArgument):
            return self._delete_argument(op)
        if isinstance(op, fx.SetKeyword):
            return self._set_keyword(op)
        if isinstance(op, fx.ReplaceString):
            return self._replace_string(op)
        if isinstance(op, fx.ReplaceWithKerasCall):
            return self._replace_with_keras_call(op)
        if isinstance(op, fx.ReplaceImportModule):
            return self._replace_import_module(op)
        if isinstance(op, fx.OneOf):
            for option in op.options:
                try:
                    return self._op(option)
                except NoFix:
                    continue
            raise NoFix("no option applies")
        if isinstance(op, fx.RenameMethod):
            return self._rename_method(op)
        if isinstance(op, fx.JoinPositional):
            return self._join_positional(op)
        if isinstance(op, fx.MoveKeywordIntoCall):
            return self._move_keyword(op)
        if isinstance(op, fx.ClampLogArgument):
            return self._clamp_log_argument(op)
        raise NoFix(f"unknown operation {type(op).__name__}")

    def _rename_keyword(self, op: fx.RenameKeyword) -> list[tuple[int, int, str]]:
        arg = _node(op.arg, cst.Arg)
        if arg.keyword is None:
            raise NoFix("not a keyword argument")
        call = self._parent_call(op.arg, arg)
        if any(a.keyword is not None and a.keyword.value == op.new for a in call.args):
            raise NoFix(f"{op.new}= is already given")
        if any(a.star == "**" for a in call.args):
            raise NoFix("**kwargs could hold the new keyword too")
        start, end = self._span(op.arg, arg.keyword)
        edits = [(start, end, op.new)]
        values = dict(op.values)
        if values and isinstance(arg.value, cst.SimpleString):
            old = arg.value.evaluated_value
            if isinstance(old, str) and old in values:
                edits.append(self._string_edit(op.arg, arg.value, values[old]))
        return edits

    def _delete_argument(self, op: fx.DeleteArgument) -> list[tuple[int, int, str]]:
        if op.keyword is not None:
            call = _node(op.arg, cst.Call)
            arg = next((a for a in call.args if a.keyword is not None and a.keyword.value == op.keyword), None)
            if arg is None:
                raise NoFix(f"no {op.keyword}= argument")
        else:
            arg = _node(op.arg, cst.Arg)
            call = self._parent_call(op.arg, arg)
        if arg.star:
            raise NoFix("a starred argument")
        args = list(call.args)
        i = next(k for k, a in enumerate(args) if a is arg)
        start, end = self._span(op.arg, arg)
        comma_end = self._comma_end(op.arg, arg, end)
        text = self.text
        if i + 1 < len(args):
            following, _ = self._span(op.arg, args[i + 1])
            gap = text[comma_end:following]
            if "#" not in gap and "\\" not in gap:
                return [(start, following, "")]
            return [(start, _skip_spaces(text, comma_end), "")]
        if i > 0 and comma_end == end:  # the last argument, without a trailing comma
            previous_end = self._comma_start(op.arg, args[i - 1])
            gap = text[previous_end:start]
            if "#" not in gap and "\\" not in gap:
                return [(previous_end, end, "")]
            return [(start, end, "")]  # the previous comma stays, as a (valid) trailing comma
        return self._delete_with_line(start, comma_end)

    def _set_keyword(self, op: fx.SetKeyword) -> list[tuple[int, int, str]]:
        call = _node(op.call, cst.Call)
        if any(a.star for a in call.args):
            raise NoFix("*args/**kwargs could already hold the keyword")
        for a in call.args:
            if a.keyword is not None and a.keyword.value == op.keyword:
                start, end = self._span(op.call, a.value)
                return [(start, end, op.value)]
        positional = sum(1 for a in call.args if a.keyword is None)
        if op.positional is not None and positional > op.positional:
            raise NoFix("a positional argument already stands where the keyword goes")
        new = f"{op.keyword}={op.value}"
        if not call.args:
            return [(self._open_paren_end(op.call, call), self._open_paren_end(op.call, call), new)]
        last = call.args[-1]
        start, end = self._span(op.call, last)
        comma_end = self._comma_end(op.call, last, end)
        if comma_end == end:
            return [(end, end, f", {new}")]
        close = self._close_paren(op.call, call)
        line_start = self.index.starts[self.index.position(close)[0] - 1]
        if self.text[line_start:close].strip() == "":  # `)` on its own line: one argument per line
            indent_start = self.index.starts[self.index.position(start)[0] - 1]
            indent = self.text[indent_start:start]
            if indent.strip():
                raise NoFix("cannot tell the argument indentation")
            newline = self._newline()
            return [(line_start, line_start, f"{indent}{new},{newline}")]
        return [(comma_end, comma_end, f" {new},")]

    def _replace_string(self, op: fx.ReplaceString) -> list[tuple[int, int, str]]:
        node = op.node.node
        if isinstance(node, cst.Call):
            node = _argument(node, op.keyword, op.position)
        if isinstance(node, cst.Arg):
            node = node.value
        if not isinstance(node, cst.SimpleString):
            raise NoFix("not a plain string literal")
        return [self._string_edit(op.node, node, op.value)]

    def _replace_with_keras_call(self, op: fx.ReplaceWithKerasCall) -> list[tuple[int, int, str]]:
        node = op.node.node
        if isinstance(node, cst.Arg):
            node = node.value
        if not isinstance(node, cst.SimpleString) or (
                op.expect is not None and node.evaluated_value != op.expect):
            raise NoFix("not the expected string literal")
        keras = self._keras_name()
        start, end = self._span(op.node, node)
        return [(start, end, f"{keras}.{op.suffix}")]

    def _replace_import_module(self, op: fx.ReplaceImportModule) -> list[tuple[int, int, str]]:
        statement = _statement(op.node)
        target = op.node.node
        found = None
        for small in _smalls(statement):
            if isinstance(small, cst.ImportFrom) and (small.module is target or (
                    not isinstance(small.names, cst.ImportStar)
                    and any(alias.name is target for alias in small.names))):
                found = small
        if found is None or found.relative or found.module is None:
            raise NoFix("not a `from MODULE import names` statement")
        if isinstance(found.names, cst.ImportStar):
            raise NoFix("a star import would bind other names from the new module")
        if _dotted(found.module) != op.old:
            raise NoFix("another module")
        for alias in found.names:
            name = alias.name.value if isinstance(alias.name, cst.Name) else None
            if name is None or name.startswith("_") or name in op.exclude or (
                    op.names is not None and name not in op.names):
                raise NoFix(f"{name} has no one-to-one new home")
        start, end = self._span(op.node, found.module)
        return [(start, end, op.new)]

    def _move_keyword(self, op: fx.MoveKeywordIntoCall) -> list[tuple[int, int, str]]:
        arg = _node(op.arg, cst.Arg)
        if arg.keyword is None:
            raise NoFix("not a keyword argument")
        outer = self._parent_call(op.arg, arg)
        inner = outer.args[0].value if outer.args and outer.args[0].keyword is None else None
        if not isinstance(inner, cst.Call) or outer.args[0] is arg:
            raise NoFix("the first argument is not a layer call")
        start, end = self._span(op.arg, arg)  # an Arg's span covers its value's parentheses
        moved = self.text[start:end]
        if "#" in moved or "\n" in moved or "\r" in moved:
            raise NoFix("the argument spans lines or holds a comment")
        insert = self._set_keyword(fx.SetKeyword(Loc(inner, op.arg.top, path=op.arg.path), arg.keyword.value, "\0"))
        (at, at_end, content), = insert
        if at != at_end:
            raise NoFix(f"the layer already has {arg.keyword.value}=")
        return [(at, at, content.replace(f"{arg.keyword.value}=\0", moved)),
                *self._delete_argument(fx.DeleteArgument(op.arg))]

    def _join_positional(self, op: fx.JoinPositional) -> list[tuple[int, int, str]]:
        call = _node(op.call, cst.Call)
        joined = list(call.args[op.start:op.start + op.count])
        if len(joined) != op.count or any(a.keyword is not None or a.star for a in call.args[:op.start + op.count]):
            raise NoFix("not that many positional arguments")
        start, _ = self._span(op.call, joined[0])  # Arg spans: an expression's own excludes its parentheses
        _, end = self._span(op.call, joined[-1])
        if "#" in self.text[start:end] or "\\" in self.text[start:end]:
            raise NoFix("comments or continuations between the arguments")
        parts = [self.text[slice(*self._span(op.call, a))] for a in joined]
        return [(start, end, f"({', '.join(parts)})")]

    def _rename_method(self, op: fx.RenameMethod) -> list[tuple[int, int, str]]:
        name = _node(op.node, cst.Name)
        if name.value != op.old:
            raise NoFix("another method")
        call = next((n for n in _walk(_statement(op.node)) if isinstance(n, cst.Call)
                     and isinstance(n.func, cst.Attribute) and n.func.attr is name), None)
        if call is None:
            raise NoFix("the method is not called here")
        if any(a.star for a in call.args):
            raise NoFix("*args/**kwargs: cannot check the arguments")
        if op.max_positional is not None and sum(a.keyword is None for a in call.args) > op.max_positional:
            raise NoFix("positional arguments the new method orders differently")
        if any(a.keyword is not None and a.keyword.value in op.forbidden for a in call.args):
            raise NoFix("a keyword the new method does not take")
        start, end = self._span(op.node, name)
        return [(start, end, op.new)]

    def _clamp_log_argument(self, op: fx.ClampLogArgument) -> list[tuple[int, int, str]]:
        call = _node(op.call, cst.Call)
        if not call.args or call.args[0].keyword is not None or call.args[0].star:
            raise NoFix("the log argument is not the first positional argument")
        parts = _dotted(call.func)
        if parts is None or "." not in parts:
            raise NoFix("the log function is imported bare: no module name to spell the clip with")
        root = parts.split(".", 1)[0]
        if op.root_module is not None and self._bound_module(root) != op.root_module:
            raise NoFix(f"{root} is not the {op.root_module} module")
        value = call.args[0].value
        start, end = self._span(op.call, call.args[0])  # with the value's own parentheses, if any
        written = self.text[start:end]
        if "{x} +" in op.template and not _is_atom(value):
            written = f"({written})"
        edits: list[tuple[int, int, str]] = []
        eps = "EPSILON"
        if "{eps}" in op.template:
            edits.extend(self._epsilon_constant(op.call))
        guarded = op.template.format(x=written, mod=parts.rsplit(".", 1)[0], root=root, eps=eps)
        edits.append((start, end, guarded))
        return edits

    # -- helpers ---------------------------------------------------------------------------------

    def _span(self, loc: Loc, node: cst.CSTNode) -> tuple[int, int]:
        """Offsets of ``node``, a node inside the statement ``loc`` was reported in.

        These are libcst's syntactic positions: an expression's own parentheses are outside its span
        (``(3, 3)`` spans ``3, 3``) while an ``Arg``'s span covers them, so whole arguments are cut
        and copied through their ``Arg``.
        """
        sub = Loc(node, loc.top, path=loc.path)
        line, column, end_line, end_column = self.resolver.span(sub)
        if (line, column) == (end_line, end_column):  # the resolver's "unknown": real nodes are not empty
            raise NoFix("no position for the node")
        return self.index.offset(line, column), self.index.offset(end_line, end_column)

    def _string_edit(self, loc: Loc, node: cst.SimpleString, value: str) -> tuple[int, int, str]:
        prefix = node.prefix.lower()
        if "f" in prefix or "b" in prefix:
            raise NoFix("an f-string or bytes literal")
        quote = node.quote
        if quote in value or "\\" in value or "\n" in value:
            raise NoFix("the new value would need escaping")
        start, end = self._span(loc, node)
        return start, end, f"{node.prefix}{quote}{value}{quote}"

    def _parent_call(self, loc: Loc, arg: cst.Arg) -> cst.Call:
        for node in _walk(_statement(loc)):
            if isinstance(node, cst.Call) and any(a is arg for a in node.args):
                return node
        raise NoFix("the argument's call was not found")

    def _comma_end(self, loc: Loc, arg: cst.Arg, end: int) -> int:
        if isinstance(arg.comma, cst.Comma):
            return self._span(loc, arg.comma)[1]
        return end

    def _comma_start(self, loc: Loc, arg: cst.Arg) -> int:
        if isinstance(arg.comma, cst.Comma):
            return self._span(loc, arg.comma)[0]
        return self._span(loc, arg)[1]

    def _open_paren_end(self, loc: Loc, call: cst.Call) -> int:
        _, position = self._span(loc, call.func)
        position = _skip_trivia(self.text, position)
        if position >= len(self.text) or self.text[position] != "(":
            raise NoFix("cannot find the call's parenthesis")
        return position + 1

    def _close_paren(self, loc: Loc, call: cst.Call) -> int:
        last = call.args[-1]
        position = self._comma_end(loc, last, self._span(loc, last)[1])
        position = _skip_trivia(self.text, position)
        if position >= len(self.text) or self.text[position] != ")":
            raise NoFix("cannot find the call's closing parenthesis")
        return position

    def _delete_with_line(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Delete ``[start, end)``, and its whole line when nothing else is on it."""
        index = self.index
        line = index.position(start)[0]
        line_start = index.starts[line - 1]
        line_end = index.line_end(start)
        alone = (end <= line_end and self.text[line_start:start].strip() == ""
                 and self.text[end:line_end].strip() == "" and line < len(index.starts))
        if alone:
            return [(line_start, index.next_line_start(start), "")]
        return [(start, end, "")]

    def _newline(self) -> str:
        return self.module.default_newline

    def _keras_name(self) -> str:
        """How the file names the Keras package at module level (``keras``, ``tf.keras``)."""
        keras: str | None = None
        tensorflow: str | None = None
        for statement in self.module.body:
            for small in _smalls(statement):
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        name = _dotted(alias.name)
                        bound = _asname(alias)
                        if name in ("keras", "tf_keras", "tensorflow.keras"):
                            keras = keras or (bound or (None if name != "keras" else "keras"))
                        elif name == "tensorflow":
                            tensorflow = tensorflow or bound or "tensorflow"
                elif isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None \
                        and _dotted(small.module) == "tensorflow" and not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        if isinstance(alias.name, cst.Name) and alias.name.value == "keras":
                            keras = keras or _asname(alias) or "keras"
        if keras is not None:
            return keras
        if tensorflow is not None:
            return f"{tensorflow}.keras"
        raise NoFix("the file binds no name to the Keras package")

    def _bound_module(self, name: str) -> str | None:
        """The module a top-level ``import M`` / ``import M as name`` binds ``name`` to."""
        for statement in self.module.body:
            for small in _smalls(statement):
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        dotted = _dotted(alias.name)
                        if dotted is not None and (_asname(alias) or dotted.split(".", 1)[0]) == name:
                            return dotted if _asname(alias) else name
        return None

    def _epsilon_constant(self, loc: Loc) -> list[tuple[int, int, str]]:
        """Reuse a module-level ``EPSILON = <number>``, or insert one after the imports."""
        last_import: cst.CSTNode | None = None
        for statement in self.module.body:
            smalls = _smalls(statement)
            if isinstance(statement, cst.SimpleStatementLine):
                for small in smalls:
                    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(
                            small.targets[0].target, cst.Name) and small.targets[0].target.value == "EPSILON":
                        if isinstance(small.value, (cst.Float, cst.Integer)):
                            return []
                        raise NoFix("EPSILON is already something else")
                if smalls and all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in smalls):
                    last_import = statement
            if statement is loc.top:
                break
        if "EPSILON" in self.text:
            raise NoFix("the name EPSILON is already used")
        if last_import is None:
            raise NoFix("no import to put the constant after")
        _, end = self._span(Loc(last_import, last_import, path=(last_import,)), last_import)
        insert = self.index.line_end(end)  # after a trailing comment, before the line ending
        return [(insert, insert, f"{self._newline()}EPSILON = 1e-7")]


def _smalls(statement: Any) -> tuple[Any, ...]:
    """The small statements of a simple statement line (none for a compound statement)."""
    return tuple(statement.body) if isinstance(statement, cst.SimpleStatementLine) else ()


def _node(loc: Loc, kind: type) -> Any:
    if not isinstance(loc.node, kind):
        raise NoFix(f"expected a {kind.__name__}")
    return loc.node


def _argument(call: cst.Call, keyword: str | None, position: int | None) -> cst.Arg:
    """The call's ``keyword=`` argument, else its positional argument number ``position``."""
    for arg in call.args:
        if keyword is not None and arg.keyword is not None and arg.keyword.value == keyword:
            return arg
    positional = [a for a in call.args if a.keyword is None]
    if any(a.star for a in positional[: (position or 0) + 1]):
        raise NoFix("a starred argument")
    if position is not None and position < len(positional):
        return positional[position]
    raise NoFix("no such argument")


def _statement(loc: Loc) -> cst.CSTNode:
    if loc.path:
        return loc.path[-1]  # type: ignore[return-value]
    if loc.top is not None:
        return loc.top  # type: ignore[return-value]
    raise NoFix("no statement for the node")


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


def _dotted(node: Any) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def _asname(alias: cst.ImportAlias) -> str | None:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return None


def _is_atom(node: cst.BaseExpression) -> bool:
    """An expression that ``+ eps`` binds after, as a whole."""
    if node.lpar:
        return True
    return isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float,
                             cst.BinaryOperation)) and not (
        isinstance(node, cst.BinaryOperation) and not isinstance(
            node.operator, (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide, cst.Modulo,
                            cst.Power, cst.MatrixMultiply)))


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position


def _skip_trivia(text: str, position: int) -> int:
    """Past whitespace, comments and line continuations (what may sit between a call's tokens)."""
    while position < len(text):
        ch = text[position]
        if ch in " \t\f\r\n":
            position += 1
        elif ch == "\\" and text[position + 1:position + 2] in ("\n", "\r"):
            position += 1
        elif ch == "#":
            while position < len(text) and text[position] not in "\r\n":
                position += 1
        else:
            break
    return position
