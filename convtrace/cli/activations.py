"""``convtrace relu | leaky-relu | sigmoid | tanh | softmax | flatten``: the slides' activations, value by value."""

from __future__ import annotations

import inspect
import io
from typing import Annotated

import typer

from convtrace.cli.common import (
    ForceOpt,
    InputArg,
    LangOpt,
    MatrixCommand,
    OutputOpt,
    PrecisionOpt,
    TraceOpt,
    console,
    examples,
    h,
    language,
    read_input,
    user_errors,
)
from convtrace.cli.net import NetFormat, NetFormatOpt, emit, net_format
from convtrace.messages import translate
from convtrace.messages.network import (
    HELP_ACT_FLATTEN,
    HELP_ACT_LEAKY_RELU,
    HELP_ACT_ORDER,
    HELP_ACT_RELU,
    HELP_ACT_SIGMOID,
    HELP_ACT_SLOPE,
    HELP_ACT_SOFTMAX,
    HELP_ACT_TANH,
)

SlopeOpt = Annotated[float, typer.Option("--slope", help=h(HELP_ACT_SLOPE))]
OrderOpt = Annotated[str, typer.Option("--order", help=h(HELP_ACT_ORDER))]

NAMES = {"relu": "ReLU", "leaky-relu": "LeakyReLU", "sigmoid": "sigmoid", "tanh": "tanh", "softmax": "softmax",
         "flatten": "flatten"}


def _compute(kind: str, x, slope: float, order: str):
    """(output, formula, softmax parts or None)."""
    import numpy as np

    from convtrace import activations
    from convtrace.network import FORMULAS, softmax_parts

    if kind == "relu":
        return activations.relu(x), FORMULAS["relu"], None
    if kind == "leaky-relu":
        return activations.leaky_relu(x, slope), FORMULAS["leaky_relu"].format(slope=slope), None
    if kind == "sigmoid":
        return activations.sigmoid(x), FORMULAS["sigmoid"], None
    if kind == "tanh":
        return activations.tanh(x), FORMULAS["tanh"], None
    if kind == "softmax":
        arr = np.asarray(activations.flatten(x))
        parts = softmax_parts(np.asarray(x))
        return parts[3].reshape(np.shape(x)), FORMULAS["softmax"], (parts[0], parts[1], parts[2], arr)
    from convtrace.network import Layer, build_network

    arr = np.asarray(x)
    net = build_network([Layer("flatten", {"order": order})], arr.shape)
    return net.forward(arr)[-1], "", None


def _command(kind: str):
    def command(
        input: InputArg,
        trace: TraceOpt = False,
        slope: SlopeOpt = 0.01,
        order: OrderOpt = "chw",
        format: NetFormatOpt = None,
        output: OutputOpt = None,
        force: ForceOpt = False,
        precision: PrecisionOpt = 4,
        lang: LangOpt = None,
    ) -> None:
        lang_code = language(lang)
        with user_errors(lang_code):
            import numpy as np

            from convtrace.arrays import WHAT_INPUT, as_numeric_array, check_finite
            from convtrace.messages.network import LABEL_FLATTEN_FROM
            from convtrace.messages.views import LABEL_NOT_SHOWN_JSON
            from convtrace.render.export import nested_list, to_json
            from convtrace.render.matrix import MAX_SIDE, OUTPUT_CAP, MatrixView, crop_note
            from convtrace.render.network import activation_lines, md_matrix

            format = net_format(format, output)
            x = as_numeric_array(read_input(input), WHAT_INPUT)
            check_finite(x, WHAT_INPUT)
            if kind == "flatten" and order.lower() not in ("chw", "hwc"):
                from convtrace.errors import ConvtraceValueError
                from convtrace.messages.network import NET_BAD_VALUE

                raise ConvtraceValueError(NET_BAD_VALUE, where="--order", name="order", value=order,
                                          reason="write chw (PyTorch) or hwc (Keras)")
            y, formula, parts = _compute(kind, x, slope, order.lower())
            lines = []
            if kind == "flatten":
                lines = [translate(LABEL_FLATTEN_FROM, lang_code, shape="×".join(str(v) for v in x.shape), n=y.size,
                                   order=order.lower())]
            elif trace:
                lines = activation_lines(kind.replace("-", "_"), x, y, formula, lang_code, precision,
                                         parts[:3] if parts else None)
            else:
                lines = [formula]
            if format == NetFormat.json:
                doc = {"op": kind.replace("-", "_"), "formula": formula, "input_shape": list(x.shape),
                       "output_shape": list(np.shape(y)), "output": nested_list(y)}
                if trace:
                    doc["steps"] = lines[1:]
                text = to_json(doc)
            elif format == NetFormat.markdown:
                text = "\n".join([f"## {NAMES[kind]}", "", *[f"    {line}" for line in lines], "",
                                  md_matrix(y, precision), ""])
            else:
                from rich.console import Group
                from rich.text import Text

                grid = np.atleast_2d(y) if np.ndim(y) <= 2 else y.reshape(-1, y.shape[-1])
                title, notes = f"{NAMES[kind]} {tuple(np.shape(y))}", []
                if grid.size > OUTPUT_CAP:  # a photo's millions of values: its corner, and how to get them all
                    rows, cols = (0, min(MAX_SIDE, grid.shape[0])), (0, min(MAX_SIDE, grid.shape[1]))
                    title += " " + crop_note(lang_code, rows, cols, grid.shape)
                    grid = grid[:rows[1], :cols[1]]
                    notes = [Text(translate(LABEL_NOT_SHOWN_JSON, lang_code, hidden=int(np.size(y)) - grid.size,
                                            total=int(np.size(y))), style="yellow")]
                view = Group(*[Text(line) for line in lines], Text(""),
                             MatrixView(grid, precision=precision, title=title, lang=lang_code), *notes)
                if output is None:
                    console().print(view)
                    return
                buffer = io.StringIO()
                console(buffer).print(view)
                text = buffer.getvalue()
            emit(text, output, force, lang_code)

    command.__name__ = kind.replace("-", "_")
    # Each command offers only the options it uses: `relu --slope 0.1` is refused as an unknown option
    # (with the framework's own message, translated), never accepted and ignored.
    unused = {"slope"} if kind != "leaky-relu" else set()
    if kind != "flatten":
        unused.add("order")
    signature = inspect.signature(command, eval_str=True)
    command.__signature__ = signature.replace(
        parameters=[p for p in signature.parameters.values() if p.name not in unused])
    return command


ACTIVATION_HELP = {"relu": HELP_ACT_RELU, "leaky-relu": HELP_ACT_LEAKY_RELU, "sigmoid": HELP_ACT_SIGMOID,
                   "tanh": HELP_ACT_TANH, "softmax": HELP_ACT_SOFTMAX, "flatten": HELP_ACT_FLATTEN}


def register(app) -> None:
    for kind in NAMES:
        app.command(
            name=kind,
            cls=MatrixCommand,
            help=h(ACTIVATION_HELP[kind]),
            epilog=examples(f'convtrace {kind} "-3 -1 0; 2 4 1" --trace'),
        )(_command(kind))
