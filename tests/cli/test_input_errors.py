"""Input the command line must refuse in words or clean, never crash on, on SQLite and PostgreSQL:
dates that are not dates or out of range, a NUL in any imported file, over-long text named by the
option the user typed, unreadable files, integers no database can hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CALENDARS = Path(__file__).resolve().parents[1] / "data" / "calendars"


def refused(result, code: int, *words: str) -> str:
    """The error's words, after checking its exit code and that it is words, not a traceback."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    flat = result.stderr.replace("\n", "")  # as typed: rich wraps at the terminal's width
    for word in words:
        assert word in flat, flat
    return str(flat)


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["notadate", "0000-00-00", "2026-02-30"])
def test_find_since_a_non_date_names_the_option(cli, value):
    result = cli("ticket", "find", "--since", value, user="op", ok=False)
    refused(result, 2, "--since", f"「{value}」", "YYYY-MM-DD", "validation.date")


def test_find_until_beyond_the_range_names_the_option(cli):
    result = cli("ticket", "find", "--until", "9999-12-31", user="op", ok=False)
    refused(result, 2, "--until", "超出范围", "2999-12-31")


def test_sla_due_from_the_end_of_time_is_out_of_range_not_an_overflow(cli):
    args = ("sla", "due", "--from", "9999-12-31 16:00", "--limit", "5wd")
    refused(cli(*args, user="op", ok=False), 2, "--from", "超出范围")
    refused(cli("sla", "due", "--from", "昨天", "--limit", "5wd", ok=False), 2, "--from 的时间")


def test_an_echoed_value_reaches_the_terminal_inert_and_short(cli):
    value = "\x1b]52;c;aGk=\x07" + "x" * 5000
    stderr = refused(cli("ticket", "find", "--since", value, ok=False), 2, "--since")
    assert "\x1b" not in stderr and "\x07" not in stderr
    assert len(stderr) < 600


# --- the option the user typed ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("-d", "长" * 4001), ("-d/--description 太长", "4001 字")),
        (("-d", "问", "--title", "题" * 201), ("--title 太长",)),
        (("-d", "问", "--address", "址" * 301), ("--address 太长",)),
        (("-d", "问", "--name", "名" * 201), ("--name 太长",)),
        (("-d", "问", "--caller", "robot"), ("--caller 的值「robot」无效", "person、enterprise")),
        (("-d", "问", "-t", "rant"), ("-t/--type 的值「rant」无效",)),
        (("-d", " \x07 "), ("必填项 -d/--description 为空",)),
        (("-d", "问", "--caller", "enterprise"), ("必填项 --name 为空",)),
    ],
)
def test_a_refused_field_is_named_by_its_option(cli, args, words):
    stderr = refused(cli("ticket", "new", *args, user="op", ok=False), 2, *words)
    assert "description" not in stderr.replace("--description", "")
    assert "text" not in stderr and "caller." not in stderr


def test_other_commands_name_their_options_too(cli):
    refused(cli("sla", "set", "complaint", "--warn", "2", ok=False), 2, "预警比例「2」")
    refused(
        cli("sla", "due", "--from", "2026-03-02 09:00", "--limit", "5x", ok=False), 2, "--limit"
    )
    refused(cli("ticket", "queue", "nowhere", user="op", ok=False), 2, "队列 的值「nowhere」无效")
    args = ("user", "add", "u9", "--role", "king", "--password", "pass-word-9")
    refused(cli(*args, ok=False), 2, "--role 的值「king」无效")


# --- NUL in what is imported: cleaned like every other control character ----------------------

IMPORTS = [
    ("area", "areas.csv", "code,name,parent_code,level\nZ1,新\x00区,C1,district\n", "新区"),
    ("dept", "depts.csv", "code,name,kind\nZ01,测试\x00新局,municipal\n", "测试新局"),
    ("category", "cats.csv", "一级分类,二级分类,三级分类\n新\x00类,子类,\n", "新类"),
    ("catalogue", "rules.csv", "category,dept_code\n城乡建设/住\x00房,M02\n", "住房"),
    ("sla", "sla.csv", "request_type,category,urgency,complete\ncomplaint,T\x00001,,9wd\n", "T001"),
    ("kb", "kb.csv", "id,question,answer,tags\nk1,问\x00题？,答\x00案。,标\x00签\n", "问题？"),
]


@pytest.mark.parametrize(("entity", "name", "content", "shown"), IMPORTS, ids=lambda v: str(v))
def test_a_nul_in_an_imported_csv_is_dropped_on_both_backends(
    cli, tmp_path, entity, name, content, shown
):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    cli(entity, "import", str(path))
    listed = cli(entity, "list", "--json").stdout
    assert "\\u0000" not in listed and "\x00" not in listed
    assert shown in json.loads(listed).__repr__()


def test_a_nul_in_a_markdown_article_is_dropped(cli, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    header = "---\nid: k\x001\ntitle: 居住\x00证\ndepartment: M\x0001\n---\n"
    (folder / "a.md").write_text(header + "请到\x00窗口。\n", encoding="utf-8")
    cli("kb", "import", str(folder))
    [article] = cli.json("kb", "list")
    assert article["title"] == "居住证"
    shown = cli.json("kb", "show", str(article["id"]))
    assert "请到窗口。" in shown["body"] and shown["dept_code"] == "M01"


def test_a_nul_in_a_synonym_list_is_dropped(cli, tmp_path):
    path = tmp_path / "synonyms.txt"
    path.write_text("营业\x00执照 执照\n", encoding="utf-8")
    cli("kb", "synonyms", "--import", str(path))
    assert ["营业执照", "执照"] in cli.json("kb", "synonyms")


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("2099.json", "测试用", "测试\\u0000用"),  # the JSON escape of a NUL
        ("2099.ics", "测试节假日", "测试\x00节假日"),  # a raw NUL
    ],
)
def test_a_nul_in_a_calendar_file_is_dropped_on_both_backends(cli, tmp_path, name, old, new):
    path = tmp_path / name
    path.write_text((CALENDARS / name).read_text(encoding="utf-8").replace(old, new), "utf-8")
    cli("calendar", "import", str(path))
    source = cli.json("calendar", "show", "2099")["source"]
    assert "\x00" not in source and old in source


# --- what no database can hold: refused the same way on both --------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("ticket", "show", "2026\x000001"),
        ("ticket", "new", "-d", "问", "--category", "T0\x0001"),
        ("kb", "list", "--dept", "M\x0001"),
    ],
)
def test_a_nul_in_a_lookup_is_refused_in_words(cli, args):
    refused(cli(*args, user="op", ok=False), 2, "NUL", "validation.nul")


def test_bytes_that_were_not_utf8_on_the_command_line_are_refused(cli):
    # Python hands a byte that is not UTF-8 in argv over as a lone surrogate.
    refused(cli("ticket", "show", "\udcc4\udce3", user="op", ok=False), 2, "UTF-8")
    refused(cli("ticket", "find", user="\udcc4", ok=False), 2, "validation.not_utf8")


@pytest.mark.parametrize(
    "args",
    [
        ("ticket", "find", "--limit", "-1"),
        ("kb", "show", str(10**30)),  # an id PostgreSQL's INTEGER cannot hold, even to compare
        ("kb", "show", str(2**31)),
        ("ticket", "sign", "20260302000001", "--if-version", str(2**31)),
        ("scheduler", "notices", "--limit", "0"),
        ("scheduler", "run", "--once", "--lease-seconds", "1e308"),
        ("scheduler", "run", "--once", "--lease-seconds", "inf"),
    ],
)
def test_out_of_range_numbers_are_usage_errors(cli, args):
    refused(cli(*args, ok=False), 2, "Invalid value")


# --- files named by options -------------------------------------------------------------------


def test_a_folder_or_a_non_utf8_file_for_an_option_is_refused_in_words(cli, tmp_path):
    refused(
        cli("kb", "new", "--title", "题", "--body-file", str(tmp_path), ok=False),
        2,
        "--body-file 的文件",
        "无法读取",
    )
    latin = tmp_path / "queries.txt"
    latin.write_bytes("营业执照\n".encode("gb18030"))
    refused(cli("kb", "search", "--batch", str(latin), ok=False), 2, "--batch", "不是 UTF-8")


def test_restoring_something_that_is_not_a_backup_says_so(cli, tmp_path):
    for content in (b"not a backup", b"\x1f\x8b\x08\x00garbage"):
        path = tmp_path / "backup.tar.gz"
        path.write_bytes(content)
        refused(cli("db", "restore", str(path), ok=False), 9, "不是 hotline db backup 生成的备份")
