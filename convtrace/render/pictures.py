"""Traces as pictures: one frame per window, drawn with Pillow, as a GIF or PNG frames.

Every number drawn comes from the trace (windows, products, totals, results,
the padded input and its padding mask, the windows' origins); nothing is
recomputed here.  A frame shows the input with its padding (hatched), the
window outlined (each cell read outlined too when the kernel is dilated), the
kernel, the products, the sum and the output filling up cell by cell.  Values
are printed in every cell over a diverging colour map: blue negative, white
zero, red positive, scaled by the largest |value| of the panel.

The layout is data (:class:`GridPanel` knows the pixel box of every cell), so
tests can check pixels where the trace says the window is.

Text uses Pillow's own scalable font (no system font paths).  That font lacks
accented letters and a few signs (× ÷ −); :func:`draw_text` draws those from
the base letter and strokes, so Spanish labels read right.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from convtrace.messages import translate
from convtrace.messages.network import (
    LABEL_FLIPPED_KERNEL,
    LABEL_STUFFED,
    LABEL_TCONV_PARAMS,
    TITLE_TCONV,
)
from convtrace.messages.pictures import (
    PIC_INPUT,
    PIC_INPUT_CHANNEL,
    PIC_LEGEND_COLOURS,
    PIC_LEGEND_PADDING,
    PIC_LEGEND_PENDING,
    PIC_LEGEND_TAP,
    PIC_LEGEND_WINDOW,
    PIC_LEGEND_WINNER,
    PIC_OUTPUT,
    PIC_OUTPUT_MAP,
    PIC_STUFFED_ZERO,
)
from convtrace.messages.views import (
    LABEL_AVG,
    LABEL_BIAS,
    LABEL_CHANNEL,
    LABEL_FLIPPED,
    LABEL_KERNEL,
    LABEL_KERNEL_SCALE,
    LABEL_PRODUCTS,
    LABEL_STEP,
    LABEL_SUM,
    LABEL_WINDOW,
    LABEL_WINNER,
)
from convtrace.render.matrix import fmt_number

#: Pixels of a cell (at least; wider when its numbers need it).
CELL = 36
CELL_H = 30
#: Widest frame; panels that do not fit move to the next row.
MAX_WIDTH = 1600
#: Largest matrix side drawn whole; a bigger one (a photo) shows the part around the window.
MAX_SIDE = 14
#: Most frames an animation holds unless cells are picked.
FRAME_CAP = 100
#: Frames per second: default and bounds.
FPS_DEFAULT, FPS_MIN, FPS_MAX = 1.0, 0.1, 30.0
#: Most taps whose products are written out as "v × w = p" beside the product grid.
EQUATION_TAPS = 16
#: Most taps per channel drawn as a product grid; larger windows show only the sum.
PRODUCT_GRID_TAPS = 64

MARGIN = 16
GAP = 28
VALUE_SIZE = 13
LABEL_SIZE = 15
TITLE_SIZE = 18
INDEX_SIZE = 11

WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
GRID_LINE = (150, 150, 150)
INDEX_INK = (120, 120, 150)
PAD_INK = (95, 95, 95)
HATCH = (170, 170, 170)
PENDING = (236, 236, 236)
WINDOW = (255, 150, 0)      # the window, the cells it reads and the output cell being computed
WINNER = (0, 150, 60)       # the cell a max/min pool takes
NEGATIVE = (33, 102, 172)   # RdBu's ends
POSITIVE = (178, 24, 43)
TITLE_INK = (20, 40, 90)


# --------------------------------------------------------------------------- colours


def diverging(value: float, vmax: float) -> tuple[int, int, int]:
    """Blue for negative, white for zero, red for positive; full colour at ±vmax."""
    if not vmax or not np.isfinite(value):
        return WHITE
    t = max(-1.0, min(1.0, float(value) / float(vmax)))
    end = NEGATIVE if t < 0 else POSITIVE
    a = abs(t)
    return tuple(int(round(255 + (e - 255) * a)) for e in end)  # type: ignore[return-value]


def ink_on(bg: tuple[int, int, int]) -> tuple[int, int, int]:
    """Black or white text, whichever reads on ``bg``."""
    r, g, b = bg[:3]
    return BLACK if 0.299 * r + 0.587 * g + 0.114 * b > 140 else WHITE


def _vmax(values) -> float:
    arr = np.asarray(values, dtype=np.float64)
    arr = arr[np.isfinite(arr)]
    return float(np.max(np.abs(arr))) if arr.size else 0.0


# --------------------------------------------------------------------------- text


@lru_cache(maxsize=16)
def font(size: int):
    """Pillow's scalable default font (Pillow ≥ 10.1), else its bitmap one."""
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # pragma: no cover - Pillow < 10.1
        return ImageFont.load_default()


@lru_cache(maxsize=4096)
def _has_glyph(size: int, char: str) -> bool:
    f = font(size)
    if not hasattr(f, "getmask"):  # pragma: no cover
        return True
    try:
        missing = bytes(f.getmask("\U000f0000"))
        return char.isspace() or bytes(f.getmask(char)) != missing
    except Exception:  # pragma: no cover - a font without the method
        return True


#: Signs the default font lacks, drawn with strokes in the space of a stand-in glyph.
_STROKED = {"×": "+", "÷": "+", "−": "+", "–": "-", "—": "-", "Σ": "E"}
_ACCENTS = {"\u0301": "acute", "\u0300": "grave", "\u0303": "tilde", "\u0308": "diaeresis"}
_PLAIN = {"\u2010": "-", "\u2011": "-", "\u00a0": " ", "→": "->", "≈": "~", "≤": "<=", "≥": ">=", "⌊": "[", "⌋": "]", "⌈": "[", "⌉": "]", "°": "o",
          "¿": "?", "¡": "!", "²": "2", "³": "3", "∞": "inf", "±": "+/-", "★": "*"}


def _pieces(text: str, size: int) -> list[tuple[str, str, str | None]]:
    """``text`` as (drawn glyph text, original char, how to draw) pieces the default font can show."""
    out = []
    for ch in text:
        if _has_glyph(size, ch):
            out.append((ch, ch, None))
            continue
        if ch in _STROKED:
            out.append((_STROKED[ch], ch, "stroke"))
            continue
        parts = unicodedata.normalize("NFD", ch)
        if len(parts) == 2 and parts[1] in _ACCENTS and _has_glyph(size, parts[0]):
            base = "ı" if parts[0] == "i" and _has_glyph(size, "ı") else parts[0]
            out.append((base, ch, _ACCENTS[parts[1]]))
            continue
        plain = _PLAIN.get(ch) or unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode() or "?"
        out.append((plain, ch, None))
    return out


def text_width(text: str, size: int) -> int:
    f = font(size)
    return int(round(sum(f.getlength(glyphs) for glyphs, _, _ in _pieces(text, size))))


def text_height(size: int) -> int:
    return size + max(3, size // 3)


def draw_text(draw: ImageDraw.ImageDraw, xy, text: str, size: int, fill=BLACK) -> int:
    """Draw ``text`` at ``xy`` (top-left); returns its width.  Accents and × ÷ − are drawn by hand."""
    f = font(size)
    x, y = float(xy[0]), float(xy[1])
    start = x
    stroke = max(1, size // 11)
    for glyphs, original, how in _pieces(text, size):
        width = f.getlength(glyphs)
        if how == "stroke":
            _draw_sign(draw, original, x, y, width, size, fill, stroke)
        else:
            draw.text((x, y), glyphs, font=f, fill=fill)
            if how is not None:
                _draw_accent(draw, how, x, y, glyphs, f, fill, stroke, size)
        x += width
    return int(round(x - start))


def _draw_sign(draw, sign: str, x: float, y: float, width: float, size: int, fill, stroke: int) -> None:
    f = font(size)
    box = f.getbbox("+")
    cx = x + width / 2
    cy = y + (box[1] + box[3]) / 2
    half = max(2.0, (box[2] - box[0]) / 2 - 1)
    if sign == "×":
        h = half * 0.75
        draw.line([(cx - h, cy - h), (cx + h, cy + h)], fill=fill, width=stroke)
        draw.line([(cx - h, cy + h), (cx + h, cy - h)], fill=fill, width=stroke)
    elif sign == "÷":
        draw.line([(cx - half, cy), (cx + half, cy)], fill=fill, width=stroke)
        r = max(1.0, stroke * 0.9)
        for dy in (-half * 0.7, half * 0.7):
            draw.ellipse([cx - r, cy + dy - r, cx + r, cy + dy + r], fill=fill)
    elif sign == "Σ":
        draw.text((x, y), "E", font=f, fill=fill)
    else:  # − – —
        draw.line([(cx - half, cy), (cx + half, cy)], fill=fill, width=stroke)


def _draw_accent(draw, how: str, x: float, y: float, base: str, f, fill, stroke: int, size: int) -> None:
    box = f.getbbox(base)
    cx = x + (box[0] + box[2]) / 2
    top = y + box[1] - max(2, size // 7)
    span = max(2.0, size / 6)
    if how == "acute":
        draw.line([(cx - span / 3, top), (cx + span / 2, top - span * 0.8)], fill=fill, width=stroke)
    elif how == "grave":
        draw.line([(cx + span / 3, top), (cx - span / 2, top - span * 0.8)], fill=fill, width=stroke)
    elif how == "tilde":
        pts = [(cx - span, top - span * 0.2), (cx - span / 3, top - span * 0.7), (cx + span / 3, top - span * 0.2),
               (cx + span, top - span * 0.7)]
        draw.line(pts, fill=fill, width=stroke)
    else:  # diaeresis
        r = max(1.0, stroke * 0.9)
        for dx in (-span / 2, span / 2):
            draw.ellipse([cx + dx - r, top - span * 0.5 - r, cx + dx + r, top - span * 0.5 + r], fill=fill)


# --------------------------------------------------------------------------- panels


@dataclass
class Panel:
    """Something drawn at (x, y) with a width and a height; ``role`` names it for tests and layouts."""

    role: str = ""
    x: int = 0
    y: int = 0

    @property
    def size(self) -> tuple[int, int]:  # pragma: no cover - every panel says
        raise NotImplementedError

    def draw(self, draw: ImageDraw.ImageDraw) -> None:  # pragma: no cover
        raise NotImplementedError


@dataclass
class TextPanel(Panel):
    lines: list[tuple[str, int, tuple]] = field(default_factory=list)   # (text, font size, colour)

    @property
    def size(self) -> tuple[int, int]:
        if not self.lines:
            return (0, 0)
        return (max(text_width(t, s) for t, s, _ in self.lines), sum(text_height(s) for _, s, _ in self.lines))

    def draw(self, draw) -> None:
        y = self.y
        for text, size, ink in self.lines:
            draw_text(draw, (self.x, y), text, size, ink)
            y += text_height(size)


@dataclass
class GridPanel(Panel):
    """A matrix drawn as cells with their values, over the diverging colour map.

    ``values`` is the part shown; ``row0``/``col0`` its place in the whole matrix, so
    :meth:`cell_box` takes whole-matrix coordinates (padded coordinates for an input).
    Marks are whole-matrix masks or cells: ``padding`` (hatched), ``pending`` (not computed
    yet, drawn empty), ``taps`` (outlined), ``window`` (one outline round its span), ``winner``.
    """

    values: np.ndarray = None
    title: str = ""
    row0: int = 0
    col0: int = 0
    vmax: float = 0.0
    precision: int = 4
    padding: np.ndarray | None = None
    pending: np.ndarray | None = None
    taps: list[tuple[int, int]] = field(default_factory=list)
    window: tuple[int, int, int, int] | None = None     # (r0, c0, r1, c1) inclusive, whole-matrix cells
    winner: tuple[int, int] | None = None
    index: bool = True
    cell_w: int = CELL
    cell_h: int = CELL_H
    texts: np.ndarray | None = None   # the text of each shown cell (None: its value)

    def __post_init__(self) -> None:
        self.values = np.asarray(self.values)
        if self.values.ndim == 1:
            self.values = self.values[None, :]
        if self.texts is None:
            self.texts = np.array([[fmt_number(v, self.precision) for v in row] for row in self.values.tolist()],
                                  dtype=object).reshape(self.values.shape)
        widest = max((text_width(str(t), VALUE_SIZE) for t in self.texts.ravel()), default=0)
        self.cell_w = max(self.cell_w, widest + 10)

    @property
    def index_w(self) -> int:
        if not self.index:
            return 0
        last = self.row0 + self.values.shape[0] - 1
        return text_width(str(last), INDEX_SIZE) + 6

    @property
    def title_h(self) -> int:
        return text_height(LABEL_SIZE) + 2 if self.title else 0

    @property
    def index_h(self) -> int:
        return text_height(INDEX_SIZE) if self.index else 0

    @property
    def grid_origin(self) -> tuple[int, int]:
        return (self.x + self.index_w, self.y + self.title_h + self.index_h)

    @property
    def size(self) -> tuple[int, int]:
        rows, cols = self.values.shape
        w = self.index_w + cols * self.cell_w + 4
        w = max(w, text_width(self.title, LABEL_SIZE) if self.title else 0)
        return (w, self.title_h + self.index_h + rows * self.cell_h + 4)

    def cell_box(self, r: int, c: int) -> tuple[int, int, int, int] | None:
        """Pixel box (x0, y0, x1, y1) of whole-matrix cell (r, c), or None when it is not shown."""
        i, j = r - self.row0, c - self.col0
        rows, cols = self.values.shape
        if not (0 <= i < rows and 0 <= j < cols):
            return None
        gx, gy = self.grid_origin
        return (gx + j * self.cell_w, gy + i * self.cell_h, gx + (j + 1) * self.cell_w, gy + (i + 1) * self.cell_h)

    def _mark(self, mask, r, c) -> bool:
        return mask is not None and bool(mask[r, c])

    def draw(self, draw) -> None:
        if self.title:
            draw_text(draw, (self.x, self.y), self.title, LABEL_SIZE, TITLE_INK)
        rows, cols = self.values.shape
        gx, gy = self.grid_origin
        if self.index:
            for j in range(cols):
                label = str(self.col0 + j)
                w = text_width(label, INDEX_SIZE)
                draw_text(draw, (gx + j * self.cell_w + (self.cell_w - w) / 2, gy - self.index_h), label,
                          INDEX_SIZE, INDEX_INK)
            for i in range(rows):
                label = str(self.row0 + i)
                w = text_width(label, INDEX_SIZE)
                draw_text(draw, (gx - w - 4, gy + i * self.cell_h + (self.cell_h - INDEX_SIZE) / 2 - 2), label,
                          INDEX_SIZE, INDEX_INK)
        for i in range(rows):
            for j in range(cols):
                r, c = self.row0 + i, self.col0 + j
                x0, y0, x1, y1 = self.cell_box(r, c)
                value = self.values[i, j]
                pending = self._mark(self.pending, r, c)
                pad = self._mark(self.padding, r, c)
                if pending:
                    bg = PENDING
                else:
                    bg = diverging(value, self.vmax) if np.issubdtype(np.asarray(value).dtype, np.number) else WHITE
                    if pad:
                        bg = tuple((a + 2 * b) // 3 for a, b in zip(bg, (215, 215, 215), strict=True))
                draw.rectangle([x0, y0, x1, y1], fill=bg, outline=GRID_LINE)
                if pad:
                    for k in range(-self.cell_h, self.cell_w, 7):
                        a = (x0 + max(k, 0), y0 + max(-k, 0))
                        bx = min(x1, x0 + k + self.cell_h)
                        b = (bx, y0 + (bx - x0 - k))
                        draw.line([a, b], fill=HATCH, width=1)
                text = "·" if pending else str(self.texts[i, j])
                ink = PAD_INK if pad else (GRID_LINE if pending else ink_on(bg))
                w = text_width(text, VALUE_SIZE)
                draw_text(draw, (x0 + (self.cell_w - w) / 2, y0 + (self.cell_h - VALUE_SIZE) / 2 - 2), text,
                          VALUE_SIZE, ink)
        if self.winner is not None and self.cell_box(*self.winner) is not None:
            x0, y0, x1, y1 = self.cell_box(*self.winner)
            draw.rectangle([x0 + 3, y0 + 3, x1 - 3, y1 - 3], outline=WINNER, width=3)
        for r, c in self.taps:
            box = self.cell_box(r, c)
            if box is not None:
                draw.rectangle([box[0] + 1, box[1] + 1, box[2] - 1, box[3] - 1], outline=WINDOW, width=2)
        if self.window is not None:
            r0, c0, r1, c1 = self.window
            r0, c0 = max(r0, self.row0), max(c0, self.col0)
            r1, c1 = min(r1, self.row0 + rows - 1), min(c1, self.col0 + cols - 1)
            if r0 <= r1 and c0 <= c1:
                a, b = self.cell_box(r0, c0), self.cell_box(r1, c1)
                draw.rectangle([a[0] - 1, a[1] - 1, b[2] + 1, b[3] + 1], outline=WINDOW, width=4)


@dataclass
class LegendPanel(Panel):
    """Swatches with their meaning, on one line."""

    items: list[tuple[str, str]] = field(default_factory=list)   # (kind, label)

    @property
    def size(self) -> tuple[int, int]:
        w = sum(22 + text_width(label, INDEX_SIZE + 1) + 18 for _, label in self.items)
        return (w, 20 if self.items else 0)

    def draw(self, draw) -> None:
        x = self.x
        for kind, label in self.items:
            box = [x, self.y + 2, x + 16, self.y + 16]
            if kind == "window":
                draw.rectangle(box, fill=WHITE, outline=WINDOW, width=3)
            elif kind == "padding":
                draw.rectangle(box, fill=(215, 215, 215), outline=GRID_LINE)
                for k in range(-16, 16, 6):
                    draw.line([(box[0] + max(k, 0), box[1] + max(-k, 0)),
                               (min(box[2], box[0] + k + 14), box[1] + min(14, 14 - k) if k > 0 else box[3])],
                              fill=HATCH)
            elif kind == "winner":
                draw.rectangle(box, fill=WHITE, outline=WINNER, width=3)
            elif kind == "pending":
                draw.rectangle(box, fill=PENDING, outline=GRID_LINE)
            elif kind == "tap":
                draw.rectangle(box, fill=WHITE, outline=WINDOW, width=2)
            elif kind == "colours":
                half = (box[2] - box[0]) // 2
                draw.rectangle([box[0], box[1], box[0] + half, box[3]], fill=NEGATIVE)
                draw.rectangle([box[0] + half, box[1], box[2], box[3]], fill=POSITIVE)
            x += 22
            x += draw_text(draw, (x, self.y + 2), label, INDEX_SIZE + 1, PAD_INK) + 18


@dataclass
class Layout:
    """A frame's panels, placed; ``panels`` by role ("input", "kernel", "products", "output" …)."""

    width: int
    height: int
    panels: list[Panel]

    def find(self, role: str) -> list[Panel]:
        return [p for p in self.panels if p.role == role]

    def render(self, size: tuple[int, int] | None = None) -> Image.Image:
        img = Image.new("RGB", size or (self.width, self.height), WHITE)
        draw = ImageDraw.Draw(img)
        for panel in self.panels:
            panel.draw(draw)
        return img


def arrange(header: list[Panel], blocks: list[list[Panel]], footer: list[Panel]) -> Layout:
    """Header panels stacked, then blocks (each a column of panels) left to right, wrapping at
    :data:`MAX_WIDTH`, then footer panels stacked."""
    placed: list[Panel] = []
    y = MARGIN
    width = 0
    for p in header:
        p.x, p.y = MARGIN, y
        w, h = p.size
        width = max(width, MARGIN + w)
        y += h + 4
    y += 6
    x, row_h = MARGIN, 0
    for block in blocks:
        bw = max(p.size[0] for p in block)
        bh = sum(p.size[1] for p in block) + 10 * (len(block) - 1)
        if x > MARGIN and x + bw > MAX_WIDTH - MARGIN:
            x, y = MARGIN, y + row_h + GAP
            row_h = 0
        yy = y
        for p in block:
            p.x, p.y = x, yy
            yy += p.size[1] + 10
        x += bw + GAP
        width = max(width, x - GAP)
        row_h = max(row_h, bh)
    y += row_h + 12
    for p in footer:
        p.x, p.y = MARGIN, y
        w, h = p.size
        width = max(width, MARGIN + w)
        y += h + 4
    placed = [*header, *(p for b in blocks for p in b), *footer]
    return Layout(width=min(MAX_WIDTH, width + MARGIN + 8), height=y + MARGIN, panels=placed)


# --------------------------------------------------------------------------- crops


def view_range(n: int, lo: int, hi: int, limit: int = MAX_SIDE) -> tuple[int, int]:
    """Rows lo…hi−1 and what fits around them, within 0…n (all of them when n ≤ limit)."""
    if n <= limit:
        return 0, n
    limit = max(limit, hi - lo)
    start = max(0, min(lo - (limit - (hi - lo)) // 2, n - limit))
    return start, start + limit


def shape_text(shape) -> str:
    return "×".join(str(int(v)) for v in shape)


def _crop(values: np.ndarray, rows, cols) -> np.ndarray:
    return values[rows[0]:rows[1], cols[0]:cols[1]]


# --------------------------------------------------------------------------- conv / pool frames


@dataclass
class FrameOptions:
    lang: str = "en"
    precision: int = 4
    total: int | None = None    # the number named in "Step n/total" (default: the frames)


def _input_panel(values2d, mask, origin, size, dilation, *, title, vmax, precision, winner=None,
                 values_origin=(0, 0)) -> GridPanel:
    """``values2d`` may be part of the padded input (a large input's trace keeps the part around its
    windows), from padded (row, col) ``values_origin``; ``mask`` is the full padding mask."""
    kh, kw = size
    dh, dw = dilation
    span = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    rows = view_range(mask.shape[0], origin[0], origin[0] + span[0], max(MAX_SIDE, span[0] + 2))
    cols = view_range(mask.shape[1], origin[1], origin[1] + span[1], max(MAX_SIDE, span[1] + 2))
    r0, c0 = values_origin
    values2d = values2d[max(rows[0] - r0, 0):, max(cols[0] - c0, 0):]
    rows_in, cols_in = (0, rows[1] - rows[0]), (0, cols[1] - cols[0])
    taps = []
    if dh > 1 or dw > 1:
        taps = [(origin[0] + a * dh, origin[1] + b * dw) for a in range(kh) for b in range(kw)]
    return GridPanel(role="input", values=_crop(values2d, rows_in, cols_in), title=title, row0=rows[0],
                     col0=cols[0], vmax=vmax, precision=precision, padding=mask, taps=taps,
                     window=(origin[0], origin[1], origin[0] + span[0] - 1, origin[1] + span[1] - 1),
                     winner=winner)


def _output_panel(output2d, pending, focus, *, title, vmax, precision) -> GridPanel:
    rows = view_range(output2d.shape[0], focus[0], focus[0] + 1)
    cols = view_range(output2d.shape[1], focus[1], focus[1] + 1)
    return GridPanel(role="output", values=_crop(output2d, rows, cols), title=title, row0=rows[0], col0=cols[0],
                     vmax=vmax, precision=precision, pending=pending,
                     window=(focus[0], focus[1], focus[0], focus[1]))


def _pending(cells: np.ndarray, n: int, shape3) -> np.ndarray:
    """(maps, rows, cols) True where the output is not computed yet at step n."""
    pending = np.ones(shape3, dtype=bool)
    done = cells[: n + 1]
    pending[done[:, 0], done[:, 1], done[:, 2]] = False
    return pending


def _output3(output) -> np.ndarray:
    out = np.asarray(output)
    return out[None] if out.ndim == 2 else out


def _channel_title(c: int, shape, names, lang: str) -> str:
    name = f"{c} ({names[c]})" if names and 0 <= c < len(names) else str(c)
    return translate(PIC_INPUT_CHANNEL, lang, c=name, shape=shape_text(shape))


def _step_line(trace, n: int, opts: FrameOptions, out_index) -> str:
    index = "[" + ", ".join(str(v) for v in out_index) + "]"
    origin = trace.origins[n]
    return translate(LABEL_STEP, opts.lang, n=n + 1, total=opts.total or len(trace), index=index,
                     row=int(origin[0]), col=int(origin[1]))


def _scale_text(scale) -> str:
    return str(scale)


def conv_layout(trace, n: int, opts: FrameOptions | None = None) -> Layout:
    """The layout of step ``n`` of a :class:`~convtrace.convolution.ConvTrace`."""
    from convtrace.render.views import conv_title

    opts = opts or FrameOptions()
    lang, prec = opts.lang, opts.precision
    f = lambda v: fmt_number(v, prec)  # noqa: E731
    step = trace.step(n)
    spec = trace.spec
    fmap = int(trace.cells[n, 0])
    origin = step.origin
    g, kh, kw = step.window.shape
    first = step.channel
    names = trace.channel_names
    in_vmax = _vmax(trace.padded)
    hp, wp = trace.pad_mask.shape
    c_in = trace.padded.shape[0]
    inputs = []
    for k in range(g):
        c = first + k
        if c_in == 1:
            title = translate(PIC_INPUT, lang, shape=shape_text((hp, wp)))
        else:
            title = _channel_title(c, (hp, wp), names, lang)
        inputs.append(_input_panel(trace.padded[c], trace.pad_mask, origin, (kh, kw), spec.dilation, title=title,
                                   vmax=in_vmax, precision=prec,
                                   values_origin=getattr(trace, "padded_origin", (0, 0))))
    weights = trace.weights[fmap]
    kernel_title = translate(LABEL_FLIPPED if spec.flip else LABEL_KERNEL, lang)
    if trace.scale != 1:
        kernel_title = translate(LABEL_KERNEL_SCALE, lang, scale=_scale_text(trace.scale))
        if spec.flip:
            kernel_title = translate(LABEL_FLIPPED, lang).split(" (")[0] + f" × {trace.scale}"
    w_vmax = _vmax(weights)
    def per_channel(title: str, k: int) -> str:
        return title if g == 1 else f"{title if k == 0 else ''} · {translate(LABEL_CHANNEL, lang, c=first + k)}".lstrip()

    kernels = [GridPanel(role="kernel", values=weights[k], title=per_channel(kernel_title, k),
                         vmax=w_vmax, precision=prec, index=False) for k in range(g)]
    blocks: list[list[Panel]] = [inputs, kernels]
    taps = g * kh * kw
    if kh * kw <= PRODUCT_GRID_TAPS:
        p_vmax = _vmax(trace.products)
        products = [GridPanel(role="products", values=step.products[k], title=per_channel(translate(LABEL_PRODUCTS, lang), k), vmax=p_vmax, precision=prec, index=False) for k in range(g)]
        blocks.append(products)
    if taps <= EQUATION_TAPS:
        lines = []
        for k in range(g):
            if g > 1:
                lines.append((_channel_title(first + k, (hp, wp), names, lang).split(" (")[0] + ":", INDEX_SIZE + 1,
                              TITLE_INK))
            for a in range(kh):
                for b in range(kw):
                    lines.append((f"{f(step.window[k, a, b])} × {f(step.weights[k, a, b])} = "
                                  f"{f(step.products[k, a, b])}", VALUE_SIZE, BLACK))
        blocks.append([TextPanel(role="equations", lines=[(" ", LABEL_SIZE, BLACK), *lines])])
    out3 = _output3(trace.output)
    pending = _pending(trace.cells, n, out3.shape)
    oi, oj = int(trace.cells[n, 1]), int(trace.cells[n, 2])
    shape = shape_text(out3.shape[1:])
    out_title = translate(PIC_OUTPUT, lang, shape=shape) if out3.shape[0] == 1 else \
        translate(PIC_OUTPUT_MAP, lang, f=fmap, shape=shape)
    blocks.append([_output_panel(out3[fmap], pending[fmap], (oi, oj), title=out_title, vmax=_vmax(out3),
                                 precision=prec)])
    # the sum line
    if g > 1 and step.subtotals is not None:
        total_text = " + ".join(f(v) for v in np.asarray(step.subtotals).tolist()) + f" = {f(step.total)}"
    else:
        total_text = f(step.total)
    sum_text = f"{translate(LABEL_SUM, lang)} = {total_text}"
    if trace.scale != 1:
        sum_text += f"   × {trace.scale}" + ("" if step.bias is not None else f" = {f(step.result)}")
    if step.bias is not None:
        sum_text += f"   + {translate(LABEL_BIAS, lang)} {f(step.bias)} = {f(step.result)}"
    title, params = conv_title(trace, lang)
    header = [TextPanel(role="title", lines=[(title, TITLE_SIZE, TITLE_INK), (params, LABEL_SIZE, PAD_INK),
                                             (_step_line(trace, n, opts, step.out_index), LABEL_SIZE, BLACK)])]
    legend = [("window", translate(PIC_LEGEND_WINDOW, lang))]
    if trace.pad_mask.any():
        legend.append(("padding", translate(PIC_LEGEND_PADDING, lang)))
    if max(spec.dilation) > 1:
        legend.append(("tap", translate(PIC_LEGEND_TAP, lang)))
    legend += [("pending", translate(PIC_LEGEND_PENDING, lang)), ("colours", translate(PIC_LEGEND_COLOURS, lang))]
    footer = [TextPanel(role="sum", lines=[(sum_text, TITLE_SIZE, BLACK)]), LegendPanel(role="legend", items=legend)]
    return arrange(header, blocks, footer)


def pool_layout(trace, n: int, opts: FrameOptions | None = None) -> Layout:
    """The layout of step ``n`` of a :class:`~convtrace.pooling.PoolTrace`."""
    from convtrace.render.views import pool_title

    opts = opts or FrameOptions()
    lang, prec = opts.lang, opts.precision
    f = lambda v: fmt_number(v, prec)  # noqa: E731
    step = trace.step(n)
    op = trace.operation
    c = step.channel
    kh, kw = op.size
    dh, dw = op.dilation
    origin = step.origin
    winner = None
    if step.winner is not None:
        winner = (origin[0] + step.winner[0] * dh, origin[1] + step.winner[1] * dw)
    hp, wp = trace.pad_mask.shape
    title = translate(PIC_INPUT, lang, shape=shape_text((hp, wp))) if trace.padded.shape[0] == 1 else \
        _channel_title(c, (hp, wp), trace.channel_names, lang)
    panel = _input_panel(trace.padded[c], trace.pad_mask, origin, (kh, kw), (dh, dw), title=title,
                         vmax=_vmax(trace.padded), precision=prec, winner=winner,
                         values_origin=getattr(trace, "padded_origin", (0, 0)))
    out3 = _output3(trace.output)
    pending = _pending(trace.cells, n, out3.shape)
    oi, oj = int(trace.cells[n, 1]), int(trace.cells[n, 2])
    shape = shape_text(out3.shape[1:])
    out_title = translate(PIC_OUTPUT, lang, shape=shape) if out3.shape[0] == 1 else \
        translate(PIC_OUTPUT_MAP, lang, f=c, shape=shape)
    window = GridPanel(role="window", values=step.window, title=translate(LABEL_WINDOW, lang), vmax=_vmax(trace.padded), precision=prec, index=False,
                       padding=~np.asarray(step.inside, dtype=bool), winner=step.winner)
    blocks = [[panel], [window], [_output_panel(out3[c], pending[c], (oi, oj), title=out_title, vmax=_vmax(out3),
                                                precision=prec)]]
    mode = trace.mode
    if mode in ("max", "min") and step.winner is not None:
        result = translate(LABEL_WINNER, lang, mode=mode, value=f(step.result), a=step.winner[0], b=step.winner[1])
    elif mode == "avg":
        result = translate(LABEL_AVG, lang, total=f(step.total), divisor=step.divisor, result=f(step.result))
    else:
        result = f"{translate(LABEL_SUM, lang)} = {f(step.result)}"
    ptitle, params = pool_title(trace, lang)
    header = [TextPanel(role="title", lines=[(ptitle, TITLE_SIZE, TITLE_INK), (params, LABEL_SIZE, PAD_INK),
                                             (_step_line(trace, n, opts, step.out_index), LABEL_SIZE, BLACK)])]
    legend = [("window", translate(PIC_LEGEND_WINDOW, lang))]
    if trace.pad_mask.any():
        legend.append(("padding", translate(PIC_LEGEND_PADDING, lang)))
    if mode in ("max", "min"):
        legend.append(("winner", translate(PIC_LEGEND_WINNER, lang)))
    legend += [("pending", translate(PIC_LEGEND_PENDING, lang)), ("colours", translate(PIC_LEGEND_COLOURS, lang))]
    footer = [TextPanel(role="sum", lines=[(result, TITLE_SIZE, BLACK)]), LegendPanel(role="legend", items=legend)]
    return arrange(header, blocks, footer)


def tconv_layout(trace, n: int, opts: FrameOptions | None = None) -> Layout:
    """Step ``n`` of a transposed convolution in the gather view: the flipped kernel over the input
    with zeros stuffed between its cells and around it (stuffed zeros hatched)."""
    opts = opts or FrameOptions()
    lang, prec = opts.lang, opts.precision
    f = lambda v: fmt_number(v, prec)  # noqa: E731
    op = trace.operation
    step = trace.step(n)
    co, oi, oj = (int(v) for v in trace.cells[n])
    stuffed, real = op.stuffed_input()
    c_in, kh, kw = step.window.shape
    dil = op.spec.dilation
    vmax = _vmax(stuffed)
    inputs = []
    for c in range(c_in):
        title = f"{translate(LABEL_STUFFED, lang)} ({shape_text(stuffed.shape[1:])})" if c_in == 1 else \
            _channel_title(c, stuffed.shape[1:], None, lang)
        inputs.append(_input_panel(stuffed[c], ~real, (oi, oj), (kh, kw), dil, title=title, vmax=vmax,
                                   precision=prec))
    w_vmax = _vmax(step.weights)
    kernels = [GridPanel(role="kernel", values=step.weights[c], title=translate(LABEL_FLIPPED_KERNEL, lang)
                         if c == 0 else "", vmax=w_vmax, precision=prec, index=False) for c in range(c_in)]
    p_vmax = _vmax(trace.products)
    products = [GridPanel(role="products", values=step.products[c], title=translate(LABEL_PRODUCTS, lang)
                          if c == 0 else "", vmax=p_vmax, precision=prec, index=False) for c in range(c_in)]
    out3 = _output3(trace.output)
    pending = _pending(trace.cells, n, out3.shape)
    shape = shape_text(out3.shape[1:])
    out_title = translate(PIC_OUTPUT, lang, shape=shape) if out3.shape[0] == 1 else \
        translate(PIC_OUTPUT_MAP, lang, f=co, shape=shape)
    blocks = [inputs, kernels, products,
              [_output_panel(out3[co], pending[co], (oi, oj), title=out_title, vmax=_vmax(out3), precision=prec)]]
    s = op.spec
    pair = lambda p: str(p[0]) if p[0] == p[1] else f"{p[0]},{p[1]}"  # noqa: E731
    params = translate(LABEL_TCONV_PARAMS, lang, stride=pair(s.stride), padding=pair(s.padding),
                       output_padding=pair(s.output_padding), dilation=pair(s.dilation))
    index = "[" + ", ".join(str(v) for v in step.out_index) + "]"
    step_line = translate(LABEL_STEP, lang, n=n + 1, total=opts.total or len(trace), index=index, row=oi, col=oj)
    header = [TextPanel(role="title", lines=[(translate(TITLE_TCONV, lang), TITLE_SIZE, TITLE_INK),
                                             (params, LABEL_SIZE, PAD_INK), (step_line, LABEL_SIZE, BLACK)])]
    sum_text = f"{translate(LABEL_SUM, lang)} = {f(step.result)}"
    legend = [("window", translate(PIC_LEGEND_WINDOW, lang)), ("padding", translate(PIC_STUFFED_ZERO, lang))]
    if max(dil) > 1:
        legend.append(("tap", translate(PIC_LEGEND_TAP, lang)))
    legend += [("pending", translate(PIC_LEGEND_PENDING, lang)), ("colours", translate(PIC_LEGEND_COLOURS, lang))]
    footer = [TextPanel(role="sum", lines=[(sum_text, TITLE_SIZE, BLACK)]), LegendPanel(role="legend", items=legend)]
    return arrange(header, blocks, footer)


def trace_layout(trace, n: int, opts: FrameOptions | None = None) -> Layout:
    """The layout of step ``n`` of any trace (conv, pool or transposed conv)."""
    from convtrace.convolution import ConvTrace
    from convtrace.pooling import PoolTrace

    if isinstance(trace, ConvTrace):
        return conv_layout(trace, n, opts)
    if isinstance(trace, PoolTrace):
        return pool_layout(trace, n, opts)
    return tconv_layout(trace, n, opts)


def trace_frames(trace, *, lang: str = "en", precision: int = 4, total: int | None = None,
                 limit: int = FRAME_CAP) -> list[Image.Image]:
    """One picture per traced window (at most ``limit``), all the same size."""
    opts = FrameOptions(lang=lang, precision=precision, total=total)
    layouts = [trace_layout(trace, n, opts) for n in range(min(len(trace), limit))]
    size = (max(lay.width for lay in layouts), max(lay.height for lay in layouts))
    return [lay.render(size) for lay in layouts]


# --------------------------------------------------------------------------- files


def clamp_fps(fps: float) -> float:
    return max(FPS_MIN, min(FPS_MAX, float(fps)))


def gif_bytes(frames: list[Image.Image], fps: float = FPS_DEFAULT) -> bytes:
    """The frames as a looping GIF, each shown 1/fps seconds (in GIF's 10 ms steps)."""
    duration = int(round(1000.0 / clamp_fps(fps) / 10.0)) * 10
    paletted = [im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
                for im in frames]
    buffer = io.BytesIO()
    first, rest = paletted[0], paletted[1:]
    first.save(buffer, format="GIF", save_all=True, append_images=rest, duration=duration, loop=0,
               disposal=1, optimize=False)
    return buffer.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def image_bytes(image: Image.Image, suffix: str) -> bytes:
    """A picture as PNG, JPEG or WebP bytes, by the file's suffix."""
    fmt = {".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}.get(suffix.lower(), "PNG")
    if fmt == "PNG":
        return png_bytes(image)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format=fmt, quality=92)
    return buffer.getvalue()


# --------------------------------------------------------------------------- feature maps


@dataclass
class MapsLayout:
    """The feature-map picture's layout: ``tiles[row][col]`` is the pixel box of a map."""

    width: int
    height: int
    rows: list[str]
    tiles: list[list[tuple[int, int, int, int]]]


#: Most maps drawn per layer (the rest are counted) and the largest tile side.
MAPS_PER_ROW = 16
TILE = 96


def _as_maps(values) -> list[np.ndarray]:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 3:
        return [arr[k] for k in range(arr.shape[0])]
    if arr.ndim == 2:
        return [arr]
    return [arr.reshape(1, -1)]


def _map_image(values: np.ndarray, signed: bool, grayscale_255: bool, tile: tuple[int, int]) -> Image.Image:
    if signed:
        vmax = _vmax(values)
        rgb = np.empty(values.shape + (3,), dtype=np.uint8)
        t = np.clip(np.nan_to_num(values / vmax if vmax else values * 0), -1, 1)
        for k in range(3):
            neg = 255 + (NEGATIVE[k] - 255) * np.clip(-t, 0, 1)
            pos = 255 + (POSITIVE[k] - 255) * np.clip(t, 0, 1)
            rgb[..., k] = np.where(t < 0, neg, pos).round().astype(np.uint8)
        img = Image.fromarray(rgb, "RGB")
    else:
        top = 255.0 if grayscale_255 else _vmax(values)
        g = np.clip(np.nan_to_num(values / top * 255.0) if top else values * 0, 0, 255).round().astype(np.uint8)
        img = Image.fromarray(g, "L").convert("RGB")
    return img.resize(tile, Image.Resampling.NEAREST)


def _tile_size(shape2d) -> tuple[int, int]:
    h, w = shape2d
    if max(h, w) <= TILE:
        k = max(1, TILE // max(h, w))
        return (w * k, h * k)
    k = TILE / max(h, w)
    return (max(1, int(round(w * k))), max(1, int(round(h * k))))


def maps_picture(network, x, outputs, *, lang: str = "en") -> tuple[Image.Image, MapsLayout]:
    """Every layer's outputs as one picture: a row per layer (the input first), a column per map.

    Signed layers use the diverging map (scaled by each map's largest |value|); layers without
    negative values are grayscale (an 8-bit image's input as it is, others scaled to their max).
    """
    from convtrace.messages.pictures import MAPS_MORE, MAPS_TITLE

    rows = [(translate(PIC_INPUT, lang, shape=shape_text(np.shape(x))), np.asarray(x))]
    rows += [(f"{nl.name} ({shape_text(np.shape(out))})", np.asarray(out))
             for nl, out in zip(network.layers, outputs, strict=True)]
    label_w = max(text_width(label, LABEL_SIZE) for label, _ in rows) + 20
    title_h = text_height(TITLE_SIZE) + 10
    y = MARGIN + title_h
    tiles: list[list[tuple[int, int, int, int]]] = []
    placements = []
    width = 0
    for label, values in rows:
        maps = _as_maps(values)
        signed = bool(np.any(np.asarray(values) < 0))
        is_image = np.asarray(values).dtype == np.uint8
        shown = maps[:MAPS_PER_ROW]
        tw, th = _tile_size(shown[0].shape)
        x0 = MARGIN + label_w
        row_tiles = []
        for k, m in enumerate(shown):
            box = (x0 + k * (tw + 8), y, x0 + k * (tw + 8) + tw, y + th)
            row_tiles.append(box)
            placements.append((box, _map_image(m, signed, is_image, (tw, th))))
        more = len(maps) - len(shown)
        end = row_tiles[-1][2] + 8
        extra = translate(MAPS_MORE, lang, n=more) if more > 0 else ""
        width = max(width, end + (text_width(extra, LABEL_SIZE) + 8 if extra else 0))
        placements.append(((MARGIN, y + max(0, (th - LABEL_SIZE) // 2 - 2)), label))
        if extra:
            placements.append(((end, y + max(0, (th - LABEL_SIZE) // 2 - 2)), extra))
        tiles.append(row_tiles)
        y += max(th, text_height(LABEL_SIZE)) + 14
    title = translate(MAPS_TITLE, lang)
    width = max(width, MARGIN + text_width(title, TITLE_SIZE)) + MARGIN
    height = y + MARGIN
    img = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(img)
    draw_text(draw, (MARGIN, MARGIN), title, TITLE_SIZE, TITLE_INK)
    for where, what in placements:
        if isinstance(what, str):
            draw_text(draw, where, what, LABEL_SIZE, BLACK)
        else:
            img.paste(what, where[:2])
            draw.rectangle([where[0] - 1, where[1] - 1, where[2], where[3]], outline=GRID_LINE)
    return img, MapsLayout(width=width, height=height, rows=[label for label, _ in rows], tiles=tiles)
