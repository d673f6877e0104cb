"""``conv``/``pool -o FILE``: the format from the file's name, and PNGs with the pixels ``batch`` writes."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from convtrace.io.images import png_bytes

MATRIX = "0 10 10 0; 20 30 30 20; 10 20 20 10; 0 5 5 0"
KERNEL = "1 0; 0 2"
EXPECTED = np.array([[60, 70, 50], [60, 70, 50], [20, 30, 20]])


def _conv(run, out, *extra):
    return run("conv", MATRIX, "-k", KERNEL, "-o", out, *extra)


def test_png_from_the_name(run, tmp_path):
    out = tmp_path / "r.png"
    result = _conv(run, out)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(data))), EXPECTED)


def test_json_from_the_name(run, tmp_path):
    out = tmp_path / "r.json"
    assert _conv(run, out).exit_code == 0
    assert json.loads(out.read_text())["output"] == EXPECTED.tolist()


def test_npy_from_the_name_loads_with_numpy(run, tmp_path):
    out = tmp_path / "r.npy"
    assert _conv(run, out).exit_code == 0
    assert np.array_equal(np.load(out, allow_pickle=False), EXPECTED)


def test_csv_from_the_name(run, tmp_path):
    out = tmp_path / "r.csv"
    assert _conv(run, out).exit_code == 0
    rows = [r for r in out.read_text().splitlines() if r and not r.startswith("#")]
    assert np.array_equal(np.array([[float(v) for v in r.split(",")] for r in rows]), EXPECTED)


@pytest.mark.parametrize("suffix, marker", [(".md", "|"), (".markdown", "|"), (".tex", "\\"), (".txt", "70")])
def test_text_formats_from_the_name(run, tmp_path, suffix, marker):
    out = tmp_path / f"r{suffix}"
    assert _conv(run, out).exit_code == 0
    text = out.read_text()
    assert marker in text and "\x1b[" not in text
    assert all(v in text for v in ("60", "70", "50", "20", "30"))
    if suffix == ".txt":
        assert all(line == line.rstrip() for line in text.splitlines())  # no padding to the console width


def test_explicit_format_wins_when_the_name_says_nothing(run, tmp_path):
    out = tmp_path / "result.data"
    assert _conv(run, out, "--format", "json").exit_code == 0
    assert json.loads(out.read_text())["output"] == EXPECTED.tolist()


def test_explicit_format_agreeing_with_the_name(run, tmp_path):
    out = tmp_path / "r.MD"
    assert _conv(run, out, "-f", "markdown").exit_code == 0
    assert "|" in out.read_text()


@pytest.mark.parametrize("lang, words", [("en", "ends in .png but --format json was asked"),
                                         ("es", "termina en .png pero se pidió --format json")])
def test_a_mismatch_is_an_error_and_writes_nothing(run, tmp_path, lang, words):
    out = tmp_path / "out.png"
    result = _conv(run, out, "-f", "json", "--lang", lang)
    assert result.exit_code == 2
    assert words in result.output and ".json" in result.output
    assert not out.exists()


def test_an_unknown_suffix_without_format_lists_the_suffixes(run, tmp_path):
    out = tmp_path / "out.xyz"
    result = _conv(run, out)
    assert result.exit_code == 2
    for suffix in (".txt", ".json", ".csv", ".md", ".tex", ".npy", ".png", ".jpg", ".jpeg"):
        assert suffix in result.output
    assert not out.exists()


def test_csv_with_trace_writes_the_steps(run, tmp_path):
    out = tmp_path / "steps.csv"
    result = _conv(run, out, "--trace")
    assert result.exit_code == 0, result.output
    rows = out.read_text().strip().splitlines()
    assert len(rows) == 1 + EXPECTED.size  # a header and one row per window
    assert rows[1].split(",")[-1] == "60"


# ------------------------------------------------------------------ one filter, one picture


def _image(path, array):
    Image.fromarray(array).save(path)
    return path


@st.composite
def images(draw):
    h = draw(st.integers(4, 9))
    w = draw(st.integers(4, 9))
    channels = draw(st.sampled_from([None, 3]))
    shape = (h, w) if channels is None else (h, w, channels)
    seed = draw(st.integers(0, 2**32 - 1))
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


@pytest.mark.parametrize("kernel", ["sharpen", "gaussian-3", "sobel-x", "box-blur"])
@pytest.mark.parametrize("range_mode", ["clip", "abs", "normalize"])
def test_conv_png_has_the_pixels_of_batch(run, tmp_path, kernel, range_mode):
    rng = np.random.default_rng(abs(hash((kernel, range_mode))) % 2**32)
    for n, shape in enumerate([(7, 9), (6, 5, 3)]):
        src = tmp_path / f"in{n}"
        src.mkdir()
        photo = _image(src / "photo.png", rng.integers(0, 256, size=shape, dtype=np.uint8))
        out = tmp_path / f"conv{n}.png"
        conv = run("conv", photo, "-k", kernel, "--padding", "same", "--pad-mode", "replicate",
                   "--range", range_mode, "-o", out)
        assert conv.exit_code == 0, conv.output
        batch = run("batch", src, tmp_path / f"batch{n}", "-k", kernel, "--range", range_mode, "--quiet")
        assert batch.exit_code == 0, batch.output
        mine = np.asarray(Image.open(out))
        theirs = np.asarray(Image.open(tmp_path / f"batch{n}" / "photo.png"))
        assert mine.shape == theirs.shape and np.array_equal(mine, theirs)


@pytest.mark.parametrize("range_mode", ["clip", "abs", "normalize"])
def test_conv_with_batch_settings_spelled_out_for_batch(run, tmp_path, range_mode):
    """conv's defaults (padding 0, zeros) given to batch explicitly: the same picture again."""
    src = tmp_path / "in"
    src.mkdir()
    photo = _image(src / "p.png", np.random.default_rng(3).integers(0, 256, size=(8, 8), dtype=np.uint8))
    assert run("conv", photo, "-k", "outline", "--range", range_mode, "-o", tmp_path / "c.png").exit_code == 0
    assert run("batch", src, tmp_path / "b", "-k", "outline", "--padding", "0", "--pad-mode", "zeros",
               "--range", range_mode, "--quiet").exit_code == 0
    assert np.array_equal(np.asarray(Image.open(tmp_path / "c.png")), np.asarray(Image.open(tmp_path / "b" / "p.png")))


def test_the_default_range_is_clip_as_in_batch(run, tmp_path):
    """Sharpening a flat patch next to a bright one overshoots: clipped to 0…255, not stretched."""
    photo = _image(tmp_path / "p.png", np.array([[0, 0, 0, 0], [0, 0, 200, 200], [0, 0, 200, 200]], dtype=np.uint8))
    assert run("conv", photo, "-k", "sharpen", "-o", tmp_path / "c.png").exit_code == 0
    got = np.asarray(Image.open(tmp_path / "c.png"))
    assert got.tolist() == [[0, 255]]  # 0·5 − 200 → 0, 200·5 − 200 − 200 → 600 → 255


def test_pool_has_range_too(run, tmp_path):
    photo = _image(tmp_path / "p.png", np.arange(16, dtype=np.uint8).reshape(4, 4) * 10)
    result = run("pool", photo, "--size", "2", "--range", "normalize", "-o", tmp_path / "p2.png")
    assert result.exit_code == 0, result.output
    assert np.asarray(Image.open(tmp_path / "p2.png")).tolist() == [[0, 51], [204, 255]]  # maxima 50 70 130 150 stretched


@given(images(), st.sampled_from(["clip", "abs", "normalize"]), st.integers(-300, 300))
def test_png_bytes_is_the_reference_conversion(array, range_mode, shift):
    """png_bytes against a plain NumPy reference: abs / min–max stretch, round half to even, clip."""
    values = array.astype(np.float64) + shift
    planar = values if values.ndim == 2 else np.moveaxis(values, -1, 0)
    ref = values.copy()
    if range_mode == "abs":
        ref = np.abs(ref)
    elif range_mode == "normalize":
        lo, hi = ref.min(), ref.max()
        ref = (ref - lo) * np.float32(255 / (hi - lo)) if hi > lo else np.zeros_like(ref)
    ref = np.clip(np.rint(ref), 0, 255).astype(np.uint8)
    got = np.asarray(Image.open(io.BytesIO(png_bytes(planar, range_mode))))
    if range_mode == "normalize":
        assert np.abs(got.astype(int) - ref.astype(int)).max() <= 1  # float32 vs float64 stretch
    else:
        assert np.array_equal(got, ref)


def test_a_png_of_two_maps_is_refused(run, tmp_path):
    out = tmp_path / "two.png"
    result = run("conv", "1 2 3; 4 5 6; 7 8 9\n\n1 1 1; 2 2 2; 3 3 3", "-k", "1 0; 0 1", "-o", out)
    assert result.exit_code == 2, result.output
    assert "2 maps" in result.output and ".npy" in result.output
    assert not out.exists()


@pytest.mark.parametrize("suffix", [".jpg", ".jpeg"])
@pytest.mark.parametrize("shape", [(30, 41), (33, 47, 3)])
def test_conv_jpeg_is_the_jpeg_batch_writes(run, tmp_path, suffix, shape):
    """A photographer's ``conv photo.jpg -o out.jpg``: the bytes a batch writes for the same photo (the
    same pixels, JPEG quality 92), gray and RGB."""
    src = tmp_path / "in"
    src.mkdir()
    rng = np.random.default_rng(len(shape) + len(suffix))
    Image.fromarray(rng.integers(0, 256, size=shape, dtype=np.uint8)).save(src / f"photo{suffix}", quality=95)
    out = tmp_path / f"conv{suffix}"
    conv = run("conv", src / f"photo{suffix}", "-k", "sharpen", "--padding", "same", "--pad-mode", "replicate",
               "-o", out)
    assert conv.exit_code == 0, conv.output
    assert out.read_bytes()[:3] == b"\xff\xd8\xff"
    batch = run("batch", src, tmp_path / "batch", "-k", "sharpen", "--quiet")
    assert batch.exit_code == 0, batch.output
    assert out.read_bytes() == (tmp_path / "batch" / f"photo{suffix}").read_bytes()


def test_a_16_bit_result_is_written_as_an_8_bit_jpeg_of_the_png_pixels(run, tmp_path):
    photo = tmp_path / "deep.png"
    Image.fromarray(np.random.default_rng(5).integers(0, 65536, size=(12, 17), dtype=np.uint16)).save(photo)
    assert run("conv", photo, "-k", "box-blur", "-o", tmp_path / "r.png").exit_code == 0
    result = run("conv", photo, "-k", "box-blur", "-o", tmp_path / "r.jpg")
    assert result.exit_code == 0, result.output
    deep = np.asarray(Image.open(tmp_path / "r.png"))
    assert deep.dtype == np.uint16
    expected = io.BytesIO()
    Image.fromarray((deep >> 8).astype(np.uint8)).save(expected, format="JPEG", quality=92)
    assert (tmp_path / "r.jpg").read_bytes() == expected.getvalue()


@pytest.mark.parametrize("lang, words", [("en", "a JPEG holds 1 (gray) or 3 (RGB) channels but this result has 4"),
                                         ("es", "un JPEG guarda 1 (gris) o 3 (RGB) canales pero este resultado tiene 4")])
def test_a_jpeg_of_four_maps_is_refused_naming_png(run, tmp_path, lang, words):
    photo = tmp_path / "rgba.png"
    Image.fromarray(np.random.default_rng(6).integers(0, 256, size=(6, 7, 4), dtype=np.uint8), "RGBA").save(photo)
    out = tmp_path / "out.jpg"
    result = run("conv", photo, "-k", "sharpen", "-o", out, "--lang", lang)
    assert result.exit_code == 2, result.output
    assert words in result.output and ".png" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_jpg_as_a_format_needs_a_matching_name(run, tmp_path):
    assert _conv(run, tmp_path / "r.jpg", "-f", "jpg").exit_code == 0
    mismatch = _conv(run, tmp_path / "r.png", "-f", "jpg")
    assert mismatch.exit_code == 2 and ".jpg .jpeg" in mismatch.output
    assert not (tmp_path / "r.png").exists()
    to_screen = run("conv", MATRIX, "-k", KERNEL, "-f", "jpg")
    assert to_screen.exit_code == 2 and "-o" in to_screen.output


@pytest.mark.parametrize("word", ["jpeg", "JPEG"])
def test_jpeg_is_another_name_for_jpg(run, tmp_path, word):
    """``-f jpeg`` (as ``-o x.jpeg``): the same file as ``-f jpg``, for conv and for a batch."""
    for suffix in (".jpg", ".jpeg"):
        assert _conv(run, tmp_path / f"a{suffix}", "-f", word).exit_code == 0
        assert _conv(run, tmp_path / f"b{suffix}", "-f", "jpg").exit_code == 0
        assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()
    assert _conv(run, tmp_path / "c.png", "-f", word).exit_code == 2
    src = tmp_path / "in"
    src.mkdir()
    Image.fromarray(np.full((5, 6), 77, np.uint8)).save(src / "p.png")
    for fmt in (word, "jpg"):
        assert run("batch", src, tmp_path / fmt, "-k", "sharpen", "-f", fmt, "--quiet").exit_code == 0
    assert (tmp_path / word / "p.jpg").read_bytes() == (tmp_path / "jpg" / "p.jpg").read_bytes()


@pytest.mark.parametrize("suffix", [".md", ".tex"])
def test_picked_cells_are_counted_as_the_terminal_counts_them(run, tmp_path, suffix):
    """``--at`` picks two windows of four: every format says "Step 1/2", "Step 2/2" (before, the
    Markdown and LaTeX sheets said "1/4", and a student looked for two more steps); a whole trace
    still counts every window."""
    matrix = "1 2 3 4 5; 6 7 8 9 10; 11 12 13 14 15; 16 17 18 19 20; 21 22 23 24 25"
    picked = ("--at", "1,1", "--at", "0,0")
    screen = run("conv", matrix, "-k", "sobel-x", "--stride", "2", *picked)
    assert screen.exit_code == 0, screen.output
    out = tmp_path / f"picked{suffix}"
    assert run("conv", matrix, "-k", "sobel-x", "--stride", "2", *picked, "-o", out).exit_code == 0
    steps = re.findall(r"Step (\d+/\d+)", out.read_text())
    assert steps == re.findall(r"Step (\d+/\d+)", screen.output) == ["1/2", "2/2"]
    whole = tmp_path / f"whole{suffix}"
    assert run("conv", matrix, "-k", "sobel-x", "--stride", "2", "--trace", "-o", whole).exit_code == 0
    assert re.findall(r"Step (\d+/\d+)", whole.read_text()) == ["1/4", "2/4", "3/4", "4/4"]


@pytest.mark.parametrize("lang, words", [("en", "counted from 0: from (0, 0) to (0, 0); got (1, 1)"),
                                         ("es", "contados desde 0: de (0, 0) a (0, 0); se recibió (1, 1)")])
def test_a_cell_past_the_output_names_the_last_cell(run, lang, words):
    """A 4×4 input under a 3×3 kernel with stride 2 has one output cell: "--at 1,1" is refused naming
    (0, 0) as the first and last cell, not only "shape (1, 1), got (1, 1)"."""
    matrix = "1 2 3 4; 5 6 7 8; 9 10 11 12; 13 14 15 16"
    result = run("conv", matrix, "-k", "sobel-x", "--stride", "2", "--at", "1,1", "--lang", lang)
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output
    three = run("conv", matrix + "\n\n" + matrix, "-k", "1 0; 0 1", "--at", "0,3,3", "--lang", lang)
    assert three.exit_code == 2 and "(0, 0, 0)" in three.output and "(1, 2, 2)" in three.output


@pytest.mark.parametrize("command", [["conv", "1 2; 3 4", "-k", "1"], ["relu", "1 -2"]])
def test_an_existing_folder_as_the_output_is_named_as_a_folder(run, tmp_path, command):
    """``-o adir`` got 'the format cannot be told from the suffix' (the folder is what is wrong)."""
    (tmp_path / "adir").mkdir()
    result = run(*command, "-o", tmp_path / "adir")
    assert result.exit_code == 2 and "is a folder; a folder is never replaced" in result.output
