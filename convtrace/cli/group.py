"""The Typer app: the group, its own options, and the commands registered into it."""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from convtrace import __version__
from convtrace.cli.common import Command, h
from convtrace.cli.localize import LocalizedGroup
from convtrace.messages.help import HELP_APP, HELP_VERSION


def _version(value: bool) -> None:
    if value:
        typer.echo(f"convtrace {__version__}")
        raise typer.Exit()


def main_options(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help=h(HELP_VERSION))] = False,
) -> None:
    """See, check and run convolutions."""


def _with_own_parser(app: typer.Typer) -> None:
    """Every command of ``app`` and of its sub-apps made as a :class:`Command` (unless it is one)."""
    for info in app.registered_commands:
        if not (isinstance(info.cls, type) and issubclass(info.cls, Command)):
            info.cls = Command
    for group in app.registered_groups:
        _with_own_parser(group.typer_instance)


def make_app(modules) -> typer.Typer:
    """The command line with the commands of ``modules`` (names in :data:`convtrace.cli.MODULES`)."""
    made = typer.Typer(
        name="convtrace",
        cls=LocalizedGroup,
        help=h(HELP_APP),
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    for name in modules:
        importlib.import_module(f"convtrace.cli.{name}").register(made)
    _with_own_parser(made)
    made.callback()(main_options)
    return made
