"""``hotline kb autoanswer``: judge and refit the self-service channel's calibrator.

``eval --csv FILE`` prints precision and coverage at several thresholds and at the calibrator's
own; ``train [--csv FILE]`` refits it from a labelled file and the answers askers judged, by
cross-validation, and stores the next version. The file: a header ``question,
expected_source_id`` and one question a row; the id is the article's import id (``qa0001``, as
in the imported CSV's ``id`` column), empty when the knowledge base does not hold the answer.
"""

from __future__ import annotations

from pathlib import Path

import typer

from hotline_tui.cli.kb_output import JSON, emit, open_kb
from hotline_tui.cli.output import line, table
from hotline_tui.cli.state import state
from hotline_tui.domain.autoanswer_calibration import Operating
from hotline_tui.domain.errors import ImportFailed
from hotline_tui.labels.errors import import_reason_in_words
from hotline_tui.services.kb import autoanswer_train

app = typer.Typer(
    help="自动答复：评估与训练校准模型（问题,expected_source_id 的 CSV）。", no_args_is_help=True
)

CSV_HELP = "标注文件（CSV, UTF-8）：表头 question,expected_source_id；知识库没有答案的留空"


def _in_words(exc: ImportFailed) -> ImportFailed:
    words = import_reason_in_words(exc)
    return exc if words is exc else words


def _row(point: Operating, chosen: bool = False) -> tuple[str, str, str, str, str]:
    mark = "（采用）" if chosen else ""
    return (
        f"{point.threshold:.2f}{mark}",
        str(point.answered),
        str(point.right),
        f"{point.precision:.3f}",
        f"{point.coverage:.1%}",
    )


@app.command("eval")
def eval_(
    ctx: typer.Context,
    csv_file: Path = typer.Option(..., "--csv", help=CSV_HELP),
    as_json: bool = JSON,
) -> None:
    """评估：按多个阈值与采用的阈值，给出自动答复的准确率与覆盖率."""
    st = state(ctx)
    kb = open_kb(st)
    try:
        report = autoanswer_train.evaluate(kb, st.actor, csv_file)
    except ImportFailed as exc:
        raise _in_words(exc) from exc
    finally:
        kb.close()
    if as_json:
        emit(
            {
                "questions": report.questions,
                "answerable": report.answerable,
                "gated": report.gated,
                "calibrator_version": report.calibrator_version,
                "chosen": _point(report.chosen),
                "thresholds": [_point(p) for p in report.points],
            }
        )
        return
    line(
        f"问题 {report.questions} 条（知识库应能回答 {report.answerable} 条，"
        f"投诉举报 {report.gated} 条不自动答复），校准模型第 {report.calibrator_version} 版"
    )
    rows = [_row(p) for p in report.points] + [_row(report.chosen, chosen=True)]
    table(["阈值", "自动答复", "答对", "准确率", "覆盖率"], rows, title="自动答复的准确率与覆盖率")


def _point(point: Operating) -> dict[str, float | int]:
    return {
        "threshold": point.threshold,
        "answered": point.answered,
        "right": point.right,
        "precision": point.precision,
        "coverage": point.coverage,
    }


@app.command("train")
def train(
    ctx: typer.Context,
    csv_file: Path | None = typer.Option(None, "--csv", help=CSV_HELP),
    folds: int = typer.Option(5, "--folds", min=2, max=10, help="交叉验证的折数"),
    as_json: bool = JSON,
) -> None:
    """训练：以标注文件与已评价的自动答复重新拟合校准模型（交叉验证选阈值）并保存新版本."""
    st = state(ctx)
    kb = open_kb(st)
    try:
        report = autoanswer_train.train(kb, st.actor, csv_file, folds=folds)
    except ImportFailed as exc:
        raise _in_words(exc) from exc
    finally:
        kb.close()
    calibrator = report.calibrator
    if as_json:
        emit(
            {
                "path": report.path,
                "labelled": report.labelled,
                "logged": report.logged,
                **calibrator.to_dict(),
            }
        )
        return
    cv = calibrator.cv
    line(
        f"校准模型第 {calibrator.version} 版已保存：{report.path}（标注 {report.labelled} 条，"
        f"已评价的自动答复 {report.logged} 条；答对 {calibrator.positives}/{calibrator.samples}）"
    )
    line(
        f"阈值 {calibrator.threshold:.3f}：交叉验证准确率 {cv.get('precision', 0):.3f}，"
        f"覆盖率 {cv.get('coverage', 0):.1%}（{cv.get('folds', 0)} 折）"
    )
