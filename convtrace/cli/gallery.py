"""``convtrace gallery``, and the picture side of ``conv``/``pool``/``tconv``/``net``: GIF traces,
PNG frames (``--fps``, ``--frames``) and feature-map pictures (``net --maps``)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from convtrace.cli.common import (
    ForceOpt,
    KernelsDirOpt,
    LangOpt,
    examples,
    h,
    language,
    say,
    user_errors,
)
from convtrace.cli.results import RangeMode, RangeOpt
from convtrace.errors import ConvtraceValueError
from convtrace.messages import translate
from convtrace.messages.pictures import (
    GALLERY_BAD_SIZE,
    GALLERY_BAD_SUFFIX,
    GALLERY_NO_KERNELS,
    GALLERY_NOT_IMAGE,
    HELP_FPS,
    HELP_FRAMES,
    HELP_GALLERY,
    HELP_GALLERY_KERNELS,
    HELP_GALLERY_OUTPUT,
    HELP_GALLERY_PHOTO,
    HELP_GALLERY_SIZE,
    HELP_MAPS,
    MAPS_BAD_SUFFIX,
    PIC_BAD_FPS,
    PIC_FPS_CLAMPED,
    PIC_FRAMES_CAPPED,
    PIC_FRAMES_NOT_DIR,
    PIC_NEEDS_OUTPUT,
    PIC_NET_TRACE_KIND,
)

FPS_DEFAULT, FPS_MIN, FPS_MAX = 1.0, 0.1, 30.0
FRAME_CAP = 100
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")

FpsOpt = Annotated[float, typer.Option("--fps", help=h(HELP_FPS), metavar="N")]
FramesOpt = Annotated[Path | None, typer.Option("--frames", help=h(HELP_FRAMES), metavar="DIR", show_default=False)]
MapsOpt = Annotated[Path | None, typer.Option("--maps", help=h(HELP_MAPS), metavar="FILE", show_default=False)]


def check_fps(fps: float, lang: str) -> float:
    """A usable frame rate: refused when not a positive number, clamped to 0.1…30 (with a note)."""
    if not math.isfinite(fps) or fps <= 0:
        raise ConvtraceValueError(PIC_BAD_FPS, value=fps, low=FPS_MIN, high=FPS_MAX)
    used = max(FPS_MIN, min(FPS_MAX, fps))
    if used != fps:
        say(translate(PIC_FPS_CLAMPED, lang, value=fps, used=used, low=FPS_MIN, high=FPS_MAX))
    return used


def _check_frames_dir(frames: Path | None) -> None:
    if frames is not None and frames.exists() and not frames.is_dir():
        raise ConvtraceValueError(PIC_FRAMES_NOT_DIR, where=str(frames))


def max_steps_given() -> bool:
    """Whether --max-steps was written on the command line (not its default)."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    if ctx is None:
        return True
    source = ctx.get_parameter_source("max_steps")
    return source is not None and source.name != "DEFAULT"


def picked_cells(out_shape3, squeeze: bool, at, max_steps: int, lang: str):
    """The cells an animation shows: --at, else --max-steps when given, else all up to FRAME_CAP."""
    from convtrace.arrays import first_cells
    from convtrace.cli.results import parse_cells

    cells = parse_cells(at)
    total = math.prod(int(v) for v in out_shape3)
    if cells is not None:
        if len(cells) > FRAME_CAP:
            say(translate(PIC_FRAMES_CAPPED, lang, shown=FRAME_CAP, total=len(cells)))
            cells = cells[:FRAME_CAP]
        return cells, len(cells)
    wanted = max_steps if (max_steps_given() and max_steps > 0) else FRAME_CAP
    count = min(wanted, FRAME_CAP, total)
    if count < total:
        say(translate(PIC_FRAMES_CAPPED, lang, shown=count, total=total))
    return first_cells(out_shape3, count, squeeze), total


def write_pictures(frames, out_path: Path | None, frames_dir: Path | None, fps: float, force: bool,
                   lang: str) -> None:
    """The frames as a GIF at ``out_path`` and/or as frame-001.png … in ``frames_dir``."""
    from convtrace.cli.results import write_file
    from convtrace.render.pictures import gif_bytes, png_bytes

    if frames_dir is not None:
        frames_dir.mkdir(parents=True, exist_ok=True)
        width = max(3, len(str(len(frames))))
        for k, frame in enumerate(frames, start=1):
            write_file(frames_dir / f"frame-{k:0{width}d}.png", png_bytes(frame), force, lang)
    if out_path is not None:
        write_file(out_path, gif_bytes(frames, fps), force, lang)


def save_animation(operation, *, at, max_steps: int, out_path: Path | None, frames_dir: Path | None, fps: float,
                   force: bool, lang: str, precision: int) -> None:
    """``conv``/``pool`` (and ``tconv``) with ``-o steps.gif`` / ``--frames DIR``: trace and draw."""
    from convtrace.render.pictures import trace_frames

    if out_path is None and frames_dir is None:
        raise ConvtraceValueError(PIC_NEEDS_OUTPUT)
    fps = check_fps(fps, lang)
    _check_frames_dir(frames_dir)
    cells, total = picked_cells(operation.out_shape3, operation.squeeze, at, max_steps, lang)
    trace = operation.trace(cells)
    frames = trace_frames(trace, lang=lang, precision=precision, total=total, limit=FRAME_CAP)
    write_pictures(frames, out_path, frames_dir, fps, force, lang)


def save_net_animation(network, layer_trace, nl, *, out_path: Path | None, frames_dir: Path | None, fps: float,
                       force: bool, lang: str, precision: int) -> None:
    """``net --trace LAYER -o step.gif``: the traced conv or pooling window as a picture."""
    from convtrace.convolution import ConvTrace
    from convtrace.pooling import PoolTrace
    from convtrace.render.pictures import trace_frames

    if not isinstance(layer_trace, (ConvTrace, PoolTrace)):
        example = next((x.name for x in network.layers if x.kind in ("conv", "maxpool", "avgpool")),
                       network.layers[0].name)
        raise ConvtraceValueError(PIC_NET_TRACE_KIND, layer=nl.name, kind=nl.kind, example=example)
    fps = check_fps(fps, lang)
    _check_frames_dir(frames_dir)
    frames = trace_frames(layer_trace, lang=lang, precision=precision)
    write_pictures(frames, out_path, frames_dir, fps, force, lang)


def save_maps(network, x, outputs, maps_path: Path, force: bool, lang: str) -> None:
    """``net --maps maps.png``: every layer's outputs as one picture."""
    from convtrace.cli.results import write_file
    from convtrace.render.pictures import maps_picture, png_bytes

    if maps_path.suffix.lower() != ".png":
        raise ConvtraceValueError(MAPS_BAD_SUFFIX, where=str(maps_path))
    img, _ = maps_picture(network, x, outputs, lang=lang)
    write_file(maps_path, png_bytes(img), force, lang)


# --------------------------------------------------------------------------- gallery

PhotoArg = Annotated[Path, typer.Argument(help=h(HELP_GALLERY_PHOTO), metavar="PHOTO", show_default=False)]
KernelsOpt = Annotated[str, typer.Option("--kernels", "-k", help=h(HELP_GALLERY_KERNELS), metavar="K1,K2,…")]
GalleryOutOpt = Annotated[Path, typer.Option("--output", "-o", help=h(HELP_GALLERY_OUTPUT), metavar="FILE")]
SizeOpt = Annotated[int, typer.Option("--size", help=h(HELP_GALLERY_SIZE), metavar="PX")]


def register(app) -> None:
    app.command(
        name="gallery",
        help=h(HELP_GALLERY),
        epilog=examples(
            "convtrace gallery photo.jpg -k identity,edge-1,sharpen,box-blur,gaussian-3 -o gallery.png",
            "convtrace gallery photo.jpg --kernels all --range abs -o all.png",
            "convtrace gallery foto.png -k enfocar,gaussian-5 --size 240 --lang es -o galeria.png",
        ),
    )(gallery)


def gallery(
    photo: PhotoArg,
    kernels: KernelsOpt = "identity,edge-1,sharpen,box-blur,gaussian-3",
    output: GalleryOutOpt = Path("gallery.png"),
    size: SizeOpt = 320,
    range_mode: RangeOpt = RangeMode.clip,
    force: ForceOpt = False,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    lang_code = language(lang)
    with user_errors(lang_code):
        make_gallery(photo, kernels, output, size, RangeMode(range_mode).value, force, lang_code, kernels_dir)


def split_kernel_list(text: str) -> list[str]:
    """``identity,edge-1,"1 0; 0 1"``: names split on commas outside brackets and quotes."""
    items, depth, current = [], 0, ""
    for ch in text:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(current.strip())
            current = ""
        else:
            current += ch
    items.append(current.strip())
    return [item for item in items if item]


def make_gallery(photo: Path, kernels: str, output: Path, size: int, range_mode: str, force: bool, lang: str,
                 kernels_dir) -> None:
    from convtrace.cli.results import write_file
    from convtrace.io.readers import IMAGE_SUFFIXES
    from convtrace.kernels import KernelLibrary, resolve_kernel
    from convtrace.render.gallery import SIZE_MAX, SIZE_MIN, gallery_picture, load_photo
    from convtrace.render.pictures import image_bytes

    if output.suffix.lower() not in PICTURE_SUFFIXES:
        raise ConvtraceValueError(GALLERY_BAD_SUFFIX, where=str(output))
    if not SIZE_MIN <= size <= SIZE_MAX:
        raise ConvtraceValueError(GALLERY_BAD_SIZE, value=size, low=SIZE_MIN, high=SIZE_MAX)
    library = KernelLibrary(kernels_dir)
    if kernels.strip().lower() in ("all", "todos", "todo"):
        chosen = list(library)
    else:
        names = split_kernel_list(kernels)
        if not names:
            raise ConvtraceValueError(GALLERY_NO_KERNELS, value=kernels)
        chosen = [resolve_kernel(name, library) for name in names]
    if photo.suffix.lower() not in IMAGE_SUFFIXES:
        if not photo.exists():
            photo.open("rb").close()  # the file system's own error: not found, permission …
        raise ConvtraceValueError(GALLERY_NOT_IMAGE, where=str(photo))
    picture, _ = gallery_picture(load_photo(photo, size), chosen, range_mode=range_mode, lang=lang)
    write_file(output, image_bytes(picture, output.suffix), force, lang)


__all__ = ["FpsOpt", "FramesOpt", "MapsOpt", "register", "save_animation", "save_maps",
           "save_net_animation"]
