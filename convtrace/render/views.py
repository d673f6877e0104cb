"""Rich renderables for results and traces.

Every number shown comes from the engine's trace (windows, products, sums,
divisors, results); nothing here computes.  On a colour terminal the window
is highlighted and padding is dimmed; without colour (piped, NO_COLOR) the
same information is written with brackets: ``[v]`` in the window, ``(v)``
padding, ``{v}`` padding inside the window, ``*`` the winning cell.
"""

from __future__ import annotations

import numpy as np
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from convtrace.convolution import ConvTrace
from convtrace.messages import Term, translate
from convtrace.messages.views import (
    LABEL_ALL_PADDING,
    LABEL_AVG,
    LABEL_CEIL_DROP,
    LABEL_CHANNEL,
    LABEL_COLS,
    LABEL_DILATED_SPAN,
    LABEL_DIVISOR_EXCLUDE,
    LABEL_DIVISOR_FULL,
    LABEL_DIVISOR_INCLUDE,
    LABEL_FEATURE_MAP,
    LABEL_FLIPPED,
    LABEL_INPUT,
    LABEL_KERNEL,
    LABEL_KERNEL_SCALE,
    LABEL_LEGEND,
    LABEL_LEGEND_POOL,
    LABEL_MORE_STEPS,
    LABEL_NEVER_READ,
    LABEL_OUTPUT,
    LABEL_OUTPUT_SIZE,
    LABEL_OUTPUT_SO_FAR,
    LABEL_PADDED_INPUT,
    LABEL_PARAMS,
    LABEL_POOL_PARAMS,
    LABEL_PRODUCTS,
    LABEL_ROWS,
    LABEL_STEP,
    LABEL_SUM,
    LABEL_WINNER,
    TITLE_CONVOLUTION,
    TITLE_CORRELATION,
    TITLE_POOL,
)
from convtrace.params import SizeArithmetic
from convtrace.pooling import DIVISOR_EXCLUDE, DIVISOR_FULL
from convtrace.render.matrix import (
    MAX_SIDE,
    STEP_SIDE,
    crop_note,
    dims,
    fmt_number,
    is_plain,
    matrix_table,
    view_range,
)
from convtrace.spec import ConvSpec

__all__ = ["ConvTraceView", "PoolTraceView", "ResultView", "dims", "fmt_number", "is_plain", "matrix_table",
           "size_lines", "title", "working_text"]

def size_lines(rows: SizeArithmetic, cols: SizeArithmetic, lang: str, ceil_mode: bool = False) -> list[Text]:
    """⌊(n + p − k)/s⌋ + 1 with the numbers filled in, per axis, and rows/cols never read."""
    lines = [Text(translate(LABEL_OUTPUT_SIZE, lang) + ":", style="bold")]
    for arith, axis_key in ((rows, LABEL_ROWS), (cols, LABEL_COLS)):
        if arith.pad_before == arith.pad_after:
            pad = f"2·{arith.pad_before}"
        else:
            pad = f"{arith.pad_before}+{arith.pad_after}"
        span = arith.span if arith.dilation > 1 else arith.k
        left, right = ("⌈", "⌉") if ceil_mode else ("⌊", "⌋")
        formula = f"{left}({arith.n} + {pad} − {span})/{arith.stride}{right} + 1 = {arith.size}"
        extra = ""
        if arith.dilation > 1:
            extra = f"   ({translate(LABEL_DILATED_SPAN, lang, span=f'{arith.dilation}·({arith.k}−1)+1 = {arith.span}')})"
        if ceil_mode and arith.size != (-(-arith.numerator // arith.stride) + 1):
            extra += "   (" + translate(LABEL_CEIL_DROP, lang) + ")"
        lines.append(Text(f"  {translate(axis_key, lang)}: {formula}{extra}"))
        if arith.never_read:
            which = ", ".join(str(p) for p in arith.never_read)
            axis_name = translate(axis_key, lang)
            lines.append(Text("  " + translate(LABEL_NEVER_READ, lang, axis=axis_name, which=which), style="yellow"))
    return lines


def _pads_text(pads) -> str:
    top, bottom, left, right = pads
    if top == bottom == left == right:
        return str(top)
    return f"({top}, {bottom}, {left}, {right})"


def _pair_text(pair) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}×{pair[1]}"


def _output_tables(output, plain, precision, lang, squeeze, pending=None, title_key=LABEL_OUTPUT, focus=None,
                   limit=MAX_SIDE):
    """The output map(s); large ones cropped around ``focus`` (row, col), else their top-left corner."""
    output = np.asarray(output)
    if output.ndim == 2 or squeeze:
        grid = output if output.ndim == 2 else output[0]
        mask = None if pending is None else (pending if pending.ndim == 2 else pending[0])
        maps = [(translate(title_key, lang, shape=dims(grid.shape)), grid, mask)]
    else:
        maps = [(translate(LABEL_FEATURE_MAP, lang, f=f, shape=dims(output[f].shape)), output[f],
                 None if pending is None else pending[f]) for f in range(output.shape[0])]
    row, col = focus if focus is not None else (0, 0)
    for title, grid, mask in maps:
        rows = view_range(grid.shape[0], row, row + 1, limit)
        cols = view_range(grid.shape[1], col, col + 1, limit)
        if (rows[1] - rows[0], cols[1] - cols[0]) != grid.shape:
            title += " " + crop_note(lang, rows, cols, grid.shape)
        yield matrix_table(grid[rows[0]:rows[1], cols[0]:cols[1]], plain=plain, precision=precision,
                           pending=None if mask is None else mask[rows[0]:rows[1], cols[0]:cols[1]], title=title)


class ResultView:
    """An operation's output matrix (or maps) under a one-line description."""

    def __init__(self, output, title: str, subtitle: str, *, lang="en", precision=4, squeeze=True):
        self.output, self.title, self.subtitle = output, title, subtitle
        self.lang, self.precision, self.squeeze = lang, precision, squeeze

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        plain = is_plain(console)
        yield Text(self.title, style="bold")
        yield Text(self.subtitle)
        yield Text("")
        yield from _output_tables(self.output, plain, self.precision, self.lang, self.output.ndim == 2)


def title(operation, lang: str) -> tuple[str, str]:
    """(title, settings line) of an operation, or of its trace."""
    if isinstance(operation.spec, ConvSpec):
        return conv_title(operation, lang)
    return pool_title(operation, lang)


def conv_title(trace, lang: str) -> tuple[str, str]:
    p = trace.params
    title = translate(TITLE_CONVOLUTION if p["flip"] else TITLE_CORRELATION, lang)
    subtitle = translate(LABEL_PARAMS, lang, pads=_pads_text(p["pads"]), mode=Term(f"pad_mode_{p['pad_mode']}"),
                         stride=_pair_text(p["stride"]), dilation=_pair_text(p["dilation"]))
    return title, subtitle


def pool_title(trace, lang: str) -> tuple[str, str]:
    p = trace.params
    title = translate(TITLE_POOL, lang, mode=translate(f"mode_{p['mode']}", lang))
    extra = ""
    if p["ceil_mode"]:
        extra += " · ceil_mode"
    if p["mode"] == "avg" and not p["count_include_pad"]:
        extra += " · exclude-pad"
    subtitle = translate(LABEL_POOL_PARAMS, lang, size=_pair_text(p["size"]), stride=_pair_text(p["stride"]),
                         pads=_pads_text(p["pads"]), dilation=_pair_text(p["dilation"]), extra=extra)
    return title, subtitle


def padded_view(values, pad_mask, origin, size, dilation, *, plain, precision, title, lang, winner=None):
    """The padded input around one window (all of it when small), window and padding marked."""
    window = _window_mask(pad_mask.shape, origin, size, dilation)
    span = (dilation[0] * (size[0] - 1) + 1, dilation[1] * (size[1] - 1) + 1)
    rows = view_range(pad_mask.shape[0], origin[0], origin[0] + span[0], max(STEP_SIDE, span[0] + 2))
    cols = view_range(pad_mask.shape[1], origin[1], origin[1] + span[1], max(STEP_SIDE, span[1] + 2))
    if (rows[1] - rows[0], cols[1] - cols[0]) != pad_mask.shape:
        title += " " + crop_note(lang, rows, cols, pad_mask.shape)
    if winner is not None:
        winner = (winner[0] - rows[0], winner[1] - cols[0])
    cut = (slice(*rows), slice(*cols))
    return matrix_table(values[cut], plain=plain, precision=precision, window=window[cut], padding=pad_mask[cut],
                        winner=winner, title=title)


def _window_mask(shape, origin, size, dilation):
    mask = np.zeros(shape, dtype=bool)
    r, c = origin
    mask[r: r + dilation[0] * (size[0] - 1) + 1: dilation[0], c: c + dilation[1] * (size[1] - 1) + 1: dilation[1]] = True
    return mask


class _TraceView:
    """What every trace view shares: header, at most ``max_steps`` steps, the output."""

    def __init__(self, trace, *, lang="en", precision=4, max_steps=25, selected=False):
        self.trace, self.lang, self.precision, self.max_steps = trace, lang, precision, max_steps
        self.selected = selected  # the user picked these cells: count only them

    def _header(self, plain: bool) -> RenderResult:
        raise NotImplementedError

    def _step(self, n: int, plain: bool) -> Group:
        raise NotImplementedError

    def _output_so_far(self, n: int, plain: bool):
        """The output matrix with the cells of steps 0…n filled in, the rest pending."""
        t = self.trace
        pending = np.ones(t.output.shape, dtype=bool)
        done = t.cells[: n + 1]
        if t.output.ndim == 2:
            pending[done[:, 1], done[:, 2]] = False
        else:
            pending[done[:, 0], done[:, 1], done[:, 2]] = False
        index = t.step(n).out_index
        return _output_tables(t.output, plain, self.precision, self.lang, t.output.ndim == 2, pending=pending,
                              title_key=LABEL_OUTPUT_SO_FAR, focus=index[-2:], limit=STEP_SIDE)

    def _total(self) -> int:
        """Every window of the operation (one per output value, traced or not), or the picked ones."""
        return len(self.trace) if self.selected else int(np.asarray(self.trace.output).size)

    def _layout(self, blocks) -> Group:
        """Blocks side by side, wrapping to a new row where the console is too narrow for the next one."""
        console, options = self._render_ctx
        rows, current, used = [], [], 0
        for block in blocks:
            width = Measurement.get(console, options, block).maximum
            if current and used + 3 + width > options.max_width:
                rows.append(current)
                current, used = [], 0
            used += width + (3 if current else 0)
            current.append(block)
        rows.append(current)
        grids = []
        for row in rows:
            grid = Table.grid(padding=(0, 3))
            for _ in row:
                grid.add_column(vertical="top", no_wrap=True)
            grid.add_row(*row)
            grids.append(grid)
        return Group(*grids)

    def _step_heading(self, n: int, step, plain: bool) -> Text:
        index = "[" + ", ".join(str(v) for v in step.out_index) + "]"
        head = translate(LABEL_STEP, self.lang, n=n + 1, total=self._total(), index=index,
                         row=step.origin[0], col=step.origin[1])
        return Text(head, style="" if plain else "bold cyan")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        plain = is_plain(console)
        self._render_ctx = (console, options)
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
        yield from _output_tables(t.output, plain, self.precision, self.lang, t.output.ndim == 2)


class ConvTraceView(_TraceView):
    """A convolution trace as the slides show it, window by window."""

    def _step(self, n: int, plain: bool) -> Group:
        t, lang, prec = self.trace, self.lang, self.precision
        step = t.step(n)
        kh, kw = step.weights.shape[-2:]
        dilation = t.params["dilation"]
        groups_width = step.window.shape[0]
        inputs, kernels = [], []
        products = Table(show_header=False, box=None, padding=(0, 1), pad_edge=False)
        for col_justify in ("right", "center", "right", "center", "right"):
            products.add_column(justify=col_justify)
        for g in range(groups_width):
            channel = step.channel + g
            label = translate(LABEL_PADDED_INPUT, lang) if t.pad_mask.any() else translate(LABEL_INPUT, lang)
            if t.padded.shape[0] > 1:
                label += f" · {translate(LABEL_CHANNEL, lang, c=channel)}"
            inputs.append(padded_view(t.padded[channel], t.pad_mask, step.origin, (kh, kw), dilation, plain=plain,
                                      precision=prec, title=label, lang=lang))
            klabel = translate(LABEL_KERNEL, lang) if t.scale == 1 else \
                translate(LABEL_KERNEL_SCALE, lang, scale=t.scale)
            if groups_width > 1:
                klabel += f" · {translate(LABEL_CHANNEL, lang, c=channel)}"
            kernels.append(matrix_table(step.weights[g], plain=plain, precision=prec, title=klabel))
            if groups_width > 1:
                products.add_row(Text(translate(LABEL_CHANNEL, lang, c=channel) + ":", style="italic"))
            for a in range(kh):
                for b in range(kw):
                    products.add_row(fmt_number(step.window[g, a, b], prec), "×",
                                     fmt_number(step.weights[g, a, b], prec), "=",
                                     fmt_number(step.products[g, a, b], prec))
        partial = self._output_so_far(n, plain)
        products_block = Group(Text(translate(LABEL_PRODUCTS, lang), style="" if plain else "bold"), products)
        grid = self._layout([Group(*inputs), Group(*kernels), products_block, Group(*partial)])
        total = fmt_number(step.total, prec)
        if t.scale != 1:
            sum_line = f"{translate(LABEL_SUM, lang)} = {total}   × {t.scale} = {fmt_number(step.result, prec)}"
        else:
            sum_line = f"{translate(LABEL_SUM, lang)} = {total}"
        return Group(self._step_heading(n, step, plain), grid, Text(sum_line, style="bold"), Text(""))

    def _header(self, plain: bool) -> RenderResult:
        t, lang = self.trace, self.lang
        title, subtitle = conv_title(t, lang)
        yield Text(title, style="bold")
        yield Text(subtitle)
        yield from size_lines(t.rows, t.cols, lang)
        if t.params["flip"]:
            yield matrix_table(np.asarray(t.kernel) if np.ndim(t.kernel) == 2 else t.given_weights[0, 0],
                               plain=plain, precision=self.precision, title=translate(LABEL_KERNEL, lang))
            yield matrix_table(t.weights[0, 0], plain=plain, precision=self.precision,
                               title=translate(LABEL_FLIPPED, lang))
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

    def _step(self, n: int, plain: bool) -> Group:
        t, lang, prec = self.trace, self.lang, self.precision
        step = t.step(n)
        size, dilation = t.params["size"], t.params["dilation"]
        shown, pad_mask = t.padded[step.channel], t.pad_mask
        winner = None
        if step.winner is not None:
            winner = (step.origin[0] + step.winner[0] * dilation[0], step.origin[1] + step.winner[1] * dilation[1])
        label = translate(LABEL_PADDED_INPUT, lang) if pad_mask.any() else translate(LABEL_INPUT, lang)
        partial = self._output_so_far(n, plain)
        grid = self._layout([padded_view(shown, pad_mask, step.origin, size, dilation, plain=plain, precision=prec,
                                         title=label, lang=lang, winner=winner), Group(*partial)])
        return Group(self._step_heading(n, step, plain), grid, Text(self._explain(step), style="bold"), Text(""))

    def _header(self, plain: bool) -> RenderResult:
        t, lang = self.trace, self.lang
        title, subtitle = pool_title(t, lang)
        yield Text(title, style="bold")
        yield Text(subtitle)
        yield from size_lines(t.rows, t.cols, lang, ceil_mode=t.params["ceil_mode"])
        if plain:
            yield Text(translate(LABEL_LEGEND_POOL, lang))


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
