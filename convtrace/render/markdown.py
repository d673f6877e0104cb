"""Results and traces as Markdown: the solution sheet a teacher pastes into a document.

With a trace, the sheet shows the input (padding marked), the kernel(s), every window with its
products and sum (or winner / divisor), then the output.  The parts of the sheet that LaTeX shares
(the context matrices, the crop of a large input, the step heading, the output maps) live here and
:mod:`convtrace.render.latex` reuses them.  All numbers come from the engine.
"""

from __future__ import annotations

import math

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
from convtrace.render.matrix import MAX_SIDE, OUTPUT_CAP, crop_note
from convtrace.render.views import (
    channel_label,
    dims,
    fmt_number,
    output_maps,
    output_names,
    pad_infinity,
    trace_output,
)


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


def _output_blocks(output, lang: str, names=None, trace=None):
    """(heading, grid, row0, col0) of each output map an export shows: all of it; or, when ``output`` is a
    trace's part of a large output (``trace.output_cropped``), that part (or its top-left MAX_SIDE×MAX_SIDE
    corner past OUTPUT_CAP values), numbered and named in the whole output."""
    part = trace is not None and output is trace.output and getattr(trace, "output_cropped", False)
    if not part:
        for heading, _, grid in output_maps(output, lang, names=names):
            yield heading, grid, 0, 0
        return
    shape = tuple(trace.output_shape)
    for heading, _, grid in output_maps(output, lang, names=names, shape=shape):
        rows, cols, note = _corner(np.atleast_2d(grid), lang, trace.output_origin, shape[-2:])
        r0, c0 = trace.output_origin
        yield heading + note, grid[rows[0] - r0:rows[1] - r0, cols[0] - c0:cols[1] - c0], rows[0], cols[0]


def _corner(grid, lang: str, origin=(0, 0), shape=None):
    """(rows, cols, note) of what an export shows of a matrix: all of it up to OUTPUT_CAP values, else its
    top-left MAX_SIDE×MAX_SIDE corner, named.  ``grid`` may be part of a matrix of ``shape``, from (row, col)
    ``origin``: rows and columns are then in the whole matrix, and the note names the part."""
    shape = grid.shape if shape is None else tuple(shape)
    r0, c0 = origin
    side = (grid.shape[0], grid.shape[1]) if grid.size <= OUTPUT_CAP else (min(MAX_SIDE, grid.shape[0]),
                                                                         min(MAX_SIDE, grid.shape[1]))
    rows, cols = (r0, r0 + side[0]), (c0, c0 + side[1])
    if (rows, cols) == ((0, shape[0]), (0, shape[1])):
        return rows, cols, ""
    return rows, cols, " " + crop_note(lang, rows, cols, shape)


def _context_mats(trace, lang: str):
    """(title, values, padding mask or None, pad_text, LaTeX symbol, origin, shape) of the input, padded
    input and kernel(s) a trace export shows before its steps; ``values`` may be the part of a matrix of
    ``shape`` from (row, col) ``origin`` (the padded input around a large input's traced windows)."""
    conv = isinstance(trace, ConvTrace)
    names = trace.channel_names
    padded, pad_mask = np.asarray(trace.padded), trace.pad_mask
    padded_origin = tuple(trace.padded_origin)
    if padded.shape[1:] != pad_mask.shape:
        # A large input's trace keeps only the neighbourhood of its windows (see Conv2d.trace); the input
        # itself is shown from the operation's source, in its own dtype (the same numbers), not converted.
        x = trace.operation.source3
        r0, c0 = padded_origin
        part_mask = pad_mask[r0:r0 + padded.shape[1], c0:c0 + padded.shape[2]]
    else:
        pads = trace.operation.pads
        x = padded[:, pads[0]:padded.shape[1] - pads[1], pads[2]:padded.shape[2] - pads[3]]
        part_mask = pad_mask
    channels = x.shape[0]
    pad_text = None if conv else pad_infinity(trace.params["mode"])
    mats = []
    for c in range(channels):
        suffix = f" · {channel_label(c, lang, names)}" if channels > 1 else ""
        sub = f"_{{{c}}}" if channels > 1 else ""
        mats.append((f"{translate(LABEL_INPUT, lang)} ({dims(x[c].shape)}){suffix}", x[c], None, None, f"X{sub}",
                     (0, 0), x[c].shape))
        if pad_mask.any():
            mats.append((f"{translate(LABEL_PADDED_INPUT, lang)} ({dims(pad_mask.shape)}){suffix}",
                         padded[c], part_mask, pad_text, f"\\tilde{{X}}{sub}", padded_origin, pad_mask.shape))
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
            mats.append((f"{klabel} ({dims(w_given.shape)})", w_given, None, None, symbol, (0, 0), w_given.shape))
            if trace.params["flip"]:
                mats.append((translate(LABEL_FLIPPED, lang), w_applied, None, None, f"\\operatorname{{rot}}({symbol})",
                             (0, 0), w_applied.shape))
    return mats


def _md_step_heading(trace, n: int, step, lang: str, selected: bool = False) -> str:
    """"Step n/total …": of every window of the operation, or of the cells picked (``selected``, as the
    terminal's trace counts them)."""
    index = "[" + ", ".join(str(v) for v in step.out_index) + "]"
    total = len(trace) if selected else math.prod(trace_output(trace)[2])
    return translate(LABEL_STEP, lang, n=n + 1, total=total, index=index, row=step.origin[0], col=step.origin[1])


def to_markdown(title: str, subtitle: str, output, precision: int, lang: str, trace=None, *, index: bool = True,
                channel_names=None, selected: bool = False) -> str:
    """A solution sheet: with ``trace``, the input (padding marked), the kernel, each window with its
    products and sum (or winner / divisor), then the output; ``index``: row and column numbers;
    ``selected``: the trace holds cells picked (``--at``), counted as its steps."""
    parts = [f"## {title}", "", subtitle, ""]
    if trace is not None:
        names = output_names(trace.operation)
        for heading, values, pad_mask, pad_text, _, origin, shape in _context_mats(trace, lang):
            values = np.atleast_2d(values)
            rows, cols, note = _corner(values, lang, origin, shape)
            cut = (slice(rows[0] - origin[0], rows[1] - origin[0]), slice(cols[0] - origin[1], cols[1] - origin[1]))
            parts += [f"### {heading}{note}", ""]
            if pad_mask is not None:
                parts += [translate(LABEL_EXPORT_LEGEND, lang), ""]
            parts += [md_matrix(values[cut], precision, index=index, row0=rows[0], col0=cols[0],
                                padding=None if pad_mask is None else pad_mask[cut], pad_text=pad_text), ""]
        for n, step in enumerate(trace.steps):
            parts += [f"### {_md_step_heading(trace, n, step, lang, selected)}", ""]
            if isinstance(trace, ConvTrace):
                parts += _md_conv_step(trace, step, precision, lang, index)
            else:
                parts += _md_pool_step(trace, step, precision, lang, index)
    else:
        names = channel_names
    for heading, grid, row0, col0 in _output_blocks(output, lang, names, trace):
        parts += [f"### {heading}", "", md_matrix(grid, precision, index=index, row0=row0, col0=col0), ""]
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
