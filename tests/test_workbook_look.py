"""A workbook worth opening: band presets that say what they measure, the Summary in narrow
titled blocks, rates to 0.01%, gaps in points, Profile links, a chart LibreOffice draws,
translated labels, and the render script."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

import sheets_sync
from sheets_sync.cli import cli
from sheets_sync.errors import TemplateError
from sheets_sync.summary_layout import COLUMNS
from sheets_sync.template import load_template
from tests.conftest import EXAMPLES, ROOT, TODAY, row_of, summary_of, write_csv

INDUSTRIES = ("beauty", "fashion", "retail", "food")


def _account(handle: str, likes: int, saves: int = 0) -> dict[str, object]:
    """10,000 views, no comments or shares: ER excl. Saves is likes / 100 percent."""
    return {"category": "direct", "Handle": handle, "Followers": 50000, "Avg Views": 10000,
            "Avg Likes": likes, "Avg Comments": 0, "Avg Shares": 0, "Avg Saves": saves}


def _own_rules(book: Path, tab: str = "Direct") -> dict[str, list[str]]:
    ws = load_workbook(book)[tab]
    found: dict[str, list[str]] = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            found.setdefault(str(cf.sqref).split(":")[0].rstrip("0123456789"), []).extend(
                rule.formula)
    return found


def _letter(book: Path, header: str, tab: str = "Direct") -> str:
    ws = load_workbook(book)[tab]
    return next(c.column_letter for c in ws[1] if c.value == header)


# ---- band presets ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["en", "zh"])
def test_templates_carry_industry_bands_with_their_definition(name: str) -> None:
    template = load_template(name)
    assert template.band.name == "typical"  # the article's 3%-9% stays the default
    assert (template.band.engagement_low, template.band.engagement_high) == (0.03, 0.09)
    for key in INDUSTRIES:
        band = template.bands[key]
        assert band.denominator == "views"
        assert band.includes_saves is False  # Rival IQ counts likes, comments and shares
        assert "Rival IQ" in band.source and "2024" in band.source
        # half to twice the median brand of the industry: the median itself is in band
        assert band.industry_median is not None
        assert band.engagement_low == pytest.approx(band.industry_median / 2)
        assert band.engagement_high == pytest.approx(band.industry_median * 2)
    assert template.bands["beauty"].industry_median == 0.027
    assert template.bands["retail"].industry_median == 0.026


def test_the_median_beauty_brand_is_in_the_beauty_band_not_low(tmp_path: Path) -> None:
    rows = [_account("@median", 270, saves=30)]  # ER excl. Saves 2.7%, ER 3.0%
    csv_file = write_csv(tmp_path / "b.csv", rows)
    typical, beauty = tmp_path / "t.xlsx", tmp_path / "b.xlsx"
    sheets_sync.push(typical, [csv_file], today=TODAY)
    sheets_sync.push(beauty, [csv_file], today=TODAY, band="beauty")
    # 3.0% with saves sits on the typical band's 3% edge; 2.7% without is mid-beauty band
    assert row_of(typical, "Direct", "median")["ER Band"] == "in band"
    assert row_of(beauty, "Direct", "median")["ER Band"] == "in band"
    low = write_csv(tmp_path / "l.csv", [_account("@low", 100, saves=150)])  # 1.0%, ER 2.5%
    sheets_sync.push(typical, [low], today=TODAY)
    sheets_sync.push(beauty, [low], today=TODAY)  # the workbook remembers its band
    assert row_of(typical, "Direct", "low")["ER Band"] == "low"
    assert row_of(beauty, "Direct", "low")["ER Band"] == "low"  # 1.0% < 1.35%
    no_saves = _letter(beauty, "ER excl. Saves")
    rules = _own_rules(beauty)
    assert any("<0.0135" in f for f in rules[no_saves])
    assert any(">0.054" in f for f in rules[no_saves])
    assert _letter(beauty, "Engagement Rate") not in rules  # the band is not checked there
    er = _letter(typical, "Engagement Rate")
    assert any("<0.03" in f for f in _own_rules(typical)[er])


def test_band_from_the_settings_file_and_the_flag_wins(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    (tmp_path / "sheets-sync.toml").write_text(f'sheet = "{book}"\nband = "fashion"\n')
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        first = CliRunner().invoke(cli, ["push", str(EXAMPLES)])
        assert first.exit_code == 0, first.output
        assert load_workbook(book)["Summary"]["B1"].value == "Fashion (Rival IQ 2024)"
        second = CliRunner().invoke(cli, ["push", "--band", "food"])
        assert second.exit_code == 0, second.output
        assert load_workbook(book)["Summary"]["B1"].value == "Food & Beverage (Rival IQ 2024)"
    finally:
        os.chdir(old)


def test_an_unknown_band_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    result = CliRunner().invoke(cli, ["push", "--sheet", str(book), "--band", "gaming",
                                      str(EXAMPLES)])
    assert result.exit_code == 2
    assert "unknown band 'gaming'" in result.output
    assert "beauty" in result.output and "typical" in result.output
    assert not book.exists()  # refused before anything was written


def test_a_template_names_its_band_and_a_wrong_name_lists_the_presets(tmp_path: Path) -> None:
    text = (ROOT / "templates" / "en.toml").read_text(encoding="utf-8")
    good = tmp_path / "good.toml"
    good.write_text(text.replace('band = "typical"', 'band = "retail"', 1), encoding="utf-8")
    assert load_template(good).band.label == "Retail (Rival IQ 2024)"
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('band = "typical"', 'band = "toys"', 1), encoding="utf-8")
    with pytest.raises(TemplateError) as error:
        load_template(bad)
    assert "'toys'" in str(error.value) and "beauty, fashion, food" in str(error.value)


def test_a_band_must_be_measured_by_views(tmp_path: Path) -> None:
    text = (ROOT / "templates" / "en.toml").read_text(encoding="utf-8")
    path = tmp_path / "followers.toml"
    path.write_text(text.replace('label = "Fashion (Rival IQ 2024)"',
                                 'label = "Fashion"\ndenominator = "followers"', 1),
                    encoding="utf-8")
    with pytest.raises(TemplateError) as error:
        load_template(path)
    assert "bands.fashion.denominator" in str(error.value)


# ---- the Summary ---------------------------------------------------------------------------

@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "b.xlsx"
    sheets_sync.push(path, [EXAMPLES], today=TODAY, our_brand=["@glowpuff.skin"],
                     band="beauty")
    return path


def test_the_summary_is_narrow_titled_blocks_with_the_band_stated(book: Path) -> None:
    ws = load_workbook(book)["Summary"]
    assert ws.max_column <= COLUMNS  # nothing to scroll right to
    labels = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    for title in ("Engagement band", "Accounts per category", "Our brand vs the median",
                  "Top movers by 30-day growth rate (not size)", "Rates: Q1, median, Q3"):
        assert title in labels
    band = {labels[r]: ws.cell(row=r + 1, column=2).value for r in range(6)}
    assert band["Engagement band"] == "Health & Beauty (Rival IQ 2024)"
    assert band["Range"] == "1.35% - 5.40%"
    assert band["Measured as"] == "(likes + comments + shares) / views"
    assert band["Saves"].startswith("not counted")
    assert band["Industry median"] == 0.027
    assert "Rival IQ" in band["Source"]
    movers = labels.index("Top Mover")
    assert ws.cell(row=movers + 2, column=1).value == "@ClearCrew"  # fastest grower first
    heading = labels.index("Accounts per category") + 1
    assert [c.value for c in ws[heading][1:COLUMNS]] == ["Direct", "Indirect", "Learning", "All"]
    assert ws.freeze_panes == "A2"  # the band's title row stays in view
    chart = ws._charts[0]
    assert chart.anchor._from.col == COLUMNS + 1  # beside the blocks


def test_rates_to_a_hundredth_of_a_percent_and_gaps_in_points(book: Path) -> None:
    direct = load_workbook(book)["Direct"]
    header = {c.value: c.column for c in direct[1]}
    for name in ("Engagement Rate", "ER excl. Saves", "Comment Rate", "Share Rate",
                 "Save Rate"):
        assert direct.cell(row=2, column=header[name]).number_format == "0.00%", name
    ws = load_workbook(book)["Summary"]
    labels = {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}
    gap = ws.cell(row=labels["Engagement Gap vs Median (pp)"], column=2)
    ours = ws.cell(row=labels["Our Engagement Rate"], column=2).value
    median = ws.cell(row=labels["Median Engagement Rate"], column=2).value
    assert gap.number_format == '0.00" pp"'
    assert gap.value == pytest.approx((ours - median) * 100)  # points, not a fraction
    assert ws.cell(row=labels["Median Comment Rate"], column=2).number_format == "0.00%"


def test_profile_is_a_link_that_keeps_the_plain_url(book: Path, tmp_path: Path) -> None:
    ws = load_workbook(book)["Direct"]
    header = {c.value: c.column for c in ws[1]}
    cell = ws.cell(row=2, column=header["Profile"])
    assert cell.value.startswith("https://www.tiktok.com/@")
    assert cell.hyperlink is not None and cell.hyperlink.target == cell.value
    before = book.read_bytes()
    sheets_sync.push(book, [EXAMPLES], today=TODAY)
    assert book.read_bytes() == before  # the links are in place: nothing to write


def test_a_workbook_of_the_old_look_gets_formats_and_links_once(tmp_path: Path) -> None:
    book = tmp_path / "old.xlsx"
    sheets_sync.push(book, [EXAMPLES], today=TODAY)
    wb = load_workbook(book)
    ws = wb["Direct"]
    header = {c.value: c.column for c in ws[1]}
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=header["Engagement Rate"]).number_format = "0.0%"
        ws.cell(row=row, column=header["Profile"]).hyperlink = None
    wb.save(book)
    sheets_sync.push(book, [], today=TODAY)
    ws = load_workbook(book)["Direct"]
    assert ws.cell(row=3, column=header["Engagement Rate"]).number_format == "0.00%"
    assert ws.cell(row=3, column=header["Profile"]).hyperlink is not None


def test_an_old_wide_summary_is_replaced_and_a_teammates_note_below_kept(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], today=TODAY)
    template = load_template("en")
    wb = load_workbook(book)
    wb.remove(wb["Summary"])
    ws = wb.create_sheet("Summary", 3)
    headers = [c.header for c in template.summary_columns]
    ws.append(headers)
    for _ in range(10):
        ws.append([1.0] * len(headers))  # the old table, 39 columns wide
    ws.append([])
    ws.append(["a teammate's note under the table"])
    ws["AQ1"] = "a teammate's own column"
    wb.save(book)
    report = sheets_sync.push(book, [], today=TODAY)
    ws = load_workbook(book)["Summary"]
    assert ws["AM5"].value is None and ws["F1"].value is None  # the old table is gone
    assert ws["A1"].value == "Engagement band"
    assert ws["AQ1"].value == "a teammate's own column"  # outside both layouts: untouched
    # the note sat where the blocks now go: moved below them, and the push says where
    notes = [c.coordinate for row in ws.iter_rows(max_col=1) for c in row
             if c.value == "a teammate's note under the table"]
    assert len(notes) == 1 and int(notes[0][1:]) > 40
    moved = [p for p in report.problems if "moved" in p.message]
    assert len(moved) == 1 and moved[0].severity == "warning" and notes[0] in moved[0].message
    again = sheets_sync.push(book, [], today=TODAY)
    assert not any("moved" in p.message for p in again.problems)  # once, not every push


def test_pull_writes_the_summary_as_one_row_per_category(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    sheets_sync.pull(book, out)
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["category"] for r in rows[:4]] == ["Direct", "Indirect", "Learning", "All"]
    summary = {r.get("Category"): r for r in summary_of(book)}
    assert int(rows[3]["accounts"]) == summary["All"]["Accounts"] == 29
    assert rows[0]["mover_handle"] == "@ClearCrew"


# ---- Chinese labels ---------------------------------------------------------------------------

def test_the_chinese_workbook_is_translated_and_its_headers_fit(tmp_path: Path) -> None:
    book = tmp_path / "zh.xlsx"
    sheets_sync.push(book, [EXAMPLES], template="zh", today=TODAY)
    wb = load_workbook(book)
    summary = wb["汇总"]
    english = load_template("en")
    en_words = {english.labels.all_categories, english.labels.summary_band,
                *(c.header for c in english.summary_columns)}
    texts = {c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)}
    assert "全部" in texts and "All" not in texts
    assert not texts & en_words
    direct = wb["直接竞争对手"]
    header = {c.value: c for c in direct[1]}
    cell = header[load_template("zh").by_key["engagement_rate_no_saves"].header]
    width = direct.column_dimensions[cell.column_letter].width
    # 9 full-width characters need about 2 units each: more than one line in this column
    assert width < 18
    assert direct.row_dimensions[1].height >= 33
    assert cell.alignment.wrap_text


# ---- the chart --------------------------------------------------------------------------------

def test_the_chart_has_visible_axes_and_filled_markers(book: Path) -> None:
    with zipfile.ZipFile(book) as archive:
        xml = archive.read("xl/charts/chart1.xml").decode()
    # openpyxl writes the chart namespace as the default one: <delete>, not <c:delete>
    assert xml.count('<delete val="0"/>') == 2
    assert '<axPos val="b"/>' in xml and '<axPos val="l"/>' in xml
    assert xml.count("<marker>") == 3 and xml.count("<a:solidFill>") >= 3
    assert xml.count("<title>") == 3 and "Views per Follower" in xml


LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(LIBREOFFICE is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice and pdftoppm are not installed (apt-get install "
                           "libreoffice-calc poppler-utils); CI does not install them")
def test_the_render_script_draws_each_tab(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "render_workbook.py"),
                             str(book), "--out", str(out), "--tab", "Summary", "--dpi", "40"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    images = sorted(out.glob("Summary-*.png"))
    assert images and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in images)


def test_the_render_script_says_what_is_missing(tmp_path: Path) -> None:
    book = tmp_path / "b.xlsx"
    Workbook().save(book)
    env = {**os.environ, "PATH": str(tmp_path)}  # neither LibreOffice nor pdftoppm
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "render_workbook.py"),
                             str(book)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "LibreOffice is not installed" in result.stderr
    assert "apt-get install libreoffice-calc" in result.stderr
