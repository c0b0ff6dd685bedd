"""The Summary tab: per category the count, the tier mix, the accounts outside the engagement
band, and the quartiles and median of each rate; beside it, the top movers ranked by growth
rate (not size: an account of 50,000 growing 10% teaches more than one of 500,000 growing 1%).
"""

from __future__ import annotations

import math

import pandas as pd

from .template import Template
from .values import Value, handle_identity

RATES = (
    "follower_growth_30d", "views_per_follower", "engagement_rate", "engagement_rate_no_saves",
    "comment_rate", "share_rate", "save_rate", "posts_per_week",
)
QUARTILES = (("q1", 0.25), ("median", 0.5), ("q3", 0.75))
# Gaps between our rate and a median are in percentage points (3% vs 5% is -2 pp).
POINTS = 100
TOP_MOVERS = 10


def _number(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def summary_table(accounts: pd.DataFrame, template: Template) -> list[dict[str, Value]]:
    """Rows of the Summary, keyed by summary column key: one per category tab, one for all,
    with the top movers filling the mover columns of the first rows. Our brand's accounts
    (template.our_brand) are compared with each group's median, not counted in it."""
    ours_mask = accounts["handle"].map(handle_identity).isin(
        {handle_identity(h) for h in template.our_brand})
    ours, accounts = accounts[ours_mask], accounts[~ours_mask]
    our_rates = ours[["engagement_rate", "follower_growth_30d"]].astype("float64").mean()
    groups: list[tuple[str, pd.DataFrame]] = [
        (title, accounts[accounts["category"] == key])
        for key, title in template.category_tabs.items()
    ]
    groups.append((template.labels.all_categories, accounts))
    labels, band = template.labels, template.band
    table: list[dict[str, Value]] = []
    for label, group in groups:
        tiers = group["tier"].value_counts()
        rate = group[band.rate_key]
        outside = ((rate < band.engagement_low) | (rate > band.engagement_high)).sum()
        row: dict[str, Value] = {
            "category": label,
            "accounts": len(group),
            "tier_micro": int(tiers.get(labels.tier_micro, 0)),
            "tier_mid": int(tiers.get(labels.tier_mid, 0)),
            "tier_macro": int(tiers.get(labels.tier_macro, 0)),
            "outside_band": int(outside),
        }
        rates = group[list(RATES)].astype("float64")
        for prefix, q in QUARTILES:
            values = rates.quantile(q) if len(rates) else pd.Series(dtype="float64")
            for key in RATES:
                row[f"{prefix}_{key}"] = _number(values.get(key, math.nan))
        if not ours.empty:
            for key, ours_key, gap_key in (
                    ("engagement_rate", "our_engagement_rate", "engagement_gap"),
                    ("follower_growth_30d", "our_follower_growth_30d", "growth_gap")):
                mine = _number(our_rates.get(key, math.nan))
                median = row[f"median_{key}"]
                row[ours_key] = mine
                row[gap_key] = (None if mine is None or median is None
                                else (mine - float(median)) * POINTS)  # type: ignore[arg-type]
        table.append(row)
    movers = top_movers(accounts, template)
    for index, mover in enumerate(movers):
        if index < len(table):
            table[index].update(mover)
        else:
            table.append(mover)
    return table


def top_movers(accounts: pd.DataFrame, template: Template) -> list[dict[str, Value]]:
    growth = accounts[accounts["follower_growth_30d"].notna()]
    ranked = growth.sort_values(["follower_growth_30d", "followers"], ascending=[False, True],
                                kind="stable").head(TOP_MOVERS)
    return [{"mover_rank": rank, "mover_handle": str(record["handle"]),
             "mover_category": template.category_tabs.get(record["category"], ""),
             "mover_growth": float(record["follower_growth_30d"]),
             "mover_followers": _number(record["followers"])}
            for rank, record in enumerate(ranked.to_dict("records"), start=1)]
