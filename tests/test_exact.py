"""Integers are exact or refused: never a wrapped or silently rounded value.

Each property compares convtrace with plain Python integers (which never
overflow): the answer is the exact one, or a ConvtraceError says why it cannot
be computed — never a different number.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import convtrace
from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.io.matrix import parse_matrix_text
from convtrace.kernels import kernel_from_parsed

INT64_MAX = 2**63 - 1
EDGES = (2**62, 2**31, 3 * 10**9, 2**63 - 1)


def _exact_correlate(x, w, pad, pad_value=0):
    """Valid cross-correlation of Python-int lists, with constant padding."""
    h, wd = len(x), len(x[0])
    padded = [[pad_value] * (wd + 2 * pad) for _ in range(h + 2 * pad)]
    for i in range(h):
        for j in range(wd):
            padded[i + pad][j + pad] = x[i][j]
    kh, kw = len(w), len(w[0])
    return [[sum(padded[i + a][j + b] * w[a][b] for a in range(kh) for b in range(kw))
             for j in range(wd + 2 * pad - kw + 1)] for i in range(h + 2 * pad - kh + 1)]


@st.composite
def edge_ints(draw):
    edge = draw(st.sampled_from(EDGES))
    return draw(st.integers(-edge, edge) | st.sampled_from([edge, -edge, edge - 1, 1 - edge, 0]))


@st.composite
def int_problems(draw):
    h, w = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    kh, kw = draw(st.integers(1, h)), draw(st.integers(1, w))
    x = [[draw(edge_ints()) for _ in range(w)] for _ in range(h)]
    k = [[draw(st.integers(-4, 4) | edge_ints()) for _ in range(kw)] for _ in range(kh)]
    return x, k


@given(int_problems(), st.integers(0, 1), st.integers(-3, 3))
@example(problem=([[0]], [[3_074_457_345_618_258_603]]), pad=0, pad_value=3)  # no padding: 3 is never summed
def test_integer_convolution_is_exact_or_refused(problem, pad, pad_value):
    x, k = problem
    expected = _exact_correlate(x, k, pad, pad_value)
    try:
        got = convtrace.conv2d(np.array(x, dtype=np.int64), np.array(k, dtype=np.int64), padding=pad,
                               pad_value=pad_value)
    except ConvtraceError:
        # Refused only when some sum can really pass int64.
        bound = max(max(abs(v) for row in x for v in row), abs(pad_value) * (pad > 0)) * sum(
            abs(v) for row in k for v in row)
        assert bound > INT64_MAX
        return
    assert got.dtype == np.int64
    assert [[int(v) for v in row] for row in got] == expected


@given(int_problems(), st.booleans())
def test_integer_trace_is_exact_or_refused(problem, flip):
    x, k = problem
    kernel = [row[::-1] for row in k[::-1]] if flip else k
    expected = _exact_correlate(x, kernel, 0)
    try:
        trace = convtrace.trace_conv2d(np.array(x), np.array(k), flip=flip)
    except ConvtraceError:
        return
    assert [[int(v) for v in row] for row in trace.output] == expected
    for step in trace.steps:
        assert step.total == expected[step.out_index[0]][step.out_index[1]]


@given(st.lists(st.lists(edge_ints(), min_size=3, max_size=3), min_size=3, max_size=3),
       st.integers(1, 3), st.sampled_from(["sum", "max", "min"]))
def test_integer_pooling_is_exact_or_refused(x, size, mode):
    reduce = {"sum": sum, "max": max, "min": min}[mode]
    n = (3 - size) // size + 1
    expected = [[reduce(x[i * size + a][j * size + b] for a in range(size) for b in range(size))
                 for j in range(n)] for i in range(n)]
    try:
        got = convtrace.pool2d(np.array(x, dtype=np.int64), size, mode=mode)
    except ConvtraceError:
        assert mode == "sum"
        return
    assert [[int(v) for v in row] for row in got] == expected


@given(st.lists(st.integers(-(2**70), 2**70), min_size=1, max_size=6))
def test_python_integers_are_exact_or_refused(values):
    try:
        got = convtrace.conv2d([values], [[1]])
    except ConvtraceValueError as err:
        assert any(not -(2**63) <= v <= INT64_MAX for v in values) or "64-bit" in str(err)
        return
    assert got.dtype == np.int64
    assert [int(v) for v in got[0]] == values


@pytest.mark.parametrize("call", [
    lambda: convtrace.conv2d(np.full((3, 3), 3 * 10**9), np.full((3, 3), 3 * 10**9)),
    lambda: convtrace.conv2d(np.full((2, 2), 2**62), np.ones((2, 2), int)),
    lambda: convtrace.pool2d(np.full((2, 2), 2**62), 2, mode="sum"),
    lambda: convtrace.trace_pool2d(np.full((2, 2), 2**62), 2, mode="sum"),
    lambda: convtrace.trace_conv2d(np.full((2, 2), 2**62), np.ones((2, 2), int)),
    lambda: convtrace.conv2d(np.ones((2, 2), int), np.ones((2, 2), int), padding=1, pad_value=2**62),
], ids=["3e9", "2**62", "sum-pool", "sum-pool trace", "conv trace", "pad_value"])
def test_the_issues_overflows_are_refused_with_a_way_out(call):
    with pytest.raises(ConvtraceValueError, match=r"64-bit integers.*astype\(float\)"):
        call()


def test_the_float_way_out_gives_the_right_magnitude():
    got = convtrace.conv2d(np.full((3, 3), 3 * 10**9).astype(float), np.full((3, 3), 3 * 10**9))
    assert got[0, 0] == pytest.approx(81 * 10**18)


def test_largest_sums_that_fit_are_computed():
    assert convtrace.conv2d(np.full((2, 2), 2**61 - 1), np.ones((2, 2), int))[0, 0] == 4 * (2**61 - 1)
    assert convtrace.pool2d(np.full((2, 2), -(2**61 - 1)), 2, mode="sum")[0, 0] == -4 * (2**61 - 1)
    assert convtrace.pool2d(np.full((2, 2), 2**62), 2, mode="max")[0, 0] == 2**62


@pytest.mark.parametrize("value", [[[10**30 + 1]], [[2**63, -1]], [[2**64]], [[10**20, 0.5]], [[-(2**63) - 1]]])
def test_integers_beyond_int64_are_refused_not_made_float(value):
    with pytest.raises(ConvtraceValueError, match="too large for exact 64-bit"):
        convtrace.conv2d(value, [[1]])
    with pytest.raises(ConvtraceValueError, match="too large for exact 64-bit"):
        convtrace.conv2d([[1]], value)


def test_python_integers_that_fit_stay_exact():
    big = 2**62 + 1
    assert convtrace.conv2d([[big, 0]], [[1]]).tolist() == [[big, 0]]
    assert convtrace.conv2d(np.array([[big, 3]], dtype=object), [[1]]).tolist() == [[big, 3]]


def _kernel(text):
    return kernel_from_parsed(parse_matrix_text(text, "inline"), "inline")


def test_kernels_with_large_denominators_stay_right():
    primes = (1000003, 1000033, 1000037, 1000039)
    k = _kernel(f"1/{primes[0]} 1/{primes[1]}\n1/{primes[2]} 1/{primes[3]}")
    got = convtrace.conv2d(np.ones((2, 2), int), k)
    assert got[0, 0] == pytest.approx(sum(1 / p for p in primes))
    assert (got > 0).all()
    k = _kernel("\n".join(" ".join(f"1/{992 + 3 * r + c}" for c in range(3)) for r in range(3)))
    got = convtrace.conv2d(np.full((3, 3), 255), k)
    assert got[0, 0] == pytest.approx(255 * sum(1 / d for d in range(992, 1001)))


def test_small_fraction_kernels_keep_their_exact_scale():
    k = _kernel("1/16 2/16 1/16\n2/16 4/16 2/16\n1/16 2/16 1/16")
    assert k.weights.dtype == np.int64 and k.scale == pytest.approx(1 / 16)
    trace = convtrace.trace_conv2d(np.full((3, 3), 16), k)
    assert trace.steps[0].total == 256 and trace.steps[0].result == 16


# --------------------------------------------------------------------------- int16 results on request

_SMALL_INTS = (np.uint8, np.int8, np.uint16, np.int16)


@given(st.sampled_from(_SMALL_INTS), st.integers(1, 12), st.integers(1, 12), st.integers(1, 4), st.integers(1, 4),
       st.integers(0, 2), st.sampled_from(["zeros", "reflect", "replicate", "circular"]), st.integers(0, 2**32 - 1))
def test_int16_results_are_the_exact_sums_or_a_refusal_with_the_bound(dtype, h, w, kh, kw, pad, mode, seed):
    """``dtype=np.int16`` gives the default result's values exactly, or refuses when some input of that
    dtype could make a sum past 32767 — decided from the dtype and weights, never from the values."""
    rng = np.random.default_rng(seed)
    info = np.iinfo(dtype)
    x = rng.integers(info.min, int(info.max) + 1, (h, w)).astype(dtype)
    kernel = rng.integers(-3, 4, (kh, kw))
    if mode == "reflect":
        pad = min(pad, h - 1, w - 1)
    options = dict(padding=pad, pad_mode=mode)
    if h + 2 * pad < kh or w + 2 * pad < kw:
        return
    exact = convtrace.conv2d(x, kernel, **options)
    bound = max(-int(info.min), int(info.max)) * int(np.abs(kernel).sum())
    if bound > 32767:
        with pytest.raises(ConvtraceValueError, match=f"could reach {bound} "):
            convtrace.conv2d(x, kernel, dtype=np.int16, **options)
        return
    narrow = convtrace.conv2d(x, kernel, dtype=np.int16, **options)
    assert narrow.dtype == np.int16 and exact.dtype == np.int32
    np.testing.assert_array_equal(narrow, exact)


@pytest.mark.parametrize("kernel", ["sharpen", "edge-3", "sobel-left", "emboss"])
@pytest.mark.parametrize("threads", [None, False])
def test_int16_results_of_a_photo_on_the_bulk_routines(kernel, threads):
    rng = np.random.default_rng(8)
    photo = rng.integers(0, 256, (3, 333, 517), dtype=np.uint8)
    op = convtrace.prepare_conv2d(photo, kernel, padding="same", pad_mode="reflect", dtype="int16")
    assert op.out_dtype == np.int16
    exact = convtrace.conv2d(photo, kernel, padding="same", pad_mode="reflect")
    np.testing.assert_array_equal(op.run(parallel=threads), exact)
    out = np.full(op.out_shape, -1, np.int16)
    assert op.run(out=out) is out
    np.testing.assert_array_equal(out, exact)
    with pytest.raises(ConvtraceValueError, match="dtype int16"):
        op.run(out=np.empty(op.out_shape, np.int32))


def test_int16_is_refused_where_results_are_not_integers_or_the_type_is_not_a_narrowing():
    photo = np.zeros((4, 4), np.uint8)
    with pytest.raises(ConvtraceValueError, match="needs integer results, but this convolution gives float64"):
        convtrace.conv2d(photo, "gaussian-3", dtype=np.int16)  # a 1/16 scale
    with pytest.raises(ConvtraceValueError, match="gives float32"):
        convtrace.conv2d(photo.astype(np.float32), "sharpen", dtype=np.int16)
    for asked, shown in ((np.float16, "float16"), ("int8", "int8"), ("complex", "complex128"), ([1], "[1]"),
                         ("nonsense", "'nonsense'")):
        with pytest.raises(ConvtraceValueError, match=f"dtype={re.escape(shown)} is not a result type .* exact int32"):
            convtrace.conv2d(photo, "sharpen", dtype=asked)
    assert convtrace.conv2d(photo, "sharpen", dtype=np.int32).dtype == np.int32  # the default, asked for
    # Python integers are int64: their values decide (a scan), small ones fit.
    assert convtrace.conv2d([[1, 2], [3, 4]], [[1, 1], [1, 1]], dtype=np.int16).tolist() == [[10]]
    with pytest.raises(ConvtraceValueError, match="could reach 70000 "):
        convtrace.conv2d([[10000, 2], [3, 4]], [[1, 1], [1, 4]], dtype=np.int16)
