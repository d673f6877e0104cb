"""The part of a large input or output a trace keeps: what its views can show, and no more.

A trace of a 12-megapixel photo at one cell needs a few hundred padded input values and a few
thousand output values, not the whole padded copy (hundreds of MB in int64) nor the whole output.
These helpers choose that part (:func:`neighbourhood`, :func:`output_region`) and build it through
the engine's padding index maps, converting only the input rows and columns it reads to the compute
dtype (:func:`padded_part`).  The thresholds saying when a trace keeps only a part live in
:mod:`convtrace.convolution` (``WHOLE_PADDED_CELLS``, ``WHOLE_OUTPUT_CELLS``) and come in as arguments.
"""

from __future__ import annotations

import numpy as np

from convtrace import engine
from convtrace.limits import check_parts
from convtrace.messages import Term
from convtrace.messages.params import HINT_TRACE, PART_CELLS, PART_OUTPUT, PART_PADDED, PART_WINDOWS

#: Rows and columns kept on each side of a traced window or output cell: at least what any view
#: shows around it (the terminal's ``STEP_SIDE`` 9 and ``MAX_SIDE`` 16, the pictures' ``MAX_SIDE``
#: 14, each padded view ``max(side, span + 2)``).
VIEW_SIDE = 16


def window_span(size, dilation) -> tuple[int, int]:
    """Rows and columns a (dilated) window covers."""
    return (int(dilation[0]) * (int(size[0]) - 1) + 1, int(dilation[1]) * (int(size[1]) - 1) + 1)


def neighbourhood(n: int, starts: np.ndarray, span: int) -> tuple[int, int]:
    """[lo, hi) of the positions along one axis that the views of windows starting at ``starts``
    can show: each view holds ``max(VIEW_SIDE, span + 2)`` positions containing its window."""
    side = max(VIEW_SIDE, span + 2)
    lo = int(starts.min()) - side if len(starts) else 0
    hi = int(starts.max()) + span + side if len(starts) else 0
    return max(lo, 0), min(max(hi, 0), n)


def output_region(cells: np.ndarray, out_shape3) -> tuple[tuple[int, int], tuple[int, int]]:
    """([i0, i1), [j0, j1)): the output rows and columns around the traced ``cells`` (N, 3) that any
    view of the output shows (the step's "output so far" and the final output around the first cell)."""
    _, n_rows, n_cols = out_shape3
    return neighbourhood(n_rows, cells[:, 1], 1), neighbourhood(n_cols, cells[:, 2], 1)


def _compact(index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sources, map): the distinct source positions an index map reads, in order, and the map
    rewritten to point into them (-1, the constant, stays -1)."""
    valid = index >= 0
    sources = np.unique(index[valid])
    compact = np.full(index.shape, -1, dtype=np.int64)
    compact[valid] = np.searchsorted(sources, index[valid])
    return sources, compact


def padded_part(x3: np.ndarray, dtype, pads, pad_mode: str, constant, rows, cols) -> np.ndarray:
    """Padded rows [r0, r1) and columns [q0, q1) of ``x3`` (C, H, W), in the compute ``dtype``.

    The values are those of ``engine.padded`` at those positions, built by ``engine.pad`` from the
    same index maps; only the input rows and columns they read are converted to ``dtype`` (a crop of
    a uint8 photo costs a crop, not the whole photo in int64).
    """
    top, bottom, left, right = pads
    _, height, width = x3.shape
    code = engine.PAD_CODES[pad_mode]
    row_sources, rmap = _compact(engine.index_map(height, top, bottom, code)[rows[0]:rows[1]])
    col_sources, cmap = _compact(engine.index_map(width, left, right, code)[cols[0]:cols[1]])
    part = np.ascontiguousarray(x3[:, row_sources[:, None], col_sources[None, :]], dtype=dtype)
    return engine.pad(part, rmap, cmap, part.dtype.type(constant))


def padding_mask(shape3, pads) -> np.ndarray:
    """(Hp, Wp): True on the padding cells of an input of ``shape3`` (C, H, W)."""
    top, bottom, left, right = pads
    _, height, width = shape3
    mask = np.ones((height + top + bottom, width + left + right), dtype=bool)
    mask[top:top + height, left:left + width] = False
    return mask


def traced_neighbourhood(x3, dtype, pads, pad_mode, constant, origins, span, whole_cells: int):
    """(padded, mask, origin): the padded input a trace shows, built through the engine's index maps.

    When the whole padded input has at most ``whole_cells`` cells, all of it (origin (0, 0)).
    Otherwise every channel, but only the rows and columns around the traced windows (starting at
    ``origins``, (N, 2) padded positions) that a step view can show: a 12-megapixel photo traced at one
    cell keeps a few hundred values instead of the whole padded copy.  ``mask`` is always the full
    (Hp, Wp) padding mask.
    """
    mask = padding_mask(x3.shape, pads)
    hp, wp = mask.shape
    if x3.shape[0] * hp * wp <= whole_cells or len(origins) == 0:
        return padded_part(x3, dtype, pads, pad_mode, constant, (0, hp), (0, wp)), mask, (0, 0)
    rows = neighbourhood(hp, origins[:, 0], span[0])
    cols = neighbourhood(wp, origins[:, 1], span[1])
    return padded_part(x3, dtype, pads, pad_mode, constant, rows, cols), mask, (rows[0], cols[0])


def pool_crop(n: int, pad_before: int, pad_after: int, size: int, stride: int, dilation: int, outs):
    """For output positions [o0, o1) of an implicitly padded pooling along one axis: ([a, b), before,
    after), the input positions their windows read and the padding that makes output o0 + o' of the
    whole the output o' of the crop, with the same taps, the same padding cells and the same divisor."""
    o0, o1 = outs
    first = o0 * stride - pad_before
    last = (o1 - 1) * stride - pad_before + dilation * (size - 1)
    a, b = max(first, 0), min(last + 1, n)
    return (a, max(b, a)), a - first, pad_after if b >= n else 0


def check_trace_memory(what, out_shape3, cells, window_shape, padded_shape, itemsize: int) -> None:
    """Refuse a trace whose windows, products, padded input or cell list would pass the memory limit."""
    n = (out_shape3[0] * out_shape3[1] * out_shape3[2]) if cells is None else len(cells)
    window = tuple(int(v) for v in window_shape)
    check_parts(what, [
        (Term(PART_OUTPUT), tuple(out_shape3), itemsize),
        (Term(PART_CELLS), (n, 3 * 4), 8),                 # indices, meshgrid and origins
        (Term(PART_WINDOWS), (2 * n,) + window, itemsize),   # windows and products (or inside masks)
        (Term(PART_PADDED), tuple(padded_shape), itemsize + 1),
    ], Term(HINT_TRACE))


class TraceData:
    """What every trace shares: its operation's settings, and the sizes of the padded input and the
    output it shows, of which it may keep only a part (``padded_origin``, ``output_origin``)."""

    @property
    def padded_shape(self) -> tuple[int, int, int]:
        """(C, Hp, Wp): the full padded input's size, of which ``padded`` may hold a part."""
        return (self.operation.x_shape[0],) + tuple(self.pad_mask.shape)

    @property
    def output_shape(self) -> tuple[int, ...]:
        """The whole output's shape (as the operation's ``run()`` gives it), of which ``output`` may hold a part."""
        shape3 = tuple(int(v) for v in self.operation.out_shape3)
        return shape3[1:] if self.squeeze else shape3

    @property
    def output_cropped(self) -> bool:
        """Whether ``output`` holds only the part around the traced cells (from ``output_origin``)."""
        return tuple(np.shape(self.output)) != self.output_shape

    def whole_output(self) -> np.ndarray:
        """The whole output: ``output`` itself, or (for a part) the operation run again."""
        return self.output if not self.output_cropped else self.operation.run()

    @property
    def channel_names(self) -> tuple[str, ...] | None:
        return getattr(self.operation, "channel_names", None)

    @property
    def spec(self):
        return self.operation.spec

    @property
    def params(self) -> dict:
        return self.operation.params

    def __len__(self) -> int:
        return len(self.cells)
