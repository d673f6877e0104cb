"""Exercise sheets and solutions in Markdown, LaTeX and JSON; the new kinds' (transposed convolution,
forward pass) titles, working and graded answers."""

from __future__ import annotations

import numpy as np

from convtrace.messages import translate
from convtrace.messages.grading import (
    CHECK_ALL_CORRECT,
    CHECK_EXPECTED,
    CHECK_LIKELY,
    CHECK_NO_DIAGNOSIS,
    CHECK_SLIP_WORKING,
    CHECK_TITLE,
    CHECK_WORKING,
    QUIZ_EXERCISE,
    QUIZ_LAYER_BIAS,
    QUIZ_LAYER_OUTPUT,
    QUIZ_LAYER_WEIGHTS,
    QUIZ_SEED,
    QUIZ_SOLUTION,
    QUIZ_STATEMENT,
    QUIZ_STATEMENT_PIPELINE,
    QUIZ_STATEMENT_TCONV,
    QUIZ_TITLE,
    TITLE_PIPELINE,
)
from convtrace.messages.network import LABEL_NET_BIAS, LABEL_TCONV_PARAMS, TITLE_TCONV
from convtrace.messages.views import LABEL_INPUT, LABEL_KERNEL
from convtrace.render.export import md_matrix, tex_matrix, to_json, to_latex, to_markdown
from convtrace.render.views import dims, fmt_number, title, working_text


def _pair(pair) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}×{pair[1]}"


def _is_new(obj) -> bool:
    """A transposed convolution or a forward pass (an exercise, an operation or a trace of one)."""
    from convtrace.grading import PipelineRun, PipelineSpec, PipelineTrace
    from convtrace.transpose import ConvTranspose2d, TConvSpec, TConvTrace

    spec = getattr(obj, "spec", None)
    return isinstance(obj, (ConvTranspose2d, TConvTrace, PipelineRun, PipelineTrace)) or \
        isinstance(spec, (TConvSpec, PipelineSpec))


def layers_text(spec, lang: str) -> str:
    """conv (padding 0, bias −2) → relu → maxpool (2×2) …: a forward pass in one line."""
    parts = []
    for layer in spec.layers:
        extra = []
        if layer.kind == "conv":
            extra.append(f"padding {layer.options.get('padding', 0)}")
            if layer.options.get("stride") not in (None, 1, "1"):
                extra.append(f"stride {layer.options.get('stride')}")
            if layer.bias is not None and np.size(layer.bias) == 1:
                extra.append(f"{translate(LABEL_NET_BIAS, lang)} {fmt_number(np.ravel(layer.bias)[0], 4)}")
        if layer.kind in ("maxpool", "avgpool"):
            size = layer.options.get("size", 2)
            extra.append(f"{size}×{size}")
        if layer.kind == "flatten":
            extra.append(str(layer.options.get("order", "chw")))
        if layer.kind == "dense" and layer.weights is not None:
            extra.append(f"{np.shape(layer.weights)[0]}")
        parts.append(layer.kind + (f" ({', '.join(extra)})" if extra else ""))
    return " → ".join(parts)


def exercise_title(obj, lang: str) -> tuple[str, str]:
    """(title, settings line) of any exercise's operation or trace, the new kinds included."""
    from convtrace.transpose import ConvTranspose2d, TConvTrace

    if isinstance(obj, (ConvTranspose2d, TConvTrace)):
        spec = obj.spec
        return translate(TITLE_TCONV, lang), translate(
            LABEL_TCONV_PARAMS, lang, stride=_pair(spec.stride), padding=_pair(spec.padding),
            output_padding=_pair(spec.output_padding), dilation=_pair(spec.dilation))
    if _is_new(obj):
        spec = obj.operation.spec if not hasattr(obj, "network") and hasattr(obj, "operation") else obj.spec
        return translate(TITLE_PIPELINE, lang, layers=layers_text(spec, lang)), ""
    return title(obj, lang)


def statement(ex, lang: str) -> str:
    if ex.is_tconv:
        return translate(QUIZ_STATEMENT_TCONV, lang, params=exercise_title(ex.operation(), lang)[1])
    if ex.is_pipeline:
        return translate(QUIZ_STATEMENT_PIPELINE, lang, layers=layers_text(ex.spec, lang))
    heading, subtitle = title(ex.operation(), lang)
    return translate(QUIZ_STATEMENT, lang, what=heading.split(" (")[0].lower(), params=subtitle)


def _layer_blocks(ex, lang: str):
    """(label, matrix) of every weighted layer of a forward pass: its kernel or weights, and its bias."""
    if not ex.is_pipeline:
        return
    for layer, name in zip(ex.spec.layers, ex.spec.names(), strict=True):
        if layer.weights is None:
            continue
        w = np.asarray(layer.weights)
        yield translate(QUIZ_LAYER_WEIGHTS, lang, layer=name, kind=layer.kind) + f" ({dims(w.shape)})", _flat2d(w)
        if layer.bias is not None:
            yield f"{name}: {translate(QUIZ_LAYER_BIAS, lang)}", np.atleast_2d(np.asarray(layer.bias))


def _flat2d(values):
    values = np.asarray(values)
    return np.atleast_2d(values) if values.ndim < 3 else values.reshape(-1, values.shape[-1])


def working_line(trace, n: int, precision: int = 4) -> str:
    """One cell's working on a line, for every kind of exercise (see :func:`convtrace.render.views.working_text`):
    a transposed convolution's scatter contributions, a forward pass's chain of layers."""
    from convtrace.grading import PipelineTrace
    from convtrace.transpose import TConvTrace

    if isinstance(trace, TConvTrace):
        step = trace.step(n)
        terms = " + ".join(f"{fmt_number(x, precision)}×{_paren(fmt_number(w, precision))}"
                           for *_, x, w, _p in step.contributions)
        return f"{terms or '0'} = {fmt_number(step.result, precision)}"
    if isinstance(trace, PipelineTrace):
        return " ; ".join(f"{name}: {_layer_working(t, precision)}" for name, t in trace.step(n))
    return working_text(trace, n, precision)


def _paren(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def _layer_working(t, precision: int) -> str:
    from convtrace.convolution import ConvTrace
    from convtrace.network import DenseTrace, ElementTrace, FlattenTrace, SoftmaxTrace
    from convtrace.pooling import PoolTrace

    if isinstance(t, ConvTrace):
        text = working_text(t, 0, precision)
        if t.bias is not None:
            bias = np.ravel(t.bias)
            b = bias[int(t.cells[0][0])] if bias.size > 1 else bias[0]
            text += f" {'−' if b < 0 else '+'} {fmt_number(abs(b), precision)} = {fmt_number(t.results[0], precision)}"
        return text
    if isinstance(t, PoolTrace):
        return working_text(t, 0, precision)
    if isinstance(t, DenseTrace):
        terms = " + ".join(f"{fmt_number(x, precision)}×{_paren(fmt_number(w, precision))}"
                           for x, w in zip(t.inputs, t.weights, strict=True))
        bias = "" if t.bias is None else f" + {_paren(fmt_number(t.bias, precision))}"
        return f"{terms}{bias} = {fmt_number(t.result, precision)}"
    if isinstance(t, SoftmaxTrace):
        return f"exp({fmt_number(t.values[t.index], precision)}) / {fmt_number(t.total, precision)} = " \
               f"{fmt_number(t.result, precision)}"
    if isinstance(t, FlattenTrace):
        return f"[{', '.join(str(v) for v in t.source)}] = {fmt_number(t.value, precision)}"
    if isinstance(t, ElementTrace):
        head = t.formula.split(" = ")[0]
        return f"{head.replace('(x)', '(' + fmt_number(t.value, precision) + ')')} = {fmt_number(t.result, precision)}"
    return ""  # pragma: no cover


def sheet_markdown(exercises, seed: int, lang: str) -> str:
    parts = [f"# {translate(QUIZ_TITLE, lang)}", "", translate(QUIZ_SEED, lang, seed=seed), ""]
    for n, ex in enumerate(exercises, start=1):
        parts += [f"## {translate(QUIZ_EXERCISE, lang, n=n)}", "", statement(ex, lang), "",
                  f"{translate(LABEL_INPUT, lang)} ({dims(ex.input.shape)}):", "", md_matrix(ex.input, 4), ""]
        if ex.kernel is not None:
            scale = "" if ex.kernel.scale == 1 else f" × {ex.kernel.scale}"
            parts += [f"{translate(LABEL_KERNEL, lang)}{scale} ({dims(ex.kernel.weights.shape)}):", "",
                      md_matrix(ex.kernel.weights, 4), ""]
        for label, matrix in _layer_blocks(ex, lang):
            parts += [f"{label}:", "", md_matrix(matrix, 4), ""]
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
        for label, matrix in _layer_blocks(ex, lang):
            parts.append(f"{label}: \\[ {tex_matrix(matrix, 4)} \\]")
    return "\n".join(parts) + "\n"


def solutions(traces, lang: str, fmt: str) -> str:
    """Worked solutions from the exercises' traces (see :func:`convtrace.quiz.solve`)."""
    blocks = []
    for n, trace in enumerate(traces, start=1):
        if _is_new(trace):
            blocks.append(_new_solution(trace, n, lang, fmt))
            continue
        name, subtitle = title(trace, lang)
        heading = f"{translate(QUIZ_SOLUTION, lang, n=n)}: {name}"
        if fmt == "latex":
            blocks.append(to_latex(heading, subtitle, trace.output, 4, lang, trace=trace))
        else:
            blocks.append(to_markdown(heading, subtitle, trace.output, 4, lang, trace=trace))
    return "\n".join(blocks)


def keys_json(keys: list[dict]) -> str:
    """Answer keys (see :func:`convtrace.quiz.answer_key`) as one JSON document."""
    return to_json(keys)


def key_files(exercises, keys: list[dict], fmt: str, sheet: str, solution: str) -> dict[str, str]:
    """File name → text of everything ``convtrace quiz -o FOLDER`` writes."""
    suffix = {"markdown": ".md", "latex": ".tex", "json": ".json"}[fmt]
    files = {f"exercises{suffix}": sheet}
    if fmt != "json":
        files[f"solutions{suffix}"] = solution
    for n, key in enumerate(keys, start=1):
        files[f"key-{n:02d}.json"] = to_json(key)
    return files


def _new_solution(trace, n: int, lang: str, fmt: str) -> str:
    """The worked solution of a transposed convolution or a forward pass: every layer's output, every cell's
    working (scatter contributions; the chain of layers that made it)."""
    from convtrace.grading import PipelineTrace

    name, subtitle = exercise_title(trace, lang)
    heading = f"{translate(QUIZ_SOLUTION, lang, n=n)}: {name}"
    matrix = (lambda m: f"\\[ {tex_matrix(_flat2d(m), 4)} \\]") if fmt == "latex" else (lambda m: md_matrix(_flat2d(m), 4))
    parts = [f"\\subsection*{{{heading}}}" if fmt == "latex" else f"## {heading}", ""]
    if subtitle:
        parts += [subtitle, ""]
    if isinstance(trace, PipelineTrace):
        outputs = trace.operation.outputs()
        for nl, out in zip(trace.operation.network.layers, outputs, strict=True):
            parts += [translate(QUIZ_LAYER_OUTPUT, lang, layer=nl.name, kind=nl.kind) + f" ({dims(out.shape)}):", "",
                      matrix(out), ""]
    else:
        parts += [matrix(trace.output), ""]
    item = "\\item " if fmt == "latex" else "- "
    from convtrace.transpose import TConvTrace

    cells = [trace.step(k).out_index if isinstance(trace, TConvTrace) else trace.cells[k] for k in range(len(trace))]
    lines = [f"{item}[{', '.join(str(v) for v in cell)}]: {working_line(trace, k)}" for k, cell in enumerate(cells)]
    if fmt == "latex":
        lines = ["\\begin{itemize}", *lines, "\\end{itemize}"]
    return "\n".join(parts + lines) + "\n"


def grade_markdown(grade, source: str, lang: str, precision: int, score_line: str) -> str:
    """One graded answer in Markdown, for every kind of exercise (the new kinds' working included)."""
    from convtrace.grading import describe

    parts = [f"## {translate(CHECK_TITLE, lang, source=source)}", "", f"**{score_line}**", "",
             f"{translate(CHECK_EXPECTED, lang)}:", "", md_matrix(_flat2d(grade.expected), precision), ""]
    parts += [f"- {describe(d, lang)}" for d in grade.diagnoses]
    for heading, trace, cells in ((CHECK_WORKING, grade.working, grade.working_cells),
                                  (CHECK_SLIP_WORKING, grade.slip_working, grade.slip_cells)):
        if trace is not None:
            parts += ["", f"{translate(heading, lang)}:", ""]
            parts += [f"- `{list(cell)}`: {working_line(trace, k, precision)}"
                      for k, cell in enumerate(cells[:len(trace)])]
    return "\n".join(parts) + "\n"


def grade_text(grade, source: str, lang: str, precision: int, score_line: str) -> str:
    """One graded answer as plain text lines (the terminal view of the new kinds)."""
    from convtrace.grading import describe

    name, subtitle = exercise_title(grade.operation, lang)
    lines = [translate(CHECK_TITLE, lang, source=source), name + (f" · {subtitle}" if subtitle else ""), "",
             (translate(CHECK_ALL_CORRECT, lang) + " " if grade.all_correct else "") + score_line, "",
             f"{translate(CHECK_EXPECTED, lang)}:"]
    for row in _flat2d(grade.expected):
        lines.append("  " + "  ".join(fmt_number(v, precision).rjust(6) for v in row))
    if not grade.all_correct:
        lines += ["", translate(CHECK_LIKELY, lang) + ":"]
        lines += [f"  • {describe(d, lang)}" for d in grade.diagnoses] or \
            [f"  • {translate(CHECK_NO_DIAGNOSIS, lang)}"]
        for heading, trace, cells in ((CHECK_WORKING, grade.working, grade.working_cells),
                                      (CHECK_SLIP_WORKING, grade.slip_working, grade.slip_cells)):
            if trace is not None:
                lines += ["", translate(heading, lang) + ":"]
                lines += [f"  [{', '.join(str(v) for v in cell)}]: {working_line(trace, k, precision)}"
                          for k, cell in enumerate(cells[:len(trace)])]
    return "\n".join(lines) + "\n"
