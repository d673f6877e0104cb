"""Trace frames: one picture per window of a conv, pool or transposed-conv trace, and their files.

Every number drawn comes from the trace (windows, products, totals, results,
the padded input and its padding mask, the windows' origins); nothing is
recomputed here.  A frame shows the input with its padding (hatched), the
window outlined (each cell read outlined too when the kernel is dilated), the
kernel, the products, the sum and the output filling up cell by cell.  The
frames become a looping GIF or PNG files (:func:`gif_bytes`, :func:`png_bytes`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from convtrace.io.images import JPEG_QUALITY
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
from convtrace.render.pictures.draw import (
    BLACK,
    INDEX_SIZE,
    LABEL_SIZE,
    PAD_INK,
    TITLE_INK,
    TITLE_SIZE,
    VALUE_SIZE,
    _vmax,
)
from convtrace.render.pictures.panels import (
    GridPanel,
    Layout,
    LegendPanel,
    Panel,
    TextPanel,
    arrange,
)

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


def _output_panel(output2d, pending, focus, *, title, vmax, precision, origin=(0, 0), shape=None) -> GridPanel:
    """``output2d`` and ``pending`` may be part of an output map of ``shape`` (a trace of a large output
    keeps the part around its cells), from (row, col) ``origin``; ``focus`` is in the whole map."""
    shape = output2d.shape if shape is None else shape
    r0, c0 = origin
    rows = view_range(shape[0], focus[0], focus[0] + 1)
    cols = view_range(shape[1], focus[1], focus[1] + 1)
    return GridPanel(role="output", values=_crop(output2d, (rows[0] - r0, rows[1] - r0), (cols[0] - c0, cols[1] - c0)),
                     title=title, row0=rows[0], col0=cols[0], vmax=vmax, precision=precision,
                     pending=pending if origin == (0, 0) else _Shifted(pending, origin),
                     window=(focus[0], focus[1], focus[0], focus[1]))


class _Shifted:
    """A mask over part of a matrix, read in the whole matrix's (row, col): ``mask[r - r0, c - c0]``."""

    def __init__(self, mask: np.ndarray, origin):
        self.mask, self.origin = mask, origin

    def __getitem__(self, rc):
        return self.mask[rc[0] - self.origin[0], rc[1] - self.origin[1]]


def _pending(cells: np.ndarray, n: int, shape3, origin=(0, 0)) -> np.ndarray:
    """(maps, rows, cols) True where the output (or its part from ``origin``) is not computed yet at step n."""
    pending = np.ones(shape3, dtype=bool)
    done = cells[: n + 1]
    pending[done[:, 0], done[:, 1] - origin[0], done[:, 2] - origin[1]] = False
    return pending


def _output_part(trace):
    """(output as (maps, rows, cols), (r0, q0), whole map shape (rows, cols)) of what ``trace`` keeps."""
    out3 = _output3(trace.output)
    shape = tuple(getattr(trace, "output_shape", out3.shape))[-2:]
    whole = out3.shape[1:] == shape   # (a network layer's trace may carry the whole output, with its bias)
    origin = (0, 0) if whole else tuple(int(v) for v in getattr(trace, "output_origin", (0, 0)))
    return out3, origin, shape


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
    out3, out_origin, out_shape = _output_part(trace)
    pending = _pending(trace.cells, n, out3.shape, out_origin)
    oi, oj = int(trace.cells[n, 1]), int(trace.cells[n, 2])
    shape = shape_text(out_shape)
    out_title = translate(PIC_OUTPUT, lang, shape=shape) if out3.shape[0] == 1 else \
        translate(PIC_OUTPUT_MAP, lang, f=fmap, shape=shape)
    blocks.append([_output_panel(out3[fmap], pending[fmap], (oi, oj), title=out_title, vmax=_vmax(out3),
                                 precision=prec, origin=out_origin, shape=out_shape)])
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
    out3, out_origin, out_shape = _output_part(trace)
    pending = _pending(trace.cells, n, out3.shape, out_origin)
    oi, oj = int(trace.cells[n, 1]), int(trace.cells[n, 2])
    shape = shape_text(out_shape)
    out_title = translate(PIC_OUTPUT, lang, shape=shape) if out3.shape[0] == 1 else \
        translate(PIC_OUTPUT_MAP, lang, f=c, shape=shape)
    window = GridPanel(role="window", values=step.window, title=translate(LABEL_WINDOW, lang), vmax=_vmax(trace.padded), precision=prec, index=False,
                       padding=~np.asarray(step.inside, dtype=bool), winner=step.winner)
    blocks = [[panel], [window], [_output_panel(out3[c], pending[c], (oi, oj), title=out_title, vmax=_vmax(out3),
                                                precision=prec, origin=out_origin, shape=out_shape)]]
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
    image.convert("RGB").save(buffer, format=fmt, quality=JPEG_QUALITY)
    return buffer.getvalue()
