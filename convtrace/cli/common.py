"""What every command shares: options defined once, the language, consoles and the error boundary.

Help texts are written in English here and shown in the language of the
invocation (see :mod:`convtrace.cli.localize`).
"""

from __future__ import annotations

import contextlib
import errno
import importlib.abc
import importlib.util
import os
import re
import sys
import threading
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from typer._click import exceptions as click_exceptions
from typer._click.parser import _OptionParser
from typer.core import TyperCommand

from convtrace.cli.trimmed import TrimmedLines as _TrimmedLines
from convtrace.errors import ConvtraceError, ConvtraceValueError, os_reason
from convtrace.io.inputs import inputs_protected
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
    COMPILING,
    ERROR_PREFIX,
    OPTION_NEEDS,
    OPTIONS_EXCLUSIVE,
    OS_ERROR,
    OUT_OF_MEMORY,
    SOURCE_ARGUMENT,
    SOURCE_STDIN,
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
LangOpt = Annotated[Lang | None, typer.Option("--lang", help=h(HELP_LANG), case_sensitive=False, show_default=False)]
DeviceOpt = Annotated[Device, typer.Option("--device", help=h(HELP_DEVICE), case_sensitive=False)]
DEFAULT_DEVICE = Device["cpu"]
KernelsDirOpt = Annotated[list[Path] | None, typer.Option("--kernels-dir", help=h(HELP_KERNELS_DIR), metavar="DIR",
                                                          show_default=False)]


#: An inline matrix of negative numbers: "-1 -2; -3 -4", "-1,2", "-.5", "-1/2 1/2".
NEGATIVE_MATRIX = re.compile(r"-(?:\d|\.\d)[\d\s.,;:/eE+\-\[\]]*")


class _Parser(_OptionParser):
    """The option parser, except that an option's value is never another of the command's options.

    ``--kernel --trace`` (the value forgotten) is refused as "--kernel needs a value", where the
    framework took ``--trace`` as the kernel's name and the error then blamed the kernel.
    """

    def _names_an_option(self, arg: str) -> bool:
        name = arg.split("=", 1)[0]
        return name in self._long_opt or name in self._short_opt or (
            len(arg) > 2 and arg[0] == "-" and arg[1] != "-" and arg[:2] in self._short_opt)

    def _get_value_from_state(self, option_name, option, state):
        if option.nargs == 1 and state.rargs and isinstance(state.rargs[0], str) \
                and self._names_an_option(state.rargs[0]) and not getattr(option.obj, "_flag_needs_value", False):
            raise click_exceptions.BadOptionUsage(option_name, f"Option {option_name!r} requires an argument.")
        value = super()._get_value_from_state(option_name, option, state)
        if option.nargs == 1 and isinstance(value, str) and not value.strip():
            # -o "$OUT" with OUT unset: an empty path is the current folder, an empty kernel no kernel
            raise EmptyOptionValue(option_name, f"Option {option_name!r} was given an empty value.", value=value)
        return value


class EmptyOptionValue(click_exceptions.BadOptionUsage):
    """An option given '' (or blanks) as its value: never what was meant."""

    def __init__(self, option_name: str, message: str, value: str = "") -> None:
        super().__init__(option_name, message)
        self.value = value


class _MatrixParser(_Parser):
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


class Command(TyperCommand):
    """Every command: its parser refuses an option given as another option's value (:class:`_Parser`)."""

    parser_class = _Parser

    def make_parser(self, ctx):
        parser = super().make_parser(ctx)
        parser.__class__ = self.parser_class
        return parser


class MatrixCommand(Command):
    """A command whose INPUT may be a matrix starting with a minus: ``convtrace pool "-1 -2; -3 -4"``."""

    parser_class = _MatrixParser


def refuse_together(*options: tuple[str, bool]) -> None:
    """Refuse two of ``options`` (name, given) given together: each says what the exercise is."""
    given = [name for name, on in options if on]
    if len(given) > 1:
        raise ConvtraceValueError(OPTIONS_EXCLUSIVE, first=given[0], second=given[1])


def refuse_without(option: str, given: bool, needs: str, needs_given: bool) -> None:
    """Refuse ``option`` given without ``needs``, which it only changes: silently ignored, it would
    leave the user believing it applied."""
    if given and not needs_given:
        raise ConvtraceValueError(OPTION_NEEDS, option=option, needs=needs)


def language(lang: Lang | None) -> str:
    return lang.value if lang is not None else detect_lang()


def err_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


#: Consoles showing a live display (batch's progress bar): a line said meanwhile goes above it.
_LIVE_CONSOLES: list[Console] = []


@contextlib.contextmanager
def lines_above(console: Console):
    """While the block runs, :func:`say` prints through ``console``, whose live display it shows:
    a fresh console would write past Rich's redirection, onto the bar's own line."""
    _LIVE_CONSOLES.append(console)
    try:
        yield
    finally:
        _LIVE_CONSOLES.remove(console)


def say(text: str) -> None:
    """One line for the user on standard error (progress, "wrote FILE"), never mixed with results."""
    (_LIVE_CONSOLES[-1] if _LIVE_CONSOLES else err_console()).print(text, markup=False)


def os_error_message(err: OSError, lang: str) -> str:
    """An operating-system error on a file as one plain sentence: the file, what is wrong, what to do."""
    reason = os_reason(err)
    where = err.filename if err.filename is not None else "?"
    return translate(OS_ERROR, lang, where=os.fsdecode(where) if isinstance(where, bytes) else where,
                     reason=reason)


def one_line(text: str) -> str:
    """``text`` with control characters (a newline in a file name …) shown escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


#: ``always`` shows the compile notice even when standard error is not a terminal (tests), ``never`` hides it.
COMPILE_NOTICE_ENV = "CONVTRACE_COMPILE_NOTICE"

#: The engine package: the compile notice listens from when it is imported (Numba compiles only after).
_ENGINE = "convtrace.engine"
#: What Numba's first dispatch imports to learn whether a BLAS exists (all of ``scipy.linalg``, about
#: 0.2–0.4 s); the engine does no linear algebra, so commands hide it while they run.
_BLAS_PROBE = "scipy.linalg.cython_blas"


def notice_wanted(quiet: bool = False) -> bool:
    """Whether to say that the engine compiles: on a terminal and not ``--quiet``, unless the environment says."""
    setting = os.environ.get(COMPILE_NOTICE_ENV, "").strip().lower()
    if setting == "always":
        return True
    if setting == "never" or quiet:
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _AfterImport(importlib.abc.MetaPathFinder):
    """Calls ``then()`` once ``name`` has been imported, without importing it (nor Numba) itself."""

    def __init__(self, name: str, then) -> None:
        self.name, self.then = name, then

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        self.remove()
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader, then, run = spec.loader, self.then, spec.loader.exec_module

        def exec_module(module):
            run(module)
            then()

        loader.exec_module = exec_module  # this spec's own loader: the package's other modules are untouched
        return spec

    def remove(self) -> None:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)


@contextlib.contextmanager
def compile_notice(lang: str, quiet: bool = False):
    """While the block runs, the first real compilation (a cache miss) is announced in one line on
    standard error; loads from the cache stay silent, and so does everything when not wanted."""
    if not notice_wanted(quiet):
        yield
        return
    stops = []
    lock = threading.Lock()

    def announce(seconds: int) -> None:
        say(translate(COMPILING, lang, seconds=seconds))

    def listen() -> None:
        from convtrace.engine.events import on_first_compile

        with lock:
            stops.append(on_first_compile(announce))

    waiter = None
    if _ENGINE in sys.modules:
        listen()
    else:
        waiter = _AfterImport(_ENGINE, listen)
        sys.meta_path.insert(0, waiter)
    try:
        yield
    finally:
        if waiter is not None:
            waiter.remove()
        with lock:
            for stop in stops:
                stop()


@contextlib.contextmanager
def without_blas_probe():
    """Numba's first dispatch imports ``scipy.linalg`` only to learn whether a BLAS exists; the engine
    uses none, so while a command runs that import fails fast (Numba then does without BLAS).
    Nothing changes when SciPy's linear algebra is already loaded, and the block is lifted afterwards."""
    if _BLAS_PROBE in sys.modules or "scipy.linalg" in sys.modules or "numba.np.arraymath" in sys.modules \
            or os.environ.get("CONVTRACE_KEEP_BLAS_PROBE"):
        yield
        return
    sys.modules[_BLAS_PROBE] = None  # an import of it raises ImportError, without importing scipy.linalg
    try:
        yield
    finally:
        if sys.modules.get(_BLAS_PROBE, 0) is None:
            del sys.modules[_BLAS_PROBE]


@contextlib.contextmanager
def user_errors(lang: str, quiet: bool = False):
    """Library errors, and the file system's refusals, become one line on standard error and exit status 2.

    Inside it, the first real compilation of the engine is announced (see :func:`compile_notice`;
    ``quiet``: never)."""
    try:
        with compile_notice(lang, quiet), without_blas_probe(), inputs_protected():
            yield
    except ConvtraceError as err:
        say(one_line(f"{translate(ERROR_PREFIX, lang)}: {_named_sources(err.message(lang), lang)}"))
        raise typer.Exit(2) from None
    except OSError as err:
        if err.errno in (errno.EPIPE, None):  # a closed pipe is the caller's business; errno None: no file error
            raise
        say(one_line(f"{translate(ERROR_PREFIX, lang)}: {os_error_message(err, lang)}"))
        raise typer.Exit(2) from None
    except MemoryError:  # past the memory checks (CONVTRACE_MAX_MEMORY=unlimited on a smaller machine)
        say(one_line(f"{translate(ERROR_PREFIX, lang)}: {translate(OUT_OF_MEMORY, lang)}"))
        raise typer.Exit(2) from None


def _named_sources(message: str, lang: str) -> str:
    """The readers' names for text typed on the command line or piped in, in the user's language."""
    if lang == "en":
        return message
    return (message.replace("<argument>", translate(SOURCE_ARGUMENT, lang))
            .replace("<stdin>", translate(SOURCE_STDIN, lang)))


def console(file=None) -> Console:
    """Rich console for results; piped output is not cut to 80 columns and has no trailing padding."""
    out = Console(file=file, highlight=False, emoji=False)
    if not out.is_terminal:
        width = None if "COLUMNS" in os.environ else 160
        out = Console(file=_TrimmedLines(file or sys.stdout), highlight=False, width=width, emoji=False)
    return out


def read_input(spec: str):
    """The matrix INPUT names: a file, '-', an image or an inline matrix."""
    from convtrace.io.readers import read_matrix

    return read_matrix(spec).values


#: Names of an image's channels, by how many it has (Pillow's L, LA, RGB, RGBA).
IMAGE_CHANNELS = {3: ("R", "G", "B"), 4: ("R", "G", "B", "A"), 2: ("L", "A")}


def input_channel_names(spec: str, values) -> tuple[str, ...] | None:
    """R, G, B (A) when INPUT is a colour image, so traces and results name its channels; else None."""
    from convtrace.io.readers import IMAGE_SUFFIXES

    if Path(spec).suffix.lower() in IMAGE_SUFFIXES and getattr(values, "ndim", 0) == 3:
        return IMAGE_CHANNELS.get(values.shape[0])
    return None


def load_kernel(spec: str, kernels_dir):
    from convtrace.kernels import KernelLibrary, resolve_kernel

    return resolve_kernel(spec, KernelLibrary(kernels_dir))
