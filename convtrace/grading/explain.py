"""Naming the mistakes behind a wrong answer: the search, and the rules for the cells left over.

:func:`_search` settles on the explanation (none, one mistake or two) that accounts for most cells the
student wrote with the fewest mistakes; cells it leaves over are slips measured against what the student
would have got with that mistake, a neighbouring window's value, or a max/min not its window's extreme.
When nothing explains most of the answer, it says so (``unexplained``) instead of listing every cell.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from convtrace.grading.exercise import Exercise
from convtrace.grading.mistakes import Diagnosis, _num, candidate_mistakes
from convtrace.grading.pipeline import PipelineSpec
from convtrace.grading.variants import _Variants
from convtrace.messages.grading import (
    MISTAKE_NOT_IN_WINDOW,
    MISTAKE_NOT_MAX,
    MISTAKE_NOT_MIN,
    MISTAKE_OTHER_WINDOW,
    MISTAKE_SLIP,
    MISTAKE_SLIP_AFTER,
    MISTAKE_UNEXPLAINED,
    MISTAKE_WINDOW_SHIFTED,
    SHAPE_MISMATCH,
)
from convtrace.spec import PoolSpec
from convtrace.transpose import TConvSpec


def _close(answer: np.ndarray, expected: np.ndarray, tol: float) -> np.ndarray:
    """Cell-by-cell agreement: integers exactly, floats within ``tol`` (a NaN in ``expected`` agrees only with NaN)."""
    answer = np.asarray(answer, dtype=np.float64)
    if expected.dtype.kind in "iub":
        return answer == expected
    exp = expected.astype(np.float64)
    both_nan = np.isnan(answer) & np.isnan(exp)
    with np.errstate(invalid="ignore"):
        near = np.isfinite(exp) & (np.abs(answer - exp) <= tol + 1e-9 * np.maximum(1.0, np.abs(exp)))
    return both_nan | near | (answer == exp)  # an infinite value agrees only with itself



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
