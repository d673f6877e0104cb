"""Specs: one checked form for every spelling of an operation's settings."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import convtrace
from convtrace.errors import ConvtraceError
from convtrace.grading import Exercise, grade
from convtrace.kernel import Kernel
from convtrace.spec import ConvSpec, PoolSpec, spec_from_dict


@pytest.mark.parametrize(("spelling", "expected"), [
    ({"padding": 1}, (1, 1, 1, 1)),
    ({"padding": "1"}, (1, 1, 1, 1)),
    ({"padding": "1,2"}, (1, 1, 2, 2)),
    ({"padding": (1, 2)}, (1, 1, 2, 2)),
    ({"padding": [0, 1, 2, 3]}, (0, 1, 2, 3)),
    ({"padding": "valid"}, (0, 0, 0, 0)),
    ({"padding": "SAME"}, "same"),
    ({"padding": " full "}, "full"),
])
def test_padding_from_any_spelling(spelling, expected):
    assert ConvSpec(**spelling).padding == expected


@pytest.mark.parametrize("stride", [2, "2", "2x2", "2×2", (2, 2), [2, 2], np.int64(2)])
def test_stride_from_any_spelling(stride):
    assert ConvSpec(stride=stride).stride == (2, 2)
    assert PoolSpec(size=2, stride=stride).stride == (2, 2)


def test_equal_settings_are_equal_specs():
    assert ConvSpec(padding="1", stride="1", pad_mode="constant", pad_value="0") == ConvSpec(padding=1)
    assert PoolSpec(size="2", mode="Average") == PoolSpec(size=(2, 2), mode="avg")
    assert hash(ConvSpec(padding=1)) == hash(ConvSpec(padding=(1, 1, 1, 1)))


def test_replace_checks_again():
    spec = ConvSpec(padding=1)
    assert dataclasses.replace(spec, padding="2").padding == (2, 2, 2, 2)
    with pytest.raises(ConvtraceError, match="stride must be at least 1"):
        dataclasses.replace(spec, stride=0)


@pytest.mark.parametrize(("cls", "options", "fragment"), [
    (ConvSpec, {"flip": "no"}, "flip must be True or False"),
    (ConvSpec, {"flip": 1}, "flip must be True or False"),
    (ConvSpec, {"pad_value": float("inf")}, "pad_value"),
    (ConvSpec, {"pad_value": "1/0"}, "pad_value"),
    (ConvSpec, {"pad_mode": "nope"}, "unknown padding mode"),
    (ConvSpec, {"padding": -1}, "cannot be negative"),
    (PoolSpec, {"mode": "median"}, "unknown pooling mode"),
    (PoolSpec, {"ceil_mode": "yes"}, "ceil_mode must be True or False"),
    (PoolSpec, {"size": 0}, "size must be at least 1"),
])
def test_bad_settings_are_clear_errors(cls, options, fragment):
    with pytest.raises(ConvtraceError, match=fragment):
        cls(**options)


def test_the_default_stride_rule():
    assert ConvSpec().stride == (1, 1)
    assert PoolSpec(size=3).stride is None
    assert PoolSpec(size=3).stride_for((3, 3)) == (3, 3)
    assert PoolSpec(size="global").window((4, 5)) == (4, 5)


@given(st.sampled_from(["valid", "same", "full", 0, 1, 2, (1, 0), (0, 1, 2, 0)]),
       st.sampled_from(["zeros", "reflect", "symmetric", "replicate", "circular"]),
       st.integers(1, 3), st.integers(1, 3), st.booleans(), st.sampled_from([0, 3, -2.5]))
def test_conv_spec_round_trips_through_json(padding, pad_mode, stride, dilation, flip, pad_value):
    spec = ConvSpec(padding=padding, pad_mode=pad_mode, stride=stride, dilation=dilation, flip=flip,
                    pad_value=pad_value)
    import json

    assert ConvSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec
    assert spec_from_dict("conv2d", spec.to_dict()) == spec


@given(st.sampled_from([2, 3, (2, 3), "global"]), st.sampled_from(["max", "avg", "min", "sum"]),
       st.sampled_from([None, 1, 2]), st.sampled_from([0, 1]), st.booleans(), st.booleans())
def test_pool_spec_round_trips_through_json(size, mode, stride, padding, ceil_mode, include):
    spec = PoolSpec(size=size, mode=mode, stride=stride, padding=padding, ceil_mode=ceil_mode,
                    count_include_pad=include)
    assert PoolSpec.from_dict(spec.to_dict()) == spec


def test_unknown_fields_are_refused():
    with pytest.raises(ConvtraceError, match="unknown setting 'strides'"):
        ConvSpec.from_dict({"strides": 2})
    with pytest.raises(ConvtraceError, match="op must be one of"):
        spec_from_dict("conv3d", {})


def test_operations_are_types_not_strings():
    conv = convtrace.prepare_conv2d(np.eye(3), np.ones((2, 2)), padding=1)
    pool = convtrace.prepare_pool2d(np.eye(4), 2)
    assert isinstance(conv, convtrace.Conv2d) and isinstance(conv.spec, ConvSpec)
    assert isinstance(pool, convtrace.Pool2d) and isinstance(pool.spec, PoolSpec)
    assert isinstance(conv.trace(), convtrace.ConvTrace) and isinstance(pool.trace(), convtrace.PoolTrace)


def test_a_mistake_is_a_changed_spec():
    x = np.arange(25).reshape(5, 5) % 7
    kernel = Kernel("lap", np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]]))
    asked = Exercise(ConvSpec(padding=1), x, kernel)
    answer = asked.varied(padding=2).expected()
    keys = [(d.key, d.params) for d in grade(asked, answer).diagnoses]
    assert ("mistake_padding_amount", {"used": 2, "asked": 1}) in keys
    box = Kernel("box", np.ones((3, 3), dtype=np.int64), scale=Fraction(1, 9))
    assert Exercise(ConvSpec(), x, box).varied(flip=True).spec.flip is True


def test_specs_made_from_the_same_keywords_are_parsed_once_and_keep_their_types():
    from convtrace.spec import make_spec

    first = make_spec(ConvSpec, padding=1, pad_value=1, stride=(2, 1))
    assert make_spec(ConvSpec, padding=1, pad_value=1, stride=(2, 1)) is first
    as_float = make_spec(ConvSpec, padding=1, pad_value=1.0, stride=(2, 1))
    assert as_float is not first and type(as_float.pad_value) is float and type(first.pad_value) is int
    assert make_spec(ConvSpec, padding=[1, 1], stride=[2, 1]) == ConvSpec(padding=[1, 1], stride=[2, 1])
    for _ in range(2):  # a refusal is not remembered as a spec
        with pytest.raises(ConvtraceError):
            make_spec(ConvSpec, stride=0)
    with pytest.raises(ConvtraceError):
        make_spec(ConvSpec, strides=1)
