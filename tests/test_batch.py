"""convtrace batch: results equal the engine's, and nothing the user owns is ever lost."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from PIL import Image

import convtrace
from convtrace import batch
from convtrace.kernels import KernelLibrary
from convtrace.spec import ConvSpec

SHARPEN = KernelLibrary().get("sharpen")


def pixels(path) -> np.ndarray:
    with Image.open(path) as img:
        return np.asarray(img)


def image_info(path) -> tuple[str, str]:
    with Image.open(path) as img:
        return img.mode, img.format


def make_images(folder, rng=None):
    rng = rng or np.random.default_rng(0)
    folder.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)).save(folder / "rgb.png")
    Image.fromarray(rng.integers(0, 256, (20, 30, 4), dtype=np.uint8)).save(folder / "rgba.png")
    Image.fromarray(rng.integers(0, 256, (20, 30), dtype=np.uint8)).save(folder / "gray.png")
    Image.fromarray(rng.integers(0, 256, (20, 30, 2), dtype=np.uint8), "LA").save(folder / "gray_alpha.png")
    Image.fromarray(rng.integers(0, 65536, (20, 30), dtype=np.uint16)).save(folder / "deep.png")
    Image.fromarray(rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)).convert("P").save(folder / "palette.png")
    Image.fromarray(rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)).save(folder / "photo.jpg", quality=95)
    return folder


def expected_pixels(path, kernel=SHARPEN, maxval=255):
    """What the engine gives for the decoded pixels: same padding, replicate borders, clipped."""
    channels, _, maxval, _ = batch.decode(path)
    out = convtrace.conv2d(channels, kernel, padding="same", pad_mode="replicate")
    return np.clip(np.rint(out), 0, maxval)


def as_channels(path):
    arr = pixels(path)
    return arr[None] if arr.ndim == 2 else np.moveaxis(arr, -1, 0)


def test_every_image_mode_round_trips_through_the_engine(run, tmp_path):
    src = make_images(tmp_path / "in")
    result = run("batch", src, tmp_path / "out", "-k", "sharpen", "--format", "png")
    assert result.exit_code == 0, result.output
    for name in ("rgb.png", "gray.png", "deep.png", "palette.png", "photo.png"):
        source = src / name if name != "photo.png" else src / "photo.jpg"
        got = as_channels(tmp_path / "out" / name)
        np.testing.assert_array_equal(got, expected_pixels(source))
    # Alpha is carried through unchanged.
    rgba_in, rgba_out = pixels(src / "rgba.png"), pixels(tmp_path / "out" / "rgba.png")
    np.testing.assert_array_equal(rgba_out[..., 3], rgba_in[..., 3])
    np.testing.assert_array_equal(np.moveaxis(rgba_out[..., :3], -1, 0), expected_pixels(src / "rgba.png"))
    la_out = pixels(tmp_path / "out" / "gray_alpha.png")
    np.testing.assert_array_equal(la_out[..., 1], pixels(src / "gray_alpha.png")[..., 1])
    assert image_info(tmp_path / "out" / "deep.png")[0].startswith("I;16")


def test_same_format_keeps_names_and_types(run, tmp_path):
    src = make_images(tmp_path / "in")
    assert run("batch", src, tmp_path / "out", "-k", "box-blur").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in src.iterdir())
    assert image_info(tmp_path / "out" / "photo.jpg")[1] == "JPEG"


def test_channels_sum_and_gray(run, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    rgb = np.random.default_rng(1).integers(0, 80, (12, 16, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(src / "a.png")
    assert run("batch", src, tmp_path / "sum", "-k", "identity", "--channels", "sum").exit_code == 0
    summed = pixels(tmp_path / "sum" / "a.png")
    np.testing.assert_array_equal(summed, np.clip(rgb.astype(int).sum(axis=-1), 0, 255))
    assert run("batch", src, tmp_path / "gray", "-k", "identity", "--channels", "gray").exit_code == 0
    gray = pixels(tmp_path / "gray" / "a.png").astype(int)
    luma = rgb @ np.array([0.299, 0.587, 0.114])
    assert gray.ndim == 2 and np.abs(gray - luma).max() <= 1


def test_range_abs_and_normalize(run, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    img = np.zeros((10, 10), dtype=np.uint8)
    img[:, 5:] = 200
    Image.fromarray(img).save(src / "edge.png")
    assert run("batch", src, tmp_path / "abs", "-k", "sobel-left", "--range", "abs").exit_code == 0
    edges = pixels(tmp_path / "abs" / "edge.png")
    assert edges[:, 4:6].min() == 255 and edges[:, :3].max() == 0  # |-800| clipped; flat areas 0
    assert run("batch", src, tmp_path / "clip", "-k", "sobel-left").exit_code == 0
    assert pixels(tmp_path / "clip" / "edge.png").max() == 0  # negative edges clip to 0
    assert run("batch", src, tmp_path / "norm", "-k", "sobel-left", "--range", "normalize").exit_code == 0
    norm = pixels(tmp_path / "norm" / "edge.png")
    assert norm.min() == 0 and norm.max() == 255


def test_steps_run_in_the_order_given(run, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    img = np.random.default_rng(2).integers(0, 256, (16, 16), dtype=np.uint8)
    Image.fromarray(img).save(src / "a.png")
    run("batch", src, tmp_path / "cp", "-k", "outline", "--range", "abs", "--pool", "max:2")
    run("batch", src, tmp_path / "pc", "--pool", "max:2", "-k", "outline", "--range", "abs")
    conv_then_pool = pixels(tmp_path / "cp" / "a.png")
    pool_then_conv = pixels(tmp_path / "pc" / "a.png")
    x = img.astype(np.float32)
    kernel = KernelLibrary().get("outline")
    a = convtrace.pool2d(convtrace.conv2d(x, kernel, padding="same", pad_mode="replicate"), 2)
    b = convtrace.conv2d(convtrace.pool2d(x, 2), kernel, padding="same", pad_mode="replicate")
    np.testing.assert_array_equal(conv_then_pool, np.clip(np.rint(np.abs(a)), 0, 255))
    np.testing.assert_array_equal(pool_then_conv, np.clip(np.rint(np.abs(b)), 0, 255))
    assert conv_then_pool.shape == (8, 8)


def test_existing_outputs_are_untouched_and_a_rerun_resumes(run, tmp_path):
    src = make_images(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    (out / "rgb.png").write_bytes(b"mine, not yours")
    result = run("batch", src, out, "-k", "sharpen", "--json")
    summary = json.loads(result.output)
    assert summary["skipped"] == 1 and summary["done"] == 6 and summary["failed"] == 0
    assert (out / "rgb.png").read_bytes() == b"mine, not yours"
    again = json.loads(run("batch", src, out, "-k", "sharpen", "--json").output)
    assert again["done"] == 0 and again["skipped"] == 7
    forced = json.loads(run("batch", src, out, "-k", "sharpen", "--json", "--overwrite").output)
    assert forced["done"] == 7 and (out / "rgb.png").read_bytes() != b"mine, not yours"


def test_inputs_are_never_written(run, tmp_path):
    src = make_images(tmp_path / "in")
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    assert run("batch", src, tmp_path / "out", "-k", "sharpen", "-r").exit_code == 0
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before


@pytest.mark.parametrize("where", ["same", "inside", "around"])
def test_overlapping_folders_are_refused(run, tmp_path, where):
    src = make_images(tmp_path / "in")
    out = {"same": src, "inside": src / "out", "around": tmp_path}[where]
    result = run("batch", src, out, "-k", "sharpen", "--recursive")
    assert result.exit_code == 2
    assert "OUT" in result.output
    assert not (src / "out").exists()
    if where == "same":
        assert run("batch", src, src, "-k", "sharpen").exit_code == 2


def test_bad_files_are_reported_and_the_rest_still_processed(run, tmp_path, monkeypatch):
    src = make_images(tmp_path / "in")
    (src / "empty.png").write_bytes(b"")
    (src / "text.jpg").write_text("not an image", encoding="utf-8")
    good = (src / "rgb.png").read_bytes()
    (src / "truncated.png").write_bytes(good[: len(good) // 2])
    big = np.zeros((200, 200), dtype=np.uint8)
    Image.fromarray(big).save(src / "bomb.png")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5000)  # 200×200 is a "bomb" now (> 2 × limit)
    jobs = [(p, batch.target_for(r, tmp_path / "out", "same")) for p, r in batch.find_images(src, False, None)]
    plan = batch.BatchPlan(steps=(batch.KernelStep(SHARPEN, ConvSpec(padding="same", pad_mode="replicate")),))
    summary = batch.run(jobs, plan, workers=2)
    failed = {o.source.name: o.reason for o in summary.outcomes if o.status == "failed"}
    assert set(failed) == {"empty.png", "text.jpg", "truncated.png", "bomb.png"}
    assert "decompression bomb" in failed["bomb.png"]
    assert summary.count("done") == 7
    assert not (tmp_path / "out" / "truncated.png").exists()
    monkeypatch.undo()
    result = run("batch", src, tmp_path / "out2", "-k", "sharpen")
    assert result.exit_code == 1 and "failed: " in result.output and "text.jpg" in result.output


def test_an_interrupted_run_leaves_no_partial_file_and_resumes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for n in range(12):
        Image.fromarray(np.full((30, 30, 3), n * 10, dtype=np.uint8)).save(src / f"img{n:02d}.png")
    out = tmp_path / "out"
    jobs = [(p, batch.target_for(r, out, "same")) for p, r in batch.find_images(src, False, None)]
    plan = batch.BatchPlan(steps=(batch.KernelStep(SHARPEN, ConvSpec(padding="same", pad_mode="replicate")),))
    seen = []

    def ctrl_c_after_three(outcome):
        seen.append(outcome)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        batch.run(jobs, plan, workers=2, progress=ctrl_c_after_three)
    written = sorted(out.iterdir())
    assert 3 <= len(written) < 12
    assert not [p for p in written if p.name.startswith(".convtrace-")]
    for path in written:
        pixels(path)  # every file there is complete
    summary = batch.run(jobs, plan, workers=2)
    assert summary.count("skipped") == len(written) and summary.count("done") == 12 - len(written)


def test_names_with_spaces_unicode_subfolders_and_symlink_loops(run, tmp_path):
    src = tmp_path / "in"
    (src / "año 2024" / "niños").mkdir(parents=True)
    Image.fromarray(np.zeros((8, 8), dtype=np.uint8)).save(src / "año 2024" / "niños" / "foto ñ.png")
    Image.fromarray(np.zeros((8, 8), dtype=np.uint8)).save(src / "top.png")
    os.symlink(src, src / "año 2024" / "loop")  # a folder that contains itself
    result = run("batch", src, tmp_path / "out", "-k", "identity", "--recursive", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["done"] == 2
    assert (tmp_path / "out" / "año 2024" / "niños" / "foto ñ.png").exists()
    only_top = json.loads(run("batch", src, tmp_path / "flat", "-k", "identity", "--json").output)
    assert only_top["done"] == 1


def test_pattern_dry_run_and_usage_errors(run, tmp_path, monkeypatch):
    src = make_images(tmp_path / "in")
    dry = run("batch", src, tmp_path / "out", "-k", "sharpen", "--pattern", "*.jpg", "--dry-run")
    assert dry.exit_code == 0 and "photo.jpg" in dry.output and "1 to write" in dry.output
    assert not (tmp_path / "out").exists()
    assert run("batch", src, tmp_path / "out", "-k", "sharpen", "--pattern", "*.webp").exit_code == 2
    assert run("batch", src, tmp_path / "out").exit_code == 2
    assert run("batch", tmp_path / "nowhere", tmp_path / "out", "-k", "sharpen").exit_code == 2
    a_file = tmp_path / "a-file"
    a_file.write_text("keep me", encoding="utf-8")
    result = run("batch", src, a_file, "-k", "sharpen")
    assert result.exit_code == 2 and "not a folder" in result.output and a_file.read_text(encoding="utf-8") == "keep me"
    from convtrace.engine import gpu

    monkeypatch.setattr(gpu, "available", lambda: False)  # as on a machine without a GPU
    result = run("batch", src, tmp_path / "out", "-k", "sharpen", "--device", "cuda")
    assert result.exit_code == 2 and "numba-cuda" in result.output


def test_pooling_downsamples_and_resizes_alpha(run, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    rgba = np.random.default_rng(3).integers(0, 256, (16, 12, 4), dtype=np.uint8)
    Image.fromarray(rgba).save(src / "a.png")
    assert run("batch", src, tmp_path / "out", "--pool", "avg:4").exit_code == 0
    out = pixels(tmp_path / "out" / "a.png")
    assert out.shape == (4, 3, 4)
    expected = convtrace.pool2d(np.moveaxis(rgba[..., :3], -1, 0).astype(np.float32), 4, mode="avg")
    np.testing.assert_array_equal(np.moveaxis(out[..., :3], -1, 0), np.clip(np.rint(expected), 0, 255))
