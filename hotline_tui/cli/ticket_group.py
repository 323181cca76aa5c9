"""The whole ``hotline ticket`` group: reading orders (:mod:`ticket_cmd`), the loop's actions
(:mod:`ticket_flow_cmd`) and the flags and edits beside it (:mod:`ticket_extra_cmd`), put
together once, when the group is first used."""

from __future__ import annotations

from hotline_tui.cli import ticket_cmd, ticket_extra_cmd, ticket_flow_cmd

app = ticket_cmd.app
ticket_flow_cmd.register(app)
ticket_extra_cmd.register(app)

__all__ = ["app"]
