"""The built-in template and the errors of a broken template file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sheets_sync.errors import TemplateError
from sheets_sync.template import (
    REQUIRED_CATEGORY_KEYS,
    ColumnType,
    builtin_template_names,
    builtin_template_path,
    load_template,
    normalize_header,
)

EN_PATH = builtin_template_path("en")
EN_TEXT = EN_PATH.read_text(encoding="utf-8") if EN_PATH else ""

# domain.md, "Columns of a category tab": key -> (header, type)
INPUT_COLUMNS = {
    "handle": ("Handle", "text"),
    "display_name": ("Name", "text"),
    "followers": ("Followers", "integer"),
    "followers_30d_ago": ("Followers 30d Ago", "integer"),
    "avg_views": ("Avg Views", "number"),
    "avg_likes": ("Avg Likes", "number"),
    "avg_comments": ("Avg Comments", "number"),
    "avg_shares": ("Avg Shares", "number"),
    "avg_saves": ("Avg Saves", "number"),
    "posts_30d": ("Posts (30d)", "integer"),
    "posting_times": ("Posting Times (ET)", "text"),
    "content_style": ("Content Style", "enum"),
    "business_goal": ("Business Goal", "enum"),
    "content_themes": ("Content Themes", "text"),
    "top_audio": ("Top Audio", "text"),
    "hashtags": ("Hashtags", "text"),
    "formats": ("Formats", "text"),
    "us_audience_share": ("US Audience %", "percent"),
    "tiktok_shop": ("TikTok Shop", "yesno"),
    "product_tags": ("Product Tags", "yesno"),
    "live_shopping": ("Live Shopping", "text"),
    "promotions": ("Promotions", "text"),
    "creator_partnerships": ("Creator Partnerships", "text"),
    "notes": ("Notes", "text"),
}
DERIVED_COLUMNS = {
    "tier": "Tier",
    "follower_growth_30d": "Follower Growth (30d)",
    "views_per_follower": "Views per Follower",
    "engagement_rate": "Engagement Rate",
    "engagement_rate_no_saves": "ER excl. Saves",
    "comment_rate": "Comment Rate",
    "share_rate": "Share Rate",
    "save_rate": "Save Rate",
    "posts_per_week": "Posts per Week",
    "er_band": "ER Band",
    "profile_url": "Profile",
    "last_changed": "Last Changed",
}


@pytest.fixture(scope="module")
def en():
    return load_template("en")


def write(tmp_path: Path, text: str, name: str = "broken.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def replace_once(old: str, new: str, text: str = EN_TEXT) -> str:
    assert text.count(old) >= 1, f"{old!r} is not in en.toml"
    return text.replace(old, new, 1)


def column_index(key: str) -> int:
    keys = re.findall(r'^\[\[columns\]\]\nkey = "([a-z0-9_]+)"', EN_TEXT, re.MULTILINE)
    return keys.index(key)


def load_error(path: Path) -> str:
    with pytest.raises(TemplateError) as info:
        load_template(path)
    return str(info.value)


# ---- the built-in template ------------------------------------------------------------


def test_builtin_en_exists_and_is_listed():
    assert EN_PATH is not None and EN_PATH.is_file()
    assert "en" in builtin_template_names()


def test_builtin_template_loads(en):
    assert en.name == "en"
    assert en.source == str(EN_PATH)


def test_loading_by_name_and_by_path_agree(en):
    by_path = load_template(EN_PATH)
    assert by_path.model_dump() == en.model_dump()
    assert load_template(str(EN_PATH)).columns == en.columns


def test_tabs_of_domain_md(en):
    assert en.all_tabs == {
        "direct": "Direct", "indirect": "Indirect", "learning": "Learning",
        "summary": "Summary", "context_notes": "Context Notes", "history": "History",
        "alerts": "Alerts",
    }
    assert en.category_tabs == {"direct": "Direct", "indirect": "Indirect",
                                "learning": "Learning"}


@pytest.mark.parametrize(("key", "header_type"), INPUT_COLUMNS.items())
def test_input_columns_of_domain_md(en, key, header_type):
    header, type_ = header_type
    column = en.by_key[key]
    assert column.header == header
    assert column.type == ColumnType(type_)
    assert not column.derived


@pytest.mark.parametrize(("key", "header"), DERIVED_COLUMNS.items())
def test_derived_columns_of_domain_md(en, key, header):
    column = en.by_key[key]
    assert column.header == header
    assert column.derived


def test_column_order_inputs_then_derived(en):
    keys = [c.key for c in en.columns]
    assert keys == list(INPUT_COLUMNS) + list(DERIVED_COLUMNS)
    assert [c.key for c in en.input_columns] == list(INPUT_COLUMNS)
    assert [c.key for c in en.derived_columns] == list(DERIVED_COLUMNS)


def test_choices_of_domain_md(en):
    assert en.by_key["content_style"].choices == ("educational", "entertainment", "polished",
                                                  "ugc")
    assert en.by_key["business_goal"].choices == ("awareness", "sales", "mixed")
    assert en.by_key["tiktok_shop"].choices == ("yes", "no")
    assert en.by_key["product_tags"].choices == ("yes", "no")
    kinds = next(c for c in en.context_notes_columns if c.key == "kind").choices
    for kind in ("product launch", "creator collab", "campaign", "viral video",
                 "algorithm change", "crisis", "seasonal event"):
        assert kind in kinds


def test_band_and_thresholds(en):
    assert en.band.engagement_low == 0.03
    assert en.band.engagement_high == 0.09
    assert en.thresholds.stale_days == 35
    assert en.thresholds.growth_spike == 0.20
    assert en.thresholds.growth_spike_median_multiple == 3.0
    assert en.thresholds.review_months == 6


def test_labels(en):
    labels = en.labels
    assert (labels.tier_micro, labels.tier_mid, labels.tier_macro) == ("Micro", "Mid", "Macro")
    assert (labels.band_low, labels.band_in, labels.band_high) == ("low", "in band", "high")


def test_colours_are_upper_case_hex(en):
    for name, value in en.colors.model_dump().items():
        assert re.fullmatch(r"#[0-9A-F]{6}", value), name


def test_other_tabs_have_columns(en):
    assert [c.key for c in en.columns_of("history")][:3] == ["snapshot_date", "category",
                                                             "handle"]
    assert [c.header for c in en.columns_of("context_notes")] == [
        "Date", "Handle", "Kind", "Note", "Author"]
    assert "message" in [c.key for c in en.columns_of("alerts")]
    assert en.columns_of("direct") == en.columns
    assert "median_engagement_rate" in [c.key for c in en.columns_of("summary")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("direct", "direct"), ("Direct", "direct"), (" INDIRECT ", "indirect"),
     ("learning", "learning"), ("Learn ing", "learning"), ("Summary", None), ("", None),
     ("competitors", None)],
)
def test_category_for(en, text, expected):
    assert en.category_for(text) == expected


@pytest.mark.parametrize(("a", "b"), [("Avg Views", "avg_views"), ("Posts (30d)", "posts_30d"),
                                      ("  FOLLOWERS 30D AGO ", "followers-30d-ago")])
def test_normalize_header(a, b):
    assert normalize_header(a) == normalize_header(b)


def test_normalize_header_keeps_different_names_apart():
    assert normalize_header("Avg Views") != normalize_header("Avg Likes")


def test_every_required_key_is_in_en(en):
    assert set(REQUIRED_CATEGORY_KEYS) <= set(en.by_key)


# ---- broken template files --------------------------------------------------------------


def test_copy_of_en_loads_from_tmp_path(tmp_path, en):
    path = write(tmp_path, EN_TEXT, "copy.toml")
    loaded = load_template(path)
    assert loaded.columns == en.columns
    assert loaded.source == str(path)


def test_wrong_type_for_a_column_type(tmp_path):
    index = column_index("avg_views")
    path = write(tmp_path, replace_once(
        'key = "avg_views"\nheader = "Avg Views"\ntype = "number"',
        'key = "avg_views"\nheader = "Avg Views"\ntype = 5'))
    message = load_error(path)
    assert str(path) in message
    assert f"columns[{index}] (key 'avg_views').type" in message
    assert "history_columns" not in message  # only the first occurrence was broken


def test_unknown_column_type(tmp_path):
    index = column_index("followers")
    path = write(tmp_path, replace_once(
        'key = "followers"\nheader = "Followers"\ntype = "integer"',
        'key = "followers"\nheader = "Followers"\ntype = "whole"'))
    message = load_error(path)
    assert str(path) in message
    assert f"columns[{index}] (key 'followers').type" in message
    assert "'integer'" in message  # says what is allowed


def test_wrong_type_for_width(tmp_path):
    index = column_index("notes")
    old = 'key = "notes"\nheader = "Notes"\ntype = "text"\nwidth = 30'
    path = write(tmp_path, replace_once(old, old.replace("width = 30", 'width = "wide"')))
    message = load_error(path)
    assert f"columns[{index}] (key 'notes').width" in message


def test_wrong_type_for_band(tmp_path):
    path = write(tmp_path, replace_once("engagement_low = 0.03", 'engagement_low = "3%"'))
    message = load_error(path)
    assert str(path) in message
    assert "band.engagement_low" in message


def test_unknown_field(tmp_path):
    path = write(tmp_path, replace_once("engagement_high = 0.09",
                                        "engagement_high = 0.09\nengagement_mid = 0.05"))
    message = load_error(path)
    assert str(path) in message
    assert "band.engagement_mid" in message


def test_unknown_field_in_a_column(tmp_path):
    index = column_index("hashtags")
    path = write(tmp_path, replace_once('key = "hashtags"\n', 'key = "hashtags"\ncolour = "red"\n'))
    message = load_error(path)
    assert f"columns[{index}] (key 'hashtags').colour" in message


@pytest.mark.parametrize("colour", ["red", "#F4CCC", "#F4CCCCC", "F4CCCC", "#GGGGGG"])
def test_bad_colour(tmp_path, colour):
    path = write(tmp_path, replace_once('below_band = "#F4CCCC"', f'below_band = "{colour}"'))
    message = load_error(path)
    assert str(path) in message
    assert "colors.below_band" in message
    assert repr(colour) in message


def test_colour_with_a_trailing_newline_is_rejected(tmp_path):
    path = write(tmp_path, replace_once('below_band = "#F4CCCC"', 'below_band = "#F4CCCC\\n"'))
    with pytest.raises(TemplateError, match=r"colors\.below_band"):
        load_template(path)


def test_lower_case_colour_is_accepted_and_upper_cased(tmp_path):
    path = write(tmp_path, replace_once('below_band = "#F4CCCC"', 'below_band = "#f4cccc"'))
    assert load_template(path).colors.below_band == "#F4CCCC"


def test_missing_required_column(tmp_path):
    # rename avg_views out of existence (only in the category columns)
    path = write(tmp_path, replace_once('key = "avg_views"\nheader = "Avg Views"',
                                        'key = "avg_viewz"\nheader = "Avg Viewz"'))
    message = load_error(path)
    assert str(path) in message
    assert "missing required keys" in message
    assert "avg_views" in message


def test_missing_required_section(tmp_path):
    path = write(tmp_path, replace_once('summary = "Summary"\n', ""))
    message = load_error(path)
    assert "tabs.summary" in message
    assert "required" in message.lower()


def test_enum_without_choices(tmp_path):
    index = column_index("content_style")
    path = write(tmp_path, replace_once(
        'choices = ["educational", "entertainment", "polished", "ugc"]\n', ""))
    message = load_error(path)
    assert f"columns[{index}] (key 'content_style')" in message
    assert "needs choices" in message


def test_band_out_of_order(tmp_path):
    path = write(tmp_path, replace_once("engagement_low = 0.03", "engagement_low = 0.2"))
    message = load_error(path)
    assert "band" in message
    assert "engagement_low must be below engagement_high" in message


def test_duplicate_tab_names(tmp_path):
    path = write(tmp_path, replace_once('learning = "Learning"', 'learning = "direct"'))
    assert "tab names must be distinct" in load_error(path)


def test_indistinguishable_headers(tmp_path):
    path = write(tmp_path, replace_once('header = "Notes"', 'header = "Hash-tags"'))
    message = load_error(path)
    assert "indistinguishable" in message
    assert "'hashtags'" in message and "'notes'" in message


def test_handle_must_be_text(tmp_path):
    path = write(tmp_path, replace_once('key = "handle"\nheader = "Handle"\ntype = "text"',
                                        'key = "handle"\nheader = "Handle"\ntype = "integer"'))
    assert "'handle' must be an input text column" in load_error(path)


def test_bad_key(tmp_path):
    index = column_index("notes")
    path = write(tmp_path, replace_once('key = "notes"', 'key = "Notes!"'))
    assert f"columns[{index}] (key 'Notes!').key" in load_error(path)


def test_several_problems_are_all_reported(tmp_path):
    text = replace_once('below_band = "#F4CCCC"', 'below_band = "red"')
    text = replace_once("engagement_high = 0.09", "engagement_high = 0.09\nextra = 1", text)
    message = load_error(write(tmp_path, text))
    assert "colors.below_band" in message
    assert "band.extra" in message


def test_invalid_toml(tmp_path):
    path = write(tmp_path, EN_TEXT + "\n[[[\n")
    message = load_error(path)
    assert str(path) in message
    assert "not valid TOML" in message


def test_missing_template_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    message = load_error(path)
    assert str(path) in message
    assert "does not exist" in message


def test_unknown_template_name_lists_builtins():
    with pytest.raises(TemplateError) as info:
        load_template("klingon")
    error = info.value
    assert "'klingon'" in error.message
    assert error.hint is not None
    assert "en" in error.hint.split("built-in templates: ")[1].split(";")[0].split(", ")
    assert ".toml" in error.hint
    assert "hint:" in str(error)


def test_template_error_hint_for_an_invalid_file(tmp_path):
    path = write(tmp_path, replace_once('below_band = "#F4CCCC"', 'below_band = "red"'))
    with pytest.raises(TemplateError) as info:
        load_template(path)
    assert info.value.hint is not None
    assert "en.toml" in info.value.hint
