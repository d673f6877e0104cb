"""Every worked example from the course slides, reproduced from samples/."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import convtrace

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
EXAMPLES = json.loads((SAMPLES / "examples.json").read_text(encoding="utf-8"))


def load(name):
    return np.loadtxt(SAMPLES / name, ndmin=2)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["name"] for e in EXAMPLES])
def test_slide_example(example):
    x = load(example["input"])
    expected = load(example["expected"])
    if example["op"] == "conv":
        x = x.astype(np.int64)
        got = convtrace.conv2d(x, load(example["kernel"]).astype(np.int64), **example["params"])
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, expected)
        trace = convtrace.trace_conv2d(x, load(example["kernel"]).astype(np.int64), **example["params"])
        assert [s.result for s in trace.steps] == expected.ravel().tolist()
    else:
        params = dict(example["params"])
        got = convtrace.pool2d(x, params.pop("size"), **params)
        np.testing.assert_array_equal(got, expected)


def test_four_by_four_first_window_is_the_slides_sum():
    x = load("image_4x4.txt").astype(int)
    step = convtrace.trace_conv2d(x, [[1, 0], [0, 2]]).steps[0]
    # 1 * 0 + 0 * 10 + 0 * 20 + 2 * 30 = 60
    assert step.window[0].ravel().tolist() == [0, 10, 20, 30]
    assert step.products[0].ravel().tolist() == [0, 0, 0, 60] and step.total == 60
