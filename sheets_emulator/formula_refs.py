"""Following structural edits in formulas: inserted or deleted rows/columns, renamed sheets."""

from __future__ import annotations

import re
from collections.abc import Callable

from .a1 import col_to_index, index_to_col, quote_title
from .formula import split_ref, tokenize
from .formula_values import Failure


def _shift_index(index: int, start: int, count: int, *, is_end: bool) -> int | None:
    """Move an index for an insertion (count > 0) or a deletion (count < 0) at start."""
    if count > 0:
        return index + count if index >= start else index
    stop = start - count
    if index >= stop:
        return index + count
    if index >= start:
        if is_end:
            return start - 1 if start > 0 else None
        return start
    return index


def _endpoint_text(col: str | None, row: str | None) -> str:
    return (col or "") + (row or "")


def _shift_ref_text(ref: str, dimension: str, start: int, count: int) -> str | None:
    parts = ref.split(":")
    parsed = []
    for part in parts:
        m = re.match(r"^(\$?)([A-Za-z]*)(\$?)([0-9]*)$", part)
        assert m
        parsed.append(m.groups())
    indices = []
    for col_abs, letters, row_abs, digits in parsed:
        col = col_to_index(letters) if letters else None
        row = int(digits) - 1 if digits else None
        indices.append([col_abs, col, row_abs, row])
    pos = 1 if dimension == "COLUMNS" else 3
    values = [item[pos] for item in indices]
    if all(v is None for v in values):
        return ref
    if len(indices) == 1 or values[0] is None or values[1] is None:
        for item in indices:
            if item[pos] is None:
                continue
            if count < 0 and start <= item[pos] < start - count:
                return None
            item[pos] = _shift_index(item[pos], start, count, is_end=False)
    else:
        low, high = min(values), max(values)
        new_low = _shift_index(low, start, count, is_end=False)
        new_high = _shift_index(high, start, count, is_end=True)
        if count < 0 and low >= start and high < start - count:
            return None
        if new_low is None or new_high is None or new_high < new_low:
            return None
        for item in indices:
            item[pos] = new_low if item[pos] == low else new_high
    texts = []
    for col_abs, col, row_abs, row in indices:
        col_text = f"{col_abs}{index_to_col(col)}" if col is not None else None
        row_text = f"{row_abs}{row + 1}" if row is not None else None
        texts.append(_endpoint_text(col_text, row_text))
    return ":".join(texts)


def _rewrite_refs(formula: str, rewrite: Callable[[str | None, str, str], str | None]) -> str:
    """Each cell reference of a formula replaced by `rewrite(sheet, ref, text)`; None keeps it.

    `sheet` is the reference's sheet title (None when it names none), `ref` its A1 part and
    `text` the whole reference as written. A formula that does not parse is left as it is.
    """
    if not formula.startswith("="):
        return formula
    body = formula[1:]
    try:
        tokens = tokenize(body)
    except Failure:
        return formula
    out, last = [], 0
    for tok in tokens:
        if tok.kind != "ref":
            continue
        sheet, ref = split_ref(tok.text)
        replacement = rewrite(sheet, ref, tok.text)
        if replacement is None:
            continue
        out.append(body[last : tok.start])
        out.append(replacement)
        last = tok.end
    out.append(body[last:])
    return "=" + "".join(out)


def shift_references(
    formula: str, host_sheet: str, target_sheet: str, dimension: str, start: int, count: int
) -> str:
    """Rewrite the references of a formula after rows/columns of target_sheet moved.

    count > 0 inserts that many before `start`; count < 0 deletes from `start`.
    References into deleted cells become #REF!.
    """
    def shifted(sheet: str | None, ref: str, text: str) -> str | None:
        if (sheet if sheet is not None else host_sheet) != target_sheet:
            return None
        new_ref = _shift_ref_text(ref, dimension, start, count)
        return "#REF!" if new_ref is None else text[: len(text) - len(ref)] + new_ref

    return _rewrite_refs(formula, shifted)


def rename_sheet_references(formula: str, old_title: str, new_title: str) -> str:
    """Follow a sheet rename in references such as 'Old'!A1."""
    return _rewrite_refs(formula, lambda sheet, ref, _: (
        f"{quote_title(new_title)}!{ref}" if sheet == old_title else None))
