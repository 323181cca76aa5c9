"""The display zone: one helper, ``Asia/Shanghai`` unless the settings name another, the same
local times in the console's text helper and the command line's output."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from hotline_tui.cli import output
from hotline_tui.domain import display_time
from hotline_tui.ui import text

# 2026-01-15 00:30 UTC: the 15th at 08:30 in Shanghai, still the 14th in New York.
MOMENT = datetime(2026, 1, 15, 0, 30, tzinfo=UTC)


@pytest.fixture
def zone() -> Iterator[None]:
    yield
    display_time.use_zone(None)


def test_by_default_times_are_shown_in_shanghai_by_both_front_ends(zone):
    display_time.use_zone(None)
    assert text.local_time(MOMENT) == "2026-01-15 08:30"
    assert text.short_time(MOMENT) == "01-15 08:30"
    assert output.local_time(MOMENT) == "2026-01-15 08:30"
    assert output.cell(MOMENT).plain == "2026-01-15 08:30"


def test_another_zone_shows_other_local_times_in_both_front_ends(zone):
    display_time.use_zone("America/New_York")
    assert text.local_time(MOMENT) == "2026-01-14 19:30"
    assert text.short_time(MOMENT) == "01-14 19:30"
    assert output.local_time(MOMENT) == "2026-01-14 19:30"
    assert output.cell(MOMENT).plain == "2026-01-14 19:30"
    # A zone asked for by name still wins (the order view's own settings).
    assert output.local_time(MOMENT, "Asia/Shanghai") == "2026-01-15 08:30"


def test_no_time_shows_nothing():
    assert text.local_time(None) == "" and text.short_time(None) == ""


def test_an_unknown_zone_is_refused_and_the_zone_stays(zone):
    with pytest.raises(Exception, match="Mars"):
        display_time.use_zone("Mars/Olympus_Mons")
    assert display_time.local_time(MOMENT) == "2026-01-15 08:30"
