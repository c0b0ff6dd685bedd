"""The Summary tab: per category, the count, the tier mix and the median of each rate."""

from __future__ import annotations

import math

import pandas as pd

from .template import Template
from .values import Value

MEDIAN_OF = (
    "follower_growth_30d", "views_per_follower", "engagement_rate", "engagement_rate_no_saves",
    "comment_rate", "share_rate", "save_rate", "posts_per_week",
)
ALL_CATEGORIES_LABEL = "All"


def summary_table(accounts: pd.DataFrame, template: Template) -> list[dict[str, Value]]:
    """One row per category tab, then one for all of them, keyed by summary column key.

    `accounts` holds one row per account with a `category` column and the derived metrics.
    """
    groups: list[tuple[str, pd.DataFrame]] = [
        (title, accounts[accounts["category"] == key])
        for key, title in template.category_tabs.items()
    ]
    groups.append((ALL_CATEGORIES_LABEL, accounts))
    labels = template.labels
    table: list[dict[str, Value]] = []
    for label, group in groups:
        tiers = group["tier"].value_counts()
        row: dict[str, Value] = {
            "category": label,
            "accounts": len(group),
            "tier_micro": int(tiers.get(labels.tier_micro, 0)),
            "tier_mid": int(tiers.get(labels.tier_mid, 0)),
            "tier_macro": int(tiers.get(labels.tier_macro, 0)),
        }
        medians = group[list(MEDIAN_OF)].median(numeric_only=True)
        for key in MEDIAN_OF:
            value = float(medians.get(key, math.nan))
            row[f"median_{key}"] = None if math.isnan(value) else value
        table.append(row)
    return table
