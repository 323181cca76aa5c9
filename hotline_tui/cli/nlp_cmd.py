"""``hotline nlp``: train and evaluate the intake classifiers (request type, category, lead
department) on a ``text,label`` file or on the orders' final choices.

``train`` cross-validates before the final fit: the figures it prints and the auto-fill
threshold stored with the model come from predictions of texts the model had not seen.
``eval`` scores the stored model on another file: macro-F1, accuracy, top-3 accuracy, each
class, and how many texts could be filled in at precision 0.95 and 0.98.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import typer

from hotline_tui.cli.output import emit_json, line, table
from hotline_tui.cli.state import state

app = typer.Typer(
    help="智能分类：训练与评估诉求类型、分类、主办单位的分类模型。", no_args_is_help=True
)
DATE = ["%Y-%m-%d"]
SHOWN_LABELS = 8
STEPS = {"cv": "交叉验证中（选定自动填写阈值）…", "fit": "在全部样本上训练最终模型…"}


class Task(StrEnum):
    CATEGORY = "category"
    REQUEST_TYPE = "request_type"
    DEPARTMENT = "department"


TaskOpt = typer.Option(..., "--task", help="任务：分类、诉求类型或主办单位")
JsonOpt = typer.Option(False, "--json", help="输出 JSON")


@app.command("train")
def train(
    ctx: typer.Context,
    task: Task = TaskOpt,
    csv_file: Path | None = typer.Option(
        None, "--csv", dir_okay=False, help="UTF-8 CSV 文件，含 text,label 列"
    ),
    from_orders: bool = typer.Option(False, "--from-orders", help="从工单学习（话务员的最终选择）"),
    since: datetime | None = typer.Option(
        None, "--since", formats=DATE, help="只用此日起受理的工单"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """训练模型：交叉验证定出自动填写阈值，再用全部样本训练并保存。"""
    from hotline_tui.domain.errors import ValidationError
    from hotline_tui.services.nlp import service
    from hotline_tui.services.nlp.classifier import MIN_PER_CLASS

    st = state(ctx)  # who may train, before anything else is looked at
    if (csv_file is None) == (not from_orders):
        raise ValidationError("validation.nlp_source", field="csv")

    def progress(step: str) -> None:
        if not as_json:
            typer.echo(STEPS.get(step, step), err=True)

    if csv_file is not None:
        result = service.train_from_file(st.hl, st.actor, task.value, csv_file, progress)
    else:
        start = since.replace(tzinfo=UTC) if since else None
        result = service.train_from_orders(st.hl, st.actor, task.value, start, progress)
    if as_json:
        emit_json({"task": result.task, "path": result.path, **result.meta})
        return
    meta = result.meta
    line(f"已训练「{task.value}」模型：{meta['examples']} 条样本，{len(meta['classes'])} 类")
    line(
        f"交叉验证（{meta['cv_folds']} 折）：宏平均 F1 {meta['cv_macro_f1']:.4f}，"
        f"准确率 {meta['cv_accuracy']:.4f}，前三准确率 {meta['cv_top3_accuracy']:.4f}"
    )
    line(
        f"自动填写阈值 {meta['threshold']:.3f}（精确率 ≥ {meta['auto_fill_precision']}），"
        f"覆盖 {meta['cv_coverage_at_threshold']:.1%}"
    )
    if meta["left_out_labels"]:
        shown = meta["left_out_labels"][:SHOWN_LABELS]
        more = len(meta["left_out_labels"]) - len(shown)
        tail = f" 等 {len(meta['left_out_labels'])} 个" if more > 0 else ""
        line(f"样本不足（每类少于 {MIN_PER_CLASS} 条）未学习的标签：{'、'.join(shown)}{tail}")
    if meta["skipped_rows"]:
        line(f"跳过文本或标签为空的行：{meta['skipped_rows']}")
    line(f"模型文件：{result.path}")


@app.command("eval")
def evaluate(
    ctx: typer.Context,
    task: Task = TaskOpt,
    csv_file: Path = typer.Option(
        ..., "--csv", dir_okay=False, help="UTF-8 CSV 文件，含 text,label 列"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """评估模型：宏平均 F1、准确率、前三准确率、各类得分与可自动填写的比例。"""
    from hotline_tui.services.nlp import service

    st = state(ctx)
    report = service.evaluate_file(st.hl, st.actor, task.value, csv_file)
    if as_json:
        emit_json(report)
        return
    line(f"评估「{task.value}」：{report.examples} 条")
    line(
        f"宏平均 F1 {report.macro_f1:.4f}  准确率 {report.accuracy:.4f}  "
        f"前三准确率 {report.top3_accuracy:.4f}"
    )
    table(
        ["类别", "精确率", "召回率", "F1", "样本数"],
        [
            [s.label, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", s.support]
            for s in report.per_class
        ],
    )
    for wanted, cover in report.coverage.items():
        where = f"（阈值 {cover.threshold:.3f}）" if cover.threshold is not None else ""
        line(f"精确率 ≥ {wanted}：可自动填写 {cover.coverage:.1%}{where}")
    line(
        f"模型的自动填写阈值 {report.threshold:.3f}：覆盖 {report.coverage_at_threshold:.1%}，"
        f"精确率 {report.precision_at_threshold:.3f}"
    )
    if report.unknown_labels:
        line(f"模型未学过的标签：{'、'.join(report.unknown_labels)}")
