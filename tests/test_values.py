"""Reading one cell as its column's type: human numbers, percents, yes/no, choices, text."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheets_sync.template import Column, ColumnType, load_template
from sheets_sync.values import (
    CellValueError,
    expectation,
    is_empty,
    normalize_handle,
    parse_value,
    values_equal,
)

TEMPLATE = load_template("en")
FOLLOWERS = TEMPLATE.by_key["followers"]  # integer
AVG_VIEWS = TEMPLATE.by_key["avg_views"]  # number
US_SHARE = TEMPLATE.by_key["us_audience_share"]  # percent
TIKTOK_SHOP = TEMPLATE.by_key["tiktok_shop"]  # yesno
CONTENT_STYLE = TEMPLATE.by_key["content_style"]  # enum
NOTES = TEMPLATE.by_key["notes"]  # text
LAST_CHANGED = TEMPLATE.by_key["last_changed"]  # date
KIND = next(c for c in TEMPLATE.context_notes_columns if c.key == "kind")  # enum with spaces

NUMERIC_COLUMNS = [FOLLOWERS, AVG_VIEWS, US_SHARE]


def test_the_columns_used_here_have_the_expected_types():
    assert FOLLOWERS.type is ColumnType.INTEGER
    assert AVG_VIEWS.type is ColumnType.NUMBER
    assert US_SHARE.type is ColumnType.PERCENT
    assert TIKTOK_SHOP.type is ColumnType.YESNO
    assert CONTENT_STYLE.type is ColumnType.ENUM
    assert NOTES.type is ColumnType.TEXT
    assert LAST_CHANGED.type is ColumnType.DATE


# ---- human numbers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12.5K", 12_500),
        ("12.5k", 12_500),
        ("1.2M", 1_200_000),
        ("1.2m", 1_200_000),
        ("2B", 2_000_000_000),
        ("1,234", 1_234),
        ("12,500", 12_500),
        ("1,234,567", 1_234_567),
        (" 300 ", 300),
        ("300", 300),
        ("+300", 300),
        ("12 K", 12_000),
        ("1.5K", 1_500),
        ("3万", 30_000),
        ("1.5亿", 150_000_000),
        ("0", 0),
        ("-0", 0),
        ("1\u00a0234", 1_234),  # non-breaking space as thousands separator
        (12500, 12_500),
        (12500.0, 12_500),
    ],
)
def test_integer_column_reads_human_numbers(raw, expected):
    value = parse_value(raw, FOLLOWERS)
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12.5K", 12_500),
        ("1.2M", 1_200_000),
        ("1,234", 1_234),
        ("1,234.5", 1_234.5),
        ("830", 830),
        ("12.5", 12.5),
        (".5", 0.5),
        (" 300 ", 300),
        ("1.2345K", 1_234.5),
        (12.25, 12.25),
        (7, 7),
    ],
)
def test_number_column_reads_human_numbers(raw, expected):
    assert parse_value(raw, AVG_VIEWS) == pytest.approx(expected, rel=1e-12, abs=0)


def test_number_column_keeps_whole_numbers_as_int_and_fractions_as_float():
    assert type(parse_value("1.2M", AVG_VIEWS)) is int
    assert type(parse_value("830", AVG_VIEWS)) is int
    assert type(parse_value("12.5", AVG_VIEWS)) is float


@pytest.mark.parametrize(
    "raw", ["", "   ", "N/A", "n/a", "NA", "-", "--", "—", "None", "null", "?", "#N/A", None,
            float("nan")],
)
@pytest.mark.parametrize("column", [FOLLOWERS, AVG_VIEWS, US_SHARE, TIKTOK_SHOP, NOTES],
                         ids=lambda c: c.key)
def test_blank_and_not_available_markers_are_empty(raw, column):
    assert is_empty(raw)
    assert parse_value(raw, column) is None


@pytest.mark.parametrize("raw", ["0", "abc", "x", 0, 0.0, "@none"])
def test_ordinary_values_are_not_empty(raw):
    assert not is_empty(raw)


@pytest.mark.parametrize(
    "raw", ["abc", "12..5", "1e5", "12,5", "1,23", "12.5KK", "K", "12.5X", "1.2.3", "5 5%",
            "%", "."],
)
@pytest.mark.parametrize("column", [FOLLOWERS, AVG_VIEWS], ids=lambda c: c.key)
def test_unreadable_numbers_are_rejected_with_what_was_expected(raw, column):
    with pytest.raises(CellValueError) as info:
        parse_value(raw, column)
    assert info.value.expected.startswith(expectation(column))
    assert "12.5K" in str(info.value)  # the message shows an example of a good value


@pytest.mark.parametrize("raw", ["12.5", "0.5", 12.5, "1,234.5"])
def test_integer_column_rejects_a_fraction(raw):
    with pytest.raises(CellValueError, match="fraction"):
        parse_value(raw, FOLLOWERS)


@pytest.mark.parametrize(("raw", "expected"), [("1.5K", 1_500), ("2.25M", 2_250_000),
                                               ("12.5K", 12_500)])
def test_integer_column_accepts_a_fraction_with_a_suffix(raw, expected):
    assert parse_value(raw, FOLLOWERS) == expected


@pytest.mark.parametrize("raw", ["-5", "-1.2K", -3, -0.5, "-1,234"])
@pytest.mark.parametrize("column", NUMERIC_COLUMNS, ids=lambda c: c.key)
def test_negative_numbers_are_rejected(raw, column):
    with pytest.raises(CellValueError, match="negative"):
        parse_value(raw, column)


def test_negative_percent_is_rejected():
    with pytest.raises(CellValueError, match="negative"):
        parse_value("-5%", US_SHARE)


@pytest.mark.parametrize("raw", ["5%", "45.6%"])
@pytest.mark.parametrize("column", [FOLLOWERS, AVG_VIEWS], ids=lambda c: c.key)
def test_percent_sign_is_rejected_outside_percent_columns(raw, column):
    with pytest.raises(CellValueError):
        parse_value(raw, column)


@pytest.mark.parametrize("raw", ["#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#ERROR!",
                                 " #ref! "])
@pytest.mark.parametrize("column", [FOLLOWERS, AVG_VIEWS, US_SHARE, TIKTOK_SHOP, LAST_CHANGED],
                         ids=lambda c: c.key)
def test_spreadsheet_error_values_are_rejected_naming_the_error(raw, column):
    with pytest.raises(CellValueError) as info:
        parse_value(raw, column)
    assert raw.strip() in str(info.value)
    assert "error value" in str(info.value)


def test_error_value_in_a_text_column_is_kept_as_text():
    assert parse_value("#REF!", NOTES) == "#REF!"


@pytest.mark.parametrize("raw", [dt.date(2026, 3, 31), dt.datetime(2026, 3, 31, 12, 0)])
@pytest.mark.parametrize("column", NUMERIC_COLUMNS, ids=lambda c: c.key)
def test_dates_in_number_columns_are_rejected(raw, column):
    with pytest.raises(CellValueError, match="date"):
        parse_value(raw, column)


@pytest.mark.parametrize("column", NUMERIC_COLUMNS, ids=lambda c: c.key)
def test_date_text_in_number_columns_is_rejected(column):
    with pytest.raises(CellValueError):
        parse_value("2026-03-31", column)


@pytest.mark.parametrize("raw", [True, False])
@pytest.mark.parametrize("column", NUMERIC_COLUMNS, ids=lambda c: c.key)
def test_booleans_are_not_numbers(raw, column):
    with pytest.raises(CellValueError):
        parse_value(raw, column)


@pytest.mark.parametrize("raw", [float("inf"), float("-inf")])
def test_infinite_floats_are_rejected(raw):
    with pytest.raises(CellValueError):
        parse_value(raw, AVG_VIEWS)


# ---- percents -------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["45.6%", "45.6", "0.456", 45.6, 0.456, " 45.6 % ", "45.6 %"])
def test_percent_spellings_all_mean_the_same_fraction(raw):
    value = parse_value(raw, US_SHARE)
    assert isinstance(value, float)
    assert value == pytest.approx(0.456, abs=1e-12)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("5%", 0.05), ("0%", 0.0), ("100%", 1.0), ("100", 1.0), ("0.5%", 0.005), ("0.5", 0.5),
     ("50", 0.5), ("1.5", 0.015), (0, 0.0), ("0.0", 0.0)],
)
def test_percent_values(raw, expected):
    assert parse_value(raw, US_SHARE) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("raw", ["100.1%", "101", "150%", "12.5K%", "2K"])
def test_percent_above_100_is_rejected(raw):
    with pytest.raises(CellValueError, match="0% to 100%"):
        parse_value(raw, US_SHARE)


# ---- yes/no, choices, text, dates -----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("yes", "yes"), ("Yes", "yes"), ("YES", "yes"), (" yes ", "yes"), ("y", "yes"),
     ("TRUE", "yes"), ("true", "yes"), ("x", "yes"), ("1", "yes"), (1, "yes"), (True, "yes"),
     ("✓", "yes"), ("是", "yes"),
     ("no", "no"), ("No", "no"), ("NO", "no"), ("n", "no"), ("False", "no"), ("0", "no"),
     (0, "no"), (False, "no"), ("否", "no")],
)
def test_yes_no(raw, expected):
    assert parse_value(raw, TIKTOK_SHOP) == expected


@pytest.mark.parametrize("raw", ["maybe", "yess", "2", "sometimes"])
def test_yes_no_rejects_other_words(raw):
    with pytest.raises(CellValueError, match="one of yes, no"):
        parse_value(raw, TIKTOK_SHOP)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("educational", "educational"), ("Educational", "educational"), ("UGC", "ugc"),
     (" Entertainment ", "entertainment"), ("POLISHED", "polished"), ("u.g.c.", "ugc")],
)
def test_enum_choices_case_insensitive(raw, expected):
    assert parse_value(raw, CONTENT_STYLE) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Product Launch", "product launch"), ("product-launch", "product launch"),
     ("VIRAL VIDEO", "viral video")],
)
def test_enum_choice_with_spaces(raw, expected):
    assert parse_value(raw, KIND) == expected


def test_enum_rejects_an_unknown_choice_listing_the_choices():
    with pytest.raises(CellValueError) as info:
        parse_value("funny", CONTENT_STYLE)
    assert "educational, entertainment, polished, ugc" in str(info.value)


def test_enum_does_not_accept_yes_no_words():
    goal = TEMPLATE.by_key["business_goal"]
    with pytest.raises(CellValueError):
        parse_value("yes", goal)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("=1+1", "=1+1"), ("  Tue/Thu 7-9pm  ", "Tue/Thu 7-9pm"), ("12.5K", "12.5K"),
     ("45.6%", "45.6%"), (12.0, "12"), (12.5, "12.5"), (42, "42"),
     (dt.datetime(2026, 3, 31, 8, 30), "2026-03-31"), ("@GlowLab", "@GlowLab")],
)
def test_text_keeps_the_content(raw, expected):
    assert parse_value(raw, NOTES) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026-03-31", dt.date(2026, 3, 31)), ("2026-03-31T10:00:00", dt.date(2026, 3, 31)),
     (dt.date(2026, 3, 31), dt.date(2026, 3, 31)),
     (dt.datetime(2026, 3, 31, 23, 59), dt.date(2026, 3, 31))],
)
def test_dates(raw, expected):
    value = parse_value(raw, LAST_CHANGED)
    assert value == expected
    assert type(value) is dt.date


@pytest.mark.parametrize("raw", ["31/03/2026", "yesterday", "2026-13-01"])
def test_bad_dates_are_rejected(raw):
    with pytest.raises(CellValueError, match="a date like"):
        parse_value(raw, LAST_CHANGED)


def test_cell_value_error_is_a_value_error_with_expected():
    with pytest.raises(ValueError) as info:
        parse_value("abc", FOLLOWERS)
    assert isinstance(info.value, CellValueError)
    assert info.value.expected == expectation(FOLLOWERS)


def test_expectation_for_a_custom_yes_no_column_lists_its_choices():
    column = Column(key="shop", header="Shop", type=ColumnType.YESNO, choices=("oui", "non"))
    assert expectation(column) == "one of oui, non"
    assert parse_value("OUI", column) == "oui"
    assert parse_value("yes", column) == "oui"
    assert parse_value("no", column) == "non"


# ---- handles and equality -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("@GlowLab", "glowlab"), ("glowlab", "glowlab"), ("  @GlowLab ", "glowlab"),
     ("@ glowlab", "glowlab"), ("GLOW.LAB_1", "glow.lab_1"), ("@@twice", "twice")],
)
def test_normalize_handle(raw, expected):
    assert normalize_handle(raw) == expected


def test_normalize_handle_keeps_different_accounts_apart():
    assert normalize_handle("@glow.lab") != normalize_handle("@glowlab")
    assert normalize_handle("@glow_lab") != normalize_handle("@glowlab")


@pytest.mark.parametrize(
    ("a", "b"),
    [(None, None), (1, 1.0), (0.1 + 0.2, 0.3), (12500, 12500), ("x", "x"),
     (dt.date(2026, 3, 31), dt.datetime(2026, 3, 31, 10, 0)),
     (dt.datetime(2026, 3, 31, 10, 0), dt.date(2026, 3, 31)), (0, 0.0)],
)
def test_values_equal(a, b):
    assert values_equal(a, b)
    assert values_equal(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [(None, 0), (None, ""), (1, 2), (12500, 12501), (0.05, 0.0501), ("x", "X"), (1, "1"),
     (dt.date(2026, 3, 31), "2026-03-31"), (dt.date(2026, 3, 31), dt.date(2026, 4, 1))],
)
def test_values_not_equal(a, b):
    assert not values_equal(a, b)
    assert not values_equal(b, a)


# ---- properties ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_thousands_separated_integers_round_trip(n):
    assert parse_value(f"{n:,}", FOLLOWERS) == n
    assert parse_value(f"{n:,}", AVG_VIEWS) == n
    assert parse_value(str(n), FOLLOWERS) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10**12))
def test_k_suffix_round_trips(n):
    # repr-precision: exact
    assert parse_value(f"{n / 1000}K", AVG_VIEWS) == pytest.approx(n, rel=1e-12)
    assert parse_value(f"{n / 1000}K", FOLLOWERS) == n
    # one decimal, as tools print it: within the rounding of the display
    shown = parse_value(f"{n / 1000:.1f}K", AVG_VIEWS)
    assert abs(shown - n) <= 50 + 1e-6
    shown_m = parse_value(f"{n / 1_000_000:.2f}M", AVG_VIEWS)
    assert abs(shown_m - n) <= 5_000 + 1e-6


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False))
def test_percent_text_with_sign_is_a_hundredth(d):
    assert parse_value(f"{d}%", US_SHARE) == pytest.approx(float(d) / 100, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(st.text())
@pytest.mark.parametrize(
    "column", [FOLLOWERS, AVG_VIEWS, US_SHARE, TIKTOK_SHOP, CONTENT_STYLE, LAST_CHANGED, NOTES],
    ids=lambda c: c.key,
)
def test_parse_raises_only_cell_value_error(column, text):
    try:
        value = parse_value(text, column)
    except CellValueError as exc:
        assert exc.expected  # always says what was expected
        return
    if value is None:
        assert is_empty(text)
    elif column.type is ColumnType.INTEGER:
        assert type(value) is int and value >= 0
    elif column.type is ColumnType.NUMBER:
        assert isinstance(value, int | float) and value >= 0 and math.isfinite(value)
    elif column.type is ColumnType.PERCENT:
        assert 0.0 <= value <= 1.0
    elif column.type in (ColumnType.ENUM, ColumnType.YESNO):
        assert value in column.choices
    elif column.type is ColumnType.DATE:
        assert type(value) is dt.date
    else:
        assert value == text.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.,%+-kKmMbB ", max_size=12))
def test_parse_of_number_like_text_raises_only_cell_value_error(text):
    for column in NUMERIC_COLUMNS:
        try:
            value = parse_value(text, column)
        except CellValueError:
            continue
        if value is not None:
            assert isinstance(value, int | float) and math.isfinite(value) and value >= 0


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[A-Za-z0-9._]{1,24}", fullmatch=True), st.sampled_from(["", "@"]),
       st.sampled_from(["", " ", "  "]))
def test_normalize_handle_ignores_at_case_and_space(name, at, pad):
    assert normalize_handle(f"{pad}{at}{name}{pad}") == normalize_handle(name.upper())
