"""The Chinese template: the same keys, Chinese tabs and labels, files in either language."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import sheets_sync
from sheets_sync.cli import cli
from tests.conftest import EXAMPLES, TODAY, row_of, write_csv


def test_same_keys_as_english() -> None:
    en, zh = sheets_sync.load_template("en"), sheets_sync.load_template("zh")
    assert [c.key for c in zh.columns] == [c.key for c in en.columns]
    assert [c.choices for c in zh.columns] == [c.choices for c in en.columns]
    # the same bands, measured the same way; only their labels and sources are translated
    def definition(band: sheets_sync.template.Band) -> tuple[object, ...]:
        return (band.name, band.engagement_low, band.engagement_high, band.denominator,
                band.includes_saves, band.industry_median)

    assert definition(zh.band) == definition(en.band)
    assert ({k: definition(b) for k, b in zh.bands.items()}
            == {k: definition(b) for k, b in en.bands.items()})
    assert all(b.label and b.source for b in zh.bands.values())
    assert zh.category_tabs == {"direct": "直接竞争对手", "indirect": "间接竞争对手",
                                "learning": "学习型竞争对手"}


def test_init_and_push_with_the_chinese_template(tmp_path: Path) -> None:
    book = tmp_path / "竞品.xlsx"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--sheet", str(book), "--template", "zh"]).exit_code == 0
    result = runner.invoke(cli, ["push", "--sheet", str(book), "--template", "zh",
                                 str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(book)
    ws = wb["直接竞争对手"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["账号", "名称", "粉丝数"]
    rows = [dict(zip(header, [c.value for c in row], strict=False))
            for row in ws.iter_rows(min_row=2) if row[0].value]
    assert len(rows) == 12
    assert {r["量级"] for r in rows} <= {"小型", "中型", "大型"}
    assert {r["互动率区间"] for r in rows} <= {"偏低", "正常", "偏高"}


def test_chinese_headers_and_category_names_in_an_input_file(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "数据.csv", [
        {"类别": "直接竞争对手", "账号": "@glowlab", "粉丝数": "5.2万", "平均播放量": "12万"}])
    report = sheets_sync.push(tmp_path / "b.xlsx", [source], template="zh", today=TODAY)
    assert report.exit_code == 0, [str(p) for p in report.problems]
    ws = load_workbook(tmp_path / "b.xlsx")["直接竞争对手"]
    assert ws["C2"].value == 52000 and ws["E2"].value == 120000


def test_a_custom_template_from_a_path(tmp_path: Path) -> None:
    custom = tmp_path / "beauty.toml"
    text = (Path(sheets_sync.template.builtin_template_path("en"))).read_text()
    custom.write_text(text.replace("engagement_high = 0.09", "engagement_high = 0.12")
                      .replace('direct = "Direct"', 'direct = "Skincare rivals"'))
    report = sheets_sync.push(tmp_path / "c.xlsx", [EXAMPLES], template=custom, today=TODAY)
    assert report.exit_code == 0
    wb = load_workbook(tmp_path / "c.xlsx")
    ws = wb["Skincare rivals"]
    formulas = {r.formula[0] for cf in ws.conditional_formatting for r in cf.rules}
    assert any(f.endswith(">0.12)") for f in formulas)


def test_the_english_example_pushed_with_the_chinese_template_keeps_every_column(
        tmp_path: Path) -> None:
    book = tmp_path / "zh.xlsx"
    result = CliRunner().invoke(cli, ["push", "--sheet", str(book), "--template", "zh",
                                      "--date", TODAY.isoformat(), str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "were ignored" not in result.output
    zh = sheets_sync.load_template("zh").by_key
    ws = load_workbook(book)["直接竞争对手"]
    header = [c.value for c in ws[1]]
    rows = {r[header.index("账号")]: r for r in ws.iter_rows(min_row=2, values_only=True)
            if r[0]}
    glow = rows["@glowpuff.skin"]
    assert glow[header.index(zh["display_name"].header)] == "GlowPuff Skin"
    assert glow[header.index(zh["posting_times"].header)] == "Mon-Fri 3:30-5pm (after school)"
    assert glow[header.index(zh["us_audience_share"].header)] == pytest.approx(0.71)


def test_a_file_with_chinese_headers_pushed_with_the_english_template(tmp_path: Path) -> None:
    zh = sheets_sync.load_template("zh")
    by_key = zh.by_key
    source = write_csv(tmp_path / "数据.csv", [{
        "类别": zh.tabs.indirect, by_key["handle"].header: "@huahua",
        by_key["display_name"].header: "花花美妆", by_key["followers"].header: "5.2万",
        by_key["posting_times"].header: "周二/周四 19-21点",
        by_key["us_audience_share"].header: "64%", by_key["tier"].header: "小型"}])
    report = sheets_sync.push(tmp_path / "en.xlsx", [source], template="en", today=TODAY)
    assert report.exit_code == 0, [str(p) for p in report.problems]
    assert not [p for p in report.problems if "ignored" in p.message]
    row = row_of(tmp_path / "en.xlsx", "Indirect", "huahua")
    assert (row["Name"], row["Followers"], row["Posting Times (ET)"]) == (
        "花花美妆", 52_000, "周二/周四 19-21点")
    assert row["US Audience %"] == pytest.approx(0.64)
    assert row["Tier"] == "Micro"  # the file's derived 小型 is recomputed, not imported


def test_a_label_of_another_template_never_takes_a_column_of_this_one() -> None:
    from sheets_sync.column_aliases import alias_index

    en, zh = sheets_sync.load_template("en"), sheets_sync.load_template("zh")
    for template in (en, zh):
        index = alias_index(template)
        for column in template.columns:
            assert index.column(column.header) is column
            assert index.column(column.key) is column
        other = zh if template is en else en
        for column in other.columns:
            assert index.column(column.header).key == column.key
