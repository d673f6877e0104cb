"""What happens to every image of a run, and the check that it can happen, made once.

A :class:`BatchPlan` (kernel and pooling steps, channel and range handling,
output format) checks its own fields when it is made; :func:`check_plan` then
tries its steps on small blank images, so that a mistake in the settings is one
clear error before any image is read, while problems that depend on an image's
size are left to be reported per image.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convtrace.batch.outcomes import _first_line, shown
from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.kernel import Kernel
from convtrace.messages.batch import (
    BATCH_BAD_PLAN,
    BATCH_BAD_SETTINGS,
)
from convtrace.messages.params import (
    KERNEL_TOO_LARGE,
    POOL_WINDOW_EMPTY,
    REFLECT_TOO_LARGE,
    WINDOW_TOO_LARGE,
)
from convtrace.names import DEVICES
from convtrace.spec import ConvSpec, PoolSpec

FORMAT_SUFFIX = {"png": ".png", "jpg": ".jpg"}


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

    @property
    def filters_integers(self) -> bool:
        """Whether images are filtered as the 8/16-bit integers they are, not as float32.

        A single convolution with integer weights (the scale, 1/16 …, is applied with the
        rounding): the engine reads the pixels as they are and sums them exactly in int32, as
        ``convtrace conv`` does, with no float32 copy of the image to write first.
        """
        if len(self.steps) != 1 or self.channels == "gray" or not isinstance(self.steps[0], KernelStep):
            return False
        return self.steps[0].kernel.weights.dtype.kind in "iub"



# ----------------------------------------------------------------------------- settings, once


#: Errors that depend on an image's size: reported per image, never as a settings error.
SIZE_KEYS = frozenset({KERNEL_TOO_LARGE, WINDOW_TOO_LARGE, REFLECT_TOO_LARGE, POOL_WINDOW_EMPTY})

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
        dtype = np.uint8 if plan.filters_integers else np.float32   # the variant the images will use
        op = prepare_conv2d(np.zeros((channels, height, width), dtype), kernel, step.spec)
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
