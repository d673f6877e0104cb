"""Grading: every diagnosis is tested with the mistake a student really makes."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convtrace.grading import Exercise, describe, grade
from convtrace.kernel import Kernel
from convtrace.quiz import QuizSpec, make_quiz
from convtrace.spec import ConvSpec, PoolSpec

IMAGE = np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]])
FILTER = Kernel("slides", np.array([[1, 0], [0, 2]]))
SOBEL = Kernel("sobel-x", np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]))
MAP = np.arange(1, 26, dtype=np.float64).reshape(5, 5)


def conv(**params):
    return Exercise(ConvSpec(**params), IMAGE, FILTER)


def keys(g):
    return [d.key for d in g.diagnoses]


def test_right_answer_has_full_marks_and_no_diagnosis():
    g = grade(conv(), [[60, 70, 50], [60, 70, 50], [20, 30, 20]])
    assert g.all_correct and g.n_correct == 9 and g.diagnoses == []


def test_flipped_kernel():
    ex = conv()
    g = grade(ex, ex.varied(flip=True).expected())
    assert keys(g) == ["mistake_flip_added"]
    ex = conv(flip=True)
    assert keys(grade(ex, conv().expected())) == ["mistake_flip_missing"]


def test_forgotten_padding_explains_the_shape():
    ex = Exercise(ConvSpec(**{"padding": 1}), np.arange(25).reshape(5, 5), SOBEL)
    g = grade(ex, ex.varied(padding=0).expected())
    assert not g.shape_ok
    assert keys(g) == ["shape_mismatch", "mistake_no_padding"]
    assert describe(g.diagnoses[0]) == "the answer is 3×3 but the output is 5×5"


def test_added_padding():
    ex = Exercise(ConvSpec(), np.arange(25).reshape(5, 5), SOBEL)
    g = grade(ex, ex.varied(padding="same").expected())
    assert keys(g) == ["shape_mismatch", "mistake_added_padding"]


def test_wrong_stride():
    ex = Exercise(ConvSpec(**{"stride": 2}), np.arange(36).reshape(6, 6), SOBEL)
    g = grade(ex, ex.varied(stride=1).expected())
    assert keys(g) == ["shape_mismatch", "mistake_stride"]
    assert "stride 1 was used instead of 2" in describe(g.diagnoses[1])


def test_shape_that_no_mistake_reproduces_lists_what_would_give_it():
    ex = Exercise(ConvSpec(**{"stride": 2}), np.arange(36).reshape(6, 6), SOBEL)
    g = grade(ex, np.zeros((4, 4)))
    assert keys(g) == ["shape_mismatch"]          # one entry: the shape, and the settings that give it
    assert "stride 1" in describe(g.diagnoses[0])
    assert g.diagnoses[0].mistake == "shape"


def test_transposed_answer():
    g = grade(conv(), conv().expected().T)
    assert keys(g) == ["mistake_transposed_answer"]


def test_transposed_kernel():
    ex = Exercise(ConvSpec(), IMAGE, Kernel("k", np.array([[1, 2], [0, 0]])))
    answer = Exercise(ConvSpec(), IMAGE, Kernel("k", np.array([[1, 0], [2, 0]]))).expected()
    assert keys(grade(ex, answer))[0] == "mistake_kernel_transposed"


def test_forgotten_scale():
    box = Kernel("box", np.ones((3, 3), dtype=np.int64), scale=Fraction(1, 9))
    ex = Exercise(ConvSpec(), np.arange(1, 17).reshape(4, 4), box)
    g = grade(ex, ex.varied().expected() * 9)
    assert keys(g) == ["mistake_scale"]


def test_wrong_border_mode():
    ex = Exercise(ConvSpec(**{"padding": 1, "pad_mode": "replicate"}), np.arange(16).reshape(4, 4), SOBEL)
    assert keys(grade(ex, ex.varied(pad_mode="zeros").expected())) == ["mistake_pad_mode"]


def test_avg_pool_divisor_counting_padding():
    ex = Exercise(PoolSpec(**{"size": 2, "mode": "avg", "padding": 1}), MAP)
    g = grade(ex, ex.varied(count_include_pad=False).expected())
    assert keys(g) == ["mistake_divisor_excluded"]
    ex = Exercise(PoolSpec(**{"size": 2, "mode": "avg", "padding": 1, "count_include_pad": False}), MAP)
    assert keys(grade(ex, ex.varied(count_include_pad=True).expected())) == ["mistake_divisor_included"]


def test_ceil_vs_floor():
    ex = Exercise(PoolSpec(**{"size": 2, "mode": "max"}), MAP)
    g = grade(ex, ex.varied(ceil_mode=True).expected())
    assert keys(g) == ["shape_mismatch", "mistake_ceil"]
    ex = Exercise(PoolSpec(**{"size": 2, "mode": "max", "ceil_mode": True}), MAP)
    assert keys(grade(ex, ex.varied(ceil_mode=False).expected())) == ["shape_mismatch", "mistake_floor"]


def test_pool_mode_confusion():
    ex = Exercise(PoolSpec(**{"size": 2, "mode": "max"}), MAP)
    g = grade(ex, ex.varied(mode="avg").expected())
    assert keys(g) == ["mistake_pool_mode"] and "avg pooling was computed instead of max" == describe(g.diagnoses[0])


def test_pool_stride_one_instead_of_size():
    ex = Exercise(PoolSpec(**{"size": 2, "mode": "max"}), MAP)
    g = grade(ex, ex.varied(stride=1).expected())
    assert keys(g) == ["shape_mismatch", "mistake_stride"]


def test_arithmetic_slip_in_one_cell():
    answer = conv().expected().copy()
    answer[1, 1] += 1
    g = grade(conv(), answer)
    assert g.n_correct == 8 and g.wrong_cells == [(1, 1)]
    assert keys(g) == ["mistake_slip"]
    assert describe(g.diagnoses[0]) == "cell [1, 1]: 71 instead of 70 (off by 1), an arithmetic slip"


def test_window_placed_one_cell_off():
    ex = Exercise(ConvSpec(**{"stride": 2}), np.arange(36).reshape(6, 6) ** 2 % 17, SOBEL)
    answer = ex.expected().copy()
    dense = ex.varied(stride=1).expected()
    answer[0, 1] = dense[0, 3]  # the window at column 3 instead of 2
    g = grade(ex, answer)
    assert keys(g) == ["mistake_window_shifted"]
    assert g.diagnoses[0].params == {"cell": [0, 1], "rows": 0, "cols": 1}


def test_sign_error():
    assert keys(grade(conv(), -conv().expected())) == ["mistake_sign"]


def test_blanks_are_missing_not_wrong():
    answer = conv().expected().astype(float)
    missing = np.zeros_like(answer, dtype=bool)
    missing[2, 2] = True
    g = grade(conv(), answer, missing)
    assert g.n_correct == 8 and g.n_missing == 1 and g.n_wrong == 0 and not g.all_correct


def test_float_tolerance_and_exact_integers():
    ex = Exercise(PoolSpec(**{"size": 2, "mode": "avg"}), np.array([[1.0, 2.0], [2.0, 2.0]]) / 3)
    assert grade(ex, [[0.58]]).all_correct            # 0.5833… rounded to two decimals
    assert not grade(ex, [[0.57]]).all_correct
    assert grade(ex, [[0.57]], tol=0.02).all_correct
    assert not grade(conv(), conv().expected() + 0.001).all_correct  # integers must be exact


def test_spanish_diagnoses():
    g = grade(conv(), conv().varied(flip=True).expected())
    assert describe(g.diagnoses[0], "es").startswith("se volteó el kernel")


def test_exercise_round_trips_through_its_key():
    ex = Exercise(ConvSpec(padding=(1, 1, 0, 0), stride=2), IMAGE,
                  Kernel("box", np.ones((2, 2), dtype=np.int64), scale=Fraction(1, 4)))
    again = Exercise.from_dict(ex.to_dict())
    np.testing.assert_array_equal(again.expected(), ex.expected())
    with pytest.raises(ValueError, match="answer key"):
        Exercise.from_dict({"op": "conv2d"})
    # Version 1 keys (raw command-line strings as parameters) are still read.
    old = {"convtrace_key": 1, "op": "conv2d", "input": IMAGE.tolist(),
           "params": {"padding": "1", "stride": "2"}, "kernel": {"weights": [[1, 0], [0, 1]], "scale": "1"}}
    assert Exercise.from_dict(old).spec == ConvSpec(padding=1, stride=2)


@given(st.integers(0, 10**6), st.sampled_from([None, ("max", 2), ("avg", 2)]), st.integers(0, 1),
       st.integers(1, 2))
def test_quiz_keys_grade_their_own_answers(seed, pool, padding, stride):
    spec = QuizSpec(size=(5, 6), padding=padding, stride=stride if pool is None else None, pool=pool,
                    kernel=None if pool else "random")
    (ex,) = make_quiz(seed, 1, spec)
    again = Exercise.from_dict(ex.to_dict())
    expected = again.expected()
    assert grade(again, expected).all_correct
    wrong = expected.astype(float).copy()
    wrong[0, 0] += 1
    g = grade(again, wrong)
    assert not g.all_correct and g.wrong_cells == [(0, 0)]
    assert make_quiz(seed, 1, spec)[0].input.tolist() == ex.input.tolist()


# --- issue 11: a careful teacher's diagnosis -------------------------------------------------------------

def ids(g):
    return [d.mistake for d in g.diagnoses]


@pytest.mark.parametrize("padding", ["same", 1, "full"])
def test_padding_added_to_the_readme_sample_is_named(padding):
    ex = Exercise(ConvSpec(flip=True), IMAGE, FILTER)
    g = grade(ex, ex.varied(padding=padding).expected())
    assert ids(g) == ["shape", "added_padding"]


def test_a_transposed_non_square_answer_is_named():
    ex = Exercise(ConvSpec(), np.arange(30).reshape(5, 6) % 7, SOBEL)
    g = grade(ex, ex.expected().T)
    assert ids(g) == ["shape", "answer_transposed"]


def test_two_mistakes_are_both_named():
    ex = Exercise(ConvSpec(padding=1), np.arange(36).reshape(6, 6) % 5, SOBEL)
    g = grade(ex, ex.varied(flip=True, padding=0).expected())
    assert sorted(ids(g)[1:]) == ["flip_added", "no_padding"]


def test_blanks_never_trigger_a_diagnosis():
    for spec in (PoolSpec(size=2, mode="max", ceil_mode=True), ConvSpec(dilation=2, padding=2)):
        ex = Exercise(spec, MAP, None if isinstance(spec, PoolSpec) else SOBEL)
        answer = ex.expected().astype(float)
        missing = np.zeros(answer.shape, dtype=bool)
        missing[0, :] = True
        missing[-1, -1] = True
        g = grade(ex, np.where(missing, 0, answer), missing)
        assert g.diagnoses == [] and g.n_wrong == 0 and g.n_missing == int(missing.sum())


def test_an_answer_to_another_matrix_is_unexplained_with_a_few_cells_worked():
    rng = np.random.default_rng(3)
    ex = Exercise(ConvSpec(padding=1), rng.integers(0, 10, (8, 8)), SOBEL)
    other = Exercise(ConvSpec(padding=1), rng.integers(0, 10, (8, 8)), SOBEL)
    g = grade(ex, other.expected())
    assert ids(g) == ["unexplained"] and len(g.working_cells) == 3 and len(g.working) == 3
    assert describe(g.diagnoses[0]).startswith("no common mistake explains this answer")


def test_a_slip_after_a_mistake_is_measured_against_what_the_mistake_gives():
    ex = conv()
    flipped = ex.varied(flip=True).expected().astype(float)
    answer = flipped.copy()
    answer[1, 1] += 3
    g = grade(ex, answer)
    assert ids(g) == ["flip_added", "slip"]
    assert g.diagnoses[1].params["expected"] == flipped[1, 1] and g.diagnoses[1].params["diff"] == 3
    assert g.slip_cells == ((1, 1),) and g.slip_working.step(0).result == flipped[1, 1]


def test_a_max_pool_value_from_the_wrong_window_is_no_arithmetic_slip():
    ex = Exercise(PoolSpec(size=2, mode="max"), MAP[:4, :4])      # [[7, 9], [17, 19]]
    answer = ex.expected().astype(float)
    answer[0, 0] = 6            # in its window, not the largest
    answer[1, 1] = 9            # the window above's result
    g = grade(ex, answer)
    assert [d.key for d in g.diagnoses] == ["mistake_other_window", "mistake_not_max"]
    assert ids(g) == ["window_shift", "slip"]
    assert "not the largest" in describe(g.diagnoses[1])


def test_a_one_by_one_answer_is_not_stride_three_unless_its_value_matches():
    ex = Exercise(ConvSpec(), np.arange(25).reshape(5, 5) % 7, SOBEL)
    g = grade(ex, [[12345]])
    assert ids(g) == ["shape"] and g.diagnoses[0].key == "shape_mismatch"
    g = grade(ex, [[ex.expected()[0, 0]]])
    assert ids(g) == ["shape", "stride"] and g.diagnoses[1].params["used"] == 3


def test_the_json_contract():
    from convtrace.render.grades import grade_document
    ex = conv()
    answer = ex.varied(flip=True).expected().astype(float)
    missing = np.zeros(answer.shape, dtype=bool)
    missing[0, 0] = True
    doc = grade_document(grade(ex, answer, missing), "a.txt", "en")
    assert doc["correct"][0][0] is None and doc["correct"][1][0] is True
    (d,) = doc["diagnoses"]
    assert d["mistake"] == "flip_added" and [0, 0] not in d["cells"] and [0, 1] in d["cells"]
    assert set(d) >= {"mistake", "cells", "message", "key", "params"}
    shape = grade_document(grade(Exercise(ConvSpec(stride=2), np.arange(36).reshape(6, 6), SOBEL),
                                 np.zeros((4, 4))), "b", "en")["diagnoses"][0]
    assert shape["mistake"] == "shape" and ["stride"] in shape["options"]


def test_an_eight_by_eight_exercise_grades_in_well_under_a_second():
    import time
    rng = np.random.default_rng(5)
    ex = Exercise(ConvSpec(padding=1), rng.integers(0, 10, (8, 8)), Kernel("k", rng.integers(-2, 3, (3, 3))))
    answer = ex.varied(flip=True, stride=2).expected()
    grade(ex, answer)
    start = time.perf_counter()
    g = grade(ex, answer)
    assert time.perf_counter() - start < 0.5
    assert sorted(ids(g)[1:]) == ["flip_added", "stride"]
