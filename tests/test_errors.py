"""Bad input gets a ValueError/TypeError that says what is wrong and how to fix it."""

from __future__ import annotations

import numpy as np
import pytest

import convtrace
from convtrace.errors import ConvtraceError

X = np.arange(16).reshape(4, 4)
K = np.ones((3, 3), dtype=np.int64)


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (lambda: convtrace.conv2d(X, np.ones((5, 5))), ValueError, "larger than the padded input"),
        (lambda: convtrace.conv2d(X, K, dilation=2), ValueError, "spanning 5×5 with dilation"),
        (lambda: convtrace.conv2d(X, K, stride=0), ValueError, "stride must be at least 1"),
        (lambda: convtrace.conv2d(X, K, dilation=(1, 0)), ValueError, "dilation must be at least 1"),
        (lambda: convtrace.conv2d(X, K, stride=1.5), ValueError, "stride must be"),
        (lambda: convtrace.conv2d(X, K, padding=-1), ValueError, "cannot be negative"),
        (lambda: convtrace.conv2d(X, K, padding="half"), ValueError, "'valid', 'same', 'full'"),
        (lambda: convtrace.conv2d(X, K, padding=(1, 2, 3)), ValueError, "four sides"),
        (lambda: convtrace.conv2d(X, K, padding=4, pad_mode="reflect"), ValueError, "smaller than the input"),
        (lambda: convtrace.conv2d(X, K, pad_mode="bogus"), ValueError, "unknown padding mode"),
        (lambda: convtrace.conv2d(X, K, pad_value=float("nan")), ValueError, "pad_value must be a finite"),
        (lambda: convtrace.conv2d(np.ones((3, 4, 4)), np.ones((2, 3, 3))), ValueError, "depth 2"),
        (lambda: convtrace.conv2d(X, np.array([[1.0, np.nan], [0, 1]])), ValueError, "NaN or infinity at index (0, 1)"),
        (lambda: convtrace.conv2d(X, np.array([[1.0, np.inf]])), ValueError, "NaN or infinity"),
        (lambda: convtrace.conv2d(np.array([["a", "b"]]), K), TypeError, "must hold numbers"),
        (lambda: convtrace.conv2d(X, np.array([[1j]])), TypeError, "complex"),
        (lambda: convtrace.conv2d([[1, 2], [3]], K), ValueError, "ragged"),
        (lambda: convtrace.conv2d(np.zeros((0, 3)), K), ValueError, "empty"),
        (lambda: convtrace.conv2d(np.zeros((1, 1, 3, 3)), K), ValueError, "4 dimensions"),
        (lambda: convtrace.conv2d(X, np.zeros((1, 1, 1, 1, 1))), ValueError, "(F, C, kh, kw)"),
        (lambda: convtrace.conv2d(np.array([[2**63]], dtype=np.uint64), [[1]]), ValueError, "too large"),
        (lambda: convtrace.pool2d(X, 2, padding=2), ValueError, "at most 1"),
        (lambda: convtrace.pool2d(X, 5), ValueError, "larger than the padded input"),
        (lambda: convtrace.pool2d(X, 2, mode="median"), ValueError, "unknown pooling mode"),
        (lambda: convtrace.pool2d(X, 0), ValueError, "size must be at least 1"),
        (lambda: convtrace.pool2d(X, 2, stride=(1, 2, 3)), ValueError, "pair"),
        (lambda: convtrace.pool2d(np.array([[5]]), (1, 2), padding=(0, 1), dilation=(1, 2)),
         ValueError, "only padding"),
        (lambda: convtrace.output_size(0, 3), ValueError, "n must be at least 1"),
    ],
)
def test_bad_input_is_explained(call, error, fragment):
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, ConvtraceError)
    assert fragment in str(info.value)


def test_errors_speak_spanish():
    with pytest.raises(ConvtraceError) as info:
        convtrace.conv2d(X, K, stride=0)
    assert info.value.message("es") == "el paso (stride) debe ser al menos 1, se recibió 0"
    with pytest.raises(ConvtraceError) as info:
        convtrace.conv2d(X, K, padding=4, pad_mode="reflect")
    assert "filas" in info.value.message("es")
    assert "rows" in str(info.value)


def test_every_message_has_both_languages_with_the_same_fields():
    import string

    from convtrace.i18n import MESSAGES

    for key, entry in MESSAGES.items():
        assert set(entry) == {"en", "es"}, key
        fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in ("en", "es")]
        assert fields[0] == fields[1], key


def test_nan_in_the_input_propagates_like_scipy():
    x = np.ones((3, 3))
    x[1, 1] = np.nan
    out = convtrace.conv2d(x, np.ones((2, 2)))
    assert np.isnan(out).all()


def test_an_error_survives_pickling_whole():
    """A Dask worker's error is pickled to reach the client: the same type, key, parameters and message
    (in both languages) come back."""
    import pickle

    for call in (lambda: convtrace.conv2d(X, K, stride=0), lambda: convtrace.conv2d(X, K, dilation=2),
                 lambda: convtrace.conv2d(X, np.array([[1.0, np.nan], [0, 1]]))):
        with pytest.raises(ConvtraceError) as caught:
            call()
        err = caught.value
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err) and isinstance(back, ValueError)
        assert back.key == err.key and str(back) == str(err) and back.message("es") == err.message("es")
        assert back.message("es") != back.message("en")
        assert all(type(back.params[k]) is type(v) for k, v in err.params.items())
