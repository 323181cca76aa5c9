"""``hotline area|dept|category|catalogue``: import reference data from CSV, list it, suggest leads.

Tables are built from plain ``Text`` cells (stored names are never read as markup); ``--json``
prints the service views as they are, with the English identifiers scripts rely on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer

from hotline_tui.cli.output import emit_json, line, table
from hotline_tui.cli.state import state
from hotline_tui.domain.errors import ImportFailed
from hotline_tui.labels import label
from hotline_tui.labels.errors import import_reason_in_words
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.reference import catalogue as reference
from hotline_tui.services.reference.catalogue import ImportResult

area_app = typer.Typer(help="行政区划：导入与列出。", no_args_is_help=True)
dept_app = typer.Typer(help="单位：导入与列出承办单位。", no_args_is_help=True)
category_app = typer.Typer(help="分类：导入与列出诉求分类树。", no_args_is_help=True)
catalogue_app = typer.Typer(help="派单目录：导入、列出与试用派单目录。", no_args_is_help=True)


FILE_HELP = "CSV 文件（UTF-8，可带 BOM）"
JSON_HELP = "输出 JSON"

Importer = Callable[[Hotline, Actor, Path], ImportResult]


def _run_import(ctx: typer.Context, importer: Importer, file: Path, as_json: bool) -> None:
    st = state(ctx)
    try:
        result = importer(st.hl, st.actor, file)
    except ImportFailed as exc:
        in_words = import_reason_in_words(exc)
        if in_words is exc:
            raise
        raise in_words from exc
    if as_json:
        emit_json(result)
        return
    entity = label("reference_entity", result.entity)
    # Two short lines: the counts must not be wrapped apart on a narrow terminal.
    line(f"{entity}导入完成：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")
    line(f"文件 {result.file}  SHA-256 {result.sha256}")


FileArg = typer.Argument(..., help=FILE_HELP, dir_okay=False)
JsonOpt = typer.Option(False, "--json", help=JSON_HELP)

# ---------------------------------------------------------------------------------------- areas


@area_app.command("import")
def area_import(ctx: typer.Context, file: Path = FileArg, as_json: bool = JsonOpt) -> None:
    """导入行政区划：列为 code,name,short_name,parent_code,level,population（人口可省）。"""
    _run_import(ctx, reference.import_areas, file, as_json)


@area_app.command("list")
def area_list(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """行政区划列表（按树的顺序）。"""
    st = state(ctx)
    areas = reference.list_areas(st.hl, st.actor)
    if as_json:
        emit_json(areas)
        return
    table(
        ["代码", "名称", "简称", "上级", "级别"],
        [
            (a.code, a.name, a.short_name, a.parent_code, label("area_level", a.level))
            for a in areas
        ],
        title=f"行政区划（{len(areas)}）",
    )


# ---------------------------------------------------------------------------------- departments


@dept_app.command("import")
def dept_import(ctx: typer.Context, file: Path = FileArg, as_json: bool = JsonOpt) -> None:
    """导入单位：列为 code,name,short_name,kind,area_code。"""
    _run_import(ctx, reference.import_departments, file, as_json)


@dept_app.command("list")
def dept_list(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """单位列表."""
    st = state(ctx)
    depts = reference.list_departments(st.hl, st.actor)
    if as_json:
        emit_json(depts)
        return
    table(
        ["代码", "名称", "简称", "类型", "区划", "状态"],
        [
            (
                d.code,
                d.name,
                d.short_name,
                label("dept_kind", d.kind),
                d.area_code,
                "启用" if d.active else "停用",
            )
            for d in depts
        ],
        title=f"单位（{len(depts)}）",
    )


# ----------------------------------------------------------------------------------- categories


@category_app.command("import")
def category_import(ctx: typer.Context, file: Path = FileArg, as_json: bool = JsonOpt) -> None:
    """导入分类：列为 一级分类,二级分类,三级分类 或 level1,level2,level3[,code][,short_name]。"""
    _run_import(ctx, reference.import_categories, file, as_json)


@category_app.command("list")
def category_list(
    ctx: typer.Context,
    tree: bool = typer.Option(False, "--tree", help="缩进显示分类树"),
    level: int | None = typer.Option(
        None, "--level", min=1, max=3, help="只列此级（--tree 时显示到此级）"
    ),
    as_json: bool = JsonOpt,
) -> None:
    """分类列表：表格，或加 --tree 显示缩进的分类树。"""
    st = state(ctx)
    if tree:
        nodes = [
            c
            for c in reference.list_categories(st.hl, st.actor)
            if level is None or c.level <= level
        ]
    else:
        nodes = reference.list_categories(st.hl, st.actor, level=level)
    if as_json:
        emit_json(nodes)
        return
    if tree:
        for node in nodes:
            short = f"（{node.short_name}）" if node.short_name else ""
            line(f"{'  ' * (node.level - 1)}{node.name}{short}  {node.code}")
        return
    table(
        ["代码", "名称", "简称", "级", "路径"],
        [(c.code, c.name, c.short_name, c.level, c.path) for c in nodes],
        title=f"分类（{len(nodes)}）",
    )


# ------------------------------------------------------------------------------------ catalogue


@catalogue_app.command("import")
def catalogue_import(ctx: typer.Context, file: Path = FileArg, as_json: bool = JsonOpt) -> None:
    """导入派单目录：列为 category,area_code,dept_code（分类为代码或路径；区划为空即任意区划）。"""
    _run_import(ctx, reference.import_catalogue, file, as_json)


@catalogue_app.command("list")
def catalogue_list(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """派单目录列表."""
    st = state(ctx)
    rules = reference.list_catalogue(st.hl, st.actor)
    if as_json:
        emit_json(rules)
        return
    table(
        ["分类代码", "分类", "区划", "主办单位"],
        [
            (
                r.category_code,
                r.category_path,
                r.area_code or "（全市）",
                f"{r.dept_name}（{r.dept_code}）",
            )
            for r in rules
        ],
        title=f"派单目录（{len(rules)}）",
    )


@catalogue_app.command("suggest")
def catalogue_suggest(
    ctx: typer.Context,
    category: str = typer.Option(..., "--category", help="分类代码"),
    area: str | None = typer.Option(None, "--area", help="区划代码"),
    as_json: bool = JsonOpt,
) -> None:
    """按派单目录建议主办单位."""
    st = state(ctx)
    dept = reference.suggest_lead(st.hl, st.actor, category, area)
    if as_json:
        emit_json(dept)
    elif dept is None:
        line("派单目录中没有适用的规则，请人工选择主办单位")
    else:
        line(f"建议主办单位：{dept.name}（{dept.code}）")
