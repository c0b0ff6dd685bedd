"""The look of the workbook on Google Sheets (against the emulator): the same Summary blocks
as the local workbook, the selected band in the highlights, rates to 0.01%, gaps in points,
Profile links, charts beside the blocks, and the emulator page drawing them."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import gspread
import requests

import sheets_sync
from sheets_sync.backends.gsheets import spreadsheet_key
from sheets_sync.summary_layout import CHART_COLUMN, COLUMNS
from tests.conftest import EXAMPLES, TODAY, sheet_values
from tests.google_sheets.conftest import Emulator, run_cli


def _push(sheet: str, key: Path, *args: str) -> None:
    result, _ = run_cli("push", "--sheet", sheet, "--credentials", str(key),
                        "--date", TODAY.isoformat(), *args)
    assert result.exit_code == 0, result.output


def _same(a: Any, b: Any) -> bool:
    if a in ("", None) and b in ("", None):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def _cells(spreadsheet: gspread.Spreadsheet, title: str, fields: str) -> list[Any]:
    reply = spreadsheet.client.spreadsheets_get(spreadsheet.id, params={
        "ranges": title, "includeGridData": "true", "fields": fields})
    return reply["sheets"][0]["data"][0].get("rowData", [])


def test_the_summary_is_the_same_blocks_as_in_a_local_workbook(
        sheet: str, service_key_file: Path, client: gspread.Spreadsheet, tmp_path: Path) -> None:
    _push(sheet, service_key_file, "--band", "beauty", "--our-brand", "@glowpuff.skin",
          str(EXAMPLES))
    book = tmp_path / "b.xlsx"
    sheets_sync.push(book, [EXAMPLES], today=TODAY, band="beauty",
                     our_brand=["@glowpuff.skin"])
    local = sheet_values(book)["Summary"]
    google = client.worksheet("Summary").get_all_values(value_render_option="UNFORMATTED_VALUE")
    assert len(google) >= len(local) > 40
    for r, row in enumerate(local):
        for c in range(COLUMNS):
            want = row[c] if c < len(row) else None
            got = google[r][c] if c < len(google[r]) else None
            assert _same(got, want), (r, c, got, want)
    assert google[0][:2] == ["Engagement band", "Health & Beauty (Rival IQ 2024)"]


def test_band_rates_gaps_and_links_on_google(sheet: str, service_key_file: Path,
                                             client: gspread.Spreadsheet) -> None:
    _push(sheet, service_key_file, "--band", "beauty", "--our-brand", "@glowpuff.skin",
          str(EXAMPLES))
    header = client.worksheet("Direct").row_values(1)
    no_saves = header.index("ER excl. Saves")
    profile = header.index("Profile")
    meta = client.client.spreadsheets_get(client.id, params={
        "fields": "sheets(properties.title,conditionalFormats,charts(position))"})
    direct = next(s for s in meta["sheets"] if s["properties"]["title"] == "Direct")
    formulas = [(r["ranges"][0]["startColumnIndex"],
                 r["booleanRule"]["condition"]["values"][0]["userEnteredValue"])
                for r in direct["conditionalFormats"]]
    # beauty leaves saves out: its 1.35%-5.4% band is checked on ER excl. Saves
    band_rules = [f for col, f in formulas if col == no_saves]
    assert any("<0.0135" in f for f in band_rules) and any(">0.054" in f for f in band_rules)
    summary = next(s for s in meta["sheets"] if s["properties"]["title"] == "Summary")
    anchors = [c["position"]["overlayPosition"]["anchorCell"] for c in summary["charts"]]
    assert {a["columnIndex"] for a in anchors} == {CHART_COLUMN}
    assert len({a["rowIndex"] for a in anchors}) == 3  # stacked, not on top of each other

    rows = _cells(client, "Direct", "sheets.data.rowData.values(userEnteredValue,"
                  "userEnteredFormat(numberFormat,textFormat.link))")
    first = rows[1]["values"]
    assert first[no_saves]["userEnteredFormat"]["numberFormat"]["pattern"] == "0.00%"
    url = first[profile]["userEnteredValue"]["stringValue"]
    assert url.startswith("https://www.tiktok.com/@")
    assert first[profile]["userEnteredFormat"]["textFormat"]["link"]["uri"] == url

    summary_rows = _cells(client, "Summary", "sheets.data.rowData.values(userEnteredValue,"
                          "userEnteredFormat.numberFormat)")
    gap = next(r["values"] for r in summary_rows if r.get("values") and r["values"][0]
               .get("userEnteredValue", {}).get("stringValue", "").startswith("Engagement Gap"))
    assert gap[1]["userEnteredFormat"]["numberFormat"]["pattern"] == '0.00" pp"'


def test_the_emulator_page_draws_the_summary_charts(sheet: str, service_key_file: Path,
                                                    client: gspread.Spreadsheet,
                                                    emulator: Emulator) -> None:
    _push(sheet, service_key_file, str(EXAMPLES))
    page = requests.get(f"{emulator.url}/view/{spreadsheet_key(sheet)}", timeout=30).text
    figures = re.findall(r'<figure class="chart">(.*?)</figure>', page, re.S)
    assert len(figures) == 3
    direct = next(f for f in figures if ": Direct" in f)
    accounts = client.worksheet("Direct").get_all_values(value_render_option="UNFORMATTED_VALUE")
    header = accounts[0]
    drawable = [r for r in accounts[1:]
                if isinstance(r[header.index("Engagement Rate")], int | float)
                and isinstance(r[header.index("Views per Follower")], int | float)]
    assert direct.count('class="pt"') == len(drawable) > 5
    assert "<svg" in direct and "Views per Follower" in direct


def test_charts_an_older_layout_put_over_the_blocks_move_beside_them(
        sheet: str, service_key_file: Path, client: gspread.Spreadsheet,
        emulator: Emulator) -> None:
    _push(sheet, service_key_file, str(EXAMPLES))

    def charts() -> list[dict[str, Any]]:
        meta = client.client.spreadsheets_get(client.id, params={
            "fields": "sheets(properties(title,sheetId),charts(chartId,position))"})
        summary = next(s for s in meta["sheets"] if s["properties"]["title"] == "Summary")
        return summary["charts"]

    summary_id = client.worksheet("Summary").id
    old_places = [(13, 1), (13, 7), (13, 13)]  # where the one-table Summary had them
    client.batch_update({"requests": [{"updateEmbeddedObjectPosition": {
        "objectId": chart["chartId"],
        "newPosition": {"overlayPosition": {"anchorCell": {
            "sheetId": summary_id, "rowIndex": row, "columnIndex": col}}},
        "fields": "overlayPosition.anchorCell"}}
        for chart, (row, col) in zip(charts(), old_places, strict=True)]})
    _push(sheet, service_key_file)
    anchors = [c["position"]["overlayPosition"]["anchorCell"] for c in charts()]
    assert len(anchors) == 3  # moved, not added again
    # the chart at column B was over the blocks: moved; H and N were already beside them
    assert sorted((a["rowIndex"], a["columnIndex"]) for a in anchors) == [
        (1, CHART_COLUMN), (13, 7), (13, 13)]
    emulator.clear_log()
    _push(sheet, service_key_file)
    assert not [r for r in emulator.api_calls() if r["path"].endswith(":batchUpdate")]
