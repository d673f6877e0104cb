"""Results and traces as JSON, CSV, Markdown, LaTeX, .npy and PNG.

Markdown and LaTeX traces are what a teacher pastes into a solution sheet;
JSON is for scripts (``op``, ``params``, ``input_shape``, ``output_shape``,
``output`` and, when traced, ``steps``).  All numbers come from the engine.

A trace of chosen cells of a large output (a photo traced ``--at`` a cell) keeps only the
output around them: its JSON then says so, with ``output_origin`` (the whole output's row
and column of ``output``'s first value) and ``output_part_shape`` beside ``output_shape``
(the whole output's), and Markdown and LaTeX show that part, numbered and named in the
whole output.  The whole output is ``trace.whole_output()`` (or the command without ``--at``).

This module writes JSON, CSV and the binary formats and is the one entry point for
every format: the Markdown sheet lives in :mod:`convtrace.render.markdown` and the
LaTeX one in :mod:`convtrace.render.latex`, both re-exported here.
"""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction

import numpy as np

from convtrace.convolution import ConvTrace
from convtrace.render.latex import (
    TEX_LINE_PT,
    TEX_MAX_COLS,
    TEX_PREAMBLE,
    TEX_TERMS_PER_LINE,
    tex_display,
    tex_lines,
    tex_matrix,
    tex_text,
    tex_width,
    to_latex,
)
from convtrace.render.markdown import md_matrix, to_markdown
from convtrace.render.views import fmt_number

__all__ = ["BINARY_FORMATS", "TEXT_FORMATS", "TEX_LINE_PT", "TEX_MAX_COLS", "TEX_PREAMBLE", "TEX_TERMS_PER_LINE",
           "json_number", "md_matrix", "nested_list", "plain_value", "result_document", "steps_document",
           "tex_display", "tex_lines", "tex_matrix", "tex_text", "tex_width", "to_csv", "to_json", "to_latex",
           "to_markdown", "to_npy_bytes", "to_png_bytes"]

TEXT_FORMATS = ("table", "json", "csv", "markdown", "latex")
BINARY_FORMATS = ("npy", "png")


def plain_value(value):
    """NumPy scalars and arrays as JSON-ready Python values."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    return value


def json_number(value):
    value = plain_value(value)
    if isinstance(value, float) and not np.isfinite(value):
        return str(value)
    return value


def nested_list(arr):
    arr = np.asarray(arr)
    if arr.dtype.kind == "f":
        return [nested_list(a) for a in arr] if arr.ndim > 1 else [json_number(v) for v in arr.tolist()]
    return arr.tolist()


def result_document(operation, output, trace=None) -> dict:
    """The JSON-ready description of a result, with the trace's steps when given."""
    source = operation.source_input
    input_shape = source.shape if hasattr(source, "shape") else getattr(operation, "x_shape", None) or \
        operation.x.shape
    # A trace of chosen cells of a large output keeps (and exports) the part around them, from its origin.
    part = trace is not None and output is trace.output and getattr(trace, "output_cropped", False)
    output_shape = tuple(trace.output_shape) if part else np.shape(output)
    doc = {
        "op": operation.spec.kind,
        "params": plain_value(operation.params),
        "input_shape": list(input_shape),
        "output_shape": [int(v) for v in output_shape],
    }
    if part:
        doc["output_origin"] = [int(v) for v in trace.output_origin]
        doc["output_part_shape"] = [int(v) for v in np.shape(output)]
    doc["output"] = nested_list(output)
    scale = getattr(operation, "scale", 1)
    if scale != 1:
        doc["scale"] = str(scale)
    if trace is not None:
        doc["steps_total"] = int(np.prod(output_shape))
        doc["steps"] = steps_document(trace)
    return doc


def steps_document(trace) -> list[dict]:
    steps = []
    for step in trace.steps:
        item = {"out": list(step.out_index), "origin": list(step.origin)}
        if isinstance(trace, ConvTrace):
            item.update(channel=step.channel, window=nested_list(step.window), weights=nested_list(step.weights),
                        products=nested_list(step.products), sum=json_number(step.total),
                        result=json_number(step.result))
        else:
            item.update(window=nested_list(step.window), inside=step.inside.tolist(),
                        winner=list(step.winner) if step.winner is not None else None,
                        sum=json_number(step.total), divisor=step.divisor, result=json_number(step.result))
        steps.append(item)
    return steps


def to_json(doc) -> str:
    """JSON with every innermost list of numbers on one line: a matrix is one row per line."""
    return _compact(doc, 0) + "\n"


def _is_flat(value) -> bool:
    return isinstance(value, list) and all(not isinstance(v, (list, dict)) for v in value)


def _compact(value, depth: int) -> str:
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {_compact(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if _is_flat(value):
            return json.dumps(value, ensure_ascii=False)
        return "[\n" + ",\n".join(inner + _compact(v, depth + 1) for v in value) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def _flat_text(values, precision: int) -> str:
    """A window or kernel in one CSV cell: rows separated by ';', values by spaces, channels by '|'."""
    arr = np.asarray(values)
    if arr.ndim == 3:
        return " | ".join(_flat_text(a, precision) for a in arr)
    arr = np.atleast_2d(arr)
    return "; ".join(" ".join(fmt_number(v, precision) for v in row) for row in arr)


def to_csv(output, precision: int, trace=None) -> str:
    """The output, one CSV row per matrix row (maps separated by a ``# map f`` line); with ``trace``,
    one row per traced window instead: the output cell, the window's place, its values, the
    kernel and products (convolution) or winner and divisor (pooling), the sum and the result."""
    if trace is not None:
        return _trace_csv(trace, precision)
    output = np.asarray(output)
    maps = [output] if output.ndim <= 2 else list(output)
    blocks = []
    for f, grid in enumerate(maps):
        lines = [f"# map {f}"] if len(maps) > 1 else []
        lines += [",".join(fmt_number(v, precision) for v in row) for row in np.atleast_2d(grid)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _trace_csv(trace, precision: int) -> str:
    conv = isinstance(trace, ConvTrace)
    three = not trace.squeeze
    head = ["step"] + (["map"] if three else []) + ["row", "col", "window_row", "window_col"]
    if conv:
        head += ["channel", "window", "kernel", "products", "sum", "result"]
    else:
        head += ["channel", "window", "inside", "winner_row", "winner_col", "sum", "divisor", "result"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head)
    for n, step in enumerate(trace.steps, start=1):
        row = [n, *step.out_index, *step.origin, step.channel]
        if conv:
            row += [_flat_text(step.window, precision), _flat_text(step.weights, precision),
                    _flat_text(step.products, precision), fmt_number(step.total, precision),
                    fmt_number(step.result, precision)]
        else:
            winner = step.winner if step.winner is not None else ("", "")
            row += [_flat_text(step.window, precision), _flat_text(np.asarray(step.inside).astype(int), precision),
                    *winner, fmt_number(step.total, precision), step.divisor, fmt_number(step.result, precision)]
        writer.writerow(row)
    return buffer.getvalue()


# ------------------------------------------------------------------ binary


def to_npy_bytes(output) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(output), allow_pickle=False)
    return buffer.getvalue()


def to_png_bytes(output) -> bytes:
    """The output as an 8-bit image: as is when it fits 0…255, else stretched min–max."""
    from PIL import Image

    arr = np.asarray(output, dtype=np.float64)
    if arr.ndim == 3 and arr.shape[0] in (3, 4):
        arr = np.moveaxis(arr, 0, -1)
    elif arr.ndim == 3:
        arr = arr[0]
    finite = arr[np.isfinite(arr)]
    lo, hi = (finite.min(), finite.max()) if finite.size else (0.0, 0.0)
    if lo < 0 or hi > 255:
        arr = (arr - lo) / (hi - lo) * 255 if hi > lo else np.zeros_like(arr)
    pixels = np.clip(np.rint(np.nan_to_num(arr)), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()

