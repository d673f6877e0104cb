"""``convtrace net``: a small CNN from a spec file, its summary, every layer's output, any cell traced."""

from __future__ import annotations

import io
import re
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from convtrace.cli.common import (
    ForceOpt,
    InputArg,
    KernelsDirOpt,
    LangOpt,
    MatrixCommand,
    OutputOpt,
    PrecisionOpt,
    console,
    examples,
    h,
    language,
    read_input,
    user_errors,
)
from convtrace.cli.gallery import FpsOpt, FramesOpt, MapsOpt, save_maps, save_net_animation
from convtrace.errors import ConvtraceValueError
from convtrace.messages.network import (
    HELP_NET,
    HELP_NET_FORMAT,
    HELP_NET_SEED,
    HELP_NET_SPEC,
    HELP_NET_TRACE,
    NET_BAD_TRACE,
)
from convtrace.messages.pictures import PIC_NET_GIF_NEEDS_TRACE


class NetFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


SpecArg = Annotated[Path, typer.Argument(help=h(HELP_NET_SPEC), metavar="SPEC", show_default=False)]
NetTraceOpt = Annotated[str | None, typer.Option("--trace", "-t", help=h(HELP_NET_TRACE), metavar="LAYER[:I,J]",
                                                 show_default=False)]
SeedOpt = Annotated[int | None, typer.Option("--seed", min=0, help=h(HELP_NET_SEED), show_default=False)]
NetFormatOpt = Annotated[NetFormat | None, typer.Option("--format", "-f", help=h(HELP_NET_FORMAT), case_sensitive=False,
                                                       show_default=False)]

#: The format each ``-o`` suffix asks for (``.txt``: the table as plain text), as ``conv``'s.
NET_SUFFIX_FORMATS = {".txt": NetFormat.table, ".json": NetFormat.json, ".md": NetFormat.markdown,
                      ".markdown": NetFormat.markdown}


def net_format(fmt: NetFormat | None, output: Path | None) -> NetFormat:
    """``--format`` when given, else the ``-o`` file's suffix, else the table, as ``conv`` chooses
    (``-o out.json`` wrote the table)."""
    from convtrace.cli.results import format_for

    return format_for(fmt, output, NET_SUFFIX_FORMATS, NetFormat.table)


def register(app) -> None:
    app.command(
        cls=MatrixCommand,
        help=h(HELP_NET),
        epilog=examples(
            "convtrace net cnn.txt image.png",
            "convtrace net cnn.txt image.txt --trace conv1:2,3",
            "convtrace net cnn.txt image.txt --trace dense1:1 --lang es",
            "convtrace net cnn.txt image.txt --seed 7 --format json",
        ),
    )(net)


def split_trace(value: str, net) -> tuple[object, tuple[int, ...] | None]:
    """``conv1`` / ``2`` / ``conv1:2,3`` / ``1:0,1,2`` as (the layer, the cell or None)."""
    layer_text, _, cell_text = value.partition(":")
    layer = net.find(layer_text)
    example = net.layers[0].name
    if layer is None or (cell_text and not re.fullmatch(r"\s*\d+(\s*[, ]\s*\d+)*\s*", cell_text)):
        raise ConvtraceValueError(NET_BAD_TRACE, value=value, n=len(net.layers), example=example)
    cell = tuple(int(v) for v in re.split(r"[, ]+", cell_text.strip())) if cell_text.strip() else None
    return layer, cell


def net(
    spec: SpecArg,
    input: InputArg,
    trace: NetTraceOpt = None,
    seed: SeedOpt = None,
    format: NetFormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    precision: PrecisionOpt = 4,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
    maps: MapsOpt = None,
    fps: FpsOpt = 1.0,
    frames: FramesOpt = None,
) -> None:
    lang_code = language(lang)
    with user_errors(lang_code):
        from convtrace.io.netspec import read_network
        from convtrace.kernels import KernelLibrary
        from convtrace.network import build_network
        from convtrace.render.export import to_json
        from convtrace.render.network import NetworkView, network_document, network_markdown

        layers = read_network(spec, KernelLibrary(kernels_dir) if kernels_dir else None)
        x = read_input(input)
        import numpy as np

        network = build_network(layers, np.shape(x), seed=seed, where=str(spec))
        outputs = network.forward(x)
        layer_trace, nl, cell_text = None, None, ""
        if trace is not None:
            nl, cell = split_trace(trace, network)
            layer_trace = network.trace(x, nl.index, cell)
            cell_text = "" if cell is None else "[" + ", ".join(str(v) for v in cell) + "]"
        if maps is not None:  # every layer's maps as one picture
            save_maps(network, x, outputs, maps, force, lang_code)
        gif = output is not None and output.suffix.lower() == ".gif"
        if gif or frames is not None:  # the traced conv/pool window as a picture
            if layer_trace is None:
                raise ConvtraceValueError(PIC_NET_GIF_NEEDS_TRACE, where=str(output if gif else frames))
            save_net_animation(network, layer_trace, nl, out_path=output if gif else None, frames_dir=frames,
                               fps=fps, force=force, lang=lang_code, precision=precision)
            if gif:
                return
        format = net_format(format, output)
        if format == NetFormat.json:
            text = to_json(network_document(network, outputs, layer_trace, nl))
        elif format == NetFormat.markdown:
            text = network_markdown(network, outputs, lang_code, precision, layer_trace, nl, cell_text)
        else:
            view = NetworkView(network, outputs, lang=lang_code, precision=precision, trace=layer_trace,
                               trace_layer=nl, cell_text=cell_text)
            if output is None:
                console().print(view)
                return
            buffer = io.StringIO()
            console(buffer).print(view)
            text = buffer.getvalue()
        emit(text, output, force, lang_code)


def emit(text: str, output: Path | None, force: bool, lang: str) -> None:
    """Text to standard output, or to ``-o FILE`` (never over an existing file without --force)."""
    if output is None:
        typer.echo(text.rstrip("\n"))
        return
    from convtrace.cli.results import write_file

    write_file(output, text.encode("utf-8"), force, lang)
