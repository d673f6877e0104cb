"""What every command shares: options defined once, the language, consoles and the error boundary.

Help texts are written in English here and shown in the language of the
invocation (see :mod:`convtrace.cli.localize`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from typer._click.parser import _OptionParser
from typer.core import TyperCommand

from convtrace.errors import ConvtraceError
from convtrace.messages import detect_lang, translate
from convtrace.messages.help import (
    HELP_AT,
    HELP_CEIL,
    HELP_CHECK_POOL,
    HELP_DEVICE,
    HELP_DILATION,
    HELP_EXAMPLES,
    HELP_EXCLUDE_PAD,
    HELP_EXERCISE_STRIDE,
    HELP_FLIP,
    HELP_FORCE,
    HELP_FORCE_QUIZ,
    HELP_FORCE_REPORT,
    HELP_INPUT,
    HELP_KERNEL,
    HELP_KERNELS_DIR,
    HELP_LANG,
    HELP_MAX_STEPS,
    HELP_OUTPUT,
    HELP_PAD_MODE,
    HELP_PAD_VALUE,
    HELP_PADDING,
    HELP_POOL_STRIDE,
    HELP_PRECISION,
    HELP_STRIDE,
    HELP_TRACE,
)
from convtrace.messages.options import (
    ERROR_PREFIX,
    OS_ERROR,
    OS_IS_DIR,
    OS_NAME_TOO_LONG,
    OS_NO_SPACE,
    OS_NOT_DIR,
    OS_NOT_FOUND,
    OS_PERMISSION,
    OS_READ_ONLY,
)
from convtrace.names import DEVICES


def h(key: str) -> str:
    """A help text, in English; the command line shows it in the invocation's language."""
    return translate(key, "en")


def examples(*lines: str) -> str:
    """An epilog listing example command lines."""
    body = "\n\n".join(f"  {escape(line)}" for line in lines)
    return f"[bold]{h(HELP_EXAMPLES)}:[/bold]\n\n{body}"


class Lang(str, Enum):
    en = "en"
    es = "es"


Device = Enum("Device", {name: name for name in DEVICES}, type=str)


InputArg = Annotated[str, typer.Argument(help=h(HELP_INPUT), metavar="INPUT", show_default=False)]
KernelOpt = Annotated[str, typer.Option("--kernel", "-k", help=h(HELP_KERNEL), metavar="KERNEL", show_default=False)]
PaddingOpt = Annotated[str, typer.Option("--padding", "-p", help=h(HELP_PADDING), metavar="P")]
PadModeOpt = Annotated[str, typer.Option("--pad-mode", "-m", help=h(HELP_PAD_MODE), metavar="MODE")]
PadValueOpt = Annotated[str, typer.Option("--pad-value", help=h(HELP_PAD_VALUE), metavar="V")]
StrideOpt = Annotated[str, typer.Option("--stride", "-s", help=h(HELP_STRIDE), metavar="S")]
PoolStrideOpt = Annotated[str | None, typer.Option("--stride", "-s", help=h(HELP_POOL_STRIDE), metavar="S",
                                                   show_default=False)]
#: --stride of an exercise (check, quiz): 1 with a kernel, the window size with --pool.
ExerciseStrideOpt = Annotated[str | None, typer.Option("--stride", "-s", help=h(HELP_EXERCISE_STRIDE), metavar="S",
                                                       show_default=False)]
DilationOpt = Annotated[str, typer.Option("--dilation", "-d", help=h(HELP_DILATION), metavar="D")]
FlipOpt = Annotated[bool, typer.Option("--flip", help=h(HELP_FLIP))]
CeilOpt = Annotated[bool, typer.Option("--ceil", help=h(HELP_CEIL))]
ExcludePadOpt = Annotated[bool, typer.Option("--exclude-pad", help=h(HELP_EXCLUDE_PAD))]
PoolOpt = Annotated[str | None, typer.Option("--pool", help=h(HELP_CHECK_POOL), metavar="MODE:SIZE",
                                             show_default=False)]
TraceOpt = Annotated[bool, typer.Option("--trace", "-t", help=h(HELP_TRACE))]
AtOpt = Annotated[list[str] | None, typer.Option("--at", help=h(HELP_AT), metavar="I,J", show_default=False)]
MaxStepsOpt = Annotated[int, typer.Option("--max-steps", min=0, help=h(HELP_MAX_STEPS))]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help=h(HELP_OUTPUT), metavar="FILE",
                                                show_default=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help=h(HELP_FORCE))]
#: --force of ``check`` (the --report file) and of ``quiz`` (the files in the -o folder).
ForceReportOpt = Annotated[bool, typer.Option("--force", help=h(HELP_FORCE_REPORT))]
ForceQuizOpt = Annotated[bool, typer.Option("--force", help=h(HELP_FORCE_QUIZ))]
PrecisionOpt = Annotated[int, typer.Option("--precision", min=0, max=15, help=h(HELP_PRECISION))]
LangOpt = Annotated[Lang | None, typer.Option("--lang", help=h(HELP_LANG), show_default=False)]
DeviceOpt = Annotated[Device, typer.Option("--device", help=h(HELP_DEVICE))]
DEFAULT_DEVICE = Device["cpu"]
KernelsDirOpt = Annotated[list[Path] | None, typer.Option("--kernels-dir", help=h(HELP_KERNELS_DIR), metavar="DIR",
                                                          show_default=False)]


#: An inline matrix of negative numbers: "-1 -2; -3 -4", "-1,2", "-.5", "-1/2 1/2".
NEGATIVE_MATRIX = re.compile(r"-(?:\d|\.\d)[\d\s.,;:/eE+\-\[\]]*")


class _MatrixParser(_OptionParser):
    """The option parser, except that a negative inline matrix in place of INPUT is INPUT, not an option.

    Option values are taken before this is asked, so ``--pad-value -1`` and
    ``-k "-1 0; 0 1"`` stay values.
    """

    def _process_opts(self, arg: str, state) -> None:
        if NEGATIVE_MATRIX.fullmatch(arg) and arg.split("=", 1)[0] not in self._long_opt \
                and arg[:2] not in self._short_opt:
            state.largs.append(arg)
            return
        super()._process_opts(arg, state)


class MatrixCommand(TyperCommand):
    """A command whose INPUT may be a matrix starting with a minus: ``convtrace pool "-1 -2; -3 -4"``."""

    def make_parser(self, ctx):
        parser = super().make_parser(ctx)
        parser.__class__ = _MatrixParser
        return parser


def language(lang: Lang | None) -> str:
    return lang.value if lang is not None else detect_lang()


def err_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def say(text: str) -> None:
    """One line for the user on standard error (progress, "wrote FILE"), never mixed with results."""
    err_console().print(text, markup=False)


#: The operating system's refusals a user can fix, and how each is said.
_OS_REASONS = {
    errno.ENOENT: OS_NOT_FOUND,
    errno.EACCES: OS_PERMISSION,
    errno.EPERM: OS_PERMISSION,
    errno.EISDIR: OS_IS_DIR,
    errno.ENOTDIR: OS_NOT_DIR,
    errno.ENOSPC: OS_NO_SPACE,
    errno.EROFS: OS_READ_ONLY,
    errno.ENAMETOOLONG: OS_NAME_TOO_LONG,
}


def os_error_message(err: OSError, lang: str) -> str:
    """An operating-system error on a file as one plain sentence: the file, what is wrong, what to do."""
    key = _OS_REASONS.get(err.errno)
    reason = translate(key, lang) if key is not None else (err.strerror or type(err).__name__)
    where = err.filename if err.filename is not None else "?"
    return translate(OS_ERROR, lang, where=os.fsdecode(where) if isinstance(where, bytes) else where,
                     reason=reason)


def one_line(text: str) -> str:
    """``text`` with control characters (a newline in a file name …) shown escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


@contextlib.contextmanager
def user_errors(lang: str):
    """Library errors, and the file system's refusals, become one line on standard error and exit status 2."""
    try:
        yield
    except ConvtraceError as err:
        say(one_line(f"{translate(ERROR_PREFIX, lang)}: {err.message(lang)}"))
        raise typer.Exit(2) from None
    except OSError as err:
        if err.errno in (errno.EPIPE, None):  # a closed pipe is the caller's business; errno None: no file error
            raise
        say(one_line(f"{translate(ERROR_PREFIX, lang)}: {os_error_message(err, lang)}"))
        raise typer.Exit(2) from None


def console(file=None) -> Console:
    """Rich console for results; piped output is not cut to 80 columns (no terminal limits it)."""
    out = Console(file=file, highlight=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out = Console(file=file, highlight=False, width=160)
    return out


def read_input(spec: str):
    """The matrix INPUT names: a file, '-', an image or an inline matrix."""
    from convtrace.io.readers import read_matrix

    return read_matrix(spec).values


def load_kernel(spec: str, kernels_dir):
    from convtrace.kernels import KernelLibrary, resolve_kernel

    return resolve_kernel(spec, KernelLibrary(kernels_dir))
