"""The command line: a thin layer that parses, calls the library, renders and exits.

One module per command (or group); options and the error boundary shared by
all of them live in :mod:`convtrace.cli.common`.  Numba is imported only when
a command computes, so ``--help`` stays fast.

``app`` is the whole command line (all commands), built when first asked for.
:func:`main` (the ``convtrace`` program) builds only the command the line
names, when it names one first (``convtrace conv …``): the other commands'
modules are not imported, nor their options converted by Typer.  Anything
else (``convtrace``, ``convtrace --help``, a mistyped command, shell
completion) gets the whole ``app``.
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated

import typer

from convtrace import __version__
from convtrace.cli.common import h
from convtrace.cli.localize import LocalizedGroup
from convtrace.messages.help import HELP_APP, HELP_VERSION

#: The command modules, in the order the help lists their commands.
MODULES = ("conv", "pool", "tconv", "check", "quiz", "net", "activations", "gallery", "batch", "catalog",
           "completion")

#: The module that registers each command (``tests/test_startup.py`` checks it against ``app``).
COMMAND_MODULES = {
    "conv": "conv", "pool": "pool", "tconv": "tconv", "check": "check", "quiz": "quiz", "net": "net",
    "relu": "activations", "leaky-relu": "activations", "sigmoid": "activations", "tanh": "activations",
    "softmax": "activations", "flatten": "activations",
    "gallery": "gallery", "batch": "batch", "kernels": "catalog", "modes": "catalog", "completion": "completion",
}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"convtrace {__version__}")
        raise typer.Exit()


def main_options(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help=h(HELP_VERSION))] = False,
) -> None:
    """See, check and run convolutions."""


def make_app(modules=MODULES) -> typer.Typer:
    """The command line with the commands of ``modules`` (names in :data:`MODULES`)."""
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
    made.callback()(main_options)
    return made


def _whole_app() -> typer.Typer:
    if "app" not in globals():
        globals()["app"] = make_app()
    return globals()["app"]


def __getattr__(name: str):
    if name == "app":
        return _whole_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    module = COMMAND_MODULES.get(sys.argv[1]) if len(sys.argv) > 1 else None
    (make_app((module,)) if module is not None else _whole_app())()
