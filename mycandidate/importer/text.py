"""Pure text repairs for values extracted from PDFs and spreadsheets."""

from __future__ import annotations

import re
import unicodedata

from mycandidate.folding import fold

_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
_SPACES = re.compile(r"\s+")
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
# A word may carry apostrophes inside it: People's, Chelang'at, O'Neil.
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*", re.UNICODE)


def has_line_break(value: str) -> bool:
    return bool(_BREAKS.search(value))


def clean_cell(value: object) -> str:
    """Collapse line breaks and runs of spaces, normalise dashes, strip."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _DASHES.sub("-", _BREAKS.sub(" ", text))
    return _SPACES.sub(" ", text).strip()


def header_key(header: str) -> str:
    """'Party\\rCode', 'PartyCode' and 'party_code' all become 'partycode'."""
    return re.sub(r"[^a-z0-9]", "", clean_cell(header).lower())


def is_shouting(value: str) -> bool:
    letters = [c for c in value if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def smart_title(value: str) -> str:
    """'ABDULMAJID SWALEH' -> 'Abdulmajid Swaleh'; PEOPLE'S -> People's; O'NEIL -> O'Neil."""
    return _WORD.sub(lambda m: _title_word(m.group(0)), value)


def _title_word(word: str) -> str:
    head, *rest = re.split(r"(['\u2019])", word.lower())
    titled = head[:1].upper() + head[1:]
    for mark, part in zip(rest[::2], rest[1::2], strict=True):
        # A one-letter prefix is a name particle (O'Neil, D'Souza); else a suffix ('s).
        titled += mark + (part[:1].upper() + part[1:] if len(head) == 1 else part)
    return titled


def slug(value: str) -> str:
    return fold(value).replace(" ", "-")


def compact_key(value: str) -> str:
    """Identity of a name regardless of case and spacing: 'ORANGEDEMOCRATIC MOVEMENT'."""
    return re.sub(r"[\W_]", "", fold(value))
