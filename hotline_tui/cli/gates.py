"""Who may run each ``hotline`` command: the actions of the one role table each command needs.

Every command is listed here by its path (``"ticket show"``) with the actions of
:mod:`hotline_tui.domain.permissions` it performs; the acting user's role must allow at least one
of them (the service then checks the exact one, the department and the state). The check runs
before the command does anything (:meth:`hotline_tui.cli.state.CliState.authorise`), and a
command missing from this table is refused: a new command cannot slip through unguarded, and a
test walks every command of the tree against every role.

``fresh_ok``: on a database that has no users yet (being created), the command runs without a
hotline user — a personal demo, a first ``db upgrade``, a restore into an empty database (that
one also wants the OS administrator; see ``db restore``). ``os_admin``: root or the admin group,
without ``--as``, may run it without a hotline user (verifying the audit trail must not depend
on the users' table of the database it checks). ``open``: the command does its own
authentication (the console's login screen).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Gate:
    actions: tuple[str, ...] = ()
    fresh_ok: bool = False
    os_admin: bool = False
    open: bool = False


def _g(*actions: str, fresh_ok: bool = False, os_admin: bool = False) -> Gate:
    return Gate(actions=actions, fresh_ok=fresh_ok, os_admin=os_admin)


READ = _g("ticket.read")

GATES: Mapping[str, Gate] = {
    "console": Gate(open=True),
    "status": _g("status.read"),
    "demo": _g("demo.seed", fresh_ok=True),
    # the public channels: the server, and the partner systems' keys of its Open311 API
    "serve": _g("web.serve", os_admin=True),
    "apikey add": _g("apikey.manage"),
    "apikey list": _g("apikey.manage"),
    "apikey revoke": _g("apikey.manage"),
    # the measures (a handler: their own department's)
    "kpi": _g("kpi.read"),
    "hotspot": _g("kpi.read"),
    "stats rebuild": _g("stats.rebuild"),
    # the intake classifiers
    "nlp train": _g("nlp.train"),
    "nlp eval": _g("nlp.eval"),
    "nlp stats": _g("nlp.eval"),
    # db
    "db upgrade": _g("db.upgrade", fresh_ok=True),
    "db status": _g("status.read", fresh_ok=True),
    "db backup": _g("db.backup"),
    "db restore": _g("db.restore", fresh_ok=True),
    "db mark-copy": _g("db.mark_copy"),
    # users
    "user add": _g("user.add"),
    "user list": _g("user.list"),
    "user disable": _g("user.disable"),
    "user enable": _g("user.disable"),
    "user reset-password": _g("user.reset_password"),
    # reference data
    "area import": _g("reference.import"),
    "area list": _g("reference.read"),
    "dept import": _g("reference.import"),
    "dept list": _g("reference.read"),
    "category import": _g("reference.import"),
    "category list": _g("reference.read"),
    "catalogue import": _g("reference.import"),
    "catalogue list": _g("reference.read"),
    "catalogue suggest": _g("reference.read"),
    # time limits
    "calendar import": _g("calendar.import"),
    "calendar show": _g("calendar.read"),
    "calendar alerts": _g("calendar.read"),
    "sla list": _g("sla.read"),
    "sla set": _g("sla.set"),
    "sla delete": _g("sla.set"),
    "sla import": _g("sla.set"),
    "sla due": _g("sla.read"),
    # orders
    "ticket new": _g("register"),
    "ticket show": READ,
    "ticket find": READ,
    "ticket queue": READ,
    "ticket deadlines": READ,
    "ticket answer": _g("answer"),
    "ticket dispatch": _g("dispatch", "redispatch"),
    "ticket sign": _g("sign"),
    "ticket return": _g("return"),
    "ticket review-return": _g("return_accept", "return_reject"),
    "ticket extend": _g("request_extension"),
    "ticket decide-extension": _g("extension_approve", "extension_deny"),
    "ticket reply": _g("reply"),
    "ticket review": _g("review_pass", "review_fail"),
    "ticket visit": _g("visit"),
    "ticket redo": _g("redo"),
    "ticket close": _g("close"),
    "ticket merge": _g("merge", "unmerge"),
    "ticket unmerge": _g("unmerge"),
    "ticket withdraw": _g("withdraw"),
    "ticket withdrawals": _g("withdraw_confirm"),
    "ticket confirm-withdraw": _g("withdraw_confirm"),
    "ticket invalid": _g("invalid"),
    "ticket reopen": _g("reopen"),
    "ticket archive": _g("archive"),
    "ticket release": _g("release"),
    "ticket urge": _g("urge"),
    "ticket supervise": _g("supervise"),
    "ticket supervise-reply": _g("supervise_reply"),
    "ticket escalate": _g("escalate"),
    "ticket consult": _g("consult"),
    "ticket escalate-result": _g("escalate_result"),
    "ticket consult-result": _g("consult_result"),
    "ticket edit": _g("edit"),
    "ticket mark-abusive": _g("caller.mark_abusive"),
    "ticket attach": _g("material.add"),
    # audit
    "audit verify": _g("audit.verify", os_admin=True),
    "audit checkpoint": _g("audit.checkpoint"),
    # knowledge base
    "kb import": _g("kb.import"),
    "kb search": _g("kb.read"),
    "kb show": _g("kb.read"),
    "kb list": _g("kb.read"),
    "kb feedback": _g("kb.feedback"),
    "kb answer": _g("answer"),
    "kb new": _g("kb.edit"),
    "kb edit": _g("kb.edit"),
    "kb reindex": _g("kb.reindex"),
    "kb status": _g("kb.read"),
    "kb stats": _g("kb.stats"),
    "kb gaps": _g("kb.gaps"),
    "kb autoanswer eval": _g("kb.autoanswer"),
    "kb autoanswer train": _g("kb.autoanswer"),
    "kb flag-expired": _g("kb.stats"),
    "kb synonyms": _g("kb.read"),
    "kb submit": _g("kb.submit"),
    "kb approve": _g("kb.approve"),
    "kb reject": _g("kb.reject"),
    "kb publish": _g("kb.publish"),
    "kb retire": _g("kb.retire"),
    # scheduler
    "scheduler run": _g("scheduler.run"),
    "scheduler notices": READ,
    "scheduler supervisions": READ,
}
