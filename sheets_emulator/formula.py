"""A small formula evaluator: arithmetic, comparisons, references and common functions."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .a1 import A1Error, Rect, col_to_index
from .formula_functions import FUNCTIONS
from .formula_values import (
    Failure,
    FormulaError,
    RangeValue,
    Resolver,
    Scalar,
    arity,
    compare,
    raise_if_error,
    scalar_of,
    to_bool,
    to_number,
    to_text,
)

_SHEET = r"(?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!"
_CELL = r"\$?[A-Za-z]{1,3}\$?[0-9]+"
_COL = r"\$?[A-Za-z]{1,3}"
_ROW = r"\$?[0-9]+"
_REF = (
    rf"(?P<sheet>{_SHEET})?(?P<ref>{_CELL}:{_CELL}|{_CELL}:{_COL}|{_COL}:{_CELL}"
    rf"|{_COL}:{_COL}|{_ROW}:{_ROW}|{_CELL})(?![A-Za-z0-9_(!])"
)
_TOKEN = re.compile(
    rf"""\s*(?:
    (?P<refm>{_REF})
    |(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    |(?P<string>"(?:[^"]|"")*")
    |(?P<func>[A-Za-z_][A-Za-z0-9_.]*)\s*(?=\()
    |(?P<name>[A-Za-z_][A-Za-z0-9_.]*)
    |(?P<error>\#(?:DIV/0!|N/A|NAME\?|NULL!|NUM!|REF!|VALUE!|ERROR!))
    |(?P<op><>|<=|>=|[-+*/^&=<>%(),;:{{}}])
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


def tokenize(formula: str) -> list[Token]:
    """Tokens of a formula without its leading '='."""
    out: list[Token] = []
    pos = 0
    while pos < len(formula):
        if formula[pos:].strip() == "":
            break
        m = _TOKEN.match(formula, pos)
        if not m or m.end() == pos:
            raise Failure(FormulaError("#ERROR!", "Formula parse error."))
        group = m.lastgroup or "op"
        kind = "ref" if group == "refm" else group
        out.append(Token(kind, m.group(group), m.start(group), m.end()))
        pos = m.end()
    return out


def _unquote_sheet(text: str) -> str:
    text = text[:-1]
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    return text


def split_ref(text: str) -> tuple[str | None, str]:
    m = re.match(rf"^({_SHEET})?(.*)$", text)
    assert m
    return (_unquote_sheet(m.group(1)) if m.group(1) else None), m.group(2)


def _endpoint(text: str) -> tuple[int | None, int | None]:
    m = re.match(r"^\$?([A-Za-z]*)\$?([0-9]*)$", text)
    if not m:
        raise A1Error(text)
    col = col_to_index(m.group(1)) if m.group(1) else None
    row = int(m.group(2)) - 1 if m.group(2) else None
    return col, row


def ref_rect(ref: str) -> Rect:
    parts = ref.split(":")
    c1, r1 = _endpoint(parts[0])
    if len(parts) == 1:
        assert c1 is not None and r1 is not None
        return Rect(r1, r1 + 1, c1, c1 + 1)
    c2, r2 = _endpoint(parts[1])

    def span(a: int | None, b: int | None) -> tuple[int | None, int | None]:
        if a is None and b is None:
            return None, None
        if a is None or b is None:
            known = a if a is not None else b
            assert known is not None
            return known, None
        return min(a, b), max(a, b) + 1

    start_row, end_row = span(r1, r2)
    start_col, end_col = span(c1, c2)
    return Rect(start_row, end_row, start_col, end_col)


# ---------------------------------------------------------------- parsing


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise Failure(FormulaError("#ERROR!", "Formula parse error."))
        self.pos += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text:
            raise Failure(FormulaError("#ERROR!", "Formula parse error."))

    def parse(self) -> Any:
        node = self.comparison()
        if self.peek() is not None:
            raise Failure(FormulaError("#ERROR!", "Formula parse error."))
        return node

    def _binary(self, ops: tuple[str, ...], lower: Callable[[], Any]) -> Any:
        node = lower()
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text in ops:
            self.pos += 1
            node = ("bin", tok.text, node, lower())
        return node

    def comparison(self) -> Any:
        return self._binary(("=", "<>", "<", ">", "<=", ">="), self.concat)

    def concat(self) -> Any:
        return self._binary(("&",), self.additive)

    def additive(self) -> Any:
        return self._binary(("+", "-"), self.term)

    def term(self) -> Any:
        return self._binary(("*", "/"), self.power)

    def power(self) -> Any:
        return self._binary(("^",), self.unary)

    def unary(self) -> Any:
        tok = self.peek()
        if tok is not None and tok.kind == "op" and tok.text in ("-", "+"):
            self.pos += 1
            operand = self.unary()
            return ("neg", operand) if tok.text == "-" else ("pos", operand)
        return self.postfix()

    def postfix(self) -> Any:
        node = self.primary()
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text == "%":
            self.pos += 1
            node = ("pct", node)
        return node

    def primary(self) -> Any:
        tok = self.take()
        if tok.kind == "number":
            return ("num", float(tok.text))
        if tok.kind == "string":
            return ("str", tok.text[1:-1].replace('""', '"'))
        if tok.kind == "error":
            return ("err", tok.text)
        if tok.kind == "ref":
            sheet, ref = split_ref(tok.text)
            return ("ref", sheet, ref_rect(ref), ":" in ref)
        if tok.kind == "func":
            name = tok.text.upper()
            self.expect("(")
            args: list[Any] = []
            nxt = self.peek()
            if nxt is not None and nxt.text == ")":
                self.pos += 1
                return ("func", name, args)
            while True:
                nxt = self.peek()
                if nxt is not None and nxt.text in (",", ")"):
                    args.append(("blank",))
                else:
                    args.append(self.comparison())
                sep = self.take()
                if sep.text == ")":
                    return ("func", name, args)
                if sep.text not in (",", ";"):
                    raise Failure(FormulaError("#ERROR!", "Formula parse error."))
        if tok.kind == "name":
            upper = tok.text.upper()
            if upper in ("TRUE", "FALSE"):
                return ("bool", upper == "TRUE")
            return ("name", tok.text)
        if tok.text == "(":
            node = self.comparison()
            self.expect(")")
            return node
        raise Failure(FormulaError("#ERROR!", "Formula parse error."))


class _Evaluator:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def run(self, node: Any) -> Any:
        kind = node[0]
        if kind == "num":
            return node[1]
        if kind in ("str", "bool"):
            return node[1]
        if kind == "blank":
            return None
        if kind == "err":
            raise Failure(FormulaError(node[1]))
        if kind == "ref":
            return self._ref(node[1], node[2], node[3])
        if kind == "name":
            target = self.resolver.named(node[1])
            if target is None:
                raise Failure(FormulaError("#NAME?", f"Unknown range name: '{node[1].upper()}'."))
            return self._ref(target[0], target[1], True)
        if kind == "neg":
            return -to_number(self.run(node[1]))
        if kind == "pos":
            return self.run(node[1])
        if kind == "pct":
            return to_number(self.run(node[1])) / 100
        if kind == "bin":
            return self._binary(node[1], node[2], node[3])
        if kind == "func":
            return self._call(node[1], node[2])
        raise Failure(FormulaError("#ERROR!", "Formula parse error."))

    def _ref(self, sheet: str | None, rect: Rect, is_range: bool) -> Any:
        """References are ranges (a cell is 1x1): functions skip the text they hold."""
        if not is_range:
            assert rect.start_row is not None and rect.start_col is not None
            return RangeValue([[self.resolver.cell(sheet, rect.start_row, rect.start_col)]])
        return RangeValue(self.resolver.grid(sheet, rect))

    def _binary(self, op: str, left_node: Any, right_node: Any) -> Any:
        left = scalar_of(self.run(left_node))
        right = scalar_of(self.run(right_node))
        raise_if_error(left)
        raise_if_error(right)
        if op == "&":
            return to_text(left) + to_text(right)
        if op in ("=", "<>", "<", ">", "<=", ">="):
            c = compare(left, right)
            return {
                "=": c == 0,
                "<>": c != 0,
                "<": c < 0,
                ">": c > 0,
                "<=": c <= 0,
                ">=": c >= 0,
            }[op]
        a, b = to_number(left), to_number(right)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            if b == 0:
                raise Failure(
                    FormulaError("#DIV/0!", "Function DIVIDE parameter 2 cannot be zero.")
                )
            return a / b
        try:
            result = a**b
        except (OverflowError, ZeroDivisionError):
            raise Failure(FormulaError("#NUM!", "Function POW caused a number error.")) from None
        if isinstance(result, complex):
            raise Failure(FormulaError("#NUM!", "Function POW caused a number error."))
        return result

    def _call(self, name: str, arg_nodes: list[Any]) -> Any:
        if name == "IF":
            arity("IF", arg_nodes, 2, 3)
            if to_bool(self.run(arg_nodes[0])):
                return scalar_of(self.run(arg_nodes[1]))
            return scalar_of(self.run(arg_nodes[2])) if len(arg_nodes) > 2 else False
        if name == "IFERROR":
            arity("IFERROR", arg_nodes, 1, 2)
            try:
                value = scalar_of(self.run(arg_nodes[0]))
                raise_if_error(value)
                return value
            except Failure:
                return scalar_of(self.run(arg_nodes[1])) if len(arg_nodes) > 1 else ""
        if name == "TODAY":
            arity("TODAY", arg_nodes, 0, 0)
            return self.resolver.today()
        fn = FUNCTIONS.get(name)
        if fn is None:
            raise Failure(FormulaError("#NAME?", f"Unknown function: '{name}'."))
        args = [self.run(a) for a in arg_nodes]
        for arg in args:
            if not isinstance(arg, RangeValue):
                raise_if_error(arg)
        return fn(args)


def evaluate(formula: str, resolver: Resolver) -> Scalar:
    """The value of a formula such as "=SUM(A1:A3)*2"; errors come back as FormulaError."""
    body = formula[1:] if formula.startswith("=") else formula
    try:
        node = _Parser(tokenize(body)).parse()
        result = scalar_of(_Evaluator(resolver).run(node))
    except Failure as exc:
        return exc.error
    except RecursionError:
        return FormulaError("#REF!", "Circular dependency detected.")
    if isinstance(result, float):
        if math.isnan(result) or math.isinf(result):
            return FormulaError("#NUM!", "Result was not a number.")
        if result == 0:
            return 0.0
    if result is None:
        return 0.0
    return result
