"""The Chinese template: the same keys, Chinese tabs and labels, files in either language."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

import sheets_sync
from sheets_sync.cli import cli
from tests.conftest import EXAMPLES, TODAY, write_csv


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
