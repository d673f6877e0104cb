"""One self-contained HTML page (``-o trace.html``) where a click on an output cell shows its window.

Every number is the engine's: the whole trace (windows, products, sums, results, the padded input and
its padding map) is embedded as JSON, and the page's script only shows it — it highlights the window,
lists the products, writes the sum — and never computes a value.  No network: the styles and the
script are inline.  The same fragment (:func:`trace_fragment`) is what a Jupyter notebook shows for a
trace (:mod:`convtrace.render.notebook`).

The styles and the script are kept as ``page.css`` and ``page.js`` beside this module (package data,
shipped in the wheel) and read once, when this module is imported; this module builds the HTML.
"""

from __future__ import annotations

import html
import json
import math
from importlib.resources import files
from itertools import count

import numpy as np

from convtrace.convolution import ConvTrace
from convtrace.errors import ConvtraceValueError
from convtrace.messages import translate
from convtrace.messages.page import (
    PAGE_CELL_INPUT,
    PAGE_CELL_OUTPUT,
    PAGE_CELL_PADDING,
    PAGE_FIRST,
    PAGE_GENERATED,
    PAGE_HINT,
    PAGE_LAST,
    PAGE_LEGEND_CURRENT,
    PAGE_LEGEND_PADDING,
    PAGE_LEGEND_WINDOW,
    PAGE_LEGEND_WINNER,
    PAGE_NEXT,
    PAGE_NO_SCRIPT,
    PAGE_PAUSE,
    PAGE_PLAY,
    PAGE_PREV,
    PAGE_SCRUB,
    PAGE_TOO_LARGE,
    PAGE_WINDOW,
)
from convtrace.messages.views import (
    LABEL_ALL_PADDING,
    LABEL_AVG,
    LABEL_BIAS,
    LABEL_DIVISOR_EXCLUDE,
    LABEL_DIVISOR_FULL,
    LABEL_DIVISOR_INCLUDE,
    LABEL_INPUT,
    LABEL_KERNEL,
    LABEL_KERNEL_SCALE,
    LABEL_PADDED_INPUT,
    LABEL_PRODUCTS,
    LABEL_STEP,
    LABEL_SUM,
    LABEL_WINNER,
)
from convtrace.pooling import DIVISOR_EXCLUDE, DIVISOR_FULL
from convtrace.render.matrix import fmt_number
from convtrace.render.views import (
    channel_label,
    output_maps,
    output_names,
    pad_infinity,
    size_lines,
    title,
)
from convtrace.spec import ConvSpec

__all__ = ["MAX_PAGE_CELLS", "MAX_PAGE_VALUES", "check_page_size", "matrix_html", "operation_page",
           "page_values", "trace_data", "trace_fragment", "trace_page"]

#: Most output cells (windows) one page holds: each is a cell to click and a window to show.
MAX_PAGE_CELLS = 10_000
#: Most numbers one page embeds (the padded input, every window and its products, the output): about
#: 1 MB of HTML at this many.
MAX_PAGE_VALUES = 250_000
#: Integers past this are embedded as text: JavaScript's numbers hold integers exactly only up to 2**53.
_JS_SAFE = 2**53

_ids = count(1)

#: The page's styles and script, inlined into every page and notebook fragment.
_CSS = files("convtrace.render").joinpath("page.css").read_text(encoding="utf-8")
_JS = files("convtrace.render").joinpath("page.js").read_text(encoding="utf-8")


def page_values(operation) -> tuple[int, int]:
    """(output cells, numbers embedded) for a page of ``operation``, from its settings alone."""
    f, h, w = (int(v) for v in operation.out_shape3)
    cells = f * h * w
    c, xh, xw = (int(v) for v in getattr(operation, "x_shape", None) or operation.x.shape)
    top, bottom, left, right = (int(p) for p in operation.pads)
    padded = c * (xh + top + bottom) * (xw + left + right)
    if isinstance(operation.spec, ConvSpec):
        taps = int(math.prod(operation.weights.shape[1:]))
        per_cell = 2 * taps                     # the window and its products
        weights = int(operation.weights.size)
    else:
        taps = int(operation.size[0]) * int(operation.size[1])
        per_cell = taps + 4                     # the window, the winner, the divisor
        weights = 0
    return cells, padded + weights + cells * (per_cell + 2)


def check_page_size(operation) -> None:
    """Refuse, before anything is traced, a page too large to be useful (a photo)."""
    cells, values = page_values(operation)
    if cells > MAX_PAGE_CELLS or values > MAX_PAGE_VALUES:
        raise ConvtraceValueError(PAGE_TOO_LARGE, cells=cells, values=values, max_cells=MAX_PAGE_CELLS,
                                  max_values=MAX_PAGE_VALUES)


def _values(arr, precision: int) -> list:
    """A flat list of the values as they are shown: integers as JSON numbers, the rest as text."""
    a = np.asarray(arr).ravel()
    if a.dtype.kind in "iub":
        if a.size == 0 or int(np.abs(a.astype(object)).max()) < _JS_SAFE:
            return [int(v) for v in a.tolist()]
        return [str(int(v)) for v in a.tolist()]
    return [fmt_number(v, precision) for v in a.tolist()]


def _one(value, precision: int):
    return _values(np.asarray([value]), precision)[0]


def _conv_data(trace: ConvTrace, lang: str, precision: int) -> dict:
    n = len(trace)
    names = trace.channel_names
    g = int(trace.windows.shape[1])
    data = {
        "kind": "conv",
        "channels": [int(v) for v in trace.channels.tolist()],
        "groupWidth": g,
        "weights": [_values(w, precision) for w in trace.weights],
        "windows": [_values(trace.windows[s], precision) for s in range(n)],
        "products": [_values(trace.products[s], precision) for s in range(n)],
        "totals": _values(trace.totals, precision),
        "results": _values(trace.results, precision),
        "size": [int(v) for v in trace.weights.shape[-2:]],
        "scale": "" if trace.scale == 1 else str(trace.scale),
        "bias": None if trace.bias is None else _values(np.asarray(trace.bias).reshape(-1), precision),
    }
    kernel_title = translate(LABEL_KERNEL, lang) if trace.scale == 1 else \
        translate(LABEL_KERNEL_SCALE, lang, scale=trace.scale)
    data["text"] = {
        "kernel": kernel_title,
        "products": translate(LABEL_PRODUCTS, lang),
        "sum": translate(LABEL_SUM, lang),
        "bias": translate(LABEL_BIAS, lang),
        "groupLabels": [channel_label(c, lang, names) for c in range(int(trace.padded.shape[0]))],
    }
    return data


def _pool_data(trace, lang: str, precision: int) -> dict:
    n = len(trace)
    mode = trace.params["mode"]
    kh, kw = (int(v) for v in trace.params["size"])
    explain: dict[str, str] = {}
    if mode == "avg":
        for s in range(n):
            d = int(trace.divisors[s])
            if str(d) in explain:
                continue
            reason = trace.step(s).divisor_reason
            if reason == DIVISOR_EXCLUDE:
                why = translate(LABEL_DIVISOR_EXCLUDE, lang, divisor=d)
            elif reason == DIVISOR_FULL:
                why = translate(LABEL_DIVISOR_FULL, lang, divisor=d, kh=kh, kw=kw)
            else:
                why = translate(LABEL_DIVISOR_INCLUDE, lang, divisor=d)
            explain[str(d)] = translate(LABEL_AVG, lang, total="{total}", divisor=d, result="{result}") + \
                f"   ({why})"
    return {
        "kind": "pool",
        "mode": mode,
        "channels": [int(v) for v in trace.cells[:, 0].tolist()],
        "groupWidth": 1,
        "windows": [_values(trace.windows[s], precision) for s in range(n)],
        "inside": ["".join("1" if v else "0" for v in np.asarray(trace.inside[s]).ravel().tolist())
                   for s in range(n)],
        "winners": [[int(a), int(b)] for a, b in trace.winners.tolist()],
        "totals": _values(trace.totals, precision),
        "divisors": [int(v) for v in trace.divisors.tolist()],
        "results": _values(trace.results, precision),
        "size": [kh, kw],
        "text": {
            "window": translate(PAGE_WINDOW, lang),
            "sum": translate(LABEL_SUM, lang),
            "winner": translate(LABEL_WINNER, lang, mode=mode, value="{value}", a="{a}", b="{b}"),
            "allPadding": translate(LABEL_ALL_PADDING, lang),
            "avg": explain,
            "padText": pad_infinity(mode) or "",
            "groupLabels": [channel_label(c, lang, trace.channel_names) for c in range(int(trace.padded.shape[0]))],
        },
    }


def trace_data(trace, lang: str = "en", precision: int = 4, index: bool = True) -> dict:
    """Everything the page shows, as JSON-ready data: the engine's numbers and the texts in ``lang``."""
    is_conv = isinstance(trace, ConvTrace)
    data = _conv_data(trace, lang, precision) if is_conv else _pool_data(trace, lang, precision)
    output = np.asarray(trace.output)
    out3 = output.reshape((1,) + output.shape[-2:]) if output.ndim <= 2 else output
    heading, subtitle = title(trace.operation, lang)
    ceil_mode = bool(trace.params.get("ceil_mode", False)) if not is_conv else False
    has_pad = bool(np.asarray(trace.pad_mask).any())
    names = output_names(trace.operation)
    data.update({
        "lang": lang,
        "index": bool(index),
        "squeeze": bool(trace.squeeze),
        "padded": [_values(ch, precision) for ch in trace.padded],
        "paddedShape": [int(v) for v in trace.padded.shape[1:]],
        "padMask": "".join("1" if v else "0" for v in np.asarray(trace.pad_mask).ravel().tolist()),
        "dilation": [int(v) for v in trace.params["dilation"]],
        "cells": [[int(v) for v in cell] for cell in trace.cells.tolist()],
        "origins": [[int(v) for v in o] for o in trace.origins.tolist()],
        "out": [_values(m, precision) for m in out3],
        "outShape": [int(v) for v in out3.shape],
    })
    data["text"].update({
        "title": heading,
        "subtitle": subtitle,
        "size": [line.plain for line in size_lines(trace.rows, trace.cols, lang, ceil_mode=ceil_mode)],
        "input": translate(LABEL_PADDED_INPUT if has_pad else LABEL_INPUT, lang),
        "outputs": [h for h, _, _ in output_maps(output, lang, names=names)],
        "step": translate(LABEL_STEP, lang, n="{n}", total=len(trace), index="{index}", row="{row}",
                          col="{col}"),
        "first": translate(PAGE_FIRST, lang),
        "prev": translate(PAGE_PREV, lang),
        "play": translate(PAGE_PLAY, lang),
        "pause": translate(PAGE_PAUSE, lang),
        "next": translate(PAGE_NEXT, lang),
        "last": translate(PAGE_LAST, lang),
        "scrub": translate(PAGE_SCRUB, lang),
        "hint": translate(PAGE_HINT, lang),
        "cellOutput": translate(PAGE_CELL_OUTPUT, lang, index="{index}", value="{value}"),
        "cellInput": translate(PAGE_CELL_INPUT, lang, row="{row}", col="{col}", value="{value}"),
        "cellPadding": translate(PAGE_CELL_PADDING, lang, row="{row}", col="{col}", value="{value}"),
        "legend": [["ct-win", translate(PAGE_LEGEND_WINDOW, lang)],
                   ["ct-pad", translate(PAGE_LEGEND_PADDING, lang)]]
                  + ([["ct-winner", translate(PAGE_LEGEND_WINNER, lang)]]
                     if not is_conv and data["mode"] in ("max", "min") else [])
                  + [["ct-cur", translate(PAGE_LEGEND_CURRENT, lang)]],
    })
    return data


def _json_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Nothing in the data may close the script element or open a comment inside it.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def matrix_html(values, precision: int = 4, *, index: bool = True, marks=None, title: str | None = None,
                cls: str = "") -> str:
    """A matrix as a static HTML table (no script needed); ``marks`` (same shape): a CSS class per cell."""
    grid = np.atleast_2d(np.asarray(values))
    rows = []
    if index:
        rows.append("<tr><th></th>" + "".join(f"<th>{j}</th>" for j in range(grid.shape[1])) + "</tr>")
    for i in range(grid.shape[0]):
        cells = []
        for j in range(grid.shape[1]):
            mark = "" if marks is None else marks[i][j]
            attr = f' class="{html.escape(mark)}"' if mark else ""
            cells.append(f"<td{attr}>{html.escape(fmt_number(grid[i, j], precision))}</td>")
        rows.append("<tr>" + (f"<th>{i}</th>" if index else "") + "".join(cells) + "</tr>")
    head = f"<h3>{html.escape(title)}</h3>" if title else ""
    return f'{head}<div class="ct-scroll"><table class="ct-grid {cls}">{"".join(rows)}</table></div>'


def trace_fragment(trace, lang: str = "en", precision: int = 4, index: bool = True) -> str:
    """The interactive view as an HTML fragment (styles, data and script inline): a page's body, or a
    notebook cell's output.  Without JavaScript (a notebook viewer) it shows the output matrix."""
    data = trace_data(trace, lang, precision, index)
    root_id = f"convtrace-{next(_ids)}-{id(trace) & 0xFFFFFF:x}"
    output = np.asarray(trace.output)
    static = "".join(matrix_html(grid, precision, index=index, title=heading)
                     for heading, _, grid in output_maps(output, lang, names=output_names(trace.operation)))
    t = data["text"]
    return (
        f"<style>{_CSS}</style>"
        f'<div class="ct-root" id="{root_id}" lang="{html.escape(lang)}">'
        f"<h2 class=\"ct-title\">{html.escape(t['title'])}</h2>"
        f'<p class="ct-subtitle">{html.escape(t["subtitle"])}</p>'
        f'<div class="ct-static"><p>{html.escape(translate(PAGE_NO_SCRIPT, lang))}</p>{static}</div>'
        f'<script type="application/json" class="ct-data">{_json_script(data)}</script>'
        f"</div>"
        f"<script>{_JS}\nconvtraceInit(document.getElementById({json.dumps(root_id)}));</script>"
    )


def trace_page(trace, lang: str = "en", precision: int = 4, index: bool = True) -> str:
    """The whole page: one HTML file, nothing fetched."""
    heading, subtitle = title(trace.operation, lang)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(heading)} · convtrace</title>"
        "<style>body{margin:0;background:#fff}</style></head><body>"
        f"{trace_fragment(trace, lang, precision, index)}"
        f'<footer class="ct-footer">{html.escape(translate(PAGE_GENERATED, lang))}</footer>'
        "</body></html>\n"
    )


def operation_page(operation, *, lang: str = "en", precision: int = 4, index: bool = True) -> str:
    """Check the size, trace every output cell, and make the page."""
    check_page_size(operation)
    return trace_page(operation.trace(None), lang, precision, index)
