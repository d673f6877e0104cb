"""Exercises with answer keys, reproducible from a seed.

Every exercise is a :class:`convtrace.grading.Exercise`; its answer key is
``exercise.to_dict()`` (what ``convtrace check --key`` reads), and its
solution is the engine's trace.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convtrace.errors import ConvtraceValueError
from convtrace.grading import Exercise
from convtrace.kernel import Kernel
from convtrace.messages.options import BAD_VALUES_RANGE
from convtrace.messages.params import PARAM_TOO_SMALL
from convtrace.spec import ConvSpec, PoolSpec


@dataclass(frozen=True)
class QuizSpec:
    """What the exercises look like; ``kernel`` None with ``pool`` set gives pooling exercises."""

    size: tuple[int, int] = (5, 5)
    kernel: Kernel | str | None = "random"
    kernel_size: int = 3
    padding: object = 0
    stride: object = None          # None: the operation's default (1 for convolution, the window for pooling)
    pool: tuple[str, object] | None = None
    values: tuple[int, int] = (0, 9)


def _random_kernel(rng: np.random.Generator, k: int) -> Kernel:
    while True:
        weights = rng.integers(-2, 3, size=(k, k))
        if np.any(weights):
            return Kernel(name="random", weights=weights.astype(np.int64))


def make_quiz(seed: int, count: int, spec: QuizSpec) -> list[Exercise]:
    """``count`` exercises from ``seed``: the same seed always gives the same exercises."""
    if count < 1:
        raise ConvtraceValueError(PARAM_TOO_SMALL, name="--count", minimum=1, value=count)
    lo, hi = spec.values
    if hi < lo:
        raise ConvtraceValueError(BAD_VALUES_RANGE, value=f"{lo}..{hi}")
    rng = np.random.default_rng(seed)
    exercises = []
    for _ in range(count):
        x = rng.integers(lo, hi + 1, size=spec.size).astype(np.int64)
        if spec.pool is not None and (spec.kernel is None or spec.kernel == "none"):
            mode, size = spec.pool
            ex = Exercise(PoolSpec(size=size, mode=mode, stride=spec.stride, padding=spec.padding), x)
        else:
            kernel = _random_kernel(rng, spec.kernel_size) if spec.kernel in (None, "random") else spec.kernel
            conv = ConvSpec(padding=spec.padding) if spec.stride is None else \
                ConvSpec(padding=spec.padding, stride=spec.stride)
            ex = Exercise(conv, x, kernel)
        ex.expected()  # raises a clear error now if the settings do not fit
        exercises.append(ex)
    return exercises


def answer_key(exercise: Exercise, seed: int) -> dict:
    """The JSON answer key of one exercise: what ``convtrace check --key`` reads, with the expected output."""
    doc = exercise.to_dict()
    doc["seed"] = seed
    doc["expected"] = exercise.expected().tolist()
    return doc


def solve(exercises: list[Exercise]) -> list:
    """Every exercise's full trace: the worked solutions."""
    return [ex.operation().trace() for ex in exercises]
