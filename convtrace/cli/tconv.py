"""``convtrace tconv``: transposed convolution, its output or each cell as scatter and as gather."""

from __future__ import annotations

import io
from typing import Annotated

import typer

from convtrace.cli.common import (
    AtOpt,
    DilationOpt,
    ForceOpt,
    InputArg,
    KernelOpt,
    KernelsDirOpt,
    LangOpt,
    MatrixCommand,
    MaxStepsOpt,
    OutputOpt,
    PrecisionOpt,
    StrideOpt,
    TraceOpt,
    console,
    examples,
    h,
    language,
    load_kernel,
    read_input,
    user_errors,
)
from convtrace.cli.gallery import FpsOpt, FramesOpt
from convtrace.cli.net import NetFormat, NetFormatOpt, emit, net_format
from convtrace.messages.network import HELP_TCONV, HELP_TCONV_OUTPUT_PADDING, HELP_TCONV_PADDING

TPaddingOpt = Annotated[str, typer.Option("--padding", "-p", help=h(HELP_TCONV_PADDING))]
OutputPaddingOpt = Annotated[str, typer.Option("--output-padding", help=h(HELP_TCONV_OUTPUT_PADDING))]


def register(app) -> None:
    app.command(
        cls=MatrixCommand,
        help=h(HELP_TCONV),
        epilog=examples(
            'convtrace tconv "1 2; 3 4" -k "1 0; 0 1" --stride 2 --trace',
            'convtrace tconv "1 2; 3 4" -k "1 1 1; 1 1 1; 1 1 1" --stride 2 --padding 1 --output-padding 1',
            "convtrace tconv x.npy -k w.npy --stride 2 --format json",
        ),
    )(tconv)


def tconv(
    input: InputArg,
    kernel: KernelOpt,
    stride: StrideOpt = "1",
    padding: TPaddingOpt = "0",
    output_padding: OutputPaddingOpt = "0",
    dilation: DilationOpt = "1",
    trace: TraceOpt = False,
    at: AtOpt = None,
    max_steps: MaxStepsOpt = 25,
    format: NetFormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    fps: FpsOpt = 1.0,
    frames: FramesOpt = None,
    precision: PrecisionOpt = 4,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    lang_code = language(lang)
    with user_errors(lang_code):
        import numpy as np

        from convtrace.cli.results import parse_cells
        from convtrace.render.export import to_json
        from convtrace.render.network import TConvView, tconv_document, tconv_markdown
        from convtrace.transpose import TConvSpec, prepare_conv_transpose2d

        spec = TConvSpec(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
        k = load_kernel(kernel, kernels_dir)
        weights = np.asarray(getattr(k, "weights", k))
        scale = getattr(k, "scale", 1)
        if scale != 1:
            weights = weights * float(scale)
        op = prepare_conv_transpose2d(read_input(input), weights, spec)
        gif = output is not None and output.suffix.lower() == ".gif"
        if gif or frames is not None:
            from convtrace.cli.gallery import save_animation

            save_animation(op, at=at, max_steps=max_steps, out_path=output if gif else None, frames_dir=frames,
                           fps=fps, force=force, lang=lang_code, precision=precision)
            if gif:
                return
        cells = parse_cells(at)
        traced = None
        if trace or cells:
            if cells is None and max_steps > 0:
                from convtrace.arrays import first_cells

                cells = first_cells(op.out_shape3, max_steps, op.squeeze)
            traced = op.trace(cells)
        format = net_format(format, output)
        out = traced.output if traced is not None else op.run()
        if format == NetFormat.json:
            text = to_json(tconv_document(op, out, traced, max_steps))
        elif format == NetFormat.markdown:
            text = tconv_markdown(op, out, traced, lang_code, precision, max_steps)
        else:
            view = TConvView(op, out, traced, lang=lang_code, precision=precision, max_steps=0 if at else max_steps)
            if output is None:
                console().print(view)
                return
            buffer = io.StringIO()
            console(buffer).print(view)
            text = buffer.getvalue()
        emit(text, output, force, lang_code)
