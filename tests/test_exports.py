"""Exports a teacher can paste: Markdown and LaTeX traces with input, padding, kernel, windows, products
and output; LaTeX within an A4 margin and as a standalone document; compact JSON; CSV trace rows.

Checked by reading the text back independently (parsing tables, summing LaTeX terms, json.loads)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import convtrace
from convtrace.render import export
from convtrace.render.matrix import fmt_number
from convtrace.render.views import title
from tests.strategies import conv_problems, has_empty_int_window, pool_problems


def conv_trace(p, cells=None):
    return convtrace.trace_conv2d(p["x"], p["w"], padding=p["pads"], pad_mode=p["mode"], pad_value=p["pad_value"],
                                  stride=p["stride"], dilation=p["dilation"], cells=cells)


# ------------------------------------------------------------------ JSON

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**9, 10**9) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=30)


@given(json_values)
def test_compact_json_is_valid_and_equal_to_the_data(doc):
    assert json.loads(export.to_json(doc)) == doc


@given(st.integers(1, 12), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_json_matrices_are_one_row_per_line(rows, cols, seed):
    x = np.random.default_rng(seed).integers(-999, 1000, (rows + 1, cols + 1))
    operation = convtrace.prepare_conv2d(x, [[1, 0], [0, -1]])
    text = export.to_json(export.result_document(operation, operation.run()))
    doc = json.loads(text)
    assert doc["output"] == convtrace.conv2d(x, [[1, 0], [0, -1]]).tolist()
    lines = text.splitlines()
    start = lines.index('  "output": [')
    for r, row in enumerate(doc["output"]):
        assert json.loads(lines[start + 1 + r].strip().rstrip(",")) == row
    assert len(lines) < 30 + rows   # not one number per line


def test_a_traced_json_keeps_every_field():
    trace = convtrace.trace_pool2d(np.array([[1, 5], [3, 2]]), 2, padding=1, cells=[(0, 0)])
    doc = json.loads(export.to_json(export.result_document(trace.operation, trace.output, trace)))
    assert doc["steps"][0]["winner"] == [1, 1] and doc["steps"][0]["inside"] == [[False, False], [False, True]]


# ------------------------------------------------------------------ CSV


def parse_cell(text: str) -> np.ndarray:
    channels = [[[float(v) for v in row.split()] for row in part.split(";")] for part in text.split("|")]
    return np.array(channels)


@given(conv_problems(max_side=7))
def test_csv_of_a_conv_trace_has_one_row_per_window(p):
    trace = conv_trace(p)
    rows = list(csv.DictReader(io.StringIO(export.to_csv(trace.output, 6, trace=trace))))
    assert len(rows) == len(trace)
    for row, step in zip(rows, trace.steps, strict=True):
        assert (int(row["row"]), int(row["col"])) == step.out_index
        assert (int(row["window_row"]), int(row["window_col"])) == step.origin
        np.testing.assert_allclose(parse_cell(row["window"]), step.window, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(parse_cell(row["kernel"]), step.weights, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(parse_cell(row["products"]), step.products, rtol=1e-5, atol=1e-4)
        assert row["result"] == fmt_number(step.result, 6)


@given(pool_problems())
def test_csv_of_a_pool_trace_names_winner_and_divisor(p):
    if p["mode"] in ("max", "min") and p["x"].dtype.kind == "i" and has_empty_int_window(p):
        return
    trace = convtrace.trace_pool2d(p["x"], p["size"], stride=p["stride"], mode=p["mode"], padding=p["pad"],
                                   ceil_mode=p["ceil_mode"], count_include_pad=p["count_include_pad"],
                                   dilation=p["dilation"])
    rows = list(csv.DictReader(io.StringIO(export.to_csv(trace.output, 4, trace=trace))))
    assert len(rows) == len(trace)
    for row, step in zip(rows, trace.steps, strict=True):
        winner = None if not row["winner_row"] else (int(row["winner_row"]), int(row["winner_col"]))
        assert winner == step.winner and int(row["divisor"]) == step.divisor
        assert row["result"] == fmt_number(step.result, 4)


def test_csv_without_a_trace_is_the_output_as_before():
    assert export.to_csv(np.array([[3], [7]]), 4) == "3\n7\n"


# ------------------------------------------------------------------ Markdown


def md_tables(text: str) -> list[list[list[str]]]:
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append([c.strip() for c in line.strip("|").split("|")])
        elif current:
            tables.append([r for r in current if not set("".join(r)) <= set("-:")])
            current = []
    return tables


def test_markdown_trace_shows_input_padding_kernel_window_products_and_output():
    trace = convtrace.trace_conv2d(np.array([[1, 2], [3, 4]]), [[1, -1], [2, 0]], padding=1, cells=[(1, 1)])
    heading, subtitle = title(trace, "en")
    md = export.to_markdown(heading, subtitle, trace.output, 4, "en", trace=trace)
    for part in ("### Input (2×2)", "### Padded input (4×4)", "(0)", "### Kernel (2×2)", "Window:", "Products:",
                 "- 3 × 2 = 6", "- 2 × -1 = -2", "### Output (3×3)", "**Sum = "):
        assert part in md, part
    tables = md_tables(md)
    output = tables[-1]
    assert output[0] == ["", "0", "1", "2"]
    got = [[cell for cell in row[1:]] for row in output[1:]]
    assert got == [[fmt_number(v) for v in row] for row in trace.output]
    es = export.to_markdown(*title(trace, "es"), trace.output, 4, "es", trace=trace)
    assert "### Entrada con relleno (4×4)" in es and "### Salida (3×3)" in es and "Ventana:" in es


def test_markdown_max_pool_window_shows_minus_infinity():
    trace = convtrace.trace_pool2d(np.array([[-3, -1], [-2, -4]]), 2, padding=1, cells=[(0, 0)])
    md = export.to_markdown(*title(trace, "en"), trace.output, 4, "en", trace=trace)
    assert "(−∞)" in md and "padding counts as −∞" in md and "**-3**" in md


# ------------------------------------------------------------------ LaTeX

#: At most this many visible characters of math on one line of a sum (≈ 300 pt at 10 pt).
MAX_VISIBLE = 80


def visible(line: str) -> str:
    """What a math line shows, roughly: macros, braces, alignment marks and spaces removed."""
    return re.sub(r"\\[a-zA-Z]+|[{}&\s]", "", line)


def align_blocks(tex: str) -> list[list[str]]:
    return [block.strip().split("\\\\\n") for block in re.findall(r"\\begin\{align\*\}\n(.*?)\n\\end\{align\*\}",
                                                                    tex, re.S)]


def terms_value(lines: list[str]) -> Fraction | None:
    """The sum of the ``a \\cdot b`` terms written on the lines (exact), or None when there are none."""
    total, found = Fraction(0), False
    for line in lines:
        for a, b in re.findall(r"\(?(-?[\d.]+)\)? \\cdot \(?(-?[\d.]+)\)?", line):
            total += Fraction(a) * Fraction(b)
            found = True
    return total if found else None


@given(conv_problems(max_side=9, max_k=4, dtypes=(np.int64,)), st.integers(1, 3))
def test_latex_sums_break_into_short_lines_that_add_up(p, depth):
    rng = np.random.default_rng(0)
    x = np.stack([p["x"] * 37] + [rng.integers(-300, 300, p["x"].shape) for _ in range(depth - 1)])
    w = np.stack([p["w"]] * depth)
    trace = convtrace.trace_conv2d(x if depth > 1 else x[0], w if depth > 1 else w[0], padding=p["pads"],
                                   pad_mode=p["mode"], pad_value=p["pad_value"], stride=p["stride"],
                                   dilation=p["dilation"], cells=None)
    steps = trace.steps[:5]
    tex = export.to_latex("T", "s", trace.output, 4, "en", trace=trace)
    blocks = align_blocks(tex)
    assert len(blocks) == len(trace)
    for block, step in zip(blocks, steps, strict=False):
        sum_lines = [line for line in block if "\\cdot" in line]
        for line in sum_lines:
            assert line.count("\\cdot") <= export.TEX_TERMS_PER_LINE, line
            assert len(visible(line)) <= MAX_VISIBLE, line
        assert terms_value(sum_lines) == step.total
        assert f"= {step.total}" in "".join(block)
    for matrix in re.findall(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", tex):
        assert max(row.count("&") for row in matrix.split("\\\\")) + 1 <= export.TEX_MAX_COLS


def test_latex_keeps_the_slides_sum_and_wide_outputs_in_blocks():
    trace = convtrace.trace_conv2d(np.array([[1, 2], [3, 4]]), [[1, -1]])
    tex = export.to_latex("T", "s", trace.output, 4, "en", trace=trace)
    assert r"1 \cdot 1 + 2 \cdot (-1) = -1" in tex and r"\begin{bmatrix}" in tex
    wide = export.to_latex("T", "s", np.arange(2 * 25).reshape(2, 25) * 1001, 4, "es")
    assert r"\text{(columnas 0--" in wide
    shown = [int(v) for m in re.findall(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", wide)
             for v in m.split("\\\\")[0].replace("&", " ").split()]
    assert shown == (np.arange(25) * 1001).tolist()


@pytest.mark.parametrize("lang,babel", [("en", "english"), ("es", "spanish")])
def test_standalone_latex_is_a_whole_document(lang, babel):
    trace = convtrace.trace_pool2d(np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), 2, padding=1, mode="avg")
    heading, subtitle = title(trace, lang)
    tex = export.to_latex(heading, subtitle, trace.output, 4, lang, trace=trace, standalone=True)
    assert tex.startswith("\\documentclass[a4paper]{article}\n")
    for line in ("\\usepackage[utf8]{inputenc}", "\\usepackage{amsmath}", f"\\usepackage[{babel}]{{babel}}",
                 "\\begin{document}"):
        assert line in tex.splitlines()
    assert tex.rstrip().endswith("\\end{document}")
    # Text mode holds no symbol pdflatex's utf8 cannot typeset.
    outside_math = re.sub(r"\$[^$]*\$", "", tex)
    assert not set("×·−∞⌊⌋÷→–") & set(outside_math)
    fragment = export.to_latex(heading, subtitle, trace.output, 4, lang, trace=trace)
    assert "\\documentclass" not in fragment and "\\begin{document}" not in fragment


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_standalone_latex_compiles(tmp_path):  # pragma: no cover - only where TeX is installed
    trace = convtrace.trace_conv2d(np.arange(16).reshape(4, 4), [[1, 0], [0, -1]], padding=1)
    (tmp_path / "t.tex").write_text(export.to_latex(*title(trace, "es"), trace.output, 4, "es", trace=trace,
                                                    standalone=True), encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "Overfull \\hbox" not in done.stdout
