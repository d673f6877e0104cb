"""The feature-map picture: every layer's outputs of a network, a row per layer, a column per map."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from convtrace.messages import translate
from convtrace.messages.pictures import PIC_INPUT
from convtrace.render.pictures.draw import (
    BLACK,
    GRID_LINE,
    LABEL_SIZE,
    MARGIN,
    NEGATIVE,
    POSITIVE,
    TITLE_INK,
    TITLE_SIZE,
    WHITE,
    _vmax,
    draw_text,
    text_height,
    text_width,
)
from convtrace.render.pictures.frames import shape_text


@dataclass
class MapsLayout:
    """The feature-map picture's layout: ``tiles[row][col]`` is the pixel box of a map."""

    width: int
    height: int
    rows: list[str]
    tiles: list[list[tuple[int, int, int, int]]]


#: Most maps drawn per layer (the rest are counted) and the largest tile side.
MAPS_PER_ROW = 16
TILE = 96


def _as_maps(values) -> list[np.ndarray]:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 3:
        return [arr[k] for k in range(arr.shape[0])]
    if arr.ndim == 2:
        return [arr]
    return [arr.reshape(1, -1)]


def _map_image(values: np.ndarray, signed: bool, grayscale_255: bool, tile: tuple[int, int]) -> Image.Image:
    if signed:
        vmax = _vmax(values)
        rgb = np.empty(values.shape + (3,), dtype=np.uint8)
        t = np.clip(np.nan_to_num(values / vmax if vmax else values * 0), -1, 1)
        for k in range(3):
            neg = 255 + (NEGATIVE[k] - 255) * np.clip(-t, 0, 1)
            pos = 255 + (POSITIVE[k] - 255) * np.clip(t, 0, 1)
            rgb[..., k] = np.where(t < 0, neg, pos).round().astype(np.uint8)
        img = Image.fromarray(rgb, "RGB")
    else:
        top = 255.0 if grayscale_255 else _vmax(values)
        g = np.clip(np.nan_to_num(values / top * 255.0) if top else values * 0, 0, 255).round().astype(np.uint8)
        img = Image.fromarray(g, "L").convert("RGB")
    return img.resize(tile, Image.Resampling.NEAREST)


def _tile_size(shape2d) -> tuple[int, int]:
    h, w = shape2d
    if max(h, w) <= TILE:
        k = max(1, TILE // max(h, w))
        return (w * k, h * k)
    k = TILE / max(h, w)
    return (max(1, int(round(w * k))), max(1, int(round(h * k))))


def maps_picture(network, x, outputs, *, lang: str = "en") -> tuple[Image.Image, MapsLayout]:
    """Every layer's outputs as one picture: a row per layer (the input first), a column per map.

    Signed layers use the diverging map (scaled by each map's largest |value|); layers without
    negative values are grayscale (an 8-bit image's input as it is, others scaled to their max).
    """
    from convtrace.messages.pictures import MAPS_MORE, MAPS_TITLE

    rows = [(translate(PIC_INPUT, lang, shape=shape_text(np.shape(x))), np.asarray(x))]
    rows += [(f"{nl.name} ({shape_text(np.shape(out))})", np.asarray(out))
             for nl, out in zip(network.layers, outputs, strict=True)]
    label_w = max(text_width(label, LABEL_SIZE) for label, _ in rows) + 20
    title_h = text_height(TITLE_SIZE) + 10
    y = MARGIN + title_h
    tiles: list[list[tuple[int, int, int, int]]] = []
    placements = []
    width = 0
    for label, values in rows:
        maps = _as_maps(values)
        signed = bool(np.any(np.asarray(values) < 0))
        is_image = np.asarray(values).dtype == np.uint8
        shown = maps[:MAPS_PER_ROW]
        tw, th = _tile_size(shown[0].shape)
        x0 = MARGIN + label_w
        row_tiles = []
        for k, m in enumerate(shown):
            box = (x0 + k * (tw + 8), y, x0 + k * (tw + 8) + tw, y + th)
            row_tiles.append(box)
            placements.append((box, _map_image(m, signed, is_image, (tw, th))))
        more = len(maps) - len(shown)
        end = row_tiles[-1][2] + 8
        extra = translate(MAPS_MORE, lang, n=more) if more > 0 else ""
        width = max(width, end + (text_width(extra, LABEL_SIZE) + 8 if extra else 0))
        placements.append(((MARGIN, y + max(0, (th - LABEL_SIZE) // 2 - 2)), label))
        if extra:
            placements.append(((end, y + max(0, (th - LABEL_SIZE) // 2 - 2)), extra))
        tiles.append(row_tiles)
        y += max(th, text_height(LABEL_SIZE)) + 14
    title = translate(MAPS_TITLE, lang)
    width = max(width, MARGIN + text_width(title, TITLE_SIZE)) + MARGIN
    height = y + MARGIN
    img = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(img)
    draw_text(draw, (MARGIN, MARGIN), title, TITLE_SIZE, TITLE_INK)
    for where, what in placements:
        if isinstance(what, str):
            draw_text(draw, where, what, LABEL_SIZE, BLACK)
        else:
            img.paste(what, where[:2])
            draw.rectangle([where[0] - 1, where[1] - 1, where[2], where[3]], outline=GRID_LINE)
    return img, MapsLayout(width=width, height=height, rows=[label for label, _ in rows], tiles=tiles)
