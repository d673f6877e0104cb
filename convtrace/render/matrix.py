"""Matrices as Rich tables: number formatting, marks for window, padding and winner, cropping.

The building blocks every view uses.  On a colour terminal the window is
highlighted and padding is dimmed; without colour (piped, NO_COLOR) the same
information is written with brackets: ``[v]`` in the window, ``(v)``
padding, ``{v}`` padding inside the window, ``*`` the winning cell.
"""

from __future__ import annotations

import numpy as np
from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from convtrace.messages import translate
from convtrace.messages.views import LABEL_CROP

WINDOW_STYLE = "bold black on yellow"
PAD_STYLE = "dim italic"
PAD_IN_WINDOW_STYLE = "italic black on yellow"
WINNER_STYLE = "bold white on red"


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


def matrix_table(values, *, plain: bool, precision: int, window=None, padding=None, winner=None,
                 pending=None, title: str | None = None):
    """A matrix as a right-aligned table under its title, with optional marks per cell.

    ``window``/``padding``/``pending`` are boolean masks; ``winner`` a (row, col).
    """
    values = np.asarray(values)
    if values.ndim == 1:
        values = values[None, :]
    table = Table(show_header=False, box=None if plain else box.SQUARE, padding=(0, 1 if not plain else 0),
                  pad_edge=False)
    texts = [["·" if pending is not None and pending[r, c] else fmt_number(values[r, c], precision)
              for c in range(values.shape[1])] for r in range(values.shape[0])]
    for c in range(values.shape[1]):
        # Numbers are never squeezed into "…": a column is at least as wide as its longest value.
        width = max(len(row[c]) for row in texts) + (3 if plain else 0)
        table.add_column(justify="right", min_width=width, no_wrap=True)
    for r in range(values.shape[0]):
        cells = []
        for c in range(values.shape[1]):
            in_window = window is not None and bool(window[r, c])
            is_pad = padding is not None and bool(padding[r, c])
            is_winner = winner is not None and (r, c) == tuple(winner)
            text = texts[r][c]
            if plain:
                left, right = ("{", "}") if (in_window and is_pad) else ("[", "]") if in_window else \
                    ("(", ")") if is_pad else (" ", " ")
                cells.append(Text(f" {left}{text}{right}{'*' if is_winner else ' '}"))
            else:
                style = WINNER_STYLE if is_winner else PAD_IN_WINDOW_STYLE if (in_window and is_pad) else \
                    WINDOW_STYLE if in_window else PAD_STYLE if is_pad else ""
                cells.append(Text(text, style=style))
        table.add_row(*cells)
    if title is None:
        return table
    return Group(Text(title, style="" if plain else "bold"), table)


#: Largest matrix side printed whole; bigger ones show the part that matters.
MAX_SIDE = 16
#: In a step, beside the kernel and the products: the window and a small margin.
STEP_SIDE = 9


def view_range(n: int, lo: int, hi: int, limit: int = MAX_SIDE) -> tuple[int, int]:
    """[start, stop) of at most ``limit`` positions out of ``n`` that contains [lo, hi) when it can."""
    if n <= limit:
        return 0, n
    span = max(hi - lo, 1)
    start = max(0, min(lo - (limit - span) // 2, n - limit))
    return start, start + limit


def crop_note(lang: str, rows, cols, shape) -> str:
    return translate(LABEL_CROP, lang, r0=rows[0], r1=rows[1] - 1, c0=cols[0], c1=cols[1] - 1, shape=dims(shape))
