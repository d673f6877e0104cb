"""What the terminal shows: every value of a result on screen, at 60, 80 and 120 columns, in English
and Spanish, with and without row/column numbers; no line wider than the console, none ending in a
space; aligned winner marks; −∞ padding in max pools; per-channel subtotals; channel names.

Everything is rendered through a real fixed-width Rich console and read back as a user would."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

import convtrace
from convtrace.render.matrix import OUTPUT_CAP, MatrixView, fmt_number
from convtrace.render.views import ConvTraceView, PoolTraceView, ResultView, output_names
from tests.strategies import conv_problems, has_empty_int_window, pool_problems

WIDTHS = (60, 80, 120)
BLOCK = re.compile(r"^(?:columns|columnas) (\d+)–(\d+)$|^(?:column|columna) (\d+)$")


def render(renderable, width: int, colour: bool = False) -> str:
    if colour:
        console = Console(file=io.StringIO(), width=width, color_system="truecolor", record=True)
        console.print(renderable)
        return console.export_text(styles=False)
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def assert_fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert cell_len(line) <= width, f"{cell_len(line)} > {width}: {line!r}"
        assert not line.endswith(" "), f"trailing space: {line!r}"


def read_matrix(lines: list[str], start: int, shape: tuple[int, int], index: bool) -> np.ndarray:
    """The matrix printed from ``lines[start]`` on (after its title), column blocks joined back."""
    rows, cols = shape
    grid = np.full((rows, cols), None, dtype=object)
    n = start
    while n < len(lines) and (grid == None).any():  # noqa: E711 - element-wise
        m = BLOCK.match(lines[n])
        if m:
            c0, c1 = (int(m[1]), int(m[2])) if m[1] else (int(m[3]), int(m[3]))
            n += 1
        else:
            c0, c1 = 0, cols - 1
        if index:
            header = [int(v) for v in lines[n].split()]
            assert header == list(range(c0, c1 + 1)), lines[n]
            n += 1
        for r in range(rows):
            tokens = lines[n].split()
            if index:
                assert int(tokens[0]) == r, lines[n]
                tokens = tokens[1:]
            assert len(tokens) == c1 - c0 + 1, (lines[n], c0, c1)
            grid[r, c0:c1 + 1] = tokens
            n += 1
    assert not (grid == None).any(), "columns missing"  # noqa: E711
    return grid


def expected_texts(values, precision=4) -> np.ndarray:
    values = np.atleast_2d(values)
    return np.array([[fmt_number(v, precision) for v in row] for row in values], dtype=object)


def find_title(lines: list[str], title: str) -> int:
    """Index of the last line that is exactly ``title`` (the final output comes last)."""
    hits = [n for n, line in enumerate(lines) if line == title]
    assert hits, f"{title!r} not found"
    return hits[-1]


@st.composite
def outputs(draw):
    rows, cols = draw(st.integers(1, 30)), draw(st.integers(1, 30))
    kind = draw(st.sampled_from(["int", "float", "neg"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    digits = draw(st.integers(1, 6))
    if kind == "float":
        return (rng.standard_normal((rows, cols)) * 10 ** (digits - 1)).round(draw(st.integers(0, 4)))
    values = rng.integers(0, 10 ** digits, (rows, cols))
    return -values if kind == "neg" and draw(st.booleans()) else values * rng.choice([-1, 1], (rows, cols))


@given(outputs(), st.sampled_from(WIDTHS), st.sampled_from(["en", "es"]), st.booleans(), st.booleans())
def test_every_value_of_a_result_is_on_screen(values, width, lang, index, colour):
    view = ResultView(values, "Title", "subtitle", lang=lang, index=index)
    text = render(view, width, colour)
    assert_fits(text, width)
    lines = text.splitlines()
    title = ("Output" if lang == "en" else "Salida") + f" ({values.shape[0]}×{values.shape[1]})"
    got = read_matrix(lines, find_title(lines, title) + 1, values.shape, index)
    assert (got == expected_texts(values)).all()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_issue_case_a_twenty_by_twenty_result_is_whole(width, lang):
    values = np.arange(400).reshape(20, 20) * 37 - 3000
    text = render(ResultView(values, "T", "s", lang=lang), width)
    assert_fits(text, width)
    lines = text.splitlines()
    head = "Output (20×20)" if lang == "en" else "Salida (20×20)"
    assert (read_matrix(lines, find_title(lines, head) + 1, (20, 20), True) == expected_texts(values)).all()
    if width < 120:
        assert ("columns 0–" if lang == "en" else "columnas 0–") in text


def test_a_result_over_the_cap_says_how_many_values_it_does_not_show():
    values = np.arange(120 * 120).reshape(120, 120)
    assert values.size > OUTPUT_CAP
    text = render(ResultView(values, "T", "s"), 80)
    assert_fits(text, 80)
    flat = " ".join(text.split())
    assert "rows 0–15, cols 0–15 of 120×120" in flat
    assert f"{120 * 120 - 256} of {120 * 120} values not shown" in flat and "-o out.csv" in flat
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("Output (120×120)"))
    assert (read_matrix(lines, start + 1, (16, 16), True) == expected_texts(values[:16, :16])).all()
    es = " ".join(render(ResultView(values, "T", "s", lang="es"), 80).split())
    assert f"{120 * 120 - 256} de {120 * 120} valores sin mostrar" in es


def trace_output_lines(text: str, output, lang="en"):
    lines = text.splitlines()
    word = "Output" if lang == "en" else "Salida"
    return lines, find_title(lines, f"{word} ({output.shape[0]}×{output.shape[1]})")


@given(conv_problems(max_side=12), st.sampled_from(WIDTHS), st.sampled_from(["en", "es"]), st.booleans(),
       st.booleans())
def test_a_conv_trace_fits_and_ends_with_the_whole_output(p, width, lang, index, colour):
    trace = convtrace.trace_conv2d(p["x"], p["w"], padding=p["pads"], pad_mode=p["mode"], pad_value=p["pad_value"],
                                   stride=p["stride"], dilation=p["dilation"])
    text = render(ConvTraceView(trace, lang=lang, max_steps=3, index=index), width, colour)
    assert_fits(text, width)
    lines, start = trace_output_lines(text, trace.output, lang)
    got = read_matrix(lines, start + 1, trace.output.shape, index)
    assert (got == expected_texts(trace.output)).all()


@given(pool_problems(), st.sampled_from(WIDTHS), st.sampled_from(["en", "es"]))
def test_a_pool_trace_fits_and_ends_with_the_whole_output(p, width, lang):
    if p["mode"] in ("max", "min") and p["x"].dtype.kind == "i" and has_empty_int_window(p):
        return
    trace = convtrace.trace_pool2d(p["x"], p["size"], stride=p["stride"], mode=p["mode"], padding=p["pad"],
                                   ceil_mode=p["ceil_mode"], count_include_pad=p["count_include_pad"],
                                   dilation=p["dilation"])
    text = render(PoolTraceView(trace, lang=lang, max_steps=3), width)
    assert_fits(text, width)
    lines, start = trace_output_lines(text, trace.output, lang)
    assert (read_matrix(lines, start + 1, trace.output.shape, True) == expected_texts(trace.output)).all()
    padded = bool(trace.pad_mask.any())
    if p["mode"] == "max":
        assert ("−∞" in text) == padded and ("+∞" not in text)
    elif p["mode"] == "min":
        assert ("+∞" in text) == padded and ("−∞" not in text)
    else:
        assert "∞" not in text


def test_the_slides_example_numbers_rows_and_columns():
    trace = convtrace.trace_conv2d(np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]]),
                                   [[1, 0], [0, 2]], cells=[(0, 0)])
    text = render(ConvTraceView(trace, selected=True), 100)
    assert [line for line in text.splitlines()][-4:] == ["    0   1   2", "0  60  70  50", "1  60  70  50",
                                                         "2  20  30  20"]
    plain = render(ConvTraceView(trace, selected=True, index=False), 100)
    assert plain.splitlines()[-3:] == ["60  70  50", "60  70  50", "20  30  20"]


def column_ends(line: str) -> list[int]:
    """Where each number on a line ends (brackets and the winner mark are not part of it)."""
    return [m.end(1) for m in re.finditer(r"[\[\{\(]?([^\s\[\]\{\}\(\)\*]+)[\]\}\)]?\*?", line)]


@given(st.integers(2, 7), st.integers(2, 7), st.integers(0, 1), st.integers(0, 2**32 - 1),
       st.sampled_from(["max", "min"]))
def test_winner_marks_never_shift_their_column(h, w, pad, seed, mode):
    x = np.random.default_rng(seed).integers(-999, 1000, (h, w))
    size = 2
    if h + 2 * pad < size or w + 2 * pad < size:
        return
    trace = convtrace.trace_pool2d(x, size, stride=1, padding=pad, mode=mode)
    for n in range(len(trace)):
        step = trace.step(n)
        # The padded input alone, as the step draws it.
        from convtrace.render.views import pad_infinity, padded_view

        winner = None if step.winner is None else (step.origin[0] + step.winner[0], step.origin[1] + step.winner[1])
        view = padded_view(trace.padded[0], trace.pad_mask, step.origin, (size, size), (1, 1), precision=4,
                           title="Input", lang="en", winner=winner, pad_text=pad_infinity(mode))
        lines = render(view, 200).splitlines()[1:]
        header = column_ends(lines[0])
        for line in lines[1:]:
            assert column_ends(line)[1:] == header, (lines[0], line)  # [0] is the row number
        if winner is not None:
            assert sum(line.count("]*") + line.count("}*") for line in lines) == 1


def test_max_pool_padding_is_minus_infinity_and_said_so():
    trace = convtrace.trace_pool2d(np.array([[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]]), 2, padding=1)
    text = render(PoolTraceView(trace, max_steps=1), 80)
    assert "{−∞}" in text and "(−∞)" in text and "[-1]*" in text
    assert "padding counts as −∞: it never wins a max" in text
    assert "max = -1" in text
    es = render(PoolTraceView(trace, max_steps=1, lang="es"), 80)
    assert "el relleno cuenta como −∞: nunca gana un máximo" in es
    mins = render(PoolTraceView(convtrace.trace_pool2d(np.arange(9).reshape(3, 3), 2, padding=1, mode="min"),
                                max_steps=1), 80)
    assert "(+∞)" in mins and "padding counts as +∞" in mins
    avg = render(PoolTraceView(convtrace.trace_pool2d(np.arange(9).reshape(3, 3), 2, padding=1, mode="avg"),
                               max_steps=1), 80)
    assert "∞" not in avg and "{0}" in avg and "divisor 4" in avg


@given(st.integers(0, 2**32 - 1), st.sampled_from([np.int64, np.float64]))
def test_depth_three_filters_show_per_channel_subtotals(seed, dtype):
    rng = np.random.default_rng(seed)
    x = rng.integers(-50, 50, (3, 5, 5)).astype(dtype)
    w = rng.integers(-5, 6, (3, 3, 3)).astype(dtype)
    operation = convtrace.prepare_conv2d(x, w, padding=1, channel_names=("R", "G", "B"))
    trace = operation.trace([(2, 3)])
    step = trace.step(0)
    window = np.pad(x, ((0, 0), (1, 1), (1, 1)))[:, 2:5, 3:6]
    independent = [(window[c] * w[c]).sum() for c in range(3)]
    np.testing.assert_allclose(step.subtotals, independent)
    assert step.bias is None
    text = " ".join(render(ConvTraceView(trace, selected=True), 120).split())
    parts = " · ".join(f"channel {c} ({n}): {fmt_number(step.subtotals[c])}" for c, n in enumerate("RGB"))
    assert f"{parts} → sum {fmt_number(step.total)}" in text
    es = " ".join(render(ConvTraceView(trace, selected=True, lang="es"), 120).split())
    assert "canal 0 (R):" in es and "→ suma" in es


def test_a_two_d_kernel_on_rgb_names_its_outputs_by_channel():
    rgb = np.arange(3 * 4 * 5).reshape(3, 4, 5)
    operation = convtrace.prepare_conv2d(rgb, [[1, 0], [0, -1]], channel_names=("R", "G", "B"))
    names = output_names(operation)
    assert names == ("R", "G", "B")
    text = render(ResultView(operation.run(), "T", "s", channel_names=names), 80)
    assert "Channel R (3×4)" in text and "Channel B (3×4)" in text and "Feature map" not in text
    assert "Canal G (3×4)" in render(ResultView(operation.run(), "T", "s", lang="es", channel_names=names), 80)
    trace_text = render(ConvTraceView(operation.trace([(1, 0, 0)]), selected=True), 80)
    assert "Channel G (3×4)" in trace_text and "channel 1 (G)" in trace_text
    # A depth-3 filter sums the channels: its one output is no channel.
    assert output_names(convtrace.prepare_conv2d(rgb, np.ones((3, 2, 2)), channel_names="RGB")) is None
    pooled = convtrace.prepare_pool2d(rgb, 2, channel_names=("R", "G", "B"))
    assert "Channel R (2×2)" in render(ResultView(pooled.run(), "T", "s", channel_names=output_names(pooled)), 80)
    # Without names: numbers, as before.
    assert "Feature map 0 (3×4)" in render(ResultView(convtrace.conv2d(rgb, [[1]])[:, :3, :4], "T", "s"), 80)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_cropped_step_context_names_exactly_what_it_shows(width):
    x = np.arange(30 * 30).reshape(30, 30)
    trace = convtrace.trace_conv2d(x, np.ones((3, 3), dtype=np.int64), padding=1, cells=[(15, 20)])
    text = render(ConvTraceView(trace, selected=True), width)
    assert_fits(text, width)
    lines = text.splitlines()
    flat = " ".join(text.split())
    m = re.search(r"Output so far \(30×30\) — rows (\d+)–(\d+), cols (\d+)–(\d+) of 30×30", flat)
    assert m, flat
    r0, r1, c0, c1 = (int(v) for v in m.groups())
    assert r0 <= 15 <= r1 and c0 <= 20 <= c1 and r1 - r0 + 1 == 9 and c1 - c0 + 1 == 9
    # The whole output still ends the trace.
    _, start = trace_output_lines(text, trace.output)
    assert (read_matrix(lines, start + 1, (30, 30), True) == expected_texts(trace.output)).all()


def test_a_matrix_view_measures_and_splits_itself():
    view = MatrixView(np.arange(100).reshape(2, 50) * 1000, title="M")
    for width in (20, 37, 60, 80, 120, 400):
        text = render(view, width)
        assert_fits(text, width)
        assert (read_matrix(text.splitlines(), 1, (2, 50), True) == expected_texts(np.arange(100).reshape(2, 50)
                                                                                 * 1000)).all()
