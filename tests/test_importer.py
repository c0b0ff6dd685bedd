"""Reading CSV and XLSX competitor files: column matching, categories, problems, duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from sheets_sync.errors import InputFileError
from sheets_sync.importer import read_input_files
from sheets_sync.template import builtin_template_path, load_template

TEMPLATE = load_template("en")


def csv_file(tmp_path: Path, text: str, name: str = "competitors.csv",
             encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def xlsx_file(tmp_path: Path, sheets: dict[str, list[list]], name: str = "export.xlsx") -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def by_handle(result) -> dict:
    return {row.handle_id: row for row in result.rows}


def errors(result) -> list:
    return [p for p in result.problems if p.severity == "error"]


def warnings(result) -> list:
    return [p for p in result.problems if p.severity == "warning"]


# ---- CSV basics ---------------------------------------------------------------------------


def test_csv_rows_become_clean_values(tmp_path):
    path = csv_file(tmp_path, (
        "Handle,Name,Followers,Avg Views,Avg Likes,US Audience %,TikTok Shop,Content Style\n"
        "@GlowLab,Glow Lab,12.5K,\"1,234\",830,45.6%,Yes,UGC\n"
        "@skinbyana,Skin by Ana,1.2M,N/A,,0.456,no,educational\n"
    ))
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.problems == []
    assert result.files == [str(path)]
    rows = by_handle(result)
    assert set(rows) == {"glowlab", "skinbyana"}
    glow = rows["glowlab"]
    assert glow.category == "direct"
    assert glow.where == "competitors.csv row 2"
    assert glow.values == {
        "handle": "@GlowLab", "display_name": "Glow Lab", "followers": 12_500,
        "avg_views": 1_234, "avg_likes": 830, "us_audience_share": pytest.approx(0.456),
        "tiktok_shop": "yes", "content_style": "ugc",
    }
    ana = rows["skinbyana"]
    assert ana.where == "competitors.csv row 3"
    assert "avg_views" not in ana.values  # N/A is empty: absent
    assert "avg_likes" not in ana.values  # blank is absent
    assert ana.values["followers"] == 1_200_000
    assert ana.values["us_audience_share"] == pytest.approx(0.456)
    assert ana.values["tiktok_shop"] == "no"


def test_rows_keep_file_order(tmp_path):
    path = csv_file(tmp_path, "Handle\n@c\n@a\n@b\n")
    result = read_input_files([path], TEMPLATE, category="learning")
    assert [r.handle_id for r in result.rows] == ["c", "a", "b"]


@pytest.mark.parametrize(
    "headers",
    [
        ["handle", "followers", "avg_views", "posts_30d", "us_audience_share"],
        ["HANDLE", "FOLLOWERS", "AVG VIEWS", "POSTS (30D)", "US AUDIENCE %"],
        ["Handle ", " Followers", "Avg. Views", "Posts 30d", "US-Audience"],
        ["@Handle", "followers:", "avg-views", "posts_30d", "us audience share"],
    ],
)
def test_headers_match_by_key_or_label_ignoring_case_spaces_punctuation(tmp_path, headers):
    path = csv_file(tmp_path, ",".join(headers) + "\n@a,100,200,12,45%\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.problems == []
    assert result.rows[0].values == {"handle": "@a", "followers": 100, "avg_views": 200,
                                     "posts_30d": 12, "us_audience_share": pytest.approx(0.45)}


def test_derived_columns_in_the_file_are_not_imported(tmp_path):
    path = csv_file(tmp_path, "Handle,Followers,Engagement Rate,Tier\n@a,100,50%,Macro\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.rows[0].values == {"handle": "@a", "followers": 100}
    assert errors(result) == []


def test_unknown_columns_give_a_warning_and_the_rest_goes_in(tmp_path):
    path = csv_file(tmp_path, "Handle,Followers,Region,Our Score\n@a,100,US,7\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.rows[0].values == {"handle": "@a", "followers": 100}
    assert errors(result) == []
    [warning] = warnings(result)
    assert warning.where == "competitors.csv"
    assert "'Region'" in warning.message and "'Our Score'" in warning.message
    assert "ignored" in warning.message


def test_blank_header_cells_and_blank_rows_are_skipped(tmp_path):
    path = csv_file(tmp_path, "Handle,,Followers\n@a,zzz,100\n,,\n\n@b,,200\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.problems == []
    rows = by_handle(result)
    assert rows["a"].values == {"handle": "@a", "followers": 100}
    assert rows["b"].where == "competitors.csv row 5"  # row numbers count the blank rows


def test_short_rows_are_padded(tmp_path):
    path = csv_file(tmp_path, "Handle,Followers,Avg Views\n@a,100\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.problems == []
    assert result.rows[0].values == {"handle": "@a", "followers": 100}


def test_semicolon_delimited_csv(tmp_path):
    path = csv_file(tmp_path, "Handle;Followers;Avg Views;Notes\n"
                              "@a;\"12,500\";1.2M;hi, there\n@b;300;12.5K;x\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.problems == []
    rows = by_handle(result)
    assert rows["a"].values == {"handle": "@a", "followers": 12_500, "avg_views": 1_200_000,
                                "notes": "hi, there"}
    assert rows["b"].values["avg_views"] == 12_500


def test_tab_delimited_file(tmp_path):
    path = csv_file(tmp_path, "Handle\tFollowers\n@a\t1,234\n", name="competitors.tsv")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.problems == []
    assert result.rows[0].values == {"handle": "@a", "followers": 1_234}


def test_comma_csv_whose_text_holds_semicolons(tmp_path):
    path = csv_file(tmp_path, "Handle,Followers,Hashtags\n@a,100,#a;#b;#c\n@b,200,#d;#e;#f\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.problems == []
    assert by_handle(result)["a"].values["hashtags"] == "#a;#b;#c"


def test_utf8_bom_is_ignored(tmp_path):
    path = csv_file(tmp_path, "\ufeffHandle,Followers\n@a,100\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.problems == []
    assert result.rows[0].values == {"handle": "@a", "followers": 100}


def test_cp1252_file_is_read(tmp_path):
    path = csv_file(tmp_path, "Handle,Name\n@cafe,Café Beauté\n", encoding="cp1252")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.rows[0].values["display_name"] == "Café Beauté"


def test_utf8_text_is_kept(tmp_path):
    path = csv_file(tmp_path, "Handle,Name,Notes\n@美妆,美妆小店,=1+1\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    row = result.rows[0]
    assert row.handle_id == "美妆"
    assert row.values["display_name"] == "美妆小店"
    assert row.values["notes"] == "=1+1"


# ---- categories ----------------------------------------------------------------------------


def test_category_column_values(tmp_path):
    path = csv_file(tmp_path, "Category,Handle\ndirect,@a\nIndirect,@b\nLEARNING,@c\n"
                              " Direct ,@d\n")
    result = read_input_files([path], TEMPLATE)
    assert result.problems == []
    assert {r.handle_id: r.category for r in result.rows} == {
        "a": "direct", "b": "indirect", "c": "learning", "d": "direct"}


def test_category_column_accepts_the_tab_name(tmp_path):
    custom = tmp_path / "custom.toml"
    text = builtin_template_path("en").read_text(encoding="utf-8")
    custom.write_text(text.replace('direct = "Direct"', 'direct = "Rivals"', 1),
                      encoding="utf-8")
    template = load_template(custom)
    path = csv_file(tmp_path, "Tab,Handle\nRivals,@a\nrivals,@b\ndirect,@c\n")
    result = read_input_files([path], template)
    assert result.problems == []
    assert [r.category for r in result.rows] == ["direct", "direct", "direct"]


def test_category_column_beats_the_default(tmp_path):
    path = csv_file(tmp_path, "Handle,Category\n@a,indirect\n@b,\n")
    result = read_input_files([path], TEMPLATE, category="learning")
    assert {r.handle_id: r.category for r in result.rows} == {"a": "indirect", "b": "learning"}


def test_default_category_argument(tmp_path):
    path = csv_file(tmp_path, "Handle\n@a\n")
    for given, expected in [("direct", "direct"), ("Indirect", "indirect"),
                            ("Learning", "learning")]:
        result = read_input_files([path], TEMPLATE, category=given)
        assert [r.category for r in result.rows] == [expected]


def test_unknown_default_category_raises(tmp_path):
    path = csv_file(tmp_path, "Handle\n@a\n")
    with pytest.raises(InputFileError) as info:
        read_input_files([path], TEMPLATE, category="competitors")
    assert "'competitors'" in str(info.value)
    assert "Direct" in info.value.hint


def test_unknown_category_value_is_a_problem_and_the_row_is_not_used(tmp_path):
    path = csv_file(tmp_path, "Handle,Category\n@a,rivals\n@b,direct\n")
    result = read_input_files([path], TEMPLATE)
    assert [r.handle_id for r in result.rows] == ["b"]
    [problem] = errors(result)
    assert problem.where == "competitors.csv row 2, column B (category)"
    assert "'rivals'" in problem.message


def test_row_without_any_category_is_a_problem(tmp_path):
    path = csv_file(tmp_path, "Handle,Followers\n@a,100\n")
    result = read_input_files([path], TEMPLATE)
    assert result.rows == []
    [problem] = errors(result)
    assert problem.where == "competitors.csv row 2"
    assert "--category" in problem.message


# ---- XLSX -------------------------------------------------------------------------------


def test_xlsx_sheet_names_are_categories(tmp_path):
    path = xlsx_file(tmp_path, {
        "Direct": [["Handle", "Followers", "Avg Views"], ["@a", 12500, "1.2M"]],
        "indirect": [["handle", "followers"], ["@b", 300]],
        "Learning": [["Handle", "Followers"], ["@c", "12.5K"]],
    })
    result = read_input_files([path], TEMPLATE)
    assert result.problems == []
    rows = by_handle(result)
    assert {h: r.category for h, r in rows.items()} == {"a": "direct", "b": "indirect",
                                                        "c": "learning"}
    assert rows["a"].values == {"handle": "@a", "followers": 12_500, "avg_views": 1_200_000}
    assert rows["a"].where == "export.xlsx [Direct] row 2"
    assert rows["c"].values["followers"] == 12_500


def test_xlsx_sheet_name_beats_the_default_and_category_column_beats_both(tmp_path):
    path = xlsx_file(tmp_path, {
        "Indirect": [["Handle", "Category"], ["@a", None], ["@b", "learning"]],
        "Sheet1": [["Handle"], ["@c"]],
    })
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.problems == []
    assert {r.handle_id: r.category for r in result.rows} == {
        "a": "indirect", "b": "learning", "c": "direct"}


def test_xlsx_typed_cells(tmp_path):
    path = xlsx_file(tmp_path, {"Direct": [
        ["Handle", "Followers", "Avg Views", "US Audience %", "TikTok Shop", "Notes", "Name"],
        ["@a", 12500.0, 830.5, 0.456, True, "=1+1 was typed", 2024],
    ]})
    result = read_input_files([path], TEMPLATE)
    assert result.problems == []
    values = result.rows[0].values
    assert values["followers"] == 12_500 and type(values["followers"]) is int
    assert values["avg_views"] == pytest.approx(830.5)
    assert values["us_audience_share"] == pytest.approx(0.456)
    assert values["tiktok_shop"] == "yes"
    assert values["display_name"] == "2024"


def test_xlsx_date_in_a_number_column_is_a_problem(tmp_path):
    path = xlsx_file(tmp_path, {"Direct": [
        ["Handle", "Followers", "Avg Views"],
        ["@a", dt.datetime(2026, 3, 31), 500],
    ]})
    result = read_input_files([path], TEMPLATE)
    [problem] = errors(result)
    assert problem.where == "export.xlsx [Direct] row 2, column B (Followers)"
    assert "date" in problem.message
    assert result.rows[0].values == {"handle": "@a", "avg_views": 500}


def test_xlsx_sheet_without_known_headers_is_skipped_quietly(tmp_path):
    path = xlsx_file(tmp_path, {
        "Direct": [["Handle"], ["@a"]],
        "Read me": [["This export was made on Monday"], ["nothing to see"]],
    })
    result = read_input_files([path], TEMPLATE)
    assert [r.handle_id for r in result.rows] == ["a"]
    assert result.problems == []


def test_xlsx_empty_sheet_is_skipped(tmp_path):
    path = xlsx_file(tmp_path, {"Direct": [["Handle"], ["@a"]], "Empty": []})
    result = read_input_files([path], TEMPLATE)
    assert [r.handle_id for r in result.rows] == ["a"]
    assert result.problems == []


def test_damaged_xlsx_raises(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(InputFileError) as info:
        read_input_files([path], TEMPLATE)
    assert str(path) in str(info.value)


# ---- bad cells ------------------------------------------------------------------------------


def test_bad_cell_is_reported_and_the_rest_of_the_row_goes_in(tmp_path):
    path = csv_file(tmp_path, "Handle,Name,Followers,Avg Views,Posts (30d)\n"
                              "@a,A,lots,1.2M,12\n@b,B,100,200,3\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    [problem] = result.problems
    assert problem.severity == "error"
    assert problem.where == "competitors.csv row 2, column C (Followers)"
    assert "'lots'" in problem.message
    assert "a whole number >= 0" in problem.message
    assert str(problem).startswith("competitors.csv row 2, column C (Followers): ")
    rows = by_handle(result)
    assert rows["a"].values == {"handle": "@a", "display_name": "A", "avg_views": 1_200_000,
                                "posts_30d": 12}
    assert rows["b"].values["followers"] == 100


@pytest.mark.parametrize(
    ("header", "raw", "expected"),
    [
        ("Followers", "12.5", "whole number"),
        ("Followers", "-5", "negative"),
        ("Avg Views", "#REF!", "#REF!"),
        ("US Audience %", "150%", "0% to 100%"),
        ("TikTok Shop", "maybe", "one of yes, no"),
        ("Content Style", "funny", "one of educational, entertainment, polished, ugc"),
    ],
)
def test_bad_cell_message_holds_the_value_and_what_was_expected(tmp_path, header, raw,
                                                                expected):
    path = csv_file(tmp_path, f"Handle,Notes,{header}\n@a,keep me,{raw}\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    [problem] = result.problems
    assert problem.where == f"competitors.csv row 2, column C ({header})"
    assert repr(raw) in problem.message
    assert expected in problem.message
    assert result.rows[0].values == {"handle": "@a", "notes": "keep me"}


def test_column_letters_past_z(tmp_path):
    headers = [f"extra{i}" for i in range(27)] + ["Followers", "Handle"]
    values = ["" for _ in range(27)] + ["oops", "@a"]
    path = csv_file(tmp_path, ",".join(headers) + "\n" + ",".join(values) + "\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    [problem] = errors(result)
    assert problem.where == "competitors.csv row 2, column AB (Followers)"


# ---- handles, duplicates ------------------------------------------------------------------


def test_row_without_a_handle_is_a_problem(tmp_path):
    path = csv_file(tmp_path, "Name,Handle,Followers\nNobody,,100\nAlso nobody,N/A,5\n"
                              "Ana,@ana,7\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert [r.handle_id for r in result.rows] == ["ana"]
    problems = errors(result)
    assert [p.where for p in problems] == ["competitors.csv row 2, column B (Handle)",
                                           "competitors.csv row 3, column B (Handle)"]
    assert all("no handle" in p.message for p in problems)


def test_a_bare_at_sign_is_not_a_handle(tmp_path):
    path = csv_file(tmp_path, "Handle,Followers\n@,100\n@b,200\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert [r.handle_id for r in result.rows] == ["b"]
    [problem] = errors(result)
    assert problem.where == "competitors.csv row 2, column A (Handle)"


def test_handle_id_ignores_at_case_and_space(tmp_path):
    path = csv_file(tmp_path, "Handle\n  @GlowLab \n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.rows[0].handle_id == "glowlab"
    assert result.rows[0].values["handle"] == "@GlowLab"


def test_duplicate_handle_in_one_file(tmp_path):
    path = csv_file(tmp_path, "Handle,Followers\n@GlowLab,100\n@ana,5\nglowlab ,200\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert [r.handle_id for r in result.rows] == ["ana"]
    [problem] = errors(result)
    assert problem.where == "competitors.csv row 4"
    assert "competitors.csv row 2" in problem.message
    assert "neither row was used" in problem.message


def test_duplicate_handle_across_two_files(tmp_path):
    first = csv_file(tmp_path, "Handle,Followers\n@a,1\n@b,2\n", name="one.csv")
    second = csv_file(tmp_path, "Handle,Followers\n@c,3\n@A,4\n", name="two.csv")
    result = read_input_files([first, second], TEMPLATE, category="direct")
    assert result.files == [str(first), str(second)]
    assert sorted(r.handle_id for r in result.rows) == ["b", "c"]
    [problem] = errors(result)
    assert problem.where == "two.csv row 3"
    assert "one.csv row 2" in problem.message
    assert "'@A'" in problem.message


def test_duplicate_handle_across_xlsx_sheets(tmp_path):
    path = xlsx_file(tmp_path, {"Direct": [["Handle"], ["@a"], ["@b"]],
                                "Indirect": [["Handle"], ["@B"]]})
    result = read_input_files([path], TEMPLATE)
    assert [r.handle_id for r in result.rows] == ["a"]
    [problem] = errors(result)
    assert problem.where == "export.xlsx [Indirect] row 2"
    assert "export.xlsx [Direct] row 3" in problem.message


def test_handle_seen_three_times_is_reported_twice_and_never_used(tmp_path):
    path = csv_file(tmp_path, "Handle\n@a\n@a\n@a\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.rows == []
    assert [p.where for p in errors(result)] == ["competitors.csv row 3",
                                                 "competitors.csv row 4"]


def test_file_without_a_handle_column(tmp_path):
    path = csv_file(tmp_path, "Name,Followers\nAna,100\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.rows == []
    [problem] = errors(result)
    assert problem.where == "competitors.csv"
    assert "no Handle column" in problem.message


def test_csv_without_any_known_header(tmp_path):
    path = csv_file(tmp_path, "foo,bar\n1,2\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.rows == []
    [problem] = errors(result)
    assert problem.where == "competitors.csv"
    assert "Handle" in problem.message


def test_an_empty_csv_is_refused_naming_the_file(tmp_path):
    path = csv_file(tmp_path, "")
    with pytest.raises(InputFileError) as info:
        read_input_files([path], TEMPLATE, category="direct")
    assert str(path) in str(info.value)
    assert "empty (0 bytes)" in str(info.value)


def test_header_only_csv_is_an_error_saying_0_accounts(tmp_path):
    path = csv_file(tmp_path, "Handle,Followers\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert result.rows == []
    [problem] = errors(result)
    assert problem.where == str(path)
    assert problem.message.startswith(f"0 accounts in {path}")


def test_0_accounts_is_said_only_when_nothing_else_explains_it(tmp_path):
    path = csv_file(tmp_path, "Handle,Followers\n,100\n")
    result = read_input_files([path], TEMPLATE, category="direct")
    assert [p.message for p in errors(result)] == ["the row has no handle and was not used"]


# ---- files that cannot be read ------------------------------------------------------------


@pytest.mark.parametrize("name", ["competitors.json", "competitors.xls", "competitors"])
def test_unsupported_file_type_raises(tmp_path, name):
    path = tmp_path / name
    path.write_text("Handle\n@a\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_input_files([path], TEMPLATE, category="direct")
    assert "unsupported file type" in str(info.value)
    assert str(path) in str(info.value)
    assert ".csv" in info.value.hint


def test_missing_file_raises(tmp_path):
    path = tmp_path / "nowhere.csv"
    with pytest.raises(InputFileError) as info:
        read_input_files([path], TEMPLATE, category="direct")
    assert str(path) in str(info.value)
    assert "does not exist" in str(info.value)


def test_a_directory_is_not_an_input_file(tmp_path):
    folder = tmp_path / "data.csv"
    folder.mkdir()
    with pytest.raises(InputFileError):
        read_input_files([folder], TEMPLATE, category="direct")


def test_paths_may_be_strings(tmp_path):
    path = csv_file(tmp_path, "Handle\n@a\n")
    result = read_input_files([str(path)], TEMPLATE, category="direct")
    assert [r.handle_id for r in result.rows] == ["a"]
