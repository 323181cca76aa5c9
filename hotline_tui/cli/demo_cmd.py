"""``hotline demo``: prepare the database and seed the demo city 青川市 with a year of orders and
its knowledge base (the project's standard answers, indexed, so the console's 知识库 works at
once)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import typer
from sqlalchemy import func, select

from db.models import Ticket
from hotline_tui.cli.output import emit_json, error, line, table
from hotline_tui.cli.state import state
from hotline_tui.demo.city import CITY_NAME, DEMO_USERS
from hotline_tui.demo.generator import DEMO_PASSWORD, DemoSummary, generate
from hotline_tui.demo.seed import seed_city
from hotline_tui.domain.states import Ending, TicketState
from hotline_tui.labels import label
from hotline_tui.services.admin import install as admin
from hotline_tui.services.admin.users import map_os_account, system_actor
from hotline_tui.services.context import Actor, Hotline
from hotline_tui.services.public.accounts import ensure_channel_accounts
from hotline_tui.trust import os_user

if TYPE_CHECKING:
    from hotline_tui.demo.kb_calibration import DemoCalibration

BASE_ORDERS = 20000
EXIT_REFUSED = 9  # as a configuration error (see main.EXIT_CODES)


def demo(
    ctx: typer.Context,
    seed: int = typer.Option(12345, "--seed", help="随机种子：种子相同，演示数据相同。"),
    scale: float = typer.Option(
        1.0, "--scale", min=0.001, max=100.0, help=f"演示工单数（{BASE_ORDERS:,} 件）的倍数。"
    ),
    orders: int | None = typer.Option(
        None,
        "--orders",
        min=1,
        max=BASE_ORDERS * 100,
        help="恰好生成这么多来电（优先于 --scale）。",
    ),
    force: bool = typer.Option(False, "--force", help="数据库已有工单时仍添加演示工单。"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出汇总。"),
    kb_only: bool = typer.Option(
        False,
        "--kb-only",
        help="只生成演示知识库（可重复执行）并建立索引。",
    ),
) -> None:
    """演示数据：准备数据库并生成演示城市、用户、一年的工单和知识库。"""
    started = time.perf_counter()
    st = state(ctx)
    hl = st.creating()
    admin.initialise(hl)
    # A database people already use: only its administrators may add demo data to it (the
    # command's gate, cli.gates); a fresh one is a personal demo.
    fresh = admin.is_fresh(hl)
    ensure_channel_accounts(hl)  # the accounts ``hotline serve`` acts as
    actor = system_actor(hl)
    if kb_only:
        seeded = seed_knowledge(hl, actor)
        if as_json:
            emit_json(_knowledge_json(seeded))
        else:
            line(f"演示知识库：新增 {seeded.created} 篇，索引共 {seeded.documents} 篇")
            _autoanswer_lines(seeded)
        return
    with hl.reading() as session:
        existing = int(session.execute(select(func.count()).select_from(Ticket)).scalar_one())
    if existing and not force:
        error(f"错误: 数据库已有 {existing} 张工单，未生成演示数据（再次生成会叠加）。")
        error("如确需叠加请加 --force，否则请用 --db 指定一个空数据库。")
        raise typer.Exit(EXIT_REFUSED)
    seed_city(hl, actor)
    count = orders if orders is not None else max(1, round(BASE_ORDERS * scale))
    summary = generate(hl, seed=seed, orders=count, progress=_progress(count))
    seeded = seed_knowledge(hl, actor)
    from hotline_tui.services.stats import rollup  # the measures' roll-up, from the new orders

    rollup.rebuild(hl)
    if fresh and os.geteuid() != 0:
        # A personal demo: the account that seeded it acts as the demo administrator.
        map_os_account(hl, actor, "admin1", os_user())
    wall = time.perf_counter() - started
    if as_json:
        emit_json(
            {
                **asdict(summary),
                **_knowledge_json(seeded),
                "password": DEMO_PASSWORD,
                "wall_seconds": round(wall, 2),
                "database": hl.engines.read.url.render_as_string(hide_password=True),
            }
        )
        return
    _print_summary(summary, wall, hl.engines.read.url.render_as_string(hide_password=True))
    _knowledge_lines(seeded)
    line("指标：试试 hotline kpi --period month --by dept，或 hotline kpi --orders 超期率")


@dataclass(frozen=True)
class KnowledgeSeeded:
    created: int
    documents: int
    calibration: DemoCalibration | None  # None: kept the calibrator in force (nothing new)
    seconds: float


def seed_knowledge(hl: Hotline, actor: Actor) -> KnowledgeSeeded:
    """The demo's articles (those missing), this host's index built over them with its
    passages' vectors, and the self-service channel's calibrator fitted on the demo's labelled
    questions (so ``hotline serve`` answers the demo's common questions at once). A run that
    added no article keeps the calibrator in force (``./scripts/demo`` runs ``--kb-only`` at
    every start, and a calibrator trained since on real outcomes must stay)."""
    from hotline_tui.cli.kb_output import fill_vectors
    from hotline_tui.demo.kb_articles import seed_demo_articles
    from hotline_tui.demo.kb_calibration import calibrate_demo
    from hotline_tui.services.kb.autoanswer_store import CalibratorStore
    from hotline_tui.services.kb.search import KnowledgeBase

    started = time.perf_counter()
    created = seed_demo_articles(hl, actor).created
    kb = KnowledgeBase(hl, refresh_seconds=0)
    try:
        kb.refresh()
        documents = kb.status().documents
        data_dir = hl.settings.data_dir
        calibration = None
        if created > 0 or CalibratorStore(data_dir).latest() is None:
            fill_vectors(kb)  # the questions are searched as ``hotline serve`` will search them
            calibration = calibrate_demo(kb, actor, data_dir)
    finally:
        kb.close()
    return KnowledgeSeeded(created, documents, calibration, time.perf_counter() - started)


def _knowledge_lines(seeded: KnowledgeSeeded) -> None:
    line(
        f"知识库：{seeded.documents} 篇已发布的标准答复"
        "（试试 hotline kb search yyzz，或控制台的知识库）"
    )
    _autoanswer_lines(seeded)


def _autoanswer_lines(seeded: KnowledgeSeeded) -> None:
    if seeded.calibration is None:
        return
    calibrator = seeded.calibration.report.calibrator
    cv = calibrator.cv
    line(
        f"自动答复：校准模型第 {calibrator.version} 版，以 {seeded.calibration.report.labelled} "
        f"条演示问法训练，交叉验证准确率 {cv.get('precision', 0):.3f}、"
        f"覆盖率 {cv.get('coverage', 0):.1%}（知识库与自动答复用时 {seeded.seconds:.1f} 秒）"
    )
    line(
        f"试试：hotline --as sup1 kb autoanswer eval --csv {seeded.calibration.eval_csv}"
        "（留出未参与训练的问法），或 hotline serve 后在网页上提问"
    )


def _knowledge_json(seeded: KnowledgeSeeded) -> dict[str, object]:
    facts: dict[str, object] = {"kb_created": seeded.created, "kb_documents": seeded.documents}
    if seeded.calibration is None:
        return {**facts, "autoanswer": None}
    calibrator = seeded.calibration.report.calibrator
    return {
        **facts,
        "autoanswer": {
            "calibrator_version": calibrator.version,
            "threshold": calibrator.threshold,
            "labelled": seeded.calibration.report.labelled,
            "cv": calibrator.cv,
            "train_csv": str(seeded.calibration.train_csv),
            "eval_csv": str(seeded.calibration.eval_csv),
            "seconds": round(seeded.seconds, 2),
        },
    }


def _progress(total: int) -> Callable[[int], None] | None:
    """Progress on stderr, only when a person is watching."""
    if not sys.stderr.isatty():
        return None

    def report(done: int) -> None:
        sys.stderr.write(f"\r生成演示工单 {done}/{total}")
        sys.stderr.flush()
        if done >= total:
            sys.stderr.write("\n")

    return report


def _print_summary(summary: DemoSummary, wall: float, database: str) -> None:
    line(f"演示数据已生成：{CITY_NAME}，{summary.orders} 张工单，{summary.events} 条审计事件")
    line(f"数据库 {database}")
    states = [
        (s.value, label("state", s.value), summary.by_state.get(s.value, 0)) for s in TicketState
    ]
    table(["状态", "中文", "工单数"], states, title="按状态")
    endings = [
        (e.value, label("ending", e.value), summary.by_ending.get(e.value, 0)) for e in Ending
    ]
    table(["办结方式", "中文", "工单数"], endings, title="按办结方式（含已归档）")
    line(f"咨询占比 {summary.consult_share:.1%}，企业诉求占比 {summary.enterprise_share:.1%}")
    users = [
        (u.username.lower(), u.display_name, u.role, u.dept_code or "")
        for u in DEMO_USERS
        if not u.username.startswith("h_")
    ]
    table(["用户名", "姓名", "角色", "单位"], users, title="演示用户")
    line("另有每个承办单位一名办理人：h_<单位代码小写>，如 h_m02、h_s0101。")
    line(f"演示用户密码：{DEMO_PASSWORD}")
    if summary.first_number and summary.last_number:
        line(f"工单号 {summary.first_number} … {summary.last_number}")
    if summary.repeat_phone:
        line(f"试试：hotline ticket find --phone {summary.repeat_phone}（一位多次来电的市民）")
    line("试试：hotline ticket find 执照")
    line(
        f"用时 {wall:.1f} 秒（生成工单 {summary.seconds:.1f} 秒），完成于 "
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M}"
    )
