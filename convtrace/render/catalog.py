"""Reference tables: the kernel library and the naming of modes across libraries."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from convtrace.messages import translate
from convtrace.messages.catalog import (
    KIND_CONVOLUTION,
    KIND_CORRELATION,
    KIND_PILLOW,
    LABEL_ALIASES,
    LABEL_DESCRIPTION,
    LABEL_NAME,
    LABEL_SCALE,
    MODES_BORDER_TITLE,
    MODES_COMPUTES,
    MODES_FLIP_TITLE,
    MODES_FUNCTION,
    MODES_NOTE,
    MODES_PATTERN,
)
from convtrace.messages.views import LABEL_KERNEL
from convtrace.render.views import fmt_number

#: How each library names convtrace's border modes ("—": it has no such mode).
BORDER_MODES = ("zeros", "reflect", "symmetric", "replicate", "circular")
BORDER_NAMES = [
    ("pattern", "0 0 | a b c d", "c b | a b c d", "b a | a b c d", "a a | a b c d", "c d | a b c d"),
    ("NumPy np.pad", "constant", "reflect", "symmetric", "edge", "wrap"),
    ("SciPy ndimage", "constant", "mirror", "reflect", "nearest", "wrap"),
    ("scipy.signal boundary=", "fill", "—", "symm", "—", "wrap"),
    ("PyTorch F.pad / padding_mode", "constant / zeros", "reflect", "—", "replicate", "circular"),
    ("OpenCV cv2.BORDER_…", "CONSTANT", "REFLECT_101 (default)", "REFLECT", "REPLICATE", "WRAP"),
    ("TensorFlow tf.pad", "CONSTANT", "REFLECT", "SYMMETRIC", "—", "—"),
    ("ImageMagick -virtual-pixel", "Black / Background", "—", "Mirror", "Edge", "Tile"),
]


#: What each tool's "convolution" computes.
FLIP_NAMES = [
    ("convtrace conv", KIND_CORRELATION),
    ("convtrace conv --flip", KIND_CONVOLUTION),
    ("PyTorch F.conv2d / nn.Conv2d", KIND_CORRELATION),
    ("TensorFlow / Keras Conv2D", KIND_CORRELATION),
    ("OpenCV cv2.filter2D", KIND_CORRELATION),
    ("scipy.signal.correlate2d", KIND_CORRELATION),
    ("scipy.signal.convolve2d", KIND_CONVOLUTION),
    ("scipy.ndimage.correlate", KIND_CORRELATION),
    ("scipy.ndimage.convolve", KIND_CONVOLUTION),
    ("NumPy np.convolve (1-D)", KIND_CONVOLUTION),
    ("NumPy np.correlate (1-D)", KIND_CORRELATION),
    ("MATLAB conv2", KIND_CONVOLUTION),
    ("MATLAB filter2 / imfilter", KIND_CORRELATION),
    ("ImageMagick -morphology Convolve", KIND_CONVOLUTION),
    ("ImageMagick -morphology Correlate", KIND_CORRELATION),
    ("Pillow ImageFilter.Kernel", KIND_PILLOW),
]


def modes_tables(lang: str) -> list:
    border = Table(title=translate(MODES_BORDER_TITLE, lang), title_justify="left", box=box.SIMPLE_HEAD)
    border.add_column("")
    for mode in BORDER_MODES:
        border.add_column(f"convtrace {mode}" if mode == "zeros" else mode)
    for library, *names in BORDER_NAMES:
        border.add_row(translate(MODES_PATTERN, lang) if library == "pattern" else library, *names)
    flips = Table(title=translate(MODES_FLIP_TITLE, lang), title_justify="left", box=box.SIMPLE_HEAD)
    flips.add_column(translate(MODES_FUNCTION, lang))
    flips.add_column(translate(MODES_COMPUTES, lang))
    for name, kind in FLIP_NAMES:
        flips.add_row(name, translate(kind, lang))
    return [border, Text(translate(MODES_NOTE, lang), style="yellow"), Text(""), flips]


def _kernel_matrix(kernel) -> Table:
    weights = kernel.weights if kernel.weights.ndim == 2 else kernel.weights.reshape(-1, kernel.weights.shape[-1])
    grid = Table.grid(padding=(0, 1))
    for _ in range(weights.shape[1]):
        grid.add_column(justify="right")
    for row in weights:
        grid.add_row(*(fmt_number(v) for v in row))
    return grid


def _scale_text(kernel) -> str:
    return "" if kernel.scale == 1 else f"× {kernel.scale}"


def kernels_table(library, lang: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_lines=True)
    table.add_column(translate(LABEL_NAME, lang), style="bold")
    table.add_column(translate(LABEL_KERNEL, lang))
    table.add_column(translate(LABEL_SCALE, lang))
    table.add_column(translate(LABEL_DESCRIPTION, lang), ratio=1)
    for kernel in library:
        aliases = f"\n({', '.join(kernel.aliases)})" if kernel.aliases else ""
        table.add_row(kernel.name + aliases, _kernel_matrix(kernel), _scale_text(kernel), kernel.describe(lang))
    return table


def kernel_panel(kernel, lang: str) -> Group:
    lines = [Text(kernel.name, style="bold"), Text(kernel.describe(lang))]
    if kernel.aliases:
        lines.append(Text(f"{translate(LABEL_ALIASES, lang)}: {', '.join(kernel.aliases)}"))
    if kernel.scale != 1:
        lines.append(Text(f"{translate(LABEL_SCALE, lang)}: {kernel.scale}"))
    lines.append(_kernel_matrix(kernel))
    return Group(*lines)
