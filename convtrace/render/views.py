"""Rich renderables for results and traces.

Every number shown comes from the engine's trace (windows, products, sums,
divisors, results); nothing here computes.  On a colour terminal the window
is highlighted and padding is dimmed; without colour (piped, NO_COLOR) the
same information is written with brackets: ``[v]`` in the window, ``(v)``
padding, ``{v}`` padding inside the window, ``*`` the winning cell.

The title, settings line and output-size lines above every view live in
:mod:`convtrace.render.titles` and are re-exported here.
"""

from __future__ import annotations

import numpy as np
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.text import Text

from convtrace.convolution import ConvTrace
from convtrace.messages import translate
from convtrace.messages.views import (
    LABEL_ALL_PADDING,
    LABEL_AVG,
    LABEL_BIAS,
    LABEL_CHANNEL,
    LABEL_CHANNEL_NAMED,
    LABEL_DIVISOR_EXCLUDE,
    LABEL_DIVISOR_FULL,
    LABEL_DIVISOR_INCLUDE,
    LABEL_FLIPPED,
    LABEL_INPUT,
    LABEL_KERNEL,
    LABEL_KERNEL_SCALE,
    LABEL_LEGEND,
    LABEL_LEGEND_POOL,
    LABEL_MORE_STEPS,
    LABEL_NOT_SHOWN,
    LABEL_OUTPUT,
    LABEL_OUTPUT_SO_FAR,
    LABEL_PAD_NEG_INF,
    LABEL_PAD_POS_INF,
    LABEL_PADDED_INPUT,
    LABEL_PRODUCTS,
    LABEL_STEP,
    LABEL_SUBTOTAL_SUM,
    LABEL_SUM,
    LABEL_WINNER,
)
from convtrace.pooling import DIVISOR_EXCLUDE, DIVISOR_FULL
from convtrace.render.matrix import (
    MAX_SIDE,
    OUTPUT_CAP,
    STEP_SIDE,
    MatrixView,
    SideBySide,
    crop_note,
    dims,
    fmt_number,
    is_plain,
    matrix_table,
    output_maps,
    stripped,
    trace_output,
    view_range,
)
from convtrace.render.titles import conv_title, pool_title, size_lines, title
from convtrace.spec import ConvSpec

__all__ = ["ConvTraceView", "MatrixView", "PoolTraceView", "ResultView", "SideBySide", "channel_label", "dims",
           "fmt_number", "is_plain", "matrix_table", "output_maps", "output_names", "size_lines", "title",
           "trace_output", "working_text"]


def output_names(operation) -> tuple[str, ...] | None:
    """Names for the output maps when each is one named input channel (a 2-D kernel or a pooling
    on an RGB image); None when the maps are feature maps or the channels have no names."""
    names = getattr(operation, "channel_names", None)
    if not names:
        return None
    if isinstance(operation.spec, ConvSpec):
        weights = operation.weights
        if not (operation.groups == operation.x_shape[0] and weights.shape[1] == 1):
            return None
    return tuple(names)


def channel_label(c: int, lang: str, names=None) -> str:
    """"channel 1" or, when the channels have names, "channel 1 (G)"."""
    if names and 0 <= c < len(names):
        return translate(LABEL_CHANNEL_NAMED, lang, c=c, name=names[c])
    return translate(LABEL_CHANNEL, lang, c=c)


def _output_tables(output, precision, lang, *, index=True, pending=None, title_key=LABEL_OUTPUT, focus=None,
                   limit=None, names=None, origin=(0, 0), shape=None):
    """The output map(s).

    ``limit=None`` (a final output): every value, unless there are more than OUTPUT_CAP of them (a
    photo), or when ``output`` is only part of it: then MAX_SIDE×MAX_SIDE of each map around ``focus``
    (the top-left corner by default), saying how many values are not shown and how to get them all.  With a ``limit`` (a step's context): at
    most ``limit`` rows and columns around ``focus`` (row, col), the crop named in the title.
    ``output`` may be part of the whole output (of ``shape``), from (row, col) ``origin``; ``focus``
    and the numbers shown are in the whole output, and the part holds what is shown around ``focus``.
    """
    output = np.asarray(output)
    shape = output.shape if shape is None else tuple(shape)
    total = int(np.prod(shape))
    capped = limit is None and (total > OUTPUT_CAP or output.shape != shape)   # a part never shows it all
    side = MAX_SIDE if capped else limit
    row, col = focus if focus is not None else (0, 0)
    r0, c0 = origin
    n_rows, n_cols = (1, shape[-1]) if len(shape) == 1 else shape[-2:]
    shown = 0
    out = []
    for heading, f, grid in output_maps(output, lang, title_key=title_key, names=names, shape=shape):
        if capped and shown >= OUTPUT_CAP:  # many small maps: as many values as one large map shows
            break
        mask = None
        if pending is not None:
            mask = np.atleast_2d(pending if f is None else pending[f])
        if side is None:
            rows, cols = (0, n_rows), (0, n_cols)
        else:
            rows = view_range(n_rows, row, row + 1, side)
            cols = view_range(n_cols, col, col + 1, side)
        if (rows[1] - rows[0], cols[1] - cols[0]) != (n_rows, n_cols):
            heading += " " + crop_note(lang, rows, cols, (n_rows, n_cols))
        shown += (rows[1] - rows[0]) * (cols[1] - cols[0])
        cut = (slice(rows[0] - r0, rows[1] - r0), slice(cols[0] - c0, cols[1] - c0))
        out.append(MatrixView(grid[cut], precision=precision, index=index, row0=rows[0], col0=cols[0],
                              title=heading, lang=lang, pending=None if mask is None else mask[cut]))
    if capped:
        out.append(Text(translate(LABEL_NOT_SHOWN, lang, hidden=total - shown, total=total), style="yellow"))
    return out


class ResultView:
    """An operation's output matrix (or maps) under a one-line description.

    ``index``: row and column numbers on the matrices; ``channel_names``: names for the
    output maps (see :func:`output_names`).  Every value is shown (in column blocks when
    the console is narrow) up to OUTPUT_CAP values.
    """

    def __init__(self, output, title: str, subtitle: str, *, lang="en", precision=4, squeeze=True, index=True,
                 channel_names=None):
        self.output, self.title, self.subtitle = np.asarray(output), title, subtitle
        self.lang, self.precision, self.squeeze = lang, precision, squeeze
        self.index, self.channel_names = index, channel_names

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        parts = [Text(self.title, style="bold"), Text(self.subtitle), Text("")]
        parts += _output_tables(self.output, self.precision, self.lang, index=self.index, names=self.channel_names)
        for part in parts:
            yield from stripped(console, options, part)


def padded_view(values, pad_mask, origin, size, dilation, *, precision, title, lang, winner=None, index=True,
                pad_text=None, plain=None, values_origin=(0, 0)):
    """The padded input around one window (all of it when small), window and padding marked.

    Rows and columns are numbered in padded coordinates, as the step heading names the window.
    ``values`` may hold only part of the padded input (a trace of a large input keeps the part around its
    windows): ``values_origin`` is the padded (row, col) of ``values[0, 0]``; ``pad_mask`` is full size.
    """
    window = _window_mask(pad_mask.shape, origin, size, dilation)
    span = (dilation[0] * (size[0] - 1) + 1, dilation[1] * (size[1] - 1) + 1)
    rows = view_range(pad_mask.shape[0], origin[0], origin[0] + span[0], max(STEP_SIDE, span[0] + 2))
    cols = view_range(pad_mask.shape[1], origin[1], origin[1] + span[1], max(STEP_SIDE, span[1] + 2))
    if (rows[1] - rows[0], cols[1] - cols[0]) != pad_mask.shape:
        title += " " + crop_note(lang, rows, cols, pad_mask.shape)
    if winner is not None:
        winner = (winner[0] - rows[0], winner[1] - cols[0])
    cut = (slice(*rows), slice(*cols))
    r0, c0 = values_origin
    shown = values[rows[0] - r0:rows[1] - r0, cols[0] - c0:cols[1] - c0]
    return MatrixView(shown, precision=precision, window=window[cut], padding=pad_mask[cut], winner=winner,
                      title=title, index=index, row0=rows[0], col0=cols[0], pad_text=pad_text, lang=lang)


def _window_mask(shape, origin, size, dilation):
    mask = np.zeros(shape, dtype=bool)
    r, c = origin
    mask[r: r + dilation[0] * (size[0] - 1) + 1: dilation[0], c: c + dilation[1] * (size[1] - 1) + 1: dilation[1]] = True
    return mask


def pad_infinity(mode: str) -> str | None:
    """What a padding cell is worth in a max (−∞) or min (+∞) pool; None for avg and sum."""
    return {"max": "−∞", "min": "+∞"}.get(mode)


def products_lines(rows, names_of_groups=None) -> Text:
    """``value  ×  weight  =  product`` lines, each column right-aligned; a group heading before each
    group when there are several (``rows``: list of (heading or None, [(v, w, p) strings])."""
    cells = [r for _, group in rows for r in group]
    wa = max((len(v) for v, _, _ in cells), default=0)
    wb = max((len(w) for _, w, _ in cells), default=0)
    wc = max((len(p) for _, _, p in cells), default=0)
    lines = []
    for heading, group in rows:
        if heading:
            lines.append(heading)
        lines += [f"{v.rjust(wa)}  ×  {w.rjust(wb)}  =  {p.rjust(wc)}" for v, w, p in group]
    return Text("\n".join(lines))


class _TraceView:
    """What every trace view shares: header, at most ``max_steps`` steps, the output.

    ``index``: row and column numbers on every matrix.  Renders from the console's
    options alone: nothing is stored while rendering.
    """

    def __init__(self, trace, *, lang="en", precision=4, max_steps=25, selected=False, index=True):
        self.trace, self.lang, self.precision, self.max_steps = trace, lang, precision, max_steps
        self.selected = selected  # the user picked these cells: count only them
        self.index = index

    def _header(self, plain: bool) -> RenderResult:
        raise NotImplementedError

    def _step(self, n: int, plain: bool) -> Group:
        raise NotImplementedError

    def _names(self):
        return output_names(self.trace.operation)

    def _output_so_far(self, n: int):
        """The output matrix with the cells of steps 0…n filled in, the rest pending."""
        t = self.trace
        output, (r0, c0), shape = trace_output(t)
        pending = np.ones(output.shape, dtype=bool)
        done = t.cells[: n + 1]
        if output.ndim == 2:
            pending[done[:, 1] - r0, done[:, 2] - c0] = False
        else:
            pending[done[:, 0], done[:, 1] - r0, done[:, 2] - c0] = False
        index = t.step(n).out_index
        return _output_tables(output, self.precision, self.lang, index=self.index, pending=pending,
                              title_key=LABEL_OUTPUT_SO_FAR, focus=index[-2:], limit=STEP_SIDE, names=self._names(),
                              origin=(r0, c0), shape=shape)

    def _final_output(self):
        """The whole output, or around the first traced cell when the trace keeps only that part."""
        t = self.trace
        output, origin, shape = trace_output(t)
        focus = tuple(int(v) for v in t.cells[0, 1:]) if output.shape != shape and len(t) else None
        return _output_tables(output, self.precision, self.lang, index=self.index, names=self._names(),
                              focus=focus, origin=origin, shape=shape)

    def _total(self) -> int:
        """Every window of the operation (one per output value, traced or not), or the picked ones."""
        return len(self.trace) if self.selected else int(np.prod(trace_output(self.trace)[2]))

    def _step_heading(self, n: int, step, plain: bool) -> Text:
        index = "[" + ", ".join(str(v) for v in step.out_index) + "]"
        head = translate(LABEL_STEP, self.lang, n=n + 1, total=self._total(), index=index,
                         row=step.origin[0], col=step.origin[1])
        return Text(head, style="" if plain else "bold cyan")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for part in self._parts(is_plain(console)):
            yield from stripped(console, options, part)

    def _parts(self, plain: bool) -> RenderResult:
        t = self.trace
        yield from self._header(plain)
        yield Text("")
        shown = len(t) if self.max_steps <= 0 else min(self.max_steps, len(t))
        for n in range(shown):
            yield self._step(n, plain)
        hidden = self._total() - shown
        if hidden > 0:
            yield Text(translate(LABEL_MORE_STEPS, self.lang, hidden=hidden), style="yellow")
            yield Text("")
        yield from self._final_output()


class ConvTraceView(_TraceView):
    """A convolution trace as the slides show it, window by window."""

    def _step(self, n: int, plain: bool) -> Group:
        t, lang, prec = self.trace, self.lang, self.precision
        names = t.channel_names
        step = t.step(n)
        kh, kw = step.weights.shape[-2:]
        dilation = t.params["dilation"]
        groups_width = step.window.shape[0]
        inputs, kernels, product_rows = [], [], []
        for g in range(groups_width):
            channel = step.channel + g
            label = translate(LABEL_PADDED_INPUT, lang) if t.pad_mask.any() else translate(LABEL_INPUT, lang)
            if t.padded.shape[0] > 1:
                label += f" · {channel_label(channel, lang, names)}"
            inputs.append(padded_view(t.padded[channel], t.pad_mask, step.origin, (kh, kw), dilation,
                                      precision=prec, title=label, lang=lang, index=self.index,
                                      values_origin=getattr(t, "padded_origin", (0, 0))))
            klabel = translate(LABEL_KERNEL, lang) if t.scale == 1 else \
                translate(LABEL_KERNEL_SCALE, lang, scale=t.scale)
            if groups_width > 1:
                klabel += f" · {channel_label(channel, lang, names)}"
            kernels.append(MatrixView(step.weights[g], precision=prec, title=klabel, index=self.index, lang=lang))
            heading = channel_label(channel, lang, names) + ":" if groups_width > 1 else None
            product_rows.append((heading, [(fmt_number(step.window[g, a, b], prec), fmt_number(step.weights[g, a, b], prec),
                                            fmt_number(step.products[g, a, b], prec))
                                           for a in range(kh) for b in range(kw)]))
        partial = self._output_so_far(n)
        # With row/column numbers, the products start on the matrices' first row, not on their header.
        products_block = Group(Text(translate(LABEL_PRODUCTS, lang), style="" if plain else "bold"),
                               *([Text("")] if self.index else []), products_lines(product_rows))
        grid = SideBySide([Group(*inputs), Group(*kernels), products_block, Group(*partial)])
        lines = [self._step_heading(n, step, plain), grid]
        if groups_width > 1 and step.subtotals is not None:
            parts = [f"{channel_label(step.channel + g, lang, names)}: {fmt_number(step.subtotals[g], prec)}"
                     for g in range(groups_width)]
            lines.append(Text(" · ".join(parts) + " → " + translate(LABEL_SUBTOTAL_SUM, lang,
                                                                     total=fmt_number(step.total, prec))))
        lines += [Text(self._sum_line(step), style="bold"), Text("")]
        return Group(*lines)

    def _sum_line(self, step) -> str:
        t, lang, prec = self.trace, self.lang, self.precision
        line = f"{translate(LABEL_SUM, lang)} = {fmt_number(step.total, prec)}"
        if t.scale != 1:
            line += f"   × {t.scale}"
        bias = getattr(step, "bias", None)
        if bias is not None:
            line += f"   + {translate(LABEL_BIAS, lang)} {fmt_number(bias, prec)}"
        if t.scale != 1 or bias is not None:
            line += f" = {fmt_number(step.result, prec)}"
        return line

    def _header(self, plain: bool) -> RenderResult:
        t, lang = self.trace, self.lang
        title, subtitle = conv_title(t, lang)
        yield Text(title, style="bold")
        yield Text(subtitle)
        yield from size_lines(t.rows, t.cols, lang)
        if t.params["flip"]:
            given = np.asarray(t.kernel) if np.ndim(t.kernel) == 2 else t.given_weights[0, 0]
            yield SideBySide([MatrixView(given, precision=self.precision, title=translate(LABEL_KERNEL, lang),
                                         index=self.index, lang=lang),
                              MatrixView(t.weights[0, 0], precision=self.precision,
                                         title=translate(LABEL_FLIPPED, lang), index=self.index, lang=lang)])
        if plain:
            yield Text(translate(LABEL_LEGEND, lang))


class PoolTraceView(_TraceView):
    """A pooling trace: every window, its winner or its sum and divisor."""

    def _explain(self, step) -> str:
        t, lang, prec = self.trace, self.lang, self.precision
        mode = t.params["mode"]
        kh, kw = t.params["size"]
        if mode in ("max", "min"):
            if step.winner is None:
                return translate(LABEL_ALL_PADDING, lang)
            a, b = step.winner
            return translate(LABEL_WINNER, lang, mode=mode, value=fmt_number(step.result, prec), a=a, b=b)
        if mode == "sum":
            return f"{translate(LABEL_SUM, lang)} = {fmt_number(step.result, prec)}"
        line = translate(LABEL_AVG, lang, total=fmt_number(step.total, prec), divisor=step.divisor,
                         result=fmt_number(step.result, prec))
        if step.divisor_reason == DIVISOR_EXCLUDE:
            why = translate(LABEL_DIVISOR_EXCLUDE, lang, divisor=step.divisor)
        elif step.divisor_reason == DIVISOR_FULL:
            why = translate(LABEL_DIVISOR_FULL, lang, divisor=step.divisor, kh=kh, kw=kw)
        else:
            why = translate(LABEL_DIVISOR_INCLUDE, lang, divisor=step.divisor)
        return f"{line}   ({why})"

    def _infinity_note(self) -> str | None:
        mode = self.trace.params["mode"]
        if not self.trace.pad_mask.any() or mode not in ("max", "min"):
            return None
        return translate(LABEL_PAD_NEG_INF if mode == "max" else LABEL_PAD_POS_INF, self.lang)

    def _step(self, n: int, plain: bool) -> Group:
        t, lang, prec = self.trace, self.lang, self.precision
        step = t.step(n)
        size, dilation = t.params["size"], t.params["dilation"]
        shown, pad_mask = t.padded[step.channel], t.pad_mask
        winner = None
        if step.winner is not None:
            winner = (step.origin[0] + step.winner[0] * dilation[0], step.origin[1] + step.winner[1] * dilation[1])
        label = translate(LABEL_PADDED_INPUT, lang) if pad_mask.any() else translate(LABEL_INPUT, lang)
        if t.padded.shape[0] > 1:
            label += f" · {channel_label(step.channel, lang, t.channel_names)}"
        partial = self._output_so_far(n)
        grid = SideBySide([padded_view(shown, pad_mask, step.origin, size, dilation, precision=prec, title=label,
                                       lang=lang, winner=winner, index=self.index,
                                       pad_text=pad_infinity(t.params["mode"]),
                                       values_origin=getattr(t, "padded_origin", (0, 0))), Group(*partial)])
        lines = [self._step_heading(n, step, plain), grid, Text(self._explain(step), style="bold")]
        note = self._infinity_note()
        if note and not np.asarray(step.inside).all():
            lines.append(Text(note))
        lines.append(Text(""))
        return Group(*lines)

    def _header(self, plain: bool) -> RenderResult:
        t, lang = self.trace, self.lang
        title, subtitle = pool_title(t, lang)
        yield Text(title, style="bold")
        yield Text(subtitle)
        yield from size_lines(t.rows, t.cols, lang, ceil_mode=t.params["ceil_mode"])
        if plain:
            yield Text(translate(LABEL_LEGEND_POOL, lang))
        note = self._infinity_note()
        if note:
            yield Text(note)


def working_text(trace, n: int, precision: int = 4) -> str:
    """One window's arithmetic on a line, from the trace: "0×1 + 10×0 + … = 60"."""
    step = trace.step(n)
    if isinstance(trace, ConvTrace):
        terms = " + ".join(
            f"{fmt_number(v, precision)}×{_paren(fmt_number(w, precision))}"
            for v, w in zip(step.window.ravel(), step.weights.ravel(), strict=True))
        text = f"{terms} = {fmt_number(step.total, precision)}"
        if trace.scale != 1:
            text += f" × {trace.scale} = {fmt_number(step.result, precision)}"
        return text
    cells = ", ".join(fmt_number(v, precision) for v in step.window[step.inside])
    mode = trace.params["mode"]
    if mode == "avg":
        return f"({' + '.join(fmt_number(v, precision) for v in step.window[step.inside])}) ÷ {step.divisor} = " \
               f"{fmt_number(step.result, precision)}"
    if mode == "sum":
        return f"{' + '.join(fmt_number(v, precision) for v in step.window[step.inside])} = {fmt_number(step.result, precision)}"
    return f"{mode}({cells}) = {fmt_number(step.result, precision)}"


def _paren(text: str) -> str:
    return f"({text})" if text.startswith("-") else text
