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

from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.i18n import translate
from convtrace.kernel import Kernel
from convtrace.ops import prepare_conv2d, prepare_pool2d

#: Default tolerance for float answers: fit for answers rounded to two decimals.
DEFAULT_TOL = 0.005


@dataclass(frozen=True, eq=False)
class Exercise:
    """What was asked: ``op`` 'conv2d' or 'pool2d', the input, the kernel and the parameters.

    ``params`` are the keyword arguments of :func:`convtrace.prepare_conv2d`
    or :func:`convtrace.prepare_pool2d` (pooling's include ``size``).
    """

    op: str
    input: np.ndarray
    params: dict
    kernel: Kernel | None = None

    def call(self):
        if self.op == "conv2d":
            return prepare_conv2d(self.input, self.kernel, **self.params)
        params = dict(self.params)
        return prepare_pool2d(self.input, params.pop("size"), **params)

    def expected(self) -> np.ndarray:
        return self.call().run()

    def varied(self, **changes) -> Exercise:
        return replace(self, params={**self.params, **changes})

    def to_dict(self) -> dict:
        """The exercise as JSON-ready data: what ``convtrace check --key`` reads."""
        doc: dict[str, Any] = {"convtrace_key": 1, "op": self.op, "input": self.input.tolist(),
                               "params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.params.items()}}
        if self.kernel is not None:
            doc["kernel"] = {"name": self.kernel.name, "weights": self.kernel.weights.tolist(),
                             "scale": str(self.kernel.scale)}
        return doc

    @classmethod
    def from_dict(cls, doc: dict, source: str = "key") -> Exercise:
        try:
            if doc.get("convtrace_key") != 1 or doc["op"] not in ("conv2d", "pool2d"):
                raise KeyError("convtrace_key")
            kernel = None
            if doc["op"] == "conv2d":
                k = doc["kernel"]
                kernel = Kernel(name=k.get("name", "kernel"), weights=np.array(k["weights"]),
                                scale=Fraction(k.get("scale", "1")))
            params = {key: tuple(v) if isinstance(v, list) else v for key, v in doc["params"].items()}
            return cls(op=doc["op"], input=np.array(doc["input"]), params=params, kernel=kernel)
        except (KeyError, TypeError, ValueError):
            raise ConvtraceValueError("bad_key", where=source) from None


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


def candidate_mistakes(ex: Exercise):
    """(Diagnosis, Exercise) pairs: the exercise as students commonly get it wrong."""
    p = ex.params
    out = []
    if ex.op == "conv2d":
        weights = ex.kernel.weights
        if not _rotationally_symmetric(weights):
            key = "mistake_flip_added" if not p.get("flip") else "mistake_flip_missing"
            out.append((Diagnosis(key), ex.varied(flip=not p.get("flip", False))))
        if weights.shape[-1] != weights.shape[-2] or not np.array_equal(weights, np.swapaxes(weights, -1, -2)):
            out.append((Diagnosis("mistake_kernel_transposed"),
                        replace(ex, kernel=replace(ex.kernel, weights=np.swapaxes(weights, -1, -2)))))
        if ex.kernel.scale != 1:
            out.append((Diagnosis("mistake_scale", {"scale": str(ex.kernel.scale)}),
                        replace(ex, kernel=replace(ex.kernel, scale=Fraction(1)))))
        if p.get("pad_mode", "zeros") != "zeros" and p.get("padding", 0) not in (0, "valid"):
            out.append((Diagnosis("mistake_pad_mode", {"used": "zeros", "asked": p["pad_mode"]}),
                        ex.varied(pad_mode="zeros")))
        elif p.get("padding", 0) not in (0, "valid"):
            for mode in ("replicate", "reflect"):
                out.append((Diagnosis("mistake_pad_mode", {"used": mode, "asked": "zeros"}), ex.varied(pad_mode=mode)))
        if p.get("dilation", 1) not in (1, (1, 1)):
            out.append((Diagnosis("mistake_dilation"), ex.varied(dilation=1)))
    else:
        mode = p.get("mode", "max")
        for other in ("max", "avg", "min", "sum"):
            if other != mode:
                out.append((Diagnosis("mistake_pool_mode", {"used": other, "asked": mode}), ex.varied(mode=other)))
        if mode == "avg" and p.get("padding", 0) not in (0, "valid"):
            include = p.get("count_include_pad", True)
            out.append((Diagnosis("mistake_divisor_excluded" if include else "mistake_divisor_included"),
                        ex.varied(count_include_pad=not include)))
        ceil = p.get("ceil_mode", False)
        out.append((Diagnosis("mistake_ceil" if not ceil else "mistake_floor"), ex.varied(ceil_mode=not ceil)))
    # Padding forgotten or added, and other strides: both operations.
    padding = p.get("padding", 0)
    if padding not in (0, "valid", (0, 0, 0, 0)):
        out.append((Diagnosis("mistake_no_padding"), ex.varied(padding=0)))
    else:
        out.append((Diagnosis("mistake_added_padding", {"padding": "same"}), ex.varied(padding="same")))
        if ex.op == "conv2d":
            out.append((Diagnosis("mistake_added_padding", {"padding": "full"}), ex.varied(padding="full")))
        out.append((Diagnosis("mistake_added_padding", {"padding": 1}), ex.varied(padding=1)))
    if isinstance(padding, int) and padding > 0:
        for other in (padding - 1, padding + 1):
            if other > 0:
                out.append((Diagnosis("mistake_padding_amount", {"used": other, "asked": padding}),
                            ex.varied(padding=other)))
    if ex.op == "conv2d":
        current, options = p.get("stride", 1), (1, 2, 3)
    else:
        size = p.get("size")
        current = p.get("stride") if p.get("stride") is not None else size
        options = tuple(o for o in (1, 2, size) if isinstance(o, int))
    for other in dict.fromkeys(options):
        if other != current:
            out.append((Diagnosis("mistake_stride", {"used": other, "asked": current}), ex.varied(stride=other)))
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
            return [Diagnosis("mistake_transposed_answer")]
    if _agreement(-answer, missing, expected, tol)[0] == given and np.any(expected != 0):
        return [Diagnosis("mistake_sign")]
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
    if ex.op == "conv2d":
        try:
            dense = ex.varied(stride=1).expected()
        except ConvtraceError:
            dense = None
    sh, sw = ex.call().params["stride"]
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
            shifted.append(Diagnosis("mistake_window_shifted",
                                     {"cell": list(cell), "rows": neighbour[0], "cols": neighbour[1]}, (cell,)))
        else:
            exp = expected[cell]
            slips.append(Diagnosis("mistake_slip", {"cell": list(cell), "got": _num(value), "expected": _num(exp),
                                                    "diff": _num(value - exp)}, (cell,)))
    return shifted + slips


def _num(v):
    v = v.item() if hasattr(v, "item") else v
    return int(v) if float(v).is_integer() else round(float(v), 6)


def _diagnose_shape(ex, expected, answer, missing, tol) -> list[Diagnosis]:
    """Which settings would give the answer's shape, and whether one gives its values too."""
    found = [Diagnosis("shape_mismatch", {"got": _dims(answer.shape), "expected": _dims(expected.shape)})]
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
        found.append(Diagnosis("shape_would_come_from", {"got": _dims(answer.shape), "options": options}))
    return found


def _dims(shape) -> str:
    return "×".join(str(s) for s in shape)


def grade(ex: Exercise, answer, missing=None, tol: float = DEFAULT_TOL) -> Grade:
    """Mark every cell of ``answer`` against the engine's output for ``ex``, and diagnose mistakes."""
    expected = ex.expected()
    answer = np.asarray(answer, dtype=np.float64)
    if answer.ndim == 1 and expected.ndim == 2 and expected.shape[0] == 1:
        answer = answer[None, :]
    missing = np.zeros(answer.shape, dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    shape_ok = answer.shape == expected.shape
    correct = _close(answer, expected, tol) & ~missing if shape_ok else np.zeros(expected.shape, dtype=bool)
    all_ok = shape_ok and bool(correct.all())
    diagnoses = [] if all_ok else diagnose(ex, expected, answer, missing, tol)
    return Grade(exercise=ex, expected=expected, answer=answer, missing=missing, correct=correct, tol=tol,
                 diagnoses=diagnoses, shape_ok=shape_ok)


def describe(diagnosis: Diagnosis, lang: str = "en") -> str:
    """One sentence naming the mistake, in ``lang``."""
    params = dict(diagnosis.params)
    partly = params.pop("partly", None)
    of = params.pop("of", None)
    if diagnosis.key == "shape_would_come_from":
        options = "; ".join(describe(Diagnosis(o["key"], o["params"]), lang) for o in params["options"])
        return translate("shape_would_come_from", lang, got=params["got"], options=options)
    if "cell" in params:
        params["cell"] = "[" + ", ".join(str(v) for v in params["cell"]) + "]"
    text = translate(diagnosis.key, lang, **params)
    if partly is not None:
        text += " " + translate("mistake_partly", lang, partly=partly, of=of)
    return text
