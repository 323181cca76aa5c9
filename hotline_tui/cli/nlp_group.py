"""The whole ``hotline nlp`` group: training and evaluation (:mod:`nlp_cmd`) and the
suggestions' acceptance at intake (:mod:`nlp_stats`)."""

from __future__ import annotations

import typer

from hotline_tui.cli import nlp_cmd
from hotline_tui.cli.nlp_stats import stats

app = typer.Typer(help=nlp_cmd.app.info.help, no_args_is_help=True, add_completion=False)
app.add_typer(nlp_cmd.app)  # no name: its commands join this group
app.command("stats")(stats)

__all__ = ["app"]
