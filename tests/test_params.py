"""Padding, stride, dilation and output-size arithmetic."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import convtrace
from convtrace.params import PAD_MODE_ALIASES, parse_padding, size_arithmetic


@pytest.mark.parametrize(
    ("spec", "sides"),
    [(0, (0, 0, 0, 0)), (2, (2, 2, 2, 2)), ((1, 2), (1, 1, 2, 2)), ([1, 2, 3, 4], (1, 2, 3, 4)),
     ("1,2", (1, 1, 2, 2)), ("3", (3, 3, 3, 3)), ("1 2 3 4", (1, 2, 3, 4)), ("SAME", "same")],
)
def test_padding_specs(spec, sides):
    assert parse_padding(spec) == sides


@pytest.mark.parametrize("typed", ["1,1,x", "1;2;x", "1,x", "x,1", "2x", "1 x", "(1, 2, x, 4)"])
def test_a_stray_x_in_a_padding_is_refused_not_dropped(typed):
    # x and × separate two numbers (3x3, 2 × 2); anywhere else they are a typo to report, with what was typed
    with pytest.raises(convtrace.ConvtraceError, match=re.escape(repr(typed))):
        parse_padding(typed)


@pytest.mark.parametrize("typed, sides", [("2x3", (2, 2, 3, 3)), ("2 × 3", (2, 2, 3, 3)), ("1 2 3 4", (1, 2, 3, 4)),
                                          ("(1, 2)", (1, 1, 2, 2)), ("3×3", (3, 3, 3, 3))])
def test_padding_separators_students_type(typed, sides):
    assert parse_padding(typed) == sides


@given(st.integers(1, 40), st.integers(1, 7), st.integers(1, 4), st.integers(1, 3))
def test_same_and_full_padding_sizes(n, k, s, d):
    before, after = convtrace.same_padding(n, k, s, d)
    assert after - before in (0, 1)
    assert convtrace.output_size(n, k, (before, after), s, d) == -(-n // s)
    full = convtrace.full_padding(k, d)
    assert convtrace.output_size(n, k, full, 1, d) == n + d * (k - 1)


def test_output_size_formula_and_the_slides_example():
    # ⌊(5 + 2·1 − 3)/2⌋ + 1 = 3
    assert convtrace.output_size(5, 3, padding=1, stride=2) == 3
    assert convtrace.output_size(7, 3, 0, 2, 2) == 2
    assert convtrace.output_size(5, 2, 0, 2, ceil_mode=True) == 3
    assert convtrace.output_size(5, 2, 1, 2, ceil_mode=True) == 3  # last window would start in the padding
    assert convtrace.output_size(6, 3, "same") == 6
    with pytest.raises(ValueError, match="larger than the padded input"):
        convtrace.output_size(2, 5)


def test_output_size_matches_pytorch_conv_and_pool_shapes():
    torch = pytest.importorskip("torch")
    for n, k, p, s, d in [(7, 3, 1, 2, 1), (9, 2, 1, 3, 2), (5, 5, 2, 1, 1), (10, 3, 0, 4, 3)]:
        t = torch.zeros(1, 1, n, n)
        conv = torch.nn.functional.conv2d(t, torch.zeros(1, 1, k, k), padding=p, stride=s, dilation=d)
        assert conv.shape[-1] == convtrace.output_size(n, k, p, s, d)
        if p <= k // 2:
            for ceil in (False, True):
                pool = torch.nn.functional.max_pool2d(t, k, s, p, d, ceil_mode=ceil)
                assert pool.shape[-1] == convtrace.output_size(n, k, p, s, d, ceil_mode=ceil)


def test_size_arithmetic_names_rows_never_read():
    arith = size_arithmetic(6, 3, 0, 0, 2)
    assert arith.size == 2 and arith.numerator == 2 * 1 + 1 and not arith.exact
    assert arith.never_read == (5,)
    assert size_arithmetic(5, 3, 1, 1, 2).never_read == ()


@pytest.mark.parametrize("alias", sorted(PAD_MODE_ALIASES))
def test_every_alias_gives_its_modes_result(alias):
    x = np.arange(20).reshape(4, 5)
    w = np.array([[1, 2, 0], [0, -1, 3]])
    canonical = PAD_MODE_ALIASES[alias]
    np.testing.assert_array_equal(convtrace.conv2d(x, w, padding=2, pad_mode=alias.upper()),
                                  convtrace.conv2d(x, w, padding=2, pad_mode=canonical))


def test_library_names_for_the_same_border():
    assert convtrace.normalize_pad_mode("BORDER_REFLECT_101") == "reflect"
    assert convtrace.normalize_pad_mode("cv2.BORDER_REFLECT") == "symmetric"
    assert convtrace.normalize_pad_mode("mirror") == "reflect"
    assert convtrace.normalize_pad_mode("nearest") == "replicate"
    assert convtrace.normalize_pad_mode("wrap") == "circular"


@pytest.mark.parametrize("call, spanish", [
    (lambda: convtrace.conv2d([[1, 2], [3, 4]], [[1]], stride="2,x"),
     "el paso (stride) debe ser un entero positivo o un par de enteros positivos"),
    (lambda: convtrace.conv2d([[1, 2], [3, 4]], [[1]], dilation=(1, 1, 1)),
     "la dilatación (dilation) debe ser un entero positivo o un par de enteros positivos"),
    (lambda: convtrace.conv2d(np.ones((4, 4)), np.ones((3, 3)), dilation=3),
     "el kernel (3×3 que abarca 7×7 con dilatación 3,3) es más grande"),
    (lambda: convtrace.pool2d(np.ones((4, 4)), size=2, dilation=4),
     "la ventana de pooling (2×2 que abarca 5×5 con dilatación 4,4) es más grande"),
])
def test_what_a_setting_must_be_is_said_in_the_users_language(call, spanish):
    """The phrases inside these messages ("a positive int …", "spanning … with dilation") were English
    in a Spanish sentence; they are translated with it."""
    with pytest.raises(convtrace.ConvtraceError) as caught:
        call()
    said = caught.value.message("es")
    assert spanish in said
    for english in ("int", "pair", "spanning", "with dilation"):
        assert not re.search(rf"\b{english}\b", said), (english, said)
