"""The console's door to the core: one blocking method per thing a screen needs.

Screens call these from thread workers only (:mod:`hotline_tui.ui.workers`), never from the event
loop: every method may touch the database. The services and the database driver are imported
inside the methods, so that nothing heavy is imported before the console's first paint; the
core itself is opened by :meth:`Backend.open`, in a worker. What comes back are the services'
immutable views (frozen dataclasses), never live rows.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from hotline_tui.domain.errors import AuthError, ConfigError
from hotline_tui.ui.kb_gateway import KnowledgeGateway
from hotline_tui.ui.nlp_gateway import NlpGateway
from hotline_tui.ui.scheduler_handle import EmbeddedScheduler, NoScheduler, StartScheduler

if TYPE_CHECKING:
    from hotline_tui.domain.intake import IntakeInput
    from hotline_tui.services.context import Actor, Hotline
    from hotline_tui.services.dedup.lookup import Similar
    from hotline_tui.services.live import Change
    from hotline_tui.services.reference.catalogue import DeptView
    from hotline_tui.services.reference.pickers import PickerSet
    from hotline_tui.services.scheduling.visit_due import VisitDue
    from hotline_tui.services.tickets.actions.catalogue import Action
    from hotline_tui.services.tickets.actions.inputs import OrderInput
    from hotline_tui.services.tickets.board import Board
    from hotline_tui.services.tickets.drafts import Draft
    from hotline_tui.services.tickets.intake import Disposition, Registered
    from hotline_tui.services.tickets.lookup import CallerHistory, EnterpriseView
    from hotline_tui.services.tickets.notices import Notice
    from hotline_tui.services.tickets.queries import FindQuery
    from hotline_tui.services.tickets.views import MaterialView, TicketDetail, TicketSummary
    from hotline_tui.services.tickets.work_items import WorkItem
    from hotline_tui.settings import Settings

__all__ = ["Backend"]


log = logging.getLogger(__name__)
In = TypeVar("In", bound="OrderInput")
Out = TypeVar("Out")


class Backend:
    """The core, the logged-in actor and the session's caches, for one console."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        drafts_dir: Path | None = None,
        hl: Hotline | None = None,
        opener: Callable[[Settings], Hotline] | None = None,
        load_settings: Callable[[], Settings] | None = None,
        kb_refresh_seconds: float = 5.0,
        start_scheduler: StartScheduler | None = None,
    ) -> None:
        self._settings = settings
        self._load_settings = load_settings
        self._drafts_dir = drafts_dir
        self._hl = hl
        self._owns_core = hl is None
        self._opener = opener
        self._lock = threading.Lock()
        self._actor: Actor | None = None
        self._pickers: PickerSet | None = None
        self._pickers_lock = threading.Lock()
        self._settings_lock = threading.Lock()
        self._scheduler: EmbeddedScheduler | None = None
        self._start_scheduler = start_scheduler
        self.knowledge = KnowledgeGateway(self, refresh_seconds=kb_refresh_seconds)
        self.nlp = NlpGateway(self)

    # ------------------------------------------------------------------ core and login

    @property
    def settings(self) -> Settings:
        """The settings, loaded on first use (in a worker: pydantic is slow to import)."""
        if self._settings is None:
            with self._settings_lock:
                if self._settings is None:
                    if self._load_settings is None:
                        raise ConfigError("config.settings_missing")
                    self._settings = self._load_settings()
        return self._settings

    @property
    def drafts_dir(self) -> Path:
        if self._drafts_dir is None:
            found = getattr(self.settings, "console_drafts_dir", None)
            self._drafts_dir = Path(found) if found else self.settings.data_dir / "drafts"
        return self._drafts_dir

    def open(self) -> None:
        """Open the core (engines, jieba's cache location); idempotent."""
        with self._lock:
            if self._hl is not None:
                return
            # The intake screen validates phone numbers as they are typed: import the rules
            # here, in the worker, not on the first keystroke.
            import hotline_tui.domain.validation  # noqa: F401
            from hotline_tui.domain.text import configure_segmenter

            configure_segmenter(self.settings.cache_dir / "jieba")
            if self._opener is not None:
                self._hl = self._opener(self.settings)
            else:
                from hotline_tui.services.context import open_hotline

                self._hl = open_hotline(self.settings)

    @property
    def hl(self) -> Hotline:
        if self._hl is None:
            self.open()
        assert self._hl is not None
        return self._hl

    @property
    def actor(self) -> Actor:
        if self._actor is None:
            raise AuthError("auth.failed", user="")
        return self._actor

    @property
    def logged_in(self) -> bool:
        return self._actor is not None

    def login(self, username: str, password: str) -> Actor:
        from hotline_tui.services.admin.users import login

        self._actor = login(self.hl, username.strip(), password)
        return self._actor

    def check_password(self, password: str) -> Actor:
        """Unlock: the same user's password (a login, audited as one)."""
        from hotline_tui.services.admin.users import login

        return login(self.hl, self.actor.username, password)

    def login_trusted(
        self, os_user: str, as_user: str | None, may_act_as_others: bool | None = None
    ) -> Actor:
        """The OS account's mapped user (``--as`` for root or the admin group only; None: ask
        the OS with the settings' admin group)."""
        from hotline_tui.services.admin.users import resolve_actor

        if may_act_as_others is None:
            from hotline_tui.trust import may_act_as_others as os_allows

            may_act_as_others = as_user is not None and os_allows(self.settings.admin_group)
        self._actor = resolve_actor(
            self.hl, os_user, as_user=as_user, may_act_as_others=may_act_as_others
        )
        return self._actor

    def logout(self) -> None:
        self._actor = None

    def close(self) -> None:
        self.stop_scheduler()  # before the core it works on
        self.knowledge.close()
        if self._hl is not None and self._owns_core:
            self._hl.close()

    def now(self) -> datetime:
        return self.hl.now()

    # ------------------------------------------------------------------ intake

    def pickers(self) -> PickerSet:
        """Categories, departments and areas with their pinyin keys (built once per session)."""
        with self._pickers_lock:  # the idle warm-up and a picker reached first may both ask
            if self._pickers is None:
                from hotline_tui.services.reference.pickers import build_pickers

                self._pickers = build_pickers(self.hl, self.actor)
            return self._pickers

    def warm_up(self) -> PickerSet:
        """Load what the first save needs (pick lists, the segmenter) before the caller waits,
        and open the knowledge base (in its own thread) for the intake's suggestions."""
        from hotline_tui.domain.text import prepare_segmenter

        pickers = self.pickers()
        prepare_segmenter()
        self.knowledge.start()
        self.nlp.start()  # the intake's suggestions: the models load in their own thread
        return pickers

    def history(self, phone: str) -> CallerHistory:
        from hotline_tui.services.tickets.lookup import caller_history

        return caller_history(self.hl, self.actor, phone)

    def enterprises(self, text: str) -> list[EnterpriseView]:
        from hotline_tui.services.tickets.lookup import find_enterprises

        return find_enterprises(self.hl, self.actor, text)

    def suggest(self, category: str, area: str | None) -> DeptView | None:
        from hotline_tui.services.reference.catalogue import suggest_lead

        return suggest_lead(self.hl, self.actor, category, area or None)

    def suggest_for(self, number: str) -> DeptView | None:
        """The catalogue's lead for an order already registered (a dispatcher's dispatch)."""
        detail = self.show(number)
        if detail.category is None:
            return None
        return self.suggest(detail.category, detail.area)

    def register(self, record: IntakeInput, disposition: Disposition) -> Registered:
        """受理: the call's record and what becomes of it → one service call."""
        from hotline_tui.services.tickets import intake

        return intake.register(self.hl, self.actor, record, disposition)

    # ------------------------------------------------------------------ near duplicates

    def similar(self, fields: Mapping[str, str]) -> Similar:
        """可能重复 of the call being typed (the intake form's description, phone, call-back
        number, address and credit code)."""
        from hotline_tui.services.dedup.lookup import Probe, find_similar

        probe = Probe(
            fields.get("description", ""),
            phone=fields.get("phone") or None,
            callback_phone=fields.get("callback") or None,
            address=fields.get("address", ""),
            credit_code=fields.get("credit_code") or None,
        )
        return find_similar(self.hl, self.actor, probe)

    def similar_orders(self, numbers: list[str]) -> dict[str, Similar]:
        """可能重复 / 相关 of registered orders (the dispatch queue's rows)."""
        from hotline_tui.services.dedup.lookup import similar_to_orders

        return similar_to_orders(self.hl, self.actor, numbers)

    def warm_duplicates(self) -> int:
        """Fill this process's index of recent orders (in the background, after login)."""
        from hotline_tui.services.dedup.recent import warm

        return warm(self.hl)

    # ------------------------------------------------------------------ drafts

    def save_draft(self, fields: Mapping[str, str]) -> None:
        from hotline_tui.services.tickets.drafts import Draft, discard_draft, save_draft

        username = self.actor.username
        draft = Draft(username, self.hl.now(), dict(fields))
        if draft.empty:
            discard_draft(self.drafts_dir, username)
        else:
            save_draft(self.drafts_dir, draft)

    def load_draft(self) -> Draft | None:
        """The user's draft to offer; None when there is none or it cannot be read (the intake
        screen writes no draft until this answer has come, so it must always come)."""
        from hotline_tui.services.tickets.drafts import load_draft

        try:
            return load_draft(self.drafts_dir, self.actor.username)
        except Exception:
            logging.getLogger("hotline.ui").exception("draft not readable")
            return None

    def discard_draft(self) -> None:
        from hotline_tui.services.tickets.drafts import discard_draft

        discard_draft(self.drafts_dir, self.actor.username)

    # ------------------------------------------------------------------ reading

    def find(self, query: FindQuery) -> list[TicketSummary]:
        from hotline_tui.services.tickets import queries

        return queries.find(self.hl, self.actor, query)

    def show(self, number: str) -> TicketDetail:
        from hotline_tui.services.tickets import queries

        return queries.show(self.hl, self.actor, number)

    def queue(self, name: str, dept: str | None = None) -> list[WorkItem]:
        from hotline_tui.services.tickets.worklists import work_queue

        return work_queue(self.hl, self.actor, name, dept=dept, limit=200)

    def queue_counts(self, names: tuple[str, ...]) -> dict[str, int]:
        from hotline_tui.services.tickets.worklists import queue_counts

        return queue_counts(self.hl, self.actor, names)

    def board(self) -> Board:
        from hotline_tui.services.tickets.board import supervision_board

        return supervision_board(self.hl, self.actor)

    def head(self) -> int:
        from hotline_tui.services.live import feed_head

        return feed_head(self.hl)

    def changes(self, after: int) -> list[Change]:
        from hotline_tui.services.live import changes_after

        return changes_after(self.hl, self.actor, after)

    # ------------------------------------------------------------------ notices, scheduler

    def notices(self, after: int) -> list[Notice]:
        """The user's notices (flags and escalation steps) after feed number ``after``."""
        from hotline_tui.services.tickets.notices import notices_since

        return notices_since(self.hl, self.actor, after)

    def start_scheduler(self, mode: str, os_user: str = "") -> EmbeddedScheduler:
        """Run the scheduler in this process if ``mode`` asks for it and no other scheduler
        holds the lease (the function the entry point gave, ``start_scheduler``); asked again
        while another holds it, it looks again (one read). Without that function (a console
        built by a test or embedded elsewhere), no scheduler runs here."""
        with self._lock:
            if self._start_scheduler is None:
                log.warning(
                    "console scheduler %r asked for, but none was given to this console", mode
                )
                self._scheduler = NoScheduler()
            elif self._scheduler is None or self._scheduler.waiting:
                self._scheduler = self._start_scheduler(self.hl, mode, os_user or None)
            return self._scheduler

    @property
    def scheduler(self) -> EmbeddedScheduler | None:
        return self._scheduler

    def stop_scheduler(self) -> None:
        if self._scheduler is not None:
            self._scheduler.stop()

    # ------------------------------------------------------------------ order actions

    def run(self, action: Action[In, Out], data: In) -> Out:
        """Run one action of the catalogue with its typed input, as the logged-in user."""
        from hotline_tui.services.tickets.actions.catalogue import run

        return run(self.hl, self.actor, action, data)

    # ------------------------------------------------------------------ order tools

    def material(self, number: str, digest: str) -> tuple[MaterialView, Path, bytes]:
        from hotline_tui.services.tickets import materials

        return materials.read_material(self.hl, self.actor, number, digest)

    def visit_due(self) -> VisitDue:
        from hotline_tui.services.scheduling.visit_due import visit_due_board

        return visit_due_board(self.hl, self.actor)
