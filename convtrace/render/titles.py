"""The lines above a result or a trace: its title, its settings line and the output-size arithmetic.

Shared by the terminal views, the HTML page, the pictures and the exports (all through
:mod:`convtrace.render.views`, which re-exports these names).
"""

from __future__ import annotations

from rich.text import Text

from convtrace.messages import Term, translate
from convtrace.messages.views import (
    LABEL_CEIL_DROP,
    LABEL_COLS,
    LABEL_DILATED_SPAN,
    LABEL_NEVER_READ,
    LABEL_OUTPUT_SIZE,
    LABEL_PARAMS,
    LABEL_POOL_PARAMS,
    LABEL_ROWS,
    TITLE_CONVOLUTION,
    TITLE_CORRELATION,
    TITLE_POOL,
)
from convtrace.params import SizeArithmetic
from convtrace.spec import ConvSpec


def size_lines(rows: SizeArithmetic, cols: SizeArithmetic, lang: str, ceil_mode: bool = False) -> list[Text]:
    """⌊(n + p − k)/s⌋ + 1 with the numbers filled in, per axis, and rows/cols never read."""
    lines = [Text(translate(LABEL_OUTPUT_SIZE, lang) + ":", style="bold")]
    for arith, axis_key in ((rows, LABEL_ROWS), (cols, LABEL_COLS)):
        if arith.pad_before == arith.pad_after:
            pad = f"2·{arith.pad_before}"
        else:
            pad = f"{arith.pad_before}+{arith.pad_after}"
        span = arith.span if arith.dilation > 1 else arith.k
        left, right = ("⌈", "⌉") if ceil_mode else ("⌊", "⌋")
        formula = f"{left}({arith.n} + {pad} − {span})/{arith.stride}{right} + 1 = {arith.size}"
        extra = ""
        if arith.dilation > 1:
            extra = f"   ({translate(LABEL_DILATED_SPAN, lang, span=f'{arith.dilation}·({arith.k}−1)+1 = {arith.span}')})"
        if ceil_mode and arith.size != (-(-arith.numerator // arith.stride) + 1):
            extra += "   (" + translate(LABEL_CEIL_DROP, lang) + ")"
        lines.append(Text(f"  {translate(axis_key, lang)}: {formula}{extra}"))
        if arith.never_read:
            which = ", ".join(str(p) for p in arith.never_read)
            axis_name = translate(axis_key, lang)
            lines.append(Text("  " + translate(LABEL_NEVER_READ, lang, axis=axis_name, which=which), style="yellow"))
    return lines


def _pads_text(pads) -> str:
    top, bottom, left, right = pads
    if top == bottom == left == right:
        return str(top)
    return f"({top}, {bottom}, {left}, {right})"


def _pair_text(pair) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}×{pair[1]}"

def title(operation, lang: str) -> tuple[str, str]:
    """(title, settings line) of an operation, or of its trace."""
    if isinstance(operation.spec, ConvSpec):
        return conv_title(operation, lang)
    return pool_title(operation, lang)


def conv_title(trace, lang: str) -> tuple[str, str]:
    p = trace.params
    title = translate(TITLE_CONVOLUTION if p["flip"] else TITLE_CORRELATION, lang)
    subtitle = translate(LABEL_PARAMS, lang, pads=_pads_text(p["pads"]), mode=Term(f"pad_mode_{p['pad_mode']}"),
                         stride=_pair_text(p["stride"]), dilation=_pair_text(p["dilation"]))
    return title, subtitle


def pool_title(trace, lang: str) -> tuple[str, str]:
    p = trace.params
    title = translate(TITLE_POOL, lang, mode=translate(f"mode_{p['mode']}", lang))
    extra = ""
    if p["ceil_mode"]:
        extra += " · ceil_mode"
    if p["mode"] == "avg" and not p["count_include_pad"]:
        extra += " · exclude-pad"
    subtitle = translate(LABEL_POOL_PARAMS, lang, size=_pair_text(p["size"]), stride=_pair_text(p["stride"]),
                         pads=_pads_text(p["pads"]), dilation=_pair_text(p["dilation"]), extra=extra)
    return title, subtitle
