"""Traces come from the engine and always agree with the bulk result."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import convtrace
from convtrace.render.views import PoolTraceView
from tests import naive
from tests.strategies import arrays, conv_problems, has_empty_int_window, pool_problems


@given(conv_problems())
def test_conv_trace_results_equal_conv2d_bit_for_bit(p):
    kwargs = dict(padding=p["pads"], pad_mode=p["mode"], pad_value=p["pad_value"], stride=p["stride"],
                  dilation=p["dilation"])
    out = convtrace.conv2d(p["x"], p["w"], **kwargs)
    trace = convtrace.trace_conv2d(p["x"], p["w"], **kwargs)
    np.testing.assert_array_equal(trace.output, out)
    assert len(trace) == out.size
    padded = naive.pad(p["x"], p["pads"], p["mode"], p["pad_value"])
    np.testing.assert_array_equal(trace.padded[0], padded)
    for step in trace.steps:
        assert step.result == out[step.out_index]
        r, c = step.origin
        dh, dw = p["dilation"]
        kh, kw = p["w"].shape
        window = padded[r: r + dh * (kh - 1) + 1: dh, c: c + dw * (kw - 1) + 1: dw]
        np.testing.assert_array_equal(step.window[0], window)
        np.testing.assert_array_equal(step.products[0], step.window[0] * step.weights[0])


def test_trace_of_the_sharpen_window_shows_every_product():
    region = np.array([[21, 16, 11], [25, 22, 18], [19, 20, 21]])
    sharpen = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
    (step,) = convtrace.trace_conv2d(region, sharpen).steps
    assert step.products[0].ravel().tolist() == [0, -16, 0, -25, 110, -18, 0, -20, 0]
    assert step.total == 31 and step.result == 31


def test_trace_with_flip_uses_the_flipped_kernel():
    x = np.arange(9).reshape(3, 3)
    w = np.array([[1, 2], [3, 4]])
    trace = convtrace.trace_conv2d(x, w, flip=True)
    np.testing.assert_array_equal(trace.weights[0, 0], w[::-1, ::-1])
    np.testing.assert_array_equal(trace.output, convtrace.conv2d(x, w, flip=True))


def test_trace_of_selected_cells_and_channels():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 9, (3, 6, 6))
    w = rng.integers(-2, 3, (2, 3, 3, 3))
    trace = convtrace.trace_conv2d(x, w, padding=1, cells=[(1, 2, 3)])
    (step,) = trace.steps
    assert step.out_index == (1, 2, 3)
    assert step.window.shape == (3, 3, 3)
    assert step.result == convtrace.conv2d(x, w, padding=1)[1, 2, 3]
    with pytest.raises(ValueError, match="inside the output"):
        convtrace.trace_conv2d(x, w, cells=[(0, 9, 9)])


def test_trace_with_scale_keeps_exact_sum_then_scales():
    box = convtrace.Kernel("box", np.ones((3, 3), np.int64), scale=__import__("fractions").Fraction(1, 9))
    trace = convtrace.trace_conv2d(np.arange(1, 10).reshape(3, 3), box)
    (step,) = trace.steps
    assert step.total == 45 and step.result == 5.0


@given(pool_problems())
def test_pool_trace_equals_pool2d(p):
    if p["x"].dtype.kind == "i" and p["mode"] in ("max", "min") and has_empty_int_window(p):
        return
    kwargs = dict(stride=p["stride"], mode=p["mode"], padding=p["pad"], ceil_mode=p["ceil_mode"],
                  count_include_pad=p["count_include_pad"], dilation=p["dilation"])
    out = convtrace.pool2d(p["x"], p["size"], **kwargs)
    trace = convtrace.trace_pool2d(p["x"], p["size"], **kwargs)
    np.testing.assert_array_equal(trace.output, out)
    for step in trace.steps:
        assert step.result == out[step.out_index] or (np.isnan(step.result) and np.isnan(out[step.out_index]))
        if p["mode"] in ("max", "min") and step.inside.any():
            a, b = step.winner
            assert step.inside[a, b] and step.window[a, b] == step.result
        if p["mode"] == "avg":
            assert step.divisor >= step.inside.sum() if p["count_include_pad"] else step.divisor == step.inside.sum()


def test_pool_trace_names_the_winner_and_the_divisor():
    x = np.array([[0.3, 0.6, 1], [0.5, 0.1, 0.3], [1, 0.5, 0.9]])
    steps = convtrace.trace_pool2d(x, 2, stride=1).steps
    assert [s.result for s in steps] == [0.6, 1.0, 1.0, 0.9]
    assert [s.winner for s in steps] == [(0, 1), (0, 1), (1, 0), (1, 1)]
    avg = convtrace.trace_pool2d(np.arange(25.0).reshape(5, 5), 2, mode="avg", padding=1, ceil_mode=True,
                                 count_include_pad=False)
    first = avg.steps[0]
    assert first.inside.sum() == 1 and first.divisor == 1
    include = convtrace.trace_pool2d(np.arange(25.0).reshape(5, 5), 2, mode="avg", padding=1)
    assert include.steps[0].divisor == 4 and include.steps[0].total == 0


@given(st.data())
def test_traces_of_float32_images_agree_exactly(data):
    x = arrays(data.draw, (7, 8), np.float32)
    w = arrays(data.draw, (3, 3), np.float32)
    trace = convtrace.trace_conv2d(x, w, padding="same", pad_mode="reflect")
    assert trace.output.dtype == np.float32
    np.testing.assert_array_equal(trace.results.reshape(7, 8), trace.output)


def test_pool_trace_of_a_row_renders():
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(PoolTraceView(convtrace.trace_pool2d(np.array([1.0, 5.0, 2.0, 8.0]), (1, 2))))
    assert "[2] [8]*" in console.file.getvalue() and "max = 8 (row 0, col 1 of the window)" in console.file.getvalue()


@given(conv_problems(max_side=12, dtypes=(np.int64,)), st.sampled_from([np.uint8, np.int8, np.uint16, np.int16]))
def test_traces_of_8_and_16_bit_images_sum_in_int32_like_the_bulk_result(p, dtype):
    x = p["x"].astype(dtype) if np.dtype(dtype).kind == "i" else np.abs(p["x"]).astype(dtype) * 7
    kwargs = dict(padding=p["pads"], pad_mode=p["mode"], pad_value=p["pad_value"], stride=p["stride"],
                  dilation=p["dilation"])
    out = convtrace.conv2d(x, p["w"], **kwargs)
    trace = convtrace.trace_conv2d(x, p["w"], **kwargs)
    assert out.dtype == trace.output.dtype == trace.totals.dtype == trace.windows.dtype == np.int32
    np.testing.assert_array_equal(trace.output, out)
    np.testing.assert_array_equal(out, convtrace.conv2d(x.astype(np.int64), p["w"], **kwargs))
    for step in trace.steps:
        assert step.result == out[step.out_index]
