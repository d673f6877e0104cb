"""Limits checked from the settings before allocating, and a ConvtraceError for every bad API call.

The risky cases run in a subprocess under a 3 GB address-space limit, so a
regression fails fast instead of taking the machine down.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import convtrace
from convtrace import activations as act
from convtrace import limits, params
from convtrace.convolution import conv_memory_parts, prepare_conv2d
from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.messages import translate
from convtrace.spec import ConvSpec, PoolSpec, spec_from_dict

X = np.arange(16).reshape(4, 4)
K = np.ones((3, 3), dtype=np.int64)
BIG = 2**63
BAD_CALLS = {
    "conv x None": lambda: convtrace.conv2d(None, K),
    "conv k None": lambda: convtrace.conv2d(X, None),
    "conv x str": lambda: convtrace.conv2d("abc", K),
    "conv ragged 3d": lambda: convtrace.conv2d([[[1, 2], [3]], [[1, 2], [3, 4]]], K),
    "conv 0-d": lambda: convtrace.conv2d(np.array(5), K),
    "conv complex": lambda: convtrace.conv2d(X + 1j, K),
    "conv complex list": lambda: convtrace.conv2d([[1, 2j]], [[1]]),
    "conv huge int list": lambda: convtrace.conv2d([[10**30 + 1]], [[1]]),
    "conv 2**63 mixed list": lambda: convtrace.conv2d([[2**63, -1]], [[1]]),
    "conv huge int kernel": lambda: convtrace.conv2d(X, [[10**30]]),
    "conv nan kernel": lambda: convtrace.conv2d(X, [[np.nan]]),
    "conv empty": lambda: convtrace.conv2d(np.zeros((3, 0)), K),
    "conv empty kernel": lambda: convtrace.conv2d(X, np.zeros((0, 0))),
    "conv 5-d": lambda: convtrace.conv2d(np.zeros((1, 1, 1, 3, 3)), K),
    "conv kernel too big": lambda: convtrace.conv2d(X, np.ones((9, 9))),
    "conv stride 2.5": lambda: convtrace.conv2d(X, K, stride=2.5),
    "conv stride -1": lambda: convtrace.conv2d(X, K, stride=-1),
    "conv stride 2**63": lambda: convtrace.conv2d(X, K, stride=BIG),
    "conv stride inf": lambda: convtrace.conv2d(X, K, stride=float("inf")),
    "conv stride nan": lambda: convtrace.conv2d(X, K, stride=float("nan")),
    "conv stride 1e300": lambda: convtrace.conv2d(X, K, stride=1e300),
    "conv stride bool": lambda: convtrace.conv2d(X, K, stride=True),
    "conv stride str": lambda: convtrace.conv2d(X, K, stride="big"),
    "conv stride huge str": lambda: convtrace.conv2d(X, K, stride="9" * 5000),
    "conv dilation 2**63": lambda: convtrace.conv2d(X, K, dilation=BIG),
    "conv padding 2**63": lambda: convtrace.conv2d(X, K, padding=BIG),
    "conv padding 1e9": lambda: convtrace.conv2d(X, K, padding=10**9),
    "conv dilation 1e9 full": lambda: convtrace.conv2d(X, K, dilation=10**9, padding="full"),
    "conv padding None": lambda: convtrace.conv2d(X, K, padding=None),
    "conv padding dict": lambda: convtrace.conv2d(X, K, padding={}),
    "conv pad_value str": lambda: convtrace.conv2d(X, K, pad_value="x"),
    "conv pad_value huge": lambda: convtrace.conv2d(X, K, padding=1, pad_value=10**30),
    "conv pad_value 1e300 f32": lambda: convtrace.conv2d(X.astype(np.float32), K, padding=1, pad_value=1e300),
    "conv pad_value 10**400": lambda: convtrace.conv2d(X, K, padding=1, pad_value=10**400),
    "conv pad_mode None": lambda: convtrace.conv2d(X, K, pad_mode=None),
    "conv flip str": lambda: convtrace.conv2d(X, K, flip="no"),
    "conv flip int": lambda: convtrace.conv2d(X, K, flip=1),
    "conv device 5": lambda: convtrace.conv2d(X, K, device=5),
    "conv overflow 3e9": lambda: convtrace.conv2d(np.full((3, 3), 3 * 10**9), np.full((3, 3), 3 * 10**9)),
    "conv overflow 2**62": lambda: convtrace.conv2d(np.full((2, 2), 2**62), np.ones((2, 2), int)),
    "conv uint64 big": lambda: convtrace.conv2d(np.array([[2**64 - 1]], dtype=np.uint64), [[1]]),
    "conv channels mismatch": lambda: convtrace.conv2d(np.ones((3, 4, 4)), np.ones((2, 3, 3))),
    "trace cells str": lambda: convtrace.trace_conv2d(X, K, cells="ab"),
    "trace cells huge": lambda: convtrace.trace_conv2d(X, K, cells=[(BIG, 0)]),
    "trace cells None elem": lambda: convtrace.trace_conv2d(X, K, cells=[None]),
    "trace cells int": lambda: convtrace.trace_conv2d(X, K, cells=5),
    "trace padding 1e9": lambda: convtrace.trace_conv2d(X, K, padding=10**9),
    "trace overflow": lambda: convtrace.trace_conv2d(np.full((2, 2), 2**62), np.ones((2, 2), int)),
    "pool None": lambda: convtrace.pool2d(None, 2),
    "pool size 0": lambda: convtrace.pool2d(X, 0),
    "pool size 2.5": lambda: convtrace.pool2d(X, 2.5),
    "pool size str": lambda: convtrace.pool2d(X, "big"),
    "pool size 2**63": lambda: convtrace.pool2d(X, BIG),
    "pool size huge padded": lambda: convtrace.pool2d([[1]], 2**31 - 1, padding=2**30 - 1),
    "pool mode bad": lambda: convtrace.pool2d(X, 2, mode="median"),
    "pool mode None": lambda: convtrace.pool2d(X, 2, mode=None),
    "pool ceil str": lambda: convtrace.pool2d(X, 2, ceil_mode="yes"),
    "pool include str": lambda: convtrace.pool2d(X, 2, count_include_pad="no"),
    "pool sum overflow": lambda: convtrace.pool2d(np.full((2, 2), 2**62), 2, mode="sum"),
    "pool stride 2**63": lambda: convtrace.pool2d(X, 2, stride=BIG),
    "pool dilation 2**40": lambda: convtrace.pool2d(X, 2, dilation=2**40),
    "pool 5-d": lambda: convtrace.pool2d(np.zeros((1, 1, 1, 3, 3)), 2),
    "pool complex": lambda: convtrace.pool2d(X + 1j, 2),
    "pool huge list": lambda: convtrace.pool2d([[10**20, 1]], 1),
    "trace pool cells bad": lambda: convtrace.trace_pool2d(X, 2, cells=[(9, 9)]),
    "trace pool sum overflow": lambda: convtrace.trace_pool2d(np.full((2, 2), 2**62), 2, mode="sum"),
    "output_size str": lambda: params.output_size("a", 3),
    "output_size 0": lambda: params.output_size(0, 3),
    "output_size k big": lambda: params.output_size(3, 5),
    "output_size None": lambda: params.output_size(None, 3),
    "output_size stride 0": lambda: params.output_size(5, 3, stride=0),
    "output_size 2**63": lambda: params.output_size(BIG, 3),
    "output_size ceil str": lambda: params.output_size(5, 2, ceil_mode="x"),
    "output_size padding str": lambda: params.output_size(5, 3, padding="half"),
    "same_padding stride 0": lambda: params.same_padding(5, 3, 0),
    "same_padding None": lambda: params.same_padding(None, 3),
    "same_padding k str": lambda: params.same_padding(5, "a"),
    "same_padding float": lambda: params.same_padding(5, 2.5),
    "same_padding 2**63": lambda: params.same_padding(BIG, 3),
    "full_padding str": lambda: params.full_padding("a"),
    "full_padding 0": lambda: params.full_padding(0),
    "full_padding dilation -1": lambda: params.full_padding(3, -1),
    "resolve_padding same None": lambda: params.resolve_padding("same", None, (3, 3)),
    "resolve_padding full str": lambda: params.resolve_padding("full", (5, 5), "ab"),
    "resolve_padding bad": lambda: params.resolve_padding(object(), (5, 5), (3, 3)),
    "resolve_padding stride 0": lambda: params.resolve_padding("same", (5, 5), (3, 3), (0, 1)),
    "relu None": lambda: act.relu(None),
    "relu str": lambda: act.relu("abc"),
    "relu huge": lambda: act.relu([10**30]),
    "relu empty": lambda: act.relu([]),
    "sigmoid None": lambda: act.sigmoid(None),
    "sigmoid complex": lambda: act.sigmoid([1j]),
    "sigmoid object": lambda: act.sigmoid(object()),
    "tanh list None": lambda: act.tanh([1, None]),
    "tanh dict": lambda: act.tanh({"a": 1}),
    "leaky slope str": lambda: act.leaky_relu(X, "a"),
    "leaky slope None": lambda: act.leaky_relu(X, None),
    "leaky slope nan": lambda: act.leaky_relu(X, float("nan")),
    "softmax axis 5": lambda: act.softmax(X, axis=5),
    "softmax axis str": lambda: act.softmax(X, axis="rows"),
    "softmax axis float": lambda: act.softmax(X, axis=1.0),
    "softmax ragged": lambda: act.softmax([[1, 2], [3]]),
    "flatten None": lambda: act.flatten(None),
    "flatten str": lambda: act.flatten("x"),
    "ConvSpec padding list3": lambda: ConvSpec(padding=[1, 2, 3]),
    "ConvSpec stride None": lambda: ConvSpec(stride=None),
    "ConvSpec flip None": lambda: ConvSpec(flip=None),
    "ConvSpec pad_value inf": lambda: ConvSpec(pad_value=float("inf")),
    "ConvSpec pad_mode 5": lambda: ConvSpec(pad_mode=5),
    "ConvSpec dilation 0": lambda: ConvSpec(dilation=0),
    "ConvSpec stride nested": lambda: ConvSpec(stride=[[1, 2]]),
    "ConvSpec padding huge": lambda: ConvSpec(padding=10**40),
    "PoolSpec size None": lambda: PoolSpec(size=None),
    "PoolSpec mode 3": lambda: PoolSpec(mode=3),
    "PoolSpec ceil str": lambda: PoolSpec(ceil_mode="False"),
    "PoolSpec include int": lambda: PoolSpec(count_include_pad=0),
    "PoolSpec size neg": lambda: PoolSpec(size=-2),
    "PoolSpec size huge": lambda: PoolSpec(size=BIG),
    "from_dict list": lambda: ConvSpec.from_dict([1, 2]),
    "from_dict unknown": lambda: ConvSpec.from_dict({"bogus": 1}),
    "from_dict padding obj": lambda: ConvSpec.from_dict({"padding": {"a": 1}}),
    "spec_from_dict op": lambda: spec_from_dict("conv3d", {}),
    "spec_from_dict op list": lambda: spec_from_dict(["conv2d"], {}),
    "spec replace unknown": lambda: ConvSpec().replace(bogus=1),
}


@pytest.mark.parametrize("name", list(BAD_CALLS))
def test_bad_api_call_is_a_convtrace_error(name):
    start = time.monotonic()
    with pytest.raises(ConvtraceError) as info:
        BAD_CALLS[name]()
    assert isinstance(info.value, (ValueError, TypeError))
    assert "\n" not in str(info.value)
    assert info.value.message("es")
    assert time.monotonic() - start < 20


def test_the_table_is_broad():
    assert len(BAD_CALLS) >= 30


RISKY = {
    "padding 1e9": "convtrace.conv2d(X, K, padding=10**9)",
    "dilation 1e9 full": "convtrace.conv2d(X, K, dilation=10**9, padding='full')",
    "trace padding 1e9": "convtrace.trace_conv2d(X, K, padding=10**9)",
    "padding 2**31-1 stride": "convtrace.conv2d(X, K, padding=2**31 - 1, stride=2**31 - 1)",
    "padding 2**63": "convtrace.conv2d(X, K, padding=2**63)",
    "stride 2**63": "convtrace.conv2d(X, K, stride=2**63)",
    "pool huge window": "convtrace.pool2d([[1]], 2**31 - 1, padding=2**30 - 1)",
    "pool huge padding avg": "convtrace.pool2d(X, 2**31 - 1, padding=2**30 - 1, mode='avg')",
    "trace all cells of a large output": "convtrace.trace_conv2d(np.broadcast_to(np.uint8(1), (6000, 6000)), K)",
    "pool trace of a large output": "convtrace.trace_pool2d(np.broadcast_to(1.0, (6000, 6000)), 3, stride=1)",
    "pool dilation": "convtrace.pool2d(X, 3, dilation=2**30, padding=1)",
}


def test_risky_settings_fail_fast_under_an_address_space_limit():
    script = textwrap.dedent("""
        import resource, sys, time
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
        import numpy as np
        import convtrace
        from convtrace.errors import ConvtraceError
        X = np.arange(16).reshape(4, 4)
        K = np.ones((3, 3), dtype=np.int64)
        for name, code in CASES.items():
            start = time.monotonic()
            try:
                eval(code)
            except ConvtraceError as err:
                print(name, "|", "refused", "|", round(time.monotonic() - start, 2), "|", err)
            else:
                print(name, "|", "computed", "|", 0, "|")
    """).replace("CASES", repr(RISKY))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line.split(" | ") for line in done.stdout.splitlines()]
    assert len(rows) == len(RISKY), done.stdout
    for name, outcome, seconds, message in rows:
        assert outcome == "refused", name
        assert float(seconds) < 10, name
        assert "too large" in message or "limit" in message or "larger than" in message, (name, message)


def test_the_memory_message_says_what_how_much_and_how_to_go_further():
    with pytest.raises(ConvtraceValueError) as info:
        convtrace.conv2d(X, K, padding=10**9)
    text = str(info.value)
    assert "this convolution would need about" in text and "EiB" in text
    assert "the output" in text and "less padding" in text and "CONVTRACE_MAX_MEMORY=" in text
    es = info.value.message("es")
    assert "esta convolución necesitaría" in es and "CONVTRACE_MAX_MEMORY=" in es


def test_the_trace_message_points_at_fewer_cells():
    with pytest.raises(ConvtraceValueError, match="--max-steps"):
        convtrace.trace_conv2d(np.broadcast_to(np.uint8(1), (6000, 6000)), K)


def test_parameters_past_the_maximum_are_refused_before_arithmetic():
    for call in (lambda: ConvSpec(stride=2**31), lambda: ConvSpec(padding=2**31), lambda: PoolSpec(size=2**40),
                 lambda: params.output_size(5, 3, stride=2**100), lambda: params.same_padding(2**64, 3)):
        with pytest.raises(ConvtraceValueError, match="at most 2147483647"):
            call()
    assert ConvSpec(stride=2**31 - 1).stride == (2**31 - 1, 2**31 - 1)


def test_a_50_megapixel_rgb_photo_fits_the_limits():
    shape = (3, 5000, 10000)
    pads = params.resolve_padding("same", shape[1:], (3, 3))
    for itemsize in (4, 8):  # float32 (batch) and int64 (an integer image with an integer kernel)
        limits.check_parts("photo", conv_memory_parts(shape, (3, 1, 3, 3), pads, shape, itemsize))
    limits.check_work(3 * 5000 * 10000 * 9, "photo")


def test_a_large_float32_photo_prepares_with_same_padding():
    x = np.broadcast_to(np.float32(1), (3, 2000, 3000))  # 18 MP without the memory
    op = prepare_conv2d(x, np.ones((3, 3), np.float32), padding="same")
    assert op.out_shape3 == (3, 2000, 3000)


def test_the_environment_variable_moves_the_limit(monkeypatch):
    monkeypatch.setenv(limits.MEMORY_ENV, "1K")
    with pytest.raises(ConvtraceValueError, match="limit of 1.0 KiB"):
        convtrace.conv2d(np.zeros((20, 20)), K)
    monkeypatch.setenv(limits.MEMORY_ENV, "unlimited")
    assert limits.max_memory() is None
    monkeypatch.setenv(limits.MEMORY_ENV, "8G")
    assert limits.max_memory() == 8 << 30
    monkeypatch.setenv(limits.MEMORY_ENV, "1.5GiB")
    assert limits.max_memory() == 3 << 29
    monkeypatch.setenv(limits.MEMORY_ENV, "lots")
    with pytest.raises(ConvtraceValueError, match="CONVTRACE_MAX_MEMORY='lots' is not understood"):
        convtrace.conv2d(X, K)


def test_the_work_limit(monkeypatch):
    monkeypatch.setenv(limits.WORK_ENV, "100")
    with pytest.raises(ConvtraceValueError, match="steps.*CONVTRACE_MAX_WORK="):
        convtrace.conv2d(np.zeros((20, 20)), K)
    monkeypatch.setenv(limits.WORK_ENV, "1e13")
    assert limits.max_work() == 10**13
    monkeypatch.setenv(limits.WORK_ENV, "2T")
    assert limits.max_work() == 2 * 10**12


def test_check_elements_for_other_callers():
    limits.check_elements(1000, 8, "the quiz")
    with pytest.raises(ConvtraceValueError) as info:
        limits.check_elements(10**12, 8, "the quiz's input")
    assert str(info.value).startswith("the quiz's input would need about 7.3 TiB")
    with pytest.raises(ConvtraceValueError, match="steps"):
        limits.check_work(10**15, "the trace")


def test_format_helpers():
    assert limits.format_bytes(512) == "512 B"
    assert limits.format_bytes(3 << 30) == "3.0 GiB"
    assert "e+" in limits.format_bytes(10**30)
    assert limits.format_count(2**40) == "1.1e+12"
    assert translate("memory_limit", "es", what="x", need="1 B", limit="0 B", part="p", shape="1", hint="h",
                     suggest="8G")


def test_never_read_stays_small_for_huge_windows():
    arith = params.size_arithmetic(5, 2**31 - 1, 2**30 - 1, 2**30 - 1, 1, 1)
    assert arith.never_read == ()
    arith = params.size_arithmetic(10, 2, 0, 0, 5, 1)
    assert arith.never_read == (2, 3, 4, 7, 8, 9)
    arith = params.size_arithmetic(7, 2, 1, 1, 3, 2)
    naive = set(range(7)) - {o * 3 - 1 + t * 2 for o in range(arith.size) for t in range(2)}
    assert arith.never_read == tuple(sorted(naive))
