"""The exercise done with some mistakes: each changed exercise is run once, and its output transformed.

The diagnosis search (:mod:`convtrace.grading.explain`) tries single mistakes and pairs; many share a
changed exercise, so :class:`_Variants` caches each run (and its stride-1 run, for shifted windows).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import numpy as np

from convtrace.errors import ConvtraceError
from convtrace.grading.exercise import Exercise


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

