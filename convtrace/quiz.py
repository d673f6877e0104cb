"""Exercises with answer keys, reproducible from a seed.

Every exercise is a :class:`convtrace.grading.Exercise`; its answer key is
``exercise.to_dict()`` (what ``convtrace check --key`` reads), and its
solution is the engine's trace.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from convtrace.errors import ConvtraceTypeError, ConvtraceValueError
from convtrace.grading import Exercise
from convtrace.kernel import Kernel
from convtrace.messages.options import (
    BAD_VALUES_RANGE,
    QUIZ_BAD_SETTING,
    QUIZ_SIZE_TOO_LARGE,
    QUIZ_TOO_LONG,
    QUIZ_VALUES_TOO_LARGE,
    SEED_NEGATIVE,
)
from convtrace.spec import ConvSpec, PoolSpec
from convtrace.transpose import TConvSpec

#: The layers ``--pipeline`` takes, and what may follow a colon: a pooling size, a flatten order, dense units.
PIPELINE_LAYERS = ("conv", "relu", "leaky_relu", "sigmoid", "tanh", "maxpool", "avgpool", "flatten", "dense",
                   "softmax")


def parse_pipeline(text: str) -> tuple[tuple[str, str | None], ...]:
    """'conv,relu,maxpool:2' as ((kind, argument or None), …); a layer name it does not know is a clear error."""
    from convtrace.messages import Term
    from convtrace.messages.grading import (
        PIPELINE_ARG_NONE,
        PIPELINE_ARG_ORDER,
        PIPELINE_ARG_UNITS,
        PIPELINE_ARG_WINDOW,
        PIPELINE_BAD_ARGUMENT,
        PIPELINE_BAD_STEP,
    )

    _PIPELINE_ARGUMENTS = {"maxpool": (PIPELINE_ARG_WINDOW, "maxpool:2"), "avgpool": (PIPELINE_ARG_WINDOW, "avgpool:2"),
                           "dense": (PIPELINE_ARG_UNITS, "dense:3"), "flatten": (PIPELINE_ARG_ORDER, "flatten:hwc")}

    steps = []
    for raw in str(text).split(","):
        item = raw.strip().lower().replace("-", "_")
        kind, _, arg = item.partition(":")
        kind = {"max": "maxpool", "avg": "avgpool", "pool": "maxpool", "fc": "dense", "linear": "dense"}.get(kind, kind)
        ok = kind in PIPELINE_LAYERS and (not arg or (
            kind in ("maxpool", "avgpool", "dense") and arg.isdigit() and 0 < int(arg) <= 9) or (
            kind == "flatten" and arg in ("chw", "hwc")))
        if not ok and kind in PIPELINE_LAYERS:  # a layer, with an argument it does not take: 'dense:0'
            what, example = _PIPELINE_ARGUMENTS.get(kind, (PIPELINE_ARG_NONE, kind))
            raise ConvtraceValueError(PIPELINE_BAD_ARGUMENT, step=raw.strip(), kind=kind, what=Term(what),
                                      example=example)
        if not ok:
            raise ConvtraceValueError(PIPELINE_BAD_STEP, step=raw.strip(), choices=", ".join(PIPELINE_LAYERS))
        steps.append((kind, arg or None))
    return tuple(steps)


def pipeline_layers(steps, rng: np.random.Generator | None, *, kernel: Kernel | None = None, kernel_size: int = 3,
                    padding=0, stride=None, bias=None) -> tuple:
    """The layers of a forward-pass exercise: convs get ``kernel`` (or a random one) and ``bias`` (or a random
    nonzero one), dense layers random weights (their inputs are counted when the network is built)."""
    from convtrace.errors import ConvtraceValueError as _Err
    from convtrace.messages.grading import PIPELINE_NEEDS_KERNEL
    from convtrace.network import Layer

    layers = []
    for kind, arg in steps:
        options: dict = {}
        weights = layer_bias = None
        if kind == "conv":
            if kernel is None and rng is None:
                raise _Err(PIPELINE_NEEDS_KERNEL)
            k = kernel if kernel is not None else _random_kernel(rng, kernel_size)
            weights = k.weights if k.scale == 1 else k.weights * float(k.scale)
            if bias is not None:
                layer_bias = np.atleast_1d(np.asarray(bias))
            elif rng is not None:
                layer_bias = np.array([int(rng.choice([-3, -2, -1, 1, 2, 3]))], dtype=np.int64)
            options = {"padding": padding}
            if stride is not None:
                options["stride"] = stride
        elif kind in ("maxpool", "avgpool"):
            options = {"size": int(arg or 2)}
        elif kind == "flatten":
            options = {"order": arg or "chw"}
        elif kind == "dense":
            options = {"units": int(arg or 2)}
        layers.append(Layer(kind=kind, options=options, weights=weights, bias=layer_bias, where=f"layer {len(layers) + 1}"))
    return tuple(layers)


def _dense_weights(layers: tuple, x: np.ndarray, rng: np.random.Generator) -> tuple:
    """``layers`` with every dense layer given random small integer weights and bias of the right size."""
    import dataclasses

    from convtrace.network import build_network

    done = []
    for layer in layers:
        if layer.kind == "dense" and layer.weights is None:
            shape = build_network(done, x.shape, where="quiz").layers[-1].output_shape if done else x.shape
            inputs = int(np.prod(shape))
            units = int(layer.options.get("units") or 2)
            layer = dataclasses.replace(layer, weights=rng.integers(-2, 3, size=(units, inputs)).astype(np.int64),
                                        bias=rng.integers(-2, 3, size=(units,)).astype(np.int64))
        done.append(layer)
    return tuple(done)

#: Most input cells in one quiz, all exercises together (rows × columns × count): exercises are solved by hand.
MAX_QUIZ_CELLS = 250_000
#: Most window cells the worked solutions of one quiz show, all exercises together.
MAX_QUIZ_STEPS = 2_000_000
#: Largest magnitude of a quiz's input values (and of --values' ends).
MAX_QUIZ_VALUE = 10**9


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
    #: A transposed convolution (stride, padding and output_padding as given; the kernel -k or random).
    tconv: bool = False
    output_padding: object = 0
    #: A forward pass: the layers as :func:`parse_pipeline` reads them ("conv,relu,maxpool:2").
    pipeline: tuple | None = None


def _random_kernel(rng: np.random.Generator, k: int) -> Kernel:
    while True:
        weights = rng.integers(-2, 3, size=(k, k))
        if np.any(weights):
            return Kernel(name="random", weights=weights.astype(np.int64))


def _whole(value, name: str, minimum: int) -> int:
    """``value`` as a Python int of at least ``minimum`` (booleans and floats are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ConvtraceTypeError(QUIZ_BAD_SETTING, name=name, minimum=minimum, value=value)
    if int(value) < minimum:
        raise ConvtraceValueError(QUIZ_BAD_SETTING, name=name, minimum=minimum, value=value)
    return int(value)


def _check_spec(seed, count, spec: QuizSpec) -> tuple[int, int, tuple[int, int], tuple[int, int]]:
    """Every setting checked before anything is drawn or allocated: (seed, count, size, values)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ConvtraceTypeError(SEED_NEGATIVE, value=repr(seed))
    if seed < 0:
        raise ConvtraceValueError(SEED_NEGATIVE, value=seed)
    count = _whole(count, "--count", 1)
    if not isinstance(spec.size, (tuple, list)) or len(spec.size) != 2:
        raise ConvtraceTypeError(QUIZ_BAD_SETTING, name="--size", minimum=1, value=spec.size)
    size = (_whole(spec.size[0], "--size", 1), _whole(spec.size[1], "--size", 1))
    if not isinstance(spec.values, (tuple, list)) or len(spec.values) != 2 or any(
            isinstance(v, bool) or not isinstance(v, numbers.Integral) for v in spec.values):
        raise ConvtraceTypeError(BAD_VALUES_RANGE, value=spec.values)
    lo, hi = (int(v) for v in spec.values)
    if hi < lo:
        raise ConvtraceValueError(BAD_VALUES_RANGE, value=f"{lo}..{hi}")
    if max(abs(lo), abs(hi)) > MAX_QUIZ_VALUE:
        raise ConvtraceValueError(QUIZ_VALUES_TOO_LARGE, value=f"{lo}..{hi}", maximum=MAX_QUIZ_VALUE)
    if spec.kernel in (None, "random"):
        _whole(spec.kernel_size, "--kernel-size", 1)
    cells = count * size[0] * size[1]
    if cells > MAX_QUIZ_CELLS:
        raise ConvtraceValueError(QUIZ_SIZE_TOO_LARGE, size=f"{size[0]}x{size[1]}", count=count,
                                  maximum=MAX_QUIZ_CELLS, cells=cells)
    return int(seed), count, size, (lo, hi)


def _steps(exercise: Exercise) -> int:
    """Window cells the worked solution of ``exercise`` shows (its output cells × its window)."""
    op = exercise.operation()
    if exercise.is_tconv:
        return int(op.x.size) * int(op.weights[0].size)
    if exercise.is_pipeline:
        return sum(math.prod(nl.output_shape) * max(1, nl.params) for nl in op.network.layers)
    window = op.weights[0].size if exercise.is_conv else op.size[0] * op.size[1]
    return math.prod(int(n) for n in op.out_shape3) * int(window)


def make_quiz(seed: int, count: int, spec: QuizSpec) -> list[Exercise]:
    """``count`` exercises from ``seed``: the same seed always gives the same exercises.

    Refused before anything is drawn: a negative seed, sizes past
    :data:`MAX_QUIZ_CELLS` input cells or values past :data:`MAX_QUIZ_VALUE`;
    and before anything is computed, solutions past :data:`MAX_QUIZ_STEPS` window cells.
    """
    seed, count, size, (lo, hi) = _check_spec(seed, count, spec)
    rng = np.random.default_rng(seed)
    exercises = []
    steps = 0
    for _ in range(count):
        x = rng.integers(lo, hi + 1, size=size).astype(np.int64)
        if spec.pipeline is not None:
            from convtrace.grading import PipelineSpec

            kernel = spec.kernel if isinstance(spec.kernel, Kernel) else None
            layers = pipeline_layers(spec.pipeline, rng, kernel=kernel, kernel_size=spec.kernel_size,
                                     padding=spec.padding, stride=spec.stride)
            ex = Exercise(PipelineSpec(_dense_weights(layers, x, rng)), x)
        elif spec.tconv:
            kernel = _random_kernel(rng, spec.kernel_size) if spec.kernel in (None, "random") else spec.kernel
            ex = Exercise(TConvSpec(stride=1 if spec.stride is None else spec.stride, padding=spec.padding,
                                    output_padding=spec.output_padding), x, kernel)
        elif spec.pool is not None and (spec.kernel is None or spec.kernel == "none"):
            mode, size = spec.pool
            ex = Exercise(PoolSpec(size=size, mode=mode, stride=spec.stride, padding=spec.padding), x)
        else:
            kernel = _random_kernel(rng, spec.kernel_size) if spec.kernel in (None, "random") else spec.kernel
            conv = ConvSpec(padding=spec.padding) if spec.stride is None else \
                ConvSpec(padding=spec.padding, stride=spec.stride)
            ex = Exercise(conv, x, kernel)
        steps += _steps(ex)  # raises a clear error now if the settings do not fit
        if steps > MAX_QUIZ_STEPS:
            raise ConvtraceValueError(QUIZ_TOO_LONG, n=steps * count // len(exercises + [ex]), maximum=MAX_QUIZ_STEPS)
        ex.expected()
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


# --- one exercise per student

#: Most students one roster may list.
MAX_STUDENTS = 2000
#: Header words that name a roster's column of names (matched case-insensitively, anywhere in the header).
NAME_HEADERS = ("name", "nombre", "student", "alumno", "alumna", "estudiante")


def parse_roster(text: str) -> list[str]:
    """The student names of a roster CSV's text, in order (blank names left out).

    The separator is ``;``, tab or ``,`` (whichever the first line has most of); a leading byte-order mark
    is ignored.  The names are the column whose header contains ``name``, ``nombre``, ``student``,
    ``alumno`` or ``estudiante``; without such a header, the first column of every line.
    """
    import csv
    import io

    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")  # old Macs end lines with CR alone
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max((";", "\t", ","), key=first.count) if any(d in first for d in ";\t,") else ","
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]
    if not rows:
        return []
    header = [c.strip().lower() for c in rows[0]]
    column = next((n for n, h in enumerate(header) if any(word in h for word in NAME_HEADERS)), None)
    body = rows[1:] if column is not None else rows
    column = column or 0
    names = [" ".join(row[column].split()) for row in body if len(row) > column]
    return [name for name in names if name]


def slugify(name: str) -> str:
    """A file-name-safe form of ``name``: ASCII letters and digits joined by ``-`` ('Ana García' → 'ana-garcia')."""
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-") or "student"


def unique_slugs(names: list[str]) -> list[str]:
    """Each name's slug, made unique by a ``-2``, ``-3`` … suffix when two names slugify alike."""
    taken: set[str] = set()
    out = []
    for name in names:
        base = slug = slugify(name)
        n = 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        out.append(slug)
    return out


def student_seed(seed: int, name: str, occurrence: int = 1) -> int:
    """The seed of one student's exercise: stable, from the base seed and the name (NFC, spacing folded).

    ``occurrence`` > 1 tells apart two students listed with the same name.
    """
    import hashlib
    import unicodedata

    key = f"{int(seed)}\n{' '.join(unicodedata.normalize('NFC', name).split())}"
    if occurrence > 1:
        key += f"\n{occurrence}"
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:6], "big")


def student_seeds(seed: int, names: list[str]) -> list[int]:
    """:func:`student_seed` of every roster name, duplicates told apart by their order."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        folded = " ".join(name.split())
        seen[folded] = seen.get(folded, 0) + 1
        out.append(student_seed(seed, name, seen[folded]))
    return out
