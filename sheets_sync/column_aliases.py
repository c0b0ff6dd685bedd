"""One index of every header an input file may use for a column: the keys and the labels
of the template in use and of every shipped template (keys are the same in all), so a
file made with the English template pushes into a Chinese workbook and back."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .template import (
    CATEGORY_KEYS,
    Column,
    Template,
    builtin_template_names,
    load_template,
    normalize_header,
)

CATEGORY_HEADERS = frozenset({"category", "tab", "类别", "分类", "類別"})


@dataclass(frozen=True)
class AliasIndex:
    columns: dict[str, Column]  # normalised header -> the column of the template in use
    categories: dict[str, str]  # normalised category or tab name -> category key

    def column(self, header: str) -> Column | None:
        return self.columns.get(normalize_header(header))

    def category(self, text: str) -> str | None:
        return self.categories.get(normalize_header(text))

    def is_category_header(self, header: str) -> bool:
        return normalize_header(header) in CATEGORY_HEADERS


@cache
def _shipped_templates() -> tuple[Template, ...]:
    return tuple(load_template(name) for name in builtin_template_names())


def alias_index(template: Template) -> AliasIndex:
    """The template's own names win; another template's label for a key the template has
    maps to that key, unless the label means another column here."""
    columns: dict[str, Column] = {}
    for column in template.columns:
        columns.setdefault(normalize_header(column.header), column)
        columns.setdefault(normalize_header(column.key), column)
    categories = {normalize_header(k): k for k in CATEGORY_KEYS}
    categories.update({normalize_header(t): k for k, t in template.category_tabs.items()})
    for other in _shipped_templates():
        for column in other.columns:
            ours = template.by_key.get(column.key)
            if ours is not None:
                columns.setdefault(normalize_header(column.header), ours)
        for key, title in other.category_tabs.items():
            categories.setdefault(normalize_header(title), key)
    return AliasIndex(columns, categories)
