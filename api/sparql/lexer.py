"""A SPARQL tokenizer, so safety checks see keywords the way a parser does.

A regex over the raw text is fooled by comments, strings and IRIs (``# SERVICE``, ``"SERVICE"``);
this lexer consumes those first, so a ``WORD`` token is a bare keyword (or a function name) exactly
where a SPARQL parser would see one. Unknown characters become ``OTHER`` tokens: the lexer never
fails, and the parser proper (the query engine) reports syntax errors later.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_BASE + "_0-9\u00b7\u0300-\u036f\u203f-\u2040-"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PREFIX = rf"(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?"
_LOCAL = rf"(?:(?:[{_PN_CHARS}:]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?)?"

_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<WS>\s+)",
            r"(?P<COMMENT>#[^\n\r]*)",
            r'(?P<STRING>"""(?:[^"\\]|\\.|"(?!""))*"""'
            r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
            r'|"(?:[^"\\\n\r]|\\.)*"'
            r"|'(?:[^'\\\n\r]|\\.)*')",
            r'(?P<IRI><[^<>"{}|^`\\\x00-\x20]*>)',
            rf"(?P<VAR>[?$][{_PN_CHARS}]+)",
            r"(?P<LANGTAG>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
            rf"(?P<PNAME>{_PREFIX}:{_LOCAL})",
            rf"(?P<BNODE>_:[{_PN_CHARS}.]*)",
            r"(?P<NUMBER>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))",
            r"(?P<WORD>[A-Za-z_][A-Za-z0-9_]*)",
            r"(?P<OTHER>.)",
        ]
    ),
    re.DOTALL,
)

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class Token(NamedTuple):
    kind: str
    text: str


def scan(text: str) -> tuple[list[Token], str]:
    """The significant tokens of ``text`` (whitespace and comments dropped), and the text with
    comments dropped and whitespace collapsed (the cache key), from one pass of the lexer."""
    tokens: list[Token] = []
    parts: list[str] = []
    sep = ""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "OTHER"
        if kind in ("WS", "COMMENT"):
            sep = " "
            continue
        tokens.append(Token(kind, m.group()))
        parts.append(sep + m.group())
        sep = ""
    return tokens, "".join(parts)


def tokenize(text: str) -> list[Token]:
    """Significant tokens of ``text`` (whitespace and comments dropped)."""
    return scan(text)[0]


def unescape_codepoints(text: str) -> str:
    """Apply SPARQL's ``\\uXXXX`` escapes everywhere, as a parser that pre-processes them would."""

    def repl(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group()

    return _CODEPOINT.sub(repl, text)
