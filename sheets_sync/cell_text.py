"""Text a spreadsheet cell can hold, and text short enough to show in a message.

An .xlsx file is XML, and XML 1.0 cannot hold C0 control characters (other than tab,
line feed and carriage return), lone surrogates, U+FFFE or U+FFFF
(https://www.w3.org/TR/xml/#charsets); openpyxl refuses to save them. They carry no
meaning in a benchmark (they come from broken exports), so they are removed, the same
way for every backend, and the import reports each cell it cleaned.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
PREVIEW_CHARS = 60


def cell_safe(text: str) -> str:
    """`text` without the characters a cell cannot hold."""
    return XML_ILLEGAL.sub("", text)


def illegal_characters(text: str) -> list[str]:
    """The distinct characters of `text` a cell cannot hold, as U+XXXX, in order of first use."""
    found = dict.fromkeys(f"U+{ord(ch):04X}" for ch in XML_ILLEGAL.findall(text))
    return list(found)


def preview(raw: Any) -> str:
    """`raw` as a message shows it: repr, cut to a readable length with the full length said."""
    shown = repr(raw)
    if len(shown) <= PREVIEW_CHARS:
        return shown
    length = f" ({len(raw):,} characters)" if isinstance(raw, str) else ""
    return shown[:PREVIEW_CHARS] + "..." + length


def handle_text(raw: Any) -> str:
    """A handle as people mean it: full-width forms folded (a full-width at sign is @),
    invisible control and format characters (zero-width space, BOM) removed, spaces
    trimmed. Case is kept."""
    text = str(raw)
    if text.isascii() and text.isprintable():
        return text.strip()  # nothing to fold or remove: most handles, thousands a push
    visible = _without_invisible(cell_safe(text))
    return _without_invisible(unicodedata.normalize("NFKC", visible)).strip()


def _without_invisible(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
