"""``convtrace pool``: one pooling, its result or its step-by-step trace."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from convtrace.cli.common import (
    DEFAULT_DEVICE,
    AtOpt,
    CeilOpt,
    DeviceOpt,
    DilationOpt,
    ExcludePadOpt,
    ForceOpt,
    InputArg,
    LangOpt,
    MatrixCommand,
    MaxStepsOpt,
    OutputOpt,
    PaddingOpt,
    PoolStrideOpt,
    PrecisionOpt,
    TraceOpt,
    examples,
    h,
    input_channel_names,
    language,
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
from convtrace.messages.help import HELP_POOL, HELP_POOL_MODE, HELP_SIZE
from convtrace.names import POOL_MODES

PoolMode = Enum("PoolMode", {name: name for name in POOL_MODES}, type=str)


def register(app) -> None:
    app.command(
        cls=MatrixCommand,
        help=h(HELP_POOL),
        epilog=examples(
            "convtrace pool samples/feature_map_5x5.txt --size 3 --stride 1 --trace",
            'convtrace pool "0.3 0.6 1; 0.5 0.1 0.3; 1 0.5 0.9" --size 2 --stride 1 --trace',
            "convtrace pool map.txt --mode avg --size 2 --padding 1 --ceil --exclude-pad --trace",
            "convtrace pool photo.png --size 4 -o small.png",
        ),
    )(pool)


def pool(
    input: InputArg,
    mode: Annotated[PoolMode, typer.Option("--mode", help=h(HELP_POOL_MODE), case_sensitive=False)] = PoolMode["max"],
    size: Annotated[str, typer.Option("--size", help=h(HELP_SIZE), metavar="SIZE")] = "2",
    stride: PoolStrideOpt = None,
    padding: PaddingOpt = "0",
    dilation: DilationOpt = "1",
    ceil: CeilOpt = False,
    exclude_pad: ExcludePadOpt = False,
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
) -> None:
    lang_code = language(lang)
    with user_errors(lang_code):
        from convtrace.pooling import prepare_pool2d
        from convtrace.spec import PoolSpec

        spec = PoolSpec(size=size, mode=PoolMode(mode).value, stride=stride, padding=padding, ceil_mode=ceil,
                        count_include_pad=not exclude_pad, dilation=dilation)
        x = read_input(input)
        operation = prepare_pool2d(x, spec=spec, channel_names=input_channel_names(input, x))
        show_operation(operation, trace_wanted=trace, at=at, max_steps=max_steps, fmt=format, out_path=output,
                       force=force, precision=precision, lang=lang_code, device=device.value,
                       range_mode=range_mode, index=not no_index, standalone=standalone, fps=fps, frames=frames)
