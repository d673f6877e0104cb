from __future__ import annotations

import numpy as np
import pytest
from scipy import special

import convtrace


def test_relu_keeps_integers():
    out = convtrace.relu(np.array([[-2, 0, 3]]))
    assert out.dtype.kind == "i" and out.tolist() == [[0, 0, 3]]


def test_leaky_relu_sigmoid_tanh_softmax_against_references():
    x = np.array([-800.0, -3.0, -0.5, 0.0, 2.0, 800.0])
    np.testing.assert_allclose(convtrace.leaky_relu(x, 0.1), np.where(x > 0, x, 0.1 * x))
    with np.errstate(over="raise"):
        np.testing.assert_allclose(convtrace.sigmoid(x), special.expit(x))
    np.testing.assert_allclose(convtrace.tanh(x), np.tanh(x))
    np.testing.assert_allclose(convtrace.softmax(x), special.softmax(x))
    m = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(convtrace.softmax(m, axis=1), special.softmax(m, axis=1))
    assert convtrace.softmax([1, 2, 3]).sum() == pytest.approx(1.0)


def test_flatten_is_row_major_like_pytorch():
    x = np.arange(2 * 3 * 2).reshape(2, 3, 2)
    assert convtrace.flatten(x).tolist() == list(range(12))
    assert convtrace.flatten(np.zeros((5, 5, 2))).shape == (50,)
