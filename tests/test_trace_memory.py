"""Traces of large inputs keep only what their views show, and every number still equals the bulk result.

Small thresholds (monkeypatched) make small arrays take the cropped path, so hypothesis can compare the
kept output cells with the whole ``conv2d``/``pool2d`` output bit for bit.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rich.console import Console

import convtrace
from convtrace import convolution
from convtrace.render import export
from convtrace.render import pictures as P
from convtrace.render.views import ConvTraceView, PoolTraceView
from tests.strategies import conv_problems, has_empty_int_window, pool_problems

ROOT = Path(__file__).resolve().parents[1]
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])


def _render(view, width=120) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(view)
    return console.file.getvalue()


def _cells(data, out_shape, maps=1):
    n = data.draw(st.integers(1, 3))
    return [(data.draw(st.integers(0, maps - 1)), data.draw(st.integers(0, out_shape[-2] - 1)),
             data.draw(st.integers(0, out_shape[-1] - 1))) if maps > 1 else
            (data.draw(st.integers(0, out_shape[-2] - 1)), data.draw(st.integers(0, out_shape[-1] - 1)))
            for _ in range(n)]


def _kept(whole, origin, part):
    r0, c0 = origin
    return whole[..., r0:r0 + part.shape[-2], c0:c0 + part.shape[-1]]


@SLOW
@given(st.data())
def test_cropped_conv_output_equals_the_whole_conv2d_bit_for_bit(monkeypatch, data):
    p = data.draw(conv_problems(max_side=60, max_k=4, dtypes=(np.int64, np.float64, np.float32, np.uint8)))
    x, w = p["x"], p["w"]   # uint8: an image, summed on the exact int32 path
    if data.draw(st.booleans()):  # three channels, one kernel each (an RGB photo) or two filters over them
        x = np.stack([x, x[::-1, ::-1], x])
        if data.draw(st.booleans()):
            w = np.stack([np.stack([w, -w, w]), np.stack([-w, w, w])])   # (2, 3, kh, kw)
    kwargs = dict(padding=p["pads"], pad_mode=p["mode"], pad_value=p["pad_value"], stride=p["stride"],
                  dilation=p["dilation"])
    whole_out = convtrace.conv2d(x, w, **kwargs)
    maps = whole_out.shape[0] if whole_out.ndim == 3 else 1
    cells = _cells(data, whole_out.shape, maps)
    whole = convtrace.trace_conv2d(x, w, cells=cells, **kwargs)
    with monkeypatch.context() as m:   # one hypothesis example at a time
        m.setattr(convolution, "WHOLE_OUTPUT_CELLS", 0)
        m.setattr(convolution, "WHOLE_PADDED_CELLS", data.draw(st.sampled_from([0, 1 << 20])))
        part = convtrace.trace_conv2d(x, w, cells=cells, **kwargs)
    assert part.output_shape == whole_out.shape == whole.output.shape
    assert part.output.dtype == whole_out.dtype
    np.testing.assert_array_equal(part.output, _kept(whole_out, part.output_origin, part.output))
    assert part.output_cropped == (part.output.shape != whole_out.shape)
    np.testing.assert_array_equal(part.whole_output(), whole_out)
    for name in ("cells", "origins", "channels", "windows", "products", "totals", "results", "subtotals"):
        np.testing.assert_array_equal(getattr(part, name), getattr(whole, name), err_msg=name)
    for step in part.steps:
        assert step.result == whole_out[step.out_index]
    # Every step looks the same; only the final output shows the part around the first cell.
    text, whole_text = _render(ConvTraceView(part, selected=True)), _render(ConvTraceView(whole, selected=True))
    cut = text.rfind("\nOutput") if whole_out.ndim == 2 else text.rfind("\nFeature map 0")
    assert text[:cut] == whole_text[:cut]


@pytest.mark.parametrize(("shape", "pads", "stride", "cell"), [
    ((1, 1), (1, 0, 0, 0), (2, 1), (0, 0)),        # found by hypothesis: the one window reads only padding
    ((40, 50), (6, 6, 6, 6), (1, 1), (0, 0)),      # a photo's corner under a wide zero border
    ((40, 50), (0, 0, 9, 9), (1, 1), (20, 63)),    # a window wholly in the right border
])
def test_a_cropped_trace_of_a_window_wholly_in_padding(monkeypatch, shape, pads, stride, cell):
    x = np.arange(1, np.prod(shape) + 1, dtype=np.int64).reshape(shape) % 251
    w = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) if shape != (1, 1) else np.array([[7]])
    kwargs = dict(padding=pads, stride=stride, pad_mode="zeros", pad_value=3)
    whole = convtrace.trace_conv2d(x, w, cells=[cell], **kwargs)
    monkeypatch.setattr(convolution, "WHOLE_OUTPUT_CELLS", 0)
    monkeypatch.setattr(convolution, "WHOLE_PADDED_CELLS", 0)
    part = convtrace.trace_conv2d(x, w, cells=[cell], **kwargs)
    np.testing.assert_array_equal(part.windows, whole.windows)
    assert (part.windows == 3).all()   # every value read is the pad value
    np.testing.assert_array_equal(part.results, whole.results)
    np.testing.assert_array_equal(part.whole_output(), convtrace.conv2d(x, w, **kwargs))


@SLOW
@given(st.data())
def test_cropped_pool_output_equals_the_whole_pool2d_bit_for_bit(monkeypatch, data):
    p = data.draw(pool_problems())
    assume(not (p["x"].dtype.kind == "i" and p["mode"] in ("max", "min") and has_empty_int_window(p)))
    x = p.pop("x")
    x = np.tile(x, (data.draw(st.integers(1, 6)), data.draw(st.integers(1, 6))))
    assume(not (x.dtype.kind == "i" and p["mode"] in ("max", "min") and has_empty_int_window(dict(p, x=x))))
    kwargs = {("padding" if k == "pad" else k): v for k, v in p.items()}
    whole_out = convtrace.pool2d(x, **kwargs)
    cells = _cells(data, whole_out.shape)
    whole = convtrace.trace_pool2d(x, cells=cells, **kwargs)
    with monkeypatch.context() as m:   # one hypothesis example at a time
        m.setattr(convolution, "WHOLE_OUTPUT_CELLS", 0)
        part = convtrace.trace_pool2d(x, cells=cells, **kwargs)
    assert part.output_shape == whole_out.shape
    np.testing.assert_array_equal(part.output, _kept(whole_out, part.output_origin, part.output))
    for name in ("windows", "inside", "winners", "totals", "divisors", "results"):
        np.testing.assert_array_equal(getattr(part, name), getattr(whole, name), err_msg=name)
    text, whole_text = _render(PoolTraceView(part, selected=True)), _render(PoolTraceView(whole, selected=True))
    cut = text.rfind("\nOutput (")
    assert text[:cut] == whole_text[:cut]


def _photo(h=1100, w=1000, seed=4):
    return np.random.default_rng(seed).integers(0, 256, (3, h, w), dtype=np.uint8)


@pytest.mark.parametrize("cell", [(0, 0), (550, 500), (1099, 999), (0, 999)])
def test_a_trace_of_a_photo_converts_and_computes_only_its_neighbourhood(cell):
    photo = _photo()
    op = convtrace.prepare_conv2d(photo, "sharpen", padding="same", pad_mode="reflect")
    trace = op.trace([cell])
    assert "x" not in vars(op)          # the whole input was never converted to the compute dtype
    assert trace.output.size <= 3 * 33 * 33 and trace.output_shape == (3, 1100, 1000)
    r0, c0 = trace.output_origin
    whole = op.run()
    np.testing.assert_array_equal(trace.output, whole[:, r0:r0 + trace.output.shape[1], c0:c0 + trace.output.shape[2]])
    assert trace.output.dtype == whole.dtype == np.int32
    if cell == (0, 0):  # the bulk int32 sums equal the int64 ones
        wide = convtrace.conv2d(photo.astype(np.int64), "sharpen", padding="same", pad_mode="reflect")
        assert wide.dtype == np.int64 and np.array_equal(whole, wide)
    pool = convtrace.prepare_pool2d(photo, 2, stride=1)
    ptrace = pool.trace([(2, min(cell[0], 1098), min(cell[1], 998))])
    assert "x" not in vars(pool) and ptrace.output.size <= 3 * 33 * 33
    pr, pc = ptrace.output_origin
    np.testing.assert_array_equal(ptrace.output, pool.run()[:, pr:pr + ptrace.output.shape[1],
                                                            pc:pc + ptrace.output.shape[2]])


def test_views_and_exports_of_a_cropped_trace_name_the_whole_output():
    photo = _photo()
    trace = convtrace.trace_conv2d(photo, "sharpen", cells=[(2, 600, 900)])
    assert trace.output_cropped and trace.output_origin == (584, 884)
    text = " ".join(_render(ConvTraceView(trace, selected=True)).split())
    # The step's output and the final output around the traced cell, numbered in the whole output.
    assert "rows 596–604, cols 896–904 of 1098×998" in text
    assert "rows 593–608, cols 893–908 of 1098×998" in text
    assert f"{3 * 1098 * 998 - 3 * 16 * 16} of {3 * 1098 * 998} values not shown" in text
    doc = json.loads(export.to_json(export.result_document(trace.operation, trace.output, trace)))
    assert doc["output_shape"] == [3, 1098, 998] and doc["output_origin"] == [584, 884]
    assert doc["output_part_shape"] == list(trace.output.shape) and doc["steps_total"] == 3 * 1098 * 998
    assert np.array_equal(np.array(doc["output"]), trace.output)
    assert doc["steps"][0]["result"] == int(trace.whole_output()[2, 600, 900])
    md = export.to_markdown("T", "s", trace.output, 4, "en", trace=trace)
    assert "### Feature map 2 (1098×998) — rows 584–616, cols 884–916 of 1098×998" in md
    assert "| **600** |" in md and "|   | 884 | 885 |" in md
    assert "Padded input" not in md and "### Input (1100×1000) · channel 2 — rows 0–15, cols 0–15 of 1100×1000" in md
    tex = export.to_latex("T", "s", trace.output, 4, "en", trace=trace)
    assert "% Feature map 2 (1098×998) — rows 584–616, cols 884–916 of 1098×998" in tex
    layout = P.conv_layout(trace, 0)
    (panel,) = layout.find("output")
    assert (panel.row0, panel.col0) == (594, 894) and "1098×998" in panel.title
    np.testing.assert_array_equal(panel.values, trace.whole_output()[2, 594:608, 894:908])
    assert len(P.trace_frames(trace)) == 1


MEMORY_SCRIPT = textwrap.dedent("""
    import resource, sys
    import numpy as np
    from convtrace.convolution import prepare_conv2d
    from convtrace.pooling import prepare_pool2d
    rng = np.random.default_rng(7)
    small = rng.integers(0, 256, size=(3, 40, 50), dtype=np.uint8)
    for pad, mode in (("same", "reflect"), (0, "zeros")):   # compile first: compiling costs memory too
        prepare_conv2d(small, "sharpen", padding=pad, pad_mode=mode).trace([(1, 2)])
    prepare_pool2d(small, 2).trace([(1, 2)])
    photo = rng.integers(0, 256, size=(3, 3000, 4000), dtype=np.uint8)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for cell in ((100, 100), (0, 0), (2999, 3999), (1, 3998)):
        prepare_conv2d(photo, "sharpen", padding="same", pad_mode="reflect").trace([cell])
    prepare_conv2d(photo, "sharpen").trace([(10, 10)])
    prepare_pool2d(photo, 2, mode="max").trace([(10, 10)])
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(before, after)
""")


def test_tracing_a_12_megapixel_photo_at_a_cell_allocates_almost_nothing():
    """Before, a 3×3000×4000 uint8 photo traced at one cell converted it to int64 (288 MB) and computed
    the whole output (288 MB more); now the trace adds a few megabytes at most to the photo itself."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    before, after = (int(v) for v in out.stdout.split())
    assert (after - before) * 1024 < 16 * 2**20, (before, after)
