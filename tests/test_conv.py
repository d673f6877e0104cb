"""conv2d against SciPy and the plain-loop reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import ndimage, signal

import convtrace
from tests import naive
from tests.strategies import arrays, conv_problems, scipy_reference


def assert_matches(got, expected, dtype):
    if np.dtype(dtype).kind in "iu":
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, expected)
    else:
        assert got.dtype == dtype
        rtol = 1e-5 if dtype == np.float32 else 1e-12
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=rtol * 100)


@given(conv_problems())
def test_conv2d_matches_scipy_and_naive_for_every_mode_stride_dilation(p):
    got = convtrace.conv2d(p["x"], p["w"], padding=p["pads"], pad_mode=p["mode"], pad_value=p["pad_value"],
                           stride=p["stride"], dilation=p["dilation"])
    ref = scipy_reference(p["x"].astype(np.float64), p["w"].astype(np.float64), p["pads"], p["mode"],
                          p["pad_value"], p["stride"], p["dilation"])
    assert got.shape == ref.shape
    assert_matches(got, ref, p["x"].dtype)
    loop = naive.correlate(p["x"], p["w"], p["pads"], p["mode"], p["pad_value"], p["stride"], p["dilation"])
    assert_matches(got, loop, p["x"].dtype)


@given(conv_problems(max_k=5, modes=("zeros",)), st.sampled_from(["valid", "full"]))
def test_flip_is_scipy_convolve2d(p, padding):
    x, w = p["x"].astype(np.float64), p["w"].astype(np.float64)
    if padding == "valid" and (w.shape[0] > x.shape[0] or w.shape[1] > x.shape[1]):
        return
    got = convtrace.conv2d(x, w, padding=padding, flip=True)
    np.testing.assert_allclose(got, signal.convolve2d(x, w, mode=padding), rtol=1e-12, atol=1e-9)


@given(st.data())
def test_same_padding_with_odd_kernel_matches_scipy_same(data):
    x = arrays(data.draw, (data.draw(st.integers(1, 9)), data.draw(st.integers(1, 9))), np.int64)
    k = data.draw(st.sampled_from([1, 3, 5]))
    w = arrays(data.draw, (k, k), np.int64)
    np.testing.assert_array_equal(convtrace.conv2d(x, w, padding="same"), signal.correlate2d(x, w, "same"))
    np.testing.assert_array_equal(convtrace.conv2d(x, w, padding="same", flip=True),
                                  signal.convolve2d(x, w, "same"))


# scipy.ndimage's names for convtrace's modes; note ndimage "reflect" is convtrace "symmetric".
NDIMAGE_MODE = {"zeros": "constant", "reflect": "mirror", "symmetric": "reflect",
                "replicate": "nearest", "circular": "wrap"}


@given(st.data(), st.sampled_from(sorted(NDIMAGE_MODE)))
def test_same_padding_matches_scipy_ndimage_correlate_for_every_mode(data, mode):
    height, width = data.draw(st.integers(3, 10)), data.draw(st.integers(3, 10))
    x = arrays(data.draw, (height, width), np.float64)
    kh, kw = data.draw(st.sampled_from([1, 3])), data.draw(st.sampled_from([1, 3, 5]))
    if mode == "reflect" and kw // 2 >= width:
        return
    w = arrays(data.draw, (kh, kw), np.float64)
    got = convtrace.conv2d(x, w, padding="same", pad_mode=mode, pad_value=0)
    ref = ndimage.correlate(x, w, mode=NDIMAGE_MODE[mode], cval=0.0)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-9)


@given(st.data())
def test_even_kernel_same_puts_the_extra_padding_at_bottom_right(data):
    x = arrays(data.draw, (data.draw(st.integers(2, 8)), data.draw(st.integers(2, 8))), np.int64)
    w = arrays(data.draw, (2, 4), np.int64)
    got = convtrace.conv2d(x, w, padding="same")
    assert got.shape == x.shape
    # PyTorch/TensorFlow: total padding k-1; the smaller half before.
    np.testing.assert_array_equal(got, naive.correlate(x, w, pads=(0, 1, 1, 2)))


@given(st.data())
def test_same_with_stride_keeps_ceil_of_size_over_stride(data):
    n, k, s = data.draw(st.integers(1, 12)), data.draw(st.integers(1, 5)), data.draw(st.integers(1, 4))
    x = arrays(data.draw, (n, n + 1), np.int64)
    w = arrays(data.draw, (k, k), np.int64)
    out = convtrace.conv2d(x, w, padding="same", stride=s)
    assert out.shape == (-(-n // s), -(-(n + 1) // s))


@given(st.data())
def test_multichannel_filters(data):
    channels = data.draw(st.integers(1, 3))
    dtype = data.draw(st.sampled_from([np.int64, np.float64]))
    x = arrays(data.draw, (channels, 6, 5), dtype)
    w3 = arrays(data.draw, (channels, 3, 2), dtype)
    # (C, kh, kw): one CNN filter, summed over channels.
    got = convtrace.conv2d(x, w3, padding=1)
    ref = sum(naive.correlate(x[c], w3[c], (1, 1, 1, 1)) for c in range(channels))
    assert got.shape == ref.shape
    # The reference adds channel by channel, convtrace in one row-major sum: the two orders round
    # differently, by at most a few ulps of the largest partial sum (cancellation can make that relative
    # error large for a result near 0).
    scale = float(np.abs(x).max() * np.abs(w3).sum())
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-13 * scale)
    # (kh, kw): each channel on its own.
    per_channel = convtrace.conv2d(x, w3[0], stride=2)
    assert per_channel.shape[0] == channels
    for c in range(channels):
        np.testing.assert_allclose(per_channel[c], naive.correlate(x[c], w3[0], stride=(2, 2)), rtol=1e-12)
    # (F, C, kh, kw): F feature maps.
    w4 = arrays(data.draw, (4, channels, 2, 2), dtype)
    maps = convtrace.conv2d(x, w4, dilation=2)
    assert maps.shape[0] == 4
    for f in range(4):
        ref = sum(naive.correlate(x[c], w4[f, c], dilation=(2, 2)) for c in range(channels))
        np.testing.assert_allclose(maps[f], ref, rtol=1e-12)


def test_2d_input_with_depth_one_filter_and_1d_row():
    x = np.arange(12).reshape(3, 4)
    np.testing.assert_array_equal(convtrace.conv2d(x, np.ones((1, 2, 2), int)),
                                  convtrace.conv2d(x, np.ones((2, 2), int)))
    assert convtrace.conv2d(x, np.ones((3, 1, 2, 2), int)).shape == (3, 2, 3)
    row = convtrace.conv2d(np.array([1, 2, 3, 4]), np.array([1, -1]))
    np.testing.assert_array_equal(row, [[-1, -1, -1]])


def test_integers_stay_exact_and_floats_keep_precision():
    x = np.array([[21, 16, 11], [25, 22, 18], [19, 20, 21]], dtype=np.uint8)
    sharpen = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
    out = convtrace.conv2d(x, sharpen)
    assert out.dtype == np.int64 and out.tolist() == [[31]]
    assert convtrace.conv2d(x.astype(np.float32), sharpen).dtype == np.float32
    assert convtrace.conv2d(x.astype(np.float32), sharpen / 1.0).dtype == np.float32
    assert convtrace.conv2d(x.astype(np.float16), sharpen).dtype == np.float32
    assert convtrace.conv2d(x, sharpen / 9).dtype == np.float64
    assert convtrace.conv2d(x.astype(bool), sharpen).dtype == np.int64
    big = np.full((2, 2), 2**40, dtype=np.int64)
    assert convtrace.conv2d(big, np.ones((2, 2), np.int64)).item() == 2**42


def test_kernel_scale_is_applied_once_after_exact_sums():
    box = convtrace.Kernel("box", np.ones((3, 3), dtype=np.int64), scale=__import__("fractions").Fraction(1, 9))
    x = np.arange(1, 10).reshape(3, 3)
    assert convtrace.conv2d(x, box).item() == 5.0
    np.testing.assert_allclose(convtrace.conv2d(x, box), convtrace.conv2d(x, box.array))


def test_pad_value_is_the_constant_border():
    x = np.ones((2, 2), dtype=np.int64)
    out = convtrace.conv2d(x, np.ones((3, 3), dtype=np.int64), padding=1, pad_value=7)
    np.testing.assert_array_equal(out, [[4 + 5 * 7] * 2] * 2)
    assert convtrace.conv2d(x, np.ones((3, 3), dtype=np.int64), padding=1, pad_value=0.5).dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_large_input_uses_the_parallel_path_and_agrees_with_scipy(dtype):
    rng = np.random.default_rng(5)
    x = (rng.standard_normal((300, 517)) * 10).astype(dtype)
    w = (rng.standard_normal((3, 5)) * 3).astype(dtype)
    for mode, nd_mode in (("replicate", "nearest"), ("reflect", "mirror"), ("zeros", "constant")):
        got = convtrace.conv2d(x, w, padding=(1, 1, 2, 2), pad_mode=mode)
        ref = ndimage.correlate(x.astype(np.float64), w.astype(np.float64), mode=nd_mode)
        assert_matches(got, ref, dtype)


def test_correlate_and_convolve_aliases():
    x = np.arange(16).reshape(4, 4)
    w = np.array([[1, 2], [3, 4]])
    np.testing.assert_array_equal(convtrace.correlate2d(x, w), signal.correlate2d(x, w, "valid"))
    np.testing.assert_array_equal(convtrace.convolve2d(x, w), signal.convolve2d(x, w, "valid"))
