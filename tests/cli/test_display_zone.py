"""``timezone`` in the settings: the command line shows stored times in that zone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest

from hotline_tui.domain import display_time

CSV = "id,question,answer,department,tags\nk1,停电了找谁？,拨打供电服务热线报修。,供电公司,\n"
UPDATED = re.compile(r"更新：(\d{4}-\d\d-\d\d \d\d:\d\d)")


@pytest.fixture(autouse=True)
def _zone_restored() -> Iterator[None]:
    yield
    display_time.use_zone(None)


def test_the_settings_zone_changes_the_times_printed(cli, tmp_path):
    source = tmp_path / "kb.csv"
    source.write_text(CSV, encoding="utf-8")
    cli("kb", "import", str(source))
    article = str(cli.json("kb", "search", "停电")["hits"][0]["article_id"])
    shanghai = UPDATED.search(cli("kb", "show", article).stdout)
    cli.env["HOTLINE_TIMEZONE"] = "Asia/Kolkata"  # UTC+5:30 all year
    kolkata = UPDATED.search(cli("kb", "show", article).stdout)
    assert shanghai and kolkata
    gap = datetime.fromisoformat(shanghai[1]) - datetime.fromisoformat(kolkata[1])
    assert gap.total_seconds() == 2.5 * 3600
