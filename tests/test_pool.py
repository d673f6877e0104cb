"""pool2d against the plain-loop reference and, where installed, PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

import convtrace
from tests import naive
from tests.strategies import has_empty_int_window, pool_problems


def pooled(p, **extra):
    return convtrace.pool2d(p["x"], p["size"], stride=p["stride"], mode=p["mode"], padding=p["pad"],
                            ceil_mode=p["ceil_mode"], count_include_pad=p["count_include_pad"],
                            dilation=p["dilation"], **extra)


@given(pool_problems())
def test_pool2d_matches_naive_in_every_mode(p):
    if p["x"].dtype.kind == "i" and p["mode"] in ("max", "min") and has_empty_int_window(p):
        with pytest.raises(ValueError, match="only padding"):
            pooled(p)
        return
    got = pooled(p)
    pads = (p["pad"][0], p["pad"][0], p["pad"][1], p["pad"][1])
    ref = naive.pool(p["x"].astype(np.float64), p["size"], p["stride"], p["mode"], pads, p["ceil_mode"],
                     p["count_include_pad"], p["dilation"])
    assert got.shape == ref.shape
    if p["x"].dtype == np.int64:
        assert got.dtype == (np.float64 if p["mode"] == "avg" else np.int64)
        np.testing.assert_allclose(got, ref, rtol=1e-12)
    else:
        assert got.dtype == p["x"].dtype
        np.testing.assert_allclose(got, ref, rtol=1e-5 if p["x"].dtype == np.float32 else 1e-12, atol=1e-4)




def _torch():
    return pytest.importorskip("torch")


@given(pool_problems(dtypes=(np.float64,), max_dilation=1))
def test_pool2d_matches_pytorch(p):
    torch = _torch()
    functional = torch.nn.functional
    if p["mode"] not in ("max", "avg"):
        return
    t = torch.from_numpy(p["x"])[None, None]
    if p["mode"] == "max":
        ref = functional.max_pool2d(t, p["size"], p["stride"], p["pad"], dilation=p["dilation"],
                                    ceil_mode=p["ceil_mode"])
    else:
        ref = functional.avg_pool2d(t, p["size"], p["stride"], p["pad"], ceil_mode=p["ceil_mode"],
                                    count_include_pad=p["count_include_pad"])
    got = pooled(p)
    np.testing.assert_allclose(got, ref[0, 0].numpy(), rtol=1e-12)


@given(pool_problems(dtypes=(np.float64,)))
def test_max_pool2d_with_dilation_matches_pytorch(p):
    torch = _torch()
    t = torch.from_numpy(p["x"])[None, None]
    ref = torch.nn.functional.max_pool2d(t, p["size"], p["stride"], p["pad"], dilation=p["dilation"],
                                         ceil_mode=p["ceil_mode"])
    got = convtrace.pool2d(p["x"], p["size"], stride=p["stride"], padding=p["pad"], dilation=p["dilation"],
                           ceil_mode=p["ceil_mode"])
    np.testing.assert_allclose(got, ref[0, 0].numpy(), rtol=1e-12)


def test_stride_defaults_to_size_and_global_pooling():
    x = np.arange(1, 17).reshape(4, 4)
    np.testing.assert_array_equal(convtrace.pool2d(x, 2), [[6, 8], [14, 16]])
    np.testing.assert_array_equal(convtrace.pool2d(x, "global", mode="avg"), [[8.5]])
    np.testing.assert_array_equal(convtrace.pool2d(x, "global", mode="sum"), [[136]])
    np.testing.assert_array_equal(convtrace.pool2d(x, (1, 4), mode="min"), [[1], [5], [9], [13]])


def test_channels_are_pooled_separately():
    x = np.stack([np.arange(16).reshape(4, 4), -np.arange(16).reshape(4, 4)])
    out = convtrace.pool2d(x, 2)
    assert out.shape == (2, 2, 2)
    np.testing.assert_array_equal(out[1], [[0, -2], [-8, -10]])


def test_average_of_a_window_that_misses_the_input_is_nan():
    x = np.array([[7], [3]])
    out = convtrace.pool2d(x, (2, 1), stride=1, padding=(1, 0), dilation=(3, 1), mode="avg",
                           count_include_pad=False)
    assert out.shape == (1, 1) and np.isnan(out[0, 0])
    assert convtrace.pool2d(x, (2, 1), stride=1, padding=(1, 0), dilation=(3, 1), mode="avg").tolist() == [[0.0]]


def test_nan_propagates_through_max_like_pytorch():
    x = np.array([[1.0, np.nan], [3.0, 4.0]])
    assert np.isnan(convtrace.pool2d(x, 2)).all()


def test_large_parallel_pooling_agrees_with_numpy_reshape():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 512, 640)).astype(np.float32)
    blocks = x.reshape(3, 256, 2, 320, 2)
    np.testing.assert_array_equal(convtrace.pool2d(x, 2), blocks.max(axis=(2, 4)))
    np.testing.assert_allclose(convtrace.pool2d(x, 2, mode="avg"), blocks.mean(axis=(2, 4)), rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(convtrace.pool2d(x, 2, mode="min"), blocks.min(axis=(2, 4)))
