"""conv2d and pool2d on a 4096×4096 float32 image against the tools people use instead.

Run:  python benchmarks/bench_engine.py [--size 4096] [--repeat 7]

Every tool gets the same array in one run.  "vs convtrace" is the tool's time
divided by convtrace's: above 1 means convtrace is faster.  A plain copy of
the image is the memory-bandwidth floor.  Border handling is the same
everywhere for the convolutions: reflect-101 ("reflect" in convtrace and
NumPy, BORDER_REFLECT_101 in OpenCV, "mirror" in SciPy ndimage).
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from common import best_time, print_table  # noqa: E402

import convtrace  # noqa: E402


def optional(name):
    try:
        return __import__(name)
    except ImportError:
        return None


def conv_rows(image, repeat):
    cv2 = optional("cv2")
    ndimage = optional("scipy.ndimage") and __import__("scipy.ndimage", fromlist=["ndimage"])
    pil_image = optional("PIL.Image") and __import__("PIL.Image", fromlist=["Image"])
    pil_filter = optional("PIL.ImageFilter") and __import__("PIL.ImageFilter", fromlist=["ImageFilter"])
    rng = np.random.default_rng(0)
    rows = []
    copy_target = np.empty_like(image)
    copy_time = best_time(lambda: np.copyto(copy_target, image), repeat)
    for k in (3, 5, 7):
        case = f"conv {k}×{k} float32"
        kernel = rng.standard_normal((k, k)).astype(np.float32)
        ours = best_time(lambda: convtrace.conv2d(image, kernel, padding="same", pad_mode="reflect"), repeat)
        rows.append((case, "convtrace", ours, ""))
        rows.append((case, "memory copy (floor)", copy_time, "np.copyto of the image"))
        if cv2 is not None:
            rows.append((case, "OpenCV cv2.filter2D", best_time(
                lambda: cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_REFLECT_101), repeat), ""))
        else:
            rows.append((case, "OpenCV cv2.filter2D", None, "opencv-python-headless not installed"))
        if ndimage is not None:
            rows.append((case, "scipy.ndimage.correlate", best_time(
                lambda: ndimage.correlate(image, kernel, mode="mirror"), max(2, repeat // 3)), ""))
        if pil_image is not None and k in (3, 5):
            gray = pil_image.fromarray(np.clip(image * 40 + 128, 0, 255).astype(np.uint8), mode="L")
            pil_kernel = pil_filter.Kernel((k, k), (kernel * 10).ravel().tolist(), scale=1)
            rows.append((case, "Pillow ImageFilter.Kernel", best_time(lambda: gray.filter(pil_kernel), repeat),
                         "8-bit L image (Pillow has no float kernel filter)"))
        elif pil_image is not None:
            rows.append((case, "Pillow ImageFilter.Kernel", None, "Pillow kernels are 3×3 or 5×5 only"))
    return rows


def pool_rows(image, repeat):
    torch = optional("torch")
    rows = []
    for k in (2, 3):
        n = (image.shape[0] // k) * k
        cropped = np.ascontiguousarray(image[:n, :n])
        for mode in ("max", "avg"):
            case = f"{mode} pool {k}×{k}"
            ours = best_time(lambda: convtrace.pool2d(cropped, k, mode=mode), repeat)
            rows.append((case, "convtrace", ours, ""))
            blocks = cropped.reshape(n // k, k, n // k, k)
            reduce = blocks.max if mode == "max" else blocks.mean
            rows.append((case, "NumPy reshape + reduce", best_time(lambda: reduce(axis=(1, 3)), repeat), ""))
            windows = np.lib.stride_tricks.sliding_window_view(cropped, (k, k))[::k, ::k]
            wreduce = windows.max if mode == "max" else windows.mean
            rows.append((case, "NumPy sliding_window_view", best_time(lambda: wreduce(axis=(2, 3)), 2), ""))
            if torch is not None:
                t = torch.from_numpy(cropped)[None, None]
                fn = torch.nn.functional.max_pool2d if mode == "max" else torch.nn.functional.avg_pool2d
                with torch.no_grad():
                    rows.append((case, f"PyTorch {fn.__name__} (CPU)", best_time(lambda: fn(t, k), repeat),
                                 f"{torch.get_num_threads()} threads"))
            else:
                rows.append((case, "PyTorch (CPU)", None, "torch not installed"))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    image = np.random.default_rng(1).standard_normal((args.size, args.size)).astype(np.float32)
    # Compile outside the timings.
    convtrace.conv2d(image[:64, :64], np.ones((3, 3), np.float32), padding="same", pad_mode="reflect")
    import numba

    print(f"convtrace engine benchmark: {args.size}×{args.size} float32, {os.cpu_count()} CPUs, "
          f"numba {numba.__version__} with {numba.config.NUMBA_NUM_THREADS} threads; best of {args.repeat}")
    print_table("Convolution (padding='same', reflect-101 borders)", conv_rows(image, args.repeat))
    print_table("Pooling (stride = size)", pool_rows(image, args.repeat))


if __name__ == "__main__":
    main()
