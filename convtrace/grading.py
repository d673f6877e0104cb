"""Grading answers to convolution and pooling exercises, and naming the likely mistake.

An :class:`Exercise` is an input, a kernel (for convolution) and the
parameters; :func:`grade` compares a student's matrix with the engine's
output cell by cell and, when they differ, recomputes the exercise the way
students commonly get it wrong (kernel flipped, padding forgotten or added,
another stride, the average's divisor counting padding, floor vs ceil, …)
and reports the mistake whose output the answer matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import numpy as np

from convtrace.arrays import WHAT_INPUT, WHAT_KERNEL, as_numeric_array
from convtrace.convolution import Conv2d, ConvTrace, prepare_conv2d
from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.kernel import Kernel
from convtrace.messages import translate
from convtrace.messages.grading import (
    BAD_KEY,
    BAD_KEY_FIELD,
    EXERCISE_NEEDS_KERNEL,
    MISTAKE_ADDED_PADDING,
    MISTAKE_CEIL,
    MISTAKE_DILATION,
    MISTAKE_DIVISOR_EXCLUDED,
    MISTAKE_DIVISOR_INCLUDED,
    MISTAKE_FLIP_ADDED,
    MISTAKE_FLIP_MISSING,
    MISTAKE_FLOOR,
    MISTAKE_KERNEL_TRANSPOSED,
    MISTAKE_NO_PADDING,
    MISTAKE_PAD_MODE,
    MISTAKE_PADDING_AMOUNT,
    MISTAKE_PARTLY,
    MISTAKE_POOL_MODE,
    MISTAKE_SCALE,
    MISTAKE_SIGN,
    MISTAKE_SLIP,
    MISTAKE_STRIDE,
    MISTAKE_TRANSPOSED_ANSWER,
    MISTAKE_WINDOW_SHIFTED,
    SHAPE_MISMATCH,
    SHAPE_WOULD_COME_FROM,
)
from convtrace.messages.parsing import BAD_SCALE, KEY_UNKNOWN_FIELD, SCALE_OUT_OF_RANGE
from convtrace.pooling import Pool2d, PoolTrace, prepare_pool2d
from convtrace.spec import NO_PADDING, POOL_MODES, ConvSpec, PoolSpec, Spec, spec_from_dict

#: Default tolerance for float answers: fit for answers rounded to two decimals.
DEFAULT_TOL = 0.005
#: How many wrong cells a grade carries the engine's working for.
MAX_WORKED_CELLS = 8


#: Version of the answer-key format ``Exercise.to_dict`` writes (version 1 keys are still read).
KEY_FORMAT = 2


@dataclass(frozen=True, eq=False)
class Exercise:
    """What was asked: a spec (:class:`ConvSpec` or :class:`PoolSpec`), the input and, for convolution, the kernel."""

    spec: Spec
    input: np.ndarray
    kernel: Kernel | None = None

    def __post_init__(self) -> None:
        if isinstance(self.spec, ConvSpec) and self.kernel is None:
            raise ConvtraceValueError(EXERCISE_NEEDS_KERNEL)

    @property
    def is_conv(self) -> bool:
        return isinstance(self.spec, ConvSpec)

    def operation(self) -> Conv2d | Pool2d:
        """The checked operation the exercise asks for."""
        if isinstance(self.spec, ConvSpec):
            return prepare_conv2d(self.input, self.kernel, self.spec)
        return prepare_pool2d(self.input, spec=self.spec)

    def expected(self) -> np.ndarray:
        return self.operation().run()

    def varied(self, **changes) -> Exercise:
        """The same exercise with some settings changed: how a mistake is described."""
        return replace(self, spec=replace(self.spec, **changes))

    def to_dict(self) -> dict:
        """The exercise as JSON-ready data: what ``convtrace check --key`` reads."""
        doc: dict[str, Any] = {"convtrace_key": KEY_FORMAT, "op": self.spec.kind, "input": self.input.tolist(),
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
        spec = spec_from_dict(doc["op"], doc["params"], source)
        kernel = None
        if isinstance(spec, ConvSpec):
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


@dataclass(frozen=True)
class Diagnosis:
    """A named mistake (a message key and its parameters) and how much of the answer it explains."""

    key: str
    params: dict = field(default_factory=dict)
    cells: tuple = ()          # the cells it concerns, when it is about single cells


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
    working: ConvTrace | PoolTrace | None = None   # the engine's working for the first wrong cells

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


def _close(answer: np.ndarray, expected: np.ndarray, tol: float) -> np.ndarray:
    """Cell-by-cell agreement: integers exactly, floats within ``tol``."""
    answer = np.asarray(answer, dtype=np.float64)
    if expected.dtype.kind in "iub":
        return answer == expected
    exp = expected.astype(np.float64)
    both_nan = np.isnan(answer) & np.isnan(exp)
    return both_nan | (np.abs(answer - exp) <= tol + 1e-9 * np.maximum(1.0, np.abs(exp)))


def _agreement(answer, missing, candidate, tol) -> tuple[int, int]:
    """(cells that agree, cells compared) between an answer and a candidate output."""
    if candidate.shape != answer.shape:
        return 0, 0
    given = ~missing
    agree = _close(answer, candidate, tol) & given
    return int(agree.sum()), int(given.sum())


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


def _conv_mistakes(ex: Exercise, spec: ConvSpec):
    weights = ex.kernel.weights
    if not _rotationally_symmetric(weights):
        key = MISTAKE_FLIP_ADDED if not spec.flip else MISTAKE_FLIP_MISSING
        yield Diagnosis(key), ex.varied(flip=not spec.flip)
    if weights.shape[-1] != weights.shape[-2] or not np.array_equal(weights, np.swapaxes(weights, -1, -2)):
        yield (Diagnosis(MISTAKE_KERNEL_TRANSPOSED),
               replace(ex, kernel=replace(ex.kernel, weights=np.swapaxes(weights, -1, -2))))
    if ex.kernel.scale != 1:
        yield (Diagnosis(MISTAKE_SCALE, {"scale": str(ex.kernel.scale)}),
               replace(ex, kernel=replace(ex.kernel, scale=Fraction(1))))
    if spec.padding != NO_PADDING:
        if spec.pad_mode != "zeros":
            yield Diagnosis(MISTAKE_PAD_MODE, {"used": "zeros", "asked": spec.pad_mode}), ex.varied(pad_mode="zeros")
        else:
            for mode in ("replicate", "reflect"):
                yield Diagnosis(MISTAKE_PAD_MODE, {"used": mode, "asked": "zeros"}), ex.varied(pad_mode=mode)
    if spec.dilation != (1, 1):
        yield Diagnosis(MISTAKE_DILATION), ex.varied(dilation=1)


def _pool_mistakes(ex: Exercise, spec: PoolSpec):
    for other in POOL_MODES:
        if other != spec.mode:
            yield Diagnosis(MISTAKE_POOL_MODE, {"used": other, "asked": spec.mode}), ex.varied(mode=other)
    if spec.mode == "avg" and spec.padding != NO_PADDING:
        include = spec.count_include_pad
        yield (Diagnosis(MISTAKE_DIVISOR_EXCLUDED if include else MISTAKE_DIVISOR_INCLUDED),
               ex.varied(count_include_pad=not include))
    yield (Diagnosis(MISTAKE_CEIL if not spec.ceil_mode else MISTAKE_FLOOR),
           ex.varied(ceil_mode=not spec.ceil_mode))


def _padding_mistakes(ex: Exercise, spec: Spec):
    padding = spec.padding
    if padding != NO_PADDING:
        yield Diagnosis(MISTAKE_NO_PADDING), ex.varied(padding=0)
    else:
        yield Diagnosis(MISTAKE_ADDED_PADDING, {"padding": "same"}), ex.varied(padding="same")
        if isinstance(spec, ConvSpec):
            yield Diagnosis(MISTAKE_ADDED_PADDING, {"padding": "full"}), ex.varied(padding="full")
        yield Diagnosis(MISTAKE_ADDED_PADDING, {"padding": 1}), ex.varied(padding=1)
    if not isinstance(padding, str) and len(set(padding)) == 1 and padding[0] > 0:
        amount = padding[0]
        for other in (amount - 1, amount + 1):
            if other > 0:
                yield (Diagnosis(MISTAKE_PADDING_AMOUNT, {"used": other, "asked": amount}),
                       ex.varied(padding=other))


def _stride_mistakes(ex: Exercise, spec: Spec):
    if isinstance(spec, ConvSpec):
        current, options = spec.stride, (1, 2, 3)
    else:
        window = spec.window(ex.input.shape[-2:]) if spec.size == "global" else spec.size
        current = spec.stride_for(window)
        options = (1, 2) + ((window[0],) if window[0] == window[1] else ())
    for other in dict.fromkeys(options):
        if (other, other) != current:
            yield (Diagnosis(MISTAKE_STRIDE, {"used": other, "asked": _pair_value(current)}),
                   ex.varied(stride=other))


def candidate_mistakes(ex: Exercise):
    """(Diagnosis, Exercise) pairs: the exercise as students commonly get it wrong."""
    spec = ex.spec
    out = list(_conv_mistakes(ex, spec) if isinstance(spec, ConvSpec) else _pool_mistakes(ex, spec))
    out += _padding_mistakes(ex, spec)
    out += _stride_mistakes(ex, spec)
    return out


def _outputs(pairs):
    for diagnosis, exercise in pairs:
        try:
            yield diagnosis, exercise.expected()
        except ConvtraceError:
            continue


def diagnose(ex: Exercise, expected: np.ndarray, answer: np.ndarray, missing: np.ndarray,
             tol: float) -> list[Diagnosis]:
    """The mistakes that explain a wrong answer, best first."""
    if answer.shape != expected.shape:
        return _diagnose_shape(ex, expected, answer, missing, tol)
    given = int((~missing).sum())
    if given == 0:
        return []
    if answer.ndim == 2 and answer.shape[0] == answer.shape[1]:
        agree, _ = _agreement(answer.T, missing.T, expected, tol)
        if agree == given and not np.array_equal(expected, expected.T):
            return [Diagnosis(MISTAKE_TRANSPOSED_ANSWER)]
    if _agreement(-answer, missing, expected, tol)[0] == given and np.any(expected != 0):
        return [Diagnosis(MISTAKE_SIGN)]
    right, _ = _agreement(answer, missing, expected, tol)
    best = None
    for diagnosis, candidate in _outputs(candidate_mistakes(ex)):
        agree, compared = _agreement(answer, missing, candidate, tol)
        if compared and agree == compared:
            return [diagnosis]
        if agree > right and (best is None or agree > best[0]):
            best = (agree, diagnosis)
    found = []
    if best is not None and best[0] >= max(2, given // 2):
        found.append(Diagnosis(best[1].key, {**best[1].params, "partly": best[0], "of": given}))
    wrong = ~_close(answer, expected, tol) & ~missing
    found += _cell_mistakes(ex, expected, answer, wrong, tol)
    return found


def _cell_mistakes(ex, expected, answer, wrong, tol) -> list[Diagnosis]:
    """Single cells: the value of a neighbouring window, or an arithmetic slip."""
    shifted = []
    slips = []
    dense = None
    operation = ex.operation()
    if ex.is_conv:
        try:
            dense = ex.varied(stride=1).expected()
        except ConvtraceError:
            dense = None
    sh, sw = operation.params["stride"]
    for idx in np.argwhere(wrong):
        cell = tuple(int(v) for v in idx)
        value = answer[cell]
        neighbour = None
        if dense is not None and dense.ndim == answer.ndim:
            i, j = cell[-2], cell[-1]
            lead = cell[:-2]
            for di, dj in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                ii, jj = i * sh + di, j * sw + dj
                if 0 <= ii < dense.shape[-2] and 0 <= jj < dense.shape[-1]:
                    if _close(np.array([value]), np.array([dense[lead + (ii, jj)]]), tol)[0]:
                        neighbour = (di, dj)
                        break
        if neighbour is not None:
            shifted.append(Diagnosis(MISTAKE_WINDOW_SHIFTED,
                                     {"cell": list(cell), "rows": neighbour[0], "cols": neighbour[1]}, (cell,)))
        else:
            exp = expected[cell]
            slips.append(Diagnosis(MISTAKE_SLIP, {"cell": list(cell), "got": _num(value), "expected": _num(exp),
                                                    "diff": _num(value - exp)}, (cell,)))
    return shifted + slips


def _num(v):
    v = v.item() if hasattr(v, "item") else v
    return int(v) if float(v).is_integer() else round(float(v), 6)


def _diagnose_shape(ex, expected, answer, missing, tol) -> list[Diagnosis]:
    """Which settings would give the answer's shape, and whether one gives its values too."""
    found = [Diagnosis(SHAPE_MISMATCH, {"got": _dims(answer.shape), "expected": _dims(expected.shape)})]
    shape_matches = []
    for diagnosis, candidate in _outputs(candidate_mistakes(ex)):
        if candidate.shape != answer.shape:
            continue
        agree, compared = _agreement(answer, missing, candidate, tol)
        if compared and agree == compared:
            return [found[0], diagnosis]
        shape_matches.append(diagnosis)
    if shape_matches:
        options = [{"key": d.key, "params": d.params} for d in shape_matches]
        found.append(Diagnosis(SHAPE_WOULD_COME_FROM, {"got": _dims(answer.shape), "options": options}))
    return found


def _dims(shape) -> str:
    return "×".join(str(s) for s in shape)


def grade(ex: Exercise, answer, missing=None, tol: float = DEFAULT_TOL) -> Grade:
    """Mark every cell of ``answer`` against the engine's output for ``ex``, and diagnose mistakes."""
    operation = ex.operation()
    expected = operation.run()
    answer = np.asarray(answer, dtype=np.float64)
    if answer.ndim == 1 and expected.ndim == 2 and expected.shape[0] == 1:
        answer = answer[None, :]
    missing = np.zeros(answer.shape, dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    shape_ok = answer.shape == expected.shape
    correct = _close(answer, expected, tol) & ~missing if shape_ok else np.zeros(expected.shape, dtype=bool)
    all_ok = shape_ok and bool(correct.all())
    diagnoses = [] if all_ok else diagnose(ex, expected, answer, missing, tol)
    result = Grade(exercise=ex, expected=expected, answer=answer, missing=missing, correct=correct, tol=tol,
                   diagnoses=diagnoses, shape_ok=shape_ok, operation=operation)
    wrong = result.wrong_cells[:MAX_WORKED_CELLS]
    if wrong:
        result = replace(result, working=operation.trace(cells=wrong))
    return result


def describe(diagnosis: Diagnosis, lang: str = "en") -> str:
    """One sentence naming the mistake, in ``lang``."""
    params = dict(diagnosis.params)
    partly = params.pop("partly", None)
    of = params.pop("of", None)
    if diagnosis.key == SHAPE_WOULD_COME_FROM:
        options = "; ".join(describe(Diagnosis(o["key"], o["params"]), lang) for o in params["options"])
        return translate(SHAPE_WOULD_COME_FROM, lang, got=params["got"], options=options)
    if "cell" in params:
        params["cell"] = "[" + ", ".join(str(v) for v in params["cell"]) + "]"
    text = translate(diagnosis.key, lang, **params)
    if partly is not None:
        text += " " + translate(MISTAKE_PARTLY, lang, partly=partly, of=of)
    return text
