"""Transposed convolution against PyTorch, a plain-loop reference, and its own trace (both views)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convtrace.errors import ConvtraceValueError
from convtrace.transpose import conv_transpose2d, prepare_conv_transpose2d, trace_conv_transpose2d
from tests import naive

torch = pytest.importorskip("torch")


@st.composite
def cases(draw, floats=False):
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation, strict=True))
    two_d = draw(st.booleans())
    c_in = 1 if two_d else draw(st.integers(1, 3))
    c_out = 1 if two_d else draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if floats:
        x = rng.normal(size=(c_in, h, w)).astype(draw(st.sampled_from([np.float32, np.float64])))
        k = rng.normal(size=(c_in, c_out, kh, kw)).astype(x.dtype)
    else:
        x = rng.integers(-50, 51, size=(c_in, h, w))
        k = rng.integers(-9, 10, size=(c_in, c_out, kh, kw))
    if two_d:
        x, k = x[0], k[0, 0]
    return x, k, dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)


def _torch(x, k, opts):
    xt = torch.tensor(np.asarray(x, dtype=np.float64))
    kt = torch.tensor(np.asarray(k, dtype=np.float64))
    if xt.ndim == 2:
        xt, kt = xt[None], kt[None, None]
    out = torch.nn.functional.conv_transpose2d(xt[None], kt, **opts)[0].numpy()
    return out[0] if np.ndim(x) == 2 and np.ndim(k) == 2 else out


def _size_ok(x, k, opts):
    h, w = np.shape(x)[-2:]
    kh, kw = np.shape(k)[-2:]
    return all((n - 1) * s - 2 * p + d * (kk - 1) + op + 1 >= 1 for n, kk, s, p, op, d in zip(
        (h, w), (kh, kw), opts["stride"], opts["padding"], opts["output_padding"], opts["dilation"], strict=True))


@given(cases())
def test_integers_equal_torch_and_the_reference_exactly(case):
    x, k, opts = case
    if not _size_ok(x, k, opts):
        with pytest.raises(ConvtraceValueError):
            conv_transpose2d(x, k, **opts)
        return
    out = conv_transpose2d(x, k, **opts)
    assert out.dtype == np.int64
    expected = _torch(x, k, opts)
    assert out.shape == expected.shape
    assert np.array_equal(out.astype(np.float64), expected)
    x3 = x[None] if np.ndim(x) == 2 else x
    k4 = k[None, None] if np.ndim(k) == 2 else k
    ref = naive.conv_transpose(x3, k4, **opts)
    assert np.array_equal(out if out.ndim == 3 else out[None], ref)


@given(cases(floats=True))
def test_floats_close_to_torch(case):
    x, k, opts = case
    if not _size_ok(x, k, opts):
        return
    out = conv_transpose2d(x, k, **opts)
    assert out.dtype == x.dtype
    tol = 1e-4 if x.dtype == np.float32 else 1e-10
    np.testing.assert_allclose(out, _torch(x, k, opts), rtol=tol, atol=tol)


@given(st.one_of(cases(), cases(floats=True)))
def test_trace_equals_bulk_bit_for_bit_and_both_views_agree(case):
    x, k, opts = case
    if not _size_ok(x, k, opts):
        return
    trace = trace_conv_transpose2d(x, k, **opts)
    bulk = conv_transpose2d(x, k, **opts)
    assert np.array_equal(trace.output, bulk)
    out3 = bulk if bulk.ndim == 3 else bulk[None]
    cells = trace.cells
    assert np.array_equal(trace.totals, out3[cells[:, 0], cells[:, 1], cells[:, 2]])  # bit for bit
    op = trace.operation
    x3, w4 = op.x, op.weights
    s, p, d = opts["stride"], opts["padding"], opts["dilation"]
    for n in range(0, len(trace), max(1, len(trace) // 7)):
        step = trace.step(n)
        co, oi, oj = (int(v) for v in cells[n])
        # scatter view: each contribution is a real input cell times the kernel tap that lands here
        for c, i, j, a, b, xv, wv, prod in step.contributions:
            assert i * s[0] - p[0] + a * d[0] == oi and j * s[1] - p[1] + b * d[1] == oj
            assert xv == x3[c, i, j].item() and wv == w4[c, co, a, b].item()
            assert prod == (x3[c, i, j] * w4[c, co, a, b]).item()
        # every (c, i, j, a, b) that lands here is in the list, once
        expected = sorted((c, i, j, a, b) for c in range(x3.shape[0]) for i in range(x3.shape[1])
                          for j in range(x3.shape[2]) for a in range(w4.shape[2]) for b in range(w4.shape[3])
                          if i * s[0] - p[0] + a * d[0] == oi and j * s[1] - p[1] + b * d[1] == oj)
        assert sorted(t[:5] for t in step.contributions) == expected
        total = sum(t[-1] for t in step.contributions)
        if out3.dtype.kind == "i":
            assert total == step.result
        else:
            assert np.isclose(total, step.result, rtol=1e-5, atol=1e-5)
    # gather view: the flipped kernel correlated over the stuffed, padded input gives the output
    stuffed, mask = op.stuffed_input()
    assert mask.sum() == x3.shape[1] * x3.shape[2] or min(op.rows.gather_pad + op.cols.gather_pad) < 0
    flipped = w4[:, :, ::-1, ::-1]
    gathered = np.zeros(out3.shape, dtype=np.float64)
    for co in range(w4.shape[1]):
        for c in range(w4.shape[0]):
            gathered[co] += naive.correlate(stuffed[c].astype(np.float64), flipped[c, co].astype(np.float64),
                                            dilation=d)[: out3.shape[1], : out3.shape[2]]
    np.testing.assert_allclose(gathered, out3, rtol=1e-4, atol=1e-4)


def test_the_size_arithmetic_is_written_out():
    op = prepare_conv_transpose2d(np.ones((3, 3), dtype=int), np.ones((3, 3), dtype=int), stride=2, padding=1,
                                  output_padding=1)
    assert op.rows.formula() == "(3 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 6"
    assert conv_transpose2d(np.ones((3, 3), dtype=int), np.ones((3, 3), dtype=int), stride=2, padding=1,
                            output_padding=1).shape == (6, 6)


@pytest.mark.parametrize("opts", [dict(output_padding=1), dict(stride=2, output_padding=2),
                                  dict(stride=0), dict(padding=-1)])
def test_bad_settings_are_refused(opts):
    with pytest.raises(ConvtraceValueError):
        conv_transpose2d(np.ones((3, 3)), np.ones((2, 2)), **opts)


def test_channel_mismatch_and_bad_shapes_are_refused():
    with pytest.raises(ConvtraceValueError, match="C_in"):
        conv_transpose2d(np.ones((2, 3, 3)), np.ones((3, 1, 2, 2)))
    with pytest.raises(ConvtraceValueError):
        conv_transpose2d(np.ones((2, 3, 3)), np.ones((2, 2)))


def test_integer_overflow_is_refused_not_wrapped():
    big = np.array([[2**62, 2**62]], dtype=np.int64)
    with pytest.raises(ConvtraceValueError, match="64-bit"):
        conv_transpose2d(big, np.array([[4, 4]]))
