"""The pictures' drawing style and text: sizes, colours, the diverging colour map and Pillow text.

Every picture (trace frames, the kernel gallery, feature maps) draws with these sizes and inks.
Text uses Pillow's own scalable font (no system font paths).  That font lacks
accented letters and a few signs (× ÷ −); :func:`draw_text` draws those from
the base letter and strokes, so Spanish labels read right.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np
from PIL import ImageDraw, ImageFont

#: Pixels of a cell (at least; wider when its numbers need it).
CELL = 36
CELL_H = 30
#: Widest frame; panels that do not fit move to the next row.
MAX_WIDTH = 1600

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
