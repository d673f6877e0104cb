"""Results and traces as JSON, CSV, Markdown, LaTeX, .npy and PNG.

Markdown and LaTeX traces are what a teacher pastes into a solution sheet;
JSON is for scripts (``op``, ``params``, ``input_shape``, ``output_shape``,
``output`` and, when traced, ``steps``).  All numbers come from the engine.
"""

from __future__ import annotations

import io
import json
from fractions import Fraction

import numpy as np

from convtrace.convolution import ConvTrace
from convtrace.messages import translate
from convtrace.messages.views import (
    LABEL_FEATURE_MAP,
    LABEL_OUTPUT,
    LABEL_RESULT,
    LABEL_STEP,
    LABEL_SUM,
)
from convtrace.render.views import dims, fmt_number

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
    input_shape = source.shape if hasattr(source, "shape") else operation.x.shape
    doc = {
        "op": operation.spec.kind,
        "params": plain_value(operation.params),
        "input_shape": list(input_shape),
        "output_shape": list(np.shape(output)),
        "output": nested_list(output),
    }
    scale = getattr(operation, "scale", 1)
    if scale != 1:
        doc["scale"] = str(scale)
    if trace is not None:
        doc["steps_total"] = int(np.asarray(output).size)
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


def to_json(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_csv(output, precision: int) -> str:
    output = np.asarray(output)
    maps = [output] if output.ndim == 2 else list(output)
    blocks = []
    for f, grid in enumerate(maps):
        lines = [f"# map {f}"] if len(maps) > 1 else []
        lines += [",".join(fmt_number(v, precision) for v in row) for row in np.atleast_2d(grid)]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


# ------------------------------------------------------------------ markdown


def md_matrix(values, precision: int, marks=None) -> str:
    values = np.atleast_2d(np.asarray(values))
    header = "| " + " | ".join(" " for _ in range(values.shape[1])) + " |"
    rule = "|" + "|".join("---:" for _ in range(values.shape[1])) + "|"
    rows = []
    for r in range(values.shape[0]):
        cells = []
        for c in range(values.shape[1]):
            text = fmt_number(values[r, c], precision)
            if marks is not None and marks[r, c]:
                text = f"**{text}**"
            cells.append(text)
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join([header, rule, *rows])


def _output_blocks(output, lang: str):
    output = np.asarray(output)
    if output.ndim == 2:
        yield translate(LABEL_OUTPUT, lang, shape=dims(output.shape)), output
    else:
        for f, grid in enumerate(output):
            yield translate(LABEL_FEATURE_MAP, lang, f=f, shape=dims(grid.shape)), grid


def to_markdown(title: str, subtitle: str, output, precision: int, lang: str, trace=None) -> str:
    parts = [f"## {title}", "", subtitle, ""]
    if trace is not None:
        for n, step in enumerate(trace.steps):
            index = "[" + ", ".join(str(v) for v in step.out_index) + "]"
            parts.append(f"### {translate(LABEL_STEP, lang, n=n + 1, total=len(trace), index=index, row=step.origin[0], col=step.origin[1])}")
            parts.append("")
            if isinstance(trace, ConvTrace):
                for g in range(step.window.shape[0]):
                    parts += [md_matrix(step.window[g], precision), ""]
                    for a in range(step.window.shape[1]):
                        for b in range(step.window.shape[2]):
                            parts.append(f"- {fmt_number(step.window[g, a, b], precision)} × "
                                         f"{fmt_number(step.weights[g, a, b], precision)} = "
                                         f"{fmt_number(step.products[g, a, b], precision)}")
                    parts.append("")
                line = f"**{translate(LABEL_SUM, lang)} = {fmt_number(step.total, precision)}**"
                if trace.scale != 1:
                    line += f" × {trace.scale} = **{fmt_number(step.result, precision)}**"
                parts += [line, ""]
            else:
                marks = np.zeros(step.window.shape, dtype=bool)
                if step.winner is not None:
                    marks[step.winner] = True
                parts += [md_matrix(np.where(step.inside, step.window, 0), precision, marks), ""]
                parts += [f"**{translate(LABEL_RESULT, lang)}: {fmt_number(step.result, precision)}**"
                          + (f" ({fmt_number(step.total, precision)} ÷ {step.divisor})"
                             if trace.params["mode"] == "avg" else ""), ""]
    for heading, grid in _output_blocks(output, lang):
        parts += [f"### {heading}", "", md_matrix(grid, precision), ""]
    return "\n".join(parts)


# ------------------------------------------------------------------ LaTeX


def _tex_number(value, precision: int) -> str:
    text = fmt_number(value, precision)
    return text.replace("inf", r"\infty")


def tex_matrix(values, precision: int) -> str:
    values = np.atleast_2d(np.asarray(values))
    rows = [" & ".join(_tex_number(v, precision) for v in row) for row in values]
    return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"


def _tex_term(a, b, precision: int) -> str:
    left, right = _tex_number(a, precision), _tex_number(b, precision)
    if right.startswith("-"):
        right = f"({right})"
    return f"{left} \\cdot {right}"


def to_latex(title: str, subtitle: str, output, precision: int, lang: str, trace=None) -> str:
    parts = [f"% {title}", f"% {subtitle}"]
    if trace is not None:
        for step in trace.steps:
            index = ",".join(str(v) for v in step.out_index)
            if isinstance(trace, ConvTrace):
                terms = " + ".join(
                    _tex_term(step.window[g, a, b], step.weights[g, a, b], precision)
                    for g in range(step.window.shape[0]) for a in range(step.window.shape[1])
                    for b in range(step.window.shape[2]))
                lhs = "".join(tex_matrix(step.window[g], precision) + r" \odot " + tex_matrix(step.weights[g], precision)
                              for g in range(step.window.shape[0]))
                scaled = ""
                if trace.scale != 1:
                    scaled = f" \\times {trace.scale} = {_tex_number(step.result, precision)}"
                parts.append(f"\\[ y_{{{index}}} = \\sum {lhs} = {terms} = "
                             f"{_tex_number(step.total, precision)}{scaled} \\]")
            else:
                cells = ", ".join(_tex_number(v, precision) for v in step.window[step.inside])
                if trace.params["mode"] == "avg":
                    rhs = f"\\frac{{{_tex_number(step.total, precision)}}}{{{step.divisor}}}"
                else:
                    rhs = f"\\{trace.params['mode']}({cells})" if trace.params["mode"] != "sum" else f"\\sum({cells})"
                parts.append(f"\\[ y_{{{index}}} = {rhs} = {_tex_number(step.result, precision)} \\]")
    for heading, grid in _output_blocks(output, lang):
        parts.append(f"% {heading}")
        parts.append(f"\\[ {tex_matrix(grid, precision)} \\]")
    return "\n".join(parts) + "\n"


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

