"""The command line and the library give the same numbers and the same diagnoses."""

from __future__ import annotations

import json

import numpy as np
import pytest

import convtrace
from convtrace.grading import Exercise, grade
from convtrace.kernel import Kernel
from convtrace.spec import ConvSpec, PoolSpec

X = np.arange(25).reshape(5, 5) % 7
LAPLACE = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]])
SKEW = np.array([[1, 2, 0], [0, 1, 0], [0, 0, -1]])


def text(matrix) -> str:
    return "; ".join(" ".join(str(v) for v in row) for row in np.asarray(matrix).tolist())


@pytest.mark.parametrize("options", [
    {}, {"padding": "1"}, {"padding": "same", "pad_mode": "reflect"}, {"stride": "2"},
    {"dilation": "2", "padding": "full"}, {"flip": True},
])
def test_conv_agrees(run, options):
    args = []
    for name, value in options.items():
        args += [f"--{name.replace('_', '-')}"] if value is True else [f"--{name.replace('_', '-')}", value]
    result = run("conv", text(X), "-k", text(SKEW), "-f", "json", *args)
    api = convtrace.conv2d(X, SKEW, **{k: v for k, v in options.items()})
    assert result.exit_code == 0
    assert json.loads(result.output)["output"] == api.tolist()


@pytest.mark.parametrize("options", [
    {"mode": "max", "size": "2"}, {"mode": "avg", "size": "3", "stride": "1", "padding": "1"},
    {"mode": "min", "size": "2x3"}, {"mode": "sum", "size": "2", "ceil": True},
])
def test_pool_agrees(run, options):
    args, api = [], {}
    for name, value in options.items():
        args += [f"--{name}"] if value is True else [f"--{name}", value]
        api["ceil_mode" if name == "ceil" else name] = value
    result = run("pool", text(X), "-f", "json", *args)
    assert result.exit_code == 0
    size = api.pop("size")
    assert json.loads(result.output)["output"] == convtrace.pool2d(X, size, **api).tolist()


def diagnoses_through_both(run, exercise: Exercise, cli_args: list[str], answer) -> tuple[list, list]:
    api = [(d.key, d.params) for d in grade(exercise, answer).diagnoses]
    result = run("check", text(X), *cli_args, "--answer", text(answer), "-f", "json")
    assert result.exit_code == 1
    cli = [(d["key"], d["params"]) for d in json.loads(result.output)["diagnoses"]]
    return api, [(k, {n: tuple(v) if isinstance(v, list) else v for n, v in p.items()}) for k, p in cli]


def test_padding_amount_is_named_through_both(run):
    asked = Exercise(ConvSpec(padding=1), X, Kernel("lap", LAPLACE))
    api, cli = diagnoses_through_both(run, asked, ["-k", text(LAPLACE), "--padding", "1"],
                                      asked.varied(padding=2).expected())
    assert api == cli
    assert ("mistake_padding_amount", {"used": 2, "asked": 1}) in cli


def test_padding_added_to_a_valid_exercise_is_named_through_both(run):
    asked = Exercise(ConvSpec(), X, Kernel("skew", SKEW))
    api, cli = diagnoses_through_both(run, asked, ["-k", text(SKEW)], asked.varied(padding="same").expected())
    assert api == cli
    assert ("mistake_added_padding", {"padding": "same"}) in cli


@pytest.mark.parametrize(("spec", "args", "change"), [
    (PoolSpec(size=2, mode="max"), ["--pool", "max:2"], {"mode": "avg"}),
    (PoolSpec(size=2, mode="avg", stride=1), ["--pool", "avg:2", "--stride", "1"], {"stride": 2}),
    (ConvSpec(stride=2), ["-k", text(SKEW), "--stride", "2"], {"flip": True}),
])
def test_other_mistakes_agree(run, spec, args, change):
    asked = Exercise(spec, X, Kernel("skew", SKEW) if isinstance(spec, ConvSpec) else None)
    api, cli = diagnoses_through_both(run, asked, args, asked.varied(**change).expected())
    assert api == cli and cli
