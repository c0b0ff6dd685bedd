"""The browser pages: the list of spreadsheets at / and a spreadsheet drawn at /view/{id}."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
import requests

from sheets_emulator import EmulatorAdapter, EmulatorState, RunningEmulator, dispatch

from .helpers import Admin

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
RED = {"red": 1, "green": 0.8, "blue": 0.8}
RED_CSS = "background-color:#ffcccc"
GREEN = {"red": 0.72, "green": 0.88, "blue": 0.8}
GREEN_CSS = "background-color:#b8e0cc"
SCRIPT = "<script>alert('x')</script>"
PERCENT = {"type": "PERCENT", "pattern": "0.0%"}


class Client:
    def __init__(self, state: EmulatorState) -> None:
        self.http = EmulatorAdapter(state).mount_google(requests.Session())
        self.http.headers["Authorization"] = "Bearer test-token"

    def __call__(self, method: str, url: str, body: Any = None, **params: Any) -> Any:
        reply = self.http.request(method, url, json=body, params=params)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def create(self, title: str, rows: int = 50, cols: int = 6, frozen: int = 1) -> str:
        grid = {"rowCount": rows, "columnCount": cols, "frozenRowCount": frozen}
        body = {
            "properties": {"title": title},
            "sheets": [{"properties": {"sheetId": 0, "title": "Data", "gridProperties": grid}}],
        }
        return str(self("POST", SHEETS, body)["spreadsheetId"])

    def put(self, sid: str, rng: str, values: list[list[Any]]) -> None:
        self(
            "PUT",
            f"{SHEETS}/{sid}/values/{rng}",
            {"values": values},
            valueInputOption="USER_ENTERED",
        )

    def batch(self, sid: str, *requests_: dict[str, Any]) -> None:
        self("POST", f"{SHEETS}/{sid}:batchUpdate", {"requests": list(requests_)})


def grid(row: int, end_row: int | None, col: int, end_col: int) -> dict[str, Any]:
    out = {"sheetId": 0, "startRowIndex": row, "startColumnIndex": col, "endColumnIndex": end_col}
    if end_row is not None:
        out["endRowIndex"] = end_row
    return out


def rule(
    ranges: dict[str, Any], kind: str, values: list[str], fmt: dict[str, Any], index: int = 0
) -> dict[str, Any]:
    condition: dict[str, Any] = {"type": kind}
    if values:
        condition["values"] = [{"userEnteredValue": v} for v in values]
    return {
        "addConditionalFormatRule": {
            "index": index,
            "rule": {"ranges": [ranges], "booleanRule": {"condition": condition, "format": fmt}},
        }
    }


@dataclass
class Cell:
    text: str = ""
    classes: set[str] = field(default_factory=set)
    style: str = ""
    title: str | None = None
    markers: dict[str, str | None] = field(default_factory=dict)


class Page(HTMLParser):
    """The cells of every sheet table: tables[sheet title][(row, column letter)]."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict[tuple[int, str], Cell]] = {}
        self.letters: dict[str, list[tuple[str, set[str], str | None]]] = {}
        self.notes: dict[str, str] = {}
        self._section: str | None = None
        self._h2 = False
        self._row: int | None = None
        self._col = 0
        self._cell: Cell | None = None
        self._th: list[Any] | None = None
        self._in_letters = False
        self._in_p: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        if tag == "h2":
            self._h2 = True
        elif tag == "p" and self._section is not None:
            self._in_p = ""
        elif tag == "tr":
            self._in_letters = "letters" in classes
            self._row, self._col = None, 0
        elif tag == "th" and self._in_letters:
            self._th = ["", classes, a.get("title")]
        elif tag == "th" and "rn" in classes:
            self._th = [""]
        elif tag == "td":
            self._cell = Cell(classes=classes, style=a.get("style") or "", title=a.get("title"))
        elif tag == "span" and self._cell is not None:
            kind = "note" if "nt" in classes else "validation" if "dv" in classes else "span"
            self._cell.markers[kind] = a.get("title")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._h2 = False
        elif tag == "p" and self._in_p is not None and self._section is not None:
            self.notes[self._section] = self.notes.get(self._section, "") + self._in_p
            self._in_p = None
        elif tag == "th" and self._th is not None:
            if self._in_letters:
                if self._th[0]:
                    self.letters.setdefault(self._section or "", []).append(
                        (self._th[0], self._th[1], self._th[2])
                    )
            else:
                self._row = int(self._th[0])
            self._th = None
        elif tag == "td" and self._cell is not None:
            assert self._section is not None and self._row is not None
            letters = [item[0] for item in self.letters[self._section]]
            self.tables[self._section][(self._row, letters[self._col])] = self._cell
            self._col += 1
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._h2:
            self._section = data
            self.tables.setdefault(data, {})
        elif self._th is not None:
            self._th[0] += data
        elif self._cell is not None:
            if "span" not in self._cell.markers or data.strip() != "\u25be":
                self._cell.text += data
        elif self._in_p is not None:
            self._in_p += data

    def cell(self, ref: str, sheet: str = "Data") -> Cell:
        letters = "".join(ch for ch in ref if ch.isalpha())
        return self.tables[sheet][(int(ref[len(letters) :]), letters)]

    def where(self, test: Any, sheet: str = "Data") -> set[str]:
        return {f"{col}{row}" for (row, col), c in self.tables[sheet].items() if test(c)}


def get(state: EmulatorState, path: str) -> tuple[int, dict[str, str], str]:
    status, headers, data = dispatch(state, "GET", path, "", {}, b"")
    return status, headers, data.decode("utf-8")


@pytest.fixture
def api(state: EmulatorState) -> Client:
    return Client(state)


@pytest.fixture
def sid(api: Client) -> str:
    """Handles, followers and engagement, with rules, protection, a dropdown and a note."""
    sid = api.create("Benchmark <Q3>")
    api.put(
        sid,
        "Data!A1:D8",
        [
            ["Handle", "Followers", "ER", "Status"],
            ["@low", 1000, 0.02, "yes"],
            ["@mid", 5000, 0.05, "no"],
            ["@big", 250000, 0.01, ""],
            [SCRIPT, 80, "n/a", ""],
            ["@formula", 120000, "=B2/100000", ""],
            ["@blank", 3, "", ""],
            ["@edge", 100000, 0.03, ""],
        ],
    )
    api.batch(
        sid,
        {
            "repeatCell": {
                "range": grid(1, None, 2, 3),
                "cell": {"userEnteredFormat": {"numberFormat": PERCENT}},
                "fields": "userEnteredFormat.numberFormat",
            }
        },
        rule(grid(1, None, 2, 3), "CUSTOM_FORMULA", ["=AND(ISNUMBER(C2),C2<0.03)"],
             {"backgroundColor": RED}),
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": grid(1, None, 1, 2),
                    "description": "recomputed on every push",
                    "warningOnly": True,
                }
            }
        },
        {"addProtectedRange": {"protectedRange": {"range": grid(0, 1, 0, 1)}}},
        {
            "setDataValidation": {
                "range": grid(1, 5, 3, 4),
                "rule": {
                    "condition": {
                        "type": "ONE_OF_LIST",
                        "values": [{"userEnteredValue": "yes"}, {"userEnteredValue": "no"}],
                    },
                    "showCustomUi": True,
                },
            }
        },
        {
            "updateCells": {
                "range": grid(0, 1, 1, 2),
                "rows": [{"values": [{"note": "Total followers today"}]}],
                "fields": "note",
            }
        },
    )
    api.batch(
        sid,
        rule(grid(1, None, 1, 2), "NUMBER_GREATER", ["100000"],
             {"backgroundColor": GREEN, "textFormat": {"bold": True}}, index=1),
    )
    return sid


def test_view_draws_formatted_values_and_the_rule_colours(state: EmulatorState, sid: str) -> None:
    status, headers, text = get(state, f"/view/{sid}")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = Page(text)
    assert page.cell("C2").text == "2.0%" and "n" in page.cell("C2").classes
    assert page.cell("C6").text == "1.0%" and page.cell("C6").title == "=B2/100000"
    assert page.cell("C5").text == "n/a" and "n" not in page.cell("C5").classes
    assert page.cell("B4").text == "250000"
    assert page.where(lambda c: RED_CSS in c.style) == {"C2", "C4", "C6"}
    assert page.where(lambda c: GREEN_CSS in c.style) == {"B4", "B6"}
    assert page.where(lambda c: "font-weight:bold" in c.style) == {"B4", "B6"}
    assert [letter for letter, _, _ in page.letters["Data"]] == ["A", "B", "C", "D"]
    assert sorted(row for row, col in page.tables["Data"] if col == "A") == list(range(1, 9))


def test_protected_cells_are_marked_by_kind(state: EmulatorState, sid: str) -> None:
    text = get(state, f"/view/{sid}")[2]
    page = Page(text)
    assert page.where(lambda c: "pw" in c.classes) == {f"B{r}" for r in range(2, 9)}
    assert page.where(lambda c: "p" in c.classes) == {"A1"}
    letters = {letter: (classes, title) for letter, classes, title in page.letters["Data"]}
    assert "pw" in letters["B"][0]
    assert letters["B"][1] == "protected (warning only): recomputed on every push"
    assert "p" in letters["A"][0] and letters["C"] == (set(), None)
    assert "protected (warning only)" in text and ">protected</span>" in text


def test_validation_note_and_escaping(state: EmulatorState, sid: str) -> None:
    text = get(state, f"/view/{sid}")[2]
    page = Page(text)
    assert page.where(lambda c: "validation" in c.markers) == {"D2", "D3", "D4", "D5"}
    assert page.cell("D2").markers["validation"] == "Dropdown: yes, no"
    assert page.where(lambda c: "note" in c.markers) == {"B1"}
    assert page.cell("B1").markers["note"] == "Total followers today"
    assert page.cell("A5").text == SCRIPT
    assert "<script" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "Benchmark &lt;Q3&gt;" in text


def test_the_first_matching_rule_sets_each_property(
    api: Client, state: EmulatorState, sid: str
) -> None:
    api.batch(
        sid,
        rule(grid(1, None, 2, 3), "NOT_BLANK", [],
             {"backgroundColor": GREEN, "textFormat": {"italic": True}}, index=2),
    )
    page = Page(get(state, f"/view/{sid}")[2])
    assert page.where(lambda c: RED_CSS in c.style) == {"C2", "C4", "C6"}
    assert page.where(lambda c: GREEN_CSS in c.style and c.text.endswith("%")) == {"C3", "C8"}
    assert page.where(lambda c: "font-style:italic" in c.style) == {
        "C2", "C3", "C4", "C5", "C6", "C8"
    }


@pytest.mark.parametrize(
    ("kind", "values", "expected"),
    [
        ("NUMBER_LESS", ["5"], {"A1", "A2"}),
        ("NUMBER_LESS_THAN_EQ", ["5"], {"A1", "A2", "A3"}),
        ("NUMBER_GREATER", ["5"], {"A4"}),
        ("NUMBER_GREATER_THAN_EQ", ["5"], {"A3", "A4"}),
        ("NUMBER_EQ", ["5"], {"A3"}),
        ("NUMBER_BETWEEN", ["2", "5"], {"A2", "A3"}),
        ("TEXT_CONTAINS", ["EL"], {"A5"}),
        ("BLANK", [], {"A6"}),
        ("NOT_BLANK", [], {"A1", "A2", "A3", "A4", "A5", "A7"}),
        ("CUSTOM_FORMULA", ["=AND(ISNUMBER($A1),$A1>B1)"], {"A4"}),
        ("CUSTOM_FORMULA", ["=ISTEXT(A1)"], {"A5", "A7"}),
    ],
)
def test_condition_types(
    api: Client, state: EmulatorState, kind: str, values: list[str], expected: set[str]
) -> None:
    sid = api.create("Conditions", rows=10, cols=2, frozen=0)
    api.put(sid, "Data!A1:B7", [[1, 5], [2, 5], [5, 5], [9, 5], ["hello", 5], ["", 5], ["7x", 5]])
    api.batch(sid, rule(grid(0, 7, 0, 1), kind, values, {"backgroundColor": RED}))
    page = Page(get(state, f"/view/{sid}")[2])
    assert page.where(lambda c: RED_CSS in c.style) == expected


def test_gradient_rule_interpolates_between_its_points(api: Client, state: EmulatorState) -> None:
    sid = api.create("Gradient", rows=10, cols=1, frozen=0)
    api.put(sid, "Data!A1:A3", [[0], [5], [10]])
    white, green = {"red": 1, "green": 1, "blue": 1}, {"red": 0, "green": 1, "blue": 0}
    api.batch(
        sid,
        {
            "addConditionalFormatRule": {
                "rule": {
                    "ranges": [grid(0, 3, 0, 1)],
                    "gradientRule": {
                        "minpoint": {"type": "MIN", "color": white},
                        "maxpoint": {"type": "MAX", "color": green},
                    },
                }
            }
        },
    )
    page = Page(get(state, f"/view/{sid}")[2])
    assert "background-color" not in page.cell("A1").style
    assert "background-color:#80ff80" in page.cell("A2").style
    assert "background-color:#00ff00" in page.cell("A3").style


def test_own_format_is_shown_and_conditional_format_overrides_it(
    api: Client, state: EmulatorState, sid: str
) -> None:
    blue = {"red": 0.8, "green": 0.9, "blue": 1}
    api.batch(
        sid,
        {
            "repeatCell": {
                "range": grid(1, 3, 2, 3),
                "cell": {
                    "userEnteredFormat": {
                        "backgroundColor": blue,
                        "textFormat": {"foregroundColor": {"red": 0.6}, "bold": True},
                    }
                },
                "fields": "userEnteredFormat(backgroundColor,textFormat)",
            }
        },
    )
    page = Page(get(state, f"/view/{sid}")[2])
    assert "background-color:#cce5ff" in page.cell("C3").style
    assert RED_CSS in page.cell("C2").style and "#cce5ff" not in page.cell("C2").style
    assert "color:#990000" in page.cell("C2").style and "font-weight:bold" in page.cell("C2").style


def test_index_lists_spreadsheets_and_unknown_ids_are_404(state: EmulatorState, sid: str) -> None:
    status, headers, text = get(state, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert f'href="/view/{sid}"' in text and "Benchmark &lt;Q3&gt;" in text
    assert "export SHEETS_SYNC_EMULATOR_HOST=" in text
    status, _, text = get(state, "/view/no-such-id")
    assert status == 404 and "no-such-id" in text
    status, _, text = get(state, "/view/%3Cb%3E")
    assert status == 404 and "&lt;b&gt;" in text and "<b>" not in text


def test_pages_are_not_logged_as_api_traffic(state: EmulatorState, sid: str) -> None:
    before = len(state.log)
    get(state, "/")
    get(state, f"/view/{sid}")
    get(state, "/view/missing")
    assert len(state.log) == before


def test_a_long_sheet_is_cut_at_500_rows_and_stays_fast(api: Client, state: EmulatorState) -> None:
    sid = api.create("Long", rows=2000, cols=4)
    rows = [["Handle", "Views", "ER", "Share"]] + [
        [f"@h{i}", i * 10, (i % 12) / 100, f"=B{i + 2}/1000"] for i in range(1999)
    ]
    api.put(sid, "Data!A1:D2000", rows)
    api.batch(sid, rule(grid(1, None, 2, 3), "CUSTOM_FORMULA", ["=AND(ISNUMBER(C2),C2<0.03)"],
                        {"backgroundColor": RED}))
    started = time.perf_counter()
    status, _, text = get(state, f"/view/{sid}")
    elapsed = time.perf_counter() - started
    assert status == 200 and elapsed < 2.0, elapsed
    page = Page(text)
    assert "showing 500 of 2,000 rows" in page.notes["Data"]
    assert sorted({row for row, _ in page.tables["Data"]}) == list(range(1, 501))
    red = page.where(lambda c: RED_CSS in c.style)
    assert red == {f"C{r}" for r in range(2, 501) if (r - 2) % 12 < 3}


def test_pages_over_http_show_the_servers_address(
    server: RunningEmulator, admin: Admin
) -> None:
    http = requests.Session()
    http.trust_env = False
    created = http.post(
        f"{server.url}/v4/spreadsheets",
        json={"properties": {"title": "Over HTTP"}},
        headers={"Authorization": "Bearer t"},
        timeout=10,
    ).json()
    index = http.get(server.url + "/", timeout=10)
    assert f"export SHEETS_SYNC_EMULATOR_HOST={server.host_port}" in index.text
    view = http.get(f"{server.url}/view/{created['spreadsheetId']}", timeout=10)
    assert view.status_code == 200 and "Sheet1" in view.text
    assert admin("GET", "log")["requests"][-1]["path"] == "/v4/spreadsheets"
