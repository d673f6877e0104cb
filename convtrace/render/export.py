"""Results and traces as JSON, CSV, Markdown, LaTeX, .npy and PNG.

Markdown and LaTeX traces are what a teacher pastes into a solution sheet;
JSON is for scripts (``op``, ``params``, ``input_shape``, ``output_shape``,
``output`` and, when traced, ``steps``).  All numbers come from the engine.
"""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction

import numpy as np

from convtrace.convolution import ConvTrace
from convtrace.messages import translate
from convtrace.messages.views import (
    LABEL_BIAS,
    LABEL_EXPORT_LEGEND,
    LABEL_FLIPPED,
    LABEL_INPUT,
    LABEL_KERNEL,
    LABEL_KERNEL_SCALE,
    LABEL_PAD_NEG_INF,
    LABEL_PAD_POS_INF,
    LABEL_PADDED_INPUT,
    LABEL_PRODUCTS,
    LABEL_RESULT,
    LABEL_STEP,
    LABEL_SUBTOTAL_SUM,
    LABEL_SUM,
    LABEL_WINDOW,
)
from convtrace.render.matrix import MAX_SIDE, OUTPUT_CAP, block_label, crop_note
from convtrace.render.views import (
    channel_label,
    dims,
    fmt_number,
    output_maps,
    output_names,
    pad_infinity,
)

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


# ------------------------------------------------------------------ markdown


def md_matrix(values, precision: int, marks=None, *, index: bool = False, row0: int = 0, col0: int = 0,
              padding=None, pad_text: str | None = None) -> str:
    """A Markdown table: ``marks`` in bold, ``padding`` cells in parentheses (their value, or ``pad_text``);
    with ``index`` the header holds the column numbers and the first column the row numbers."""
    values = np.atleast_2d(np.asarray(values))
    rows, cols = values.shape
    if index:
        header = "|   | " + " | ".join(str(col0 + c) for c in range(cols)) + " |"
        rule = "|---:|" + "|".join("---:" for _ in range(cols)) + "|"
    else:
        header = "| " + " | ".join(" " for _ in range(cols)) + " |"
        rule = "|" + "|".join("---:" for _ in range(cols)) + "|"
    lines = [header, rule]
    for r in range(rows):
        cells = [f"**{row0 + r}**"] if index else []
        for c in range(cols):
            is_pad = padding is not None and bool(padding[r, c])
            text = pad_text if (is_pad and pad_text is not None) else fmt_number(values[r, c], precision)
            if is_pad:
                text = f"({text})"
            if marks is not None and marks[r, c]:
                text = f"**{text}**"
            cells.append(text)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _output_blocks(output, lang: str, names=None):
    for heading, _, grid in output_maps(output, lang, names=names):
        yield heading, grid


def _corner(grid, lang: str):
    """(rows, cols, note) of what an export shows of an input: all of it up to OUTPUT_CAP values,
    else its top-left MAX_SIDE×MAX_SIDE corner, named."""
    if grid.size <= OUTPUT_CAP:
        return (0, grid.shape[0]), (0, grid.shape[1]), ""
    rows, cols = (0, min(MAX_SIDE, grid.shape[0])), (0, min(MAX_SIDE, grid.shape[1]))
    return rows, cols, " " + crop_note(lang, rows, cols, grid.shape)


def _context_mats(trace, lang: str):
    """(title, values, padding mask or None, pad_text, LaTeX symbol) of the input, padded input and
    kernel(s) a trace export shows before its steps."""
    conv = isinstance(trace, ConvTrace)
    names = trace.channel_names
    padded, pad_mask = np.asarray(trace.padded), trace.pad_mask
    if padded.shape[1:] != pad_mask.shape:
        # A large input's trace keeps only the neighbourhood of its windows (see Conv2d.trace).
        x = trace.operation.x
        r0, c0 = trace.padded_origin
        pad_mask = pad_mask[r0:r0 + padded.shape[1], c0:c0 + padded.shape[2]]
    else:
        pads = trace.operation.pads
        x = padded[:, pads[0]:padded.shape[1] - pads[1], pads[2]:padded.shape[2] - pads[3]]
    channels = x.shape[0]
    pad_text = None if conv else pad_infinity(trace.params["mode"])
    mats = []
    for c in range(channels):
        suffix = f" · {channel_label(c, lang, names)}" if channels > 1 else ""
        sub = f"_{{{c}}}" if channels > 1 else ""
        mats.append((f"{translate(LABEL_INPUT, lang)} ({dims(x[c].shape)}){suffix}", x[c], None, None, f"X{sub}"))
        if pad_mask.any():
            mats.append((f"{translate(LABEL_PADDED_INPUT, lang)} ({dims(pad_mask.shape)}){suffix}",
                         padded[c], pad_mask, pad_text, f"\\tilde{{X}}{sub}"))
    if conv:
        label = translate(LABEL_KERNEL, lang) if trace.scale == 1 else \
            translate(LABEL_KERNEL_SCALE, lang, scale=trace.scale)
        given, applied = trace.given_weights, trace.weights
        if trace.operation.groups > 1 and given.shape[1] == 1:   # one 2-D kernel for every channel
            kernels = [(label, given[0, 0], applied[0, 0], "K")]
        else:
            kernels = []
            for f in range(given.shape[0]):
                for g in range(given.shape[1]):
                    parts = ([f"{f}"] if given.shape[0] > 1 else []) + \
                        ([channel_label(g, lang, names)] if given.shape[1] > 1 else [])
                    symbol = "K" + (f"^{{({f})}}" if given.shape[0] > 1 else "") + \
                        (f"_{{{g}}}" if given.shape[1] > 1 else "")
                    kernels.append((" · ".join([label, *parts]), given[f, g], applied[f, g], symbol))
        for klabel, w_given, w_applied, symbol in kernels:
            mats.append((f"{klabel} ({dims(w_given.shape)})", w_given, None, None, symbol))
            if trace.params["flip"]:
                mats.append((translate(LABEL_FLIPPED, lang), w_applied, None, None, f"\\operatorname{{rot}}({symbol})"))
    return mats


def _md_step_heading(trace, n: int, step, lang: str) -> str:
    index = "[" + ", ".join(str(v) for v in step.out_index) + "]"
    return translate(LABEL_STEP, lang, n=n + 1, total=int(np.asarray(trace.output).size), index=index,
                     row=step.origin[0], col=step.origin[1])


def to_markdown(title: str, subtitle: str, output, precision: int, lang: str, trace=None, *, index: bool = True,
                channel_names=None) -> str:
    """A solution sheet: with ``trace``, the input (padding marked), the kernel, each window with its
    products and sum (or winner / divisor), then the output; ``index``: row and column numbers."""
    parts = [f"## {title}", "", subtitle, ""]
    if trace is not None:
        names = output_names(trace.operation)
        for heading, values, pad_mask, pad_text, _ in _context_mats(trace, lang):
            values = np.atleast_2d(values)
            rows, cols, note = _corner(values, lang)
            cut = (slice(*rows), slice(*cols))
            parts += [f"### {heading}{note}", ""]
            if pad_mask is not None:
                parts += [translate(LABEL_EXPORT_LEGEND, lang), ""]
            parts += [md_matrix(values[cut], precision, index=index, row0=rows[0], col0=cols[0],
                                padding=None if pad_mask is None else pad_mask[cut], pad_text=pad_text), ""]
        for n, step in enumerate(trace.steps):
            parts += [f"### {_md_step_heading(trace, n, step, lang)}", ""]
            if isinstance(trace, ConvTrace):
                parts += _md_conv_step(trace, step, precision, lang, index)
            else:
                parts += _md_pool_step(trace, step, precision, lang, index)
    else:
        names = channel_names
    for heading, grid in _output_blocks(output, lang, names):
        parts += [f"### {heading}", "", md_matrix(grid, precision, index=index), ""]
    return "\n".join(parts)


def _md_conv_step(trace, step, precision, lang, index) -> list[str]:
    parts = []
    groups = step.window.shape[0]
    for g in range(groups):
        if groups > 1:
            parts += [f"**{channel_label(step.channel + g, lang, trace.channel_names)}**", ""]
        parts += [f"{translate(LABEL_WINDOW, lang)}:", "", md_matrix(step.window[g], precision, index=index), ""]
        parts.append(f"{translate(LABEL_PRODUCTS, lang)}:")
        parts.append("")
        for a in range(step.window.shape[1]):
            for b in range(step.window.shape[2]):
                parts.append(f"- {fmt_number(step.window[g, a, b], precision)} × "
                             f"{fmt_number(step.weights[g, a, b], precision)} = "
                             f"{fmt_number(step.products[g, a, b], precision)}")
        parts.append("")
    if groups > 1 and step.subtotals is not None:
        sub = " · ".join(f"{channel_label(step.channel + g, lang, trace.channel_names)}: "
                         f"{fmt_number(step.subtotals[g], precision)}" for g in range(groups))
        parts += [sub + " → " + translate(LABEL_SUBTOTAL_SUM, lang, total=fmt_number(step.total, precision)), ""]
    line = f"**{translate(LABEL_SUM, lang)} = {fmt_number(step.total, precision)}**"
    if trace.scale != 1:
        line += f" × {trace.scale}"
    bias = getattr(step, "bias", None)
    if bias is not None:
        line += f" + {translate(LABEL_BIAS, lang)} {fmt_number(bias, precision)}"
    if trace.scale != 1 or bias is not None:
        line += f" = **{fmt_number(step.result, precision)}**"
    return parts + [line, ""]


def _md_pool_step(trace, step, precision, lang, index) -> list[str]:
    mode = trace.params["mode"]
    marks = np.zeros(step.window.shape, dtype=bool)
    if step.winner is not None:
        marks[step.winner] = True
    outside = ~np.asarray(step.inside)
    parts = [f"{translate(LABEL_WINDOW, lang)}:", "",
             md_matrix(np.where(step.inside, step.window, 0), precision, marks, index=index,
                       padding=outside if outside.any() else None, pad_text=pad_infinity(mode)), ""]
    note = pad_infinity(mode)
    if note and outside.any():
        parts += [translate(LABEL_PAD_NEG_INF if mode == "max" else LABEL_PAD_POS_INF, lang), ""]
    parts += [f"**{translate(LABEL_RESULT, lang)}: {fmt_number(step.result, precision)}**"
              + (f" ({fmt_number(step.total, precision)} ÷ {step.divisor})" if mode == "avg" else ""), ""]
    return parts


# ------------------------------------------------------------------ LaTeX

#: Width of the text block of an A4 ``article`` at 10 pt (points), less the room an ``align*``
#: line's left side takes: what one line of a trace may fill.
TEX_LINE_PT = 300.0
#: Most multiply terms on one line of a sum.
TEX_TERMS_PER_LINE = 8
#: Most columns in one ``bmatrix`` (amsmath's MaxMatrixCols).
TEX_MAX_COLS = 10

_TEX_TEXT = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
    "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "×": r"$\times$", "·": r"$\cdot$", "−": r"$-$", "∞": r"$\infty$", "÷": r"$\div$", "→": r"$\to$",
    "⌊": r"$\lfloor$", "⌋": r"$\rfloor$", "⌈": r"$\lceil$", "⌉": r"$\rceil$", "–": "--", "…": r"\dots{}",
    "°": r"$^\circ$",
}


def tex_text(text: str) -> str:
    """Plain text (a title, a label) made safe for LaTeX's text mode."""
    return "".join(_TEX_TEXT.get(ch, ch) for ch in text)


def _tex_number(value, precision: int) -> str:
    text = fmt_number(value, precision)
    return text.replace("inf", r"\infty")


def tex_width(tex: str) -> float:
    """About how wide (points, 10 pt Computer Modern) a piece of math is: for line breaking."""
    width = 0.0
    rest = tex
    for macro, w in ((r"\cdot", 7.2), (r"\infty", 10.0), (r"\times", 12.0), (r"\odot", 12.0), (r"\max", 18.0),
                     (r"\min", 16.0), (r"\sum", 14.0), (r"\quad", 10.0), (r"\bigl(", 5.0), (r"\bigr)", 5.0)):
        width += rest.count(macro) * w
        rest = rest.replace(macro, "")
    for ch in rest:
        if ch.isdigit() or ch.isalpha():
            width += 5.0
        elif ch in "+=-":
            width += 12.0 if ch != "-" else 7.8
        elif ch in "()[],.":
            width += 3.9
    return width


def tex_matrix(values, precision: int, *, window=None, padding=None, pad_text: str | None = None) -> str:
    """A ``bmatrix``; ``window`` cells in bold, ``padding`` cells in parentheses (``pad_text``: −∞ …)."""
    values = np.atleast_2d(np.asarray(values))
    rows = []
    for r in range(values.shape[0]):
        cells = []
        for c in range(values.shape[1]):
            is_pad = padding is not None and bool(padding[r, c])
            text = pad_text if (is_pad and pad_text is not None) else _tex_number(values[r, c], precision)
            if is_pad:
                text = f"({text})"
            if window is not None and window[r, c]:
                text = rf"\mathbf{{{text}}}"
            cells.append(text)
        rows.append(" & ".join(cells))
    return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"


def _tex_matrix_width(values, precision: int) -> float:
    values = np.atleast_2d(np.asarray(values))
    cols = [max(tex_width(_tex_number(v, precision)) for v in values[:, c]) + 10.0 for c in range(values.shape[1])]
    return sum(cols) + 10.0


def _tex_col_blocks(values, precision: int, *, budget: float = TEX_LINE_PT) -> list[tuple[int, int]]:
    """Column ranges of a matrix that each fit one line (and amsmath's 10 columns)."""
    values = np.atleast_2d(np.asarray(values))
    widths = [max(tex_width(_tex_number(v, precision)) for v in values[:, c]) + 10.0 for c in range(values.shape[1])]
    blocks, start, used = [], 0, 10.0
    for c, w in enumerate(widths):
        if c > start and (used + w > budget or c - start >= TEX_MAX_COLS):
            blocks.append((start, c))
            start, used = c, 10.0
        used += w
    blocks.append((start, len(widths)))
    return blocks


def tex_display(name: str, values, precision: int, lang: str, **marks) -> list[str]:
    """``\\[ name = bmatrix \\]``, split into labelled column blocks when too wide for the page."""
    values = np.atleast_2d(np.asarray(values))
    blocks = _tex_col_blocks(values, precision)
    if len(blocks) == 1:
        return [rf"\[ {name} = {tex_matrix(values, precision, **marks)} \]"]
    out = []
    for c0, c1 in blocks:
        sub = {k: (None if v is None else np.asarray(v)[:, c0:c1]) if k != "pad_text" else v for k, v in marks.items()}
        label = tex_text(block_label(lang, c0, c1 - 1))
        out.append(rf"\[ {name}\ \text{{({label})}} = {tex_matrix(values[:, c0:c1], precision, **sub)} \]")
    return out


def _tex_term(a, b, precision: int) -> str:
    left, right = _tex_number(a, precision), _tex_number(b, precision)
    if left.startswith("-"):
        left = f"({left})"
    if right.startswith("-"):
        right = f"({right})"
    return f"{left} \\cdot {right}"


def tex_lines(first: str, pieces: list[str], tail: list[str]) -> list[str]:
    """``first &= p1 + p2 …`` broken into ``align*`` lines of at most TEX_TERMS_PER_LINE pieces and
    TEX_LINE_PT points; ``tail`` (``= 60``, ``\\times 1/9 = 5``) follows the last piece."""
    lines, current, used = [], [], 0.0
    for piece in pieces:
        w = tex_width(piece) + 12.0
        if current and (len(current) >= TEX_TERMS_PER_LINE or used + w > TEX_LINE_PT):
            lines.append(current)
            current, used = [], 0.0
        current.append(piece)
        used += w
    lines.append(current)
    for item in tail:
        w = tex_width(item)
        if used + w > TEX_LINE_PT and lines[-1]:
            lines.append([])
            used = 0.0
        lines[-1] = [*lines[-1][:-1], f"{lines[-1][-1]} {item}"] if lines[-1] else [item]
        used += w
    out = []
    for n, line in enumerate(lines):
        lead = (f"{first} &= " if first else "&= ") if n == 0 else r"&\quad + " if not line[0].startswith(("=", r"\times")) else "&\\quad "
        out.append(lead + " + ".join(line))
    return out


def _align(lines: list[str]) -> str:
    return "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}"


def _tex_conv_step(trace, step, precision: int) -> str:
    index = ",".join(str(v) for v in step.out_index)
    groups = step.window.shape[0]
    lines = []
    for g in range(groups):
        w, k = tex_matrix(step.window[g], precision), tex_matrix(step.weights[g], precision)
        pair_width = _tex_matrix_width(step.window[g], precision) + _tex_matrix_width(step.weights[g], precision)
        lead = f"y_{{{index}}} &= " if g == 0 else r"&\quad + "
        if pair_width + 30 <= TEX_LINE_PT:
            lines.append(f"{lead}\\sum {w} \\odot {k}")
        else:
            lines += [f"{lead}\\sum {w}", rf"&\qquad \odot {k}"]
    terms = [_tex_term(step.window[g, a, b], step.weights[g, a, b], precision)
             for g in range(groups) for a in range(step.window.shape[1]) for b in range(step.window.shape[2])]
    tail = [f"= {_tex_number(step.total, precision)}"]
    if trace.scale != 1:
        tail.append(f"\\times {trace.scale} = {_tex_number(step.result, precision)}")
    body = tex_lines("", terms, tail)
    if groups > 1 and step.subtotals is not None:   # the channels' subtotals, then their sum
        subs = [_tex_number(step.subtotals[g], precision) for g in range(groups)]
        body += tex_lines("", [v if not v.startswith("-") else f"({v})" for v in subs], tail[:1])
    return _align(lines + body)


def _tex_pool_step(trace, step, precision: int) -> str:
    index = ",".join(str(v) for v in step.out_index)
    mode = trace.params["mode"]
    outside = ~np.asarray(step.inside)
    marks = np.zeros(step.window.shape, dtype=bool)
    if step.winner is not None:
        marks[step.winner] = True
    if mode in ("max", "min"):
        window = tex_matrix(np.where(step.inside, step.window, 0), precision, window=marks,
                            padding=outside if outside.any() else None, pad_text=pad_infinity(mode).replace("∞", r"\infty")
                            .replace("−", "-"))
        return _align([f"y_{{{index}}} &= \\{mode} {window} = {_tex_number(step.result, precision)}"])
    cells = [_tex_number(v, precision) for v in step.window[step.inside]]
    cells = [c if not c.startswith("-") else f"({c})" for c in cells] or ["0"]
    if mode == "avg":   # the sum of the cells, then the division
        lines = tex_lines(f"s_{{{index}}}", cells, [f"= {_tex_number(step.total, precision)}"])
        lines.append(f"y_{{{index}}} &= \\frac{{{_tex_number(step.total, precision)}}}{{{step.divisor}}} = "
                     f"{_tex_number(step.result, precision)}")
        return _align(lines)
    return _align(tex_lines(f"y_{{{index}}}", cells, [f"= {_tex_number(step.result, precision)}"]))


TEX_PREAMBLE = {
    "en": "english",
    "es": "spanish",
}


def to_latex(title: str, subtitle: str, output, precision: int, lang: str, trace=None, *,
             standalone: bool = False, channel_names=None) -> str:
    """The result (and with ``trace`` the input, padding, kernel and every window's working) as LaTeX
    for amsmath, every line within an A4 page's margin; ``standalone``: a whole compilable document."""
    parts = []
    if standalone:
        parts += [r"\section*{" + tex_text(title) + "}", tex_text(subtitle), ""]
    else:
        parts += [f"% {title}", f"% {subtitle}"]
    names = channel_names
    if trace is not None:
        names = output_names(trace.operation)
        contexts = _context_mats(trace, lang)
        if any(item[2] is not None for item in contexts):
            legend = translate(LABEL_EXPORT_LEGEND, lang)
            parts.append(tex_text(legend) if standalone else f"% {legend}")
        for heading, values, pad_mask, pad_text, symbol in contexts:
            values = np.atleast_2d(values)
            rows, cols, note = _corner(values, lang)
            cut = (slice(*rows), slice(*cols))
            parts.append(r"\paragraph{" + tex_text(heading + note) + "}" if standalone else f"% {heading}{note}")
            tex_pad = None if pad_text is None else pad_text.replace("∞", r"\infty").replace("−", "-")
            parts += tex_display(symbol, values[cut], precision, lang,
                                 padding=None if pad_mask is None else pad_mask[cut], pad_text=tex_pad)
        for n, step in enumerate(trace.steps):
            heading = _md_step_heading(trace, n, step, lang)
            parts.append(r"\paragraph{" + tex_text(heading) + "}" if standalone else f"% {heading}")
            parts.append(_tex_conv_step(trace, step, precision) if isinstance(trace, ConvTrace)
                         else _tex_pool_step(trace, step, precision))
    for heading, grid in _output_blocks(output, lang, names):
        parts.append(r"\paragraph{" + tex_text(heading) + "}" if standalone else f"% {heading}")
        parts += tex_display("Y", grid, precision, lang)
    body = "\n".join(parts) + "\n"
    if not standalone:
        return body
    babel = TEX_PREAMBLE.get(lang, "english")
    head = "\n".join([
        r"\documentclass[a4paper]{article}",
        r"\usepackage[utf8]{inputenc}",
        r"\usepackage[T1]{fontenc}",
        rf"\usepackage[{babel}]{{babel}}",
        r"\usepackage{amsmath}",
        r"\setlength{\parindent}{0pt}",
        r"\begin{document}",
        "",
    ])
    return head + "\n" + body + "\n" + r"\end{document}" + "\n"


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

