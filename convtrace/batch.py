"""Filtering folders of images: fast, and never losing or clobbering a file.

Each image is decoded with Pillow, filtered by the engine (its serial
routines, which release the GIL, so worker threads really run in parallel
and decoding, filtering and encoding overlap), mapped back to pixel values,
encoded into a temporary file beside its destination and renamed into place.
At most a few images are in memory at once, never the whole folder.

Safety rules: every setting is checked once, before any image is read
(:func:`check_plan`); nothing is written inside IN: OUT may not be IN, nor lie
inside it or around it, recursive or not (:func:`check_folders`); OUT must be
writable before the first image (:func:`prepare_out`); the settings of a run are
kept in OUT (:data:`MANIFEST_NAME`), so a re-run with the same settings resumes
(an existing output is skipped) while a re-run with other settings is refused
unless ``overwrite`` (:func:`check_manifest`); a file that is not an image, is
damaged, unreadable or a decompression bomb is reported and skipped.
"""

from __future__ import annotations

import fnmatch
import inspect
import json
import os
import tempfile
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.io.readers import IMAGE_SUFFIXES
from convtrace.io.writers import TEMP_PREFIX, write_atomic
from convtrace.kernel import Kernel
from convtrace.messages import translate
from convtrace.messages.batch import (
    BATCH_BAD_MANIFEST,
    BATCH_BAD_PLAN,
    BATCH_BAD_SETTINGS,
    BATCH_NESTED_DIR,
    BATCH_NO_INPUT_DIR,
    BATCH_OTHER_SETTINGS,
    BATCH_OUT_CANNOT_CREATE,
    BATCH_OUT_NOT_DIR,
    BATCH_OUT_NOT_WRITABLE,
    BATCH_REASON_BOMB,
    BATCH_REASON_CANNOT_WRITE,
    BATCH_REASON_DAMAGED,
    BATCH_REASON_EXISTS,
    BATCH_REASON_FOLDER,
    BATCH_REASON_INSIDE_IN,
    BATCH_REASON_NO_READ_PERMISSION,
    BATCH_REASON_NOT_IMAGE,
    BATCH_REASON_REPLACES_INPUT,
    BATCH_REASON_TOO_LARGE,
    BATCH_REASON_UNEXPECTED,
    BATCH_SAME_DIR,
)
from convtrace.messages.options import OUTPUT_EXISTS
from convtrace.messages.params import KERNEL_TOO_LARGE, POOL_WINDOW_EMPTY, REFLECT_TOO_LARGE
from convtrace.names import DEVICES
from convtrace.spec import ConvSpec, PoolSpec

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


CHANNEL_MODES = ("per", "sum", "gray")
RANGE_MODES = ("clip", "abs", "normalize")
OUT_FORMATS = ("same", "png", "jpg")


def _choice(name: str, value: object, choices: tuple) -> None:
    if not isinstance(value, str) or value not in choices:
        raise ConvtraceValueError(BATCH_BAD_PLAN, name=name, value=repr(value), choices=", ".join(choices))


@dataclass(frozen=True)
class BatchPlan:
    """What happens to every image; checked on construction (each step's spec checks itself)."""

    steps: tuple                   # KernelStep / PoolSpec, in order
    channels: str = "per"          # per | sum | gray
    range_mode: str = "clip"       # clip | abs | normalize
    out_format: str = "same"       # png | jpg | same
    overwrite: bool = False
    device: str = "cpu"            # cpu | cuda | auto

    def __post_init__(self) -> None:
        steps = tuple(self.steps) if isinstance(self.steps, (list, tuple)) else None
        if not steps or not all(isinstance(s, (KernelStep, PoolSpec)) for s in steps):
            raise ConvtraceValueError(BATCH_BAD_PLAN, name="steps", value=repr(self.steps),
                                      choices="a non-empty tuple of KernelStep and PoolSpec")
        object.__setattr__(self, "steps", steps)
        for step in steps:
            if isinstance(step, KernelStep) and not (isinstance(step.kernel, Kernel)
                                                     and isinstance(step.spec, ConvSpec)):
                raise ConvtraceValueError(BATCH_BAD_PLAN, name="steps", value=repr(step),
                                          choices="KernelStep(Kernel, ConvSpec)")
        _choice("channels", self.channels, CHANNEL_MODES)
        _choice("range_mode", self.range_mode, RANGE_MODES)
        _choice("out_format", self.out_format, OUT_FORMATS)
        _choice("device", self.device, tuple(DEVICES))
        if not isinstance(self.overwrite, (bool, np.bool_)):
            raise ConvtraceValueError(BATCH_BAD_PLAN, name="overwrite", value=repr(self.overwrite),
                                      choices="True, False")
        object.__setattr__(self, "overwrite", bool(self.overwrite))


@dataclass
class Outcome:
    source: Path
    target: Path
    status: str                    # done | skipped | failed | planned
    reason: str = ""               # English, as in the JSON summary
    key: str = ""                  # the reason's message key, to show it in another language
    params: dict = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        """The reason in ``lang``."""
        return translate(self.key, lang, **self.params) if self.key else self.reason


def _outcome(source: Path, target: Path, status: str, key: str, **params: object) -> Outcome:
    return Outcome(source, target, status, translate(key, "en", **params), key, params)


def _error_outcome(source: Path, target: Path, err: ConvtraceError) -> Outcome:
    return Outcome(source, target, "failed", err.message("en"), err.key, dict(err.params))


# ----------------------------------------------------------------------------- names shown to people

#: Characters that would break a report line or fool the terminal: C0/C1 controls, line and paragraph
#: separators, surrogates, and the bidirectional overrides that reorder what is shown.
_BREAKING = {"Cc", "Zl", "Zp", "Cs"}
_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def shown(text: object) -> str:
    """``text`` (a path, a reason) safe on one report line: control characters escaped as Python does
    (``\\n``, ``\\x1b``, ``\\u2028``), bytes that were not valid UTF-8 as ``\\xNN``; accents and spaces kept."""
    text = str(text)
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:          # os.fsdecode's stand-in for an undecodable byte
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch in _BIDI or unicodedata.category(ch) in _BREAKING:
            out.append(repr(ch)[1:-1])
        else:
            out.append(ch)
    return "".join(out)


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


def check_folders(in_dir: Path, out_dir: Path, recursive: bool = False) -> None:
    """Refuse folder pairs where writing outputs could touch an input.

    OUT may be neither IN nor inside it nor around it, with or without
    ``recursive``: nothing is ever written among the originals.
    """
    if not in_dir.is_dir():
        raise ConvtraceValueError(BATCH_NO_INPUT_DIR, where=shown(in_dir))
    if out_dir.exists() and not out_dir.is_dir():
        raise ConvtraceValueError(BATCH_OUT_NOT_DIR, where=shown(out_dir))
    src, dst = in_dir.resolve(), out_dir.resolve()
    if src == dst:
        raise ConvtraceValueError(BATCH_SAME_DIR, where=shown(out_dir))
    if _inside(dst, src) or _inside(src, dst):
        raise ConvtraceValueError(BATCH_NESTED_DIR, where=shown(out_dir), input=shown(in_dir))


def _nearest_existing(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def prepare_out(out_dir: Path, dry_run: bool = False) -> None:
    """Make sure outputs can be written into OUT, once, before any image: create it (not on a
    dry run) and try writing a temporary file there.  Problems are one clear error."""
    if dry_run:
        folder = out_dir if out_dir.is_dir() else _nearest_existing(out_dir)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ConvtraceValueError(BATCH_OUT_NOT_WRITABLE, where=shown(folder),
                                      reason=os.strerror(13))
        return
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ConvtraceValueError(BATCH_OUT_NOT_DIR, where=shown(out_dir)) from None
    except OSError as err:
        raise ConvtraceValueError(BATCH_OUT_CANNOT_CREATE, where=shown(out_dir),
                                  reason=shown(err.strerror or err)) from None
    try:
        fd, probe = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise ConvtraceValueError(BATCH_OUT_NOT_WRITABLE, where=shown(out_dir),
                                  reason=shown(err.strerror or err)) from None


def find_images(in_dir: Path, recursive: bool, pattern: str | None,
                errors: list[Outcome] | None = None) -> list[tuple[Path, Path]]:
    """(path, path relative to IN) of every candidate image, sorted; unreadable folders go to ``errors``."""
    found = []

    def onerror(err: OSError) -> None:
        if errors is not None:
            errors.append(_outcome(Path(err.filename or in_dir), Path(), "failed", BATCH_REASON_FOLDER,
                                   reason=err.strerror or str(err)))

    if recursive:
        walker = os.walk(in_dir, onerror=onerror, followlinks=False)
    else:
        try:
            walker = [(str(in_dir), [], sorted(os.listdir(in_dir)))]
        except OSError as err:
            onerror(err)
            walker = []
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


def render(source, target: Path, plan: BatchPlan, suffix: str | None = None) -> bytes | Outcome:
    """Read, filter and encode one image: the bytes of the output file, or a failed Outcome saying why.

    ``source`` is a path or a binary file object (what a worker read from a URL); ``suffix`` is the
    output's type (``target``'s own by default).  Everything but writing: the same on one machine
    and on a cluster.
    """
    from PIL import Image, UnidentifiedImageError

    try:  # reading and filtering
        channels, alpha, maxval, _ = decode(source)
        values = filter_pixels(channels, plan)
        return encode(to_pixels(values, plan.range_mode, maxval), alpha, suffix or target.suffix)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _outcome(source, target, "failed", BATCH_REASON_BOMB)
    except UnidentifiedImageError:
        return _outcome(source, target, "failed", BATCH_REASON_NOT_IMAGE)
    except ConvtraceError as err:
        return _error_outcome(source, target, err)
    except PermissionError:
        return _outcome(source, target, "failed", BATCH_REASON_NO_READ_PERMISSION)
    except (MemoryError, OverflowError) as err:
        return _outcome(source, target, "failed", BATCH_REASON_TOO_LARGE, reason=_first_line(err))
    except (OSError, ValueError, SyntaxError, EOFError) as err:
        return _outcome(source, target, "failed", BATCH_REASON_DAMAGED, reason=_first_line(err))
    except Exception as err:  # noqa: BLE001 - one image never stops the folder nor prints a traceback
        return _outcome(source, target, "failed", BATCH_REASON_UNEXPECTED, reason=_first_line(err))


#: Whether :func:`~convtrace.io.writers.write_atomic` can name its temporary files after a run.
_WRITER_TAKES_PREFIX = "prefix" in inspect.signature(write_atomic).parameters


def temp_prefix(run_id: str = "") -> str:
    """The name every temporary file of run ``run_id`` starts with (``.convtrace-<run>-``)."""
    return f"{TEMP_PREFIX}{run_id}-" if run_id else TEMP_PREFIX


def process(source: Path, target: Path, plan: BatchPlan, forbidden: Path | None = None,
            run_id: str = "") -> Outcome:
    """Filter one image into ``target``; every problem becomes a failed Outcome with a reason.

    ``forbidden`` (IN, resolved) is a folder the output must not land in, even through a link.
    ``run_id`` names the run's temporary files (``.convtrace-<run_id>-…``), so that the ones a
    killed process left behind can be told from any other run's and removed.
    """
    if forbidden is not None and _inside(target.parent.resolve(), forbidden):
        return _outcome(source, target, "failed", BATCH_REASON_INSIDE_IN)
    if target.exists() and not plan.overwrite:
        return _outcome(source, target, "skipped", BATCH_REASON_EXISTS)
    if target.exists() and source.resolve() == target.resolve():
        return _outcome(source, target, "failed", BATCH_REASON_REPLACES_INPUT)
    data = render(source, target, plan)
    if isinstance(data, Outcome):
        return data
    try:  # writing
        target.parent.mkdir(parents=True, exist_ok=True)
        if run_id and _WRITER_TAKES_PREFIX:
            write_atomic(target, data, overwrite=plan.overwrite, prefix=temp_prefix(run_id))
        else:
            write_atomic(target, data, overwrite=plan.overwrite)
    except ConvtraceError as err:
        if err.key == OUTPUT_EXISTS:
            return _outcome(source, target, "skipped", BATCH_REASON_EXISTS)
        return _error_outcome(source, target, err)
    except OSError as err:
        return _outcome(source, target, "failed", BATCH_REASON_CANNOT_WRITE, path=str(target),
                        reason=err.strerror or _first_line(err))
    return Outcome(source, target, "done")


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    line = text.splitlines()[0] if text else ""
    return f"{type(err).__name__}: {line}" if line else type(err).__name__


# ----------------------------------------------------------------------------- settings, once


#: Errors that depend on an image's size: reported per image, never as a settings error.
SIZE_KEYS = frozenset({KERNEL_TOO_LARGE, REFLECT_TOO_LARGE, POOL_WINDOW_EMPTY})

#: The side of the stand-in images the settings are tried on (grown to fit a window, up to the cap).
_PROBE_SIDE, _PROBE_CAP = 8, 512
#: Stand-in runs are only made when this cheap (cells of padded input; multiply-adds).
_PROBE_CELLS, _PROBE_WORK = 1 << 22, 1 << 26


def _probe_side(window: int, dilation: int) -> int:
    return max(_PROBE_SIDE, min((window - 1) * dilation + 1, _PROBE_CAP))


def _probe_step(step, channels: int, plan: BatchPlan) -> int:
    """Prepare (and, when cheap, run) one step on a blank image of ``channels``; its output channels."""
    from convtrace.convolution import prepare_conv2d
    from convtrace.pooling import prepare_pool2d

    if isinstance(step, KernelStep):
        kernel = step.kernel
        kh, kw = (kernel.weights.shape[-2:] if kernel.weights.ndim >= 2 else (1, kernel.weights.shape[-1]))
        height = _probe_side(int(kh), step.spec.dilation[0])
        width = _probe_side(int(kw), step.spec.dilation[1])
        if plan.channels == "sum" and kernel.weights.ndim == 2 and channels > 1:
            kernel = Kernel(kernel.name, np.repeat(kernel.weights[None], channels, axis=0), kernel.scale)
        op = prepare_conv2d(np.zeros((channels, height, width), np.float32), kernel, step.spec)
        work = op.rows.size * op.cols.size * op.weights.shape[0] * op.weights[0].size
        out_channels = op.out_shape3[0]
    else:
        kh, kw = (_PROBE_SIDE, _PROBE_SIDE) if step.size == "global" else step.size
        height, width = _probe_side(kh, step.dilation[0]), _probe_side(kw, step.dilation[1])
        op = prepare_pool2d(np.zeros((channels, height, width), np.float32), spec=step)
        work = op.rows.size * op.cols.size * channels * op.size[0] * op.size[1]
        out_channels = channels
    padded = channels * (height + op.pads[0] + op.pads[1]) * (width + op.pads[2] + op.pads[3])
    if padded <= _PROBE_CELLS and work <= _PROBE_WORK:
        op.run(parallel=False, device="cpu")
    return out_channels


def check_plan(plan: BatchPlan) -> None:
    """Try every step on small blank images of one and of three channels, before any real image.

    A problem that every kind of image would meet is a settings error, raised once (a
    :class:`ConvtraceError`); one that depends on an image's size (a kernel larger than a small
    image, reflect padding wider than it) or that only images of some channel count meet (a
    three-channel kernel on a gray image) is left to be reported per image.
    """
    starts = (1,) if plan.channels == "gray" else (1, 3)   # what decode gives: gray or colour
    failures: list[ConvtraceError] = []
    for channels in starts:
        try:
            for step in plan.steps:
                channels = _probe_step(step, channels, plan)
        except ConvtraceError as err:
            if err.key in SIZE_KEYS:
                return
            failures.append(err)
        except Exception as err:  # noqa: BLE001 - any other failure of the settings is a clean error
            failures.append(ConvtraceValueError(BATCH_BAD_SETTINGS, reason=shown(_first_line(err))))
        else:
            return
    if failures:
        raise failures[0]


# ----------------------------------------------------------------------------- the record of a run

#: The file in OUT that keeps the settings its images were made with (hidden, and never an input).
MANIFEST_NAME = ".convtrace-batch.json"
MANIFEST_FORMAT = 1


def _jsonable(value):
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)  # Fraction and other exact numbers


def plan_settings(plan: BatchPlan) -> dict:
    """Everything that decides what an output image holds, as JSON (device and workers do not)."""
    steps = []
    for step in plan.steps:
        if isinstance(step, KernelStep):
            steps.append({"op": "conv2d", "kernel": step.kernel.name, "weights": _jsonable(step.kernel.weights),
                          "scale": str(step.kernel.scale), "params": _jsonable(step.spec.to_dict())})
        else:
            steps.append({"op": "pool2d", "params": _jsonable(step.to_dict())})
    return {"steps": steps, "channels": plan.channels, "range": plan.range_mode, "format": plan.out_format}


def manifest_text(plan: BatchPlan) -> str:
    from convtrace import __version__

    doc = {"convtrace_batch": MANIFEST_FORMAT, "convtrace": __version__, "settings": plan_settings(plan)}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_OPTION = {"padding": "--padding", "pad_mode": "--pad-mode", "pad_value": "--pad-value", "stride": "--stride",
           "dilation": "--dilation", "flip": "--flip", "channels": "--channels", "range": "--range",
           "format": "--format"}
_POOL_OPTION = {"stride": "--pool-stride", "size": "--pool", "mode": "--pool"}


def _brief(value, limit: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")) if not isinstance(value, str) else value
    return shown(text if len(text) <= limit else text[: limit - 1] + "…")


def _step_text(step: dict) -> str:
    if not isinstance(step, dict):
        return _brief(step)
    params = step.get("params") if isinstance(step.get("params"), dict) else {}
    if step.get("op") == "conv2d":
        return f"-k {_brief(step.get('kernel'))}"
    size = params.get("size")
    size = "x".join(map(str, size)) if isinstance(size, list) else size
    return f"--pool {_brief(params.get('mode'))}:{_brief(size)}"


def settings_changes(old: dict, new: dict) -> list[str]:
    """What differs between two :func:`plan_settings`, each as ``OPTION: OLD → NEW``."""
    changes = []
    old_steps, new_steps = old.get("steps"), new["steps"]
    if (not isinstance(old_steps, list) or len(old_steps) != len(new_steps)
            or any(not isinstance(a, dict) or a.get("op") != b["op"] for a, b in zip(old_steps, new_steps, strict=True))):
        before = ", ".join(_step_text(s) for s in old_steps) if isinstance(old_steps, list) else _brief(old_steps)
        changes.append(f"{before} → {', '.join(_step_text(s) for s in new_steps)}")
    else:
        for a, b in zip(old_steps, new_steps, strict=True):
            if b["op"] == "conv2d":
                if a.get("kernel") != b["kernel"]:
                    changes.append(f"-k: {_brief(a.get('kernel'))} → {_brief(b['kernel'])}")
                elif a.get("weights") != b["weights"] or a.get("scale") != b["scale"]:
                    changes.append(f"-k {_brief(b['kernel'])}: {_brief(a.get('weights'))} × {_brief(a.get('scale'))}"
                                   f" → {_brief(b['weights'])} × {_brief(b['scale'])}")
            old_params = a.get("params") if isinstance(a.get("params"), dict) else {}
            names = _POOL_OPTION if b["op"] == "pool2d" else {}
            for name in sorted(set(old_params) | set(b["params"])):
                if old_params.get(name) != b["params"].get(name):
                    option = names.get(name) or _OPTION.get(name) or name
                    changes.append(f"{option}: {_brief(old_params.get(name))} → {_brief(b['params'].get(name))}")
    for name in ("channels", "range", "format"):
        if old.get(name) != new[name]:
            changes.append(f"{_OPTION[name]}: {_brief(old.get(name))} → {_brief(new[name])}")
    return changes


def check_manifest(out_dir: Path, plan: BatchPlan) -> bool:
    """Compare OUT's record of settings with ``plan``: True when it must be (re)written.

    No record: True.  The same settings: False (the run resumes).  Other settings or a record
    that cannot be read: refused with a clear error, unless ``plan.overwrite`` (True: redone).
    """
    path = out_dir / MANIFEST_NAME
    if not os.path.lexists(path):
        return True
    if plan.overwrite:
        return True
    return check_record(lambda: path.read_text(encoding="utf-8"), path, out_dir, plan)


def check_record(read: Callable[[], str], where: object, out_dir: object, plan: BatchPlan) -> bool:
    """:func:`check_manifest` for a record that exists, read by ``read()`` (a file, a URL's object)."""
    try:
        doc = json.loads(read())
        if not isinstance(doc, dict) or not isinstance(doc.get("settings"), dict):
            raise ValueError("not a convtrace batch record")
        if doc.get("convtrace_batch") != MANIFEST_FORMAT:
            raise ValueError(f"record format {doc.get('convtrace_batch')!r}, expected {MANIFEST_FORMAT}")
    except (OSError, ValueError, RecursionError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else _first_line(err)
        raise ConvtraceValueError(BATCH_BAD_MANIFEST, where=shown(where), reason=shown(reason)) from None
    new = json.loads(json.dumps(plan_settings(plan)))
    changes = settings_changes(doc["settings"], new)
    if changes:
        raise ConvtraceValueError(BATCH_OTHER_SETTINGS, where=shown(out_dir), changes="; ".join(changes))
    return False


def write_manifest(out_dir: Path, plan: BatchPlan) -> None:
    """Keep the run's settings in OUT (atomically), before the first output."""
    try:
        write_atomic(out_dir / MANIFEST_NAME, manifest_text(plan).encode("utf-8"), overwrite=True)
    except OSError as err:
        raise ConvtraceValueError(BATCH_OUT_NOT_WRITABLE, where=shown(out_dir),
                                  reason=shown(err.strerror or err)) from None


# ----------------------------------------------------------------------------- the whole folder


def run(jobs: list[tuple[Path, Path]], plan: BatchPlan, workers: int = 0,
        progress: Callable[[Outcome], None] | None = None, dry_run: bool = False,
        stop: threading.Event | None = None, forbidden: Path | None = None) -> Summary:
    """Process (source, target) pairs on ``workers`` threads with a few images in flight at most.

    ``forbidden``: a folder (IN) no output may be written into, even through a link.
    """
    summary = Summary()
    start = time.perf_counter()
    if dry_run:
        for source, target in jobs:
            if forbidden is not None and _inside(target.parent.resolve(), forbidden):
                summary.outcomes.append(_outcome(source, target, "failed", BATCH_REASON_INSIDE_IN))
            elif target.exists() and not plan.overwrite:
                summary.outcomes.append(_outcome(source, target, "skipped", BATCH_REASON_EXISTS))
            else:
                summary.outcomes.append(Outcome(source, target, "planned"))
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
                    in_flight.append(pool.submit(process, job[0], job[1], plan, forbidden))

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
