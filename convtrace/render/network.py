"""Views of a network (summary, layer outputs, traces), of activations and of transposed convolution.

Rich renderables for the terminal, plain documents for JSON, and Markdown for
handouts.  Every number comes from the library's results and traces; this
module only lays them out.
"""

from __future__ import annotations

import numpy as np
from rich.console import Group
from rich.table import Table
from rich.text import Text

from convtrace.convolution import ConvTrace
from convtrace.messages import translate
from convtrace.messages.network import (
    LABEL_ACT_SUM,
    LABEL_FLATTEN_FROM,
    LABEL_FLIPPED_KERNEL,
    LABEL_FOR_MAP,
    LABEL_GATHER,
    LABEL_GATHER_AXES,
    LABEL_MORE_VALUES,
    LABEL_NET_DOT,
    LABEL_NET_FC,
    LABEL_NET_INPUT,
    LABEL_NET_LAYER,
    LABEL_NET_OUTPUT_OF,
    LABEL_NET_PARAMS,
    LABEL_NET_RANDOM,
    LABEL_NET_SHAPE,
    LABEL_NET_TOTAL,
    LABEL_NET_TRACE_OF,
    LABEL_NO_CONTRIBUTION,
    LABEL_SCATTER,
    LABEL_SCATTER_CELL,
    LABEL_SCATTER_MORE,
    LABEL_STUFFED,
    LABEL_TCONV_PARAMS,
    LABEL_TCONV_SIZE,
    TITLE_NET,
    TITLE_TCONV,
)
from convtrace.messages.views import (
    LABEL_COLS,
    LABEL_INPUT,
    LABEL_KERNEL,
    LABEL_MORE_STEPS,
    LABEL_OUTPUT,
    LABEL_ROWS,
)
from convtrace.network import DenseTrace, ElementTrace, FlattenTrace, SoftmaxTrace
from convtrace.pooling import PoolTrace
from convtrace.render.export import json_number, nested_list
from convtrace.render.matrix import MatrixView, SideBySide, fmt_number


def shape_text(shape) -> str:
    return "(" + ", ".join(str(int(v)) for v in shape) + ("," if len(shape) == 1 else "") + ")"


def _maps(values, precision: int, lang: str, title: str) -> list:
    """A value as matrices: a vector as one row, (C, H, W) as one matrix per channel."""
    arr = np.asarray(values)
    if arr.ndim <= 2:
        return [MatrixView(np.atleast_2d(arr), precision=precision, title=title, lang=lang)]
    return [MatrixView(arr[c], precision=precision, title=f"{title} · [{c}]", lang=lang) for c in range(arr.shape[0])]


# --------------------------------------------------------------------------- networks: text


def summary_table(net, lang: str) -> Table:
    table = Table(title=translate(TITLE_NET, lang, n=len(net.layers)), title_justify="left", show_edge=False,
                  box=None, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column(translate(LABEL_NET_LAYER, lang))
    table.add_column(translate(LABEL_NET_SHAPE, lang))
    table.add_column(translate(LABEL_NET_PARAMS, lang), justify="right")
    table.add_column("")
    table.add_row("0", translate(LABEL_NET_INPUT, lang), shape_text(net.input_shape), "0", "")
    for nl in net.layers:
        table.add_row(str(nl.index), nl.name, shape_text(nl.output_shape), str(nl.params), nl.count)
    return table


def summary_lines(net, lang: str) -> list[str]:
    fc = net.fully_connected_comparison()
    lines = [translate(LABEL_NET_TOTAL, lang, total=net.total_params), translate(LABEL_NET_FC, lang, **fc)]
    if net.random_layers:
        lines.append(translate(LABEL_NET_RANDOM, lang, layers=", ".join(net.random_layers),
                               n=len(net.random_layers), seed=net.seed))
    return lines


def trace_parts(trace, lang: str, precision: int) -> list:
    """A layer trace as renderables (conv and pooling through the existing trace views)."""
    from convtrace.render.views import ConvTraceView, PoolTraceView

    if isinstance(trace, ConvTrace):
        return [ConvTraceView(trace, lang=lang, precision=precision, selected=True)]
    if isinstance(trace, PoolTrace):
        return [PoolTraceView(trace, lang=lang, precision=precision, selected=True)]
    return [Text(line) for line in trace_text_lines(trace, lang, precision)]


def trace_text_lines(trace, lang: str, precision: int) -> list[str]:
    f = lambda v: fmt_number(v, precision)  # noqa: E731
    if isinstance(trace, DenseTrace):
        terms = " + ".join(f"{f(w)}×{f(x)}" for w, x in zip(trace.weights, trace.inputs, strict=True))
        lines = [translate(LABEL_NET_DOT, lang, unit=trace.unit), f"  {terms}",
                 "  = " + " + ".join(f(p) for p in trace.products) + f" = {f(trace.total)}"]
        if trace.bias is not None:
            lines.append(f"  {f(trace.total)} + {f(trace.bias)} = {f(trace.result)}")
        return lines
    if isinstance(trace, SoftmaxTrace):
        shift = _shift_text(trace.shift, f)
        lines = ["Softmax(x_i) = exp(x_i) / Σ exp(x_j)"]
        terms = " + ".join(f"exp({f(v)}{shift})" for v in trace.values)
        lines.append(translate(LABEL_ACT_SUM, lang, terms=terms + " = " + " + ".join(f(e) for e in trace.exps),
                               total=f(trace.total)))
        k = trace.index
        lines.append(f"Softmax(x_{k}) = exp({f(trace.values[k])}{shift}) / {f(trace.total)} = "
                     f"{f(trace.exps[k])} / {f(trace.total)} = {f(trace.result)}")
        return lines
    if isinstance(trace, FlattenTrace):
        return [translate(LABEL_FLATTEN_FROM, lang, shape="×".join(str(v) for v in trace.input_shape),
                          n=int(np.prod(trace.input_shape)), order=trace.order),
                f"output[{trace.index}] = input[{', '.join(str(v) for v in trace.source)}] = {f(trace.value)}"]
    if isinstance(trace, ElementTrace):
        return [trace.formula, f"x = input[{', '.join(str(v) for v in trace.index)}] = {f(trace.value)} → "
                               f"{f(trace.result)}"]
    raise TypeError(type(trace))


class NetworkView:
    """The summary table, the comparison with a fully connected layer, each layer's output and a trace."""

    def __init__(self, net, outputs, *, lang="en", precision=4, trace=None, trace_layer=None, cell_text=""):
        self.net, self.outputs, self.lang, self.precision = net, outputs, lang, precision
        self.trace, self.trace_layer, self.cell_text = trace, trace_layer, cell_text

    def __rich_console__(self, console, options):
        lang, prec = self.lang, self.precision
        yield summary_table(self.net, lang)
        for line in summary_lines(self.net, lang):
            yield Text(line)
        yield Text("")
        for nl, out in zip(self.net.layers, self.outputs, strict=True):
            yield Text(translate(LABEL_NET_OUTPUT_OF, lang, index=nl.index, name=nl.name,
                                 shape=shape_text(nl.output_shape)), style="bold")
            yield SideBySide(_maps(out, prec, lang, nl.name))
            yield Text("")
        if self.trace is not None:
            nl = self.trace_layer
            yield Text(translate(LABEL_NET_TRACE_OF, lang, index=nl.index, name=nl.name, cell=self.cell_text),
                       style="bold")
            yield from trace_parts(self.trace, lang, prec)


# --------------------------------------------------------------------------- networks: documents


def trace_document(trace) -> dict:
    if isinstance(trace, ConvTrace):
        step = trace.step(0)
        return {"kind": "conv", "out": list(step.out_index), "origin": list(step.origin),
                "window": nested_list(step.window), "weights": nested_list(step.weights),
                "products": nested_list(step.products), "subtotals": nested_list(step.subtotals),
                "sum": json_number(step.total), "bias": None if step.bias is None else json_number(step.bias),
                "result": json_number(step.result)}
    if isinstance(trace, PoolTrace):
        step = trace.step(0)
        doc = {"kind": "pool", "out": list(step.out_index), "result": json_number(step.result)}
        doc["window"] = nested_list(step.window)
        doc["inside"] = nested_list(step.inside)
        if step.winner is not None:
            doc["winner"] = [int(v) for v in step.winner]
        else:
            doc["sum"], doc["divisor"] = json_number(step.total), int(step.divisor)
        return doc
    if isinstance(trace, DenseTrace):
        return {"kind": "dense", "unit": trace.unit, "inputs": nested_list(trace.inputs),
                "weights": nested_list(trace.weights), "products": nested_list(trace.products),
                "sum": json_number(trace.total), "bias": None if trace.bias is None else json_number(trace.bias),
                "result": json_number(trace.result)}
    if isinstance(trace, SoftmaxTrace):
        return {"kind": "softmax", "index": trace.index, "values": nested_list(trace.values),
                "shift": trace.shift, "exps": nested_list(trace.exps), "sum": trace.total,
                "result": json_number(trace.result)}
    if isinstance(trace, FlattenTrace):
        return {"kind": "flatten", "index": trace.index, "source": list(trace.source), "order": trace.order,
                "result": json_number(trace.value)}
    return {"kind": trace.kind, "index": list(trace.index), "formula": trace.formula, "x": json_number(trace.value),
            "result": json_number(trace.result)}


def network_document(net, outputs, trace=None, trace_layer=None) -> dict:
    doc = {
        "input_shape": list(net.input_shape),
        "layers": [{"index": nl.index, "name": nl.name, "type": nl.kind, "output_shape": list(nl.output_shape),
                    "params": nl.params, "output": nested_list(out)}
                   for nl, out in zip(net.layers, outputs, strict=True)],
        "total_params": net.total_params,
        "fully_connected": net.fully_connected_comparison(),
        "random_weights": net.random_layers,
        "seed": net.seed,
        "output": nested_list(outputs[-1]),
    }
    if trace is not None:
        doc["trace"] = {"layer": trace_layer.index, "name": trace_layer.name, **trace_document(trace)}
    return doc


def md_matrix(values, precision: int) -> str:
    arr = np.atleast_2d(np.asarray(values))
    if arr.ndim > 2:
        return "\n\n".join(f"[{c}]\n\n" + md_matrix(arr[c], precision) for c in range(arr.shape[0]))
    head = "| " + " | ".join(str(j) for j in range(arr.shape[1])) + " |"
    rule = "|" + "---:|" * arr.shape[1]
    rows = ["| " + " | ".join(fmt_number(v, precision) for v in row) + " |" for row in arr]
    return "\n".join([head, rule, *rows])


def network_markdown(net, outputs, lang: str, precision: int, trace=None, trace_layer=None, cell_text="") -> str:
    out = [f"## {translate(TITLE_NET, lang, n=len(net.layers))}", "",
           f"| # | {translate(LABEL_NET_LAYER, lang)} | {translate(LABEL_NET_SHAPE, lang)} | "
           f"{translate(LABEL_NET_PARAMS, lang)} | |", "|---:|---|---|---:|---|",
           f"| 0 | {translate(LABEL_NET_INPUT, lang)} | {shape_text(net.input_shape)} | 0 | |"]
    for nl in net.layers:
        out.append(f"| {nl.index} | {nl.name} | {shape_text(nl.output_shape)} | {nl.params} | {nl.count} |")
    out += [""] + [f"{line}  " for line in summary_lines(net, lang)] + [""]
    for nl, value in zip(net.layers, outputs, strict=True):
        out += [f"### {translate(LABEL_NET_OUTPUT_OF, lang, index=nl.index, name=nl.name, shape=shape_text(nl.output_shape))}",
                "", md_matrix(value, precision), ""]
    if trace is not None:
        out += [f"### {translate(LABEL_NET_TRACE_OF, lang, index=trace_layer.index, name=trace_layer.name, cell=cell_text)}", ""]
        if isinstance(trace, ConvTrace):
            from convtrace.render.views import working_text

            step = trace.step(0)
            line = working_text(trace, 0, precision)
            if step.bias is not None:
                line += f" + {fmt_number(step.bias, precision)} = {fmt_number(step.result, precision)}"
            out += [f"    {line}", ""]
        elif isinstance(trace, PoolTrace):
            from convtrace.render.views import working_text

            out += [f"    {working_text(trace, 0, precision)}", ""]
        else:
            out += [f"    {line}" for line in trace_text_lines(trace, lang, precision)] + [""]
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- activations


def _shift_text(shift: float, f) -> str:
    """What softmax subtracts inside exp(…): '' (nothing), ' − 1000', or ' + 1000' for a shift of −1000."""
    if not shift:
        return ""
    return f" − {f(shift)}" if shift > 0 else f" + {f(-shift)}"


#: Values whose computation an activation's trace shows (then how many more it does not).
ACTIVATION_TRACE_VALUES = 1000


def activation_lines(kind: str, x, y, formula: str, lang: str, precision: int, parts=None,
                     limit: int = ACTIVATION_TRACE_VALUES) -> list[str]:
    """Each value's computation: ``ReLU(-3) = max(0, -3) = 0`` …; softmax shows the shared sum.
    The first ``limit`` values (a photo's millions would take minutes and gigabytes to print)."""
    f = lambda v: fmt_number(v, precision)  # noqa: E731
    xs, ys = np.asarray(x).ravel(), np.asarray(y).ravel()
    hidden = max(xs.size - limit, 0)
    xs, ys = xs[:limit], ys[:limit]
    shape = np.asarray(x).shape
    lines = [formula]
    more = [translate(LABEL_MORE_VALUES, lang, hidden=hidden)] if hidden else []
    if kind == "softmax":
        shift, exps, total = parts[:3]
        s = _shift_text(shift, f)
        terms = " + ".join(f(e) for e in exps[:limit]) + (" + …" if hidden else "")
        lines.append(translate(LABEL_ACT_SUM, lang, terms=terms, total=f(total)))
        for k, (v, e, r) in enumerate(zip(xs, exps[:limit], ys, strict=True)):
            lines.append(f"  [{k}] exp({f(v)}{s}) / {f(total)} = {f(e)} / {f(total)} = {f(r)}")
        return lines + more
    for k, (v, r) in enumerate(zip(xs, ys, strict=True)):
        where = ", ".join(str(int(i)) for i in np.unravel_index(k, shape))
        if kind == "relu":
            body = f"max(0, {f(v)})"
        elif kind == "leaky_relu":
            body = f(v) if v > 0 else f"{formula.split('else ')[1].split('·')[0]}·{f(v)}"
        elif kind == "sigmoid":
            body = f"1 / (1 + exp({f(-v)}))"
        else:
            body = f"tanh({f(v)})"
        name = {"relu": "ReLU", "leaky_relu": "LeakyReLU", "sigmoid": "σ", "tanh": "tanh"}[kind]
        lines.append(f"  [{where}] {name}({f(v)}) = {body} = {f(r)}")
    return lines + more


# --------------------------------------------------------------------------- transposed convolution


def tconv_header(op, lang: str) -> list[str]:
    s = op.spec
    pair = lambda p: str(p[0]) if p[0] == p[1] else f"{p[0]},{p[1]}"  # noqa: E731
    return [translate(TITLE_TCONV, lang),
            translate(LABEL_TCONV_PARAMS, lang, stride=pair(s.stride), padding=pair(s.padding),
                      output_padding=pair(s.output_padding), dilation=pair(s.dilation)),
            translate(LABEL_TCONV_SIZE, lang),
            f"  {translate(LABEL_ROWS, lang)}: {op.rows.formula()}",
            f"  {translate(LABEL_COLS, lang)}: {op.cols.formula()}"]


def tconv_step_lines(trace, n: int, lang: str, precision: int) -> list[str]:
    """One output cell in the scatter view (which input cells reach it) and the gather view (the window)."""
    f = lambda v: fmt_number(v, precision)  # noqa: E731
    step = trace.step(n)
    index = ", ".join(str(v) for v in step.out_index)
    lines = [f"output[{index}] = {f(step.result)}", f"  {translate(LABEL_SCATTER, lang)}:"]
    multi = trace.operation.x.shape[0] > 1
    if not step.contributions:
        lines.append(f"    {translate(LABEL_NO_CONTRIBUTION, lang)}")
    for c, i, j, a, b, x, w, p in step.contributions:
        where = f"{c}, {i}, {j}" if multi else f"{i}, {j}"
        kernel = f"kernel[{a}, {b}]" if not multi else f"kernel[{c}, {step.out_map}, {a}, {b}]"
        lines.append(f"    input[{where}] × {kernel} = {f(x)} × {f(w)} = {f(p)}")
    if step.contributions:
        lines.append("    Σ = " + " + ".join(f(c[-1]) for c in step.contributions) + f" = {f(step.result)}")
    terms = [f"{f(v)}×{f(w)}" for v, w in zip(step.window.ravel(), step.weights.ravel(), strict=True)]
    lines += [f"  {gather_text(trace.operation, lang)}:", "    " + " + ".join(terms) + f" = {f(step.result)}"]
    return lines


def gather_text(op, lang: str) -> str:
    """How the gather view reads the input: the zeros stuffed and the padding around, per axis when the
    rows' settings are not the columns' (``--stride 1,2``: 0 zeros between rows, 1 between columns)."""
    (sr, sc), (dr, dc) = op.spec.stride, op.spec.dilation
    rows, cols = op.rows.gather_pad, op.cols.gather_pad
    if (sr, dr, tuple(rows)) == (sc, dc, tuple(cols)):
        return translate(LABEL_GATHER, lang, zeros=sr - 1, pad=f"{rows[0]}/{rows[1]}", dilation=dr)
    return translate(LABEL_GATHER_AXES, lang, zr=sr - 1, zc=sc - 1, pr=f"{rows[0]}/{rows[1]}",
                     pc=f"{cols[0]}/{cols[1]}", dilation=f"{dr},{dc}")


class TConvView:
    def __init__(self, op, output, trace=None, *, lang="en", precision=4, max_steps=25):
        self.op, self.output, self.trace = op, output, trace
        self.lang, self.precision, self.max_steps = lang, precision, max_steps

    def __rich_console__(self, console, options):
        lang, prec, op = self.lang, self.precision, self.op
        for k, line in enumerate(tconv_header(op, lang)):
            yield Text(line, style="bold" if k == 0 else "")
        yield Text("")
        if self.trace is not None:
            stuffed, _ = op.stuffed_input()
            # The kernels of the output map the (first) traced cell is in: its sums use those.
            m = self.trace.step(0).out_map if len(self.trace) else 0
            of_map = f" · {translate(LABEL_FOR_MAP, lang, m=m)}" if op.weights.shape[1] > 1 else ""
            yield SideBySide([*_maps(np.asarray(self.op.x if not op.squeeze else op.x[0]), prec, lang,
                                     translate(LABEL_INPUT, lang)),
                              *_maps(op.weights[0, 0] if op.squeeze else op.weights[:, m], prec, lang,
                                     translate(LABEL_KERNEL, lang) + of_map),
                              *_maps(stuffed[0] if op.squeeze else stuffed, prec, lang, translate(LABEL_STUFFED, lang)),
                              *_maps(self.trace.flipped[0, 0] if op.squeeze else self.trace.flipped[:, m], prec, lang,
                                     translate(LABEL_FLIPPED_KERNEL, lang) + of_map)])
            yield Text("")
            # the scatter view of the first input cells (of map m's kernel): the block each adds
            scattered = range(min(op.x.shape[0], 1)), range(min(op.x.shape[1], 2)), range(min(op.x.shape[2], 2))
            for c in scattered[0]:
                for i in scattered[1]:
                    for j in scattered[2]:
                        block, r0, c0 = self.trace.scatter_block(c, i, j, m)
                        kh, kw = block.shape
                        d = op.spec.dilation
                        yield Text(translate(LABEL_SCATTER_CELL, lang, where=f"{i}, {j}" if op.squeeze else f"{c}, {i}, {j}",
                                             value=fmt_number(op.x[c, i, j], prec),
                                             rows=f"{r0}…{r0 + d[0] * (kh - 1)}", cols=f"{c0}…{c0 + d[1] * (kw - 1)}"))
                        yield MatrixView(block, precision=prec, lang=lang)
            others = op.x.size - len(scattered[0]) * len(scattered[1]) * len(scattered[2])
            if others > 0:
                yield Text(translate(LABEL_SCATTER_MORE, lang, n=others), style="yellow")
            yield Text("")
            shown = len(self.trace) if self.max_steps <= 0 else min(self.max_steps, len(self.trace))
            for n in range(shown):
                for line in tconv_step_lines(self.trace, n, lang, prec):
                    yield Text(line)
                yield Text("")
            hidden = int(np.size(self.output)) - shown
            if hidden > 0 and self.max_steps > 0:
                yield Text(translate(LABEL_MORE_STEPS, lang, hidden=hidden), style="yellow")
                yield Text("")
        yield SideBySide(_maps(self.output, prec, lang, translate(LABEL_OUTPUT, lang, shape="×".join(
            str(v) for v in np.shape(self.output)))))


def tconv_document(op, output, trace=None, max_steps: int = 25) -> dict:
    doc = {"op": "conv_transpose2d", "params": op.spec.to_dict(), "input_shape": list(np.shape(op.source_input)),
           "output_shape": list(np.shape(output)),
           "size": {"rows": op.rows.to_dict(), "cols": op.cols.to_dict()}, "output": nested_list(output)}
    if trace is not None:
        stuffed, mask = op.stuffed_input()
        doc["gather_input"] = nested_list(stuffed[0] if op.squeeze else stuffed)
        doc["steps_total"] = len(trace)
        steps = []
        shown = len(trace) if max_steps <= 0 else min(max_steps, len(trace))
        for n in range(shown):
            step = trace.step(n)
            steps.append({"out": list(step.out_index), "result": json_number(step.result),
                          "scatter": [{"input": [c, i, j], "kernel": [a, b], "x": json_number(x), "w": json_number(w),
                                       "product": json_number(p)} for c, i, j, a, b, x, w, p in step.contributions],
                          "gather": {"window": nested_list(step.window), "weights": nested_list(step.weights),
                                     "products": nested_list(step.products)}})
        doc["steps"] = steps
    return doc


def tconv_markdown(op, output, trace, lang: str, precision: int, max_steps: int = 25) -> str:
    out = [f"## {tconv_header(op, lang)[0]}", ""] + [f"{line}  " for line in tconv_header(op, lang)[1:]] + [""]
    if trace is not None:
        shown = len(trace) if max_steps <= 0 else min(max_steps, len(trace))
        for n in range(shown):
            out += ["    " + line for line in tconv_step_lines(trace, n, lang, precision)] + [""]
    out += [f"**{translate(LABEL_OUTPUT, lang, shape='×'.join(str(v) for v in np.shape(output)))}**", "",
            md_matrix(output, precision), ""]
    return "\n".join(out)


__all__ = ["NetworkView", "TConvView", "activation_lines", "network_document", "network_markdown",
           "tconv_document", "tconv_markdown", "Group"]
