"""The Summary tab against a pandas computation of the same data."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

import sheets_sync
from tests.conftest import EXAMPLES, TODAY, table

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
    summary = table(book, "Summary")
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
    movers = [r["Top Mover"] for r in table(book, "Summary") if r.get("Top Mover")]
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
    row = next(r for r in table(book, "Summary") if r["Category"] == "Direct")
    assert row["Accounts"] == 11  # our own account is not a competitor
    assert math.isclose(row["Median Engagement Rate"], rivals.median(), rel_tol=1e-9)
    assert math.isclose(row["Our Engagement Rate"], ours["Engagement Rate"], rel_tol=1e-9)
    assert math.isclose(row["Engagement Gap vs Median"],
                        ours["Engagement Rate"] - rivals.median(), rel_tol=1e-9)
    movers = [r["Top Mover"] for r in table(book, "Summary") if r.get("Top Mover")]
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
