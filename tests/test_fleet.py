"""A fleet of local workbooks: the file, shards, resuming, the worst workbook's exit code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import sheets_sync
from sheets_sync.cli import cli
from sheets_sync.errors import ConfigError
from sheets_sync.fleet import SKIPPED, refresh_fleet
from sheets_sync.fleet_config import Shard, load_fleet, parse_shard, shard_from
from tests.conftest import table, write_csv
from tests.receivers import HttpReceiver, http_receiver

__all__ = ["http_receiver"]
DAY = dt.date(2026, 3, 2)


def _fleet(folder: Path, count: int, hook: str | None = None) -> Path:
    lines = ['template = "en"', ""]
    if hook:
        lines += ['notify = ["crm"]', "", "[destinations.crm]", 'type = "webhook"',
                  f'url = "{hook}"', ""]
    for i in range(count):
        book = folder / f"brand{i}.xlsx"
        rows = [{"category": "direct", "Handle": f"@rival{i}", "Followers": "65K",
                 "Followers 30d Ago": "50K", "Avg Views": "100K", "Avg Likes": "5K"},
                {"category": "learning", "Handle": f"@teacher{i}", "Followers": "10K",
                 "Avg Views": "20K", "Avg Likes": "1K"}]
        sheets_sync.push(book, [write_csv(folder / f"in{i}.csv", rows)], today=DAY)
        lines += ["[[workbooks]]", f'id = "brand-{i}"', f'sheet = "{book.name}"',
                  f'our_brand = "@teacher{i}"', ""]
    path = folder / "fleet.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_fleet_refreshes_each_workbook_once_and_a_rerun_skips_them(
        tmp_path: Path, http_receiver: HttpReceiver) -> None:
    path = _fleet(tmp_path, 5, f"{http_receiver.url}/hook")
    first = refresh_fleet(load_fleet(path), today=DAY)
    assert [o.status for o in first.outcomes] == ["refreshed"] * 5
    assert [o.alerts for o in first.outcomes] == [1] * 5  # each rival grew 30%
    assert len(http_receiver.posts) == 5
    assert {p.body["workbook"] for p in http_receiver.posts} == {f"brand-{i}" for i in range(5)}
    again = refresh_fleet(load_fleet(path), today=DAY + dt.timedelta(days=3))
    assert [o.status for o in again.outcomes] == [SKIPPED] * 5
    assert len(http_receiver.posts) == 5
    for i in range(5):
        assert len(table(tmp_path / f"brand{i}.xlsx", "History")) == 2


def test_four_shards_cover_the_fleet_exactly_once(tmp_path: Path) -> None:
    path = _fleet(tmp_path, 12)
    fleet = load_fleet(path)
    done: list[str] = []
    for index in range(4):
        report = refresh_fleet(fleet, today=DAY, shard=Shard(index, 4))
        done.extend(o.id for o in report.outcomes if o.status == "refreshed")
    assert sorted(done) == sorted(w.id for w in fleet.workbooks)
    assert all(len(table(tmp_path / f"brand{i}.xlsx", "History")) == 2 for i in range(12))


def test_the_worst_workbook_gives_the_exit_code_and_the_rest_are_done(tmp_path: Path) -> None:
    path = _fleet(tmp_path, 2)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '[[workbooks]]\nid = "gone"\nsheet = "missing.xlsx"\n',
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["fleet", "refresh", str(path), "--date",
                                      DAY.isoformat(), "--json"])
    assert result.exit_code == 2
    summary = json.loads(result.stdout)
    assert (summary["refreshed"], summary["failed"]) == (2, 1)
    failed = next(o for o in summary["outcomes"] if o["status"] == "failed")
    assert failed["id"] == "gone" and "does not exist" in failed["messages"][0]
    assert "[3/3] gone: failed" in result.stderr


def test_shards_from_the_option_and_from_cloud_run_and_kubernetes() -> None:
    assert shard_from("1/4", {}) == Shard(1, 4)
    assert shard_from(None, {"CLOUD_RUN_TASK_INDEX": "2", "CLOUD_RUN_TASK_COUNT": "3"}) == \
        Shard(2, 3)
    assert shard_from(None, {"JOB_COMPLETION_INDEX": "0", "SHEETS_SYNC_SHARD_COUNT": "5"}) == \
        Shard(0, 5)
    assert shard_from(None, {}) == Shard(0, 1)
    with pytest.raises(ConfigError, match="SHEETS_SYNC_SHARD_COUNT is not"):
        shard_from(None, {"JOB_COMPLETION_INDEX": "1"})
    for bad in ("4/4", "x/2", "1", "-1/3"):
        with pytest.raises(ConfigError, match="0 <= I < N"):
            parse_shard(bad)


@pytest.mark.parametrize(("text", "expected"), [
    ('[[workbooks]]\nid = "a"\n', "workbook 1 (a) sheet: Field required"),
    ('[[workbooks]]\nsheet = "a.xlsx"\nnotify = ["nope"]\n',
     "notify names 'nope', which no [destinations.NAME] table defines"),
    ('[quota]\nreads_per_minute_per_user = 0\n[[workbooks]]\nsheet = "a.xlsx"\n',
     "quota.reads_per_minute_per_user"),
    ('[[workbooks]]\nsheet = "a.xlsx"\n[[workbooks]]\nsheet = "a.xlsx"\n',
     "the same id as workbook 1"),
    ('workbooks = []\n', "workbooks"),
])
def test_a_bad_fleet_file_is_named(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "fleet.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_fleet(path)
    assert str(path) in str(caught.value) and expected in str(caught.value)
