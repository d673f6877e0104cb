"""The CUDA kernels agree with the CPU engine.

They run in Numba's CUDA simulator (NUMBA_ENABLE_CUDASIM=1, set by conftest)
on small arrays; the real-GPU case runs only where a GPU is present and
CONVTRACE_REAL_GPU=1 asks for it.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import convtrace
from convtrace.engine import gpu
from convtrace.errors import ConvtraceError
from tests.strategies import conv_problems, has_empty_int_window, pool_problems

needs_gpu = pytest.mark.skipif(not gpu.available(), reason="no CUDA device and no simulator")


def same(got, expected):
    assert got.dtype == expected.dtype and got.shape == expected.shape
    if expected.dtype.kind == "f":
        np.testing.assert_allclose(got, expected, rtol=2e-6 if expected.dtype == np.float32 else 1e-12,
                                   atol=1e-5 if expected.dtype == np.float32 else 1e-12)
    else:
        np.testing.assert_array_equal(got, expected)


@needs_gpu
@settings(max_examples=25)
@given(conv_problems(max_side=6, max_k=3), st.booleans())
def test_cuda_convolution_equals_cpu_for_every_mode(p, flip):
    kwargs = dict(padding=p["pads"], pad_mode=p["mode"], pad_value=p["pad_value"], stride=p["stride"],
                  dilation=p["dilation"], flip=flip)
    same(convtrace.conv2d(p["x"], p["w"], device="cuda", **kwargs), convtrace.conv2d(p["x"], p["w"], **kwargs))


@needs_gpu
@pytest.mark.parametrize("kernel_shape", [(2, 3), (3, 2, 3), (2, 3, 2, 3)], ids=["per-channel", "cnn", "maps"])
def test_cuda_channels_and_feature_maps(kernel_shape):
    rng = np.random.default_rng(0)
    x = rng.integers(-5, 6, (3, 5, 6))
    w = rng.integers(-2, 3, kernel_shape)
    same(convtrace.conv2d(x, w, padding=1, device="cuda"), convtrace.conv2d(x, w, padding=1))
    xf = x.astype(np.float32)
    same(convtrace.conv2d(xf, w, padding="same", pad_mode="reflect", device="cuda"),
         convtrace.conv2d(xf, w, padding="same", pad_mode="reflect"))


@needs_gpu
@settings(max_examples=25)
@given(pool_problems())
def test_cuda_pooling_equals_cpu_for_every_mode(p):
    if p["x"].dtype.kind == "i" and p["mode"] in ("max", "min") and has_empty_int_window(p):
        return
    kwargs = dict(stride=p["stride"], mode=p["mode"], padding=p["pad"], ceil_mode=p["ceil_mode"],
                  count_include_pad=p["count_include_pad"], dilation=p["dilation"])
    same(convtrace.pool2d(p["x"], p["size"], device="cuda", **kwargs), convtrace.pool2d(p["x"], p["size"], **kwargs))


@needs_gpu
def test_kernel_scale_and_nan_on_the_gpu():
    box = convtrace.Kernel("box", np.ones((3, 3), dtype=np.int64), scale=__import__("fractions").Fraction(1, 9))
    x = np.arange(1, 26).reshape(5, 5)
    same(convtrace.conv2d(x, box, device="cuda"), convtrace.conv2d(x, box))
    nan = np.array([[1.0, np.nan], [3.0, 4.0]])
    assert np.isnan(convtrace.pool2d(nan, 2, device="cuda")).all()


def test_auto_keeps_small_work_on_the_cpu(monkeypatch):
    from convtrace import ops

    assert ops.resolve_device("auto", 100) == "cpu"
    monkeypatch.setattr(gpu, "available", lambda: True)
    assert ops.resolve_device("auto", ops.AUTO_GPU_WORK) == "cuda"
    monkeypatch.setattr(gpu, "available", lambda: False)
    assert ops.resolve_device("auto", ops.AUTO_GPU_WORK) == "cpu"
    with pytest.raises(ConvtraceError, match=r"pip install 'convtrace\[cuda\]'"):
        convtrace.conv2d(np.eye(3), np.ones((2, 2)), device="cuda")
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        convtrace.conv2d(np.eye(3), np.ones((2, 2)), device="tpu")


@pytest.mark.parametrize(("side", "window", "threads", "where"), [
    (2048, 3, 2, "cpu"),     # 9 multiply-adds per 8 bytes moved: the transfer costs more than the CPU
    (2048, 9, 2, "cuda"),    # 81 per 8 bytes: worth it beside two CPU threads …
    (2048, 9, 16, "cpu"),    # … not beside sixteen
    (1024, 15, 16, "cuda"),
    (64, 15, 2, "cpu"),      # too little work to launch at all
])
def test_auto_sends_a_job_to_the_gpu_when_its_transfer_pays_off(monkeypatch, side, window, threads, where):
    from convtrace import arrays

    monkeypatch.setattr(gpu, "available", lambda: True)
    monkeypatch.setattr("convtrace.engine.config.THREADS", threads)
    chosen = []
    monkeypatch.setattr(arrays, "resolve_device",
                        lambda device, work, moved=None: chosen.append(
                            "cuda" if arrays.gpu_pays_off(work, moved) else "cpu") or "cpu")
    monkeypatch.setattr("convtrace.convolution.resolve_device", arrays.resolve_device)
    x = np.zeros((side, side), np.float32)
    convtrace.conv2d(x, np.ones((window, window), np.float32), device="auto")
    assert chosen == [where]


def test_auto_keeps_pooling_on_the_cpu(monkeypatch):
    from convtrace import arrays

    monkeypatch.setattr(gpu, "available", lambda: True)
    chosen = []
    monkeypatch.setattr("convtrace.pooling.resolve_device",
                        lambda device, work, moved=None: chosen.append(arrays.resolve_device(device, work, moved))
                        or "cpu")
    convtrace.pool2d(np.zeros((4096, 4096), np.float32), 3, stride=1, device="auto")
    assert chosen == ["cpu"]


@needs_gpu
def test_cli_device_options(run):
    cpu = run("conv", "1 2 3; 4 5 6; 7 8 9", "-k", "sharpen", "--padding", "1", "-f", "csv").output
    assert run("conv", "1 2 3; 4 5 6; 7 8 9", "-k", "sharpen", "--padding", "1", "-f", "csv",
               "--device", "cuda").output == cpu
    assert run("pool", "1 2; 3 4", "--device", "auto", "-f", "csv").output == "4\n"


@needs_gpu
def test_batch_on_the_gpu_matches_the_cpu(run, tmp_path):
    from PIL import Image

    src = tmp_path / "in"
    src.mkdir()
    Image.fromarray(np.random.default_rng(4).integers(0, 256, (6, 7, 3), dtype=np.uint8)).save(src / "a.png")
    assert run("batch", src, tmp_path / "cpu", "-k", "sharpen").exit_code == 0
    assert run("batch", src, tmp_path / "gpu", "-k", "sharpen", "--device", "cuda").exit_code == 0
    with Image.open(tmp_path / "cpu" / "a.png") as a, Image.open(tmp_path / "gpu" / "a.png") as b:
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


@pytest.mark.skipif(not (gpu.available() and not gpu.simulated()), reason="needs a real CUDA GPU")
def test_real_gpu_large_image():
    x = np.random.default_rng(0).standard_normal((3, 1080, 1920)).astype(np.float32)
    w = np.random.default_rng(1).standard_normal((5, 5)).astype(np.float32)
    same(convtrace.conv2d(x, w, padding="same", pad_mode="replicate", device="cuda"),
         convtrace.conv2d(x, w, padding="same", pad_mode="replicate"))
    same(convtrace.pool2d(x, 2, device="cuda"), convtrace.pool2d(x, 2))


# --------------------------------------------------------------------------- a batch kept on the device

_TRICKY = [0.5, 1.5, 2.5, 253.5, 254.5, 255.5, 0.49999997, 127.50001, -0.5, -1.5, -300.0, np.nan, np.inf, -np.inf,
           1e30, -1e30, 65534.5, 65535.49, 3.0e38, 0.0, -0.0, 1e-30]


@needs_gpu
@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.float64])
@pytest.mark.parametrize("scale", [1, Fraction(1, 9), Fraction(1, 16)], ids=["1", "1/9", "1/16"])
@pytest.mark.parametrize("mode", ["clip", "abs"])
@pytest.mark.parametrize("maxval", [255, 65535])
def test_device_pixels_are_the_cpu_pixel_pass(dtype, scale, mode, maxval):
    """Rounding half to even, NaN, ±inf, huge and negative values, scales, 8 and 16 bits: the GPU's
    pixel pass gives the CPU's pixels exactly."""
    from convtrace.io.images import pixels

    rng = np.random.default_rng(3)
    if dtype == np.int32:
        values = np.array([-5, 0, 1, 254, 255, 256, 70000, -70000, 2**31 - 1, -2**31, 65535, 65536], np.int64)
        values = np.concatenate([values, rng.integers(-600, 600, 12)]).astype(np.int32)
    else:
        values = np.concatenate([np.array(_TRICKY), rng.uniform(-400, 70000, 22),
                                 rng.integers(-300, 300, 20) + 0.5]).astype(dtype)
    sums = values[: values.size // 6 * 6].reshape(2, 3, -1)
    expected = pixels(sums, mode, maxval, scale)
    got = gpu.pixels(gpu.upload(sums), scale, mode == "abs", maxval)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def _photo(tmp_path, name, array):
    from PIL import Image

    path = tmp_path / name
    Image.fromarray(array).save(path)
    return path


@needs_gpu
@pytest.mark.parametrize(("steps", "channels", "range_mode", "picture"), [
    (["sharpen"], "per", "clip", "rgb"),                    # 8-bit integers sent as bytes, summed in int32
    (["gaussian-3"], "per", "abs", "rgb"),                  # a 1/16 scale applied in the pixel pass
    (["sobel-left"], "gray", "abs", "rgb"),                     # luma first, float32
    (["gaussian-5", "max:2"], "per", "clip", "rgb"),        # a scale, then pooling on the device
    (["box-blur", "avg:2", "sharpen"], "per", "clip", "rgb"),
    (["sharpen"], "sum", "clip", "rgb"),                    # one map from a depth-3 filter
    (["laplacian-8"], "per", "normalize", "rgb"),              # stretched on the host
    (["sharpen"], "per", "clip", "gray16"),                 # 16-bit pixels out
])
def test_a_batch_chain_on_the_device_gives_the_cpus_pixels(tmp_path, steps, channels, range_mode, picture):
    from convtrace.batch.images import (
        decode,
        filter_device,
        filter_on_gpu,
        filter_pixels,
        to_pixels,
    )
    from convtrace.batch.plan import BatchPlan, KernelStep
    from convtrace.kernel import named_kernel
    from convtrace.spec import ConvSpec, PoolSpec

    rng = np.random.default_rng(11)
    image = (rng.integers(0, 256, (7, 9, 3), dtype=np.uint8) if picture == "rgb"
             else rng.integers(0, 65536, (7, 9), dtype=np.uint16))
    path = _photo(tmp_path, "a.png", image)
    plan_steps = []
    for step in steps:
        if ":" in step:
            mode, size = step.split(":")
            plan_steps.append(PoolSpec(size=int(size), mode=mode))
        else:
            plan_steps.append(KernelStep(named_kernel(step), ConvSpec(padding="same", pad_mode="replicate")))
    plan = BatchPlan(tuple(plan_steps), channels=channels, range_mode=range_mode, device="cuda")
    decoded, _, maxval, _ = decode(path, keep_integers=plan.filters_integers)
    assert filter_device(decoded, plan) == "cuda"
    on_gpu = filter_on_gpu(decoded, plan, maxval)
    sums, scale = filter_pixels(decoded, BatchPlan(tuple(plan_steps), channels=channels, range_mode=range_mode),
                                scaled=False)
    on_cpu = to_pixels(sums, range_mode, maxval, scale)
    assert on_gpu.dtype == on_cpu.dtype and on_gpu.shape == on_cpu.shape
    # The simulator computes as the CPU does; a real GPU may fuse a multiply and an add in float steps.
    tolerance = 0 if gpu.simulated() or plan.filters_integers else 1
    assert np.abs(on_gpu.astype(np.int64) - on_cpu).max() <= tolerance


def test_auto_sends_a_batch_image_to_the_gpu_only_when_its_work_pays_for_its_bytes(monkeypatch):
    from convtrace.batch.images import filter_device
    from convtrace.batch.plan import BatchPlan, KernelStep
    from convtrace.kernel import Kernel, named_kernel
    from convtrace.spec import ConvSpec

    monkeypatch.setattr(gpu, "available", lambda: True)
    photo = np.zeros((3, 2048, 2048), np.uint8)

    def plan(kernel, device="auto"):
        return BatchPlan((KernelStep(kernel, ConvSpec(padding="same")),), device=device)

    sharpen, box9 = named_kernel("sharpen"), Kernel("box9", np.ones((9, 9), np.int64))
    assert filter_device(photo, plan(sharpen, "cpu")) == "cpu"
    # A sharpened photo moves a byte up and a byte back a value, for 9 multiply-adds: worth it beside
    # two CPU threads (as int32 sums both ways it was not) …
    monkeypatch.setattr("convtrace.engine.config.THREADS", 2)
    assert filter_device(photo, plan(sharpen)) == "cuda"
    # … not beside sixteen, where a 9×9 window (81 multiply-adds a value) still is.
    monkeypatch.setattr("convtrace.engine.config.THREADS", 16)
    assert filter_device(photo, plan(sharpen)) == "cpu"
    assert filter_device(photo, plan(box9)) == "cuda"
    assert filter_device(photo[:, :64, :64], plan(box9)) == "cpu"  # too little work to launch at all


@needs_gpu
def test_int16_results_on_the_gpu():
    photo = np.random.default_rng(2).integers(0, 256, (2, 6, 7), dtype=np.uint8)
    got = convtrace.conv2d(photo, "sharpen", padding="same", pad_mode="reflect", dtype=np.int16, device="cuda")
    same(got, convtrace.conv2d(photo, "sharpen", padding="same", pad_mode="reflect").astype(np.int16))
