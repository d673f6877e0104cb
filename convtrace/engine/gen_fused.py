"""Writes :mod:`convtrace.engine._fused`: the generated inner loops of the bulk routines.

Convolution.  The bulk routine (:mod:`convtrace.engine.conv`) walks the
output in blocks of rows; for each output row and input channel it calls one
of these loops on the columns whose windows lie inside the input:

- ``fused3``/``fused5``/``fused7``: the whole K×K window with every weight
  in a register, one pass per output row and no zeroing pass; when the row
  step equals the row dilation two output rows are made in the same pass,
  sharing the input rows they both read (each input row's values are loaded
  once and added to both sums).  Column stride and dilation 1 only, so every
  tap is a constant offset from its input row.  ``edges3``/``edges5``/
  ``edges7`` make the few columns whose windows reach into the padding, for
  the same two rows, through the index maps and in the same order.
- ``kernel_row``: any other window, one kernel row at a time, up to 8 taps
  per pass (``taps1`` … ``taps8``), or one tap per pass with a column stride.

Every loop adds its products left to right, ``((src + w0*s0) + w1*s1) + …``
where ``src`` is a row of zeros for the first input channel and the output
row itself afterwards: exactly the order the traced routine sums in, so the
two stay bit-for-bit equal (no fastmath, no fused multiply-add).

Every loop is generic in its input's dtype: an 8- or 16-bit integer image
summed with int32 weights into int32 is read as it is (no int32 copy of the
image).  The one-row loops (``taps*``, the edges, pooling) widen each value as
it is loaded.  The fused loops do not: LLVM leaves a two-row loop that widens
its loads scalar (on every x86 target tried, AVX-512 included), so a fused
block copies the rows of each pass into a small buffer of the compute dtype
first (:func:`converts`, :func:`readable`: decided when the routine is compiled),
as it copies the rows of a pass that reads constant padding.  The row of
constant padding of the general loop is an array of the input's dtype, so
each routine reads one array type; the engine only passes a narrow input whose
dtype holds the pad value (:func:`convtrace.engine.reads_directly`).

Pooling: see the comment above the pooling loops.

Numba can only cache functions that live in a real file, so the loops are
generated once into ``_fused.py`` (run ``python -m convtrace.engine.gen_fused``
after changing this file; a test checks the two agree).
"""

from __future__ import annotations

from pathlib import Path

MAX_TAPS = 8
FUSED_SIZES = (3, 5, 7)
#: Output rows per task of the parallel loop (and per first touch of a fresh output).
ROWS_PER_BLOCK = 64
TARGET = Path(__file__).with_name("_fused.py")


def _taps_function(m: int) -> str:
    # In place (o[j] += …): a separate ``src`` that is ``o`` itself fails the compiler's overlap check
    # at run time, and the loop falls back to one value at a time.
    lines = ["@jit", f"def taps{m}(o, xrow, q, dw, w, wo, n):"]
    for k in range(m):
        lines.append(f"    s{k} = xrow[q + {k} * dw:q + {k} * dw + n]")
        lines.append(f"    w{k} = w[wo + {k}]")
    expr = "o[j]"
    for k in range(m):
        expr = f"({expr} + w{k} * s{k}[j])" if k < m - 1 else f"{expr} + w{k} * s{k}[j]"
    lines += ["    for j in range(n):", f"        o[j] = {expr}", ""]
    return "\n".join(lines)


def _registers(size: int, rows: str) -> list[str]:
    """The window's input rows r0 … r{size} (from ``rows``) and every weight, each in a local."""
    lines = [f"    r{a} = {rows}[{a}]" for a in range(size + 1)]
    return lines + [f"    w{a}_{b} = w[wo + {a * size + b}]" for a in range(size) for b in range(size)]


def _two_sums(size: int, indent: str, load) -> list[str]:
    """Input row by input row: ``load(a, b)`` reads v{b} of input row ``a``, added to the first
    output's sum (window row ``a``) and to the second's (window row ``a - 1``), then dropped; each
    sum still takes its products in row-major window order."""
    out = []
    for a in range(size + 1):
        out += [f"{indent}v{b} = {load(a, b)}" for b in range(size)]
        if a < size:
            out += [f"{indent}s0 = s0 + w{a}_{b} * v{b}" for b in range(size)]
        if a > 0:
            out += [f"{indent}s1 = s1 + w{a - 1}_{b} * v{b}" for b in range(size)]
    # With ob1 == ob0 (an odd last row) the first row's value is stored last and wins.
    return out + [f"{indent}o[ob1 + j] = s1", f"{indent}o[ob0 + j] = s0"]


def _fused_function(size: int) -> str:
    lines = [
        "@jit",
        f"def fused{size}(o, ob0, ob1, first, zero, x, rb, w, wo, n):",
        f'    """The {size}×{size} window for two output rows, o[ob0 + j] and o[ob1 + j] for j < n.',
        "",
        "    Flat arrays and unsigned offsets: no views to count references to, no negative-index",
        "    checks.  Window row ``a`` of the first output reads x[rb[a] + j + b] (column stride and",
        "    dilation 1); the second output's window starts one input row down.  Sums start from zero",
        "    (``first``: the first input channel) or from the values already in ``o``.",
        '    """',
    ]
    lines += _registers(size, "rb")

    # The two sums are two chains in flight, and no input value stays live for long (a 7×7
    # window written as two whole expressions had the compiler keep shared loads on the stack).
    def body(indent: str) -> list[str]:
        return _two_sums(size, indent, lambda a, b: f"x[r{a} + j" + (f" + np.uint64({b})]" if b else "]"))

    lines += [
        "    if first:",
        "        z = zero[0]",
        "        for j in range(n):",
        "            s0 = z",
        "            s1 = z",
        *body("            "),
        "    else:",
        "        for j in range(n):",
        "            s0 = o[ob0 + j]",
        "            s1 = o[ob1 + j]",
        *body("            "),
        "",
    ]
    return "\n".join(lines)


def _edges_function(size: int) -> str:
    """The columns outside [j_lo, j_hi) of ``fused{size}``'s two rows, one column at a time.

    The same sums in the same order, through the index maps: ``rows`` holds the window's
    input rows (-1: the constant), ``cmap`` the columns.  Written out per size, every weight
    in a register: a generic loop over the window with its branches and index arithmetic
    cost more than the vectorised interior on a 512-wide image (40% of a 3×3 there).
    """
    lines = [
        "@jit",
        f"def edges{size}(o, ob0, ob1, first, zero, x, c, rows, cmap, pad_value, j_lo, j_hi, n_cols, w, wo):",
        f'    """Columns j < j_lo and j >= j_hi of the two output rows of :func:`fused{size}`, through the maps."""',
        "    xc = x[c]",
    ]
    lines += _registers(size, "rows")
    lines += [
        "    z = zero[0]",
        "    for k in range(j_lo + n_cols - j_hi):",
        "        j = k if k < j_lo else k - j_lo + j_hi",
        "        s0 = z if first else o[ob0 + j]",
        "        s1 = z if first else o[ob1 + j]",
    ]
    for b in range(size):
        lines.append(f"        c{b} = cmap[j + {b}]")
    lines += _two_sums(size, "        ", lambda a, b: f"pad_value if r{a} < 0 or c{b} < 0 else xc[r{a}, c{b}]")
    return "\n".join(lines + [""])


HEADER = '''"""Generated by convtrace/engine/gen_fused.py: do not edit by hand."""

import numpy as np
from numba.extending import overload

from convtrace.engine.config import jit, jit_inline

U = np.uint64
MAX_TAPS = {max_taps}
FUSED_SIZES = {fused_sizes}
ROWS_PER_BLOCK = {rows_per_block}


def converts(a, b):
    """Whether values pass between ``a`` and ``b`` of different dtypes (an 8-bit image's rows widened
    into the sums' dtype, int16 sums widened into an int32 result); known when the routine is compiled."""


def readable(a, b):
    """``a`` where its dtype is ``b``'s (the loops read or write it as it is), else ``b`` (a buffer the
    values are converted through)."""


@overload(converts, jit_options={{"cache": True}})
def _converts(a, b):
    if a.dtype == b.dtype:
        return lambda a, b: False
    return lambda a, b: True


@overload(readable, jit_options={{"cache": True}})
def _readable(a, b):
    if a.dtype == b.dtype:
        return lambda a, b: a
    return lambda a, b: b


@jit_inline
def _row(x, padrow, c, r):
    if r < 0:
        return padrow
    return x[c, r]


@jit
def tap_strided(o, src, xrow, q, sw, w, wo, n):
    # Strided views do not vectorise, so with a column stride one tap per pass is as good.
    s = xrow[q:q + (n - 1) * sw + 1:sw]
    wt = w[wo]
    for j in range(n):
        o[j] = src[j] + wt * s[j]


@jit
def _edge(o, ob, src, sb, j, x, c, rmap, p, dh, cmap, sw, dw, w, wo, kh, kw, pad_value):
    acc = src[sb + j]
    for a in range(kh):
        r = rmap[p + a * dh]
        for b in range(kw):
            col = cmap[j * sw + b * dw]
            v = pad_value if r < 0 or col < 0 else x[c, r, col]
            acc = acc + w[wo + a * kw + b] * v
    o[ob + j] = acc


@jit
def edge_columns(o, ob, src, sb, x, c, rmap, p, dh, cmap, sw, dw, w, wo, kh, kw, pad_value, j_lo, j_hi, n_cols):
    """o[ob + j] = src[sb + j] + the window's products, for the columns j outside [j_lo, j_hi)."""
    for j in range(j_lo):
        _edge(o, ob, src, sb, j, x, c, rmap, p, dh, cmap, sw, dw, w, wo, kh, kw, pad_value)
    for j in range(j_hi, n_cols):
        _edge(o, ob, src, sb, j, x, c, rmap, p, dh, cmap, sw, dw, w, wo, kh, kw, pad_value)


@jit
def kernel_rows(o, src, into, x, padrow, c, rmap, p, dh, q, sw, dw, w, wo, kh, kw, j_lo, n):
    """o[j_lo + j] = src[j_lo + j] + the window's products for j < n, one window row per pass;
    ``into``: ``src`` is ``o`` itself."""
    for a in range(kh):
        xr = _row(x, padrow, c, rmap[p + a * dh])
        kernel_row(o[j_lo:j_lo + n], src[j_lo:j_lo + n] if a == 0 else o[j_lo:j_lo + n], into or a > 0, xr, q, sw,
                   dw, w, wo + a * kw, kw, n)
'''

#: The bulk convolution, one routine per window kind, each making blocks
#: t_first … t_last-1 of ROWS_PER_BLOCK output rows (block t: filter
#: t // n_blocks); the engine hands blocks to its threads or runs them all.
BLOCK_HEAD = '''
@jit
def block{name}(x, w, filters_per_group, rmap, cmap, pad_value, sh, sw, dh, dw, pl, j_lo, j_hi, kh, kw, padrow, zero,
           t_first, t_last, n_blocks, out):
    """Blocks t_first … t_last-1 of ``out``: every input channel, every column."""
    n_taps = kh * kw
    groups_width = w.shape[1] // n_taps
    n = j_hi - j_lo
    q = j_lo * sw - pl
    outf = out.reshape(-1)
{setup}    for t in range(t_first, t_last):
        f = t // n_blocks
        i = (t - f * n_blocks) * ROWS_PER_BLOCK
        i_end = min(i + ROWS_PER_BLOCK, out.shape[1])
        wf = w[f]
        c0 = (f // filters_per_group) * groups_width
        while i < i_end:
'''

BLOCK_ANY = BLOCK_HEAD + '''\
            n_cols = out.shape[2]
            ob0 = (f * out.shape[1] + i) * n_cols
            for g in range(groups_width):
                wo = g * n_taps
                if n > 0:
                    kernel_rows(out[f, i], zero if g == 0 else out[f, i], g > 0, x, padrow, c0 + g, rmap, i * sh, dh,
                                q, sw, dw, wf, wo, kh, kw, j_lo, n)
                if n < n_cols:
                    edge_columns(outf, ob0, zero if g == 0 else outf, 0 if g == 0 else ob0, x, c0 + g, rmap, i * sh,
                                 dh, cmap, sw, dw, wf, wo, kh, kw, pad_value, j_lo, j_hi, n_cols)
            i += 1
'''

FUSED_SETUP = """\
    xf = x.reshape(-1)
    rb = np.empty(kh + 1, dtype=np.uint64)
    rows = np.empty(kh + 1, dtype=np.int64)
    stack = np.empty((kh + 1) * (j_hi - j_lo + kh - 1), dtype=zero.dtype)
    xs = readable(xf, stack)
    pair = np.empty(2 * out.shape[2], dtype=zero.dtype)
    sums = readable(outf, pair)
    narrow = converts(outf, pair)
"""

# Rows go in pairs (sh == dh: the second row's window is the first's moved
# down one input row); an odd last row is paired with itself.  A pair
# that reads a row of constant padding, or of a narrower dtype than the
# sums, reads copies of its rows instead.  Sums of a narrower dtype than the
# output (``zero``'s: an 8-bit image's int16 sums into int32) are made in a
# pair of narrow rows, every channel's, then stored widened: LLVM leaves a
# two-row loop that widens its own stores scalar too.
BLOCK_FUSED = BLOCK_HEAD + '''\
            two = i + 1 < i_end
            n_cols = out.shape[2]
            ob0 = (f * out.shape[1] + i) * n_cols
            ob1 = ob0 + n_cols if two else ob0
            d0 = 0 if narrow else ob0  # where the sums go: the output, or the pair of narrow rows
            d1 = (n_cols if two else 0) if narrow else ob1
            padded = False
            for a in range({size} + 1):
                r = rmap[i * sh + a * dh] if a < {size} or two else rmap[i * sh]
                rows[a] = r
                padded = padded or r < 0
            for g in range(groups_width):
                c = c0 + g
                wo = g * n_taps
                if n > 0:
                    src = xs
                    if padded or converts(xf, stack):  # copy the rows, constant ones included, in the compute dtype
                        span = n + {size} - 1
                        for a in range({size} + 1):
                            sb = U(a * span)
                            if rows[a] < 0:
                                for k in range(U(span)):
                                    stack[sb + k] = pad_value
                            else:
                                xb = U((c * x.shape[1] + rows[a]) * x.shape[2] + q)
                                for k in range(U(span)):
                                    stack[sb + k] = xf[xb + k]
                            rb[a] = sb
                        src = stack
                    else:
                        for a in range({size} + 1):
                            rb[a] = U((c * x.shape[1] + rows[a]) * x.shape[2] + q)
                    fused{size}(sums, U(d0 + j_lo), U(d1 + j_lo), g == 0, zero, src, rb, wf, wo, U(n))
                if n < n_cols:
                    edges{size}(sums, d0, d1, g == 0, zero, x, c, rows, cmap, pad_value, j_lo, j_hi, n_cols, wf, wo)
            if narrow:  # unsigned offsets, as in the loops: no negative-index checks, so it vectorises
                for j in range(U(n_cols)):
                    outf[U(ob0) + j] = pair[j]
                if two:
                    for j in range(U(n_cols)):
                        outf[U(ob1) + j] = pair[U(n_cols) + j]
            i += 2
'''


def _kernel_row() -> list[str]:
    lines = [
        "",
        "@jit",
        "def kernel_row(o, src, into, xrow, q, sw, dw, w, wo, kw, n):",
        '    """o[j] = src[j] + the kw taps w[wo] … of one window row, reading xrow from q + j*sw on;',
        '    ``into``: ``src`` is ``o`` itself (o[j] += …)."""',
        "    if sw != 1:",
        "        tap_strided(o, src, xrow, q, sw, w, wo, n)",
        "        for b in range(1, kw):",
        "            tap_strided(o, o, xrow, q + b * dw, sw, w, wo + b, n)",
        "        return",
        "    if not into:  # o starts as src, then every tap adds into it: the same sums, in the same order",
        "        for j in range(n):",
        "            o[j] = src[j]",
        "    b = 0",
        "    while b < kw:",
        "        m = min(MAX_TAPS, kw - b)",
    ]
    for m in range(1, MAX_TAPS + 1):
        lines.append(f"        {'if' if m == 1 else 'elif'} m == {m}:")
        lines.append(f"            taps{m}(o, xrow, q + b * dw, dw, w, wo + b, n)")
    lines.append("        b += m")
    return lines


POOL_HEADER = '''

# Pooling: the window's adjacent taps two per pass, strides 1 and 2 written out
# so LLVM sees constant strides; max/min as branch-free selects where "v != v"
# keeps a NaN, as PyTorch does; sums added left to right as the trace adds them.
'''


def _pool_function(mode: str, taps: int, stride: str) -> str:
    cmp = ">" if mode == "max" else "<"
    name = f"{mode}_{'pair' if taps == 2 else 'one'}_s{stride}"
    step = {"1": "j", "2": "2 * j", "r": "np.uint64(j) * np.uint64(sw)"}[stride]
    lines = ["@jit", f"def {name}(o, xrow, start, sw, n):", "    xs = xrow[start:]", "    for j in range(n):",
             "        m = o[j]"]
    for k in range(taps):
        index = step if k == 0 else f"{step} + {'np.uint64(1)' if stride == 'r' else '1'}"
        lines.append(f"        v = xs[{index}]")
        target = "m" if k < taps - 1 else "o[j]"
        if mode == "sum":
            lines.append(f"        {target} = m + v")
        else:
            lines.append(f"        {target} = v if (v {cmp} m) | (v != v) else m")
    return "\n".join(lines) + "\n"


def _pool_dispatch() -> list[str]:
    lines = [
        "",
        "@jit",
        "def pool_taps(mode, o, xrow, start, sw, dw, kw, n):",
        '    """Combine taps 0 … kw-1 of one window row into ``o``, left to right.',
        "",
        "    ``mode``: 0 max, 1 min, anything else sum (as in :mod:`convtrace.engine.pool_loops`).",
        '    """',
        "    b = 0",
        "    while b < kw:",
        "        pair = dw == 1 and b + 1 < kw",
        "        s = start + b * dw",
    ]
    for mode, cond in (("max", "if mode == 0"), ("min", "elif mode == 1"), ("sum", "else")):
        lines.append(f"        {cond}:")
        for stride, cond in (("1", "if sw == 1"), ("2", "elif sw == 2"), ("r", "else")):
            lines.append(f"            {cond}:")
            lines.append("                if pair:")
            lines.append(f"                    {mode}_pair_s{stride}(o, xrow, s, sw, n)")
            lines.append("                else:")
            lines.append(f"                    {mode}_one_s{stride}(o, xrow, s, sw, n)")
    lines.append("        b += 2 if pair else 1")
    return lines


def source() -> str:
    parts = [HEADER.format(max_taps=MAX_TAPS, fused_sizes=FUSED_SIZES, rows_per_block=ROWS_PER_BLOCK)]
    for m in range(1, MAX_TAPS + 1):
        parts += ["", _taps_function(m)]
    parts += _kernel_row()
    for size in FUSED_SIZES:
        parts += ["", _fused_function(size), "", _edges_function(size)]
    parts += ["", "# Bulk convolution: blocks of output rows, in parallel when asked."]
    parts.append(BLOCK_ANY.format(name="_any", setup=""))
    for size in FUSED_SIZES:
        parts.append(BLOCK_FUSED.format(name=str(size), size=size, setup=FUSED_SETUP))
    parts.append(POOL_HEADER)
    for mode in ("max", "min", "sum"):
        for taps in (1, 2):
            for stride in ("1", "2", "r"):
                parts += ["", _pool_function(mode, taps, stride)]
    parts += _pool_dispatch()
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    TARGET.write_text(source(), encoding="utf-8")
    print(f"wrote {TARGET}")
