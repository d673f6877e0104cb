"""One self-contained HTML page (``-o trace.html``) where a click on an output cell shows its window.

Every number is the engine's: the whole trace (windows, products, sums, results, the padded input and
its padding map) is embedded as JSON, and the page's script only shows it — it highlights the window,
lists the products, writes the sum — and never computes a value.  No network: the styles and the
script are inline.  The same fragment (:func:`trace_fragment`) is what a Jupyter notebook shows for a
trace (:mod:`convtrace.render.notebook`).
"""

from __future__ import annotations

import html
import json
import math
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


def page_values(operation) -> tuple[int, int]:
    """(output cells, numbers embedded) for a page of ``operation``, from its settings alone."""
    f, h, w = (int(v) for v in operation.out_shape3)
    cells = f * h * w
    c, xh, xw = (int(v) for v in operation.x.shape)
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


_CSS = """
.ct-root{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c1c1c;max-width:1200px;
margin:0 auto;padding:12px;box-sizing:border-box;line-height:1.35}
.ct-root *{box-sizing:border-box}
.ct-root h2.ct-title{font-size:1.3em;margin:.2em 0}
.ct-root h3{font-size:1em;margin:.6em 0 .3em}
.ct-root .ct-subtitle{margin:.2em 0;color:#444}
.ct-root pre.ct-size{background:#f6f8fa;border-radius:6px;padding:8px 10px;white-space:pre-wrap;
font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;margin:.5em 0;overflow-x:auto}
.ct-root .ct-controls{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:.6em 0}
.ct-root .ct-controls button{font:inherit;min-height:40px;min-width:44px;padding:6px 12px;border:1px solid #9aa4b2;
border-radius:6px;background:#fff;cursor:pointer}
.ct-root .ct-controls button:hover{background:#eef2f7}
.ct-root .ct-controls button[aria-pressed=true]{background:#1d4ed8;color:#fff;border-color:#1d4ed8}
.ct-root .ct-controls label{display:flex;align-items:center;gap:6px;flex:1 1 200px;min-width:160px}
.ct-root .ct-controls input[type=range]{flex:1;min-width:120px;height:32px}
.ct-root .ct-stepno{font-variant-numeric:tabular-nums;min-width:5em}
.ct-root .ct-heading{font-weight:600;color:#0e5a8a;margin:.4em 0}
.ct-root .ct-panels{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
.ct-root .ct-panel{flex:0 1 auto;min-width:0;max-width:100%}
.ct-root .ct-scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}
.ct-root table.ct-grid{border-collapse:collapse;font-family:ui-monospace,Menlo,Consolas,monospace;
font-variant-numeric:tabular-nums;font-size:.95em}
.ct-root .ct-grid td{border:1px solid #cfd6de;padding:4px 7px;text-align:right;min-width:2.4em;background:#fff}
.ct-root .ct-grid th{font-weight:normal;color:#8a94a0;font-size:.75em;padding:1px 4px;text-align:center}
.ct-root .ct-grid td.ct-pad{background:#eceff2;color:#8a94a0;font-style:italic}
.ct-root .ct-grid td.ct-win{background:#ffe38a;color:#000;box-shadow:inset 0 0 0 2px #d49b00}
.ct-root .ct-grid td.ct-pad.ct-win{background:#f3e2a6;color:#555}
.ct-root .ct-grid td.ct-winner{background:#ff9b4a;color:#000;font-weight:700;box-shadow:inset 0 0 0 2px #c2410c}
.ct-root .ct-out td{padding:0}
.ct-root .ct-cell{font:inherit;color:inherit;background:transparent;border:0;margin:0;display:block;width:100%;
min-width:2.8em;min-height:2em;padding:4px 7px;text-align:right;cursor:pointer}
.ct-root .ct-out td.ct-later{color:#a8b0ba}
.ct-root .ct-out td.ct-cur{background:#1d4ed8;color:#fff;font-weight:700}
.ct-root .ct-cell:focus-visible{outline:3px solid #f59e0b;outline-offset:-3px}
.ct-root .ct-prod{font-family:ui-monospace,Menlo,Consolas,monospace;font-variant-numeric:tabular-nums;
border-collapse:collapse}
.ct-root .ct-prod td{padding:1px 5px;text-align:right}
.ct-root .ct-prod td.ct-op{color:#8a94a0;text-align:center;padding:1px 2px}
.ct-root .ct-prod th{text-align:left;font-weight:600;padding-top:4px}
.ct-root .ct-sum{font-weight:700;font-size:1.15em;margin:.5em 0}
.ct-root .ct-work{font-family:ui-monospace,Menlo,Consolas,monospace;margin:.3em 0;word-break:break-word}
.ct-root .ct-legend{display:flex;flex-wrap:wrap;gap:12px;font-size:.85em;color:#444;margin:.6em 0}
.ct-root .ct-legend span.ct-sw{display:inline-block;width:1em;height:1em;vertical-align:-2px;margin-right:4px;
border:1px solid #cfd6de}
.ct-root .ct-legend .ct-win{background:#ffe38a}.ct-root .ct-legend .ct-pad{background:#eceff2}
.ct-root .ct-legend .ct-winner{background:#ff9b4a}.ct-root .ct-legend .ct-cur{background:#1d4ed8}
.ct-root .ct-hint{color:#555;font-size:.9em;margin:.3em 0}
.ct-footer{font-family:system-ui,sans-serif;font-size:.8em;color:#777;max-width:1200px;margin:8px auto;padding:0 12px}
@media (max-width:600px){
.ct-root{padding:8px}.ct-root h2.ct-title{font-size:1.1em}
.ct-root .ct-grid td{padding:3px 4px;min-width:2em}.ct-root .ct-cell{padding:3px 4px;min-width:2.2em}
.ct-root .ct-panels{gap:10px}.ct-root .ct-panel{flex:1 1 100%}
}
"""

_JS = r"""
window.convtraceInit = window.convtraceInit || function (root) {
  if (!root || root.dataset.ready) { return; }
  root.dataset.ready = "1";
  var D = JSON.parse(root.querySelector("script.ct-data").textContent);
  var T = D.text, N = D.results.length, isConv = D.kind === "conv";
  var Hp = D.paddedShape[0], Wp = D.paddedShape[1], F = D.outShape[0], H = D.outShape[1], W = D.outShape[2];
  var kh = D.size[0], kw = D.size[1], dh = D.dilation[0], dw = D.dilation[1];
  var current = 0, timer = null, marked = [];
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }
  function indexText(n) {
    var c = D.cells[n];
    return "[" + (D.squeeze ? [c[1], c[2]] : c).join(", ") + "]";
  }
  function grid(rows, cols, make) {
    var box = el("div", "ct-scroll"), table = el("table", "ct-grid"), body = el("tbody");
    if (D.index) {
      var head = el("tr");
      head.appendChild(el("th"));
      for (var j = 0; j < cols; j++) { head.appendChild(el("th", "", j)); }
      body.appendChild(head);
    }
    for (var i = 0; i < rows; i++) {
      var tr = el("tr");
      if (D.index) { tr.appendChild(el("th", "", i)); }
      for (var jj = 0; jj < cols; jj++) { tr.appendChild(make(i, jj)); }
      body.appendChild(tr);
    }
    table.appendChild(body);
    box.appendChild(table);
    return {box: box, table: table};
  }
  function panel(title) {
    var p = el("section", "ct-panel");
    if (title) { p.appendChild(el("h3", "", title)); }
    return p;
  }
  var stat = root.querySelector(".ct-static");
  if (stat) { stat.parentNode.removeChild(stat); }

  var size = el("pre", "ct-size", T.size.join("\n"));
  root.appendChild(size);

  var controls = el("div", "ct-controls");
  function button(act, label, symbol) {
    var b = el("button", "", symbol + (label && symbol ? " " : "") + label);
    b.type = "button";
    b.setAttribute("data-act", act);
    b.setAttribute("aria-label", label);
    b.title = label;
    controls.appendChild(b);
    return b;
  }
  var bFirst = button("first", "", "|\u25C0"), bPrev = button("prev", T.prev, "\u25C0");
  var bPlay = button("play", T.play, "\u25B6"), bNext = button("next", T.next, "");
  var bLast = button("last", "", "\u25B6|");
  bFirst.setAttribute("aria-label", T.first); bFirst.title = T.first;
  bLast.setAttribute("aria-label", T.last); bLast.title = T.last;
  bNext.textContent = T.next + " \u25B6";
  bPlay.setAttribute("aria-pressed", "false");
  var label = el("label", "", T.scrub + " ");
  var slider = el("input", "ct-scrub");
  slider.type = "range"; slider.min = "1"; slider.max = String(N); slider.value = "1"; slider.step = "1";
  slider.setAttribute("aria-label", T.scrub);
  label.appendChild(slider);
  var stepno = el("span", "ct-stepno", "1/" + N);
  label.appendChild(stepno);
  controls.appendChild(label);
  root.appendChild(controls);

  var heading = el("p", "ct-heading");
  heading.setAttribute("aria-live", "polite");
  root.appendChild(heading);
  var panels = el("div", "ct-panels");
  root.appendChild(panels);

  // The (padded) input, one grid per channel.
  var inCells = [], inPanel = panel(null);
  for (var c = 0; c < D.padded.length; c++) {
    var ttl = T.input + (D.padded.length > 1 ? " \u00B7 " + T.groupLabels[c] : "");
    inPanel.appendChild(el("h3", "", ttl));
    var cellsOf = [];
    (function (c, cellsOf) {
      var g = grid(Hp, Wp, function (i, j) {
        var k = i * Wp + j, pad = D.padMask.charAt(k) === "1", v = D.padded[c][k];
        var shown = pad && T.padText ? T.padText : v;
        var td = el("td", pad ? "ct-pad" : "", shown);
        td.setAttribute("data-r", i);
        td.setAttribute("data-c", j);
        td.setAttribute("aria-label", fill(pad ? T.cellPadding : T.cellInput, {row: i, col: j, value: shown}));
        cellsOf.push(td);
        return td;
      });
      g.table.classList.add("ct-in");
      inPanel.appendChild(g.box);
    })(c, cellsOf);
    inCells.push(cellsOf);
  }
  panels.appendChild(inPanel);

  // The kernel of each output map (convolution).
  var kernels = [];
  if (isConv) {
    var kPanel = panel(null), G = D.groupWidth;
    for (var f = 0; f < D.weights.length; f++) {
      var box = el("div", "ct-kmap");
      for (var gg = 0; gg < G; gg++) {
        var kt = T.kernel + (G > 1 || D.weights.length > 1 ? " \u00B7 " + (D.weights.length > 1 ? "#" + f + " " : "") +
                 (G > 1 ? T.groupLabels[gg] : "") : "");
        box.appendChild(el("h3", "", kt));
        (function (f, gg) {
          box.appendChild(grid(kh, kw, function (i, j) { return el("td", "", D.weights[f][(gg * kh + i) * kw + j]); }).box);
        })(f, gg);
      }
      kPanel.appendChild(box);
      kernels.push(box);
    }
    panels.appendChild(kPanel);
  }

  // The working: products (convolution) or the window's verdict (pooling).
  var work = panel(isConv ? T.products : T.window);
  var prod = el("table", "ct-prod"), workLine = el("p", "ct-work"), sum = el("p", "ct-sum");
  sum.setAttribute("aria-live", "polite");
  if (isConv) { var pbox = el("div", "ct-scroll"); pbox.appendChild(prod); work.appendChild(pbox); }
  else { work.appendChild(workLine); }
  work.appendChild(sum);
  panels.appendChild(work);

  // The output maps: every cell a button.
  var outCells = [], stepOf = {};
  for (var n = 0; n < N; n++) { var cc = D.cells[n]; stepOf[(cc[0] * H + cc[1]) * W + cc[2]] = n; }
  var outPanel = panel(null);
  for (var m = 0; m < F; m++) {
    outPanel.appendChild(el("h3", "", T.outputs[m]));
    (function (m) {
      var g = grid(H, W, function (i, j) {
        var td = el("td"), key = (m * H + i) * W + j, s = stepOf[key];
        var b = el("button", "ct-cell", D.out[m][i * W + j]);
        b.type = "button";
        var idx = D.squeeze ? "[" + i + ", " + j + "]" : "[" + m + ", " + i + ", " + j + "]";
        b.setAttribute("aria-label", fill(T.cellOutput, {index: idx, value: D.out[m][i * W + j]}));
        if (s !== undefined) {
          b.setAttribute("data-step", s);
          b.addEventListener("click", function () { stop(); show(s, false); });
          b.addEventListener("mouseenter", function () { if (!timer) { show(s, false); } });
          b.addEventListener("focus", function () { if (!timer) { show(s, false); } });
          outCells[s] = td;
        }
        td.appendChild(b);
        return td;
      });
      g.table.classList.add("ct-out");
      outPanel.appendChild(g.box);
    })(m);
  }
  panels.appendChild(outPanel);

  var hint = el("p", "ct-hint", T.hint);
  root.appendChild(hint);
  var legend = el("p", "ct-legend");
  T.legend.forEach(function (item) {
    var s = el("span"), sw = el("span", "ct-sw " + item[0]);
    sw.setAttribute("aria-hidden", "true");
    s.appendChild(sw); s.appendChild(document.createTextNode(item[1]));
    legend.appendChild(s);
  });
  root.appendChild(legend);

  function products(n) {
    while (prod.firstChild) { prod.removeChild(prod.firstChild); }
    var G = D.groupWidth, win = D.windows[n], pr = D.products[n], f = D.cells[n][0], body = el("tbody");
    for (var g = 0; g < G; g++) {
      if (G > 1) {
        var th = el("th", "", T.groupLabels[D.channels[n] + g] + ":");
        th.colSpan = 5;
        var tr0 = el("tr"); tr0.appendChild(th); body.appendChild(tr0);
      }
      for (var t = 0; t < kh * kw; t++) {
        var k = g * kh * kw + t, tr = el("tr");
        tr.appendChild(el("td", "", win[k])); tr.appendChild(el("td", "ct-op", "\u00D7"));
        tr.appendChild(el("td", "", D.weights[f][k])); tr.appendChild(el("td", "ct-op", "="));
        tr.appendChild(el("td", "", pr[k]));
        body.appendChild(tr);
      }
    }
    prod.appendChild(body);
    var line = T.sum + " = " + D.totals[n];
    var bias = D.bias ? D.bias[f] : null;
    if (D.scale) { line += "   \u00D7 " + D.scale; }
    if (bias !== null && bias !== undefined) { line += "   + " + T.bias + " " + bias; }
    if (D.scale || (bias !== null && bias !== undefined)) { line += " = " + D.results[n]; }
    sum.textContent = line;
  }
  function verdict(n) {
    var win = D.windows[n], inside = D.inside[n], vals = [];
    for (var t = 0; t < kh * kw; t++) { if (inside.charAt(t) === "1") { vals.push(String(win[t])); } }
    var mode = D.mode, r = D.results[n];
    if (mode === "max" || mode === "min") {
      var w = D.winners[n];
      workLine.textContent = mode + "(" + vals.join(", ") + ") = " + r;
      sum.textContent = w[0] < 0 ? T.allPadding : fill(T.winner, {value: r, a: w[0], b: w[1]});
    } else if (mode === "sum") {
      workLine.textContent = vals.join(" + ") + " = " + r;
      sum.textContent = T.sum + " = " + r;
    } else {
      workLine.textContent = "(" + vals.join(" + ") + ") \u00F7 " + D.divisors[n] + " = " + r;
      sum.textContent = fill(T.avg[String(D.divisors[n])], {total: D.totals[n], result: r});
    }
  }
  function show(n, scroll) {
    n = Math.max(0, Math.min(N - 1, n));
    current = n;
    marked.forEach(function (td) { td.classList.remove("ct-win", "ct-winner"); });
    marked = [];
    var o = D.origins[n], ch = D.channels[n], first = null;
    var w = isConv ? null : D.winners[n];
    for (var g = 0; g < D.groupWidth; g++) {
      for (var a = 0; a < kh; a++) {
        for (var b = 0; b < kw; b++) {
          var r = o[0] + a * dh, c = o[1] + b * dw;
          if (r < 0 || r >= Hp || c < 0 || c >= Wp) { continue; }
          var td = inCells[ch + g][r * Wp + c];
          td.classList.add("ct-win");
          if (w && w[0] === a && w[1] === b) { td.classList.add("ct-winner"); }
          marked.push(td);
          if (!first) { first = td; }
        }
      }
    }
    kernels.forEach(function (k, f) { k.style.display = f === D.cells[n][0] ? "" : "none"; });
    if (isConv) { products(n); } else { verdict(n); }
    for (var s = 0; s < N; s++) {
      var cell = outCells[s];
      if (!cell) { continue; }
      cell.classList.toggle("ct-cur", s === n);
      cell.classList.toggle("ct-later", s > n);
    }
    slider.value = String(n + 1);
    stepno.textContent = (n + 1) + "/" + N;
    heading.textContent = fill(T.step, {n: n + 1, index: indexText(n), row: o[0], col: o[1]});
    root.setAttribute("data-step", String(n));
    root.setAttribute("data-result", String(D.results[n]));
    if (scroll && first && first.scrollIntoView) { first.scrollIntoView({block: "nearest", inline: "nearest"}); }
  }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    bPlay.textContent = "\u25B6 " + T.play;
    bPlay.setAttribute("aria-label", T.play);
    bPlay.setAttribute("aria-pressed", "false");
  }
  function play() {
    if (current >= N - 1) { show(0, true); }
    bPlay.textContent = "\u2016 " + T.pause;
    bPlay.setAttribute("aria-label", T.pause);
    bPlay.setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      if (current >= N - 1) { stop(); return; }
      show(current + 1, true);
    }, 800);
  }
  bFirst.addEventListener("click", function () { stop(); show(0, true); });
  bPrev.addEventListener("click", function () { stop(); show(current - 1, true); });
  bNext.addEventListener("click", function () { stop(); show(current + 1, true); });
  bLast.addEventListener("click", function () { stop(); show(N - 1, true); });
  bPlay.addEventListener("click", function () { if (timer) { stop(); } else { play(); } });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10) - 1, true); });
  root.addEventListener("keydown", function (e) {
    if (e.target === slider) { return; }
    if (e.key === "ArrowRight") { stop(); show(current + 1, true); }
    else if (e.key === "ArrowLeft") { stop(); show(current - 1, true); }
  });
  stop();
  show(0, false);
};
"""
