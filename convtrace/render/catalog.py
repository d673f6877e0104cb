"""Reference tables: the kernel library and the naming of modes across libraries."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from convtrace.i18n import translate
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
    ("convtrace conv", "kind_correlation"),
    ("convtrace conv --flip", "kind_convolution"),
    ("PyTorch F.conv2d / nn.Conv2d", "kind_correlation"),
    ("TensorFlow / Keras Conv2D", "kind_correlation"),
    ("OpenCV cv2.filter2D", "kind_correlation"),
    ("scipy.signal.correlate2d", "kind_correlation"),
    ("scipy.signal.convolve2d", "kind_convolution"),
    ("scipy.ndimage.correlate", "kind_correlation"),
    ("scipy.ndimage.convolve", "kind_convolution"),
    ("NumPy np.convolve (1-D)", "kind_convolution"),
    ("NumPy np.correlate (1-D)", "kind_correlation"),
    ("MATLAB conv2", "kind_convolution"),
    ("MATLAB filter2 / imfilter", "kind_correlation"),
    ("ImageMagick -morphology Convolve", "kind_convolution"),
    ("ImageMagick -morphology Correlate", "kind_correlation"),
    ("Pillow ImageFilter.Kernel", "kind_pillow"),
]


def modes_tables(lang: str) -> list:
    border = Table(title=translate("modes_border_title", lang), title_justify="left", box=box.SIMPLE_HEAD)
    border.add_column("")
    for mode in BORDER_MODES:
        border.add_column(f"convtrace {mode}" if mode == "zeros" else mode)
    for library, *names in BORDER_NAMES:
        border.add_row(translate("modes_pattern", lang) if library == "pattern" else library, *names)
    flips = Table(title=translate("modes_flip_title", lang), title_justify="left", box=box.SIMPLE_HEAD)
    flips.add_column(translate("modes_function", lang))
    flips.add_column(translate("modes_computes", lang))
    for name, kind in FLIP_NAMES:
        flips.add_row(name, translate(kind, lang))
    return [border, Text(translate("modes_note", lang), style="yellow"), Text(""), flips]


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
    table.add_column(translate("label_name", lang), style="bold")
    table.add_column(translate("label_kernel", lang))
    table.add_column(translate("label_scale", lang))
    table.add_column(translate("label_description", lang), ratio=1)
    for kernel in library:
        aliases = f"\n({', '.join(kernel.aliases)})" if kernel.aliases else ""
        table.add_row(kernel.name + aliases, _kernel_matrix(kernel), _scale_text(kernel), kernel.describe(lang))
    return table


def kernel_panel(kernel, lang: str) -> Group:
    lines = [Text(kernel.name, style="bold"), Text(kernel.describe(lang))]
    if kernel.aliases:
        lines.append(Text(f"{translate('label_aliases', lang)}: {', '.join(kernel.aliases)}"))
    if kernel.scale != 1:
        lines.append(Text(f"{translate('label_scale', lang)}: {kernel.scale}"))
    lines.append(_kernel_matrix(kernel))
    return Group(*lines)
