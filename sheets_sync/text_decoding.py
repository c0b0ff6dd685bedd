"""Turning the bytes of a CSV file into text: a byte-order mark, else valid UTF-8, else the
encoding charset-normalizer finds, and only when one reading clearly wins.

Exports come from Excel on Windows (cp1252), on a Mac (mac_roman), from Chinese tools
(GBK/GB18030, Big5), Japanese ones (Shift-JIS) and "Unicode text" saves (UTF-16). A
short file often decodes cleanly in several of them: then the reading whose first row
holds known column headers wins, then the one in a commonly used encoding; when
readings still disagree the file is refused with each candidate's reading, never guessed.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from charset_normalizer import from_bytes

from .errors import ConfigError, InputFileError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf_32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF8, "utf_8_sig"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)

# Encodings the detector weighs. The first group is what exports to this tool come in;
# the others are there so a Korean, Cyrillic or Central European file is recognised as
# such instead of being read as garbled Chinese or Western text.
COMMON_ENCODINGS = ("gb18030", "big5", "cp932", "cp1252", "mac_roman", "utf_16_le",
                    "utf_16_be", "utf_32_le", "utf_32_be")
OTHER_ENCODINGS = ("euc_kr", "cp1251", "cp1250", "euc_jp", "iso8859_15")

# Two readings this close in charset-normalizer's "chaos" (its measure of mess, 0-1)
# are equally plausible to it.
_CHAOS_TIE = 0.02
# Big5 or GBK bytes read as Shift-JIS come out as half-width katakana (U+FF61-U+FF9F),
# which Japanese text today seldom uses and charset-normalizer does not count as mess:
# a reading mostly made of it is counted this much messier.
_HALF_WIDTH_KANA_PENALTY = 0.1

HeaderScore = Callable[[str], int]


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # Python's codec name, e.g. 'gb18030', 'utf_8'
    detected: bool  # False when the caller named the encoding

    @property
    def is_unicode(self) -> bool:
        return self.encoding.startswith(("utf_8", "utf_16", "utf_32"))


def check_encoding_name(name: str) -> str:
    """The codec name of an --encoding value; an unknown one is a clear error."""
    try:
        return codecs.lookup(name.strip()).name.replace("-", "_")
    except LookupError:
        raise ConfigError(
            f"unknown encoding {name!r}",
            hint="use a name such as utf-8, utf-16, gbk, gb18030, big5, shift_jis, cp1252 "
                 "or mac_roman") from None


def decode_bytes(raw: bytes, label: str, encoding: str | None = None,
                 header_score: HeaderScore | None = None) -> DecodedText:
    """The text of a file's bytes. `label` names the file in messages; `header_score`
    counts the known column headers in a candidate reading's first line."""
    if encoding is not None:
        return _decode_as(raw, label, check_encoding_name(encoding))
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return _decode_as(raw, label, name, detected=True)
    try:
        return DecodedText(raw.decode("utf_8"), "utf_8", detected=True)
    except UnicodeDecodeError:
        pass
    return _detect(raw, label, header_score or (lambda _text: 0))


def _decode_as(raw: bytes, label: str, name: str, detected: bool = False) -> DecodedText:
    try:
        text = raw.decode(name)
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputFileError(
            f"{label}: not valid {name} text (byte {exc.start + 1}, line {line})",
            hint="pass the file's real encoding with --encoding, or leave --encoding out "
                 "to have it detected") from None
    if name in ("utf_8_sig", "utf_16", "utf_32"):
        text = text.removeprefix("\ufeff")
    return DecodedText(text, name, detected)


@dataclass(frozen=True)
class _Reading:
    encoding: str
    aliases: tuple[str, ...]  # every encoding that gives this same text
    text: str
    chaos: float
    headers: int


def _detect(raw: bytes, label: str, header_score: HeaderScore) -> DecodedText:
    matches = from_bytes(raw, cp_isolation=[*COMMON_ENCODINGS, *OTHER_ENCODINGS])
    readings = [_Reading(m.encoding, tuple(m.could_be_from_charset), str(m),
                         m.chaos + _kana_penalty(str(m)), header_score(_first_line(str(m))))
                for m in matches]
    if not readings:
        raise InputFileError(
            f"{label}: the text encoding cannot be told (no common encoding reads it "
            "cleanly; is it a text file?)",
            hint="save it as UTF-8 CSV, or pass its encoding with --encoding NAME")
    least_chaos = min(r.chaos for r in readings)
    close = [r for r in readings if r.chaos <= least_chaos + _CHAOS_TIE]
    most_headers = max(r.headers for r in close)
    close = [r for r in close if r.headers == most_headers]
    least_chaos = min(r.chaos for r in close)
    best = [r for r in close if r.chaos == least_chaos]
    if len({r.text for r in best}) > 1:
        # Equally clean readings: take the one in an encoding exports commonly use.
        best = [r for r in best if _common_name(r.aliases) is not None]
    if len({r.text for r in best}) != 1 or any(
            r.text != best[0].text for r in close if r.chaos > least_chaos):
        raise _ambiguous(label, close)
    chosen = best[0]
    return DecodedText(chosen.text, _common_name(chosen.aliases) or chosen.encoding, True)


def _kana_penalty(text: str) -> float:
    wide = [ch for ch in text if ord(ch) > 0x7F]
    kana = sum(1 for ch in wide if "\uff61" <= ch <= "\uff9f")
    return _HALF_WIDTH_KANA_PENALTY if wide and kana / len(wide) > 0.3 else 0.0


def _common_name(aliases: Sequence[str]) -> str | None:
    return next((name for name in COMMON_ENCODINGS if name in aliases), None)


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def _ambiguous(label: str, readings: Sequence[_Reading]) -> InputFileError:
    samples = "; ".join(f"{_common_name(r.aliases) or r.encoding} reads "
                        f"{_differing_sample(r.text, readings)!r}" for r in readings)
    return InputFileError(
        f"{label}: the text encoding is not clear, it reads differently as "
        + ", ".join(_common_name(r.aliases) or r.encoding for r in readings)
        + f" ({samples})",
        hint="pass the right one with --encoding NAME, e.g. --encoding "
             + (_common_name(readings[0].aliases) or readings[0].encoding))


def _differing_sample(text: str, readings: Sequence[_Reading], width: int = 24) -> str:
    """The stretch of `text` around the first character where the readings differ."""
    others = [r.text for r in readings if r.text != text]
    first = min((next((i for i, (a, b) in enumerate(zip(text, other, strict=False)) if a != b),
                      min(len(text), len(other))) for other in others), default=0)
    start = max(0, first - width // 2)
    return text[start:start + width].replace("\n", " ")
