"""The search form of a name, shared by the importer (which stores it) and the queries."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(value: str) -> str:
    """Search form: no accents, no punctuation, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", re.sub(r"[^\w\s]", " ", stripped.casefold())).strip()
