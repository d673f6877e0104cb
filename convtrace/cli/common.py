"""What every command shares: options defined once, the language, consoles and the error boundary.

Help texts are written in English here and shown in the language of the
invocation (see :mod:`convtrace.cli.localize`).
"""

from __future__ import annotations

import contextlib
import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from convtrace.errors import ConvtraceError
from convtrace.i18n import detect_lang, translate
from convtrace.names import DEVICES


def h(key: str) -> str:
    """A help text, in English; the command line shows it in the invocation's language."""
    return translate(key, "en")


def examples(*lines: str) -> str:
    """An epilog listing example command lines."""
    body = "\n\n".join(f"  {line}" for line in lines)
    return f"[bold]{h('help_examples')}:[/bold]\n\n{body}"


class Lang(str, Enum):
    en = "en"
    es = "es"


Device = Enum("Device", {name: name for name in DEVICES}, type=str)


InputArg = Annotated[str, typer.Argument(help=h("help_input"), metavar="INPUT", show_default=False)]
KernelOpt = Annotated[str, typer.Option("--kernel", "-k", help=h("help_kernel"), show_default=False)]
PaddingOpt = Annotated[str, typer.Option("--padding", "-p", help=h("help_padding"))]
PadModeOpt = Annotated[str, typer.Option("--pad-mode", "-m", help=h("help_pad_mode"))]
PadValueOpt = Annotated[str, typer.Option("--pad-value", help=h("help_pad_value"))]
StrideOpt = Annotated[str, typer.Option("--stride", "-s", help=h("help_stride"))]
PoolStrideOpt = Annotated[str | None, typer.Option("--stride", "-s", help=h("help_pool_stride"),
                                                   show_default=False)]
DilationOpt = Annotated[str, typer.Option("--dilation", "-d", help=h("help_dilation"))]
FlipOpt = Annotated[bool, typer.Option("--flip", help=h("help_flip"))]
CeilOpt = Annotated[bool, typer.Option("--ceil", help=h("help_ceil"))]
ExcludePadOpt = Annotated[bool, typer.Option("--exclude-pad", help=h("help_exclude_pad"))]
PoolOpt = Annotated[str | None, typer.Option("--pool", help=h("help_check_pool"), metavar="MODE:SIZE",
                                             show_default=False)]
TraceOpt = Annotated[bool, typer.Option("--trace", "-t", help=h("help_trace"))]
AtOpt = Annotated[list[str] | None, typer.Option("--at", help=h("help_at"), metavar="I,J", show_default=False)]
MaxStepsOpt = Annotated[int, typer.Option("--max-steps", min=0, help=h("help_max_steps"))]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help=h("help_output"), show_default=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help=h("help_force"))]
PrecisionOpt = Annotated[int, typer.Option("--precision", min=0, max=15, help=h("help_precision"))]
LangOpt = Annotated[Lang | None, typer.Option("--lang", help=h("help_lang"), show_default=False)]
DeviceOpt = Annotated[Device, typer.Option("--device", help=h("help_device"))]
DEFAULT_DEVICE = Device["cpu"]
KernelsDirOpt = Annotated[list[Path] | None, typer.Option("--kernels-dir", help=h("help_kernels_dir"),
                                                          show_default=False)]


def language(lang: Lang | None) -> str:
    return lang.value if lang is not None else detect_lang()


def err_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def say(text: str) -> None:
    """One line for the user on standard error (progress, "wrote FILE"), never mixed with results."""
    err_console().print(text, markup=False)


@contextlib.contextmanager
def user_errors(lang: str):
    """Library errors become one line on standard error and exit status 2."""
    try:
        yield
    except ConvtraceError as err:
        say(f"{translate('error_prefix', lang)}: {err.message(lang)}")
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
