"""The command line: a thin layer that parses, calls the library, renders and exits.

One module per command (or group); options and the error boundary shared by
all of them live in :mod:`convtrace.cli.common`.  Numba is imported only when
a command computes, so ``--help`` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from convtrace import __version__
from convtrace.cli import (
    activations,
    batch,
    catalog,
    check,
    completion,
    conv,
    gallery,
    net,
    pool,
    quiz,
    tconv,
)
from convtrace.cli.common import h
from convtrace.cli.localize import LocalizedGroup
from convtrace.messages.help import HELP_APP, HELP_VERSION

app = typer.Typer(
    name="convtrace",
    cls=LocalizedGroup,
    help=h(HELP_APP),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

for command in (conv, pool, tconv, check, quiz, net, activations, gallery, batch, catalog, completion):
    command.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"convtrace {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help=h(HELP_VERSION))] = False,
) -> None:
    """See, check and run convolutions."""


def main() -> None:
    app()
