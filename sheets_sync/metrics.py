"""Derived metrics: pure pandas, a DataFrame of inputs in, a DataFrame of derived columns out.

No per-row Python: every column is one vectorised expression.  A rate whose
denominator is missing or zero is missing (NaN), never an error value or infinity.
"""

from __future__ import annotations

from urllib.parse import quote

import numpy as np
import pandas as pd

from .cell_text import handle_text
from .template import Template

NUMERIC_INPUTS = (
    "followers", "followers_30d_ago", "avg_views", "avg_likes", "avg_comments", "avg_shares",
    "avg_saves", "posts_30d",
)
PROFILE_URL_PREFIX = "https://www.tiktok.com/@"


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN where the denominator is missing or not positive."""
    usable = denominator.where(denominator > 0)
    ratio = (numerator / usable).astype("float64")
    return ratio.where(np.isfinite(ratio))


def _numeric(frame: pd.DataFrame, key: str) -> pd.Series:
    if key not in frame:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[key], errors="coerce").astype("float64")


def tier(followers: pd.Series, template: Template) -> pd.Series:
    labels = template.labels
    conditions = [followers < 100_000, followers <= 1_000_000, followers > 1_000_000]
    chosen = np.select(conditions, [labels.tier_micro, labels.tier_mid, labels.tier_macro],
                       default=None)
    return pd.Series(chosen, index=followers.index, dtype="object")


def engagement_band(rate: pd.Series, template: Template) -> pd.Series:
    """low / in band / high; `rate` is the band's own measure (with or without saves)."""
    band, labels = template.band, template.labels
    conditions = [rate < band.engagement_low, rate > band.engagement_high, rate.notna()]
    chosen = np.select(conditions, [labels.band_low, labels.band_high, labels.band_in],
                       default=None)
    return pd.Series(chosen, index=rate.index, dtype="object")


def profile_urls(handles: pd.Series) -> pd.Series:
    bare = handles.astype("string").map(lambda h: handle_text(h).lstrip("@").strip(),
                                        na_action="ignore").astype("string")
    encoded = bare.map(lambda h: quote(h, safe="._-"), na_action="ignore")
    urls = (PROFILE_URL_PREFIX + encoded).where(bare.str.len() > 0)
    return urls.astype("object").where(urls.notna(), None)


def compute_metrics(inputs: pd.DataFrame, template: Template) -> pd.DataFrame:
    """Every derived column except last_changed (which depends on the push, not the row)."""
    followers = _numeric(inputs, "followers")
    before = _numeric(inputs, "followers_30d_ago")
    views = _numeric(inputs, "avg_views")
    likes = _numeric(inputs, "avg_likes")
    comments = _numeric(inputs, "avg_comments")
    shares = _numeric(inputs, "avg_shares")
    saves = _numeric(inputs, "avg_saves")
    posts = _numeric(inputs, "posts_30d")

    # A missing component makes the sum missing: an engagement rate that silently
    # treats unknown saves as zero would understate the account.
    interactions_no_saves = likes + comments + shares
    engagement = _ratio(interactions_no_saves + saves, views)

    derived = pd.DataFrame(index=inputs.index)
    derived["tier"] = tier(followers, template)
    derived["follower_growth_30d"] = _ratio(followers - before, before)
    derived["views_per_follower"] = _ratio(views, followers)
    derived["engagement_rate"] = engagement
    derived["engagement_rate_no_saves"] = _ratio(interactions_no_saves, views)
    derived["comment_rate"] = _ratio(comments, views)
    derived["share_rate"] = _ratio(shares, views)
    derived["save_rate"] = _ratio(saves, views)
    derived["posts_per_week"] = (posts * 7 / 30).astype("float64")
    derived["er_band"] = engagement_band(derived[template.band.rate_key], template)
    handles = inputs["handle"] if "handle" in inputs else pd.Series(None, index=inputs.index)
    derived["profile_url"] = profile_urls(handles)
    return derived
