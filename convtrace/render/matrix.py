"""Matrices as Rich renderables: number formatting, marks, row/column numbers, column blocks.

The building blocks every view uses.  On a colour terminal the window is
highlighted and padding is dimmed; without colour (piped, NO_COLOR) the same
information is written with brackets: ``[v]`` in the window, ``(v)``
padding, ``{v}`` padding inside the window, ``*`` the winning cell.

A :class:`MatrixView` lays itself out for the width the console gives it:
a matrix wider than that is split into labelled column blocks ("columns
11–19"), never cut.  Rows and columns are numbered (``index=True``, the
default) with their position in the whole matrix, so a cropped view names
exactly what it shows.  No line ends in a space.

:func:`output_maps` splits an output into its titled maps, and :func:`trace_output` says which part
of the whole output a trace keeps (all of it, or for a photo the part around its cells).
"""

from __future__ import annotations

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from convtrace.messages import translate
from convtrace.messages.views import (
    LABEL_BLOCK_COLUMN,
    LABEL_BLOCK_COLUMNS,
    LABEL_CHANNEL_MAP,
    LABEL_CROP,
    LABEL_FEATURE_MAP,
    LABEL_OUTPUT,
)

WINDOW_STYLE = "bold black on yellow"
PAD_STYLE = "dim italic"
PAD_IN_WINDOW_STYLE = "italic black on yellow"
WINNER_STYLE = "bold white on red"
INDEX_STYLE = "dim cyan"

#: Largest matrix side printed whole in a step's context; bigger ones show the part that matters.
MAX_SIDE = 16
#: In a step, beside the kernel and the products: the window and a small margin.
STEP_SIDE = 9
#: Most values a final output shows; a bigger one (a photo) shows its top-left MAX_SIDE×MAX_SIDE corner
#: and says how many values are not shown and how to get them all.
OUTPUT_CAP = 10_000

#: Spaces between two matrix columns when no cell carries a mark.
COLUMN_GAP = 2


def fmt_number(value, precision: int = 4) -> str:
    """Integers as integers; floats with at most ``precision`` decimals, trailing zeros trimmed."""
    if isinstance(value, (bool, np.bool_)):
        return str(int(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    v = float(value)
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    text = f"{v:.{precision}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def is_plain(console: Console) -> bool:
    return console.no_color or console.color_system is None


def dims(shape) -> str:
    return "×".join(str(int(s)) for s in shape)


def block_label(lang: str, c0: int, c1: int) -> str:
    """"columns 11–19" (or "column 19") of a matrix split into column blocks."""
    if c0 == c1:
        return translate(LABEL_BLOCK_COLUMN, lang, c=c0)
    return translate(LABEL_BLOCK_COLUMNS, lang, c0=c0, c1=c1)


def rstrip_segments(segments: list[Segment]) -> list[Segment]:
    """A line's segments without trailing whitespace (styled or not)."""
    out = list(segments)
    while out:
        last = out[-1]
        if last.control:
            break
        text = last.text.rstrip()
        if text == last.text and text:
            break
        out.pop()
        if text:
            out.append(Segment(text, last.style))
            break
    return out


def stripped(console: Console, options: ConsoleOptions, renderable) -> RenderResult:
    """``renderable`` as lines without trailing spaces (Rich leaves one where it wraps a long line)."""
    for line in console.render_lines(renderable, options, pad=False):
        yield from rstrip_segments(line)
        yield Segment.line()


class MatrixView:
    """A matrix under its title, right-aligned, with optional marks per cell and row/column numbers.

    ``window``/``padding``/``pending`` are boolean masks; ``winner`` a (row, col) in ``values``;
    ``row0``/``col0`` the position of ``values[0, 0]`` in the whole matrix (for the numbers of a
    cropped view); ``pad_text`` replaces the value of padding cells (−∞ in a max pool).
    """

    def __init__(self, values, *, precision: int = 4, title: str | None = None, window=None, padding=None,
                 winner=None, pending=None, index: bool = True, row0: int = 0, col0: int = 0,
                 pad_text: str | None = None, lang: str = "en"):
        values = np.asarray(values)
        if values.ndim == 1:
            values = values[None, :]
        self.shape = values.shape
        self.title, self.index, self.row0, self.col0, self.lang = title, index, row0, col0, lang
        rows, cols = values.shape
        self.marked = window is not None or padding is not None or winner is not None
        self.texts = [["·" if pending is not None and pending[r, c]
                       else pad_text if pad_text is not None and padding is not None and padding[r, c]
                       else fmt_number(values[r, c], precision) for c in range(cols)] for r in range(rows)]
        self.window = None if window is None else np.asarray(window, dtype=bool)
        self.padding = None if padding is None else np.asarray(padding, dtype=bool)
        self.winner = None if winner is None else (int(winner[0]), int(winner[1]))
        widths = [max(len(self.texts[r][c]) for r in range(rows)) for c in range(cols)]
        if index:
            widths = [max(w, len(str(col0 + c))) for c, w in enumerate(widths)]
        self.widths = widths
        self.index_width = len(str(row0 + rows - 1)) if index else 0

    # -- geometry -------------------------------------------------------------------------------

    def _prefix(self) -> int:
        return self.index_width + COLUMN_GAP if self.index else 0

    def _cell_width(self, c: int, first: bool) -> int:
        if self.marked:
            return self.widths[c] + 3                       # bracket, value, bracket, mark
        return self.widths[c] + (0 if first else COLUMN_GAP)

    def _blocks(self, width: int) -> list[tuple[int, int]]:
        """[start, stop) column ranges, each as wide as fits ``width`` (at least one column)."""
        blocks, start, used = [], 0, self._prefix()
        for c in range(self.shape[1]):
            w = self._cell_width(c, c == start)
            if c > start and used + w > width:
                blocks.append((start, c))
                start, used = c, self._prefix()
                w = self._cell_width(c, True)
            used += w
        blocks.append((start, self.shape[1]))
        return blocks

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        full = self._prefix() + sum(self._cell_width(c, c == 0) for c in range(self.shape[1]))
        narrowest = self._prefix() + max(self._cell_width(c, True) for c in range(self.shape[1]))
        title = len(self.title) if self.title else 0
        return Measurement(narrowest, max(full, title))

    # -- rendering ------------------------------------------------------------------------------

    def _cell(self, r: int, c: int, plain: bool, first: bool) -> list[tuple[str, str]]:
        text, w = self.texts[r][c], self.widths[c]
        if not self.marked:
            lead = "" if first else " " * COLUMN_GAP
            return [(lead + text.rjust(w), "")]
        in_window = self.window is not None and bool(self.window[r, c])
        is_pad = self.padding is not None and bool(self.padding[r, c])
        is_winner = self.winner is not None and (r, c) == self.winner
        if plain:
            left, right = ("{", "}") if (in_window and is_pad) else ("[", "]") if in_window else \
                ("(", ")") if is_pad else (" ", " ")
            return [((left + text + right).rjust(w + 2) + ("*" if is_winner else " "), "")]
        style = WINNER_STYLE if is_winner else PAD_IN_WINDOW_STYLE if (in_window and is_pad) else \
            WINDOW_STYLE if in_window else PAD_STYLE if is_pad else ""
        pad = " " * (w - len(text))
        return [(pad, ""), (" " + text + " ", style), (" ", "")]

    def _header(self, c0: int, c1: int, plain: bool) -> list[tuple[str, str]]:
        parts = [(" " * self._prefix(), "")]
        for c in range(c0, c1):
            number = str(self.col0 + c)
            if self.marked:
                parts.append((number.rjust(self.widths[c] + 1) + "  ", INDEX_STYLE if not plain else ""))
            else:
                lead = "" if c == c0 else " " * COLUMN_GAP
                parts.append((lead + number.rjust(self.widths[c]), INDEX_STYLE if not plain else ""))
        return parts

    def _line(self, parts: list[tuple[str, str]]) -> list[Segment]:
        return rstrip_segments([Segment(text, Style.parse(style) if style else None) for text, style in parts
                                if text])

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        plain = is_plain(console)
        if self.title:
            yield Text(self.title, style="" if plain else "bold")
        blocks = self._blocks(options.max_width)
        for c0, c1 in blocks:
            if len(blocks) > 1:
                yield Text(block_label(self.lang, self.col0 + c0, self.col0 + c1 - 1), style="" if plain else "italic")
            if self.index:
                yield from self._line(self._header(c0, c1, plain))
                yield Segment.line()
            for r in range(self.shape[0]):
                parts = []
                if self.index:
                    parts.append((str(self.row0 + r).rjust(self.index_width) + " " * COLUMN_GAP,
                                  "" if plain else INDEX_STYLE))
                for c in range(c0, c1):
                    parts += self._cell(r, c, plain, c == c0)
                yield from self._line(parts)
                yield Segment.line()


def matrix_table(values, *, plain: bool | None = None, precision: int = 4, window=None, padding=None,
                 winner=None, pending=None, title: str | None = None, index: bool = True, row0: int = 0,
                 col0: int = 0, pad_text: str | None = None, lang: str = "en") -> MatrixView:
    """A :class:`MatrixView` (``plain`` is accepted for old callers: the console decides)."""
    return MatrixView(values, precision=precision, title=title, window=window, padding=padding, winner=winner,
                      pending=pending, index=index, row0=row0, col0=col0, pad_text=pad_text, lang=lang)


class SideBySide:
    """Blocks side by side, ``gap`` columns apart, wrapping to a new row where the width runs out.

    A block wider than the whole width gets a row of its own at that width (a
    :class:`MatrixView` then splits into column blocks).  Lines never end in spaces.
    """

    def __init__(self, blocks, gap: int = 3):
        self.blocks, self.gap = list(blocks), gap

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        sizes = [Measurement.get(console, options, b) for b in self.blocks]
        return Measurement(max((s.minimum for s in sizes), default=0),
                           sum(s.maximum for s in sizes) + self.gap * max(len(sizes) - 1, 0))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        rows, current, used = [], [], 0
        for block in self.blocks:
            w = min(Measurement.get(console, options, block).maximum, width)
            if current and used + self.gap + w > width:
                rows.append(current)
                current, used = [], 0
            used += w + (self.gap if current else 0)
            current.append((block, w))
        if current:
            rows.append(current)
        for row in rows:
            rendered = [(console.render_lines(b, options.update(width=w, height=None), pad=False), w)
                        for b, w in row]
            height = max(len(lines) for lines, _ in rendered)
            for n in range(height):
                line: list[Segment] = []
                for k, (lines, w) in enumerate(rendered):
                    segs = lines[n] if n < len(lines) else []
                    if k:
                        line.append(Segment(" " * self.gap))
                    line += segs
                    length = Segment.get_line_length(segs)
                    if k < len(rendered) - 1 and length < w:
                        line.append(Segment(" " * (w - length)))
                yield from rstrip_segments(line)
                yield Segment.line()


def view_range(n: int, lo: int, hi: int, limit: int = MAX_SIDE) -> tuple[int, int]:
    """[start, stop) of at most ``limit`` positions out of ``n`` that contains [lo, hi) when it can."""
    if n <= limit:
        return 0, n
    span = max(hi - lo, 1)
    start = max(0, min(lo - (limit - span) // 2, n - limit))
    return start, start + limit


def crop_note(lang: str, rows, cols, shape) -> str:
    return translate(LABEL_CROP, lang, r0=rows[0], r1=rows[1] - 1, c0=cols[0], c1=cols[1] - 1, shape=dims(shape))


def output_maps(output, lang: str, *, title_key=LABEL_OUTPUT, names=None, shape=None):
    """(title, map index or None, 2-D grid) of each output map; ``shape``: the whole output's shape the
    titles name, when ``output`` is only part of it (a trace of a photo keeps the part around its cells)."""
    output = np.asarray(output)
    shape = output.shape if shape is None else tuple(shape)
    if output.ndim <= 2:
        yield translate(title_key, lang, shape=dims(shape)), None, np.atleast_2d(output)
        return
    for f in range(output.shape[0]):  # one at a time: a view may stop early (a million maps of 2×2)
        map_shape = dims(shape[1:])
        if names and f < len(names):
            heading = translate(LABEL_CHANNEL_MAP, lang, name=names[f], shape=map_shape)
        else:
            heading = translate(LABEL_FEATURE_MAP, lang, f=f, shape=map_shape)
        yield heading, f, output[f]


def trace_output(trace):
    """(output, (r0, q0), whole shape) of a trace: the output it keeps (all of it, or for chosen cells of a
    large output the part around them), where that part starts, and the whole output's shape."""
    output = np.asarray(trace.output)
    shape = tuple(getattr(trace, "output_shape", output.shape))
    # An output replaced by the whole one (a network layer's, with its bias) starts at (0, 0) whatever was kept.
    origin = tuple(getattr(trace, "output_origin", (0, 0))) if output.shape != shape else (0, 0)
    return output, origin, shape
