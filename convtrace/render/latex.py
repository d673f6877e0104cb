"""Results and traces as LaTeX for amsmath: a fragment, or a whole compilable A4 document.

Every line stays within an A4 page's margin: wide matrices are split into column blocks and long
sums into ``align*`` lines.  The sheet's structure (context matrices, crops, step headings, output
maps) is the Markdown sheet's, from :mod:`convtrace.render.markdown`.  All numbers come from the engine.
"""

from __future__ import annotations

import numpy as np

from convtrace.convolution import ConvTrace
from convtrace.messages import translate
from convtrace.messages.views import LABEL_EXPORT_LEGEND
from convtrace.render.markdown import _context_mats, _corner, _md_step_heading, _output_blocks
from convtrace.render.matrix import block_label
from convtrace.render.views import fmt_number, output_names, pad_infinity

#: Width of the text block of an A4 ``article`` at 10 pt (points), less the room an ``align*``
#: line's left side takes: what one line of a trace may fill.
TEX_LINE_PT = 300.0
#: Most multiply terms on one line of a sum.
TEX_TERMS_PER_LINE = 8
#: Most columns in one ``bmatrix`` (amsmath's MaxMatrixCols).
TEX_MAX_COLS = 10

_TEX_TEXT = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
    "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "×": r"$\times$", "·": r"$\cdot$", "−": r"$-$", "∞": r"$\infty$", "÷": r"$\div$", "→": r"$\to$",
    "⌊": r"$\lfloor$", "⌋": r"$\rfloor$", "⌈": r"$\lceil$", "⌉": r"$\rceil$", "–": "--", "…": r"\dots{}",
    "°": r"$^\circ$",
}


def tex_text(text: str) -> str:
    """Plain text (a title, a label) made safe for LaTeX's text mode."""
    return "".join(_TEX_TEXT.get(ch, ch) for ch in text)


def _tex_number(value, precision: int) -> str:
    text = fmt_number(value, precision)
    return text.replace("inf", r"\infty")


def tex_width(tex: str) -> float:
    """About how wide (points, 10 pt Computer Modern) a piece of math is: for line breaking."""
    width = 0.0
    rest = tex
    for macro, w in ((r"\cdot", 7.2), (r"\infty", 10.0), (r"\times", 12.0), (r"\odot", 12.0), (r"\max", 18.0),
                     (r"\min", 16.0), (r"\sum", 14.0), (r"\quad", 10.0), (r"\bigl(", 5.0), (r"\bigr)", 5.0)):
        width += rest.count(macro) * w
        rest = rest.replace(macro, "")
    for ch in rest:
        if ch.isdigit() or ch.isalpha():
            width += 5.0
        elif ch in "+=-":
            width += 12.0 if ch != "-" else 7.8
        elif ch in "()[],.":
            width += 3.9
    return width


def tex_matrix(values, precision: int, *, window=None, padding=None, pad_text: str | None = None) -> str:
    """A ``bmatrix``; ``window`` cells in bold, ``padding`` cells in parentheses (``pad_text``: −∞ …)."""
    values = np.atleast_2d(np.asarray(values))
    rows = []
    for r in range(values.shape[0]):
        cells = []
        for c in range(values.shape[1]):
            is_pad = padding is not None and bool(padding[r, c])
            text = pad_text if (is_pad and pad_text is not None) else _tex_number(values[r, c], precision)
            if is_pad:
                text = f"({text})"
            if window is not None and window[r, c]:
                text = rf"\mathbf{{{text}}}"
            cells.append(text)
        rows.append(" & ".join(cells))
    return r"\begin{bmatrix} " + r" \\ ".join(rows) + r" \end{bmatrix}"


def _tex_matrix_width(values, precision: int) -> float:
    values = np.atleast_2d(np.asarray(values))
    cols = [max(tex_width(_tex_number(v, precision)) for v in values[:, c]) + 10.0 for c in range(values.shape[1])]
    return sum(cols) + 10.0


def _tex_col_blocks(values, precision: int, *, budget: float = TEX_LINE_PT) -> list[tuple[int, int]]:
    """Column ranges of a matrix that each fit one line (and amsmath's 10 columns)."""
    values = np.atleast_2d(np.asarray(values))
    widths = [max(tex_width(_tex_number(v, precision)) for v in values[:, c]) + 10.0 for c in range(values.shape[1])]
    blocks, start, used = [], 0, 10.0
    for c, w in enumerate(widths):
        if c > start and (used + w > budget or c - start >= TEX_MAX_COLS):
            blocks.append((start, c))
            start, used = c, 10.0
        used += w
    blocks.append((start, len(widths)))
    return blocks


def tex_display(name: str, values, precision: int, lang: str, **marks) -> list[str]:
    """``\\[ name = bmatrix \\]``, split into labelled column blocks when too wide for the page."""
    values = np.atleast_2d(np.asarray(values))
    blocks = _tex_col_blocks(values, precision)
    if len(blocks) == 1:
        return [rf"\[ {name} = {tex_matrix(values, precision, **marks)} \]"]
    out = []
    for c0, c1 in blocks:
        sub = {k: (None if v is None else np.asarray(v)[:, c0:c1]) if k != "pad_text" else v for k, v in marks.items()}
        label = tex_text(block_label(lang, c0, c1 - 1))
        out.append(rf"\[ {name}\ \text{{({label})}} = {tex_matrix(values[:, c0:c1], precision, **sub)} \]")
    return out


def _tex_term(a, b, precision: int) -> str:
    left, right = _tex_number(a, precision), _tex_number(b, precision)
    if left.startswith("-"):
        left = f"({left})"
    if right.startswith("-"):
        right = f"({right})"
    return f"{left} \\cdot {right}"


def tex_lines(first: str, pieces: list[str], tail: list[str]) -> list[str]:
    """``first &= p1 + p2 …`` broken into ``align*`` lines of at most TEX_TERMS_PER_LINE pieces and
    TEX_LINE_PT points; ``tail`` (``= 60``, ``\\times 1/9 = 5``) follows the last piece."""
    lines, current, used = [], [], 0.0
    for piece in pieces:
        w = tex_width(piece) + 12.0
        if current and (len(current) >= TEX_TERMS_PER_LINE or used + w > TEX_LINE_PT):
            lines.append(current)
            current, used = [], 0.0
        current.append(piece)
        used += w
    lines.append(current)
    for item in tail:
        w = tex_width(item)
        if used + w > TEX_LINE_PT and lines[-1]:
            lines.append([])
            used = 0.0
        lines[-1] = [*lines[-1][:-1], f"{lines[-1][-1]} {item}"] if lines[-1] else [item]
        used += w
    out = []
    for n, line in enumerate(lines):
        lead = (f"{first} &= " if first else "&= ") if n == 0 else r"&\quad + " if not line[0].startswith(("=", r"\times")) else "&\\quad "
        out.append(lead + " + ".join(line))
    return out


def _align(lines: list[str]) -> str:
    return "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}"


def _tex_conv_step(trace, step, precision: int) -> str:
    index = ",".join(str(v) for v in step.out_index)
    groups = step.window.shape[0]
    lines = []
    for g in range(groups):
        w, k = tex_matrix(step.window[g], precision), tex_matrix(step.weights[g], precision)
        pair_width = _tex_matrix_width(step.window[g], precision) + _tex_matrix_width(step.weights[g], precision)
        lead = f"y_{{{index}}} &= " if g == 0 else r"&\quad + "
        if pair_width + 30 <= TEX_LINE_PT:
            lines.append(f"{lead}\\sum {w} \\odot {k}")
        else:
            lines += [f"{lead}\\sum {w}", rf"&\qquad \odot {k}"]
    terms = [_tex_term(step.window[g, a, b], step.weights[g, a, b], precision)
             for g in range(groups) for a in range(step.window.shape[1]) for b in range(step.window.shape[2])]
    tail = [f"= {_tex_number(step.total, precision)}"]
    if trace.scale != 1:
        tail.append(f"\\times {trace.scale} = {_tex_number(step.result, precision)}")
    body = tex_lines("", terms, tail)
    if groups > 1 and step.subtotals is not None:   # the channels' subtotals, then their sum
        subs = [_tex_number(step.subtotals[g], precision) for g in range(groups)]
        body += tex_lines("", [v if not v.startswith("-") else f"({v})" for v in subs], tail[:1])
    return _align(lines + body)


def _tex_pool_step(trace, step, precision: int) -> str:
    index = ",".join(str(v) for v in step.out_index)
    mode = trace.params["mode"]
    outside = ~np.asarray(step.inside)
    marks = np.zeros(step.window.shape, dtype=bool)
    if step.winner is not None:
        marks[step.winner] = True
    if mode in ("max", "min"):
        window = tex_matrix(np.where(step.inside, step.window, 0), precision, window=marks,
                            padding=outside if outside.any() else None, pad_text=pad_infinity(mode).replace("∞", r"\infty")
                            .replace("−", "-"))
        return _align([f"y_{{{index}}} &= \\{mode} {window} = {_tex_number(step.result, precision)}"])
    cells = [_tex_number(v, precision) for v in step.window[step.inside]]
    cells = [c if not c.startswith("-") else f"({c})" for c in cells] or ["0"]
    if mode == "avg":   # the sum of the cells, then the division
        lines = tex_lines(f"s_{{{index}}}", cells, [f"= {_tex_number(step.total, precision)}"])
        lines.append(f"y_{{{index}}} &= \\frac{{{_tex_number(step.total, precision)}}}{{{step.divisor}}} = "
                     f"{_tex_number(step.result, precision)}")
        return _align(lines)
    return _align(tex_lines(f"y_{{{index}}}", cells, [f"= {_tex_number(step.result, precision)}"]))


TEX_PREAMBLE = {
    "en": "english",
    "es": "spanish",
}


def to_latex(title: str, subtitle: str, output, precision: int, lang: str, trace=None, *,
             standalone: bool = False, channel_names=None, selected: bool = False) -> str:
    """The result (and with ``trace`` the input, padding, kernel and every window's working) as LaTeX
    for amsmath, every line within an A4 page's margin; ``standalone``: a whole compilable document;
    ``selected``: see :func:`~convtrace.render.markdown.to_markdown`."""
    parts = []
    if standalone:
        parts += [r"\section*{" + tex_text(title) + "}", tex_text(subtitle), ""]
    else:
        parts += [f"% {title}", f"% {subtitle}"]
    names = channel_names
    if trace is not None:
        names = output_names(trace.operation)
        contexts = _context_mats(trace, lang)
        if any(item[2] is not None for item in contexts):
            legend = translate(LABEL_EXPORT_LEGEND, lang)
            parts.append(tex_text(legend) if standalone else f"% {legend}")
        for heading, values, pad_mask, pad_text, symbol, origin, shape in contexts:
            values = np.atleast_2d(values)
            rows, cols, note = _corner(values, lang, origin, shape)
            cut = (slice(rows[0] - origin[0], rows[1] - origin[0]), slice(cols[0] - origin[1], cols[1] - origin[1]))
            parts.append(r"\paragraph{" + tex_text(heading + note) + "}" if standalone else f"% {heading}{note}")
            tex_pad = None if pad_text is None else pad_text.replace("∞", r"\infty").replace("−", "-")
            parts += tex_display(symbol, values[cut], precision, lang,
                                 padding=None if pad_mask is None else pad_mask[cut], pad_text=tex_pad)
        for n, step in enumerate(trace.steps):
            heading = _md_step_heading(trace, n, step, lang, selected)
            parts.append(r"\paragraph{" + tex_text(heading) + "}" if standalone else f"% {heading}")
            parts.append(_tex_conv_step(trace, step, precision) if isinstance(trace, ConvTrace)
                         else _tex_pool_step(trace, step, precision))
    for heading, grid, _, _ in _output_blocks(output, lang, names, trace):
        parts.append(r"\paragraph{" + tex_text(heading) + "}" if standalone else f"% {heading}")
        parts += tex_display("Y", grid, precision, lang)
    body = "\n".join(parts) + "\n"
    if not standalone:
        return body
    babel = TEX_PREAMBLE.get(lang, "english")
    head = "\n".join([
        r"\documentclass[a4paper]{article}",
        r"\usepackage[utf8]{inputenc}",
        r"\usepackage[T1]{fontenc}",
        rf"\usepackage[{babel}]{{babel}}",
        r"\usepackage{amsmath}",
        r"\setlength{\parindent}{0pt}",
        r"\begin{document}",
        "",
    ])
    return head + "\n" + body + "\n" + r"\end{document}" + "\n"
