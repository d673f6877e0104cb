"""Exercise sheets and solutions in Markdown, LaTeX and JSON."""

from __future__ import annotations

import json

from convtrace.i18n import translate
from convtrace.render.export import md_matrix, tex_matrix, to_latex, to_markdown
from convtrace.render.views import conv_title, dims, pool_title


def statement(ex, lang: str) -> str:
    call = ex.call()
    title, subtitle = conv_title(call, lang) if ex.op == "conv2d" else pool_title(call, lang)
    return translate("quiz_statement", lang, what=title.split(" (")[0].lower(), params=subtitle)


def sheet_markdown(exercises, seed: int, lang: str) -> str:
    parts = [f"# {translate('quiz_title', lang)}", "", translate("quiz_seed", lang, seed=seed), ""]
    for n, ex in enumerate(exercises, start=1):
        parts += [f"## {translate('quiz_exercise', lang, n=n)}", "", statement(ex, lang), "",
                  f"{translate('label_input', lang)} ({dims(ex.input.shape)}):", "", md_matrix(ex.input, 4), ""]
        if ex.kernel is not None:
            scale = "" if ex.kernel.scale == 1 else f" × {ex.kernel.scale}"
            parts += [f"{translate('label_kernel', lang)}{scale} ({dims(ex.kernel.weights.shape)}):", "",
                      md_matrix(ex.kernel.weights, 4), ""]
    return "\n".join(parts)


def sheet_latex(exercises, seed: int, lang: str) -> str:
    parts = [f"% {translate('quiz_title', lang)} — {translate('quiz_seed', lang, seed=seed)}"]
    for n, ex in enumerate(exercises, start=1):
        parts.append(f"\\subsection*{{{translate('quiz_exercise', lang, n=n)}}}")
        parts.append(statement(ex, lang))
        kernel = ""
        if ex.kernel is not None:
            scale = "" if ex.kernel.scale == 1 else f"{ex.kernel.scale} \\cdot "
            kernel = f", \\quad K = {scale}{tex_matrix(ex.kernel.weights, 4)}"
        parts.append(f"\\[ X = {tex_matrix(ex.input, 4)}{kernel} \\]")
    return "\n".join(parts) + "\n"


def solutions(exercises, seed: int, lang: str, fmt: str) -> str:
    blocks = []
    for n, ex in enumerate(exercises, start=1):
        call = ex.call()
        trace = call.trace()
        title, subtitle = conv_title(call, lang) if ex.op == "conv2d" else pool_title(call, lang)
        heading = f"{translate('quiz_solution', lang, n=n)}: {title}"
        if fmt == "latex":
            blocks.append(to_latex(heading, subtitle, trace.output, 4, lang, trace=trace))
        else:
            blocks.append(to_markdown(heading, subtitle, trace.output, 4, lang, trace=trace))
    return "\n".join(blocks)


def keys_json(exercises, seed: int) -> str:
    docs = []
    for ex in exercises:
        doc = ex.to_dict()
        doc["seed"] = seed
        doc["expected"] = ex.expected().tolist()
        docs.append(doc)
    return json.dumps(docs, indent=2) + "\n"
