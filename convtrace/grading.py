"""Grading answers to convolution and pooling exercises, and naming the likely mistakes.

An :class:`Exercise` is an input, a kernel (for convolution) and the
parameters; :func:`grade` compares a student's matrix with the engine's
output cell by cell and, when they differ, recomputes the exercise the way
students commonly get it wrong — one mistake, or two together (kernel
flipped or transposed, scale forgotten, padding forgotten, added or of
another size, another border mode, stride, pooling mode or divisor, floor vs
ceil, the answer transposed or negated, every window shifted) — and names the
explanation that accounts for most of the cells the student wrote with the
fewest mistakes.  Cells it leaves over are slips measured against what the
student would have got with that mistake; when nothing explains most of the
answer, it says so (``unexplained``) instead of listing every cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np

from convtrace.arrays import WHAT_INPUT, WHAT_KERNEL, as_numeric_array
from convtrace.convolution import Conv2d, prepare_conv2d
from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.kernel import Kernel
from convtrace.messages import Term, translate
from convtrace.messages.grading import (
    BAD_KEY,
    BAD_KEY_FIELD,
    EXERCISE_NEEDS_KERNEL,
    FLATTEN_CHW,
    FLATTEN_HWC,
    MISTAKE_ADDED_PADDING,
    MISTAKE_AND,
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
    SHAPE_OR,
    SHAPE_WOULD_COME_FROM,
)
from convtrace.messages.parsing import BAD_SCALE, KEY_UNKNOWN_FIELD, SCALE_OUT_OF_RANGE
from convtrace.names import PAD_MODES
from convtrace.pooling import Pool2d, prepare_pool2d
from convtrace.spec import NO_PADDING, POOL_MODES, ConvSpec, PoolSpec, Spec, spec_from_dict
from convtrace.transpose import ConvTranspose2d, TConvSpec, prepare_conv_transpose2d

#: Default tolerance for float answers: fit for answers rounded to two decimals.
DEFAULT_TOL = 0.005
#: How many wrong cells a grade carries the engine's working for.
MAX_WORKED_CELLS = 8
#: How many of the settings that would give a wrong shape are named.
MAX_SHAPE_OPTIONS = 4


#: Version of the answer-key format ``Exercise.to_dict`` writes (version 1 keys are still read).
KEY_FORMAT = 2

#: The operation name an answer key gives a transposed convolution.
TCONV_OP = "conv_transpose2d"
#: The operation name an answer key gives a forward pass through several layers.
PIPELINE_OP = "pipeline"


@dataclass(frozen=True, eq=False)
class PipelineSpec:
    """A forward pass: layers (:class:`convtrace.network.Layer`, weights in place) run one after the other.

    Its JSON form (an answer key's ``params``) is ``{"layers": [{"type": "conv", "padding": 1,
    "weights": [[…]], "bias": [1]}, {"type": "relu"}, {"type": "maxpool", "size": 2}, …]}``: each layer
    as a line of a ``convtrace net`` spec file, the weights written out.  A changed layer (how a mistake is
    described) is ``spec.varied(**{"2.drop": True})``: ``N.drop`` leaves layer N out, ``N.bias`` None drops
    its bias, ``N.weights`` ``"rotate"``/``"transpose"`` alters its kernel, ``N.kind`` swaps max/avg pooling,
    and ``N.OPTION`` sets one of its options.
    """

    kind: ClassVar[str] = PIPELINE_OP

    layers: tuple

    def to_dict(self) -> dict:
        out = []
        for layer in self.layers:
            doc: dict[str, Any] = {"type": layer.kind}
            for name, value in layer.options.items():
                if name in ("weights", "bias", "kernel") or value is None:
                    continue
                doc[name] = list(value) if isinstance(value, tuple) else value
            if layer.weights is not None:
                doc["weights"] = np.asarray(layer.weights).tolist()
            if layer.bias is not None:
                doc["bias"] = np.asarray(layer.bias).tolist()
            out.append(doc)
        return {"layers": out}

    @classmethod
    def from_dict(cls, doc: object, where: str = "key") -> PipelineSpec:
        from convtrace.network import LAYER_OPTIONS, Layer

        if not isinstance(doc, dict) or not isinstance(doc.get("layers"), list) or not doc["layers"]:
            raise ConvtraceValueError(BAD_KEY_FIELD, where=where, field="params.layers")
        layers = []
        for n, item in enumerate(doc["layers"], start=1):
            kind = item.get("type") if isinstance(item, dict) else None
            if kind not in LAYER_OPTIONS:
                raise ConvtraceValueError(BAD_KEY_FIELD, where=where, field=f"params.layers[{n}].type")
            known = ("type", *LAYER_OPTIONS[kind])
            for name in item:
                if name not in known or name == "kernel":
                    raise ConvtraceValueError(KEY_UNKNOWN_FIELD, where=where, field=str(name),
                                              part=f" (layer {n}, {kind})", known=", ".join(known))
            options = {k: (tuple(v) if isinstance(v, list) else v) for k, v in item.items()
                       if k not in ("type", "weights", "bias")}
            weights = as_numeric_array(item["weights"], WHAT_KERNEL) if "weights" in item else None
            bias = as_numeric_array(item["bias"], WHAT_KERNEL) if "bias" in item else None
            layers.append(Layer(kind=kind, options=options, weights=weights, bias=bias, where=f"{where}: layer {n}"))
        return cls(tuple(layers))

    def varied(self, **changes) -> PipelineSpec:
        """The same pass with layers changed (see the class docstring); layers left out keep no place."""
        layers = list(self.layers)
        dropped = set()
        for name, value in changes.items():
            index, _, what = name.partition(".")
            n = int(index) - 1
            layer = layers[n]
            if what == "drop":
                dropped.add(n)
            elif what == "bias":
                layer = replace(layer, bias=value)
            elif what == "weights":
                w = np.asarray(layer.weights)
                layer = replace(layer, weights=w[..., ::-1, ::-1] if value == "rotate" else np.swapaxes(w, -1, -2))
            elif what == "kind":
                layer = replace(layer, kind=value)
            else:
                layer = replace(layer, options={**layer.options, what: value})
            layers[n] = layer
        return PipelineSpec(tuple(layer for n, layer in enumerate(layers) if n not in dropped))

    def names(self) -> list[str]:
        """conv1, relu1, maxpool1 … as ``convtrace net`` names them."""
        counts: dict[str, int] = {}
        out = []
        for layer in self.layers:
            counts[layer.kind] = counts.get(layer.kind, 0) + 1
            out.append(f"{layer.kind}{counts[layer.kind]}")
        return out


@dataclass(frozen=True, eq=False)
class PipelineTrace:
    """The working of some output cells of a forward pass: per cell, the chain of layer traces that made it
    (the last layer's, and back through element-wise layers and flatten to the layer that computed it)."""

    operation: Any
    output: np.ndarray
    cells: tuple
    chains: tuple    # per cell: ((layer name, trace), …), first layer first

    def __len__(self) -> int:
        return len(self.cells)

    def step(self, n: int):
        return self.chains[n]


@dataclass(frozen=True, eq=False)
class PipelineRun:
    """A checked forward pass (the ``operation`` of a pipeline exercise)."""

    spec: PipelineSpec
    network: Any
    input: np.ndarray
    squeeze: bool          # a one-map output of a 2-D input is given as a matrix

    def outputs(self) -> list[np.ndarray]:
        return self.network.forward(self.input)

    def run(self) -> np.ndarray:
        out = self.outputs()[-1]
        return out[0] if self.squeeze else out

    def trace(self, cells=None) -> PipelineTrace:
        from convtrace.network import ELEMENTWISE

        out = self.run()
        if cells is None:
            cells = [tuple(int(v) for v in idx) for idx in np.ndindex(*out.shape)]
        chains = []
        for cell in cells:
            idx = tuple(int(v) for v in cell)
            if self.squeeze:
                idx = (0,) + idx
            chain = []
            for nl in reversed(self.network.layers):
                t = self.network.trace(self.input, nl.index, idx)
                chain.insert(0, (nl.name, t))
                if nl.kind in ELEMENTWISE:
                    continue
                if nl.kind == "flatten":
                    idx = t.source if len(t.source) == len(nl.input_shape) else idx
                    continue
                break
            chains.append(tuple(chain))
        return PipelineTrace(self, out, tuple(tuple(int(v) for v in c) for c in cells), tuple(chains))


def _pipeline_run(spec: PipelineSpec, x) -> PipelineRun:
    from convtrace.network import build_network

    arr = as_numeric_array(x, WHAT_INPUT)
    net = build_network(spec.layers, arr.shape, where="pipeline")
    last = net.layers[-1].output_shape
    return PipelineRun(spec, net, arr, squeeze=arr.ndim == 2 and len(last) == 3 and last[0] == 1)


def _op_name(spec) -> str:
    return TCONV_OP if isinstance(spec, TConvSpec) else spec.kind


def _tconv_spec(params: object, where: str) -> TConvSpec:
    import dataclasses

    if not isinstance(params, dict):
        raise ConvtraceValueError(BAD_KEY_FIELD, where=where, field="params")
    names = [f.name for f in dataclasses.fields(TConvSpec)]
    for name in params:
        if name not in names:
            raise ConvtraceValueError(KEY_UNKNOWN_FIELD, where=where, field=str(name), part=" ('params')",
                                      known=", ".join(names))
    return TConvSpec(**{k: tuple(v) if isinstance(v, list) else v for k, v in params.items()})


def _as_conv_exercise(ex: Exercise, how: str) -> Exercise:
    """What a student who did a plain convolution of a transposed-convolution exercise computed."""
    spec = ex.spec
    if how == "same":
        conv = ConvSpec(padding=spec.padding, stride=spec.stride, dilation=spec.dilation)
    else:
        conv = ConvSpec(padding=how)
    return Exercise(conv, ex.input, ex.kernel)



@dataclass(frozen=True, eq=False)
class Exercise:
    """What was asked: a spec (:class:`ConvSpec`, :class:`PoolSpec`, :class:`~convtrace.transpose.TConvSpec`
    or :class:`PipelineSpec`), the input and, for (transposed) convolution, the kernel."""

    spec: Spec | TConvSpec | PipelineSpec
    input: np.ndarray
    kernel: Kernel | None = None

    def __post_init__(self) -> None:
        if isinstance(self.spec, (ConvSpec, TConvSpec)) and self.kernel is None:
            raise ConvtraceValueError(EXERCISE_NEEDS_KERNEL)

    @property
    def is_conv(self) -> bool:
        return isinstance(self.spec, ConvSpec)

    @property
    def is_tconv(self) -> bool:
        return isinstance(self.spec, TConvSpec)

    @property
    def is_pipeline(self) -> bool:
        return isinstance(self.spec, PipelineSpec)

    def operation(self) -> Conv2d | Pool2d | ConvTranspose2d | PipelineRun:
        """The checked operation the exercise asks for."""
        if isinstance(self.spec, ConvSpec):
            return prepare_conv2d(self.input, self.kernel, self.spec)
        if isinstance(self.spec, TConvSpec):
            k = self.kernel
            weights = k.weights if k.scale == 1 else k.weights * float(k.scale)
            return prepare_conv_transpose2d(self.input, weights, self.spec)
        if isinstance(self.spec, PipelineSpec):
            return _pipeline_run(self.spec, self.input)
        return prepare_pool2d(self.input, spec=self.spec)

    def expected(self) -> np.ndarray:
        return self.operation().run()

    def varied(self, **changes) -> Exercise:
        """The same exercise with some settings changed: how a mistake is described.

        For a transposed convolution, ``as_conv="same"`` (the same stride, padding and dilation) or
        ``as_conv="valid"``/``"full"`` gives the plain convolution a student may have done instead."""
        if isinstance(self.spec, PipelineSpec):
            return replace(self, spec=self.spec.varied(**changes))
        if isinstance(self.spec, TConvSpec) and "as_conv" in changes:
            if len(changes) > 1:
                raise ConvtraceValueError(EXERCISE_NEEDS_KERNEL)  # no mixing: the variant does not exist
            return _as_conv_exercise(self, changes["as_conv"])
        return replace(self, spec=replace(self.spec, **changes))

    def to_dict(self) -> dict:
        """The exercise as JSON-ready data: what ``convtrace check --key`` reads."""
        doc: dict[str, Any] = {"convtrace_key": KEY_FORMAT, "op": _op_name(self.spec), "input": self.input.tolist(),
                               "params": self.spec.to_dict()}
        if self.kernel is not None:
            doc["kernel"] = {"name": self.kernel.name, "weights": self.kernel.weights.tolist(),
                             "scale": str(self.kernel.scale)}
        return doc

    @classmethod
    def from_dict(cls, doc: object, source: str = "key") -> Exercise:
        """An exercise from an answer key (format 1 or 2); anything malformed is one clear error."""
        if not isinstance(doc, dict) or doc.get("convtrace_key") not in (1, KEY_FORMAT):
            raise ConvtraceValueError(BAD_KEY, where=source)
        for name in ("op", "input", "params"):
            if name not in doc:
                raise ConvtraceValueError(BAD_KEY_FIELD, where=source, field=name)
        # The fields a key may have, at the top and in its "kernel": any other is a clear error.
        known_fields = {"": ("convtrace_key", "op", "input", "params", "kernel", "seed", "expected"),
                        " ('kernel')": ("name", "weights", "scale")}

        def check_fields(part: str, fields: dict) -> None:
            for name in fields:
                if name not in known_fields[part]:
                    raise ConvtraceValueError(KEY_UNKNOWN_FIELD, where=source, field=str(name), part=part,
                                              known=", ".join(known_fields[part]))

        check_fields("", doc)
        if doc["op"] == TCONV_OP:
            spec = _tconv_spec(doc["params"], source)
        elif doc["op"] == PIPELINE_OP:
            spec = PipelineSpec.from_dict(doc["params"], source)
        else:
            spec = spec_from_dict(doc["op"], doc["params"], source)
        kernel = None
        if isinstance(spec, (ConvSpec, TConvSpec)):
            k = doc.get("kernel")
            if not isinstance(k, dict) or "weights" not in k:
                raise ConvtraceValueError(BAD_KEY_FIELD, where=source, field="kernel")
            check_fields(" ('kernel')", k)
            try:
                scale = Fraction(str(k.get("scale", "1")).replace(" ", ""))
            except (ValueError, ZeroDivisionError):
                raise ConvtraceValueError(BAD_SCALE, where=source, value=k.get("scale")) from None
            try:
                finite = scale == 0 or 0 < abs(float(scale)) < float("inf")
            except OverflowError:
                finite = False
            if not finite:
                raise ConvtraceValueError(SCALE_OUT_OF_RANGE, where=source, value=k.get("scale"))
            kernel = Kernel(name=str(k.get("name", "kernel")),
                            weights=as_numeric_array(k["weights"], WHAT_KERNEL), scale=scale)
        return cls(spec=spec, input=as_numeric_array(doc["input"], WHAT_INPUT), kernel=kernel)


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

#: How many wrong cells an unexplained answer carries the working for.
MAX_UNEXPLAINED_CELLS = 3


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


@dataclass(frozen=True, eq=False)
class Grade:
    """The verdict on one answer."""

    exercise: Exercise
    expected: np.ndarray
    answer: np.ndarray
    missing: np.ndarray        # True where the student left the cell blank
    correct: np.ndarray        # True where the cell is right (False when shapes differ)
    tol: float
    diagnoses: list[Diagnosis]
    shape_ok: bool
    operation: Conv2d | Pool2d
    working: Any = None   # the engine's working for ``working_cells`` (a ConvTrace, PoolTrace, TConvTrace or PipelineTrace)
    working_cells: tuple = ()                      # the wrong cells ``working`` is for, in its order
    #: The working, done WITH the diagnosed mistake, of the cells it does not explain (``slip_cells``):
    #: what the student would have got had they made only that mistake.
    slip_working: Any = None   # for the first MAX_WORKED_CELLS of ``slip_cells``
    slip_cells: tuple = ()

    @property
    def n_cells(self) -> int:
        return int(self.expected.size)

    @property
    def n_correct(self) -> int:
        return int(self.correct.sum()) if self.shape_ok else 0

    @property
    def n_missing(self) -> int:
        return int(self.missing.sum()) if self.shape_ok else 0

    @property
    def n_wrong(self) -> int:
        return self.n_cells - self.n_correct - self.n_missing

    @property
    def all_correct(self) -> bool:
        return self.shape_ok and self.n_correct == self.n_cells

    @property
    def wrong_cells(self) -> list[tuple[int, ...]]:
        if not self.shape_ok:
            return []
        bad = ~self.correct & ~self.missing
        return [tuple(int(v) for v in idx) for idx in np.argwhere(bad)]

    @property
    def unexplained(self) -> bool:
        return any(d.key == MISTAKE_UNEXPLAINED for d in self.diagnoses)


def _close(answer: np.ndarray, expected: np.ndarray, tol: float) -> np.ndarray:
    """Cell-by-cell agreement: integers exactly, floats within ``tol`` (a NaN in ``expected`` agrees only with NaN)."""
    answer = np.asarray(answer, dtype=np.float64)
    if expected.dtype.kind in "iub":
        return answer == expected
    exp = expected.astype(np.float64)
    both_nan = np.isnan(answer) & np.isnan(exp)
    with np.errstate(invalid="ignore"):
        return both_nan | (np.abs(answer - exp) <= tol + 1e-9 * np.maximum(1.0, np.abs(exp)))


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


# ---------------------------------------------------------------------------------------------------------
# The mistakes students make, each a small change to the exercise.
# ---------------------------------------------------------------------------------------------------------

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


def _shifted(dense: np.ndarray, shape, stride, shift) -> np.ndarray:
    """The output whose window (i, j) starts ``shift`` cells off: the stride-1 output sampled off its grid."""
    out = np.full(shape, np.nan)
    rows = np.arange(shape[-2]) * stride[0] + shift[0]
    cols = np.arange(shape[-1]) * stride[1] + shift[1]
    ok_r = np.flatnonzero((rows >= 0) & (rows < dense.shape[-2]))
    ok_c = np.flatnonzero((cols >= 0) & (cols < dense.shape[-1]))
    if ok_r.size and ok_c.size:
        out[..., ok_r[:, None], ok_c[None, :]] = dense[..., rows[ok_r][:, None], cols[ok_c][None, :]]
    return out


class _Variants:
    """The exercise done with some mistakes: each changed exercise is run once."""

    def __init__(self, ex: Exercise):
        self.ex = ex
        self._runs: dict = {}

    def exercise(self, mistakes) -> tuple[object, Exercise] | None:
        """(cache key, the exercise with the mistakes' settings and kernel changes), or None if they clash."""
        changes: dict = {}
        kernel_ops: list[str] = []
        for m in mistakes:
            for name, value in m.spec:
                if name in changes:
                    return None
                changes[name] = value
            if m.kernel is not None:
                if m.kernel in kernel_ops:
                    return None
                kernel_ops.append(m.kernel)
        ex = self.ex
        try:
            if changes:
                ex = ex.varied(**changes)
            for op in kernel_ops:
                k = ex.kernel
                if op == "transpose":
                    ex = replace(ex, kernel=replace(k, weights=np.swapaxes(k.weights, -1, -2)))
                elif op == "rotate":
                    ex = replace(ex, kernel=replace(k, weights=np.ascontiguousarray(k.weights[..., ::-1, ::-1])))
                else:
                    ex = replace(ex, kernel=replace(k, scale=Fraction(1)))
        except ConvtraceError:
            return None
        key = (tuple(sorted(changes.items(), key=lambda kv: kv[0])), tuple(sorted(kernel_ops)))
        return key, ex

    def run(self, key, ex: Exercise):
        """(operation, output) of ``ex``, or None when the engine refuses it (an impossible setting)."""
        if key not in self._runs:
            try:
                op = ex.operation()
                self._runs[key] = (op, op.run())
            except ConvtraceError:
                self._runs[key] = None
        return self._runs[key]

    def dense(self, key, ex: Exercise):
        """The stride-1 run of ``ex`` (every window position), for shifted windows."""
        return self.run(("dense", key), ex.varied(stride=1))

    def output(self, mistakes) -> np.ndarray | None:
        answer_ops = [m.answer for m in mistakes if m.answer is not None]
        if len(set(answer_ops)) < len(answer_ops):
            return None
        found = self.exercise(mistakes)
        if found is None:
            return None
        key, ex = found
        ran = self.run(key, ex)
        if ran is None:
            return None
        op, out = ran
        for m in mistakes:
            if m.answer == "shift":
                dense = self.dense(key, ex)
                if dense is None:
                    return None
                out = _shifted(dense[1], out.shape, op.params["stride"], m.shift)
        if "transpose" in answer_ops:
            out = np.swapaxes(out, -1, -2)
        if "negate" in answer_ops:
            out = -out
        return out


@dataclass
class _Candidate:
    mistakes: tuple
    output: np.ndarray
    rank: tuple
    match: np.ndarray | None = None     # given cells the output accounts for (None: another shape)
    leftover: int = 0                   # given cells it does not account for


def _signature(out: np.ndarray) -> tuple:
    return out.shape, np.asarray(out, dtype=np.float64).tobytes()


def _enough(gain: int, before: int) -> bool:
    """Whether explaining ``gain`` more cells out of ``before`` unexplained ones is worth one more assumption:
    at least two cells, or more than half of them."""
    return gain >= 2 or (gain >= 1 and 2 * gain > before)


@dataclass
class _Explanation:
    """What the search settled on (``mistakes`` empty when nothing explains the answer better than chance)."""

    mistakes: tuple
    output: np.ndarray | None
    match: np.ndarray | None
    variants: _Variants
    shape_options: list


def _search(ex: Exercise, expected, answer, missing, tol) -> _Explanation:
    """The explanation that accounts for most given cells with the fewest mistakes (then the priority order).

    Evidence is only what the student wrote: blank cells count for and against nothing.  A mistake is
    adopted when it accounts for at least two more cells than the right answer does, or for more than
    half of the wrong ones (so cells it predicts wrongly that the student got right count against it); a
    pair must do the same against each of its mistakes alone.  On a wrong shape a mistake must account
    for more than half the given cells.
    """
    variants = _Variants(ex)
    given = ~missing
    n_given = int(given.sum())
    shape_ok = answer.shape == expected.shape
    base_left = n_given - int((given & _close(answer, expected, tol)).sum()) if shape_ok else n_given
    atoms = candidate_mistakes(ex)
    seen = {_signature(expected)}
    candidates: list[_Candidate] = []
    own_left: dict[int, int] = {}

    def consider(mistakes, rank) -> _Candidate | None:
        out = variants.output(mistakes)
        if out is None:
            return None
        cand = _Candidate(mistakes, out, rank)
        if out.shape == answer.shape:
            cand.match = given & _close(answer, out, tol)
            cand.leftover = n_given - int(cand.match.sum())
        else:
            cand.leftover = n_given
        sig = _signature(out)
        if sig in seen:
            return cand
        seen.add(sig)
        candidates.append(cand)
        return cand

    for n, m in enumerate(atoms):
        cand = consider((m,), (n,))
        if cand is not None:
            own_left[n] = cand.leftover
    accepted: list[_Candidate] = []
    for cand in candidates:
        if cand.match is not None and _enough(base_left - cand.leftover, base_left) and \
                (shape_ok or 2 * (n_given - cand.leftover) > n_given):
            accepted.append(cand)
    for a in range(len(atoms)):
        for b in range(a + 1, len(atoms)):
            if a not in own_left or b not in own_left:
                continue
            cand = consider((atoms[a], atoms[b]), (a, b))
            if cand is None or cand.match is None or candidates[-1] is not cand:
                continue
            before = min(base_left, own_left[a], own_left[b])
            if _enough(before - cand.leftover, before) and (shape_ok or 2 * (n_given - cand.leftover) > n_given):
                accepted.append(cand)
    best = min(accepted, key=lambda c: (c.leftover, len(c.mistakes), c.rank), default=None)
    options = []
    if not shape_ok and best is None:
        shaped = [c for c in candidates if c.output.shape == answer.shape]
        shaped.sort(key=lambda c: (len(c.mistakes), c.rank))
        seen_ids = set()
        for c in shaped:
            ids = tuple(m.id for m in c.mistakes)
            if ids in seen_ids or (len(ids) == 2 and any((i,) in seen_ids for i in ids)):
                continue
            seen_ids.add(ids)
            options.append(c.mistakes)
    if best is None:
        return _Explanation((), None, None, variants, options)
    return _Explanation(best.mistakes, best.output, best.match, variants, options)


# ---------------------------------------------------------------------------------------------------------
# Cells the explanation leaves over.
# ---------------------------------------------------------------------------------------------------------

def _cell_text(cell) -> list:
    return [int(v) for v in cell]


def _leftover_diagnoses(ex, explanation: _Explanation, reference, answer, cells, tol):
    """One diagnosis per leftover cell, measured against ``reference`` (the explanation's output, or the
    expected one): a neighbouring window's value, a max/min not the extreme of its window, or a slip.
    Returns (diagnoses, operation the cells were worked with, those cells in that operation)."""
    variants = explanation.variants
    found = variants.exercise(explanation.mistakes)
    answer_ops = {m.answer for m in explanation.mistakes if m.answer is not None}
    key, variant = found
    op = variants.run(key, variant)[0]
    work_op, work_cells = op, list(cells)
    if isinstance(variant.spec, (TConvSpec, PipelineSpec)):
        # No window grid to shift along: every leftover cell is a slip, worked with the explanation.
        if "transpose" in answer_ops:
            work_cells = [c[:-2] + (c[-1], c[-2]) for c in work_cells]
        shape = op.run().shape
        fits = all(len(c) == len(shape) and all(0 <= v < m for v, m in zip(c, shape, strict=True))
                   for c in work_cells)
        after = bool(explanation.mistakes)
        slips = [Diagnosis(MISTAKE_SLIP_AFTER if after else MISTAKE_SLIP,
                           {"cell": _cell_text(c), "got": _num(answer[c]), "expected": _num(reference[c]),
                            "diff": _num(answer[c] - reference[c])}, (c,)) for c in cells]
        return slips, (op if fits else None), work_cells
    if "shift" in answer_ops:
        shift = next(m.shift for m in explanation.mistakes if m.answer == "shift")
        dense_op = variants.dense(key, variant)[0]
        sh, sw = op.params["stride"]
        if "transpose" in answer_ops:
            work_cells = [c[:-2] + (c[-1], c[-2]) for c in work_cells]
        work_cells = [c[:-2] + (c[-2] * sh + shift[0], c[-1] * sw + shift[1]) for c in work_cells]
        work_op = dense_op
    elif "transpose" in answer_ops:
        work_cells = [c[:-2] + (c[-1], c[-2]) for c in work_cells]
    inside = [c for c in work_cells
              if all(0 <= v < n for v, n in zip(c[-2:], work_op.run().shape[-2:], strict=True))]
    trace = work_op.trace(cells=inside) if inside and len(inside) == len(work_cells) else None
    plain = not answer_ops
    dense = None
    if plain:
        ran = variants.dense(key, variant)
        dense = ran[1] if ran is not None else None
    stride = op.params["stride"]
    is_pool = isinstance(variant.spec, PoolSpec)
    mode = variant.spec.mode if is_pool else None
    after = bool(explanation.mistakes)
    shifted, slips = [], []
    for n, cell in enumerate(cells):
        value, ref = answer[cell], reference[cell]
        params = {"cell": _cell_text(cell), "got": _num(value), "expected": _num(ref)}
        if plain and is_pool and mode in ("max", "min") and trace is not None:
            step = trace.step(n)
            if np.any(_close(np.full(int(step.inside.sum()), value), step.window[step.inside], tol)):
                slips.append(Diagnosis(MISTAKE_NOT_MAX if mode == "max" else MISTAKE_NOT_MIN, params, (cell,)))
                continue
        neighbour = _neighbour(dense, cell, stride, value, tol, is_pool) if plain else None
        if neighbour is not None:
            if is_pool:
                shifted.append(Diagnosis(MISTAKE_OTHER_WINDOW, {**params, "rows": neighbour[0],
                                                                "cols": neighbour[1]}, (cell,)))
            else:
                shifted.append(Diagnosis(MISTAKE_WINDOW_SHIFTED, {"cell": _cell_text(cell), "rows": neighbour[0],
                                                                  "cols": neighbour[1]}, (cell,)))
            continue
        if plain and is_pool and mode in ("max", "min"):
            slips.append(Diagnosis(MISTAKE_NOT_IN_WINDOW, params, (cell,)))
            continue
        slips.append(Diagnosis(MISTAKE_SLIP_AFTER if after else MISTAKE_SLIP,
                               {**params, "diff": _num(value - ref)}, (cell,)))
    return shifted + slips, (work_op if trace is not None else None), work_cells


def _neighbour(dense, cell, stride, value, tol, is_pool):
    """(rows, cols) to a neighbouring window whose result is ``value``, or None."""
    if dense is None or dense.ndim != len(cell):
        return None
    sh, sw = stride
    i, j, lead = cell[-2], cell[-1], cell[:-2]
    steps = [(-1, 0), (1, 0), (0, -1), (0, 1)]
    if is_pool:
        steps += [(-1, -1), (-1, 1), (1, -1), (1, 1)]
        steps += [(d * sh, 0) for d in (-1, 1)] + [(0, d * sw) for d in (-1, 1)]
    for di, dj in dict.fromkeys(steps):
        ii, jj = i * sh + di, j * sw + dj
        if 0 <= ii < dense.shape[-2] and 0 <= jj < dense.shape[-1]:
            if _close(np.array([value]), np.array([dense[lead + (ii, jj)]]), tol)[0]:
                return di, dj
    return None


def _num(v):
    v = v.item() if hasattr(v, "item") else v
    return int(v) if float(v).is_integer() else round(float(v), 6)


def _dims(shape) -> str:
    return "×".join(str(s) for s in shape)


def _cells_of(mask) -> tuple:
    return tuple(tuple(int(v) for v in idx) for idx in np.argwhere(mask))


@dataclass
class _Verdict:
    diagnoses: list
    slip_op: object = None
    slip_cells: tuple = ()        # answer cells
    slip_work_cells: tuple = ()   # the same cells in ``slip_op``


def _diagnose(ex: Exercise, expected, answer, missing, tol) -> _Verdict:
    given = ~missing
    if not given.any():
        return _Verdict([])
    shape_ok = answer.shape == expected.shape
    wrong = given & ~_close(answer, expected, tol) if shape_ok else None
    if shape_ok and not wrong.any():
        return _Verdict([])          # the given cells are all right: only blanks are missing
    explanation = _search(ex, expected, answer, missing, tol)
    found: list[Diagnosis] = []
    if not shape_ok:
        shape = Diagnosis(SHAPE_MISMATCH, {"got": _dims(answer.shape), "expected": _dims(expected.shape)})
        if not explanation.mistakes:
            if explanation.shape_options:
                options = [[{"key": m.key, "params": dict(m.params)} for m in ms]
                           for ms in explanation.shape_options]
                shape = replace(shape, params={**shape.params, "options": options})
            return _Verdict([shape])
        found.append(shape)
        leftover = given & ~explanation.match
        explained = _cells_of(explanation.match)
    elif explanation.mistakes:
        leftover = given & ~explanation.match
        explained = _cells_of(wrong & explanation.match)
    else:
        leftover, explained = wrong, ()
    n_left, n_given = int(leftover.sum()), int(given.sum())
    if shape_ok and n_left >= 3 and 3 * n_left > n_given and len(explained) <= n_left:
        return _Verdict([Diagnosis(MISTAKE_UNEXPLAINED, {"n": int(wrong.sum())}, _cells_of(wrong))])
    found += [m.diagnosis(explained) for m in explanation.mistakes]
    cells = _cells_of(leftover)
    if not cells:
        return _Verdict(found)
    reference = explanation.output if explanation.mistakes else expected
    # A cell the explanation cannot predict (a shifted window off the input) is no slip: it is left unsaid.
    cells = tuple(c for c in cells if not np.isnan(float(reference[c])))
    if not cells:
        return _Verdict(found)
    more, op, work_cells = _leftover_diagnoses(ex, explanation, reference, answer, cells, tol)
    found += more
    if not explanation.mistakes or op is None:
        return _Verdict(found)
    return _Verdict(found, op, cells, tuple(work_cells))


def diagnose(ex: Exercise, expected: np.ndarray, answer: np.ndarray, missing: np.ndarray,
             tol: float) -> list[Diagnosis]:
    """The mistakes that explain a wrong answer, best first (none when every given cell is right)."""
    return _diagnose(ex, expected, answer, missing, tol).diagnoses


def grade(ex: Exercise, answer, missing=None, tol: float = DEFAULT_TOL) -> Grade:
    """Mark every cell of ``answer`` against the engine's output for ``ex``, and diagnose mistakes."""
    operation = ex.operation()
    expected = operation.run()
    answer = np.asarray(answer, dtype=np.float64)
    if answer.ndim == 1 and expected.ndim == 2 and expected.shape[0] == 1:
        answer = answer[None, :]
    if isinstance(ex.spec, PipelineSpec) and expected.ndim == 1 and answer.ndim == 2 and 1 in answer.shape:
        answer = answer.ravel()     # a vector (after flatten or dense) written as a row or a column
        if missing is not None:
            missing = np.asarray(missing, dtype=bool).ravel()
    missing = np.zeros(answer.shape, dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    shape_ok = answer.shape == expected.shape
    correct = _close(answer, expected, tol) & ~missing if shape_ok else np.zeros(expected.shape, dtype=bool)
    all_ok = shape_ok and bool(correct.all())
    verdict = _Verdict([]) if all_ok else _diagnose(ex, expected, answer, missing, tol)
    result = Grade(exercise=ex, expected=expected, answer=answer, missing=missing, correct=correct, tol=tol,
                   diagnoses=verdict.diagnoses, shape_ok=shape_ok, operation=operation)
    limit = MAX_UNEXPLAINED_CELLS if result.unexplained else MAX_WORKED_CELLS
    wrong = result.wrong_cells[:limit]
    if wrong:
        result = replace(result, working=operation.trace(cells=wrong), working_cells=tuple(wrong))
    if verdict.slip_op is not None:
        worked = list(verdict.slip_work_cells[:MAX_WORKED_CELLS])
        result = replace(result, slip_working=verdict.slip_op.trace(cells=worked), slip_cells=verdict.slip_cells)
    return result


def describe(diagnosis: Diagnosis, lang: str = "en") -> str:
    """One sentence naming the mistake, in ``lang``."""
    params = dict(diagnosis.params)
    if diagnosis.key == SHAPE_MISMATCH:
        options = params.pop("options", None)
        text = translate(SHAPE_MISMATCH, lang, **params)
        if options:
            said = translate(SHAPE_OR, lang).join(
                translate(MISTAKE_AND, lang).join(describe(Diagnosis(m["key"], m["params"]), lang) for m in option)
                for option in options[:MAX_SHAPE_OPTIONS])
            text += translate(SHAPE_WOULD_COME_FROM, lang, options=said)
        return text
    if "cell" in params:
        params["cell"] = "[" + ", ".join(str(v) for v in params["cell"]) + "]"
    return translate(diagnosis.key, lang, **params)
