"""Drive v3 search queries (`q`): mimeType = '...', name contains '...', 'x' in parents."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .models import DriveFile

Predicate = Callable[[DriveFile, str], bool]

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    |(?P<op>!=|<=|>=|=|<|>|\(|\))
    |(?P<word>[A-Za-z_][A-Za-z0-9_.:-]*)
    )""",
    re.VERBOSE,
)


COLLECTIONS = frozenset({"parents", "owners", "writers", "readers"})


class QueryError(ValueError):
    """A `q` that does not parse."""


def _name_contains(name: str, term: str) -> bool:
    """Drive matches `name contains` on prefixes of the name's words."""
    lowered, wanted = name.lower(), term.lower()
    return lowered.startswith(wanted) or any(
        word.startswith(wanted) for word in re.split(r"[^\w]+", lowered) if word
    )


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise QueryError(text)
        kind = m.lastgroup or "word"
        value = m.group(kind)
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        out.append((kind, value))
        pos = m.end()
    return out


def _text_field(drive_file: DriveFile, name: str) -> Any:
    return {
        "name": drive_file.name,
        "mimeType": drive_file.mime_type,
        "trashed": drive_file.trashed,
        "starred": drive_file.starred,
        "modifiedTime": drive_file.modified_time,
        "createdTime": drive_file.created_time,
        "fullText": f"{drive_file.name} {drive_file.description or ''}",
    }[name]


def _members(drive_file: DriveFile, collection: str) -> list[str]:
    if collection == "parents":
        return list(drive_file.parents)
    if collection == "owners":
        return [drive_file.owner]
    roles = {"writers": ("writer", "owner"), "readers": ("reader", "commenter", "writer", "owner")}
    wanted = roles.get(collection)
    if wanted is None:
        raise QueryError(collection)
    members = [drive_file.owner] if "owner" in wanted else []
    members += [
        p.get("emailAddress", "") for p in drive_file.permissions if p.get("role") in wanted
    ]
    return members


def _compare(left: Any, op: str, right: Any) -> bool:
    if isinstance(left, bool):
        right = str(right).lower() == "true"
    if op == "=":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op == "<":
        return bool(left < right)
    if op == ">":
        return bool(left > right)
    if op == "<=":
        return bool(left <= right)
    return bool(left >= right)


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise QueryError("unexpected end of query")
        self.pos += 1
        return tok

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok is not None and tok[0] == "word" and tok[1].lower() == word:
            self.pos += 1
            return True
        return False

    def parse(self) -> Predicate:
        predicate = self.disjunction()
        if self.peek() is not None:
            raise QueryError(f"unexpected {self.peek()}")
        return predicate

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self.keyword("or"):
            parts.append(self.conjunction())
        if len(parts) == 1:
            return parts[0]
        return lambda f, who: any(p(f, who) for p in parts)

    def conjunction(self) -> Predicate:
        parts = [self.negation()]
        while self.keyword("and"):
            parts.append(self.negation())
        if len(parts) == 1:
            return parts[0]
        return lambda f, who: all(p(f, who) for p in parts)

    def negation(self) -> Predicate:
        if self.keyword("not"):
            inner = self.negation()
            return lambda f, who: not inner(f, who)
        tok = self.peek()
        if tok == ("op", "("):
            self.pos += 1
            inner = self.disjunction()
            if self.take() != ("op", ")"):
                raise QueryError("missing )")
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        kind, value = self.take()
        if kind == "string":
            if not self.keyword("in"):
                raise QueryError("expected 'in'")
            field_kind, collection = self.take()
            if field_kind != "word":
                raise QueryError("expected a collection")
            member = value

            def in_collection(f: DriveFile, who: str) -> bool:
                target = who if member == "me" else member
                return target in _members(f, collection)

            if collection not in COLLECTIONS:
                raise QueryError(f"unknown collection {collection}")
            return in_collection
        if kind != "word":
            raise QueryError(f"unexpected {value}")
        field = value
        if field == "sharedWithMe":
            return lambda f, who: (
                who != f.owner and any(p.get("emailAddress") == who for p in f.permissions)
            )
        if field not in (
            "name",
            "mimeType",
            "trashed",
            "starred",
            "modifiedTime",
            "createdTime",
            "fullText",
        ):
            raise QueryError(f"unknown field {field}")
        op_kind, op = self.take()
        if op_kind == "word" and op.lower() == "contains":
            rhs_kind, rhs = self.take()
            if rhs_kind != "string":
                raise QueryError("expected a string")
            if field == "name":
                return lambda f, who: _name_contains(f.name, rhs)
            return lambda f, who: rhs.lower() in str(_text_field(f, field)).lower()
        if op_kind != "op" or op in ("(", ")"):
            raise QueryError(f"unexpected operator {op}")
        rhs_kind, rhs = self.take()
        if rhs_kind == "word" and rhs.lower() in ("true", "false"):
            rhs = rhs.lower()
        elif rhs_kind != "string":
            raise QueryError(f"unexpected value {rhs}")
        return lambda f, who: _compare(_text_field(f, field), op, rhs)


def compile_query(text: str) -> Predicate:
    """A predicate over (file, caller identity); raises QueryError when `text` is not valid."""
    if not text.strip():
        return lambda f, who: True
    return _Parser(_tokens(text)).parse()
