"""Import presets: scraper, FastMoss and TikTok Studio exports read by name or recognised
from their headers; per-video rows averaged into one row per account."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_sync.cli import cli
from sheets_sync.errors import ConfigError
from sheets_sync.importer import read_input_files
from sheets_sync.presets import ImportPreset, builtin_presets, preset_named
from sheets_sync.template import load_template
from tests.conftest import TODAY, row_of, write_csv

EN = load_template("en")
ZH = load_template("zh")


def scraper_rows(today: dt.date) -> list[dict]:
    """Four videos of @glowlab (one 40 days old) and two of @dewdrop."""
    def video(handle: str, days_ago: int, plays: int, likes: int, fans: int) -> dict:
        posted = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(12))
        return {"authorMeta.name": handle, "authorMeta.nickName": handle.title(),
                "authorMeta.fans": fans, "playCount": plays, "diggCount": likes,
                "commentCount": 10, "shareCount": 4, "collectCount": 6,
                "createTimeISO": posted.isoformat() + ".000Z", "text": "caption #tag"}
    return [video("glowlab", 2, 1000, 100, 50_000), video("glowlab", 10, 3000, 300, 50_000),
            video("glowlab", 20, 2000, 200, 49_900), video("glowlab", 40, 6000, 400, 49_000),
            video("dewdrop", 1, 500, 50, 8_000), video("dewdrop", 3, 700, 70, 8_000)]


def test_the_shipped_presets_load_and_cite_a_source():
    presets = builtin_presets()
    assert set(presets) == {"tiktok-scraper", "fastmoss", "tiktok-studio"}
    for preset in presets.values():
        assert preset.source and preset.basis in ("documented", "best reading")
    assert presets["tiktok-studio"].basis == "best reading"


def test_a_preset_with_an_unknown_column_key_is_refused():
    with pytest.raises(ValueError, match="unknown column keys followerz"):
        ImportPreset.model_validate({"name": "x", "title": "X", "basis": "documented",
                                     "source": "s", "signature": [["a"]],
                                     "columns": {"followerz": ["fans"]}})


def test_an_unknown_preset_name_lists_the_known_ones():
    with pytest.raises(ConfigError) as info:
        preset_named("apify")
    assert "unknown import preset 'apify'" in str(info.value)
    assert "fastmoss, tiktok-scraper, tiktok-studio" in info.value.hint


def test_scraper_videos_become_one_row_per_account(tmp_path: Path):
    path = write_csv(tmp_path / "dataset.csv", scraper_rows(TODAY))
    result = read_input_files([path], EN, category="direct", today=TODAY)
    assert [p for p in result.problems if p.severity == "error"] == []
    assert any("tiktok-scraper preset" in n and "recognised" in n for n in result.notes)
    rows = {r.handle_id: r for r in result.rows}
    glow = rows["glowlab"].values
    assert glow["followers"] == 50_000
    assert glow["avg_views"] == 3000  # (1000 + 3000 + 2000 + 6000) / 4
    assert glow["avg_likes"] == 250
    assert (glow["avg_comments"], glow["avg_shares"], glow["avg_saves"]) == (10, 4, 6)
    assert glow["posts_30d"] == 3  # the video 40 days old is outside the 30 days
    assert glow["display_name"] == "Glowlab"
    assert rows["glowlab"].where == "dataset.csv rows 2-5 (4 videos)"
    # every video of @dewdrop is recent: the export may lack older ones, so no count
    assert "posts_30d" not in rows["dewdrop"].values
    assert any("Posts (30d) of dewdrop not counted" in p.message for p in result.problems)


def test_unix_time_post_dates_are_read(tmp_path: Path):
    rows = scraper_rows(TODAY)
    for row in rows:
        posted = dt.datetime.fromisoformat(row.pop("createTimeISO").removesuffix(".000Z"))
        row["createTime"] = int(posted.replace(tzinfo=dt.UTC).timestamp())
    path = write_csv(tmp_path / "dataset.csv", rows)
    result = read_input_files([path], EN, category="direct", today=TODAY)
    assert {r.handle_id: r.values.get("posts_30d") for r in result.rows} == {
        "glowlab": 3, "dewdrop": None}


def test_a_scraper_export_pushed_through_the_cli(tmp_path: Path):
    path = write_csv(tmp_path / "dataset.csv", scraper_rows(TODAY))
    book = tmp_path / "b.xlsx"
    result = CliRunner().invoke(cli, ["push", "--sheet", str(book), "--category", "direct",
                                      "--date", TODAY.isoformat(), str(path)])
    assert result.exit_code == 0, result.output
    assert "read with the tiktok-scraper preset" in result.output
    row = row_of(book, "Direct", "glowlab")
    assert (row["Followers"], row["Avg Views"], row["Posts (30d)"]) == (50_000, 3000, 3)
    assert row["Engagement Rate"] == pytest.approx((250 + 10 + 4 + 6) / 3000)


def test_fastmoss_creator_export(tmp_path: Path):
    path = write_csv(tmp_path / "fastmoss.csv", [
        {"uid": "6790997286808093702", "unique_id": "brriiddgett", "nickname": "Bridget",
         "region": "US", "follower_count": 412_000, "video_count": 891,
         "video_avg_play_count": 23_500, "video_avg_digg_count": 1_200},
        {"uid": "1", "unique_id": "twobakeboys", "nickname": "Twobakeboys", "region": "US",
         "follower_count": 22_572, "video_count": 80, "video_avg_play_count": 9_000,
         "video_avg_digg_count": 640}])
    result = read_input_files([path], ZH, category="indirect")
    assert [p for p in result.problems if p.severity == "error"] == []
    values = {r.handle_id: r.values for r in result.rows}
    assert values["brriiddgett"] == {"handle": "brriiddgett", "display_name": "Bridget",
                                     "followers": 412_000, "avg_views": 23_500,
                                     "avg_likes": 1_200}
    assert values["twobakeboys"]["followers"] == 22_572
    ignored = next(p for p in result.problems if "were ignored" in p.message)
    assert "'uid'" in ignored.message and "'video_count'" in ignored.message


def test_tiktok_studio_rows_are_our_brand(tmp_path: Path):
    rows = [{"Video title": f"Routine {i}", "Video link": f"https://www.tiktok.com/v/{i}",
             "Post time": (TODAY - dt.timedelta(days=d)).isoformat(),
             "Total likes": likes, "Total comments": 20, "Total shares": 5,
             "Total views": views}
            for i, (d, views, likes) in enumerate([(3, 4000, 300), (12, 6000, 500),
                                                   (45, 2000, 100)])]
    path = write_csv(tmp_path / "Content.csv", rows)
    without = read_input_files([path], EN, category="direct", today=TODAY)
    assert without.rows == []
    assert "--our-brand @handle" in without.problems[0].message
    result = read_input_files([path], EN, category="direct", our_brand=["@ourbrand"],
                              today=TODAY)
    [ours] = result.rows
    assert ours.handle_id == "ourbrand"
    assert ours.values["avg_views"] == 4000 and ours.values["avg_likes"] == 300
    assert ours.values["posts_30d"] == 2


def test_preset_option_reads_a_file_its_headers_alone_would_not_give(tmp_path: Path):
    # Only uniqueId and playCount: too little to be recognised, read with --preset.
    path = write_csv(tmp_path / "few.csv", [{"uniqueId": "a", "playCount": "12.5K"},
                                             {"uniqueId": "a", "playCount": "7.5K"}])
    plain = read_input_files([path], EN, category="direct")
    assert plain.rows == [] and "no known column header" in plain.problems[0].message
    named = read_input_files([path], EN, category="direct", preset="tiktok-scraper")
    assert [(r.handle_id, r.values["avg_views"]) for r in named.rows] == [("a", 10_000)]


def test_unknown_preset_on_the_cli_exits_2_listing_the_known(tmp_path: Path):
    path = write_csv(tmp_path / "a.csv", [{"Handle": "@a"}])
    result = CliRunner().invoke(cli, ["plan", "--sheet", str(tmp_path / "b.xlsx"),
                                      "--preset", "kalodata", str(path)])
    assert result.exit_code == 2
    assert "unknown import preset 'kalodata'" in result.output
    assert "tiktok-scraper" in result.output


def test_a_file_with_a_handle_column_is_not_taken_for_a_preset(tmp_path: Path):
    path = write_csv(tmp_path / "mine.csv", [
        {"Handle": "@a", "playCount": 1, "diggCount": 2},
        {"Handle": "@a", "playCount": 3, "diggCount": 4}])
    result = read_input_files([path], EN, category="direct")
    assert not result.notes
    assert any("is also at" in p.message for p in result.problems)  # a duplicate, not averaged
