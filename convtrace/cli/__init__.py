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

A command other than ``batch`` ends without the interpreter's teardown
(:func:`_exit_now`): freeing Numba's and NumPy's modules object by object
takes 0.06–0.14 s, a fifth of a warm trace.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading

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


#: Commands that end with :func:`_exit_now`: all but ``batch``, which may leave a Dask client or worker
#: processes to wind down the ordinary way.
QUICK_EXIT_MODULES = frozenset(MODULES) - {"batch"}


def _exit_now(code) -> None:
    """End the process as ``sys.exit(code)`` would, without tearing the interpreter down.

    Exit handlers run and both streams are flushed first; a reader that has gone (``| head``) ends it
    with status 1, as Click does.  While a thread that is not a daemon still runs, the ordinary exit
    waits for it instead.
    """
    if any(thread.is_alive() and not thread.daemon for thread in threading.enumerate()
           if thread is not threading.main_thread()):
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message goes to stderr, status 1
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # gone, or closed: nothing more can be said there
            status = status or 1
    os._exit(status & 0xFF)


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
    app = make_app((module,)) if module is not None else _whole_app()
    if module not in QUICK_EXIT_MODULES:
        app()
        return
    try:
        app()
    except SystemExit as end:
        _exit_now(end.code)
    _exit_now(0)
