"""The kernel gallery: a photo under several kernels, laid out as the slides' table.

"Operation | Filter | Convolved image": one row per kernel with its name, its
matrix (values in cells over the diverging colour map, the scale such as 1/9
beside it) and the filtered photo.  Filtering uses ``convtrace batch``'s
settings: each colour channel on its own, padding ``same`` with replicated
borders, and ``--range`` (clip, abs, normalize) to turn values into pixels
through :func:`convtrace.io.images.pixels`, the same conversion ``batch`` uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, UnidentifiedImageError

from convtrace.errors import ConvtraceValueError, os_reason
from convtrace.messages import translate
from convtrace.messages.parsing import IMAGE_BOMB, IMAGE_BROKEN
from convtrace.messages.pictures import (
    GALLERY_CONVOLVED,
    GALLERY_FILTER,
    GALLERY_NOT_IMAGE,
    GALLERY_OPERATION,
)
from convtrace.render.pictures import (
    GRID_LINE,
    LABEL_SIZE,
    MARGIN,
    PAD_INK,
    TITLE_INK,
    TITLE_SIZE,
    WHITE,
    GridPanel,
    _vmax,
    draw_text,
    text_height,
    text_width,
)

#: Default width of the photo in the gallery, and the bounds of --size.
PHOTO_WIDTH = 320
SIZE_MIN, SIZE_MAX = 16, 2048
KERNEL_CELL = 30
NAME_WIDTH = 150
#: Lines of a kernel's description under its name.
DESCRIPTION_LINES = 3
ROW_GAP = 14


def load_photo(path: Path, width: int = PHOTO_WIDTH) -> np.ndarray:
    """The photo as (C, H, W) uint8 (1 or 3 channels), shrunk to ``width`` pixels wide (never enlarged)."""
    try:
        with Image.open(path) as im:
            im.seek(0)
            img = im.convert("L") if im.mode in ("L", "LA", "1", "I", "I;16", "F") else im.convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ConvtraceValueError(IMAGE_BOMB, where=str(path)) from None
    except (UnidentifiedImageError, ValueError, SyntaxError):
        raise ConvtraceValueError(GALLERY_NOT_IMAGE, where=str(path)) from None
    except OSError as exc:  # a truncated or damaged file
        raise ConvtraceValueError(IMAGE_BROKEN, where=str(path), reason=os_reason(exc)) from None
    if img.width > width:
        height = max(1, int(round(img.height * width / img.width)))
        img = img.resize((width, height), Image.Resampling.LANCZOS)
    arr = np.asarray(img, dtype=np.uint8)
    return arr[None] if arr.ndim == 2 else np.ascontiguousarray(arr.transpose(2, 0, 1))


def filtered(photo: np.ndarray, kernel, range_mode: str = "clip") -> np.ndarray:
    """The photo under ``kernel`` as ``batch`` filters it, as (H, W, C) uint8 pixels."""
    from convtrace.convolution import prepare_conv2d
    from convtrace.io.images import pixels

    out = prepare_conv2d(photo, kernel, padding="same", pad_mode="replicate").run(parallel=False)
    return pixels(out, range_mode, 255)


def _photo_image(px: np.ndarray) -> Image.Image:
    return Image.fromarray(px[..., 0], "L").convert("RGB") if px.shape[2] == 1 else Image.fromarray(px, "RGB")


@dataclass
class GalleryLayout:
    width: int
    height: int
    rows: list[tuple[int, int]]      # (top, bottom) of each kernel's row
    photos: list[tuple[int, int, int, int]]


def _kernel_panel(kernel) -> tuple[GridPanel, str]:
    weights = np.asarray(kernel.weights)
    if weights.ndim == 3 and weights.shape[0] == 1:
        weights = weights[0]
    if weights.ndim != 2:  # a multi-channel filter: show its first slice
        weights = weights.reshape(-1, *weights.shape[-2:])[0]
    panel = GridPanel(role="kernel", values=weights, vmax=_vmax(weights), index=False, cell_w=KERNEL_CELL,
                      cell_h=KERNEL_CELL - 4)
    scale = "" if kernel.scale == 1 else f"{kernel.scale} ×"
    return panel, scale


def gallery_picture(photo: np.ndarray, kernels: list, *, range_mode: str = "clip",
                    lang: str = "en") -> tuple[Image.Image, GalleryLayout]:
    """The gallery of ``photo`` ((C, H, W) uint8) under each :class:`~convtrace.kernel.Kernel`."""
    heads = [translate(GALLERY_OPERATION, lang), translate(GALLERY_FILTER, lang), translate(GALLERY_CONVOLVED, lang)]
    rows = []
    for kernel in kernels:
        panel, scale = _kernel_panel(kernel)
        description = kernel.describe(lang) if hasattr(kernel, "describe") else ""
        rows.append((kernel.name, description, panel, scale, _photo_image(filtered(photo, kernel, range_mode))))
    name_w = max([NAME_WIDTH, text_width(heads[0], TITLE_SIZE)] + [text_width(r[0], TITLE_SIZE) for r in rows]) + 24
    scale_w = max([0] + [text_width(r[3], LABEL_SIZE) + 8 for r in rows])
    filter_w = max([text_width(heads[1], TITLE_SIZE)] + [scale_w + r[2].size[0] for r in rows]) + 24
    photo_w = max([text_width(heads[2], TITLE_SIZE)] + [r[4].width for r in rows])
    col_x = (MARGIN, MARGIN + name_w, MARGIN + name_w + filter_w)
    width = col_x[2] + photo_w + MARGIN
    head_h = text_height(TITLE_SIZE) + 12
    y = MARGIN + head_h
    layout_rows, photos, placements = [], [], []
    for name, description, panel, scale, photo_img in rows:
        row_h = max(panel.size[1], photo_img.height, text_height(TITLE_SIZE) + DESCRIPTION_LINES * text_height(11)) + 2 * ROW_GAP
        top = y + ROW_GAP
        panel.x = col_x[1] + scale_w
        panel.y = top + (row_h - 2 * ROW_GAP - panel.size[1]) // 2
        photo_xy = (col_x[2], top + (row_h - 2 * ROW_GAP - photo_img.height) // 2)
        placements.append((name, description, panel, scale, photo_img, photo_xy, top))
        photos.append((photo_xy[0], photo_xy[1], photo_xy[0] + photo_img.width, photo_xy[1] + photo_img.height))
        layout_rows.append((y, y + row_h))
        y += row_h
    height = y + MARGIN
    img = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(img)
    for x, head in zip(col_x, heads, strict=True):
        draw_text(draw, (x, MARGIN), head, TITLE_SIZE, TITLE_INK)
    draw.line([(MARGIN, MARGIN + head_h - 4), (width - MARGIN, MARGIN + head_h - 4)], fill=TITLE_INK, width=2)
    for (name, description, panel, scale, photo_img, photo_xy, top), (_, bottom) in zip(placements, layout_rows,
                                                                                          strict=True):
        draw_text(draw, (col_x[0], top), name, TITLE_SIZE, (0, 0, 0))
        for k, line in enumerate(_wrap(description, name_w - 12)):
            draw_text(draw, (col_x[0], top + text_height(TITLE_SIZE) + 2 + k * text_height(11)), line, 11, PAD_INK)
        panel.draw(draw)
        if scale:
            draw_text(draw, (col_x[1], panel.y + panel.size[1] // 2 - LABEL_SIZE // 2 - 2), scale, LABEL_SIZE, (0, 0, 0))
        img.paste(photo_img, photo_xy)
        draw.line([(MARGIN, bottom), (width - MARGIN, bottom)], fill=GRID_LINE, width=1)
    return img, GalleryLayout(width=width, height=height, rows=layout_rows, photos=photos)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` pixels, at most DESCRIPTION_LINES (the last cut with …)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, 11) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > DESCRIPTION_LINES:
        last = " ".join(lines[DESCRIPTION_LINES - 1:])
        while last and text_width(last + "…", 11) > width:
            last = last[:-1]
        lines = lines[:DESCRIPTION_LINES - 1] + [last.rstrip() + "…"]
    return lines
