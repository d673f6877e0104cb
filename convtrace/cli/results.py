"""Showing or saving a conv/pool result: the part ``conv`` and ``pool`` share."""

from __future__ import annotations

import io
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from convtrace.cli.common import console, h, say
from convtrace.errors import ConvtraceValueError
from convtrace.messages import translate
from convtrace.messages.help import (
    HELP_IMAGE_RANGE,
    HELP_NO_INDEX,
    HELP_RESULT_FORMAT,
    HELP_STANDALONE,
)
from convtrace.messages.options import (
    BAD_AT,
    BINARY_NEEDS_OUTPUT,
    FORMAT_SUFFIX_MISMATCH,
    FORMAT_UNKNOWN_SUFFIX,
    TRACE_TOO_LONG_EXPORT,
    TRACE_TOO_LONG_TABLE,
    WROTE_FILE,
)
from convtrace.messages.parsing import OUTPUT_IS_FOLDER

#: Most windows a trace prints as a table (Rich lays out each one: about 30 ms apiece).
MAX_TABLE_STEPS = 2_000
#: Most windows a trace holds in any other format (JSON, Markdown, LaTeX …: fast, but large).
MAX_EXPORT_STEPS = 200_000


class OutFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    latex = "latex"
    npy = "npy"
    png = "png"
    jpg = "jpg"
    jpeg = "jpeg"  # the same as jpg: both names are in use
    gif = "gif"
    html = "html"


class RangeMode(str, Enum):
    """How values outside 0…255 become pixels (as ``convtrace batch --range``)."""

    clip = "clip"
    abs = "abs"
    normalize = "normalize"


#: The format each ``-o`` suffix asks for (``.txt``: the table as plain text, without colour).
SUFFIX_FORMATS = {
    ".txt": OutFormat.table,
    ".json": OutFormat.json,
    ".csv": OutFormat.csv,
    ".md": OutFormat.markdown,
    ".markdown": OutFormat.markdown,
    ".tex": OutFormat.latex,
    ".npy": OutFormat.npy,
    ".png": OutFormat.png,
    ".jpg": OutFormat.jpg,
    ".jpeg": OutFormat.jpg,
    ".gif": OutFormat.gif,
    ".html": OutFormat.html,
    ".htm": OutFormat.html,
}

FormatOpt = Annotated[OutFormat | None, typer.Option("--format", "-f", help=h(HELP_RESULT_FORMAT), case_sensitive=False, metavar="FORMAT",
                                                     show_default=False)]
RangeOpt = Annotated[RangeMode, typer.Option("--range", help=h(HELP_IMAGE_RANGE), case_sensitive=False)]
NoIndexOpt = Annotated[bool, typer.Option("--no-index", help=h(HELP_NO_INDEX))]
StandaloneOpt = Annotated[bool, typer.Option("--standalone", help=h(HELP_STANDALONE))]


def choose_format(fmt: OutFormat | None, out_path: Path | None) -> OutFormat:
    """The output format: ``--format`` when given, else the ``-o`` file's suffix, else the table (see
    :func:`format_for`); ``jpeg`` is ``jpg``."""
    return format_for(OutFormat.jpg if fmt is OutFormat.jpeg else fmt, out_path, SUFFIX_FORMATS, OutFormat.table)


def format_for(fmt, out_path: Path | None, suffix_formats: dict, default):
    """``fmt`` when given, else what ``out_path``'s suffix names in ``suffix_formats``, else ``default``.

    ``-o out.png -f json`` (a suffix naming another format) and ``-o out.xyz`` without ``--format``
    are errors: a file is never written in a format its name does not say.
    """
    if out_path is None:
        return fmt if fmt is not None else default
    if out_path.is_dir():  # -o adir: what is wrong is the folder, not its missing suffix
        raise ConvtraceValueError(OUTPUT_IS_FOLDER, where=str(out_path))
    suffix = out_path.suffix.lower()
    by_name = suffix_formats.get(suffix)
    if fmt is None:
        if by_name is None:
            raise ConvtraceValueError(FORMAT_UNKNOWN_SUFFIX, where=str(out_path), suffix=suffix or "''",
                                      suffixes=" ".join(suffix_formats))
        return by_name
    if by_name is not None and by_name != fmt:
        expected = " ".join(s for s, f in suffix_formats.items() if f == fmt)
        raise ConvtraceValueError(FORMAT_SUFFIX_MISMATCH, where=str(out_path), suffix=suffix, fmt=fmt.value,
                                  named=by_name.value, expected=expected)
    return fmt


def parse_cells(at: list[str] | None) -> list[tuple[int, ...]] | None:
    """``--at I,J`` (or MAP,I,J) values as output cells."""
    if not at:
        return None
    cells = []
    for item in at:
        parts = [p for p in item.replace(";", ",").replace(" ", ",").split(",") if p]
        try:
            cells.append(tuple(int(p) for p in parts))
        except ValueError:
            raise ConvtraceValueError(BAD_AT, value=item) from None
        if len(parts) not in (2, 3):
            raise ConvtraceValueError(BAD_AT, value=item)
    return cells


def check_trace_length(operation, cells, max_steps: int, fmt: OutFormat) -> None:
    """Refuse, before anything is traced, a trace too long to show (``--max-steps 0`` on a photo)."""
    import math

    total = math.prod(int(n) for n in operation.out_shape3)
    count = len(cells) if cells is not None else (total if max_steps <= 0 else min(int(max_steps), total))
    if fmt == OutFormat.table and count > MAX_TABLE_STEPS:
        raise ConvtraceValueError(TRACE_TOO_LONG_TABLE, n=count, limit=MAX_TABLE_STEPS,
                                  export_limit=MAX_EXPORT_STEPS)
    if count > MAX_EXPORT_STEPS:
        raise ConvtraceValueError(TRACE_TOO_LONG_EXPORT, n=count, limit=MAX_EXPORT_STEPS)


def write_file(out_path: Path, data: bytes, force: bool, lang: str) -> None:
    from convtrace.io.writers import write_atomic

    write_atomic(out_path, data, overwrite=force)
    say(translate(WROTE_FILE, lang, where=out_path))


def show_operation(operation, *, trace_wanted: bool, at, max_steps: int, fmt: OutFormat | None,
                   out_path: Path | None, force: bool, precision: int, lang: str, device: str = "cpu",
                   range_mode: RangeMode = RangeMode.clip, index: bool = True, standalone: bool = False,
                   fps: float = 1.0, frames: Path | None = None) -> None:
    """Run or trace a checked operation and send the result where it was asked for (traces run on the CPU).

    ``fmt`` None: from the ``-o`` file's suffix (see :func:`choose_format`).  ``range_mode``: how a PNG
    turns values outside 0…255 into pixels; ``index``: row and column numbers on matrices;
    ``standalone``: a whole LaTeX document.
    """
    from convtrace.arrays import first_cells
    from convtrace.render import views

    fmt = choose_format(fmt, out_path)
    if fmt == OutFormat.gif or frames is not None:  # the trace as pictures: a GIF and/or PNG frames
        from convtrace.cli.gallery import save_animation

        save_animation(operation, at=at, max_steps=max_steps, out_path=out_path if fmt == OutFormat.gif else None,
                       frames_dir=frames, fps=fps, force=force, lang=lang, precision=precision)
        if fmt == OutFormat.gif:
            return
    if fmt == OutFormat.html:  # the interactive page: every window, whatever --trace/--max-steps say
        from convtrace.render.page import operation_page

        page = operation_page(operation, lang=lang, precision=precision, index=index)
        if out_path is None:
            sys.stdout.write(page)
            sys.stdout.flush()
        else:
            write_file(out_path, page.encode("utf-8"), force, lang)
        return
    cells = parse_cells(at)
    if trace_wanted or cells:
        check_trace_length(operation, cells, max_steps, fmt)
    if trace_wanted and cells is None and max_steps > 0:
        # Trace only what will be shown, even for a photo.
        cells = first_cells(operation.out_shape3, max_steps, operation.squeeze)
    if fmt in (OutFormat.npy, OutFormat.png, OutFormat.jpg):  # the whole output as a file: no trace to show
        if out_path is None:
            raise ConvtraceValueError(BINARY_NEEDS_OUTPUT, fmt=fmt.value)
        if fmt == OutFormat.npy:
            from convtrace.render import export

            data = export.to_npy_bytes(operation.run(device=device))
        else:
            from convtrace.io.images import result_png

            data = result_png(operation, RangeMode(range_mode).value, device,
                              "JPEG" if fmt == OutFormat.jpg else "PNG")
        write_file(out_path, data, force, lang)
        return
    trace = operation.trace(cells) if (trace_wanted or cells) else None
    output = trace.output if trace is not None else operation.run(device=device)
    if fmt != OutFormat.table:  # the exports (JSON, CSV, Markdown, LaTeX): not needed for a table
        from convtrace.render import export
    title = views.title(operation, lang)
    if fmt == OutFormat.table:
        if trace is not None:
            view_cls = views.ConvTraceView if trace_is_conv(trace) else views.PoolTraceView
            renderable = view_cls(trace, lang=lang, precision=precision, max_steps=0 if at else max_steps,
                                  selected=bool(at), index=index)
        else:
            renderable = views.ResultView(output, *title, lang=lang, precision=precision, index=index,
                                          channel_names=views.output_names(operation))
        if out_path is None:
            console().print(renderable)
            return
        buffer = io.StringIO()
        Console(file=buffer, width=120, color_system=None, highlight=False, emoji=False).print(renderable)
        text = "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))
    elif fmt == OutFormat.json:
        text = export.to_json(export.result_document(operation, output, trace))
    elif fmt == OutFormat.csv:
        text = export.to_csv(output, precision, trace=trace)
    elif fmt == OutFormat.markdown:
        text = export.to_markdown(*title, output, precision, lang, trace=trace, index=index, selected=bool(at))
    else:
        text = export.to_latex(*title, output, precision, lang, trace=trace, standalone=standalone,
                               selected=bool(at))
    if out_path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_file(out_path, text.encode("utf-8"), force, lang)


def trace_is_conv(trace) -> bool:
    from convtrace.convolution import ConvTrace

    return isinstance(trace, ConvTrace)
