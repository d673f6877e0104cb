"""The engine's one-pass pixel conversions against NumPy's multi-pass reference."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from convtrace.engine.pixels import CLIP, NORMALIZE, interleaved_pixels, planar
from convtrace.io.images import pixels

MODES = {"clip": 0, "abs": 1, "normalize": 2}


def reference(sums, scale, mode: str, maxval: int) -> np.ndarray:
    """What transpose, multiply, nan_to_num, rint, clip and astype give, one pass each."""
    # Integer sums times the scale in float64 (an int32 array times 3 would wrap in NumPy).
    values = np.asarray(sums.astype(np.float64) * scale if sums.dtype.kind != "f" else sums * sums.dtype.type(scale))
    values = np.nan_to_num(values.astype(np.float32), nan=0.0, posinf=maxval, neginf=0.0).astype(np.float64)
    if mode == "abs":
        values = np.abs(values)
    elif mode == "normalize":
        lo, hi = values.min(), values.max()
        values = (values - lo) * (maxval / (hi - lo)) if hi > lo else values * 0.0
    dtype = np.uint16 if maxval > 255 else np.uint8
    return np.clip(np.rint(values), 0, maxval).astype(dtype).transpose(1, 2, 0)


shapes = st.tuples(st.integers(1, 4), st.integers(1, 9), st.integers(1, 11))
floats = st.floats(allow_nan=True, allow_infinity=True, width=32)


@settings(max_examples=80, deadline=None)
@given(data=st.data(), shape=shapes, mode=st.sampled_from(sorted(MODES)), maxval=st.sampled_from([255, 65535]),
       dtype=st.sampled_from([np.float32, np.float64, np.int32, np.int64]),
       scale=st.sampled_from([1, 0.5, 1 / 9, 1 / 16, 1 / 256, 3]))
def test_one_pass_equals_numpy(data, shape, mode, maxval, dtype, scale):
    if np.dtype(dtype).kind == "f":
        sums = data.draw(hnp.arrays(dtype, shape, elements=floats | st.floats(-600, 70000, width=32)))
    else:
        sums = data.draw(hnp.arrays(dtype, shape, elements=st.integers(-2**31 + 1, 2**31 - 1)))
    got = pixels(sums, mode, maxval, scale)
    with np.errstate(invalid="ignore", over="ignore"):
        want = reference(sums, scale, mode, maxval)
    np.testing.assert_array_equal(got, want)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), channels=st.sampled_from([1, 3]), height=st.integers(1, 5), width=st.integers(17, 300),
       mode=st.sampled_from(sorted(MODES)), maxval=st.sampled_from([255, 65535]),
       dtype=st.sampled_from([np.float32, np.int32, np.int64]), scale=st.sampled_from([1, 1 / 16, 3, -0.25]))
def test_vectorised_loops_equal_numpy_on_rows_past_a_vector(data, channels, height, width, mode, maxval, dtype,
                                                              scale):
    """One and three channels go through vectorised loops: rows long enough for whole vectors and a
    tail, values on both sides of 0 and maxval."""
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    sums = rng.integers(-2 * maxval, 2 * maxval, (channels, height, width)).astype(dtype)
    if np.dtype(dtype).kind == "f":
        sums[rng.random(sums.shape) < 0.05] = rng.choice(np.array([np.nan, np.inf, -np.inf, 0.5, 2.5], dtype))
    got = pixels(sums, mode, maxval, scale)
    with np.errstate(invalid="ignore", over="ignore"):
        want = reference(sums, scale, mode, maxval)
    np.testing.assert_array_equal(got, want)


def test_a_photo_sized_rgb_result_equals_numpy_in_every_mode():
    sums = np.random.default_rng(3).integers(-400, 700, (3, 97, 1031)).astype(np.int32)
    for mode in MODES:
        for scale in (1, 1 / 16):
            np.testing.assert_array_equal(pixels(sums, mode, 255, scale), reference(sums, scale, mode, 255))


@pytest.mark.parametrize("dtype", [np.int16, np.int32, np.int64, np.uint8])
@pytest.mark.parametrize("scale", [1, 1 / 16, -1, -1 / 9, 0])
def test_integer_sums_stretch_between_their_converted_extremes(dtype, scale):
    """Normalize finds an integer result's range from its least and greatest sums (a vectorised
    integer scan): with a negative scale those swap ends, with 0 the image is flat."""
    info = np.iinfo(dtype)
    rng = np.random.default_rng(7)
    sums = rng.integers(max(info.min, -5000), min(info.max, 5000), (3, 21, 67), endpoint=True).astype(dtype)
    got = pixels(sums, "normalize", 255, scale)
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(got, reference(sums, scale, "normalize", 255))
    assert got.min() == 0 and got.max() == (0 if scale == 0 else 255)


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_absolute_integers_at_the_ends_of_their_dtype(dtype):
    """abs of integer sums is made in their integers: the most negative one (whose negation wraps)
    is still far past maxval, and maxval itself stays."""
    info = np.iinfo(dtype)
    sums = np.array([[[info.min, info.min + 1, -256, -255, -1, 0, 254, 255, 256, info.max] * 2]], dtype=dtype)
    got = pixels(sums, "abs", 255)
    np.testing.assert_array_equal(got, reference(sums, 1, "abs", 255))
    assert got[0, :10, 0].tolist() == [255, 255, 255, 255, 1, 0, 254, 255, 255, 255]


def test_an_out_that_is_not_a_fresh_c_contiguous_array_is_refused():
    sums = np.zeros((3, 4, 5), np.int32)
    with pytest.raises(ValueError, match="C-contiguous"):
        interleaved_pixels(sums, 1.0, CLIP, np.float32(255), np.empty((5, 4, 3), np.uint8).transpose(1, 0, 2))
    with pytest.raises(ValueError, match="shape"):
        interleaved_pixels(sums, 1.0, CLIP, np.float32(255), np.empty((4, 5, 1), np.uint8))


def test_half_rounds_to_even_and_edges_clip():
    sums = np.array([[[0.5, 1.5, 2.5, -0.4, -3.0, 254.5, 255.5, 300.0]]], dtype=np.float32)
    got = interleaved_pixels(sums, np.float32(1), CLIP, np.float32(255), np.empty((1, 8, 1), np.uint8))
    assert got[0, :, 0].tolist() == [0, 2, 2, 0, 0, 254, 255, 255]


def test_flat_image_normalizes_to_black():
    sums = np.full((1, 3, 3), 7.0, dtype=np.float32)
    got = interleaved_pixels(sums, np.float32(1), NORMALIZE, np.float32(255), np.empty((3, 3, 1), np.uint8))
    assert not got.any()


@pytest.mark.parametrize("out_dtype", [np.float32, np.uint8])
@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_planar_is_a_transpose(channels, out_dtype):
    pixels_hwc = np.random.default_rng(channels).integers(0, 256, (5, 7, channels), dtype=np.uint8)
    out = planar(pixels_hwc, np.empty((channels, 5, 7), out_dtype))
    np.testing.assert_array_equal(out, pixels_hwc.transpose(2, 0, 1).astype(out_dtype))


PNG_MEMORY_SCRIPT = textwrap.dedent("""
    import resource
    import numpy as np
    from convtrace.convolution import prepare_conv2d
    from convtrace.io.images import result_png
    rng = np.random.default_rng(3)
    result_png(prepare_conv2d(rng.integers(0, 256, (3, 40, 50), dtype=np.uint8), "gaussian-5", padding="same"))
    photo = rng.integers(0, 256, size=(3, 3000, 4000), dtype=np.uint8)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    data = result_png(prepare_conv2d(photo, "gaussian-5", padding="same", pad_mode="reflect"))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(before, after, len(data))
""")


def test_a_12_megapixel_photo_to_png_makes_no_full_size_float_copies():
    """int32 input and sums (144 MB each) and the pixels: no int64 or float64 copies (before: about 1 GB)."""
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", PNG_MEMORY_SCRIPT], capture_output=True, text=True, timeout=600,
                         env=dict(os.environ, PYTHONPATH=str(root)), cwd=root)
    assert out.returncode == 0, out.stderr
    before, after, size = (int(v) for v in out.stdout.split())
    assert size > 0
    assert (after - before) * 1024 < 400 * 2**20, (before, after)


def test_png_of_a_traced_photo_is_the_whole_result(run, tmp_path):
    from PIL import Image

    import convtrace

    rgb = np.random.default_rng(5).integers(0, 256, (70, 90, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(tmp_path / "p.png")
    result = run("conv", tmp_path / "p.png", "-k", "gaussian-5", "--padding", "same", "--trace", "--at", "3,4",
                 "-o", tmp_path / "out.png")
    assert result.exit_code == 0, result.output
    want = np.clip(np.rint(convtrace.conv2d(np.moveaxis(rgb, -1, 0), "gaussian-5", padding="same")), 0, 255)
    np.testing.assert_array_equal(np.moveaxis(np.asarray(Image.open(tmp_path / "out.png")), -1, 0), want)


# --------------------------------------------------------------------------- Pillow's memory, viewed

@settings(max_examples=40, deadline=None)
@given(mode=st.sampled_from(["L", "RGB", "RGBA"]), height=st.integers(1, 40), width=st.integers(1, 40),
       seed=st.integers(0, 2**16))
def test_the_storage_view_is_what_numpy_copies(mode, height, width, seed):
    from PIL import Image

    from convtrace.io.pixel_memory import storage_view

    bands = len(mode)
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, bands)[:2 if bands == 1 else 3],
                                                  dtype=np.uint8)
    img = Image.fromarray(pixels, mode)
    with storage_view(img) as view:
        assert view is not None and not view.flags.writeable
        np.testing.assert_array_equal(view if bands == 1 else view[..., :bands], np.asarray(img))


def test_the_storage_view_gives_way_where_pillow_cannot_export():
    from PIL import Image

    from convtrace.io.pixel_memory import storage_view

    for img in (Image.new("I;16", (5, 4)), Image.new("LA", (5, 4)), Image.new("F", (5, 4))):
        with storage_view(img) as view:
            assert view is None
    class OddExport:  # an export laid out otherwise, or failing: copied, never misread
        mode, size = "RGB", (5, 4)

        def __arrow_c_array__(self):
            return Image.new("L", (5, 4)).__arrow_c_array__()

    class FailingExport(OddExport):
        def __arrow_c_array__(self):
            raise ValueError("no export")

    for img in (OddExport(), FailingExport()):
        with storage_view(img) as view:
            assert view is None
    block = Image.core.get_block_size()
    Image.core.set_block_size(4096)      # a large image's rows end up in several blocks
    try:
        img = Image.new("RGB", (300, 200), (1, 2, 3))
        with storage_view(img) as view:
            assert view is None
    finally:
        Image.core.set_block_size(block)


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "LA", "P"])
@pytest.mark.parametrize("keep_integers", [False, True])
def test_decode_reads_the_view_as_it_reads_a_copy(tmp_path, monkeypatch, mode, keep_integers):
    import contextlib

    from PIL import Image

    from convtrace.batch import images
    from convtrace.io import pixel_memory

    rng = np.random.default_rng(len(mode))
    img = Image.fromarray(rng.integers(0, 256, (13, 17, 4), dtype=np.uint8), "RGBA").convert(mode)
    path = tmp_path / "img.png"
    img.save(path)
    viewed = images.decode(path, keep_integers)

    @contextlib.contextmanager
    def no_view(img):
        yield None

    monkeypatch.setattr(pixel_memory, "storage_view", no_view)
    copied = images.decode(path, keep_integers)
    np.testing.assert_array_equal(viewed[0], copied[0])
    assert viewed[0].dtype == copied[0].dtype and viewed[0].flags.writeable
    assert (viewed[1] is None) == (copied[1] is None)
    if viewed[1] is not None:
        np.testing.assert_array_equal(viewed[1], copied[1])
    assert viewed[2:] == copied[2:]
