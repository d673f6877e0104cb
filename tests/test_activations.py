from __future__ import annotations

import json

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


@pytest.mark.parametrize("logits", [[-1000, -1000], [-740, -741], [-1000, -1001, -999.5], [1000, 999],
                                    [710, -710, 0], [-85, -80.5], [3, 1, 0.5]])
def test_softmax_of_extreme_logits_agrees_everywhere(run, logits):
    """The command, a network's softmax layer and the library give SciPy's probabilities, with no NaN:
    exp(−1000) underflows to 0, so very negative logits are shifted by the largest too."""
    from convtrace.network import softmax_parts

    expected = special.softmax(np.array(logits, dtype=np.float64))
    np.testing.assert_allclose(convtrace.softmax(logits), expected, rtol=1e-12)
    np.testing.assert_allclose(softmax_parts(np.array(logits, dtype=np.float64))[3], expected, rtol=1e-12)
    result = run("softmax", " ".join(str(v) for v in logits), "-f", "json")
    assert result.exit_code == 0, result.output
    out = np.array(json.loads(result.output)["output"], dtype=np.float64).ravel()
    np.testing.assert_allclose(out, expected, rtol=1e-9)
    trace = run("softmax", " ".join(str(v) for v in logits), "--trace").output
    assert "nan" not in trace and "/ 0 =" not in trace
