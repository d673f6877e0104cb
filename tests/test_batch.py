"""convtrace batch: results equal the engine's, and nothing the user owns is ever lost."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from PIL import Image

import convtrace
from convtrace import batch
from convtrace.errors import ConvtraceValueError
from convtrace.kernel import Kernel
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
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    # The images under their own names, plus the hidden record of the run's settings.
    assert written == sorted([batch.MANIFEST_NAME, *(p.name for p in src.iterdir())])
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


# ----------------------------------------------------------------------------- issue 10: settings once, OUT
# outside IN, the record of a run, permissions, names with control characters


def _images(folder, names=("a.png", "b.png")):
    folder.mkdir(parents=True, exist_ok=True)
    for n, name in enumerate(names):
        Image.fromarray(np.full((8, 8, 3) if n % 2 else (8, 8), 40 * n + 10, dtype=np.uint8)).save(folder / name)
    return folder


def _no_reading(monkeypatch):
    """Fail the test if any image is opened."""
    from convtrace.io import readers

    def refuse(path):
        raise AssertionError(f"an image was read: {path}")

    monkeypatch.setattr(readers, "open_pixels", refuse)


def _one_error_line(result):
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


@pytest.mark.parametrize("args", [
    ["--pool", "max:0"],
    ["--pool", "max:0x2"],
    ["--pool", "nosuch:2"],
    ["--pool", "max:2", "--pool-stride", "0"],
    ["--pool", "max:2", "--pool-stride", "-1"],
    ["--pool", "max:2", "--pool-stride", "99999999999999999999"],
    ["-k", "sharpen", "--stride", "0"],
    ["-k", "sharpen", "--stride", "9223372036854775808"],
    ["-k", "sharpen", "--dilation", "0"],
    ["-k", "sharpen", "--dilation", "99999999999999999999"],
    ["-k", "sharpen", "--padding", "foo"],
    ["-k", "sharpen", "--padding", "-1"],
    ["-k", "sharpen", "--padding", "1000000000"],
    ["-k", "sharpen", "--dilation", "1000000000", "--padding", "full"],
    ["-k", "sharpen", "--pad-mode", "bogus"],
    ["-k", "sharpen", "--pad-mode", "zeros", "--pad-value", "1e999"],
    ["-k", "sharpen", "--pad-value", "abc"],
    ["-k", "no-such-kernel"],
    ["-k", "1 2; 3"],
    ["--pool", "max:2", "-k", "sharpen", "--stride", "0"],
])
def test_a_settings_error_is_one_line_before_any_image_is_read(run, tmp_path, monkeypatch, args):
    src = _images(tmp_path / "in")
    _no_reading(monkeypatch)
    result = run("batch", src, tmp_path / "out", *args)
    assert result.exit_code == 2, result.output
    _one_error_line(result)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [["--channels", "bogus"], ["--range", "bogus"], ["--format", "tiff"],
                                  ["--workers", "-1"]])
def test_bad_choices_write_nothing(run, tmp_path, monkeypatch, args):
    src = _images(tmp_path / "in")
    _no_reading(monkeypatch)
    result = run("batch", src, tmp_path / "out", "-k", "sharpen", *args)
    assert result.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_errors_that_depend_on_the_image_are_reported_per_image(run, tmp_path):
    src = _images(tmp_path / "in")
    Image.fromarray(np.zeros((40, 40), dtype=np.uint8)).save(src / "big.png")
    result = run("batch", src, tmp_path / "out", "--pool", "max:20")
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 2 and all("larger than the padded input" in line for line in failed)
    assert (tmp_path / "out" / "big.png").exists()
    reflect = run("batch", src, tmp_path / "out2", "-k", "sharpen", "--pad-mode", "reflect", "--padding", "10")
    assert reflect.exit_code == 1 and reflect.output.count("reflect padding") == 2


def test_check_plan_tries_every_channel_count():
    three = batch.KernelStep(Kernel("rgb", np.ones((3, 3, 3), dtype=np.int64)), ConvSpec(padding="same"))
    batch.check_plan(batch.BatchPlan(steps=(three,)))  # fine for colour images: gray ones fail one by one
    five = batch.KernelStep(Kernel("five", np.ones((5, 3, 3), dtype=np.int64)), ConvSpec(padding="same"))
    with pytest.raises(ConvtraceValueError):
        batch.check_plan(batch.BatchPlan(steps=(five,)))  # no image has five channels
    with pytest.raises(ConvtraceValueError):
        batch.check_plan(batch.BatchPlan(steps=(three,), channels="gray"))


def test_check_plan_turns_any_failure_of_the_settings_into_one_clean_error(monkeypatch):
    from convtrace.convolution import Conv2d

    def broken(self, parallel=None, device="cpu"):
        raise OverflowError("Python int too large to convert to C long\nsecond line")

    monkeypatch.setattr(Conv2d, "run", broken)
    plan = batch.BatchPlan(steps=(batch.KernelStep(SHARPEN, ConvSpec(padding="same")),))
    with pytest.raises(ConvtraceValueError) as caught:
        batch.check_plan(plan)
    assert caught.value.key == "batch_bad_settings"
    assert "OverflowError" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("changes", [
    {"steps": ()}, {"steps": (SHARPEN,)}, {"channels": "bogus"}, {"range_mode": "loud"},
    {"out_format": "tiff"}, {"overwrite": "no"}, {"device": "tpu"},
    {"steps": (batch.KernelStep(SHARPEN, {"padding": 1}),)},
])
def test_a_plan_checks_itself(changes):
    settings = {"steps": (batch.KernelStep(SHARPEN, ConvSpec()),), **changes}
    with pytest.raises(ConvtraceValueError):
        batch.BatchPlan(**settings)


@pytest.mark.parametrize("where", ["inside", "deep inside", "around", "link to IN"])
@pytest.mark.parametrize("recursive", [False, True])
def test_out_and_in_never_overlap_recursive_or_not(run, tmp_path, where, recursive):
    src = _images(tmp_path / "photos" / "in")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    if where == "link to IN":
        os.symlink(src, tmp_path / "link")
    out = {"inside": src / "outputs", "deep inside": src / "a" / "b", "around": tmp_path / "photos",
           "link to IN": tmp_path / "link" / "outputs"}[where]
    result = run("batch", src, out, "-k", "sharpen", *(["--recursive"] if recursive else []))
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert "OUT and IN" in line
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.name != "link")
    assert after == before


def test_a_link_in_out_that_leads_into_in_is_not_followed(run, tmp_path):
    src = _images(tmp_path / "in" / "sub")
    src = tmp_path / "in"
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(src / "sub", out / "sub")
    before = sorted(p.name for p in (src / "sub").iterdir())
    originals = {p.name: p.read_bytes() for p in (src / "sub").iterdir()}
    for extra in ([], ["--overwrite"], ["--dry-run"]):
        result = run("batch", src, out, "-k", "sharpen", "--recursive", *extra)
        assert result.exit_code == 1 and result.output.count("leads into IN") == 2, result.output
        assert sorted(p.name for p in (src / "sub").iterdir()) == before
        assert {p.name: p.read_bytes() for p in (src / "sub").iterdir()} == originals


def _manifest(out):
    return json.loads((out / batch.MANIFEST_NAME).read_text(encoding="utf-8"))


def test_the_settings_are_kept_in_out_and_a_rerun_with_them_resumes(run, tmp_path):
    src = _images(tmp_path / "in", ("a.png", "b.png", "c.png"))
    out = tmp_path / "out"
    first = run("batch", src, out, "-k", "sharpen", "--stride", "2", "--pool", "avg:2", "--range", "abs")
    assert first.exit_code == 0, first.output
    record = _manifest(out)
    assert record["convtrace_batch"] == 1 and record["convtrace"] == convtrace.__version__
    settings = record["settings"]
    assert [s["op"] for s in settings["steps"]] == ["conv2d", "pool2d"]
    assert settings["steps"][0]["kernel"] == "sharpen"
    assert settings["steps"][0]["weights"] == SHARPEN.weights.tolist()
    assert settings["steps"][0]["params"] == ConvSpec(padding="same", pad_mode="replicate", stride=2).to_dict()
    assert settings["steps"][1]["params"]["mode"] == "avg"
    assert (settings["channels"], settings["range"], settings["format"]) == ("per", "abs", "same")
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    (out / "b.png").unlink()
    again = run("batch", src, out, "-k", "sharpen", "--stride", "2", "--pool", "avg:2", "--range", "abs")
    assert again.exit_code == 0
    assert "1 done, 2 skipped" in again.output
    as_json = json.loads(run("batch", src, out, "-k", "sharpen", "--stride", "2", "--pool", "avg:2",
                             "--range", "abs", "--json").output)
    assert as_json["skipped"] == 3 and as_json["done"] == 0
    assert as_json["images_per_second"] is None  # nothing made: no rate, not "0.0 images/s"
    resumed = run("batch", src, out, "-k", "sharpen", "--stride", "2", "--pool", "avg:2", "--range", "abs",
                  "--lang", "es")
    summary = " ".join(resumed.output.split())
    assert resumed.exit_code == 0 and "0 hechas, 3 omitidas (ya existían), 0 fallidas en " in summary
    assert summary.endswith(" s (— imágenes/s)") and "." not in summary.split(" en ")[-1]
    # The same settings spelled differently are the same settings; device and workers do not count.
    spelled = run("batch", src, out, "-k", "sharpen", "--stride", "2x2", "--pool", "average:2", "--range", "abs",
                  "-j", "1")
    assert spelled.exit_code == 0, spelled.output
    # So is the same filter by another name: sharpen's weights typed inline, or in a file.
    (tmp_path / "mine.txt").write_text("0 -1 0\n-1 5 -1\n0 -1 0\n")
    for same in ("0 -1 0; -1 5 -1; 0 -1 0", tmp_path / "mine.txt"):
        renamed = run("batch", src, out, "-k", same, "--stride", "2", "--pool", "avg:2", "--range", "abs", "--json")
        assert renamed.exit_code == 0, renamed.output
        assert json.loads(renamed.output)["skipped"] == 3


@pytest.mark.parametrize("other, named", [
    (["-k", "box-blur"], "-k: sharpen → box-blur"),
    (["-k", "sharpen", "--stride", "2"], "--stride: 1 → 2"),
    (["-k", "sharpen", "--pad-mode", "zeros"], "--pad-mode: replicate → zeros"),
    (["-k", "sharpen", "--channels", "sum"], "--channels: per → sum"),
    (["-k", "sharpen", "--range", "abs"], "--range: clip → abs"),
    (["-k", "sharpen", "--format", "png"], "--format: same → png"),
    (["-k", "sharpen", "--pool", "max:2"], "-k sharpen → -k sharpen, --pool max:2"),
    (["-k", "0 -1 0; -1 6 -1; 0 -1 0"], "-k: sharpen →"),
])
def test_a_rerun_with_other_settings_is_refused_naming_the_difference(run, tmp_path, other, named):
    src = _images(tmp_path / "in")
    out = tmp_path / "out"
    assert run("batch", src, out, "-k", "sharpen").exit_code == 0
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    result = run("batch", src, out, *other)
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert "other settings" in line and named in line and "--overwrite" in line
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()} == before
    dry = run("batch", src, out, *other, "--dry-run")
    assert dry.exit_code == 2 and "other settings" in dry.output
    spanish = run("batch", src, out, *other, "--lang", "es")
    assert spanish.exit_code == 2 and "otros ajustes" in _one_error_line(spanish)


def test_overwrite_redoes_a_run_with_other_settings(run, tmp_path):
    src = _images(tmp_path / "in")
    out = tmp_path / "out"
    assert run("batch", src, out, "-k", "identity").exit_code == 0
    identity = pixels(out / "a.png")
    result = json.loads(run("batch", src, out, "-k", "box-blur", "--range", "abs", "--overwrite", "--json").output)
    assert result["done"] == 2 and result["skipped"] == 0
    settings = _manifest(out)["settings"]
    assert settings["steps"][0]["kernel"] == "box-blur" and settings["range"] == "abs"
    assert run("batch", src, out, "-k", "box-blur", "--range", "abs").exit_code == 0  # now resumes
    assert run("batch", src, out, "-k", "identity").exit_code == 2
    np.testing.assert_array_equal(identity, pixels(src / "a.png"))


def test_a_damaged_record_is_refused_unless_overwrite(run, tmp_path):
    src = _images(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    for text in ("{", "[]", '{"convtrace_batch": 99, "settings": {}}', '{"settings": 3}'):
        (out / batch.MANIFEST_NAME).write_text(text, encoding="utf-8")
        result = run("batch", src, out, "-k", "sharpen")
        assert result.exit_code == 2 and "cannot be read" in _one_error_line(result)
        assert sorted(p.name for p in out.iterdir()) == [batch.MANIFEST_NAME]
    assert run("batch", src, out, "-k", "sharpen", "--overwrite").exit_code == 0
    assert _manifest(out)["settings"]["steps"][0]["kernel"] == "sharpen"


def test_dry_run_writes_no_record(run, tmp_path):
    src = _images(tmp_path / "in")
    out = tmp_path / "out"
    assert run("batch", src, out, "-k", "sharpen", "--dry-run").exit_code == 0
    assert not out.exists()
    out.mkdir()
    assert run("batch", src, out, "-k", "sharpen", "--dry-run").exit_code == 0
    assert list(out.iterdir()) == []


def test_the_record_is_never_taken_for_an_input(run, tmp_path):
    src = _images(tmp_path / "in")
    out = tmp_path / "out"
    assert run("batch", src, out, "-k", "sharpen").exit_code == 0
    for args in ([], ["--pattern", "*"], ["--pattern", "*.json"]):
        found = [p.name for p, _ in batch.find_images(out, False, args[1] if args else None)]
        assert batch.MANIFEST_NAME not in found
    result = json.loads(run("batch", out, tmp_path / "again", "-k", "identity", "--pattern", "*", "--json").output)
    assert result["done"] == 2 and result["failed"] == 0


def test_a_folder_that_cannot_be_written_is_one_clean_error(run, tmp_path, monkeypatch):
    src = _images(tmp_path / "in")
    _no_reading(monkeypatch)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(batch.folders.tempfile, "mkstemp", denied)
    result = run("batch", src, tmp_path / "out", "-k", "sharpen")
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert "cannot write in OUT" in line and "Permission denied" in line and "damaged" not in line
    assert list((tmp_path / "out").iterdir()) == []


def test_an_out_that_cannot_be_created_is_one_clean_error(run, tmp_path):
    src = _images(tmp_path / "in")
    a_file = tmp_path / "a-file"
    a_file.write_text("keep me", encoding="utf-8")
    result = run("batch", src, a_file / "out", "-k", "sharpen")
    assert result.exit_code == 2 and "cannot create OUT" in _one_error_line(result)
    assert a_file.read_text(encoding="utf-8") == "keep me"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_out_is_one_clean_error(run, tmp_path):
    src = _images(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = run("batch", src, out, "-k", "sharpen")
        assert result.exit_code == 2 and "cannot write in OUT" in _one_error_line(result)
        assert run("batch", src, out / "sub", "-k", "sharpen").exit_code == 2
    finally:
        out.chmod(0o755)


def test_an_image_that_cannot_be_read_for_permissions_says_so(run, tmp_path, monkeypatch):
    from convtrace.io import readers

    src = _images(tmp_path / "in")
    real = readers.opened_image

    def guarded(path):
        if path.name == "a.png":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(readers, "opened_image", guarded)
    result = run("batch", src, tmp_path / "out", "-k", "sharpen")
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 1 and "a.png" in failed[0] and "permission denied" in failed[0]
    assert "damaged" not in result.output
    spanish = run("batch", src, tmp_path / "out2", "-k", "sharpen", "--lang", "es")
    assert "permiso denegado" in spanish.output


def test_a_write_failure_is_not_called_a_damaged_image(tmp_path, monkeypatch):
    src = _images(tmp_path / "in")
    out = tmp_path / "out"
    jobs = [(p, batch.target_for(r, out, "same")) for p, r in batch.find_images(src, False, None)]

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch.images, "write_atomic", full)
    plan = batch.BatchPlan(steps=(batch.KernelStep(SHARPEN, ConvSpec(padding="same")),))
    summary = batch.run(jobs, plan, workers=1)
    reasons = [o.reason for o in summary.outcomes]
    assert len(reasons) == 2 and all("cannot write" in r and "No space left" in r for r in reasons)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may read anything")
def test_an_unreadable_image_says_permission_denied(run, tmp_path):
    src = _images(tmp_path / "in")
    (src / "a.png").chmod(0)
    try:
        result = run("batch", src, tmp_path / "out", "-k", "sharpen")
        assert result.exit_code == 1 and "permission denied" in result.output and "damaged" not in result.output
    finally:
        (src / "a.png").chmod(0o644)


NASTY = ["new\nline.png", "tab\tand\rcr.png", "esc\x1b[31mred.png", "sep\u2028ara.png", "bidi\u202egnp.png",
         "niño café.png"]


def test_control_characters_in_names_are_escaped_in_the_report(run, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in NASTY:
        (src / name).write_text("not an image", encoding="utf-8")
    result = run("batch", src, tmp_path / "out", "-k", "sharpen")
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if line.startswith("failed: ")]
    assert len(failed) == len(NASTY), result.output
    assert len(result.output.splitlines()) == len(NASTY) + 1
    shown = "\n".join(failed)
    for text in ("new\\nline.png", "tab\\tand\\rcr.png", "esc\\x1b[31mred.png", "sep\\u2028ara.png",
                 "bidi\\u202egnp.png", "niño café.png"):
        assert text in shown
    assert "\x1b" not in result.output and "\u2028" not in result.output and "\u202e" not in result.output
    as_json = json.loads(run("batch", src, tmp_path / "out2", "-k", "sharpen", "--json").output)
    assert sorted(os.path.basename(f["file"]) for f in as_json["failures"]) == sorted(NASTY)
    dry = run("batch", src, tmp_path / "out3", "-k", "sharpen", "--dry-run")
    assert "new\\nline.png" in dry.output and "\x1b" not in dry.output


@pytest.mark.skipif(os.name != "posix", reason="file names as bytes")
def test_names_that_are_not_valid_text_are_shown_and_listed(run, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / os.fsdecode(b"bad\xff.png")).write_bytes(b"not an image")
    result = run("batch", src, tmp_path / "out", "-k", "sharpen")
    assert result.exit_code == 1 and "bad\\xff.png" in result.output
    as_json = json.loads(run("batch", src, tmp_path / "out2", "-k", "sharpen", "--json").output)
    assert as_json["failures"][0]["file"].endswith(os.fsdecode(b"bad\xff.png"))


def test_shown_keeps_text_and_escapes_controls():
    assert batch.shown("año 2024/foto ñ.png") == "año 2024/foto ñ.png"
    assert batch.shown("a\nb\x00c\x7fd\x85e") == "a\\nb\\x00c\\x7fd\\x85e"
    assert batch.shown("back\\slash") == "back\\slash"
    assert "\n" not in batch.shown(os.fsdecode(b"x\xfe\n"))


def test_scheduler_without_dask_says_how_to_install_it(run, tmp_path, monkeypatch):
    import sys

    src = tmp_path / "in"
    src.mkdir()
    Image.fromarray(np.zeros((4, 4), np.uint8)).save(src / "a.png")
    monkeypatch.setitem(sys.modules, "distributed", None)   # import distributed → ImportError
    result = run("batch", src, tmp_path / "out", "-k", "sharpen", "--scheduler", "local")
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "pip install 'convtrace[dask]'" in result.output
    assert not (tmp_path / "out").exists()


def test_urls_without_a_scheduler_say_to_add_one(run, tmp_path):
    result = run("batch", "memory://in", tmp_path / "out", "-k", "sharpen")
    assert result.exit_code == 2 and "--scheduler" in result.output


def test_help_and_a_local_batch_never_import_dask(tmp_path):
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    Image.fromarray(np.zeros((4, 4), np.uint8)).save(src / "a.png")
    code = ("import sys; from typer.testing import CliRunner; from convtrace.cli import app; "
            f"r = CliRunner().invoke(app, ['batch', {str(src)!r}, {str(tmp_path / 'out')!r}, '-k', 'sharpen']); "
            "h = CliRunner().invoke(app, ['batch', '--help']); "
            "print(r.exit_code, h.exit_code, 'distributed' in sys.modules, 'dask' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "0", "False", "False"]


@pytest.mark.parametrize("steps", [["-k", "gaussian-5"], ["-k", "box-blur"], ["-k", "box-blur", "--pool", "avg:2"],
                                   ["--pool", "avg:3", "-k", "gaussian-3"]])
def test_scaled_kernels_equal_the_api_then_clipped(run, tmp_path, steps):
    """The scale applied in the pixel pass gives the pixels of conv2d's scaled result, rounded and clipped."""
    src = tmp_path / "in"
    src.mkdir()
    rgb = np.random.default_rng(7).integers(0, 256, (23, 31, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(src / "a.png")
    assert run("batch", src, tmp_path / "out", *steps).exit_code == 0
    x = np.moveaxis(rgb, -1, 0).astype(np.float32)
    library = KernelLibrary()
    for flag, value in zip(steps[::2], steps[1::2], strict=True):
        if flag == "-k":
            x = convtrace.conv2d(x, library.get(value), padding="same", pad_mode="replicate")
        else:
            mode, size = value.split(":")
            x = convtrace.pool2d(x, int(size), mode=mode)
    want = np.clip(np.rint(x), 0, 255)
    np.testing.assert_array_equal(as_channels(tmp_path / "out" / "a.png"), want)


@pytest.mark.parametrize("kernel", ["sharpen", "gaussian-5", "box-blur", "unsharp-5", "sobel-left", "laplacian-8"])
@pytest.mark.parametrize("range_mode", ["clip", "abs", "normalize"])
def test_a_batch_gives_the_pixels_conv_gives(run, tmp_path, kernel, range_mode):
    """Integer kernels filter 8/16-bit images as integers: the batch's pixels are ``convtrace conv -o``'s."""
    src = tmp_path / "in"
    src.mkdir()
    rng = np.random.default_rng(len(kernel) + len(range_mode))
    rgb = rng.integers(0, 256, (29, 37, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(src / "rgb.png")
    gray16 = rng.integers(0, 65536, (19, 23), dtype=np.uint16)
    Image.fromarray(gray16).save(src / "gray16.png")
    settings = ["-k", kernel, "-p", "same", "-m", "reflect", "--range", range_mode]
    assert run("batch", src, tmp_path / "out", *settings).exit_code == 0
    for name in ("rgb.png", "gray16.png"):
        single = tmp_path / f"conv-{name}"
        assert run("conv", src / name, *settings, "-o", single).exit_code == 0
        with Image.open(single) as want, Image.open(tmp_path / "out" / name) as got:
            assert got.mode == want.mode
            np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


def test_an_image_the_encoder_refuses_is_not_called_a_write_failure(tmp_path, monkeypatch):
    src = _images(tmp_path / "in")
    out = tmp_path / "out"
    jobs = [(p, batch.target_for(r, out, "same")) for p, r in batch.find_images(src, False, None)]

    def refuse(self, fp, *args, **kwargs):
        raise OSError("cannot write mode XYZ as PNG")   # Pillow's encoder errors carry no errno

    monkeypatch.setattr(Image.Image, "save", refuse)
    plan = batch.BatchPlan(steps=(batch.KernelStep(SHARPEN, ConvSpec(padding="same")),))
    summary = batch.run(jobs, plan, workers=1)
    reasons = [o.reason for o in summary.outcomes]
    assert len(reasons) == 2 and all("cannot write mode XYZ" in r and "damaged" in r for r in reasons)
    assert not any(out.rglob("*.png")) and not any(out.rglob(".convtrace-*"))


def test_a_disk_full_while_encoding_is_a_write_failure(tmp_path, monkeypatch):
    src = _images(tmp_path / "in")
    out = tmp_path / "out"
    jobs = [(p, batch.target_for(r, out, "same")) for p, r in batch.find_images(src, False, None)]

    def full(self, fp, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Image.Image, "save", full)
    plan = batch.BatchPlan(steps=(batch.KernelStep(SHARPEN, ConvSpec(padding="same")),))
    summary = batch.run(jobs, plan, workers=1)
    reasons = [o.reason for o in summary.outcomes]
    assert len(reasons) == 2 and all("the disk is full" in r and "damaged" not in r for r in reasons)
    assert not any(out.rglob("*.png")) and not any(out.rglob(".convtrace-*"))


def test_files_that_are_not_images_are_named_as_not_read(run, tmp_path):
    """A batch says what it left alone: files of IN without an image's suffix (not hidden ones), in
    the summary, the dry run and --json; none when --pattern chooses the files."""
    src = _images(tmp_path / "in", ("a.png", "b.jpg"))
    for name in ("notes.txt", "data.csv", "README", ".DS_Store"):
        (src / name).write_text("x")
    (src / "sub").mkdir()
    (src / "sub" / "c.txt").write_text("x")
    _images(src / "sub", ("d.png",))

    ignored = []
    found = batch.find_images(src, True, None, ignored=ignored)
    assert [rel.as_posix() for _, rel in found] == ["a.png", "b.jpg", "sub/d.png"]
    assert [rel.as_posix() for rel in ignored] == ["README", "data.csv", "notes.txt", "sub/c.txt"]
    chosen = []
    batch.find_images(src, True, "*.txt", ignored=chosen)
    assert chosen == []

    done = run("batch", src, tmp_path / "out", "-k", "sharpen")
    text = " ".join(done.output.split())
    assert done.exit_code == 0
    assert "3 files not read (no image suffix such as .png or .jpg): README, data.csv, notes.txt;" in text
    assert ".DS_Store" not in text and "2 done" in text
    dry = " ".join(run("batch", src, tmp_path / "dry", "-k", "sharpen", "--dry-run", "--lang", "es").output.split())
    assert "3 archivos sin leer (sin extensión de imagen como .png o .jpg): README, data.csv, notes.txt;" in dry
    as_json = json.loads(run("batch", src, tmp_path / "out", "-k", "sharpen", "--json").output)
    assert as_json["ignored"] == ["README", "data.csv", "notes.txt"]
    deep = " ".join(run("batch", src, tmp_path / "deep", "-k", "sharpen", "--recursive").output.split())
    assert "4 files not read" in deep and "notes.txt (+1);" in deep
    assert "not read" not in run("batch", src, tmp_path / "png", "-k", "sharpen", "--pattern", "*.png").output
    assert run("batch", src, tmp_path / "quiet", "-k", "sharpen", "--quiet").output == ""


def test_a_jpeg_batch_names_the_images_whose_transparency_it_could_not_keep(run, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    pixels = np.zeros((6, 6, 4), np.uint8)
    pixels[..., 3] = 90
    Image.fromarray(pixels, "RGBA").save(src / "b.png")
    Image.fromarray(pixels[..., [0, 3]], "LA").save(src / "a.png")
    Image.fromarray(pixels[..., :3], "RGB").save(src / "c.png")
    done = run("batch", src, tmp_path / "jpg", "-k", "sharpen", "-f", "jpg")
    text = " ".join(done.output.split())
    assert done.exit_code == 0 and "3 done" in text
    assert f"2 images lost their transparency, which JPEG cannot hold: {src / 'a.png'}, {src / 'b.png'};" in text
    assert sorted(p.name for p in (tmp_path / "jpg").iterdir() if p.suffix == ".jpg") == ["a.jpg", "b.jpg", "c.jpg"]
    es = " ".join(run("batch", src, tmp_path / "es", "-k", "sharpen", "-f", "jpg", "--lang", "es").output.split())
    assert "2 imágenes perdieron su transparencia, que JPEG no admite:" in es
    as_json = json.loads(run("batch", src, tmp_path / "js", "-k", "sharpen", "-f", "jpg", "--json").output)
    assert as_json["transparency_dropped"] == [str(src / "a.png"), str(src / "b.png")]
    kept = run("batch", src, tmp_path / "png", "-k", "sharpen")
    assert kept.exit_code == 0 and "transparency" not in kept.output
    with Image.open(tmp_path / "png" / "b.png") as img:
        assert img.mode == "RGBA"


@pytest.mark.parametrize("dry", [False, True])
def test_two_images_that_would_be_written_to_one_file_are_refused_before_anything_is_written(run, tmp_path, dry):
    from PIL import Image

    source = tmp_path / "in"
    source.mkdir()
    pixels = np.random.default_rng(0).integers(0, 255, (12, 12, 3), dtype=np.uint8)
    for name in ("a.png", "a.jpg", "b.png"):
        Image.fromarray(pixels).save(source / name)
    out = tmp_path / "out"
    result = run("batch", source, out, "-k", "sharpen", "--format", "png", *(["--dry-run"] if dry else []))
    assert result.exit_code == 2
    assert f"{source / 'a.jpg'} and {source / 'a.png'} would both be written as {out / 'a.png'}" in result.output
    assert not out.exists()
    assert run("batch", source, out, "-k", "sharpen").exit_code == 0  # each keeping its own format
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["a.jpg", "a.png", "b.png"]
