"""CSV files in the encodings exports come in: detected, or named with --encoding; a file
that cannot be read with confidence is refused with the candidates, never garbled."""

# Chinese text is written with full-width commas and semicolons: they are meant.
# ruff: noqa: RUF001

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_sync.cli import cli
from sheets_sync.errors import ConfigError, InputFileError
from sheets_sync.importer import read_input_files
from sheets_sync.template import load_template
from sheets_sync.text_decoding import check_encoding_name
from tests.conftest import TODAY, table

EN = load_template("en")
ZH = load_template("zh")

ACCOUNTS = [
    # handle, display name, followers, notes
    ("@meimei.shop", "美美小店", "5.2万", "很好的竞争对手，值得关注；主打学生党护肤"),
    ("@huahua", "花花美妆", "12万", "每周三晚上直播，卖防晒套装"),
    ("@glowlab", "光感实验室", "1.2M", "评论区很多人问适不适合敏感肌"),
]
EXPECTED_FOLLOWERS = {"meimei.shop": 52_000, "huahua": 120_000, "glowlab": 1_200_000}


def zh_csv_text() -> str:
    by_key = ZH.by_key
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["类别", by_key["handle"].header, by_key["display_name"].header,
                     by_key["followers"].header, by_key["notes"].header])
    for handle, name, followers, notes in ACCOUNTS:
        writer.writerow([ZH.tabs.direct, handle, name, followers, notes])
    return out.getvalue()


BIG5_TEXT = ("category,handle,display_name,followers,notes\n"
             "direct,@meimei.shop,美美小店,5.2萬,很好的競爭對手，值得關注\n"
             "direct,@huahua,花花美妝,12萬,每週三晚上直播，賣防曬套裝\n"
             "direct,@glowlab,光感實驗室,1.2M,評論區很多人問適不適合敏感肌\n")


def write(tmp_path: Path, text: str, encoding: str, name: str = "竞品.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def values_by_handle(result) -> dict[str, dict]:
    return {row.handle_id: row.values for row in result.rows}


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be",
                                      "utf-32", "utf-32-le", "utf-8", "utf-8-sig", "big5"])
def test_chinese_file_in_each_encoding_gives_the_exact_values(tmp_path, encoding):
    # Big5 holds traditional Chinese: the file as a Taiwanese exporter writes it.
    text = BIG5_TEXT if encoding == "big5" else zh_csv_text()
    path = write(tmp_path, text, encoding)
    result = read_input_files([path], ZH)
    assert [p for p in result.problems if p.severity == "error"] == []
    rows = values_by_handle(result)
    assert {k: v["followers"] for k, v in rows.items()} == EXPECTED_FOLLOWERS
    source_rows = list(csv.reader(io.StringIO(text)))[1:]
    for _category, handle, name, _followers, notes in source_rows:
        values = rows[handle.lstrip("@")]
        assert (values["display_name"], values["notes"]) == (name, notes)


def test_gbk_file_pushed_through_the_cli_lands_exactly(tmp_path):
    path = write(tmp_path, zh_csv_text(), "gbk")
    book = tmp_path / "b.xlsx"
    result = CliRunner().invoke(cli, ["push", "--sheet", str(book), "--template", "zh",
                                      "--date", TODAY.isoformat(), str(path)])
    assert result.exit_code == 0, result.output
    assert "read as gb18030" in result.output
    rows = {r["账号"]: r for r in table(book, ZH.tabs.direct)}
    for handle, name, _followers, notes in ACCOUNTS:
        assert (rows[handle]["名称"], rows[handle]["备注"]) == (name, notes)
    assert rows["@huahua"]["粉丝数"] == 120_000


def test_cp1252_mac_roman_and_shift_jis_files(tmp_path):
    cases = {
        "cp1252": "Handle,Name,Notes\n@cafe,Café Beauté,Très élégant — « crème brûlée »\n"
                  "@naive,Naïve Skin,Señor piñata, 20% off\n",
        "mac_roman": "Handle,Name,Notes\n@cafe,Café Beauté,Très élégant\n"
                     "@naive,Naïve Skin,Señor piñata\n",
        "shift_jis": "Handle,Name,Notes\n@sakura,さくら美容,とても人気のあるアカウントです\n"
                     "@hana,花子コスメ,新しい製品を毎週紹介しています\n",
    }
    for encoding, text in cases.items():
        path = write(tmp_path, text, encoding, name=f"{encoding}.csv")
        result = read_input_files([path], EN, category="direct")
        expected = {r[0].lstrip("@"): (r[1], r[2]) for r in csv.reader(io.StringIO(text))
                    if r[0] != "Handle"}
        got = {k: (v["display_name"], v["notes"]) for k, v in values_by_handle(result).items()}
        assert got == expected, encoding


def test_a_file_no_encoding_reads_cleanly_is_refused(tmp_path):
    noise = random.Random(12).randbytes(600)
    path = tmp_path / "export.csv"
    path.write_bytes(noise)
    with pytest.raises(InputFileError) as info:
        read_input_files([path], EN, category="direct")
    assert str(path) in str(info.value)
    assert "encoding cannot be told" in str(info.value)
    assert "--encoding" in info.value.hint


def test_a_file_two_encodings_read_differently_is_refused_naming_both(tmp_path):
    path = write(tmp_path, "Handle,Name\n@cafe,Café Beauté\n", "mac_roman", "short.csv")
    with pytest.raises(InputFileError) as info:
        read_input_files([path], EN, category="direct")
    message = str(info.value)
    assert "not clear" in message and "cp1252" in message and "mac_roman" in message
    assert "Café Beauté" in message  # what each candidate reads, so the user can pick
    fixed = read_input_files([path], EN, category="direct", encoding="mac_roman")
    assert fixed.rows[0].values["display_name"] == "Café Beauté"


def test_a_short_gb18030_file_is_not_read_as_korean(tmp_path):
    # So short a text decodes cleanly as EUC-KR too; GB18030 has the template's headers.
    path = tmp_path / "x.csv"
    path.write_bytes("账号,名称\n@a,美妆小店€\n".encode("gb18030"))
    result = read_input_files([path], ZH, category="direct")
    assert result.rows[0].values == {"handle": "@a", "display_name": "美妆小店€"}


def test_encoding_option_overrides_detection(tmp_path):
    path = write(tmp_path, "Handle,Name\n@a,é\n", "utf-8", "u.csv")
    detected = read_input_files([path], EN, category="direct")
    assert detected.rows[0].values["display_name"] == "é"
    forced = read_input_files([path], EN, category="direct", encoding="cp1252")
    assert forced.rows[0].values["display_name"] == "Ã©"


def test_a_wrong_encoding_option_names_the_line(tmp_path):
    path = write(tmp_path, zh_csv_text(), "gbk")
    with pytest.raises(InputFileError) as info:
        read_input_files([path], ZH, encoding="utf-8")
    assert "not valid utf_8 text" in str(info.value) and "line 1" in str(info.value)


def test_unknown_encoding_name_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError) as info:
        check_encoding_name("klingon-8")
    assert "unknown encoding 'klingon-8'" in str(info.value)
    path = write(tmp_path, "Handle\n@a\n", "utf-8", "a.csv")
    result = CliRunner().invoke(cli, ["plan", "--sheet", str(tmp_path / "b.xlsx"),
                                      "--category", "direct", "--encoding", "klingon-8",
                                      str(path)])
    assert result.exit_code == 2
    assert "unknown encoding 'klingon-8'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "b.xlsx").exists()


@pytest.mark.parametrize("command", ["push", "plan", "import-map"])
def test_every_command_reading_files_takes_encoding(tmp_path, command):
    path = write(tmp_path, "Handle,Name\n@a,Café\n", "cp1252", "a.csv")
    args = [command, "--encoding", "cp1252", str(path)]
    if command != "import-map":
        args += ["--sheet", str(tmp_path / "b.xlsx"), "--category", "direct"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    if command == "import-map":
        assert "encoding cp1252 (given)" in result.output


WORD_POOLS = {
    "gbk": "美妆 护肤 学生党 防晒 直播 套装 竞争对手 值得关注 评论区 敏感肌 小店",
    "big5": "美妝 護膚 學生黨 防曬 直播 套裝 競爭對手 值得關注 評論區 敏感肌",
    "shift_jis": "さくら 美容 とても 人気 アカウント 新しい 製品 毎週 紹介 コスメ",
    "cp1252": "Café Beauté crème brûlée Très élégant Señor piñata naïve façade",
    "mac_roman": "Café Beauté crème brûlée Très élégant Señor piñata naïve façade",
    "euc_kr": "김민지 뷰티 매주 새로운 제품을 소개합니다 화장품 스킨케어",
}


@pytest.mark.parametrize("encoding", sorted(WORD_POOLS))
def test_generated_files_are_read_right_or_refused_never_garbled(encoding):
    from sheets_sync.column_aliases import alias_index
    from sheets_sync.importer import header_scorer
    from sheets_sync.text_decoding import decode_bytes

    score = header_scorer(alias_index(ZH))
    words = WORD_POOLS[encoding].split()
    read = refused = 0
    for seed in range(60):
        rnd = random.Random(seed)
        lines = ["Handle,Name,Followers,Notes"] + [
            f"@a{i},{' '.join(rnd.sample(words, 2))},{rnd.randint(1, 999)}K,"
            f"{' '.join(rnd.sample(words, 3))}" for i in range(rnd.randint(1, 8))]
        text = "\n".join(lines) + "\n"
        try:
            decoded = decode_bytes(text.encode(encoding), "x.csv", header_score=score)
        except InputFileError:
            refused += 1
            continue
        assert decoded.text == text, (seed, decoded.encoding)
        read += 1
    assert read >= 55, f"{refused} of 60 refused"
