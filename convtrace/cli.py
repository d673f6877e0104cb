"""The command line: ``convtrace conv | pool | kernels | modes``.

Each command parses its options, calls the library, renders, and turns a
library error into one clear line on standard error with exit status 2.
Numba is imported only when a command computes, so ``--help`` stays fast.
"""

from __future__ import annotations

import contextlib
import io
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from convtrace import __version__
from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.i18n import detect_lang, translate

HELP_LANG = detect_lang()


def _h(key: str) -> str:
    return translate(key, HELP_LANG)


def _examples(*lines: str) -> str:
    body = "\n\n".join(f"  {line}" for line in lines)
    return f"[bold]{_h('help_examples')}:[/bold]\n\n{body}"


class Lang(str, Enum):
    en = "en"
    es = "es"


class OutFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    latex = "latex"
    npy = "npy"
    png = "png"


class PoolMode(str, Enum):
    max = "max"
    avg = "avg"
    min = "min"
    sum = "sum"


app = typer.Typer(
    name="convtrace",
    help=_h("help_app"),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

# ----------------------------------------------------------------- shared options (defined once)

InputArg = Annotated[str, typer.Argument(help=_h("help_input"), metavar="INPUT", show_default=False)]
KernelOpt = Annotated[str, typer.Option("--kernel", "-k", help=_h("help_kernel"), show_default=False)]
PaddingOpt = Annotated[str, typer.Option("--padding", "-p", help=_h("help_padding"))]
PadModeOpt = Annotated[str, typer.Option("--pad-mode", "-m", help=_h("help_pad_mode"))]
PadValueOpt = Annotated[str, typer.Option("--pad-value", help=_h("help_pad_value"))]
StrideOpt = Annotated[str, typer.Option("--stride", "-s", help=_h("help_stride"))]
DilationOpt = Annotated[str, typer.Option("--dilation", "-d", help=_h("help_dilation"))]
FlipOpt = Annotated[bool, typer.Option("--flip", help=_h("help_flip"))]
TraceOpt = Annotated[bool, typer.Option("--trace", "-t", help=_h("help_trace"))]
AtOpt = Annotated[list[str] | None, typer.Option("--at", help=_h("help_at"), metavar="I,J", show_default=False)]
MaxStepsOpt = Annotated[int, typer.Option("--max-steps", min=0, help=_h("help_max_steps"))]
FormatOpt = Annotated[OutFormat, typer.Option("--format", "-f", help=_h("help_format"))]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help=_h("help_output"), show_default=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help=_h("help_force"))]
PrecisionOpt = Annotated[int, typer.Option("--precision", min=0, max=15, help=_h("help_precision"))]
LangOpt = Annotated[Lang | None, typer.Option("--lang", help=_h("help_lang"), show_default=False)]
KernelsDirOpt = Annotated[list[Path] | None, typer.Option("--kernels-dir", help=_h("help_kernels_dir"),
                                                           show_default=False)]


def _lang(lang: Lang | None) -> str:
    return lang.value if lang is not None else detect_lang()


@contextlib.contextmanager
def _user_errors(lang: str):
    """Library errors become one line on standard error and exit status 2."""
    try:
        yield
    except ConvtraceError as err:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"{translate('error_prefix', lang)}: {err.message(lang)}", markup=False)
        raise typer.Exit(2) from None


def _console(file=None) -> Console:
    return Console(file=file, highlight=False)


def _parse_cells(at: list[str] | None) -> list[tuple[int, ...]] | None:
    if not at:
        return None
    cells = []
    for item in at:
        parts = [p for p in item.replace(";", ",").replace(" ", ",").split(",") if p]
        try:
            cells.append(tuple(int(p) for p in parts))
        except ValueError:
            raise ConvtraceValueError("bad_at", value=item) from None
        if len(parts) not in (2, 3):
            raise ConvtraceValueError("bad_at", value=item)
    return cells


def _parse_number(text: str, name: str):
    from fractions import Fraction

    try:
        value = Fraction(text.strip().replace("\u2212", "-"))
    except (ValueError, ZeroDivisionError):
        try:
            return float(text)
        except ValueError:
            raise ConvtraceValueError("bad_number_option", name=name, value=text) from None
    return int(value) if value.denominator == 1 else float(value)


def _read_input(spec: str):
    from convtrace.io.readers import read_matrix

    return read_matrix(spec).values


def _emit(*, renderable, document, output, fmt: OutFormat, out_path: Path | None, force: bool, precision: int,
          lang: str, title: tuple[str, str], trace) -> None:
    """Render ``output`` in ``fmt`` to the terminal or, atomically, to ``out_path``."""
    from convtrace.io.writers import write_atomic
    from convtrace.render import export

    if fmt in (OutFormat.npy, OutFormat.png):
        if out_path is None:
            raise ConvtraceValueError("binary_needs_output", fmt=fmt.value)
        data = export.to_npy_bytes(output) if fmt == OutFormat.npy else export.to_png_bytes(output)
        write_atomic(out_path, data, overwrite=force)
        Console(stderr=True, highlight=False).print(translate("wrote_file", lang, where=out_path), markup=False)
        return
    if fmt == OutFormat.table:
        if out_path is None:
            _console().print(renderable)
            return
        buffer = io.StringIO()
        Console(file=buffer, width=120, color_system=None, highlight=False).print(renderable)
        text = buffer.getvalue()
    elif fmt == OutFormat.json:
        text = export.to_json(document())
    elif fmt == OutFormat.csv:
        text = export.to_csv(output, precision)
    elif fmt == OutFormat.markdown:
        text = export.to_markdown(*title, output, precision, lang, trace=trace)
    else:
        text = export.to_latex(*title, output, precision, lang, trace=trace)
    if out_path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(out_path, text.encode("utf-8"), overwrite=force)
        Console(stderr=True, highlight=False).print(translate("wrote_file", lang, where=out_path), markup=False)


def _finish(call, op: str, trace_wanted: bool, at, max_steps, fmt, out_path, force, precision, lang):
    """Run or trace a prepared call and send the result where it was asked for."""
    from convtrace.render import export, views

    cells = _parse_cells(at)
    trace = call.trace(cells) if (trace_wanted or cells) else None
    output = trace.output if trace is not None else call.run()
    title = views.conv_title(call, lang) if op == "conv2d" else views.pool_title(call, lang)
    if trace is not None:
        view_cls = views.ConvTraceView if op == "conv2d" else views.PoolTraceView
        renderable = view_cls(trace, lang=lang, precision=precision, max_steps=0 if cells else max_steps)
    else:
        renderable = views.ResultView(output, *title, lang=lang, precision=precision)
    input_shape = call.source_input.shape if hasattr(call.source_input, "shape") else call.x.shape

    def document():
        extra = {"scale": call.scale} if op == "conv2d" and call.scale != 1 else None
        return export.document(op, call.params, input_shape, output, trace=trace, extra=extra)

    _emit(renderable=renderable, document=document, output=output, fmt=fmt, out_path=out_path, force=force,
          precision=precision, lang=lang, title=title, trace=trace)


# ----------------------------------------------------------------- commands


@app.command(
    help=_h("help_conv"),
    epilog=_examples(
        "convtrace conv samples/binary_5x5.txt -k samples/x_kernel.txt --trace",
        'convtrace conv "21 16 11; 25 22 18; 19 20 21" -k sharpen --trace --lang es',
        "convtrace conv photo.png -k gaussian-5 --padding same --pad-mode reflect -f png -o blurred.png",
        "convtrace conv image.txt -k sobel-x --stride 2 --at 1,1 --format markdown",
    ),
)
def conv(
    input: InputArg,
    kernel: KernelOpt,
    padding: PaddingOpt = "0",
    pad_mode: PadModeOpt = "zeros",
    pad_value: PadValueOpt = "0",
    stride: StrideOpt = "1",
    dilation: DilationOpt = "1",
    flip: FlipOpt = False,
    trace: TraceOpt = False,
    at: AtOpt = None,
    max_steps: MaxStepsOpt = 25,
    format: FormatOpt = OutFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    precision: PrecisionOpt = 4,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    language = _lang(lang)
    with _user_errors(language):
        from convtrace.kernels import KernelLibrary, resolve_kernel
        from convtrace.ops import prepare_conv2d

        x = _read_input(input)
        k = resolve_kernel(kernel, KernelLibrary(kernels_dir))
        call = prepare_conv2d(x, k, padding=padding, pad_mode=pad_mode,
                              pad_value=_parse_number(pad_value, "--pad-value"),
                              stride=stride, dilation=dilation, flip=flip)
        _finish(call, "conv2d", trace, at, max_steps, format, output, force, precision, language)


@app.command(
    help=_h("help_pool"),
    epilog=_examples(
        "convtrace pool samples/feature_map_5x5.txt --size 3 --stride 1 --trace",
        'convtrace pool "0.3 0.6 1; 0.5 0.1 0.3; 1 0.5 0.9" --size 2 --stride 1 --trace',
        "convtrace pool map.txt --mode avg --size 2 --padding 1 --ceil --exclude-pad --trace",
        "convtrace pool photo.png --size 4 -f png -o small.png",
    ),
)
def pool(
    input: InputArg,
    mode: Annotated[PoolMode, typer.Option("--mode", help=_h("help_pool_mode"))] = PoolMode.max,
    size: Annotated[str, typer.Option("--size", help=_h("help_size"))] = "2",
    stride: Annotated[str | None, typer.Option("--stride", "-s", help=_h("help_pool_stride"),
                                               show_default=False)] = None,
    padding: PaddingOpt = "0",
    dilation: DilationOpt = "1",
    ceil: Annotated[bool, typer.Option("--ceil", help=_h("help_ceil"))] = False,
    exclude_pad: Annotated[bool, typer.Option("--exclude-pad", help=_h("help_exclude_pad"))] = False,
    trace: TraceOpt = False,
    at: AtOpt = None,
    max_steps: MaxStepsOpt = 25,
    format: FormatOpt = OutFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    precision: PrecisionOpt = 4,
    lang: LangOpt = None,
) -> None:
    language = _lang(lang)
    with _user_errors(language):
        from convtrace.ops import prepare_pool2d

        x = _read_input(input)
        call = prepare_pool2d(x, size, stride=stride, mode=mode.value, padding=padding, ceil_mode=ceil,
                              count_include_pad=not exclude_pad, dilation=dilation)
        _finish(call, "pool2d", trace, at, max_steps, format, output, force, precision, language)


kernels_app = typer.Typer(help=_h("help_kernels"), no_args_is_help=False, rich_markup_mode="rich")
app.add_typer(kernels_app, name="kernels")


@kernels_app.callback(invoke_without_command=True, epilog=_examples("convtrace kernels", "convtrace kernels show sobel-x",
                                                                    "convtrace kernels --lang es"))
def kernels_list(
    ctx: typer.Context,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    language = _lang(lang)
    with _user_errors(language):
        from convtrace.kernels import KernelLibrary
        from convtrace.render.catalog import kernels_table

        _console().print(kernels_table(KernelLibrary(kernels_dir), language))


@kernels_app.command("show", help=_h("help_kernels_show"),
                     epilog=_examples("convtrace kernels show gaussian-3", "convtrace kernels show enfocar --lang es"))
def kernels_show(
    name: Annotated[str, typer.Argument(help=_h("help_kernel"), show_default=False)],
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    language = _lang(lang)
    with _user_errors(language):
        from convtrace.kernels import KernelLibrary
        from convtrace.render.catalog import kernel_panel

        _console().print(kernel_panel(KernelLibrary(kernels_dir).get(name), language))


@app.command(help=_h("help_modes"), epilog=_examples("convtrace modes", "convtrace modes --lang es"))
def modes(lang: LangOpt = None) -> None:
    from convtrace.render.catalog import modes_tables

    _console().print(*modes_tables(_lang(lang)))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"convtrace {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help=_h("help_version"))] = False,
) -> None:
    """See, check and run convolutions."""


def main() -> None:
    app()
