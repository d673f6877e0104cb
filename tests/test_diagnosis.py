"""The diagnosis engine against mistakes made on purpose: every single mistake, every pair, blanks, other inputs.

The mistakes are applied here, independently of ``convtrace.grading``'s candidate list: settings changed
with ``Exercise.varied``, the kernel altered by hand, the answer transposed, negated or read off the
stride-1 output one cell off.  A diagnosis is checked by redoing what it names (from its id and params)
and comparing with the student's answer: two mistakes that give the same output are equivalent.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import combinations

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from convtrace.errors import ConvtraceError
from convtrace.grading import MISTAKE_IDS, Exercise, grade
from convtrace.kernel import Kernel
from convtrace.spec import ConvSpec, PoolSpec

NOT_MISTAKES = {"shape", "slip", "unexplained"}
GAUSS = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]])


# ---------------------------------------------------------------------------------------------------------
# Exercises like a course's: small inputs, 2×2/3×3 kernels (some scaled), stride 1/2, padding 0/1/same.
# ---------------------------------------------------------------------------------------------------------

def make_exercise(rng: np.random.Generator, low: int = 0, high: int = 10) -> Exercise:
    h, w = (int(v) for v in rng.integers(4, 9, size=2))
    x = rng.integers(low, high, size=(h, w))
    if rng.random() < 0.6:
        kind = rng.choice(["random2", "random3", "box", "gauss"])
        if kind == "box":
            kernel = Kernel("box", np.ones((3, 3), dtype=np.int64), scale=Fraction(1, 9))
        elif kind == "gauss":
            kernel = Kernel("gauss", GAUSS, scale=Fraction(1, 16))
        else:
            k = 2 if kind == "random2" else 3
            kernel = Kernel("k", rng.integers(-2, 4, size=(k, k)))
        padding = [0, 1, "same"][int(rng.integers(3))]
        spec = ConvSpec(padding=padding, stride=int(rng.integers(1, 3)), flip=bool(rng.random() < 0.3))
        return Exercise(spec, x, kernel)
    size = int(rng.integers(2, 4))
    spec = PoolSpec(size=size, mode=["max", "avg"][int(rng.integers(2))],
                    stride=[None, 1, 2][int(rng.integers(3))], padding=int(rng.integers(0, 2)),
                    ceil_mode=bool(rng.random() < 0.3), count_include_pad=bool(rng.random() < 0.7))
    return Exercise(spec, x)


# ---------------------------------------------------------------------------------------------------------
# Mistakes, made by hand.
# ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Made:
    id: str
    spec: dict = field(default_factory=dict)
    kernel: str | None = None       # "T" (transposed) or "unscaled"
    answer: str | None = None       # "T", "neg" or "shift"
    shift: tuple = (0, 0)


def mistakes_for(ex: Exercise) -> list[Made]:
    s = ex.spec
    out = [Made("answer_transposed", answer="T"), Made("sign", answer="neg"),
           Made("window_shift", answer="shift", shift=(0, 1)), Made("window_shift", answer="shift", shift=(1, 0))]
    if s.padding == (0, 0, 0, 0):
        out.append(Made("added_padding", {"padding": "same" if ex.is_conv else 1}))
    else:
        out.append(Made("no_padding", {"padding": 0}))
        if not isinstance(s.padding, str):
            out.append(Made("padding_amount", {"padding": s.padding[0] + 1}))
    if ex.is_conv:
        out.append(Made("flip_missing" if s.flip else "flip_added", {"flip": not s.flip}))
        out.append(Made("kernel_transposed", kernel="T"))
        if ex.kernel.scale != 1:
            out.append(Made("scale_forgotten", kernel="unscaled"))
        if s.padding != (0, 0, 0, 0):
            out.append(Made("pad_mode", {"pad_mode": "replicate"}))
        out.append(Made("stride", {"stride": 2 if s.stride == (1, 1) else 1}))
    else:
        out.append(Made("pool_mode", {"mode": "avg" if s.mode == "max" else "max"}))
        if s.mode == "avg" and s.padding != (0, 0, 0, 0):
            out.append(Made("divisor_excluded" if s.count_include_pad else "divisor_included",
                            {"count_include_pad": not s.count_include_pad}))
        out.append(Made("floor" if s.ceil_mode else "ceil", {"ceil_mode": not s.ceil_mode}))
        window = s.size[0]
        out.append(Made("stride", {"stride": 1 if s.stride_for(s.size) != (1, 1) else window}))
    return out


def apply(ex: Exercise, made: list[Made]):
    """(answer, blanks) with the mistakes made, or None when they clash or the exercise becomes impossible."""
    changes: dict = {}
    for m in made:
        if set(m.spec) & set(changes):
            return None
        changes.update(m.spec)
    kinds = [m.answer for m in made if m.answer] + [m.kernel for m in made if m.kernel]
    if len(set(kinds)) < len(kinds):
        return None
    try:
        wrong = ex.varied(**changes) if changes else ex
        for m in made:
            if m.kernel == "T":
                wrong = replace(wrong, kernel=replace(wrong.kernel, weights=wrong.kernel.weights.T.copy()))
            elif m.kernel == "unscaled":
                wrong = replace(wrong, kernel=replace(wrong.kernel, scale=Fraction(1)))
        out = wrong.expected().astype(np.float64)
        blanks = np.zeros(out.shape, dtype=bool)
        for m in made:
            if m.answer == "shift":
                dense = wrong.varied(stride=1).expected()
                stride = wrong.operation().params["stride"]
                shifted = np.full(out.shape, np.nan)
                for i in range(out.shape[0]):
                    for j in range(out.shape[1]):
                        r, c = i * stride[0] + m.shift[0], j * stride[1] + m.shift[1]
                        if r < dense.shape[0] and c < dense.shape[1]:
                            shifted[i, j] = dense[r, c]
                out = shifted
                blanks = np.isnan(out)
                if blanks.all():
                    return None
        for m in made:
            if m.answer == "T":
                out, blanks = out.T.copy(), blanks.T.copy()
        for m in made:
            if m.answer == "neg":
                out = -out
    except ConvtraceError:
        return None
    return np.where(blanks, 0, out), blanks


def redo(ex: Exercise, diagnoses) -> list[Made]:
    """What the named diagnoses say the student did, as mistakes to make again."""
    made = []
    for d in diagnoses:
        p, i = d.params, d.mistake
        if i in ("flip_added", "flip_missing"):
            made.append(Made(i, {"flip": not ex.spec.flip}))
        elif i == "kernel_transposed":
            made.append(Made(i, kernel="T"))
        elif i == "scale_forgotten":
            made.append(Made(i, kernel="unscaled"))
        elif i == "answer_transposed":
            made.append(Made(i, answer="T"))
        elif i == "sign":
            made.append(Made(i, answer="neg"))
        elif i == "no_padding":
            made.append(Made(i, {"padding": 0}))
        elif i == "added_padding":
            made.append(Made(i, {"padding": p["padding"]}))
        elif i == "padding_amount":
            made.append(Made(i, {"padding": p["used"]}))
        elif i == "pad_mode":
            made.append(Made(i, {"pad_mode": p["used"]}))
        elif i == "stride":
            made.append(Made(i, {"stride": p["used"]}))
        elif i == "dilation":
            made.append(Made(i, {"dilation": 1}))
        elif i == "pool_mode":
            made.append(Made(i, {"mode": p["used"]}))
        elif i in ("divisor_included", "divisor_excluded"):
            made.append(Made(i, {"count_include_pad": i == "divisor_included"}))
        elif i in ("ceil", "floor"):
            made.append(Made(i, {"ceil_mode": i == "ceil"}))
        elif i == "window_shift" and "cell" not in p:
            made.append(Made(i, answer="shift", shift=(p["rows"], p["cols"])))
    return made


def named(g) -> list[str]:
    return [d.mistake for d in g.diagnoses if d.mistake not in NOT_MISTAKES]


def reproduces(ex: Exercise, g, answer, blanks) -> bool:
    """Whether doing what the diagnosis names gives the student's answer in every cell they wrote."""
    again = apply(ex, redo(ex, g.diagnoses))
    if again is None or again[0].shape != answer.shape:
        return False
    written = ~blanks & ~again[1]
    return bool(np.all(np.abs(again[0][written] - answer[written]) <= 1e-9)) and not (blanks & ~again[1]).all() \
        if written.any() else False


def genuine(ex: Exercise, made: list[Made]):
    """The answer for ``made`` when each mistake changes it (a pair that one mistake alone gives is no pair)."""
    got = apply(ex, made)
    if got is None:
        return None
    expected = ex.expected()
    if got[0].shape == expected.shape and np.array_equal(got[0][~got[1]], expected[~got[1]]):
        return None  # every cell the student wrote is right (a shift can push cells out): nothing to name
    for sub in ([m] for m in made) if len(made) > 1 else ():
        one = apply(ex, sub)
        if one is not None and one[0].shape == got[0].shape and np.array_equal(one[0], got[0]):
            return None
    return got


# ---------------------------------------------------------------------------------------------------------
# Properties.
# ---------------------------------------------------------------------------------------------------------

seeds = st.integers(0, 2**32 - 1)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(seeds, st.data())
def test_a_single_mistake_is_named_by_what_reproduces_it(seed, data):
    ex = make_exercise(np.random.default_rng(seed))
    made = data.draw(st.sampled_from(mistakes_for(ex)))
    got = genuine(ex, [made])
    assume(got is not None)
    g = grade(ex, *got)
    assert named(g), [d.key for d in g.diagnoses]
    assert not [d for d in g.diagnoses if d.mistake in ("slip", "unexplained")]
    assert reproduces(ex, g, *got)
    assert all(i in MISTAKE_IDS for i in named(g))


@FAST
@given(seeds, st.data())
def test_a_pair_of_mistakes_is_explained_in_full(seed, data):
    ex = make_exercise(np.random.default_rng(seed))
    pair = data.draw(st.sampled_from(list(combinations(mistakes_for(ex), 2))))
    got = genuine(ex, list(pair))
    assume(got is not None)
    g = grade(ex, *got)
    assert not [d for d in g.diagnoses if d.mistake == "unexplained"]
    assert reproduces(ex, g, *got), [(d.mistake, d.params) for d in g.diagnoses]


@FAST
@given(seeds, st.floats(0.1, 0.8))
def test_a_partial_answer_with_nothing_wrong_gets_no_diagnosis(seed, share):
    rng = np.random.default_rng(seed)
    ex = make_exercise(rng)
    expected = ex.expected()
    blanks = rng.random(expected.shape) < share
    assume(blanks.any())
    answer = np.where(blanks, 0, np.round(expected.astype(np.float64), 2))
    g = grade(ex, answer, blanks)
    assert g.diagnoses == [] and g.n_wrong == 0 and g.n_missing == int(blanks.sum())


@FAST
@given(seeds)
def test_an_answer_to_another_input_is_unexplained(seed):
    rng = np.random.default_rng(seed)
    ex = make_exercise(rng, -60, 60)
    other = replace(ex, input=rng.integers(-60, 60, size=ex.input.shape))
    expected, answer = ex.expected(), other.expected()
    assume(expected.size >= 4 and np.sum(~np.isclose(answer, expected)) >= 3)
    g = grade(ex, answer)
    assert [d.mistake for d in g.diagnoses] == ["unexplained"]
    assert len(g.working_cells) <= 3 and g.working is not None


# ---------------------------------------------------------------------------------------------------------
# Rates over a fixed sample, against the targets.
# ---------------------------------------------------------------------------------------------------------

def measure(n_exercises: int = 120, seed: int = 11) -> dict:
    rng = np.random.default_rng(seed)
    singles = [0, 0, 0]   # exact, equivalent, total
    pairs = [0, 0, 0]
    partial = [0, 0]      # invented, total
    others = [0, 0]       # unexplained, total
    for _ in range(n_exercises):
        ex = make_exercise(rng)
        options = mistakes_for(ex)
        for made in options:
            got = genuine(ex, [made])
            if got is None:
                continue
            g = grade(ex, *got)
            singles[2] += 1
            singles[0] += named(g) == [made.id]
            singles[1] += reproduces(ex, g, *got)
        for pair in combinations(options, 2):
            got = genuine(ex, list(pair))
            if got is None:
                continue
            g = grade(ex, *got)
            pairs[2] += 1
            pairs[0] += sorted(named(g)) == sorted(m.id for m in pair)
            pairs[1] += reproduces(ex, g, *got)
        expected = ex.expected()
        blanks = rng.random(expected.shape) < 0.4
        if blanks.any():
            g = grade(ex, np.where(blanks, 0, expected), blanks)
            partial[1] += 1
            partial[0] += bool(g.diagnoses)
        other = replace(ex, input=rng.integers(0, 10, size=ex.input.shape))
        answer = other.expected()
        if answer.shape == expected.shape and not np.array_equal(answer, expected):
            g = grade(ex, answer)
            others[1] += 1
            others[0] += [d.mistake for d in g.diagnoses] == ["unexplained"]
    return {"singles_exact": singles[0] / singles[2], "singles_reproduced": singles[1] / singles[2],
            "pairs_both_named": pairs[0] / pairs[2], "pairs_reproduced": pairs[1] / pairs[2],
            "partial_invented": partial[0], "partial_total": partial[1],
            "other_unexplained": others[0] / others[1], "counts": (singles[2], pairs[2], others[1])}


def test_rates_meet_the_targets():
    rates = measure(15)
    print(rates)
    assert rates["singles_reproduced"] >= 0.99
    assert rates["singles_exact"] >= 0.95
    assert rates["pairs_reproduced"] >= 0.95
    assert rates["pairs_both_named"] >= 0.80
    assert rates["partial_invented"] == 0
