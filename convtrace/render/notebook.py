"""Jupyter displays: traces, operations (their output) and grades show themselves.

(A gallery, :func:`convtrace.render.gallery.gallery_picture`, is a Pillow image: Jupyter shows those
by their own ``_repr_png_``.)

The library layer (``convtrace.convolution``, ``pooling``, ``grading``) may not import rendering, so
it defines no ``_repr_html_``.  Instead this module's :func:`install` registers the displays with
IPython's formatters *by name* (``for_type_by_name``): nothing here imports the library, and a display
is looked up only when IPython meets an object of that type.  ``import convtrace`` calls
:func:`install` when it runs inside IPython; ``%load_ext convtrace.render.notebook`` does it by hand.

The HTML is the interactive page's (:func:`convtrace.render.page.trace_fragment`); the Markdown is the
``--format markdown`` export's.  The language is ``convtrace.render.notebook.LANG``, or the one
``LANG``/``LC_ALL`` name (as on the command line).
"""

from __future__ import annotations

import html

__all__ = ["LANG", "PRECISION", "TYPES", "grade_html", "grade_markdown", "install", "load_ipython_extension",
           "operation_html", "operation_markdown", "trace_html", "trace_markdown"]

#: The language of the displays: None for the environment's (``LANG``), else "en" or "es".
LANG: str | None = None
#: Decimals shown for floats.
PRECISION = 4


def _lang() -> str:
    if LANG:
        return LANG
    from convtrace.messages import detect_lang

    return detect_lang()


def trace_html(trace) -> str | None:
    """A ConvTrace or PoolTrace: the interactive view (click a cell, step, play).

    None (IPython then shows the Markdown sheet) for a trace that keeps only part of a large input or
    output (a photo traced at a few cells): the interactive view needs all of it."""
    from convtrace.render.page import MAX_PAGE_CELLS, trace_fragment

    if getattr(trace, "output_cropped", False) or tuple(trace.padded.shape[1:]) != tuple(trace.pad_mask.shape):
        return None
    if len(trace) > MAX_PAGE_CELLS:
        return operation_html(trace.operation, output=trace.output)
    return trace_fragment(trace, _lang(), PRECISION)


def trace_markdown(trace) -> str:
    from convtrace.render import export, views

    lang = _lang()
    return export.to_markdown(*views.title(trace.operation, lang), trace.output, PRECISION, lang, trace=trace)


def operation_html(operation, output=None) -> str:
    """A Conv2d or Pool2d: its settings and its output, as static tables."""
    from convtrace.render.page import _CSS, matrix_html
    from convtrace.render.views import output_maps, output_names, title

    lang = _lang()
    output = operation.run() if output is None else output
    heading, subtitle = title(operation, lang)
    tables = "".join(matrix_html(grid, PRECISION, title=name)
                     for name, _, grid in output_maps(output, lang, names=output_names(operation)))
    return (f"<style>{_CSS}</style><div class=\"ct-root\"><h2 class=\"ct-title\">{html.escape(heading)}</h2>"
            f"<p class=\"ct-subtitle\">{html.escape(subtitle)}</p>{tables}</div>")


def operation_markdown(operation) -> str:
    from convtrace.render import export, views

    lang = _lang()
    return export.to_markdown(*views.title(operation, lang), operation.run(), PRECISION, lang)


def grade_html(grade, source: str = "answer") -> str:
    """A Grade: the score, the answer with each cell marked beside the expected output, the mistakes and the
    worked cells."""
    import numpy as np

    from convtrace.grading import describe
    from convtrace.messages import translate
    from convtrace.messages.grading import (
        CHECK_EXPECTED,
        CHECK_LIKELY,
        CHECK_WORKING,
        CHECK_YOUR_ANSWER,
    )
    from convtrace.render.check import score_text
    from convtrace.render.page import _CSS, matrix_html
    from convtrace.render.views import title, working_text

    lang = _lang()
    try:
        heading, subtitle = title(grade.operation, lang)
    except (AttributeError, KeyError, TypeError):  # an exercise the trace titles do not cover (a pipeline)
        heading, subtitle = "", ""
    marks = None
    if grade.shape_ok:
        marks = np.where(grade.missing, "ct-pad", np.where(grade.correct, "ct-ok", "ct-bad")).tolist()
    colour = "#15803d" if grade.all_correct else "#b91c1c"
    parts = [f"<style>{_CSS}.ct-root .ct-grid td.ct-ok{{background:#dcfce7}}"
             f".ct-root .ct-grid td.ct-bad{{background:#fee2e2;color:#991b1b;font-weight:700}}</style>",
             '<div class="ct-root">',
             f'<h2 class="ct-title">{html.escape(heading)}</h2><p class="ct-subtitle">{html.escape(subtitle)}</p>',
             f'<p class="ct-sum" style="color:{colour}">{html.escape(score_text(grade, lang))}</p>',
             '<div class="ct-panels"><section class="ct-panel">',
             matrix_html(grade.answer, PRECISION, marks=marks, title=translate(CHECK_YOUR_ANSWER, lang)),
             '</section><section class="ct-panel">',
             matrix_html(grade.expected, PRECISION, title=translate(CHECK_EXPECTED, lang)),
             "</section></div>"]
    if grade.diagnoses:
        parts.append(f"<h3>{html.escape(translate(CHECK_LIKELY, lang))}</h3><ul>")
        parts += [f"<li>{html.escape(describe(d, lang))}</li>" for d in grade.diagnoses]
        parts.append("</ul>")
    if grade.working is not None and len(grade.working):
        parts.append(f"<h3>{html.escape(translate(CHECK_WORKING, lang))}</h3><ul class=\"ct-work\">")
        parts += [f"<li>{html.escape(str(list(cell)))}: {html.escape(working_text(grade.working, n, PRECISION))}</li>"
                  for n, cell in enumerate(grade.working_cells[:len(grade.working)])]
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


def grade_markdown(grade, source: str = "answer") -> str:
    from convtrace.render.check import score_text
    from convtrace.render.grades import grade_markdown as markdown

    lang = _lang()
    return markdown(grade, source, lang, PRECISION, score_text(grade, lang))


#: (module, class name, HTML display, Markdown display) registered with IPython.
TYPES = (
    ("convtrace.convolution", "ConvTrace", trace_html, trace_markdown),
    ("convtrace.pooling", "PoolTrace", trace_html, trace_markdown),
    ("convtrace.convolution", "Conv2d", operation_html, operation_markdown),
    ("convtrace.pooling", "Pool2d", operation_html, operation_markdown),
    ("convtrace.grading", "Grade", grade_html, grade_markdown),
)


def install(shell=None) -> bool:
    """Register the displays with IPython (the running shell when ``shell`` is None); False outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False
    formatters = shell.display_formatter.formatters
    for module, name, to_html, to_markdown in TYPES:
        formatters["text/html"].for_type_by_name(module, name, to_html)
        if to_markdown is not None and "text/markdown" in formatters:
            formatters["text/markdown"].for_type_by_name(module, name, to_markdown)
    return True


def load_ipython_extension(shell) -> None:
    """``%load_ext convtrace.render.notebook``."""
    install(shell)
