"""Filtering folders of images: fast, and never losing or clobbering a file.

Each image is decoded with Pillow, filtered by the engine (its serial
routines, which release the GIL, so worker threads really run in parallel
and decoding, filtering and encoding overlap), mapped back to pixel values,
encoded into a temporary file beside its destination and renamed into place.
At most a few images are in memory at once, never the whole folder.

Safety rules: nothing is written inside IN; OUT may not be IN, nor overlap it
when recursing; an existing output is skipped unless ``overwrite`` (so an
interrupted run resumes where it stopped); a file that is not an image, is
damaged or is a decompression bomb is reported and skipped.
"""

from __future__ import annotations

import fnmatch
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from convtrace.errors import ConvtraceValueError
from convtrace.io.readers import IMAGE_SUFFIXES
from convtrace.io.writers import TEMP_PREFIX, write_atomic
from convtrace.kernel import Kernel
from convtrace.messages.batch import (
    BATCH_NESTED_DIR,
    BATCH_NO_INPUT_DIR,
    BATCH_OUT_NOT_DIR,
    BATCH_SAME_DIR,
)
from convtrace.messages.options import OUTPUT_EXISTS
from convtrace.spec import ConvSpec

#: Formats that cannot store an alpha channel: it is dropped.
NO_ALPHA_FORMATS = ("JPEG", "BMP", "PPM")
FORMAT_SUFFIX = {"png": ".png", "jpg": ".jpg"}
PIL_FORMAT = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".bmp": "BMP", ".gif": "GIF", ".tif": "TIFF",
              ".tiff": "TIFF", ".webp": "WEBP", ".pgm": "PPM", ".ppm": "PPM"}


@dataclass(frozen=True)
class KernelStep:
    """Filter with a kernel from the library (or a file) under a convolution spec."""

    kernel: Kernel
    spec: ConvSpec


@dataclass(frozen=True)
class BatchPlan:
    """What happens to every image."""

    steps: tuple                   # KernelStep / PoolSpec, in order
    channels: str = "per"          # per | sum | gray
    range_mode: str = "clip"       # clip | abs | normalize
    out_format: str = "same"       # png | jpg | same
    overwrite: bool = False
    device: str = "cpu"            # cpu | cuda | auto


@dataclass
class Outcome:
    source: Path
    target: Path
    status: str                    # done | skipped | failed | planned
    reason: str = ""


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def as_dict(self) -> dict:
        done = self.count("done")
        return {
            "done": done, "skipped": self.count("skipped"), "failed": self.count("failed"),
            "planned": self.count("planned"), "seconds": round(self.seconds, 3),
            "images_per_second": round(done / self.seconds, 2) if self.seconds > 0 else None,
            "interrupted": self.interrupted,
            "failures": [{"file": str(o.source), "reason": o.reason} for o in self.outcomes if o.status == "failed"],
        }


# ----------------------------------------------------------------------------- finding the work


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def check_folders(in_dir: Path, out_dir: Path, recursive: bool) -> None:
    """Refuse folder pairs where writing outputs could touch an input."""
    if not in_dir.is_dir():
        raise ConvtraceValueError(BATCH_NO_INPUT_DIR, where=str(in_dir))
    if out_dir.exists() and not out_dir.is_dir():
        raise ConvtraceValueError(BATCH_OUT_NOT_DIR, where=str(out_dir))
    src, dst = in_dir.resolve(), out_dir.resolve()
    if src == dst:
        raise ConvtraceValueError(BATCH_SAME_DIR, where=str(out_dir))
    if recursive and (_inside(dst, src) or _inside(src, dst)):
        raise ConvtraceValueError(BATCH_NESTED_DIR, where=str(out_dir), input=str(in_dir))


def find_images(in_dir: Path, recursive: bool, pattern: str | None,
                errors: list[Outcome] | None = None) -> list[tuple[Path, Path]]:
    """(path, path relative to IN) of every candidate image, sorted; unreadable folders go to ``errors``."""
    found = []

    def onerror(err: OSError) -> None:
        if errors is not None:
            errors.append(Outcome(Path(err.filename or in_dir), Path(), "failed", f"cannot read folder: {err.strerror}"))

    walker = os.walk(in_dir, onerror=onerror, followlinks=False) if recursive else [
        (str(in_dir), [], sorted(os.listdir(in_dir)))]
    for root, dirs, files in walker:
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if name.startswith(TEMP_PREFIX) or not path.is_file():
                continue
            if pattern:
                if not fnmatch.fnmatch(name.lower(), pattern.lower()):
                    continue
            elif path.suffix.lower() not in IMAGE_SUFFIXES:
                continue
            found.append((path, path.relative_to(in_dir)))
    return found


def target_for(rel: Path, out_dir: Path, out_format: str) -> Path:
    target = out_dir / rel
    if out_format in FORMAT_SUFFIX:
        target = target.with_suffix(FORMAT_SUFFIX[out_format])
    return target


# ----------------------------------------------------------------------------- one image


def decode(path: Path):
    """(channels (C, H, W) float32, alpha or None, max pixel value, Pillow mode) of an image file."""
    from convtrace.io.readers import open_pixels

    arr, mode = open_pixels(path)
    if mode in ("I", "F"):
        arr, mode = arr.astype(np.float32), "F"
    if mode.startswith("I;16"):
        maxval = 65535
    elif mode == "F":
        maxval = float(max(np.nanmax(arr), 1.0)) if arr.size else 1.0
        maxval = 65535 if maxval > 255 else 255
    else:
        maxval = 255
    from convtrace.engine.pixels import planar_float32

    alpha = None
    if arr.ndim == 3:
        if mode in ("RGBA", "LA"):
            alpha = arr[..., -1].copy()
        channels = planar_float32(np.ascontiguousarray(arr[..., :-1] if alpha is not None else arr))
    else:
        channels = np.ascontiguousarray(arr[None], dtype=np.float32)
    return channels, alpha, maxval, mode


def filter_pixels(channels: np.ndarray, plan: BatchPlan) -> np.ndarray:
    """Apply the plan's steps to (C, H, W) float32 pixels, in the calling thread."""
    from convtrace.convolution import prepare_conv2d
    from convtrace.pooling import prepare_pool2d

    x = channels
    if plan.channels == "gray" and x.shape[0] == 3:
        # ITU-R 601 luma, as Pillow's convert("L").
        x = (x[0] * np.float32(0.299) + x[1] * np.float32(0.587) + x[2] * np.float32(0.114))[None]
    for step in plan.steps:
        if isinstance(step, KernelStep):
            kernel = step.kernel
            if plan.channels == "sum" and kernel.weights.ndim == 2 and x.shape[0] > 1:
                kernel = Kernel(kernel.name, np.repeat(kernel.weights[None], x.shape[0], axis=0), kernel.scale)
            out = prepare_conv2d(x, kernel, step.spec).run(parallel=False, device=plan.device)
        else:
            out = prepare_pool2d(x, spec=step).run(parallel=False, device=plan.device)
        x = out if out.ndim == 3 else out[None]
    return x


RANGE_CODES = {"clip": 0, "abs": 1, "normalize": 2}


def to_pixels(values: np.ndarray, range_mode: str, maxval: int) -> np.ndarray:
    """Filtered (C, H, W) values as (H, W, C) pixels 0…maxval: clipped, absolute, or stretched min–max."""
    from convtrace.engine.pixels import interleaved_pixels

    dtype = np.uint16 if maxval > 255 else np.uint8
    out = np.empty(values.shape[1:] + values.shape[:1], dtype=dtype)
    return interleaved_pixels(np.ascontiguousarray(values), RANGE_CODES[range_mode], float(maxval), out)


def encode(pixels: np.ndarray, alpha: np.ndarray | None, suffix: str) -> bytes:
    """(H, W, C) pixels (and alpha) as the bytes of an image file of type ``suffix``."""
    import io

    from PIL import Image

    fmt = PIL_FORMAT.get(suffix.lower(), "PNG")
    size = pixels.shape[:2]
    if pixels.shape[2] == 1:
        img = Image.fromarray(pixels[..., 0])
        if alpha is not None and fmt not in NO_ALPHA_FORMATS and pixels.dtype == np.uint8:
            img = Image.merge("LA", (img, Image.fromarray(_fit(alpha, size))))
    else:
        rgb = pixels[..., :3]
        if rgb.dtype != np.uint8:
            rgb = (rgb >> 8).astype(np.uint8)
        img = Image.fromarray(np.ascontiguousarray(rgb), "RGB")
        if alpha is not None and fmt not in NO_ALPHA_FORMATS:
            img.putalpha(Image.fromarray(_fit(alpha, size)))
    if fmt == "GIF":
        img = img.convert("P") if img.mode in ("RGB", "L", "LA", "RGBA") else img
    options = {"quality": 92} if fmt in ("JPEG", "WEBP") else {}
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _fit(alpha: np.ndarray, shape) -> np.ndarray:
    """The alpha channel unchanged, or resized (nearest) when the filter changed the size."""
    if alpha.shape == tuple(shape):
        return alpha
    from PIL import Image

    return np.asarray(Image.fromarray(alpha).resize((shape[1], shape[0]), Image.Resampling.NEAREST))


def process(source: Path, target: Path, plan: BatchPlan) -> Outcome:
    """Filter one image into ``target``; every problem becomes a failed Outcome with a reason."""
    from PIL import Image, UnidentifiedImageError

    from convtrace.errors import ConvtraceError

    if target.exists() and not plan.overwrite:
        return Outcome(source, target, "skipped", "exists")
    if target.exists() and source.resolve() == target.resolve():
        return Outcome(source, target, "failed", "the output would replace the input")
    try:
        channels, alpha, maxval, _ = decode(source)
        values = filter_pixels(channels, plan)
        data = encode(to_pixels(values, plan.range_mode, maxval), alpha, target.suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data, overwrite=plan.overwrite)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return Outcome(source, target, "failed", "too large to open safely (decompression bomb?)")
    except UnidentifiedImageError:
        return Outcome(source, target, "failed", "not an image Pillow can read")
    except ConvtraceError as err:
        if err.key == OUTPUT_EXISTS:
            return Outcome(source, target, "skipped", "exists")
        return Outcome(source, target, "failed", str(err))
    except (OSError, ValueError, SyntaxError) as err:
        return Outcome(source, target, "failed", f"damaged or unreadable image ({err})")
    return Outcome(source, target, "done")


# ----------------------------------------------------------------------------- the whole folder


def run(jobs: list[tuple[Path, Path]], plan: BatchPlan, workers: int = 0,
        progress: Callable[[Outcome], None] | None = None, dry_run: bool = False,
        stop: threading.Event | None = None) -> Summary:
    """Process (source, target) pairs on ``workers`` threads with a few images in flight at most."""
    summary = Summary()
    start = time.perf_counter()
    if dry_run:
        for source, target in jobs:
            status = "skipped" if target.exists() and not plan.overwrite else "planned"
            summary.outcomes.append(Outcome(source, target, status, "exists" if status == "skipped" else ""))
        return summary
    workers = workers or os.cpu_count() or 1
    queue: Iterator[tuple[Path, Path]] = iter(jobs)
    in_flight: deque[Future] = deque()
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="convtrace") as pool:
            def fill():
                while len(in_flight) < workers * 2 and not (stop and stop.is_set()):
                    job = next(queue, None)
                    if job is None:
                        return
                    in_flight.append(pool.submit(process, job[0], job[1], plan))

            fill()
            while in_flight:
                done, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
                for future in done:
                    in_flight.remove(future)
                    outcome = future.result()
                    summary.outcomes.append(outcome)
                    if progress is not None:
                        progress(outcome)
                fill()
    except KeyboardInterrupt:
        summary.interrupted = True
        for future in in_flight:
            future.cancel()
        raise
    finally:
        summary.seconds = time.perf_counter() - start
    return summary
