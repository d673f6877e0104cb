"""Every bulk convolution routine equals the traced routine bit for bit.

``trace_correlate`` adds each window's products one by one, left to right,
from zero; the bulk routines (the fused 3×3, 5×5 and 7×7 loops, the
window-row loop for every other shape, serial and threaded) must give the
very same bits, for every compute dtype, stride, dilation, padding, border
mode, channel/group layout and size, including sizes just around the blocks
of rows the threaded loop hands out.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convtrace import engine
from convtrace.engine import conv, gpu
from convtrace.engine._fused import ROWS_PER_BLOCK
from tests.strategies import PAD_MODES, arrays

DTYPES = (np.float32, np.float64, np.int32, np.int64)
#: Output row counts around the threaded loop's blocks (and its pairs of rows).
BLOCK_EDGES = tuple(n for b in (ROWS_PER_BLOCK, 2 * ROWS_PER_BLOCK) for n in (b - 1, b, b + 1))


def traced(x, w, groups, pads, mode, pad_value, stride, dilation, shape):
    f, i, j = np.meshgrid(*(np.arange(n) for n in shape), indexing="ij")
    cells = np.stack([f.ravel(), i.ravel(), j.ravel()], axis=1).astype(np.int64)
    _, _, sums = engine.trace_correlate_cells(x, w, groups, pads, mode, pad_value, stride, dilation, cells)
    return sums.reshape(shape)


def assert_same_bits(got, expected):
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got.view(f"u{got.itemsize}"), expected.view(f"u{expected.itemsize}"))


@st.composite
def bulk_problems(draw, dtypes=DTYPES, sizes=(1, 2, 3, 5, 7), tall=True):
    dtype = draw(st.sampled_from(dtypes))
    kh = draw(st.sampled_from(sizes))
    kw = kh if draw(st.booleans()) else draw(st.integers(1, 10))
    stride = (draw(st.integers(1, 3)), draw(st.sampled_from([1, 1, 2, 3])))
    dilation = (draw(st.sampled_from([1, 1, 2])), draw(st.sampled_from([1, 1, 2, 3])))
    if draw(st.booleans()):
        dilation = (stride[0], dilation[1])  # two output rows per pass in the fused loops
    groups = draw(st.integers(1, 2))
    per_group = draw(st.integers(1, 2))
    filters_per_group = draw(st.integers(1, 2))
    mode = draw(st.sampled_from(PAD_MODES))
    pads = [draw(st.integers(0, 4)) for _ in range(4)]
    span = (dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1)
    if tall and draw(st.booleans()):
        n_rows = draw(st.sampled_from(BLOCK_EDGES))
        height = max(1, (n_rows - 1) * stride[0] + span[0] - pads[0] - pads[1])
    else:
        height = draw(st.integers(1, 12))
    width = draw(st.integers(1, 45))
    pads[1] = max(pads[1], span[0] - height - pads[0])
    pads[3] = max(pads[3], span[1] - width - pads[2])
    if mode == "reflect":  # reflect cannot pad more than n - 1
        pads = [min(p, (height if k < 2 else width) - 1) for k, p in enumerate(pads)]
        if height + pads[0] + pads[1] < span[0] or width + pads[2] + pads[3] < span[1]:
            mode = "replicate"
            pads[1] = max(pads[1], span[0] - height - pads[0])
            pads[3] = max(pads[3], span[1] - width - pads[2])
    pad_value = draw(st.integers(-3, 3)) if mode == "zeros" else 0
    x = arrays(draw, (groups * per_group, height, width), dtype)
    w = arrays(draw, (groups * filters_per_group, per_group, kh, kw), dtype)
    return dict(x=x, w=w, groups=groups, pads=tuple(pads), mode=mode, pad_value=pad_value, stride=stride,
                dilation=dilation)


def check_every_path(p):
    args = (p["x"], p["w"], p["groups"], p["pads"], p["mode"], p["pad_value"], p["stride"], p["dilation"])
    serial = engine.correlate(*args, parallel=False)
    expected = traced(*args, serial.shape)
    assert_same_bits(serial, expected)
    assert_same_bits(engine.correlate(*args, parallel=True), expected)
    assert_same_bits(engine.correlate(*args), expected)
    for parallel in (None, False, True):  # None: the small-input routine for most of these sizes
        out = np.full(serial.shape, 7, dtype=serial.dtype)  # every value must be overwritten
        assert engine.correlate(*args, parallel=parallel, out=out) is out
        assert_same_bits(out, expected)


@given(bulk_problems(dtypes=(np.float32,)))
def test_float32_bulk_routines_equal_the_trace(p):
    check_every_path(p)


@settings(max_examples=25)
@given(bulk_problems(dtypes=(np.float64, np.int32, np.int64)))
def test_other_dtypes_bulk_routines_equal_the_trace(p):
    check_every_path(p)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("k", conv.FUSED_SIZES)
def test_fused_routines_on_a_tall_image_with_blocks_and_pairs(dtype, k):
    rng = np.random.default_rng(k)
    x = (rng.standard_normal((1, 2 * ROWS_PER_BLOCK + 3, 37)) * 8).astype(dtype)
    w = (rng.standard_normal((1, 1, k, k)) * 8).astype(dtype)
    p = dict(x=x, w=w, groups=1, pads=(k // 2,) * 4, mode="reflect", pad_value=0, stride=(1, 1),
             dilation=(1, 1))
    check_every_path(p)


def test_negative_zero_products_sum_to_positive_zero_as_in_the_trace():
    # 0 + (-0.0) is +0.0: a loop that started from the first product would keep -0.0.
    x = np.zeros((1, 70, 20), dtype=np.float32)
    w = -np.ones((1, 1, 3, 3), dtype=np.float32)
    for parallel in (False, True):
        out = engine.correlate(x, w, 1, (1, 1, 1, 1), "reflect", 0, (1, 1), (1, 1), parallel=parallel)
        assert not np.signbit(out).any()


def test_int32_and_int64_agree_where_the_sums_fit():
    rng = np.random.default_rng(5)
    pixels = rng.integers(0, 256, (3, 131, 67))
    sharpen = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])[None, None]
    for kernel in (sharpen, rng.integers(-128, 128, (1, 1, 5, 5)), rng.integers(-128, 128, (1, 1, 4, 6))):
        w = np.repeat(kernel, 3, axis=0)
        args = (3, (2, 2, 2, 3), "symmetric", 0, (1, 1), (1, 1))
        for parallel in (False, True):
            narrow = engine.correlate(pixels.astype(np.int32), w.astype(np.int32), *args, parallel=parallel)
            wide = engine.correlate(pixels.astype(np.int64), w.astype(np.int64), *args, parallel=parallel)
            assert narrow.dtype == np.int32
            np.testing.assert_array_equal(narrow, wide)


def test_read_only_and_strided_weights_are_accepted():
    x = np.arange(2 * 9 * 11, dtype=np.float32).reshape(2, 9, 11)
    w = np.arange(2 * 2 * 3 * 6, dtype=np.float32).reshape(2, 2, 3, 6)[:, :, :, ::2]
    ro = np.ascontiguousarray(w)
    ro.flags.writeable = False
    args = (1, (1, 1, 1, 1), "zeros", 0, (1, 1), (1, 1))
    expected = engine.correlate(x, np.ascontiguousarray(w), *args, parallel=False)
    assert_same_bits(engine.correlate(x, w, *args, parallel=False), expected)
    assert_same_bits(engine.correlate(x, ro, *args, parallel=False), expected)


@pytest.mark.skipif(not gpu.available(), reason="no CUDA device and no simulator")
def test_gpu_reuses_its_buffers_without_mixing_up_calls_and_fills_out():
    rng = np.random.default_rng(3)
    args = (1, (1, 1, 1, 1), "replicate", 0, (1, 1), (1, 1))
    w = rng.integers(-3, 4, (1, 1, 3, 3)).astype(np.int64)
    for shape in ((1, 5, 6), (1, 5, 6), (1, 4, 7)):  # same shapes reuse the device buffers
        x = rng.integers(-9, 10, shape).astype(np.int64)
        expected = engine.correlate(x, w, *args, parallel=False)
        np.testing.assert_array_equal(engine.correlate(x, w, *args, device="cuda"), expected)
        out = np.zeros_like(expected)
        assert engine.correlate(x, w, *args, device="cuda", out=out) is out
        np.testing.assert_array_equal(out, expected)


# --------------------------------------------------------------------------- 8- and 16-bit integer inputs

NARROW = (np.uint8, np.int8, np.uint16, np.int16)


@st.composite
def narrow_problems(draw, tall=True):
    """A bulk problem with int32 weights and an 8- or 16-bit input over its whole range (the library's
    int32 path: |x| × Σ|w| stays far below 2**31 for these weights)."""
    p = draw(bulk_problems(dtypes=(np.int32,), tall=tall))
    dtype = np.dtype(draw(st.sampled_from(NARROW)))
    info = np.iinfo(dtype)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(info.min, int(info.max) + 1, size=p["x"].shape, dtype=np.int64)
    corners = np.array([info.min, info.max, 0], dtype=np.int64)
    x.flat[: min(3, x.size)] = corners[: min(3, x.size)]  # the extremes always appear
    p["x"] = x.astype(dtype)
    if p["mode"] == "zeros" and draw(st.booleans()):  # mostly a pad value the input's dtype holds
        p["pad_value"] = draw(st.integers(max(int(info.min), -3), 3))
    return p


def check_narrow_input(p, monkeypatch):
    x, w = p["x"], p["w"]
    rest = (p["groups"], p["pads"], p["mode"], p["pad_value"], p["stride"], p["dilation"])
    seen = []
    bulk = engine.correlate_bulk
    monkeypatch.setattr(engine, "correlate_bulk", lambda x, *a: seen.append(x.dtype) or bulk(x, *a))
    serial = engine.correlate(x, w, *rest, parallel=False, dtype=np.int32)
    assert seen == [x.dtype if engine.reads_directly(x.dtype, np.int32, p["pad_value"]) else np.dtype(np.int32)]
    reference = traced(x.astype(np.int64), w.astype(np.int64), *rest, serial.shape)
    assert serial.dtype == np.int32
    np.testing.assert_array_equal(serial, reference)
    assert_same_bits(serial, traced(x.astype(np.int32), w, *rest, serial.shape))
    assert_same_bits(engine.correlate(x, w, *rest, parallel=True, dtype=np.int32), serial)
    assert_same_bits(engine.correlate(x, w, *rest, dtype=np.int32), serial)  # the small routine, mostly
    for parallel in (None, False, True):
        out = np.full(serial.shape, 7, dtype=np.int32)  # every value must be overwritten
        assert engine.correlate(x, w, *rest, parallel=parallel, out=out, dtype=np.int32) is out
        assert_same_bits(out, serial)


@given(p=narrow_problems())
def test_8_and_16_bit_inputs_in_the_bulk_routines_equal_the_int64_reference_and_the_trace(p):
    with pytest.MonkeyPatch.context() as monkeypatch:
        check_narrow_input(p, monkeypatch)


@pytest.mark.parametrize("dtype", [np.uint8, np.int16])  # each pair compiles a fused loop: two cover both widths and signs
@pytest.mark.parametrize("k", conv.FUSED_SIZES)
def test_narrow_inputs_in_the_fused_routines_on_a_tall_multichannel_image(dtype, k, monkeypatch):
    # Blocks and pairs of rows, three channels filtered by two filters each (six maps), constant padding
    # of a value the input holds (copied rows of the input's dtype) and reflected borders.
    rng = np.random.default_rng(k)
    info = np.iinfo(dtype)
    x = rng.integers(info.min, int(info.max) + 1, (3, 2 * ROWS_PER_BLOCK + 3, 41)).astype(dtype)
    w = rng.integers(-20, 21, (6, 1, k, k)).astype(np.int32)
    for mode, pad_value in (("zeros", 2), ("zeros", 0), ("reflect", 0)):
        p = dict(x=x, w=w, groups=3, pads=(k // 2, k - 1, k // 2, 1), mode=mode, pad_value=pad_value,
                 stride=(1, 1), dilation=(1, 1))
        check_narrow_input(p, monkeypatch)
        monkeypatch.undo()


@st.composite
def eight_bit_int16_problems(draw):
    """A bulk problem with an 8-bit input over its whole range and weights whose sums provably fit
    int16 (largest |value| × Σ|w| of every filter ≤ 32767: what ``dtype=np.int16`` asks the library
    to prove), the pad value one the input's dtype holds."""
    p = draw(narrow_problems())
    dtype = np.dtype(draw(st.sampled_from((np.uint8, np.int8))))
    info = np.iinfo(dtype)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(info.min, int(info.max) + 1, size=p["x"].shape)
    x.flat[: min(2, x.size)] = (info.min, info.max)[: min(2, x.size)]
    p["x"] = x.astype(dtype)
    p["pad_value"] = int(np.clip(p["pad_value"], info.min, info.max))
    budget = np.iinfo(np.int16).max // max(abs(int(info.min)), int(info.max))
    w = np.clip(p["w"], -2, 2).astype(np.int16)
    flat = w.reshape(w.shape[0], -1)
    flat[np.cumsum(np.abs(flat), axis=1) > budget] = 0  # keep each filter within the bound
    p["w"] = w
    return p


@given(p=eight_bit_int16_problems())
@settings(max_examples=40)
def test_8_bit_inputs_summed_in_int16_in_the_bulk_routines_equal_the_int64_reference(p):
    x, w = p["x"], p["w"]
    rest = (p["groups"], p["pads"], p["mode"], p["pad_value"], p["stride"], p["dilation"])
    reference = traced(x.astype(np.int64), w.astype(np.int64), *rest,
                       engine.correlate(x, w, *rest, dtype=np.int32).shape)
    assert np.abs(reference).max(initial=0) <= np.iinfo(np.int16).max
    with pytest.MonkeyPatch.context() as monkeypatch:
        seen = []
        bulk = engine.correlate_bulk
        monkeypatch.setattr(engine, "correlate_bulk", lambda x, *a: seen.append(x.dtype) or bulk(x, *a))
        serial = engine.correlate(x, w, *rest, parallel=False, dtype=np.int16)
        assert seen == [x.dtype]  # read as it is: no int16 copy of the image
    assert serial.dtype == np.int16
    np.testing.assert_array_equal(serial, reference)
    assert_same_bits(engine.correlate(x, w, *rest, parallel=True, dtype=np.int16), serial)
    for parallel in (None, False, True):
        out = np.full(serial.shape, 7, dtype=np.int16)  # every value must be overwritten
        assert engine.correlate(x, w, *rest, parallel=parallel, out=out, dtype=np.int16) is out
        assert_same_bits(out, serial)
    # int16 sums stored widened into an int32 result (the fused loops; the others add in int32)
    wide = reference.astype(np.int32)
    for parallel in (None, False, True):
        assert_same_bits(engine.correlate(x, w, *rest, parallel=parallel, dtype=np.int32, sums=np.int16), wide)
        out = np.full(serial.shape, 7, dtype=np.int32)
        assert engine.correlate(x, w, *rest, parallel=parallel, out=out, dtype=np.int32, sums=np.int16) is out
        assert_same_bits(out, wide)


@pytest.mark.parametrize("k", conv.FUSED_SIZES)
def test_int16_sums_stored_as_int32_on_a_tall_multichannel_8_bit_image(k, monkeypatch):
    # Pairs of rows and an odd last row, channels summed into one map and filtered apart, constant
    # padding of a value the input holds, reflected borders: every sum made in int16, stored as int32.
    rng = np.random.default_rng(30 + k)
    x = rng.integers(0, 256, (2, 2 * ROWS_PER_BLOCK + 3, 41)).astype(np.uint8)
    seen = []
    bulk = engine.correlate_bulk
    monkeypatch.setattr(engine, "correlate_bulk", lambda x, w, *a: seen.append((w.dtype, a[-3].dtype)) or bulk(x, w, *a))
    for groups, w in ((1, rng.integers(-1, 2, (3, 2, k, k))), (2, rng.integers(-2, 3, (4, 1, k, k)))):
        for mode, pad_value in (("zeros", 3), ("reflect", 0)):
            rest = (groups, (k // 2, k - 1, k // 2, 1), mode, pad_value, (1, 1), (1, 1))
            expected = traced(x.astype(np.int64), w, *rest, engine.correlate(x, w, *rest, dtype=np.int32).shape)
            for parallel in (False, True):
                got = engine.correlate(x, w, *rest, parallel=parallel, dtype=np.int32, sums=np.int16)
                assert_same_bits(got, expected.astype(np.int32))
    assert set(seen) == {(np.dtype(np.int16), np.dtype(np.int32)), (np.dtype(np.int32), np.dtype(np.int32))}


def test_the_api_sums_an_int16_result_in_int16_without_a_copy_of_the_image(monkeypatch):
    import convtrace

    rng = np.random.default_rng(16)
    image = rng.integers(0, 256, (3, 2 * ROWS_PER_BLOCK + 1, 300)).astype(np.uint8)
    seen = []
    bulk = engine.correlate_bulk
    monkeypatch.setattr(engine, "correlate_bulk",
                        lambda x, w, *a: seen.append((x.dtype, w.dtype, a[-3].dtype)) or bulk(x, w, *a))
    kernels = ("sharpen", "emboss", "laplacian-8")
    for kernel in kernels:
        narrow = convtrace.conv2d(image, kernel, padding="same", pad_mode="reflect", dtype=np.int16)
        exact = convtrace.conv2d(image.astype(np.int64), kernel, padding="same", pad_mode="reflect")
        assert narrow.dtype == np.int16
        np.testing.assert_array_equal(narrow, exact)
    narrow_calls = [call for call in seen if call[0] == np.uint8]  # the int64 references go there too
    assert narrow_calls == [(np.dtype(np.uint8), np.dtype(np.int16), np.dtype(np.int16))] * len(kernels)


def test_the_api_sums_an_8_bit_image_in_int16_where_the_dtypes_prove_it_fits(monkeypatch):
    import convtrace

    rng = np.random.default_rng(17)
    image = rng.integers(0, 256, (3, ROWS_PER_BLOCK + 1, 300)).astype(np.uint8)
    seen = []
    bulk = engine.correlate_bulk
    monkeypatch.setattr(engine, "correlate_bulk",
                        lambda x, w, *a: seen.append((x.dtype, w.dtype, a[-3].dtype)) or bulk(x, w, *a))
    for kernel, sums in (("sharpen", np.int16), ("sobel-left", np.int16), ("gaussian-5", np.int32)):
        seen.clear()
        op = convtrace.prepare_conv2d(image, kernel, padding="same", pad_mode="reflect")
        got = op.sums()
        assert got.dtype == np.int32
        assert seen == [(np.dtype(np.uint8), np.dtype(sums), np.dtype(np.int32))]
        exact = convtrace.prepare_conv2d(image.astype(np.int64), kernel, padding="same", pad_mode="reflect").sums()
        np.testing.assert_array_equal(got, exact)
        assert op.trace([(0, 0, 0), (2, ROWS_PER_BLOCK, 299)]).subtotals.dtype == np.int32  # traces: int32, as before
    signed = rng.integers(-128, 128, image.shape).astype(np.int8)
    assert convtrace.prepare_conv2d(signed, "sharpen").sum_dtype == np.int16
    for wider in (image.astype(np.uint16), image.astype(np.int32)):  # only 8-bit inputs
        assert convtrace.prepare_conv2d(wider, "sharpen").sum_dtype is None


def test_which_inputs_the_bulk_routines_read_as_they_are():
    for dtype in NARROW:
        assert engine.reads_directly(dtype, np.int32)
        assert engine.reads_directly(dtype, np.int32, np.iinfo(dtype).max)
        assert not engine.reads_directly(dtype, np.int32, int(np.iinfo(dtype).max) + 1)
        assert not engine.reads_directly(dtype, np.int64)  # only int32 sums: one variant per image dtype
        assert engine.reads_directly(dtype, np.int16) == (np.dtype(dtype).itemsize == 1)  # 8-bit in int16
    assert not engine.reads_directly(np.uint8, np.int32, -1)  # the padding row would not hold it
    for dtype in (np.int32, np.int64, np.float32, np.bool_, np.uint32):
        assert not engine.reads_directly(dtype, np.int32)


def test_the_api_sums_an_8_bit_image_without_an_int32_copy_of_it(monkeypatch):
    import convtrace

    rng = np.random.default_rng(12)
    image = rng.integers(0, 256, (2, 300, 257)).astype(np.uint8)
    seen = []
    bulk = engine.correlate_bulk
    monkeypatch.setattr(engine, "correlate_bulk",
                        lambda x, *a: seen.append((x.dtype, np.shares_memory(x, image))) or bulk(x, *a))
    got = convtrace.conv2d(image, "sharpen", padding="same", pad_mode="reflect")
    assert seen == [(np.dtype(np.uint8), True)]
    assert got.dtype == np.int32
    sharpen = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
    expected = convtrace.conv2d(image.astype(np.int64), sharpen, padding="same", pad_mode="reflect")
    np.testing.assert_array_equal(got, expected)
    trace = convtrace.prepare_conv2d(image, "sharpen", padding="same", pad_mode="reflect").trace([(0, 0, 0)])
    assert trace.output.dtype == np.int32
    np.testing.assert_array_equal(trace.output, expected)
