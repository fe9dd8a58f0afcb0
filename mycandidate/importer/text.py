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
_HYPHEN_SPACES = re.compile(r"\s*-\s*")
# Small words a name in title case keeps in lower case after its first word.
_LOWER_IN_TITLES = frozenset(("of", "for", "the", "and"))
# Lower-case words that follow a break as words of their own ("Restoration\rof Democracy").
_PARTICLE = re.compile(r"of|for|the|and|in|on|to|at|by|de|da|du|van|von|le|la|wa|na|ya|cha|kwa")


def has_line_break(value: str) -> bool:
    return bool(_BREAKS.search(value))


def split_words(value: str) -> int:
    """How many words of a raw cell a line break cuts in two (see clean_cell)."""
    return len(_split_word_breaks(value))


def clean_cell(value: object) -> str:
    """Rejoin words split by a line break, turn other line breaks and runs of spaces into
    one space, normalise dashes, strip."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    for start, end in reversed(_split_word_breaks(text)):
        rest = text[end:]
        # "Mwakulegw\rA": the letter carried over takes the case of the word it ends.
        if text[start - 1].islower() and rest[:1].isupper() and not rest[1:2].isalpha():
            rest = rest[0].lower() + rest[1:]
        text = text[:start] + rest
    text = _DASHES.sub("-", _BREAKS.sub(" ", text))
    return _SPACES.sub(" ", text).strip()


def _split_word_breaks(text: str) -> list[tuple[int, int]]:
    """Spans of the line breaks that cut a word in two.

    A PDF cell wraps at its width, sometimes inside a word: "Abdullswama\\rd Sheriff",
    "Mwang'omb\\re", "NDONG'\\rO", "MWAKWAMBIRIZW\\rA". A break is inside a word when what
    follows starts in lower case after a letter, or when a single letter ends the cell after
    an apostrophe or after a single word. A lone letter after several words is an initial
    ("GITONGA BERNARD\\rN"), and a word may end in an apostrophe ("CHIENG'\\rANYANGO").
    """
    spans = []
    for match in _BREAKS.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if not before or not after or not after[0].isalpha():
            continue
        head, fragment = before.split()[-1] if before.split() else "", after.split()[0]
        prev = before[-1]
        joined = (prev.isalpha() and after[0].islower() and not _PARTICLE.fullmatch(fragment)) or (
            len(fragment) == 1
            and after.strip() == fragment
            and ((prev in "'\u2019" and len(head) > 1) or len(before.split()) == 1)
        )
        if joined:
            spans.append(match.span())
    return spans


def header_key(header: str) -> str:
    """'Party\\rCode', 'PartyCode' and 'party_code' all become 'partycode'."""
    return re.sub(r"[^a-z0-9]", "", clean_cell(header).lower())


def is_shouting(value: str) -> bool:
    letters = [c for c in value if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def smart_title(value: str) -> str:
    """'ABDULMAJID SWALEH' -> 'Abdulmajid Swaleh'; PEOPLE'S -> People's; O'NEIL -> O'Neil."""
    return _WORD.sub(lambda m: _title_word(m.group(0)), value)


def party_title(value: str) -> str:
    """'Forum For Restoration Of Democracy- Kenya' -> 'Forum for Restoration of Democracy-Kenya'.

    Particles after the first word go lower case; a hyphen loses the spaces a PDF left
    around it. Other capitals are the party's own spelling and stay.
    """
    words = _HYPHEN_SPACES.sub("-", value).split(" ")
    return " ".join(
        [words[0], *(w.lower() if w.lower() in _LOWER_IN_TITLES else w for w in words[1:])]
    )


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
