"""The engine's routines for small and large work agree bit for bit.

Small inputs take the one-tap-per-pass routine; large ones the vectorised
routines (serial or on the engine.s threads).  Tests on small random problems force
each path so the bulk routine is checked as thoroughly as the small one.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convtrace import engine
from convtrace.engine import gen_fused
from tests import naive
from tests.strategies import arrays, conv_problems, pool_problems


@given(conv_problems(max_side=40, max_k=5), st.integers(1, 3), st.integers(1, 3))
def test_small_and_bulk_convolution_routines_agree(p, channels, n_filters):
    x = np.ascontiguousarray(np.stack([p["x"]] * channels) * np.arange(1, channels + 1)[:, None, None],
                             dtype=p["x"].dtype)
    w = np.ascontiguousarray(np.stack([np.stack([p["w"]] * channels)] * n_filters)
                             * np.arange(1, n_filters + 1)[:, None, None, None], dtype=p["x"].dtype)
    args = (x, w, 1, p["pads"], p["mode"], p["pad_value"], p["stride"], p["dilation"])
    small = engine.correlate(*args)  # most of these sizes take the small routine
    bulk = engine.correlate(*args, parallel=False)
    threaded = engine.correlate(*args, parallel=True)
    np.testing.assert_array_equal(small, bulk)
    np.testing.assert_array_equal(small, threaded)


@given(st.data())
def test_depthwise_bulk_matches_small(data):
    x = arrays(data.draw, (3, data.draw(st.integers(3, 30)), data.draw(st.integers(3, 70))), np.float32)
    w = arrays(data.draw, (3, 1, 3, 3), np.float32)
    args = (x, w, 3, (1, 1, 1, 1), "replicate", 0, (1, 1), (1, 1))
    np.testing.assert_array_equal(engine.correlate(*args), engine.correlate(*args, parallel=True))


@given(pool_problems())
def test_serial_and_parallel_pooling_agree(p):
    x = np.ascontiguousarray(p["x"][None], dtype=p["x"].dtype)
    pads = (p["pad"][0], p["pad"][0], p["pad"][1], p["pad"][1])
    from convtrace.params import size_arithmetic

    rows = size_arithmetic(x.shape[1], p["size"][0], pads[0], pads[1], p["stride"][0], p["dilation"][0],
                           p["ceil_mode"]).size
    cols = size_arithmetic(x.shape[2], p["size"][1], pads[2], pads[3], p["stride"][1], p["dilation"][1],
                           p["ceil_mode"]).size
    args = (x, p["size"], pads, p["stride"], p["dilation"], p["mode"], rows, cols, p["count_include_pad"])
    bulk = engine.pool(*args, parallel=False)
    np.testing.assert_array_equal(bulk, engine.pool(*args, parallel=True))
    # These sizes take the small path by default (the traced routine, over every cell): the same bits,
    # NaN included, in the same dtype.
    small = engine.pool(*args)
    assert small.dtype == bulk.dtype
    np.testing.assert_array_equal(small, bulk)


def test_generated_loops_are_up_to_date():
    assert gen_fused.TARGET.read_text(encoding="utf-8") == gen_fused.source(), (
        "run: python -m convtrace.engine.gen_fused"
    )


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 9), before=st.integers(0, 40), after=st.integers(0, 40),
       mode=st.sampled_from(["zeros", "reflect", "symmetric", "replicate", "circular"]),
       seed=st.integers(0, 2**16))
def test_padding_maps_and_copies_are_numpys_pad(n, before, after, mode, seed):
    """The index maps (and the padded copy the trace shows) are ``np.pad``'s, however many times a
    border wraps around a short axis."""
    from convtrace.engine import PAD_CODES
    from convtrace.engine.padding import index_map, pad

    row = np.random.default_rng(seed).integers(-99, 99, n)
    code = PAD_CODES[mode]
    got = index_map(n, before, after, code)
    want = naive.pad(row[None, :], (0, 0, before, after), mode, 1000)[0]
    np.testing.assert_array_equal(np.where(got < 0, 1000, row[np.maximum(got, 0)]), want)
    x = np.random.default_rng(seed).integers(-99, 99, (2, n, n + 1))
    padded = pad(x, index_map(n, after, before, code), index_map(n + 1, before, after, code), -5)
    np.testing.assert_array_equal(padded, np.stack([naive.pad(c, (after, before, before, after), mode, -5) for c in x]))


def test_threads_share_a_job_only_where_they_pay(monkeypatch):
    """A 512² 3×3 convolution (0.1 ms in its fused loop) stays on one thread, where waking a helper
    would cost more than it saves, and a 1024² one is shared; the other loops, 3-25× slower per tap,
    and pooling are shared from smaller jobs (a 1448² convolution with stride 2 or a 2048² 2×2
    pooling, but not a 512² one with stride 2 nor a 256² pooling)."""
    from convtrace.engine import conv, pool_loops

    asked = []

    def record(run, n_tasks, parallel):
        asked.append(parallel)
        run(0, n_tasks)

    monkeypatch.setattr(conv, "run_tasks", record)
    monkeypatch.setattr(pool_loops, "run_tasks", record)
    w = np.ones((1, 1, 3, 3), dtype=np.float32)
    for side, stride in ((512, 1), (1024, 1), (512, 2), (1448, 2)):
        engine.correlate(np.ones((1, side, side), np.float32), w, 1, (1, 1, 1, 1), "zeros", 0, (stride, stride),
                         (1, 1))
    for side in (256, 2048):
        engine.pool(np.ones((1, side, side), np.float32), (2, 2), (0, 0, 0, 0), (2, 2), (1, 1), "max",
                    side // 2, side // 2)
    assert asked == [False, True, False, True, False, True]


@pytest.mark.parametrize("empty_axis", [1, 2])
def test_padding_a_crop_with_no_rows_or_columns_gives_the_constant(empty_axis):
    """A crop wholly in constant padding (what a trace of a photo's corner under a wide border shows)
    has no input rows or columns: its maps are all -1, and every padded value is the constant."""
    from convtrace.engine.padding import pad

    shape = [3, 4, 5]
    shape[empty_axis] = 0
    rmap, cmap = np.full(6, -1), np.arange(5)
    if empty_axis == 2:
        rmap, cmap = np.arange(4), np.full(7, -1)
    padded = pad(np.zeros(shape, dtype=np.uint8), rmap, cmap, 9)
    assert padded.shape == (3, rmap.size, cmap.size) and padded.dtype == np.uint8
    assert (padded == 9).all()


@pytest.mark.parametrize("mode", ["max", "min", "avg", "sum"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_small_pooling_keeps_the_bulk_loops_bits_for_nan_infinity_and_signed_zeros(mode, dtype):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 9, 11)).astype(dtype)
    x.flat[rng.choice(x.size, 12, replace=False)] = [np.nan, np.inf, -np.inf, -0.0, 0.0, np.nan, -np.inf,
                                                     np.inf, -0.0, 1e30, -1e30, np.nan]
    for size, stride, pads, dilation in (((2, 2), (2, 2), (0, 0, 0, 0), (1, 1)), ((3, 2), (1, 2), (1, 1, 1, 1), (1, 1)),
                                         ((2, 3), (2, 1), (1, 0, 0, 1), (2, 2))):
        rows = (9 + pads[0] + pads[1] - dilation[0] * (size[0] - 1) - 1) // stride[0] + 1
        cols = (11 + pads[2] + pads[3] - dilation[1] * (size[1] - 1) - 1) // stride[1] + 1
        args = (x, size, pads, stride, dilation, mode, rows, cols, True)
        small, bulk = engine.pool(*args), engine.pool(*args, parallel=False)
        assert small.dtype == bulk.dtype == dtype
        np.testing.assert_array_equal(small.view(f"u{small.itemsize}"), bulk.view(f"u{bulk.itemsize}"))
