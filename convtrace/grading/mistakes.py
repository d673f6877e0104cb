"""The mistakes students make, each a small change to the exercise, and the ids that name them.

:data:`MISTAKE_IDS` is the JSON contract (``diagnoses[].mistake``) and, with the per-operation orders,
settles ties.  :func:`candidate_mistakes` lists every single mistake tried on an exercise: settings
changed, the kernel altered, or the answer transformed; for a transposed convolution and a forward pass
the mistakes particular to them.  :class:`Diagnosis` is what a grade reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from convtrace.grading.exercise import Exercise
from convtrace.grading.pipeline import PipelineSpec
from convtrace.messages import Term
from convtrace.messages.grading import (
    FLATTEN_CHW,
    FLATTEN_HWC,
    MISTAKE_ADDED_PADDING,
    MISTAKE_BIAS_FORGOTTEN,
    MISTAKE_CEIL,
    MISTAKE_DILATION,
    MISTAKE_DIVISOR_EXCLUDED,
    MISTAKE_DIVISOR_INCLUDED,
    MISTAKE_FLATTEN_ORDER,
    MISTAKE_FLIP_ADDED,
    MISTAKE_FLIP_MISSING,
    MISTAKE_FLOOR,
    MISTAKE_KERNEL_TRANSPOSED,
    MISTAKE_LAYER_ADDED_PADDING,
    MISTAKE_LAYER_FLIP_ADDED,
    MISTAKE_LAYER_KERNEL_TRANSPOSED,
    MISTAKE_LAYER_NO_PADDING,
    MISTAKE_LAYER_PADDING_AMOUNT,
    MISTAKE_LAYER_POOL_MODE,
    MISTAKE_LAYER_STRIDE,
    MISTAKE_NO_PADDING,
    MISTAKE_NOT_IN_WINDOW,
    MISTAKE_NOT_MAX,
    MISTAKE_NOT_MIN,
    MISTAKE_OTHER_WINDOW,
    MISTAKE_PAD_MODE,
    MISTAKE_PADDING_AMOUNT,
    MISTAKE_POOL_MODE,
    MISTAKE_RELU_FORGOTTEN,
    MISTAKE_SCALE,
    MISTAKE_SIGN,
    MISTAKE_SLIP,
    MISTAKE_SLIP_AFTER,
    MISTAKE_STRIDE,
    MISTAKE_TCONV_AS_CONV,
    MISTAKE_TCONV_CROP_ADDED,
    MISTAKE_TCONV_CROP_AMOUNT,
    MISTAKE_TCONV_NO_CROP,
    MISTAKE_TCONV_NO_FLIP,
    MISTAKE_TCONV_OUTPUT_PADDING,
    MISTAKE_TCONV_OUTPUT_PADDING_ADDED,
    MISTAKE_TRANSPOSED_ANSWER,
    MISTAKE_UNEXPLAINED,
    MISTAKE_WINDOW_SHIFT_ALL,
    MISTAKE_WINDOW_SHIFTED,
    SHAPE_MISMATCH,
)
from convtrace.names import PAD_MODES
from convtrace.spec import NO_PADDING, POOL_MODES, ConvSpec, PoolSpec, Spec
from convtrace.transpose import TConvSpec

#: The mistake ids of the JSON contract (``grade_document``'s ``diagnoses[].mistake``), in the order
#: ties are settled: when two mistakes give the same output, the one listed first is named.
MISTAKE_IDS = ("flip_added", "flip_missing", "kernel_transposed", "answer_transposed", "scale_forgotten", "sign",
               "no_padding", "added_padding", "padding_amount", "pad_mode", "stride", "dilation", "pool_mode",
               "divisor_included", "divisor_excluded", "ceil", "floor", "window_shift", "slip", "unexplained",
               # transposed convolution and forward passes
               "tconv_no_flip", "tconv_as_conv", "output_padding", "relu_forgotten", "bias_forgotten",
               "flatten_order")
#: The order ties are settled in for transposed convolutions: what is particular to them comes first.
TCONV_ORDER = ("tconv_no_flip", "kernel_transposed", "output_padding", "no_padding", "added_padding",
               "padding_amount", "stride", "dilation", "tconv_as_conv", "answer_transposed", "sign")
#: The same for forward passes: the steps the issue names first, then the layers' own settings.
PIPELINE_ORDER = ("relu_forgotten", "bias_forgotten", "flatten_order", "flip_added", "kernel_transposed",
                  "no_padding", "added_padding", "padding_amount", "stride", "pool_mode", "answer_transposed",
                  "sign")
#: The same for pooling exercises: what is particular to pooling (its mode, divisor and rounding) comes
#: before padding, so a 'same'-padded max pool that equals ceil mode is named ceil.
POOL_ORDER = ("answer_transposed", "sign", "pool_mode", "divisor_included", "divisor_excluded", "ceil", "floor",
              "no_padding", "added_padding", "padding_amount", "stride", "dilation", "window_shift")
#: The id of the entry that describes a wrong shape (with the settings that would give it).
SHAPE_ID = "shape"

_KEY_IDS = {
    MISTAKE_FLIP_ADDED: "flip_added", MISTAKE_FLIP_MISSING: "flip_missing",
    MISTAKE_KERNEL_TRANSPOSED: "kernel_transposed", MISTAKE_TRANSPOSED_ANSWER: "answer_transposed",
    MISTAKE_SCALE: "scale_forgotten", MISTAKE_SIGN: "sign", MISTAKE_NO_PADDING: "no_padding",
    MISTAKE_ADDED_PADDING: "added_padding", MISTAKE_PADDING_AMOUNT: "padding_amount", MISTAKE_PAD_MODE: "pad_mode",
    MISTAKE_STRIDE: "stride", MISTAKE_DILATION: "dilation", MISTAKE_POOL_MODE: "pool_mode",
    MISTAKE_DIVISOR_INCLUDED: "divisor_included", MISTAKE_DIVISOR_EXCLUDED: "divisor_excluded",
    MISTAKE_CEIL: "ceil", MISTAKE_FLOOR: "floor", MISTAKE_WINDOW_SHIFTED: "window_shift",
    MISTAKE_WINDOW_SHIFT_ALL: "window_shift", MISTAKE_OTHER_WINDOW: "window_shift", MISTAKE_SLIP: "slip",
    MISTAKE_SLIP_AFTER: "slip", MISTAKE_NOT_MAX: "slip", MISTAKE_NOT_MIN: "slip", MISTAKE_NOT_IN_WINDOW: "slip",
    MISTAKE_UNEXPLAINED: "unexplained", SHAPE_MISMATCH: SHAPE_ID,
    MISTAKE_RELU_FORGOTTEN: "relu_forgotten", MISTAKE_BIAS_FORGOTTEN: "bias_forgotten",
    MISTAKE_FLATTEN_ORDER: "flatten_order", MISTAKE_LAYER_FLIP_ADDED: "flip_added",
    MISTAKE_LAYER_KERNEL_TRANSPOSED: "kernel_transposed", MISTAKE_LAYER_NO_PADDING: "no_padding",
    MISTAKE_LAYER_ADDED_PADDING: "added_padding", MISTAKE_LAYER_PADDING_AMOUNT: "padding_amount",
    MISTAKE_LAYER_STRIDE: "stride", MISTAKE_LAYER_POOL_MODE: "pool_mode",
    MISTAKE_TCONV_AS_CONV: "tconv_as_conv", MISTAKE_TCONV_NO_FLIP: "tconv_no_flip",
    MISTAKE_TCONV_OUTPUT_PADDING: "output_padding", MISTAKE_TCONV_OUTPUT_PADDING_ADDED: "output_padding",
    MISTAKE_TCONV_NO_CROP: "no_padding", MISTAKE_TCONV_CROP_ADDED: "added_padding",
    MISTAKE_TCONV_CROP_AMOUNT: "padding_amount",
}



@dataclass(frozen=True)
class Diagnosis:
    """A named mistake (a message key and its parameters) and the answer cells it concerns."""

    key: str
    params: dict = field(default_factory=dict)
    cells: tuple = ()          # the answer's cells it explains or concerns, each a tuple of ints

    @property
    def mistake(self) -> str:
        """The stable id of the JSON contract (one of :data:`MISTAKE_IDS`, or ``"shape"``)."""
        return _KEY_IDS.get(self.key, "slip")


@dataclass(frozen=True)
class Mistake:
    """One way students get an exercise wrong: settings changed, the kernel altered, or the answer transformed."""

    id: str
    key: str
    params: tuple = ()                 # message parameters, as (name, value) pairs
    spec: tuple = ()                   # settings changed, as (field, value) pairs
    kernel: str | None = None          # "transpose", "rotate" (180°) or "unscale"
    answer: str | None = None          # "transpose", "negate" or "shift" (by ``shift`` rows, columns)
    shift: tuple = (0, 0)

    def diagnosis(self, cells=()) -> Diagnosis:
        return Diagnosis(self.key, dict(self.params), tuple(cells))



def _rotationally_symmetric(w: np.ndarray) -> bool:
    return np.array_equal(w, w[..., ::-1, ::-1])


def _pair_value(pair) -> object:
    """A (rows, cols) setting as users write it: 2, or 2×3."""
    if pair is None:
        return None
    return pair[0] if pair[0] == pair[1] else f"{pair[0]}×{pair[1]}"


def _padding_value(padding) -> object:
    if isinstance(padding, str):
        return padding
    top, bottom, left, right = padding
    return top if top == bottom == left == right else f"({top}, {bottom}, {left}, {right})"



def _num(v):
    v = v.item() if hasattr(v, "item") else v
    return int(v) if float(v).is_integer() else round(float(v), 6)



def _padding_mistakes(ex: Exercise, spec: Spec):
    padding = spec.padding
    if padding == NO_PADDING:
        for other in ("same", "full", 1, 2):
            if other == "full" and not isinstance(spec, ConvSpec):
                continue
            yield Mistake("added_padding", MISTAKE_ADDED_PADDING, (("padding", other),), (("padding", other),))
        return
    yield Mistake("no_padding", MISTAKE_NO_PADDING, (), (("padding", 0),))
    asked = _padding_value(padding)
    if isinstance(padding, str):
        others = [o for o in ("same", "full", 1, 2) if o != padding]
    elif len(set(padding)) == 1:
        others = [o for o in (padding[0] - 1, padding[0] + 1, padding[0] - 2, padding[0] + 2) if o > 0]
    else:
        others = []
    for other in others:
        yield Mistake("padding_amount", MISTAKE_PADDING_AMOUNT, (("used", other), ("asked", asked)),
                      (("padding", other),))


def _stride_mistakes(ex: Exercise, spec: Spec):
    if isinstance(spec, ConvSpec):
        window = tuple(ex.kernel.weights.shape[-2:])
        current = spec.stride
    else:
        window = spec.window(ex.input.shape[-2:])
        current = spec.stride_for(window)
    options = (1, 2, 3) + ((window[0],) if window[0] == window[1] else ())
    for other in dict.fromkeys(options):
        if (other, other) != tuple(current):
            yield Mistake("stride", MISTAKE_STRIDE, (("used", other), ("asked", _pair_value(current))),
                          (("stride", other),))


def candidate_mistakes(ex: Exercise) -> list[Mistake]:
    """Every single mistake tried on ``ex``, in the order ties are settled."""
    spec = ex.spec
    if isinstance(spec, TConvSpec):
        return _tconv_mistakes(ex)
    if isinstance(spec, PipelineSpec):
        return _pipeline_mistakes(ex)
    out: list[Mistake] = []
    if isinstance(spec, ConvSpec):
        weights = ex.kernel.weights
        if not _rotationally_symmetric(weights):
            key, name = (MISTAKE_FLIP_MISSING, "flip_missing") if spec.flip else (MISTAKE_FLIP_ADDED, "flip_added")
            out.append(Mistake(name, key, (), (("flip", not spec.flip),)))
        if not np.array_equal(weights, np.swapaxes(weights, -1, -2)):
            out.append(Mistake("kernel_transposed", MISTAKE_KERNEL_TRANSPOSED, kernel="transpose"))
    out.append(Mistake("answer_transposed", MISTAKE_TRANSPOSED_ANSWER, answer="transpose"))
    if isinstance(spec, ConvSpec) and ex.kernel.scale != 1:
        out.append(Mistake("scale_forgotten", MISTAKE_SCALE, (("scale", str(ex.kernel.scale)),), kernel="unscale"))
    out.append(Mistake("sign", MISTAKE_SIGN, answer="negate"))
    out += _padding_mistakes(ex, spec)
    if isinstance(spec, ConvSpec) and spec.padding != NO_PADDING:
        for mode in PAD_MODES:
            if mode != spec.pad_mode:
                out.append(Mistake("pad_mode", MISTAKE_PAD_MODE, (("used", mode), ("asked", spec.pad_mode)),
                                   (("pad_mode", mode),)))
    out += _stride_mistakes(ex, spec)
    if spec.dilation != (1, 1):
        out.append(Mistake("dilation", MISTAKE_DILATION, (), (("dilation", 1),)))
    if isinstance(spec, PoolSpec):
        for other in POOL_MODES:
            if other != spec.mode:
                out.append(Mistake("pool_mode", MISTAKE_POOL_MODE, (("used", other), ("asked", spec.mode)),
                                   (("mode", other),)))
        if spec.mode == "avg" and spec.padding != NO_PADDING:
            include = spec.count_include_pad
            out.append(Mistake("divisor_excluded" if include else "divisor_included",
                               MISTAKE_DIVISOR_EXCLUDED if include else MISTAKE_DIVISOR_INCLUDED, (),
                               (("count_include_pad", not include),)))
        out.append(Mistake("floor", MISTAKE_FLOOR, (), (("ceil_mode", False),)) if spec.ceil_mode else
                   Mistake("ceil", MISTAKE_CEIL, (), (("ceil_mode", True),)))
    for rows, cols in ((0, 1), (1, 0), (1, 1), (0, -1), (-1, 0)):
        out.append(Mistake("window_shift", MISTAKE_WINDOW_SHIFT_ALL, (("rows", rows), ("cols", cols)),
                           answer="shift", shift=(rows, cols)))
    order = {name: n for n, name in enumerate(POOL_ORDER if isinstance(spec, PoolSpec) else MISTAKE_IDS)}
    return sorted(out, key=lambda m: order[m.id])   # stable: the order above settles ties within an id


def _tconv_mistakes(ex: Exercise) -> list[Mistake]:
    """The ways a transposed convolution goes wrong: the gather view's kernel not flipped, output_padding
    or the cropping (padding) forgotten or of another size, another stride, dilation ignored, a plain
    convolution instead; and the answer transposed or negated."""
    spec, weights = ex.spec, ex.kernel.weights
    out: list[Mistake] = []
    if not _rotationally_symmetric(weights):
        out.append(Mistake("tconv_no_flip", MISTAKE_TCONV_NO_FLIP, kernel="rotate"))
    if not np.array_equal(weights, np.swapaxes(weights, -1, -2)):
        out.append(Mistake("kernel_transposed", MISTAKE_KERNEL_TRANSPOSED, kernel="transpose"))
    op = spec.output_padding
    if op != (0, 0):
        out.append(Mistake("output_padding", MISTAKE_TCONV_OUTPUT_PADDING, (("value", _pair_value(op)),),
                           (("output_padding", 0),)))
    elif max(spec.stride + spec.dilation) > 1:
        out.append(Mistake("output_padding", MISTAKE_TCONV_OUTPUT_PADDING_ADDED, (("value", 1),),
                           (("output_padding", 1),)))
    pad = spec.padding
    if pad != (0, 0):
        out.append(Mistake("no_padding", MISTAKE_TCONV_NO_CROP, (("padding", _pair_value(pad)),), (("padding", 0),)))
        if pad[0] == pad[1]:
            for other in (pad[0] - 1, pad[0] + 1):
                if other > 0:
                    out.append(Mistake("padding_amount", MISTAKE_TCONV_CROP_AMOUNT,
                                       (("used", other), ("asked", pad[0])), (("padding", other),)))
    else:
        out.append(Mistake("added_padding", MISTAKE_TCONV_CROP_ADDED, (("padding", 1),), (("padding", 1),)))
    for other in (1, 2, 3):
        if (other, other) != spec.stride:
            out.append(Mistake("stride", MISTAKE_STRIDE, (("used", other), ("asked", _pair_value(spec.stride))),
                               (("stride", other),)))
    if spec.dilation != (1, 1):
        out.append(Mistake("dilation", MISTAKE_DILATION, (), (("dilation", 1),)))
    for how in ("same", "valid", "full"):
        label = {"same": f"stride {_pair_value(spec.stride)}, padding {_pair_value(pad)}",
                 "valid": "padding 0", "full": "padding 'full'"}[how]
        out.append(Mistake("tconv_as_conv", MISTAKE_TCONV_AS_CONV, (("how", label),), (("as_conv", how),)))
    out.append(Mistake("answer_transposed", MISTAKE_TRANSPOSED_ANSWER, answer="transpose"))
    out.append(Mistake("sign", MISTAKE_SIGN, answer="negate"))
    order = {name: n for n, name in enumerate(TCONV_ORDER)}
    return sorted(out, key=lambda m: order[m.id])


def _pipeline_mistakes(ex: Exercise) -> list[Mistake]:
    """The ways a forward pass goes wrong, each a changed layer: a ReLU left out, a bias not added, the
    other flatten order, a conv layer's kernel flipped or transposed, its padding or stride, a pooling
    layer's mode or stride; and the answer transposed or negated."""
    spec: PipelineSpec = ex.spec
    names = spec.names()
    out: list[Mistake] = []
    for n, (layer, name) in enumerate(zip(spec.layers, names, strict=True), start=1):
        at = (("layer", name),)
        kind = layer.kind
        if kind in ("relu", "leaky_relu"):
            out.append(Mistake("relu_forgotten", MISTAKE_RELU_FORGOTTEN, at, ((f"{n}.drop", True),)))
        if kind in ("conv", "dense") and layer.bias is not None and np.any(np.asarray(layer.bias) != 0):
            bias = np.asarray(layer.bias).ravel()
            shown = _num(bias[0]) if bias.size == 1 else ", ".join(str(_num(b)) for b in bias[:4]) + \
                (" …" if bias.size > 4 else "")
            out.append(Mistake("bias_forgotten", MISTAKE_BIAS_FORGOTTEN, at + (("bias", shown),),
                               ((f"{n}.bias", None),)))
        if kind == "flatten":
            asked = layer.option("order")
            used = "hwc" if asked == "chw" else "chw"
            explain = Term(FLATTEN_CHW if used == "chw" else FLATTEN_HWC)
            out.append(Mistake("flatten_order", MISTAKE_FLATTEN_ORDER,
                               (("used", used), ("asked", asked), ("explain", explain)), ((f"{n}.order", used),)))
        if kind == "conv":
            w = np.asarray(layer.weights)
            if not _rotationally_symmetric(w):
                out.append(Mistake("flip_added", MISTAKE_LAYER_FLIP_ADDED, at, ((f"{n}.weights", "rotate"),)))
            if not np.array_equal(w, np.swapaxes(w, -1, -2)):
                out.append(Mistake("kernel_transposed", MISTAKE_LAYER_KERNEL_TRANSPOSED, at,
                                   ((f"{n}.weights", "transpose"),)))
            padding = ConvSpec(padding=layer.option("padding")).padding
            if padding == NO_PADDING:
                for other in ("same", 1):
                    out.append(Mistake("added_padding", MISTAKE_LAYER_ADDED_PADDING, at + (("padding", other),),
                                       ((f"{n}.padding", other),)))
            else:
                out.append(Mistake("no_padding", MISTAKE_LAYER_NO_PADDING, at, ((f"{n}.padding", 0),)))
                if not isinstance(padding, str) and len(set(padding)) == 1:
                    for other in (padding[0] - 1, padding[0] + 1):
                        if other > 0:
                            out.append(Mistake("padding_amount", MISTAKE_LAYER_PADDING_AMOUNT,
                                               at + (("used", other), ("asked", padding[0])),
                                               ((f"{n}.padding", other),)))
            stride = ConvSpec(stride=layer.option("stride")).stride
            for other in (1, 2):
                if (other, other) != stride:
                    out.append(Mistake("stride", MISTAKE_LAYER_STRIDE, at + (("used", other),
                                                                              ("asked", _pair_value(stride))),
                                       ((f"{n}.stride", other),)))
        if kind in ("maxpool", "avgpool"):
            other = "avgpool" if kind == "maxpool" else "maxpool"
            out.append(Mistake("pool_mode", MISTAKE_LAYER_POOL_MODE,
                               at + (("used", other[:3]), ("asked", kind[:3])), ((f"{n}.kind", other),)))
            size = ConvSpec(stride=layer.option("size")).stride
            given = layer.options.get("stride")
            stride = size if given is None else ConvSpec(stride=given).stride
            if stride != (1, 1):
                out.append(Mistake("stride", MISTAKE_LAYER_STRIDE, at + (("used", 1), ("asked", _pair_value(stride))),
                                   ((f"{n}.stride", 1),)))
    if ex.expected().ndim >= 2:     # a vector (after flatten or dense) has no transpose to mistake it for
        out.append(Mistake("answer_transposed", MISTAKE_TRANSPOSED_ANSWER, answer="transpose"))
    out.append(Mistake("sign", MISTAKE_SIGN, answer="negate"))
    order = {name: n for n, name in enumerate(PIPELINE_ORDER)}
    return sorted(out, key=lambda m: order[m.id])
