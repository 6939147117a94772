"""kerascheck positions ↔ LSP positions, in the encoding the client negotiated.

kerascheck speaks 1-based lines and 1-based columns counted in Unicode code points (end exclusive);
LSP speaks 0-based lines and 0-based characters counted in UTF-16 code units unless the client offered
another encoding in ``general.positionEncodings`` (then UTF-8 bytes or UTF-32 code points). A column
past an astral character (an emoji in a comment, a CJK extension character in a string) is where the
encodings differ, so every position goes through one of the two functions here.

This module has no dependency on pygls: lines are split the way LSP (and the tokenizer) split them,
on ``\\r\\n``, ``\\r`` and ``\\n`` only — ``str.splitlines`` would also split on form feeds and
``\\x1c``, which would shift every following line.
"""

from __future__ import annotations

import re
from typing import Sequence

__all__ = ["UTF8", "UTF16", "UTF32", "split_lines", "to_client", "from_client", "units"]

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """The document's lines without their line breaks (a final break gives a last empty line, as in LSP)."""
    return _LINE_BREAK.split(text)


def units(text: str, encoding: str) -> int:
    """How many code units of ``encoding`` the text occupies."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def to_client(lines: Sequence[str], line: int, column: int, encoding: str) -> tuple[int, int]:
    """A kerascheck (1-based line, 1-based code-point column) as an LSP (line, character).

    Positions beyond the text are clamped to its end: a KC000 finding can point at the line after
    the last one (an unexpected end of file), and clients reject or misplace out-of-range positions.
    """
    if not lines:
        return 0, 0
    index = min(max(line, 1), len(lines)) - 1
    text = lines[index]
    if line > len(lines):
        return index, units(text, encoding)
    return index, units(text[: max(column, 1) - 1], encoding)


def from_client(lines: Sequence[str], line: int, character: int, encoding: str) -> tuple[int, int]:
    """An LSP (line, character) as a kerascheck (1-based line, 1-based code-point column).

    A character inside a surrogate pair or a multi-byte sequence is rounded down to the start of its
    code point, as the specification asks.
    """
    if not lines:
        return 1, 1
    if line >= len(lines):
        return len(lines), len(lines[-1]) + 1
    text = lines[max(line, 0)]
    if encoding == UTF32 or text.isascii():
        return line + 1, min(character, len(text)) + 1
    consumed = 0
    for index, char in enumerate(text):
        width = units(char, encoding)
        if consumed + width > character:
            return line + 1, index + 1
        consumed += width
    return line + 1, len(text) + 1
