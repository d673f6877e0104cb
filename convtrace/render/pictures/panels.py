"""Panels and their placement: a frame is data (each panel knows its pixel box) before it is pixels.

:class:`GridPanel` draws a matrix over the diverging colour map and knows the pixel box of every
cell, so tests can check pixels where the trace says the window is; :func:`arrange` places panels
into a :class:`Layout` that renders to an image.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

from convtrace.render.matrix import fmt_number
from convtrace.render.pictures.draw import (
    CELL,
    CELL_H,
    GAP,
    GRID_LINE,
    HATCH,
    INDEX_INK,
    INDEX_SIZE,
    LABEL_SIZE,
    MARGIN,
    MAX_WIDTH,
    NEGATIVE,
    PAD_INK,
    PENDING,
    POSITIVE,
    TITLE_INK,
    VALUE_SIZE,
    WHITE,
    WINDOW,
    WINNER,
    diverging,
    draw_text,
    ink_on,
    text_height,
    text_width,
)

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
