"""conv2d and pool2d on a 4096×4096 float32 image against the tools people use instead.

Run:  python benchmarks/bench_engine.py [--size 4096] [--repeat 9]

Every tool gets the same array in one run, and the fast contenders of a case
run in turn, round after round (SciPy, Pillow and NumPy, far slower, are timed
on their own with fewer runs).  Each figure is the median with the fastest and
slowest run; "vs convtrace" is the tool's median divided by convtrace's: above
1 means convtrace is faster.  A plain copy of the image is the memory-bandwidth
floor, and a fresh array written once (``np.full_like``) the floor of every
tool that allocates its output: the kernel zeroes each new page first.  Border handling is the same everywhere for the convolutions:
reflect-101 ("reflect" in convtrace and NumPy, BORDER_REFLECT_101 in OpenCV,
"mirror" in SciPy ndimage).  Every convolution allocates its output, except
the row marked ``out=``.

The 8-bit rows filter a uint8 image with the 3×3 sharpen kernel, exactly, in
int32 (what the library picks when a bound proves the sums fit): through the
API (``convtrace.conv2d`` on the uint8 image, which the engine reads as it is:
what a user gets, checks and the output included; with the kernel as an array,
and by its library name; and with ``dtype=np.int16``, exact results in half the
bytes, as OpenCV's CV_16S), and through the engine with the image already int32,
converted first, and in int64; OpenCV reads the uint8 image and writes float32.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from common import print_table, race, time_runs  # noqa: E402

import convtrace  # noqa: E402
from convtrace import engine  # noqa: E402

SHARPEN = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])


def optional(name):
    try:
        return __import__(name)
    except ImportError:
        return None


#: Calls per timing in the small image's loop row.
SMALL_LOOP = 50


def conv_rows(image, repeat):
    cv2 = optional("cv2")
    ndimage = optional("scipy.ndimage") and __import__("scipy.ndimage", fromlist=["ndimage"])
    pil_image = optional("PIL.Image") and __import__("PIL.Image", fromlist=["Image"])
    pil_filter = optional("PIL.ImageFilter") and __import__("PIL.ImageFilter", fromlist=["ImageFilter"])
    rng = np.random.default_rng(0)
    rows = []
    copy_target = np.empty_like(image)
    out_target = np.empty((1,) + image.shape, dtype=image.dtype)
    slow = max(2, repeat // 3)
    for k in (3, 5, 7):
        case = f"conv {k}×{k} float32"
        kernel = rng.standard_normal((k, k)).astype(np.float32)
        w4 = kernel[None, None]
        p = k // 2
        funcs = {
            "convtrace": lambda: convtrace.conv2d(image, kernel, padding="same", pad_mode="reflect"),
            "convtrace engine, out= given": lambda: engine.correlate(image[None], w4, 1, (p, p, p, p), "reflect", 0,
                                                                    (1, 1), (1, 1), out=out_target),
            "memory copy (floor)": lambda: np.copyto(copy_target, image),
            "fresh output, written once": lambda: np.full_like(image, 1.0),
        }
        if cv2 is not None:
            funcs["OpenCV cv2.filter2D"] = lambda: cv2.filter2D(image, -1, kernel,
                                                                borderType=cv2.BORDER_REFLECT_101)
        times = race(funcs, repeat)
        notes = {"memory copy (floor)": "np.copyto of the image", "convtrace engine, out= given": "no allocation",
                 "fresh output, written once": "np.full_like: the floor of any tool that allocates"}
        rows += [(case, name, t, notes.get(name, "")) for name, t in times.items()]
        if cv2 is None:
            rows.append((case, "OpenCV cv2.filter2D", None, "opencv-python-headless not installed"))
        if ndimage is not None:
            rows.append((case, "scipy.ndimage.correlate", time_runs(
                lambda: ndimage.correlate(image, kernel, mode="mirror"), slow), ""))
        if pil_image is not None and k in (3, 5):
            gray = pil_image.fromarray(np.clip(image * 40 + 128, 0, 255).astype(np.uint8), mode="L")
            pil_kernel = pil_filter.Kernel((k, k), (kernel * 10).ravel().tolist(), scale=1)
            rows.append((case, "Pillow ImageFilter.Kernel", time_runs(lambda: gray.filter(pil_kernel), repeat),
                         "8-bit L image (Pillow has no float kernel filter)"))
        elif pil_image is not None:
            rows.append((case, "Pillow ImageFilter.Kernel", None, "Pillow kernels are 3×3 or 5×5 only"))

    # Windows without a fused loop of their own: an even size, a large one, and one past the size
    # (about 13×13 here) from which OpenCV filters through its DFT.
    for k in (4, 11, 15):
        kernel = rng.standard_normal((k, k)).astype(np.float32)
        case = f"conv {k}×{k} float32"
        funcs = {"convtrace": lambda: convtrace.conv2d(image, kernel, padding="same", pad_mode="reflect")}
        if cv2 is not None:
            funcs["OpenCV cv2.filter2D"] = lambda: cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_REFLECT_101)
        notes = {"convtrace": "the general loop, up to 8 taps a pass",
                 "OpenCV cv2.filter2D": "through its DFT" if k >= 15 else ""}
        rows += [(case, name, t, notes[name]) for name, t in race(funcs, repeat).items()]

    # A small image: thread start-up and dispatch, not bandwidth.
    small = np.ascontiguousarray(image[:512, :512])
    kernel = rng.standard_normal((3, 3)).astype(np.float32)
    case = "conv 3×3 float32 512²"
    funcs = {"convtrace": lambda: convtrace.conv2d(small, kernel, padding="same", pad_mode="reflect")}
    if cv2 is not None:
        funcs["OpenCV cv2.filter2D"] = lambda: cv2.filter2D(small, -1, kernel, borderType=cv2.BORDER_REFLECT_101)
    rows += [(case, name, t, "single calls, between the others") for name, t in race(funcs, repeat * 5).items()]
    # The same in a loop, as a video's frames or a folder of thumbnails: caches and branch
    # predictors stay warm, which single calls between other work do not get.
    def loop(func):
        def calls():
            for _ in range(SMALL_LOOP):
                func()  # each result dropped before the next call, as a loop over frames would
        return calls

    rows += [(f"{case} ×{SMALL_LOOP}", name, [t / SMALL_LOOP for t in times], "per call, in a loop")
             for name, times in race({name: loop(f) for name, f in funcs.items()}, repeat).items()]

    # 8-bit image, exact integer sums.
    pixels = np.clip(image * 40 + 128, 0, 255).astype(np.uint8)
    as_int32 = pixels.astype(np.int32)[None]
    w_int32 = SHARPEN.astype(np.int32)[None, None]
    case = "sharpen 3×3 uint8 image"
    funcs = {
        "convtrace": lambda: engine.correlate(as_int32, w_int32, 1, (1, 1, 1, 1), "reflect", 0, (1, 1), (1, 1)),
        "convtrace incl. uint8→int32": lambda: engine.correlate(pixels.astype(np.int32)[None], w_int32, 1,
                                                                (1, 1, 1, 1), "reflect", 0, (1, 1), (1, 1)),
        "convtrace int64": lambda: engine.correlate(as_int32.astype(np.int64), w_int32.astype(np.int64), 1,
                                                    (1, 1, 1, 1), "reflect", 0, (1, 1), (1, 1)),
        "conv2d API, uint8 in": lambda: convtrace.conv2d(pixels, SHARPEN, padding="same", pad_mode="reflect"),
        "conv2d API, 'sharpen' by name": lambda: convtrace.conv2d(pixels, "sharpen", padding="same",
                                                                  pad_mode="reflect"),
        "conv2d API, dtype=int16": lambda: convtrace.conv2d(pixels, SHARPEN, padding="same", pad_mode="reflect",
                                                            dtype=np.int16),
    }
    if cv2 is not None:
        sharpen32 = SHARPEN.astype(np.float32)
        funcs["OpenCV cv2.filter2D"] = lambda: cv2.filter2D(pixels, cv2.CV_32F, sharpen32,
                                                            borderType=cv2.BORDER_REFLECT_101)
    notes = {"convtrace": "engine, int32 in and out", "convtrace incl. uint8→int32": "the conversion timed too",
             "convtrace int64": "engine, int64 (conversion timed too)", "OpenCV cv2.filter2D": "uint8 in, float32 out",
             "conv2d API, uint8 in": "conv2d(image, kernel array): checks, int32 out",
             "conv2d API, 'sharpen' by name": "the same, the kernel looked up in the library",
             "conv2d API, dtype=int16": "exact int16 out (proved to fit): half the bytes"}
    rows += [(case, name, t, notes[name]) for name, t in race(funcs, repeat).items()]
    return rows


def pool_rows(image, repeat):
    torch = optional("torch")
    rows = []
    for k in (2, 3):
        n = (image.shape[0] // k) * k
        cropped = np.ascontiguousarray(image[:n, :n])
        for mode in ("max", "avg"):
            case = f"{mode} pool {k}×{k}"
            funcs = {"convtrace": lambda: convtrace.pool2d(cropped, k, mode=mode)}
            note = ""
            if torch is not None:
                t = torch.from_numpy(cropped)[None, None]
                fn = torch.nn.functional.max_pool2d if mode == "max" else torch.nn.functional.avg_pool2d
                name = f"PyTorch {fn.__name__} (CPU)"
                funcs[name] = lambda: fn(t, k)
                note = f"{torch.get_num_threads()} threads"
                with torch.no_grad():
                    times = race(funcs, repeat)
            else:
                times = race(funcs, repeat)
            rows.append((case, "convtrace", times.pop("convtrace"), ""))
            blocks = cropped.reshape(n // k, k, n // k, k)
            reduce = blocks.max if mode == "max" else blocks.mean
            rows.append((case, "NumPy reshape + reduce", time_runs(lambda: reduce(axis=(1, 3)), repeat), ""))
            windows = np.lib.stride_tricks.sliding_window_view(cropped, (k, k))[::k, ::k]
            wreduce = windows.max if mode == "max" else windows.mean
            rows.append((case, "NumPy sliding_window_view", time_runs(lambda: wreduce(axis=(2, 3)), 2), ""))
            if torch is not None:
                rows.append((case, name, times[name], note))
            else:
                rows.append((case, "PyTorch (CPU)", None, "torch not installed"))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    image = np.random.default_rng(1).standard_normal((args.size, args.size)).astype(np.float32)
    # Compile outside the timings.
    for k in (3, 5, 7):
        convtrace.conv2d(image[:600, :600], np.ones((k, k), np.float32), padding="same", pad_mode="reflect")
    convtrace.conv2d(np.zeros((600, 600), np.uint8), "sharpen", padding="same", pad_mode="reflect")
    convtrace.conv2d(np.zeros((600, 600), np.uint8), "sharpen", padding="same", pad_mode="reflect", dtype=np.int16)
    import numba

    print(f"convtrace engine benchmark: {args.size}×{args.size} float32, {os.cpu_count()} CPUs, "
          f"numba {numba.__version__} with {numba.config.NUMBA_NUM_THREADS} threads; "
          f"median and min–max of {args.repeat} runs")
    print_table("Convolution (padding='same', reflect-101 borders)", conv_rows(image, args.repeat))
    print_table("Pooling (stride = size)", pool_rows(image, args.repeat))


if __name__ == "__main__":
    main()
