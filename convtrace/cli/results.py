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
from convtrace.messages.help import HELP_FORMAT
from convtrace.messages.options import (
    BAD_AT,
    BINARY_NEEDS_OUTPUT,
    TRACE_TOO_LONG_EXPORT,
    TRACE_TOO_LONG_TABLE,
    WROTE_FILE,
)

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


FormatOpt = Annotated[OutFormat, typer.Option("--format", "-f", help=h(HELP_FORMAT))]


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


def show_operation(operation, *, trace_wanted: bool, at, max_steps: int, fmt: OutFormat, out_path: Path | None,
                   force: bool, precision: int, lang: str, device: str = "cpu") -> None:
    """Run or trace a checked operation and send the result where it was asked for (traces run on the CPU)."""
    from convtrace.arrays import first_cells
    from convtrace.render import export, views

    cells = parse_cells(at)
    if trace_wanted or cells:
        check_trace_length(operation, cells, max_steps, fmt)
    if trace_wanted and cells is None and max_steps > 0:
        # Trace only what will be shown, even for a photo.
        cells = first_cells(operation.out_shape3, max_steps, operation.squeeze)
    trace = operation.trace(cells) if (trace_wanted or cells) else None
    output = trace.output if trace is not None else operation.run(device=device)
    if fmt in (OutFormat.npy, OutFormat.png):
        if out_path is None:
            raise ConvtraceValueError(BINARY_NEEDS_OUTPUT, fmt=fmt.value)
        data = export.to_npy_bytes(output) if fmt == OutFormat.npy else export.to_png_bytes(output)
        write_file(out_path, data, force, lang)
        return
    title = views.title(operation, lang)
    if fmt == OutFormat.table:
        if trace is not None:
            view_cls = views.ConvTraceView if trace_is_conv(trace) else views.PoolTraceView
            renderable = view_cls(trace, lang=lang, precision=precision, max_steps=0 if at else max_steps,
                                  selected=bool(at))
        else:
            renderable = views.ResultView(output, *title, lang=lang, precision=precision)
        if out_path is None:
            console().print(renderable)
            return
        buffer = io.StringIO()
        Console(file=buffer, width=120, color_system=None, highlight=False).print(renderable)
        text = buffer.getvalue()
    elif fmt == OutFormat.json:
        text = export.to_json(export.result_document(operation, output, trace))
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
        write_file(out_path, text.encode("utf-8"), force, lang)


def trace_is_conv(trace) -> bool:
    from convtrace.convolution import ConvTrace

    return isinstance(trace, ConvTrace)
