"""The highlight rules of a category tab, independent of where the workbook lives.

Engagement below and above the band (on the rate the band measures: with or without
saves), growth spikes and stale rows, placed for the
tab's current layout. Each backend turns them into its own conditional formats, and
recognises the ones it wrote by the shape of their formulas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .a1 import column_letter
from .template import Template
from .workbook import TabWrite

# The shapes of the formulas below: a teammate's own rules never look like this.
OWN_RULE = re.compile(
    r"^=?AND\(ISNUMBER\(\$?[A-Z]{1,3}2\),(?:\$?[A-Z]{1,3}2(?:<|>|>=)[0-9.E-]+"
    r"|TODAY\(\)-\$[A-Z]{1,3}2>\d+)\)$"
)


@dataclass(frozen=True)
class Highlight:
    first_col: int  # the rule covers these columns, from row 2 down
    last_col: int
    formula: str  # relative to row 2 of first_col, without a leading '='
    fill: str | None = None
    font: str | None = None


def is_own_formula(formula: str) -> bool:
    return bool(OWN_RULE.match(formula))


def highlight_rules(write: TabWrite, template: Template) -> list[Highlight]:
    layout, colours, band = write.layout, template.colors, template.band
    er_col, growth_col = layout[band.rate_key], layout["follower_growth_30d"]
    er, growth = f"{column_letter(er_col)}2", f"{column_letter(growth_col)}2"
    last = column_letter(layout["last_changed"])
    return [
        Highlight(er_col, er_col, f"AND(ISNUMBER({er}),{er}<{band.engagement_low:g})",
                  fill=colours.below_band),
        Highlight(er_col, er_col, f"AND(ISNUMBER({er}),{er}>{band.engagement_high:g})",
                  fill=colours.above_band),
        Highlight(growth_col, growth_col,
                  f"AND(ISNUMBER({growth}),{growth}>={template.thresholds.growth_spike:g})",
                  fill=colours.growth_spike),
        Highlight(0, max(layout.values()),
                  f"AND(ISNUMBER(${last}2),TODAY()-${last}2>{template.thresholds.stale_days})",
                  font=colours.stale_text),
    ]
