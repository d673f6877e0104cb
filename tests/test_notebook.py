"""Jupyter displays: traces, operations and grades show themselves, without the library importing rendering."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convtrace.convolution import prepare_conv2d
from convtrace.grading import Exercise, grade
from convtrace.kernel import Kernel
from convtrace.pooling import prepare_pool2d
from convtrace.render import notebook
from convtrace.spec import ConvSpec
from tests import naive

IMAGE = np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]])
FILTER = np.array([[1, 0], [0, 2]])


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setattr(notebook, "LANG", "en")


def _data(fragment: str) -> dict:
    return json.loads(re.search(r'class="ct-data">(.*?)</script>', fragment, re.S).group(1))


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 6), st.integers(2, 6), st.integers(1, 2), st.integers(0, 2**31))
def test_trace_html_is_the_interactive_view(h, w, k, seed):
    rng = np.random.default_rng(seed)
    x, kernel = rng.integers(-9, 10, size=(h, w)), rng.integers(-3, 4, size=(k, k))
    trace = prepare_conv2d(x, kernel).trace()
    html = notebook.trace_html(trace)
    assert "convtraceInit" in html and 'class="ct-root"' in html
    assert _data(html)["out"][0] == naive.correlate(x, kernel).ravel().tolist()
    # Without JavaScript (a notebook viewer) the output is still there, as a table.
    assert "ct-static" in html


def test_markdown_and_operations():
    trace = prepare_pool2d(IMAGE, 2, mode="max").trace()
    md = notebook.trace_markdown(trace)
    assert "30" in md and "|" in md
    op = prepare_conv2d(IMAGE, FILTER)
    html = notebook.operation_html(op)
    cells = [int(v) for v in re.findall(r"<td>(-?\d+)</td>", html)]
    assert cells == [60, 70, 50, 60, 70, 50, 20, 30, 20]
    assert "60" in notebook.operation_markdown(op)


def test_grade_html_marks_cells(monkeypatch):
    monkeypatch.setattr(notebook, "LANG", "es")
    g = grade(Exercise(ConvSpec(), IMAGE, Kernel("f", FILTER)), [[60, 70, 50], [60, 70, 50], [20, 30, 21]])
    html = notebook.grade_html(g)
    assert html.count('class="ct-bad"') == 1 and html.count('class="ct-ok"') == 8
    assert "Tu respuesta" in html
    assert "8/9" in notebook.grade_markdown(g) and "8/9" in html


def test_ipython_formatters():
    ipython = pytest.importorskip("IPython", reason="IPython not installed: pip install ipython")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        assert notebook.install(shell)
        bundle, _ = shell.display_formatter.format(prepare_conv2d(IMAGE, FILTER).trace())
        assert "convtraceInit" in bundle["text/html"]
        assert "text/markdown" in bundle
        bundle, _ = shell.display_formatter.format(prepare_pool2d(IMAGE, 2))
        assert "Max pooling" in bundle["text/html"]
    finally:
        InteractiveShell.clear_instance()
    assert ipython


def test_import_convtrace_registers_lazily_inside_ipython():
    """``import convtrace`` under IPython registers the displays by name: the library is not imported."""
    pytest.importorskip("IPython", reason="IPython not installed: pip install ipython")
    code = (
        "import sys\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "import convtrace\n"
        "html = shell.display_formatter.formatters['text/html']\n"
        "assert ('convtrace.convolution', 'ConvTrace') in html.deferred_printers\n"
        "assert ('convtrace.grading', 'Grade') in html.deferred_printers\n"
        "assert 'convtrace.convolution' not in sys.modules and 'numba' not in sys.modules\n"
        "t = convtrace.trace_conv2d([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]], [[1, 0], [0, 2]])\n"
        "bundle, _ = shell.display_formatter.format(t)\n"
        "assert 'ct-root' in bundle['text/html']\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")


def test_outside_ipython_nothing_happens():
    assert notebook.install(None) is False      # no IPython shell is running under pytest
    done = subprocess.run([sys.executable, "-c", "import sys, convtrace; assert 'IPython' not in sys.modules"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
