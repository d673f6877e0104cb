"""The command line: a thin layer that parses, calls the library, renders and exits.

One module per command (or group); options and the error boundary shared by
all of them live in :mod:`convtrace.cli.common`.  Numba is imported only when
a command computes, so ``--help`` stays fast.

``app`` is the whole command line (all commands), built when first asked for.
:func:`main` (the ``convtrace`` program) builds only the command the line
names, when it names one first (``convtrace conv …``): the other commands'
modules are not imported, nor their options converted by Typer.  Anything
else (``convtrace``, a mistyped command, shell completion) gets the whole
``app``; ``convtrace --help`` alone is drawn without Typer
(:mod:`convtrace.cli.overview`), as the whole app would draw it, and
``convtrace --version`` is printed without it.
"""

from __future__ import annotations

import os
import sys

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


def make_app(modules=MODULES):
    """The command line (a Typer app) with the commands of ``modules`` (names in :data:`MODULES`)."""
    from convtrace.cli.group import make_app as make

    return make(modules)


def _whole_app():
    if "app" not in globals():
        globals()["app"] = make_app()
    return globals()["app"]


def __getattr__(name: str):
    if name == "app":
        return _whole_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _without_typer(show) -> None:
    """Run ``show``, which prints to standard output; a reader that stops early (``| head``) ends it
    quietly with status 1, as Click ends Typer's own help."""
    try:
        show()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
        sys.exit(1)


def _print_version() -> None:
    from convtrace import __version__

    print(f"convtrace {__version__}")


def main() -> None:
    args = sys.argv[1:]
    if args in (["--help"], ["-h"]):
        from convtrace.cli.overview import print_overview

        _without_typer(print_overview)
        return
    if args in (["--version"], ["-V"]):
        _without_typer(_print_version)
        return
    module = COMMAND_MODULES.get(args[0]) if args else None
    (make_app((module,)) if module is not None else _whole_app())()
