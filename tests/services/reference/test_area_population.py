"""The area import's optional population column: stored, cleared, kept when absent, refused
when it is not a whole number."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import col

from db.models import Area
from hotline_tui.domain.errors import ImportFailed
from hotline_tui.services.reference import catalogue as reference
from tests.services.reference.test_catalogue import write


def populations(hl) -> dict[str, int | None]:
    with hl.reading() as session:
        rows = session.execute(select(col(Area.code), col(Area.population))).all()
    return {code: people for code, people in rows}


def test_population_is_stored_cleared_and_kept_when_the_column_is_absent(hl, who, tmp_path):
    header = "code,name,parent_code,level"
    with_people = write(tmp_path, "a.csv", f"{header},population\nD3,丙区,C1,district,120000\n"
                        "S3,三街道,D3,street,\n")  # fmt: skip
    reference.import_areas(hl, who["adm"], with_people)
    assert (populations(hl)["D3"], populations(hl)["S3"]) == (120000, None)
    without = write(tmp_path, "b.csv", f"{header}\nD3,丙区,C1,district\n")
    again = reference.import_areas(hl, who["adm"], without)
    assert again.updated == 0 and populations(hl)["D3"] == 120000
    cleared = write(tmp_path, "c.csv", f"{header},population\nD3,丙区,C1,district,\n")
    assert reference.import_areas(hl, who["adm"], cleared).updated == 1
    assert populations(hl)["D3"] is None


@pytest.mark.parametrize("value", ["-5", "1.5", "很多", "１２"])
def test_a_population_that_is_not_a_whole_number_is_refused(hl, who, tmp_path, value):
    path = write(tmp_path, "bad.csv", f"code,name,parent_code,level,population\n"
                 f"D3,丙区,C1,district,{value}\n")  # fmt: skip
    with pytest.raises(ImportFailed) as caught:
        reference.import_areas(hl, who["adm"], path)
    assert caught.value.params["reason"] == "bad_count"
    assert caught.value.params["line"] == 2
