"""Google field masks: "a,b.c,d(e,f/g)" for `fields=` and for update requests.

A parsed mask is a tree: a dict from field name to its sub-mask, where None
stands for the whole field.
"""

from __future__ import annotations

import copy
import re
from typing import Any

Mask = dict[str, "Mask | None"]

_TOKEN = re.compile(r"\s*([A-Za-z0-9_@*$-]+|[.,/()])")


class MaskError(ValueError):
    """A field mask that does not parse."""


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise MaskError(f"Invalid field selection {text}")
        out.append(m.group(1))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def _insert(tree: Mask, path: list[str], sub: Mask | None) -> None:
    node = tree
    for name in path[:-1]:
        child = node.get(name, {})
        if child is None:
            return
        node[name] = child
        node = child
    last = path[-1]
    if sub is None or node.get(last, {}) is None:
        node[last] = None
        return
    existing = node.setdefault(last, {})
    assert existing is not None
    for key, value in sub.items():
        _insert(existing, [key], value)


def parse(text: str) -> Mask:
    """Parse a field mask; an empty text gives an empty mask."""
    tokens = _tokens(text)
    pos = 0

    def parse_list(closing: str | None) -> Mask:
        nonlocal pos
        tree: Mask = {}
        while True:
            path: list[str] = []
            while True:
                if pos >= len(tokens) or tokens[pos] in ",()./":
                    raise MaskError(f"Invalid field selection {text}")
                path.append(tokens[pos])
                pos += 1
                if pos < len(tokens) and tokens[pos] in "./":
                    pos += 1
                    continue
                break
            sub: Mask | None = None
            if pos < len(tokens) and tokens[pos] == "(":
                pos += 1
                sub = parse_list(")")
            _insert(tree, path, sub)
            if pos >= len(tokens):
                if closing:
                    raise MaskError(f"Invalid field selection {text}")
                return tree
            tok = tokens[pos]
            pos += 1
            if tok == ",":
                continue
            if tok == closing:
                return tree
            raise MaskError(f"Invalid field selection {text}")

    if not tokens:
        return {}
    return parse_list(None)


def leaf_paths(tree: Mask, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for key, sub in tree.items():
        if sub is None:
            out.append((*prefix, key))
        else:
            out.extend(leaf_paths(sub, (*prefix, key)))
    return out


def select(value: Any, tree: Mask | None) -> Any:
    """Keep only the masked fields of a response (lists are filtered element-wise)."""
    if tree is None:
        return value
    if isinstance(value, list):
        return [select(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    if "*" in tree:
        star = tree["*"]
        out = {k: select(v, star) for k, v in value.items()}
        for key, sub in tree.items():
            if key != "*" and key in value:
                out[key] = select(value[key], sub)
        return out
    return {key: select(value[key], sub) for key, sub in tree.items() if key in value}


def wants(tree: Mask | None, *path: str) -> bool:
    """Whether the mask selects anything at or below `path`."""
    node = tree
    for name in path:
        if node is None:
            return True
        if "*" in node and node["*"] is None:
            return True
        if name not in node:
            return False
        node = node[name]
    return True


def child(tree: Mask | None, *path: str) -> Mask | None:
    """The part of a mask below `path`: None for everything, {} for nothing."""
    node = tree
    for name in path:
        if node is None or ("*" in node and node["*"] is None):
            return None
        if name not in node:
            return {}
        node = node[name]
    return node


def apply(
    target: dict[str, Any] | None,
    source: dict[str, Any] | None,
    tree: Mask,
    *,
    share: bool = False,
) -> dict[str, Any]:
    """Copy the masked fields from source onto a copy of target.

    A masked field missing from source is cleared on the target, as Google does.
    With `share`, values are taken from source without copying them (for callers that
    never change stored values in place).
    """
    take = (lambda v: v) if share else copy.deepcopy
    result = dict(target or {})
    src = source or {}
    for key, sub in tree.items():
        if key == "*":
            if sub is None:
                return dict(src) if share else copy.deepcopy(src)
            continue
        if sub is None:
            # A masked field sent empty ({} or a message of empty messages) is cleared, as a
            # masked field left out is (https://developers.google.com/workspace/sheets/api/guides/field-masks):
            # the reply then has no such key at all, never {}.
            value = _pruned(src[key]) if key in src else None
            if value is None:
                result.pop(key, None)
            else:
                result[key] = take(value) if value is src[key] else value
            continue
        s_val = src.get(key)
        t_val = result.get(key)
        if s_val is None or isinstance(s_val, dict):
            merged = apply(t_val if isinstance(t_val, dict) else None, s_val, sub, share=share)
            if merged:
                result[key] = merged
            else:
                result.pop(key, None)
        else:
            result[key] = take(s_val)
    return result


def _pruned(value: Any) -> Any:
    """`value` without empty dicts inside it; None when nothing is left of a dict."""
    if not isinstance(value, dict):
        return value
    out = {}
    changed = False
    for key, item in value.items():
        kept = _pruned(item)
        if kept is None:
            changed = True
            continue
        changed = changed or kept is not item
        out[key] = kept
    if not out:
        return None
    return out if changed else value


def with_color_twins(tree: Mask) -> Mask:
    """Widen a mask so each `xColor` and its `xColorStyle` twin are updated together."""
    out: Mask = {}
    for key, sub in tree.items():
        widened = None if sub is None else with_color_twins(sub)
        out[key] = widened
        if key.endswith("ColorStyle"):
            out.setdefault(key[: -len("Style")], widened)
        elif key.endswith("Color"):
            out.setdefault(key + "Style", widened)
    return out
