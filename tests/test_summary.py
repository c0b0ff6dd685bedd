"""The Summary tab against a pandas computation of the same data, and against quartiles worked
out by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

import sheets_sync
from tests.conftest import EXAMPLES, TODAY, summary_of, table

RATES = {"Follower Growth (30d)": "Follower Growth (30d)", "Engagement Rate": "Engagement Rate",
         "Views per Follower": "Views per Follower", "Save Rate": "Save Rate"}


def test_summary_matches_pandas(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], today=TODAY)
    frames = []
    for tab in ("Direct", "Indirect", "Learning"):
        frame = pd.DataFrame(table(book, tab))
        frame["tab"] = tab
        frames.append(frame)
    accounts = pd.concat(frames, ignore_index=True)
    summary = summary_of(book)
    by_category = {r["Category"]: r for r in summary if r.get("Category")}
    for label, group in [*accounts.groupby("tab"), ("All", accounts)]:
        row = by_category[label]
        assert row["Accounts"] == len(group)
        assert row["Micro"] == (group["Tier"] == "Micro").sum()
        assert row["Macro"] == (group["Tier"] == "Macro").sum()
        er = pd.to_numeric(group["Engagement Rate"])
        assert row["Outside Band"] == ((er < 0.03) | (er > 0.09)).sum()
        for header in RATES:
            values = pd.to_numeric(group[header]).dropna()
            for prefix, q in (("Q1", 0.25), ("Median", 0.5), ("Q3", 0.75)):
                assert math.isclose(row[f"{prefix} {header}"], values.quantile(q),
                                    rel_tol=1e-9), (label, prefix, header)
    movers = [r for r in summary if r.get("Top Mover")]
    growth = accounts.dropna(subset=["Follower Growth (30d)"]).sort_values(
        "Follower Growth (30d)", ascending=False, kind="stable")
    assert [m["Top Mover"] for m in movers] == list(growth["Handle"][:10])
    assert [m["Mover Rank"] for m in movers] == list(range(1, 11))
    assert movers[0]["Mover Growth (30d)"] >= movers[-1]["Mover Growth (30d)"]


def test_growth_rate_not_size_ranks_movers(tmp_path: Path) -> None:
    from tests.conftest import write_csv

    rows = [{"category": "direct", "Handle": "@small", "Followers": "55K",
             "Followers 30d Ago": "50K"},
            {"category": "direct", "Handle": "@big", "Followers": "505K",
             "Followers 30d Ago": "500K"}]
    book = tmp_path / "m.xlsx"
    sheets_sync.push(book, [write_csv(tmp_path / "m.csv", rows)], today=TODAY)
    movers = [r["Top Mover"] for r in summary_of(book) if r.get("Top Mover")]
    assert movers == ["@small", "@big"]


def test_our_brand_beside_the_medians_with_the_gap(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sheets_sync.cli import cli

    book = tmp_path / "b.xlsx"
    (tmp_path / "sheets-sync.toml").write_text(f'sheet = "{book}"\nour_brand = "@glowpuff.skin"\n')
    import os

    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(cli, ["push", str(EXAMPLES)])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    direct = [r for r in table(book, "Direct")]
    ours = next(r for r in direct if r["Handle"] == "@glowpuff.skin")
    rivals = pd.to_numeric(pd.Series([r["Engagement Rate"] for r in direct
                                      if r["Handle"] != "@glowpuff.skin"]))
    row = next(r for r in summary_of(book) if r["Category"] == "Direct")
    assert row["Accounts"] == 11  # our own account is not a competitor
    assert math.isclose(row["Median Engagement Rate"], rivals.median(), rel_tol=1e-9)
    assert math.isclose(row["Our Engagement Rate"], ours["Engagement Rate"], rel_tol=1e-9)
    # the gap is in percentage points: 3% against a 5% median is -2 pp
    assert math.isclose(row["Engagement Gap vs Median (pp)"],
                        (ours["Engagement Rate"] - rivals.median()) * 100, rel_tol=1e-9)
    movers = [r["Top Mover"] for r in summary_of(book) if r.get("Top Mover")]
    assert "@glowpuff.skin" not in movers


def test_the_summary_has_a_native_chart_that_survives_saves(tmp_path: Path) -> None:
    import zipfile

    from sheets_sync.notes import add_note

    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], today=TODAY)

    def charts() -> list[str]:
        with zipfile.ZipFile(book) as archive:
            return [n for n in archive.namelist() if n.startswith("xl/charts/chart")]

    assert len(charts()) == 1
    with zipfile.ZipFile(book) as archive:
        xml = archive.read(charts()[0]).decode()
    assert "scatterChart" in xml and "'Direct'!$AB$2" in xml.replace("Direct!", "'Direct'!")
    add_note(book, "a save that does not come from a push", date=TODAY, author="")
    sheets_sync.push(book, [EXAMPLES], today=TODAY)
    assert len(charts()) == 1


# ---- quartiles worked out by hand ------------------------------------------------------------
#
# The Summary takes DataFrame.quantile with pandas' default interpolation, "linear": for n
# values sorted v[0] <= ... <= v[n-1], quantile q sits at position p = (n - 1) * q and is
# v[floor(p)] + (p - floor(p)) * (v[floor(p) + 1] - v[floor(p)]).  Missing values are left
# out before counting n.  Each account below has 10,000 views, 0 comments, shares and saves,
# and 100 * k likes, so its engagement rate is exactly k%.

PCT = 0.01


def _account(handle: str, percent: float | None, *, category: str = "direct",
             saves: object = 0) -> dict[str, object]:
    return {"category": category, "Handle": handle, "Followers": 50000, "Avg Views": 10000,
            "Avg Likes": "" if percent is None else round(percent * 100),
            "Avg Comments": 0, "Avg Shares": 0, "Avg Saves": saves}


def _summary(tmp_path: Path, rows: list[dict[str, object]],
             **options: object) -> dict[str, dict[str, object]]:
    from tests.conftest import write_csv

    book = tmp_path / "q.xlsx"
    sheets_sync.push(book, [write_csv(tmp_path / "q.csv", rows)], today=TODAY, **options)
    return {r["Category"]: r for r in summary_of(book) if r.get("Category")}


def _quartiles(row: dict[str, object], header: str) -> tuple[object, object, object]:
    return row[f"Q1 {header}"], row[f"Median {header}"], row[f"Q3 {header}"]


def _assert_close(got: tuple[object, ...], want: tuple[float, ...]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert isinstance(g, int | float) and math.isclose(g, w, rel_tol=1e-9, abs_tol=1e-15), (
            got, want)


def test_quartiles_of_an_odd_count_by_hand(tmp_path: Path) -> None:
    rows = [_account(f"@d{k}", k) for k in (3, 1, 5, 2, 4)]
    rows += [_account("@i9", 9, category="indirect"), _account("@i20", 20, category="indirect")]
    summary = _summary(tmp_path, rows)
    direct, indirect, every = summary["Direct"], summary["Indirect"], summary["All"]
    # Direct: 1, 2, 3, 4, 5 (%); n = 5.  Q1 at p = 4 * 0.25 = 1 -> 2%; median at p = 2 -> 3%;
    # Q3 at p = 3 -> 4%.
    _assert_close(_quartiles(direct, "Engagement Rate"), (2 * PCT, 3 * PCT, 4 * PCT))
    _assert_close(_quartiles(direct, "ER excl. Saves"), (2 * PCT, 3 * PCT, 4 * PCT))
    _assert_close(_quartiles(direct, "Save Rate"), (0.0, 0.0, 0.0))
    # Indirect: 9, 20; n = 2.  Q1 at p = 0.25 -> 9 + 0.25 * 11 = 11.75%; median at p = 0.5 ->
    # 9 + 0.5 * 11 = 14.5%; Q3 at p = 0.75 -> 9 + 0.75 * 11 = 17.25%.
    _assert_close(_quartiles(indirect, "Engagement Rate"), (11.75 * PCT, 14.5 * PCT, 17.25 * PCT))
    # All: 1, 2, 3, 4, 5, 9, 20; n = 7.  Q1 at p = 6 * 0.25 = 1.5 -> 2 + 0.5 * (3 - 2) = 2.5%;
    # median at p = 3 -> 4%; Q3 at p = 4.5 -> 5 + 0.5 * (9 - 5) = 7%.
    _assert_close(_quartiles(every, "Engagement Rate"), (2.5 * PCT, 4 * PCT, 7 * PCT))
    assert (direct["Accounts"], indirect["Accounts"], every["Accounts"]) == (5, 2, 7)
    # Outside the 3%-9% band, edges in band: Direct 1% and 2%; Indirect 20% (9% is in band).
    assert (direct["Outside Band"], indirect["Outside Band"], every["Outside Band"]) == (2, 1, 3)


def test_quartiles_of_an_even_count_by_hand(tmp_path: Path) -> None:
    summary = _summary(tmp_path, [_account(f"@d{k}", k) for k in (4, 2, 1, 3)])
    # 1, 2, 3, 4 (%); n = 4.  Q1 at p = 3 * 0.25 = 0.75 -> 1 + 0.75 * (2 - 1) = 1.75%;
    # median at p = 1.5 -> 2 + 0.5 * (3 - 2) = 2.5%; Q3 at p = 2.25 -> 3 + 0.25 * (4 - 3) = 3.25%.
    for label in ("Direct", "All"):
        _assert_close(_quartiles(summary[label], "Engagement Rate"),
                      (1.75 * PCT, 2.5 * PCT, 3.25 * PCT))
        assert summary[label]["Accounts"] == 4


def test_a_missing_rate_is_left_out_of_the_quartiles_not_counted_as_zero(tmp_path: Path) -> None:
    rows = [_account(f"@d{k}", k) for k in (1, 2, 3, 4)]
    rows.append(_account("@d5", 5, saves=""))  # saves unknown: no engagement rate
    summary = _summary(tmp_path, rows)
    direct = summary["Direct"]
    # Engagement Rate: 1, 2, 3, 4 (%) and one missing; n = 4, as in the even count:
    # 1.75%, 2.5%, 3.25%.  (Counted as 0 it would be 0, 1, 2, 3, 4: 1%, 2%, 3%.)
    _assert_close(_quartiles(direct, "Engagement Rate"), (1.75 * PCT, 2.5 * PCT, 3.25 * PCT))
    # ER excl. Saves does not need saves: 1, 2, 3, 4, 5 (%); n = 5 -> 2%, 3%, 4%.
    _assert_close(_quartiles(direct, "ER excl. Saves"), (2 * PCT, 3 * PCT, 4 * PCT))
    # Save Rate: 0, 0, 0, 0 and one missing -> 0 throughout.
    _assert_close(_quartiles(direct, "Save Rate"), (0.0, 0.0, 0.0))
    assert direct["Accounts"] == 5  # the account still counts, only its rate is missing
    assert direct["Outside Band"] == 2  # 1% and 2%; the missing rate is neither low nor high


def test_our_brand_is_left_out_of_the_quartiles(tmp_path: Path) -> None:
    rows = [_account(f"@d{k}", k) for k in (1, 2, 3, 4, 5)]
    rows.append(_account("@Ours", 50))
    summary = _summary(tmp_path, rows, our_brand=["@ours"])
    # Without our 50%: 1, 2, 3, 4, 5 (%) -> 2%, 3%, 4%.  (With it, n = 6: Q1 at p = 1.25 ->
    # 2.25%, median at p = 2.5 -> 3.5%, Q3 at p = 3.75 -> 4.75%.)
    for label in ("Direct", "All"):
        row = summary[label]
        _assert_close(_quartiles(row, "Engagement Rate"), (2 * PCT, 3 * PCT, 4 * PCT))
        assert row["Accounts"] == 5
        assert row["Outside Band"] == 2  # 1% and 2%; our 50% is not a competitor's
        # our 50% beside the competitors' median of 3%: a gap of 47 points
        _assert_close((row["Our Engagement Rate"], row["Engagement Gap vs Median (pp)"]),
                      (50 * PCT, 47.0))
