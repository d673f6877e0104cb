"""``convtrace conv``: one convolution, its result or its step-by-step trace."""

from __future__ import annotations

from convtrace.cli.common import (
    DEFAULT_DEVICE,
    AtOpt,
    DeviceOpt,
    DilationOpt,
    FlipOpt,
    ForceOpt,
    InputArg,
    KernelOpt,
    KernelsDirOpt,
    LangOpt,
    MatrixCommand,
    MaxStepsOpt,
    OutputOpt,
    PaddingOpt,
    PadModeOpt,
    PadValueOpt,
    PrecisionOpt,
    StrideOpt,
    TraceOpt,
    examples,
    h,
    input_channel_names,
    language,
    load_kernel,
    read_input,
    user_errors,
)
from convtrace.cli.gallery import FpsOpt, FramesOpt
from convtrace.cli.results import (
    FormatOpt,
    NoIndexOpt,
    RangeMode,
    RangeOpt,
    StandaloneOpt,
    show_operation,
)
from convtrace.messages.help import HELP_CONV
from convtrace.syntax import parse_number_option


def register(app) -> None:
    app.command(
        cls=MatrixCommand,
        help=h(HELP_CONV),
        epilog=examples(
            "convtrace conv samples/binary_5x5.txt -k samples/x_kernel.txt --trace",
            'convtrace conv "21 16 11; 25 22 18; 19 20 21" -k sharpen --trace --lang es',
            "convtrace conv photo.png -k gaussian-5 --padding same --pad-mode reflect -o blurred.png",
            "convtrace conv photo.jpg -k sharpen --padding same -o sharp.jpg",
            "convtrace conv image.txt -k sobel-x --stride 2 --at 1,1 -o step.md",
        ),
    )(conv)


def conv(
    input: InputArg,
    kernel: KernelOpt,
    padding: PaddingOpt = "0",
    pad_mode: PadModeOpt = "zeros",
    pad_value: PadValueOpt = "0",
    stride: StrideOpt = "1",
    dilation: DilationOpt = "1",
    flip: FlipOpt = False,
    trace: TraceOpt = False,
    at: AtOpt = None,
    max_steps: MaxStepsOpt = 25,
    format: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    range_mode: RangeOpt = RangeMode.clip,
    no_index: NoIndexOpt = False,
    standalone: StandaloneOpt = False,
    fps: FpsOpt = 1.0,
    frames: FramesOpt = None,
    precision: PrecisionOpt = 4,
    device: DeviceOpt = DEFAULT_DEVICE,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    lang_code = language(lang)
    with user_errors(lang_code):
        from convtrace.convolution import prepare_conv2d
        from convtrace.spec import ConvSpec

        spec = ConvSpec(padding=padding, pad_mode=pad_mode, pad_value=parse_number_option(pad_value, "--pad-value"), stride=stride,
                        dilation=dilation, flip=flip)
        x = read_input(input)
        operation = prepare_conv2d(x, load_kernel(kernel, kernels_dir), spec, channel_names=input_channel_names(input, x))
        show_operation(operation, trace_wanted=trace, at=at, max_steps=max_steps, fmt=format, out_path=output,
                       force=force, precision=precision, lang=lang_code, device=device.value,
                       range_mode=range_mode, index=not no_index, standalone=standalone, fps=fps, frames=frames)
