"""The spreadsheet functions the evaluator knows, by name."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .formula_values import (
    Failure,
    FormulaError,
    RangeValue,
    Scalar,
    arity,
    raise_if_error,
    scalar_of,
    to_bool,
    to_number,
    to_text,
)


def _numbers(args: list[Any], *, strict_direct: bool = True) -> list[float]:
    out: list[float] = []
    for arg in args:
        if isinstance(arg, RangeValue):
            for v in arg.flat():
                raise_if_error(v)
                if isinstance(v, int | float) and not isinstance(v, bool):
                    out.append(float(v))
        elif arg is None:
            continue
        elif strict_direct:
            out.append(to_number(arg))
    return out


def _round(value: float, digits: int, mode: str) -> float:
    factor = 10.0**digits
    scaled = abs(value) * factor
    if mode == "up":
        rounded = math.ceil(scaled - 1e-9)
    elif mode == "down":
        rounded = math.floor(scaled + 1e-9)
    else:
        rounded = math.floor(scaled + 0.5 + 1e-9)
    return math.copysign(rounded / factor, value)


def _fn_sum(args: list[Any]) -> Scalar:
    return math.fsum(_numbers(args))


def _fn_average(args: list[Any]) -> Scalar:
    nums = _numbers(args)
    if not nums:
        raise Failure(
            FormulaError("#DIV/0!", "Evaluation of function AVERAGE caused a divide by zero error.")
        )
    return math.fsum(nums) / len(nums)


def _fn_min(args: list[Any]) -> Scalar:
    nums = _numbers(args)
    return min(nums) if nums else 0.0


def _fn_max(args: list[Any]) -> Scalar:
    nums = _numbers(args)
    return max(nums) if nums else 0.0


def _fn_median(args: list[Any]) -> Scalar:
    nums = sorted(_numbers(args))
    if not nums:
        raise Failure(FormulaError("#NUM!", "MEDIAN has no valid input data."))
    mid = len(nums) // 2
    return nums[mid] if len(nums) % 2 else (nums[mid - 1] + nums[mid]) / 2


def _fn_count(args: list[Any]) -> Scalar:
    count = 0
    for arg in args:
        values = arg.flat() if isinstance(arg, RangeValue) else [arg]
        count += sum(1 for v in values if isinstance(v, int | float) and not isinstance(v, bool))
    return float(count)


def _fn_counta(args: list[Any]) -> Scalar:
    count = 0
    for arg in args:
        values = arg.flat() if isinstance(arg, RangeValue) else [arg]
        count += sum(1 for v in values if v is not None and v != "")
    return float(count)


def _logical(args: list[Any]) -> list[bool]:
    out: list[bool] = []
    for arg in args:
        if isinstance(arg, RangeValue):
            for v in arg.flat():
                raise_if_error(v)
                if isinstance(v, bool | int | float):
                    out.append(bool(v))
        else:
            out.append(to_bool(arg))
    return out


def _fn_and(args: list[Any]) -> Scalar:
    return all(_logical(args))


def _fn_or(args: list[Any]) -> Scalar:
    return any(_logical(args))


def _fn_not(args: list[Any]) -> Scalar:
    arity("NOT", args, 1, 1)
    return not to_bool(args[0])


def _fn_isnumber(args: list[Any]) -> Scalar:
    arity("ISNUMBER", args, 1, 1)
    v = scalar_of(args[0])
    return isinstance(v, int | float) and not isinstance(v, bool)


def _fn_istext(args: list[Any]) -> Scalar:
    arity("ISTEXT", args, 1, 1)
    return isinstance(scalar_of(args[0]), str)


def _fn_isblank(args: list[Any]) -> Scalar:
    arity("ISBLANK", args, 1, 1)
    return scalar_of(args[0]) is None


def _fn_len(args: list[Any]) -> Scalar:
    arity("LEN", args, 1, 1)
    return float(len(to_text(args[0])))


def _fn_abs(args: list[Any]) -> Scalar:
    arity("ABS", args, 1, 1)
    return abs(to_number(args[0]))


def _rounding(mode: str) -> Callable[[list[Any]], Scalar]:
    def fn(args: list[Any]) -> Scalar:
        arity("ROUND", args, 1, 2)
        digits = int(to_number(args[1])) if len(args) > 1 else 0
        return _round(to_number(args[0]), digits, mode)

    return fn


def _fn_concatenate(args: list[Any]) -> Scalar:
    parts: list[str] = []
    for arg in args:
        values = arg.flat() if isinstance(arg, RangeValue) else [arg]
        parts.extend(to_text(v) for v in values)
    return "".join(parts)


def _fn_upper(args: list[Any]) -> Scalar:
    arity("UPPER", args, 1, 1)
    return to_text(args[0]).upper()


def _fn_lower(args: list[Any]) -> Scalar:
    arity("LOWER", args, 1, 1)
    return to_text(args[0]).lower()


def _fn_trim(args: list[Any]) -> Scalar:
    arity("TRIM", args, 1, 1)
    return " ".join(to_text(args[0]).split())


FUNCTIONS: dict[str, Callable[[list[Any]], Scalar]] = {
    "SUM": _fn_sum,
    "AVERAGE": _fn_average,
    "MIN": _fn_min,
    "MAX": _fn_max,
    "MEDIAN": _fn_median,
    "COUNT": _fn_count,
    "COUNTA": _fn_counta,
    "AND": _fn_and,
    "OR": _fn_or,
    "NOT": _fn_not,
    "ISNUMBER": _fn_isnumber,
    "ISTEXT": _fn_istext,
    "ISBLANK": _fn_isblank,
    "LEN": _fn_len,
    "ABS": _fn_abs,
    "ROUND": _rounding("half"),
    "ROUNDUP": _rounding("up"),
    "ROUNDDOWN": _rounding("down"),
    "CONCATENATE": _fn_concatenate,
    "CONCAT": _fn_concatenate,
    "UPPER": _fn_upper,
    "LOWER": _fn_lower,
    "TRIM": _fn_trim,
}
