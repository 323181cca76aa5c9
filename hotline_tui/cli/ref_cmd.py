"""PLACEHOLDER (being written by another engineer): area/dept/category/catalogue commands."""

from __future__ import annotations

import typer

area_app = typer.Typer(help="行政区划", no_args_is_help=True)
dept_app = typer.Typer(help="单位", no_args_is_help=True)
category_app = typer.Typer(help="分类", no_args_is_help=True)
catalogue_app = typer.Typer(help="派单目录", no_args_is_help=True)
