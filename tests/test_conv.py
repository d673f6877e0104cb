"""conv2d against SciPy and the plain-loop reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import ndimage, signal

import convtrace
from convtrace.convolution import apply_scale, conv2d, prepare_conv2d
from convtrace.errors import ConvtraceValueError
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
        # The same two summing orders as above: a few ulps of the largest partial sum apart.
        np.testing.assert_allclose(maps[f], ref, rtol=1e-12,
                                   atol=1e-13 * float(np.abs(x).max() * np.abs(w4[f]).sum()))


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
    # An 8-bit image with a kernel whose sums provably fit int32 (255 × Σ|w| = 2295): exact int32.
    assert out.dtype == np.int32 and out.tolist() == [[31]]
    # Python lists, int32 and int64 arrays keep int64.
    assert convtrace.conv2d(x.tolist(), sharpen).dtype == np.int64
    assert convtrace.conv2d(x.astype(np.int32), sharpen).dtype == np.int64
    assert convtrace.conv2d(x.astype(np.int64), sharpen).dtype == np.int64
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


IMAGE_DTYPES = (np.uint8, np.int8, np.uint16, np.int16)


@given(st.sampled_from(IMAGE_DTYPES), st.integers(1, 3), st.integers(1, 3), st.integers(-2, 2), st.data())
def test_the_int32_path_is_exact_up_to_its_bound_and_falls_back_past_it(dtype, kh, kw, offset, data):
    """8- and 16-bit integer inputs sum in int32 exactly when (the dtype's largest |value|) × Σ|w| ≤ 2**31 − 1,
    whatever the values: here Σ|w| is just under (offset ≤ 0) or just over that, with windows of the
    dtype's extremes lined up with the weights' signs, so the sums reach the bound; past it: int64, exact."""
    info = np.iinfo(dtype)
    xmax = max(-int(info.min), int(info.max))
    wsum = (2**31 - 1) // xmax + offset
    taps = kh * kw
    cuts = sorted(data.draw(st.lists(st.integers(0, wsum), min_size=taps - 1, max_size=taps - 1)))
    sizes = np.diff([0, *cuts, wsum])
    signs = np.array(data.draw(st.lists(st.sampled_from([-1, 1]), min_size=taps, max_size=taps)))
    w = (sizes * signs).reshape(kh, kw).astype(np.int64)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(int(info.min), int(info.max) + 1, size=(kh + 2, 2 * kw + 2)).astype(dtype)
    x[:kh, :kw] = np.where(w > 0, info.max, info.min)             # the largest sum
    x[-kh:, -kw:] = np.where(w > 0, info.min, info.max)           # the most negative one
    padding = data.draw(st.sampled_from([0, 1, "same"]))
    pad_value = data.draw(st.integers(int(info.min), int(info.max)))
    got = convtrace.conv2d(x, w, padding=padding, pad_value=pad_value)
    assert got.dtype == (np.int32 if offset <= 0 else np.int64)
    pads = convtrace.prepare_conv2d(x, w, padding=padding).pads
    reference = naive.correlate(x.astype(object), w.astype(object), pads, "zeros", pad_value)  # Python ints
    assert got.tolist() == reference.tolist()
    if offset <= 0:
        assert int(np.abs(reference).max()) <= 2**31 - 1
    # The trace sums in the same dtype, bit for bit.
    trace = convtrace.trace_conv2d(x, w, padding=padding, pad_value=pad_value)
    assert trace.output.dtype == got.dtype and trace.totals.dtype == got.dtype
    np.testing.assert_array_equal(trace.output, got)


def test_a_pad_value_past_the_dtype_counts_in_the_int32_bound():
    x = np.full((2, 2), -128, dtype=np.int8)
    w = np.full((3, 3), 300, dtype=np.int64)                       # 128 × 2700: int32
    assert convtrace.conv2d(x, w, padding=1).dtype == np.int32
    out = convtrace.conv2d(x, w, padding=1, pad_value=10**6)       # 10**6 × 2700 > 2**31: int64
    assert out.dtype == np.int64 and out[0, 0] == 4 * -128 * 300 + 5 * 10**6 * 300
    # Scaled and float kernels give floats as before; bool stays int64.
    assert convtrace.conv2d(x, convtrace.Kernel("box", np.ones((3, 3), int), scale=__import__("fractions").Fraction(1, 9)),
                            padding=1).dtype == np.float64
    assert convtrace.conv2d(x.astype(bool), w, padding=1).dtype == np.int64


@settings(max_examples=40, deadline=None)
@given(data=st.data(), dtype=st.sampled_from([np.uint8, np.int64, np.float32, np.float64]),
       kernel=st.sampled_from(["sharpen", "gaussian-3", "box-blur", "sobel-x"]),
       channels=st.sampled_from([0, 1, 3]), padding=st.sampled_from([0, 1, "same"]))
def test_out_is_filled_with_the_same_bits(data, dtype, kernel, channels, padding):
    shape = (data.draw(st.integers(3, 12)), data.draw(st.integers(3, 12)))
    if channels:
        shape = (channels,) + shape
    x = data.draw(hnp.arrays(dtype, shape, elements=st.integers(0, 255)))
    op = prepare_conv2d(x, kernel, padding=padding)
    want = op.run()
    buffer = np.full(op.out_shape, 7, dtype=op.out_dtype)
    got = conv2d(x, kernel, padding=padding, out=buffer)
    assert got is buffer and got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
    sums = op.sums()
    assert sums.shape == want.shape
    np.testing.assert_array_equal(apply_scale(sums, op.scale), want)


@pytest.mark.parametrize("make_out", [
    lambda shape, dtype, x: np.empty(shape[:-1] + (shape[-1] + 1,), dtype),          # wrong shape
    lambda shape, dtype, x: np.empty(shape, np.float32 if dtype != np.float32 else np.float64),
    lambda shape, dtype, x: np.empty(shape[::-1], dtype).T,                            # not C-contiguous
    lambda shape, dtype, x: x,                                                         # the input itself
    lambda shape, dtype, x: [[0] * shape[-1]] * shape[0],                              # not an array
])
def test_bad_out_is_refused(make_out):
    x = np.arange(30, dtype=np.float64).reshape(5, 6)
    op = prepare_conv2d(x, "sharpen", padding="same")
    with pytest.raises(ConvtraceValueError, match="out="):
        op.run(out=make_out(op.out_shape, op.out_dtype, x))


def test_a_second_call_of_the_same_shapes_checks_the_values_and_limits_again(monkeypatch):
    """What depends on shapes alone is worked out once per shape; values and limits are checked every call."""
    x = np.arange(4096, dtype=np.float64).reshape(64, 64)  # 32 KiB
    kernel = np.ones((3, 3))
    np.testing.assert_array_equal(conv2d(x, kernel, padding=1), naive.correlate(x, kernel, (1, 1, 1, 1)))
    with pytest.raises(ConvtraceValueError, match="not a finite number|inf|nan"):
        conv2d(x, np.where(np.eye(3) > 0, np.inf, 1.0), padding=1)
    monkeypatch.setenv("CONVTRACE_MAX_MEMORY", "1K")
    with pytest.raises(ConvtraceValueError, match="CONVTRACE_MAX_MEMORY"):
        conv2d(x, kernel, padding=1)
    monkeypatch.delenv("CONVTRACE_MAX_MEMORY")
    monkeypatch.setenv("CONVTRACE_MAX_WORK", "10")
    with pytest.raises(ConvtraceValueError, match="CONVTRACE_MAX_WORK"):
        conv2d(x, kernel, padding=1)
    monkeypatch.delenv("CONVTRACE_MAX_WORK")
    small = np.full((6, 6), 3, dtype=np.int64)
    assert conv2d(small, np.ones((3, 3), dtype=np.int64))[0, 0] == 27
    with pytest.raises(ConvtraceValueError, match="beyond what 64-bit integers hold"):
        conv2d(np.full((6, 6), 2**62, dtype=np.int64), np.ones((3, 3), dtype=np.int64))


def test_settings_spelled_alike_but_typed_apart_stay_apart():
    """1 and True are equal in Python; a flip of 1 is refused however often flip=True was asked for."""
    x = np.arange(16.0).reshape(4, 4)
    assert conv2d(x, np.eye(2), flip=True).shape == (3, 3)
    with pytest.raises(ConvtraceValueError, match="flip must be True or False"):
        conv2d(x, np.eye(2), flip=1)
    np.testing.assert_array_equal(conv2d(x, np.eye(2), padding=1.0), conv2d(x, np.eye(2), padding=1))


def test_a_prepared_convolution_has_every_field():
    import dataclasses

    op = prepare_conv2d(np.ones((5, 5), dtype=np.uint8), "sharpen", padding="same")
    assert {f.name for f in dataclasses.fields(op)} <= set(vars(op))
    assert op.sum_dtype == np.int16 and op.dtype == np.int32
