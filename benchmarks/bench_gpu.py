"""conv2d and pool2d on the GPU against the CPU engine and PyTorch's conv2d on the GPU.

Run on a machine with an NVIDIA GPU and ``pip install 'convtrace[cuda]'``:

    python benchmarks/bench_gpu.py [--frames 16] [--repeat 5]

Cases: a 4096×4096 float32 image (3×3, 5×5, 7×7 kernels; 2×2 max pooling),
a batch of 1080p RGB frames filtered one by one with a 5×5 kernel, and a
batch's filtering of 8-bit photos kept on the device (``filter_on_gpu``)
against the same steps sent one by one and against the CPU.  Then
the crossover that ``device="auto"`` relies on: a 2048² image under growing
windows, GPU against CPU, each with its multiply-adds per byte moved per CPU
thread; the smallest ratio where the GPU wins is what
``convtrace.arrays.AUTO_GPU_WORK_PER_BYTE_PER_THREAD`` should be.
GPU times include the transfers to and from the device, as a caller of
``conv2d(..., device="cuda")`` pays them.  "vs convtrace GPU" is the other
time over convtrace's GPU time.  Without a usable GPU it says so and exits.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from common import print_table, time_runs  # noqa: E402

import convtrace  # noqa: E402
from convtrace.engine import gpu  # noqa: E402


def torch_cuda():
    try:
        import torch
    except ImportError:
        return None
    return torch if torch.cuda.is_available() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not gpu.available() or gpu.simulated():
        print("No CUDA GPU usable here (needs an NVIDIA GPU, its driver and numba-cuda: "
              "pip install 'convtrace[cuda]'); nothing to measure.")
        return
    torch = torch_cuda()
    rng = np.random.default_rng(0)
    image = rng.standard_normal((4096, 4096)).astype(np.float32)
    rows = []
    for k in (3, 5, 7):
        case = f"conv {k}×{k} 4096²"
        kernel = rng.standard_normal((k, k)).astype(np.float32)
        convtrace.conv2d(image[:64, :64], kernel, device="cuda")  # compile outside the timing
        rows.append((case, "convtrace", time_runs(
            lambda: convtrace.conv2d(image, kernel, padding="same", pad_mode="reflect", device="cuda"),
            args.repeat), "GPU, transfers included"))
        rows.append((case, "convtrace CPU", time_runs(
            lambda: convtrace.conv2d(image, kernel, padding="same", pad_mode="reflect"), args.repeat), ""))
        if torch is not None:
            tk = torch.from_numpy(kernel)[None, None].cuda()

            def torch_conv():
                t = torch.from_numpy(image)[None, None].cuda()
                out = torch.nn.functional.conv2d(torch.nn.functional.pad(t, (k // 2,) * 4, mode="reflect"), tk)
                return out.cpu()

            with torch.no_grad():
                rows.append((case, "PyTorch conv2d (GPU)", time_runs(torch_conv, args.repeat), "transfers included"))
    case = "max pool 2×2 4096²"
    convtrace.pool2d(image[:64, :64], 2, device="cuda")
    rows.append((case, "convtrace", time_runs(lambda: convtrace.pool2d(image, 2, device="cuda"), args.repeat),
                 "GPU, transfers included"))
    rows.append((case, "convtrace CPU", time_runs(lambda: convtrace.pool2d(image, 2), args.repeat), ""))

    frames = rng.integers(0, 256, (args.frames, 3, 1080, 1920)).astype(np.float32)
    kernel = rng.standard_normal((5, 5)).astype(np.float32)
    case = f"{args.frames} frames 1080p"

    def each(device):
        for frame in frames:
            convtrace.conv2d(frame, kernel, padding="same", pad_mode="replicate", device=device)

    rows.append((case, "convtrace", time_runs(lambda: each("cuda"), max(2, args.repeat // 2)), "GPU"))
    rows.append((case, "convtrace CPU", time_runs(lambda: each("cpu"), 2), ""))
    rows += batch_chain(rng, args.frames, args.repeat)
    name = gpu.cuda.get_current_device().name
    print(f"convtrace GPU benchmark on {name.decode() if isinstance(name, bytes) else name}")
    print_table("GPU (times include host↔device transfers)", rows)
    crossover(rng, args.repeat)


def batch_chain(rng, n_photos: int, repeat: int) -> list:
    """A batch's filtering of 8-bit photos: the device chain (bytes up, pixels back) against each step
    sent on its own (int32 sums both ways, pixels made on the CPU) and against the CPU."""
    from convtrace.batch.images import filter_on_gpu, filter_pixels, to_pixels
    from convtrace.batch.plan import BatchPlan, KernelStep
    from convtrace.kernel import named_kernel
    from convtrace.spec import ConvSpec, PoolSpec

    photos = rng.integers(0, 256, (n_photos, 3, 768, 1024), dtype=np.uint8)
    rows = []
    for name, steps in (("sharpen", (KernelStep(named_kernel("sharpen"), ConvSpec(padding="same")),)),
                        ("gaussian-5, max:2", (KernelStep(named_kernel("gaussian-5"), ConvSpec(padding="same")),
                                               PoolSpec(size=2)))):
        case = f"{n_photos} photos {name}"
        plans = {device: BatchPlan(steps, device=device) for device in ("cpu", "cuda")}
        integers = plans["cpu"].filters_integers

        def chain():
            for photo in photos:
                filter_on_gpu(photo if integers else photo.astype(np.float32), plans["cuda"], 255)

        def per_step(device):
            for photo in photos:
                sums, scale = filter_pixels(photo if integers else photo.astype(np.float32), plans[device],
                                            scaled=False)
                to_pixels(sums, "clip", 255, scale)

        rows.append((case, "convtrace", time_runs(chain, repeat), "GPU chain: bytes up, pixels back"))
        rows.append((case, "convtrace GPU step by step", time_runs(lambda: per_step("cuda"), repeat),
                     "each step's values both ways"))
        rows.append((case, "convtrace CPU", time_runs(lambda: per_step("cpu"), repeat), ""))
    return rows


def crossover(rng, repeat: int) -> None:
    """Where the GPU starts to pay for its transfers, against the constant ``auto`` uses."""
    import statistics

    from convtrace.arrays import AUTO_GPU_WORK_PER_BYTE_PER_THREAD, resolve_device
    from convtrace.engine.config import THREADS

    image = rng.standard_normal((2048, 2048)).astype(np.float32)
    moved = 2 * image.nbytes
    print(f"\nCrossover on a 2048² float32 image, {THREADS} CPU threads; auto's constant: "
          f"{AUTO_GPU_WORK_PER_BYTE_PER_THREAD} multiply-adds per byte per thread")
    print(f"{'window':>7} {'MACs/byte/thread':>17} {'GPU ms':>8} {'CPU ms':>8}  faster  auto picks")
    for k in (3, 5, 7, 9, 11, 15, 21):
        kernel = rng.standard_normal((k, k)).astype(np.float32)
        convtrace.conv2d(image[:64, :64], kernel, device="cuda")
        gpu_ms = statistics.median(time_runs(lambda: convtrace.conv2d(image, kernel, padding="same",
                                                                      device="cuda"), repeat)) * 1e3
        cpu_ms = statistics.median(time_runs(lambda: convtrace.conv2d(image, kernel, padding="same"),
                                             repeat)) * 1e3
        ratio = image.size * k * k / moved / THREADS
        picks = resolve_device("auto", image.size * k * k, moved)
        print(f"{f'{k}×{k}':>7} {ratio:>17.2f} {gpu_ms:>8.2f} {cpu_ms:>8.2f}  {'GPU' if gpu_ms < cpu_ms else 'CPU':>6}"
              f"  {picks}")


if __name__ == "__main__":
    main()
