"""README's table of the measures is the declaration in ``hotline_tui/domain/kpi.py``, row for
row: a measure added or changed there and not in README fails here (the message holds the table
to paste)."""

from __future__ import annotations

from pathlib import Path

from hotline_tui.domain.kpi import MEASURES, Kind, Measure

README = Path(__file__).resolve().parents[2] / "README.md"
BEGIN = "<!-- measures: begin -->"
END = "<!-- measures: end -->"
HEAD = (
    "| id | 指标 | numerator (columns) | denominator (columns) | excluded | better | target |",
    "|---|---|---|---|---|---|---|",
)


def _side(words: str, columns: tuple[str, ...]) -> str:
    return f"{words} ({' + '.join(f'`{c}`' for c in columns)})"


def _target(m: Measure) -> str:
    if m.target is None:
        return "—"
    return f"{m.target:.0%}" if m.kind is Kind.RATE else f"{m.target:g} per order"


def row(m: Measure) -> str:
    cells = (
        f"`{m.id}`",
        m.zh,
        _side(m.numerator_zh, m.numerator),
        _side(m.denominator_zh, m.denominator),
        f"`{m.excluded}`" if m.excluded else "—",
        "higher" if m.higher_better else "lower",
        _target(m),
    )
    return "| " + " | ".join(cells) + " |"


def table() -> str:
    return "\n".join((*HEAD, *(row(m) for m in MEASURES)))


def test_readme_lists_every_measure_as_declared():
    text = README.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, f"README needs {BEGIN} … {END}"
    shown = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert shown == table(), "README's measures differ from domain/kpi.py; put:\n" + table()


def test_the_table_has_a_row_per_measure_with_its_columns():
    lines = table().splitlines()[len(HEAD) :]
    assert len(lines) == len(MEASURES) == len({m.id for m in MEASURES})
    direct = lines[0].split(" | ")
    assert direct[:2] == ["| `direct_answer`", "直接答复率"]
    assert direct[2:] == ["直接答复 (`answered`)", "受理（不含无效来电） (`registered_valid`)",
                          "—", "higher", "60% |"]  # fmt: skip
