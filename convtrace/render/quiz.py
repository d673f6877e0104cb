"""Exercise sheets and solutions in Markdown, LaTeX and JSON."""

from __future__ import annotations

import json

from convtrace.messages import translate
from convtrace.messages.grading import (
    QUIZ_EXERCISE,
    QUIZ_SEED,
    QUIZ_SOLUTION,
    QUIZ_STATEMENT,
    QUIZ_TITLE,
)
from convtrace.messages.views import LABEL_INPUT, LABEL_KERNEL
from convtrace.render.export import md_matrix, tex_matrix, to_latex, to_markdown
from convtrace.render.views import dims, title


def statement(ex, lang: str) -> str:
    heading, subtitle = title(ex.operation(), lang)
    return translate(QUIZ_STATEMENT, lang, what=heading.split(" (")[0].lower(), params=subtitle)


def sheet_markdown(exercises, seed: int, lang: str) -> str:
    parts = [f"# {translate(QUIZ_TITLE, lang)}", "", translate(QUIZ_SEED, lang, seed=seed), ""]
    for n, ex in enumerate(exercises, start=1):
        parts += [f"## {translate(QUIZ_EXERCISE, lang, n=n)}", "", statement(ex, lang), "",
                  f"{translate(LABEL_INPUT, lang)} ({dims(ex.input.shape)}):", "", md_matrix(ex.input, 4), ""]
        if ex.kernel is not None:
            scale = "" if ex.kernel.scale == 1 else f" × {ex.kernel.scale}"
            parts += [f"{translate(LABEL_KERNEL, lang)}{scale} ({dims(ex.kernel.weights.shape)}):", "",
                      md_matrix(ex.kernel.weights, 4), ""]
    return "\n".join(parts)


def sheet_latex(exercises, seed: int, lang: str) -> str:
    parts = [f"% {translate(QUIZ_TITLE, lang)} — {translate(QUIZ_SEED, lang, seed=seed)}"]
    for n, ex in enumerate(exercises, start=1):
        parts.append(f"\\subsection*{{{translate(QUIZ_EXERCISE, lang, n=n)}}}")
        parts.append(statement(ex, lang))
        kernel = ""
        if ex.kernel is not None:
            scale = "" if ex.kernel.scale == 1 else f"{ex.kernel.scale} \\cdot "
            kernel = f", \\quad K = {scale}{tex_matrix(ex.kernel.weights, 4)}"
        parts.append(f"\\[ X = {tex_matrix(ex.input, 4)}{kernel} \\]")
    return "\n".join(parts) + "\n"


def solutions(traces, lang: str, fmt: str) -> str:
    """Worked solutions from the exercises' traces (see :func:`convtrace.quiz.solve`)."""
    blocks = []
    for n, trace in enumerate(traces, start=1):
        name, subtitle = title(trace, lang)
        heading = f"{translate(QUIZ_SOLUTION, lang, n=n)}: {name}"
        if fmt == "latex":
            blocks.append(to_latex(heading, subtitle, trace.output, 4, lang, trace=trace))
        else:
            blocks.append(to_markdown(heading, subtitle, trace.output, 4, lang, trace=trace))
    return "\n".join(blocks)


def keys_json(keys: list[dict]) -> str:
    """Answer keys (see :func:`convtrace.quiz.answer_key`) as one JSON document."""
    return json.dumps(keys, indent=2) + "\n"


def key_files(exercises, keys: list[dict], fmt: str, sheet: str, solution: str) -> dict[str, str]:
    """File name → text of everything ``convtrace quiz -o FOLDER`` writes."""
    suffix = {"markdown": ".md", "latex": ".tex", "json": ".json"}[fmt]
    files = {f"exercises{suffix}": sheet}
    if fmt != "json":
        files[f"solutions{suffix}"] = solution
    for n, key in enumerate(keys, start=1):
        files[f"key-{n:02d}.json"] = json.dumps(key, indent=2) + "\n"
    return files
