"""Derived columns of a category tab, against domain.md and hand computations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.metrics import NUMERIC_INPUTS, compute_metrics, engagement_band, tier
from sheets_sync.template import Band, load_template

TEMPLATE = load_template("en")
NAN = float("nan")
TOL = 1e-9

DERIVED_KEYS = [
    "tier", "follower_growth_30d", "views_per_follower", "engagement_rate",
    "engagement_rate_no_saves", "comment_rate", "share_rate", "save_rate", "posts_per_week",
    "er_band", "profile_url",
]
RATE_KEYS = [
    "follower_growth_30d", "views_per_follower", "engagement_rate", "engagement_rate_no_saves",
    "comment_rate", "share_rate", "save_rate", "posts_per_week",
]


def metrics(**columns) -> pd.DataFrame:
    """compute_metrics of a frame built from equal-length lists (scalars make one row)."""
    frame = pd.DataFrame({k: v if isinstance(v, list) else [v] for k, v in columns.items()})
    return compute_metrics(frame, TEMPLATE)


def one(**columns) -> pd.Series:
    return metrics(**columns).iloc[0]


def full_row(**overrides) -> dict:
    row = {
        "handle": "@glowlab", "followers": 120_000, "followers_30d_ago": 100_000,
        "avg_views": 40_000, "avg_likes": 2_000, "avg_comments": 150, "avg_shares": 90,
        "avg_saves": 160, "posts_30d": 18,
    }
    row.update(overrides)
    return row


def test_every_derived_column_except_last_changed_is_produced():
    out = metrics(**full_row())
    assert list(out.columns) == DERIVED_KEYS
    template_derived = [c.key for c in TEMPLATE.derived_columns]
    assert set(template_derived) - set(out.columns) == {"last_changed"}


def test_full_row_against_hand_computation():
    r = one(**full_row())
    assert r["tier"] == "Mid"
    assert r["follower_growth_30d"] == pytest.approx(0.2, abs=TOL)
    assert r["views_per_follower"] == pytest.approx(40_000 / 120_000, abs=TOL)
    assert r["engagement_rate"] == pytest.approx((2_000 + 150 + 90 + 160) / 40_000, abs=TOL)
    assert r["engagement_rate"] == pytest.approx(0.06, abs=TOL)
    assert r["engagement_rate_no_saves"] == pytest.approx(2_240 / 40_000, abs=TOL)
    assert r["comment_rate"] == pytest.approx(150 / 40_000, abs=TOL)
    assert r["share_rate"] == pytest.approx(90 / 40_000, abs=TOL)
    assert r["save_rate"] == pytest.approx(160 / 40_000, abs=TOL)
    assert r["posts_per_week"] == pytest.approx(18 * 7 / 30, abs=TOL)
    assert r["er_band"] == "in band"
    assert r["profile_url"] == "https://www.tiktok.com/@glowlab"


# ---- the article's worked examples ----------------------------------------------------


def test_article_growth_examples_smaller_account_has_more_momentum():
    out = metrics(followers=[52_500, 204_000], followers_30d_ago=[50_000, 200_000])
    assert out["follower_growth_30d"].iloc[0] == pytest.approx(0.05, abs=TOL)
    assert out["follower_growth_30d"].iloc[1] == pytest.approx(0.02, abs=TOL)
    assert out["follower_growth_30d"].iloc[0] > out["follower_growth_30d"].iloc[1]


def test_article_views_per_follower_example():
    assert one(followers=100_000, avg_views=500_000)["views_per_follower"] == pytest.approx(
        5.0, abs=TOL)


def test_article_mover_example_50k_at_10_percent_vs_500k_at_1_percent():
    out = metrics(followers=[55_000, 505_000], followers_30d_ago=[50_000, 500_000])
    assert out["follower_growth_30d"].tolist() == pytest.approx([0.10, 0.01], abs=TOL)


def test_follower_decline_is_negative_growth():
    assert one(followers=90_000, followers_30d_ago=100_000)["follower_growth_30d"] == (
        pytest.approx(-0.1, abs=TOL))


# ---- tier ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("followers", "expected"),
    [(0, "Micro"), (1, "Micro"), (99_999, "Micro"), (99_999.5, "Micro"), (100_000, "Mid"),
     (500_000, "Mid"), (1_000_000, "Mid"), (1_000_001, "Macro"), (25_000_000, "Macro")],
)
def test_tier_boundaries(followers, expected):
    assert one(followers=followers)["tier"] == expected


def test_tier_is_empty_without_followers():
    out = metrics(followers=[NAN, 100_000])
    assert out["tier"].iloc[0] is None
    assert out["tier"].iloc[1] == "Mid"


def test_tier_uses_the_template_labels():
    labels = TEMPLATE.labels.model_copy(update={"tier_micro": "小", "tier_mid": "中",
                                                "tier_macro": "大"})
    template = TEMPLATE.model_copy(update={"labels": labels})
    got = tier(pd.Series([5.0, 200_000.0, 2_000_000.0]), template).tolist()
    assert got == ["小", "中", "大"]


# ---- engagement ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("likes", "views", "expected"),
    [
        (2, 100, "low"),  # 2%
        (2.99, 100, "low"),
        (3, 100, "in band"),  # exactly 3%
        (30, 1_000, "in band"),
        (6, 100, "in band"),
        (9, 100, "in band"),  # exactly 9%
        (270, 3_000, "in band"),  # exactly 9%
        (9.01, 100, "high"),
        (15, 100, "high"),
        (0, 100, "low"),
    ],
)
def test_engagement_band_edges(likes, views, expected):
    r = one(avg_views=views, avg_likes=likes, avg_comments=0, avg_shares=0, avg_saves=0)
    assert r["engagement_rate"] == pytest.approx(likes / views, abs=TOL)
    assert r["er_band"] == expected


def test_band_edges_with_all_four_components():
    # 1.2% + 0.6% + 0.6% + 0.6% = 3%; and 4.5% + 1.5% + 1.5% + 1.5% = 9%
    out = metrics(avg_views=[1_000, 1_000], avg_likes=[12, 45], avg_comments=[6, 15],
                  avg_shares=[6, 15], avg_saves=[6, 15])
    assert out["engagement_rate"].tolist() == pytest.approx([0.03, 0.09], abs=TOL)
    assert out["er_band"].tolist() == ["in band", "in band"]


def test_engagement_band_follows_the_template_band():
    template = TEMPLATE.model_copy(
        update={"band": Band(engagement_low=0.05, engagement_high=0.06)})
    rates = pd.Series([0.04, 0.05, 0.055, 0.06, 0.07, NAN])
    assert engagement_band(rates, template).tolist() == [
        "low", "in band", "in band", "in band", "high", None]


def test_engagement_is_measured_against_views_not_followers():
    r = one(followers=1_000_000, avg_views=10_000, avg_likes=500, avg_comments=0, avg_shares=0,
            avg_saves=0)
    assert r["engagement_rate"] == pytest.approx(0.05, abs=TOL)


@pytest.mark.parametrize("missing", ["avg_likes", "avg_comments", "avg_shares", "avg_saves"])
def test_a_missing_component_makes_engagement_rate_empty(missing):
    row = full_row(**{missing: NAN})
    r = one(**row)
    assert math.isnan(r["engagement_rate"])
    assert r["er_band"] is None
    if missing == "avg_saves":
        assert r["engagement_rate_no_saves"] == pytest.approx(2_240 / 40_000, abs=TOL)
        assert math.isnan(r["save_rate"])
        assert r["comment_rate"] == pytest.approx(150 / 40_000, abs=TOL)
    else:
        assert math.isnan(r["engagement_rate_no_saves"])


@pytest.mark.parametrize("missing", ["avg_likes", "avg_comments", "avg_shares", "avg_saves"])
def test_a_missing_component_column_makes_engagement_rate_empty(missing):
    row = full_row()
    del row[missing]
    r = one(**row)
    assert math.isnan(r["engagement_rate"])
    assert r["er_band"] is None


def test_zero_interactions_is_a_zero_rate_not_empty():
    r = one(avg_views=1_000, avg_likes=0, avg_comments=0, avg_shares=0, avg_saves=0)
    assert r["engagement_rate"] == 0.0
    assert r["comment_rate"] == 0.0
    assert r["er_band"] == "low"


# ---- missing and zero denominators ---------------------------------------------------


@pytest.mark.parametrize("views", [0, NAN, None])
def test_rates_over_views_are_empty_without_views(views):
    r = one(**full_row(avg_views=views))
    for key in ("engagement_rate", "engagement_rate_no_saves", "comment_rate", "share_rate",
                "save_rate"):
        assert math.isnan(r[key]), key
    assert r["er_band"] is None
    # views are the numerator of views per follower: 0 views is a real 0, missing is missing
    if views == 0:
        assert r["views_per_follower"] == 0.0
    else:
        assert math.isnan(r["views_per_follower"])


@pytest.mark.parametrize("before", [0, NAN, None])
def test_growth_is_empty_without_followers_30d_ago(before):
    r = one(followers=50_000, followers_30d_ago=before)
    assert math.isnan(r["follower_growth_30d"])


@pytest.mark.parametrize("followers", [0, NAN])
def test_views_per_follower_is_empty_without_followers(followers):
    r = one(followers=followers, avg_views=500_000)
    assert math.isnan(r["views_per_follower"])


def test_growth_is_empty_when_followers_now_are_missing():
    assert math.isnan(one(followers=NAN, followers_30d_ago=50_000)["follower_growth_30d"])


def test_growth_from_zero_now_is_minus_100_percent():
    assert one(followers=0, followers_30d_ago=50_000)["follower_growth_30d"] == pytest.approx(
        -1.0, abs=TOL)


def test_zero_and_missing_denominators_never_give_inf_or_errors():
    out = metrics(
        handle=["@a", "@b", "@c"],
        followers=[0, NAN, 10],
        followers_30d_ago=[0, 0, NAN],
        avg_views=[0, NAN, 0],
        avg_likes=[5, 5, 5], avg_comments=[1, 1, 1], avg_shares=[1, 1, 1], avg_saves=[1, 1, 1],
        posts_30d=[0, NAN, 3],
    )
    numbers = out[RATE_KEYS].to_numpy(dtype="float64")
    assert not np.isinf(numbers).any()
    assert out["er_band"].isna().all()


def test_every_rate_column_is_float64():
    out = metrics(**full_row())
    for key in RATE_KEYS:
        assert out[key].dtype == np.float64, key


def test_no_input_columns_at_all_gives_empty_metrics():
    out = compute_metrics(pd.DataFrame(index=range(2)), TEMPLATE)
    assert len(out) == 2
    assert out[RATE_KEYS].isna().all().all()
    assert out["tier"].isna().all()
    assert out["profile_url"].isna().all()


def test_numeric_text_is_coerced_and_junk_becomes_empty():
    out = metrics(followers=["100000", "abc"], avg_views=["500000", "1000"])
    assert out["views_per_follower"].iloc[0] == pytest.approx(5.0, abs=TOL)
    assert math.isnan(out["views_per_follower"].iloc[1])


def test_index_is_preserved():
    frame = pd.DataFrame({"followers": [10, 200_000]}, index=[7, 3])
    out = compute_metrics(frame, TEMPLATE)
    assert out.index.tolist() == [7, 3]
    assert out.loc[3, "tier"] == "Mid"


# ---- posts per week, profile url -------------------------------------------------------


@pytest.mark.parametrize(("posts", "expected"),
                         [(30, 7.0), (0, 0.0), (12, 2.8), (1, 7 / 30), (45, 10.5)])
def test_posts_per_week(posts, expected):
    assert one(posts_30d=posts)["posts_per_week"] == pytest.approx(expected, abs=TOL)


def test_posts_per_week_empty_without_posts():
    assert math.isnan(one(posts_30d=NAN)["posts_per_week"])


@pytest.mark.parametrize(
    ("handle", "expected"),
    [("@glowlab", "https://www.tiktok.com/@glowlab"),
     ("glowlab", "https://www.tiktok.com/@glowlab"),
     ("  @GlowLab ", "https://www.tiktok.com/@GlowLab"),
     ("@glow.lab_1", "https://www.tiktok.com/@glow.lab_1"),
     ("@glow-lab", "https://www.tiktok.com/@glow-lab"),
     ("@美妆", "https://www.tiktok.com/@%E7%BE%8E%E5%A6%86"),
     ("@a/b?c", "https://www.tiktok.com/@a%2Fb%3Fc")],
)
def test_profile_url(handle, expected):
    assert one(handle=handle)["profile_url"] == expected


@pytest.mark.parametrize("handle", ["", "   ", "@", None])
def test_profile_url_empty_without_a_handle(handle):
    out = metrics(handle=[handle, "@x"])
    assert out["profile_url"].iloc[0] is None
    assert out["profile_url"].iloc[1] == "https://www.tiktok.com/@x"


def test_profile_url_without_handle_column():
    assert one(followers=5)["profile_url"] is None


# ---- property: never infinity ------------------------------------------------------------

# Counts and averages as they come out of values.parse_value: zeros, missing, whole numbers and
# fractions of realistic magnitude (extreme magnitudes have their own test below).
_value = st.one_of(
    st.just(0), st.just(NAN), st.integers(min_value=0, max_value=10**12),
    st.floats(min_value=1e-6, max_value=1e12, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries({key: _value for key in NUMERIC_INPUTS}),
                min_size=1, max_size=5))
def test_compute_metrics_never_produces_inf(rows):
    frame = pd.DataFrame(rows, dtype="float64")
    out = compute_metrics(frame, TEMPLATE)
    numbers = out[RATE_KEYS].to_numpy(dtype="float64")
    assert not np.isinf(numbers).any()
    for i, row in enumerate(rows):
        views = row["avg_views"]
        er = out["engagement_rate"].iloc[i]
        if not views > 0:
            assert math.isnan(er)
        parts = [row[k] for k in ("avg_likes", "avg_comments", "avg_shares", "avg_saves")]
        if views > 0 and not any(math.isnan(p) for p in parts):
            assert er == pytest.approx(sum(parts) / views, rel=1e-9)
        band = out["er_band"].iloc[i]
        assert (band is None) == math.isnan(er)


def test_extreme_but_finite_inputs_never_produce_inf():
    out = metrics(followers=[5e-324, 1.0], avg_views=[1.0, 1.0],
                  avg_likes=[1e308, 1e308], avg_comments=[1e308, 1e308],
                  avg_shares=[0.0, 0.0], avg_saves=[0.0, 0.0])
    numbers = out[RATE_KEYS].to_numpy(dtype="float64")
    assert not np.isinf(numbers).any()
