"""Trace and table labels."""

from __future__ import annotations

TITLE_CORRELATION = "title_correlation"
TITLE_CONVOLUTION = "title_convolution"
TITLE_POOL = "title_pool"
MODE_MAX = "mode_max"
MODE_MIN = "mode_min"
MODE_AVG = "mode_avg"
MODE_SUM = "mode_sum"
LABEL_PARAMS = "label_params"
LABEL_POOL_PARAMS = "label_pool_params"
LABEL_OUTPUT_SIZE = "label_output_size"
LABEL_ROWS = "label_rows"
LABEL_COLS = "label_cols"
LABEL_DILATED_SPAN = "label_dilated_span"
LABEL_NEVER_READ = "label_never_read"
LABEL_INPUT = "label_input"
LABEL_PADDED_INPUT = "label_padded_input"
LABEL_KERNEL = "label_kernel"
LABEL_KERNEL_SCALE = "label_kernel_scale"
LABEL_FLIPPED = "label_flipped"
LABEL_PRODUCTS = "label_products"
LABEL_CHANNEL = "label_channel"
LABEL_STEP = "label_step"
LABEL_SUM = "label_sum"
LABEL_RESULT = "label_result"
LABEL_OUTPUT_SO_FAR = "label_output_so_far"
LABEL_OUTPUT = "label_output"
LABEL_FEATURE_MAP = "label_feature_map"
LABEL_CROP = "label_crop"
LABEL_LEGEND = "label_legend"
LABEL_LEGEND_POOL = "label_legend_pool"
LABEL_MORE_STEPS = "label_more_steps"
LABEL_WINNER = "label_winner"
LABEL_AVG = "label_avg"
LABEL_DIVISOR_FULL = "label_divisor_full"
LABEL_DIVISOR_INCLUDE = "label_divisor_include"
LABEL_CEIL_DROP = "label_ceil_drop"
LABEL_DIVISOR_EXCLUDE = "label_divisor_exclude"
LABEL_ALL_PADDING = "label_all_padding"
LABEL_BLOCK_COLUMNS = "label_block_columns"
LABEL_BLOCK_COLUMN = "label_block_column"
LABEL_NOT_SHOWN = "label_not_shown"
LABEL_NOT_SHOWN_JSON = "label_not_shown_json"
LABEL_PAD_NEG_INF = "label_pad_neg_inf"
LABEL_PAD_POS_INF = "label_pad_pos_inf"
LABEL_CHANNEL_NAMED = "label_channel_named"
LABEL_CHANNEL_MAP = "label_channel_map"
LABEL_SUBTOTAL_SUM = "label_subtotal_sum"
LABEL_BIAS = "label_bias"
LABEL_WINDOW = "label_window"
LABEL_EXPORT_LEGEND = "label_export_legend"
PAD_MODE_ZEROS = "pad_mode_zeros"
PAD_MODE_REFLECT = "pad_mode_reflect"
PAD_MODE_SYMMETRIC = "pad_mode_symmetric"
PAD_MODE_REPLICATE = "pad_mode_replicate"
PAD_MODE_CIRCULAR = "pad_mode_circular"

MESSAGES: dict[str, dict[str, object]] = {
    TITLE_CORRELATION: {
        "en": "Cross-correlation (what CNN layers and the slides compute)",
        "es": "Correlación cruzada (lo que calculan las capas CNN y las diapositivas)",
    },
    TITLE_CONVOLUTION: {
        "en": "True convolution (the kernel is flipped first)",
        "es": "Convolución verdadera (primero se voltea el kernel)",
    },
    TITLE_POOL: {"en": "{mode} pooling", "es": "Pooling {mode}"},
    MODE_MAX: {"en": "Max", "es": "máximo (max)"},
    MODE_MIN: {"en": "Min", "es": "mínimo (min)"},
    MODE_AVG: {"en": "Average", "es": "promedio (avg)"},
    MODE_SUM: {"en": "Sum", "es": "suma (sum)"},
    LABEL_PARAMS: {
        "en": "padding {pads} ({mode}) · stride {stride} · dilation {dilation}",
        "es": "relleno {pads} ({mode}) · paso {stride} · dilatación {dilation}",
    },
    LABEL_POOL_PARAMS: {
        "en": "window {size} · stride {stride} · padding {pads} · dilation {dilation}{extra}",
        "es": "ventana {size} · paso {stride} · relleno {pads} · dilatación {dilation}{extra}",
    },
    LABEL_OUTPUT_SIZE: {"en": "Output size", "es": "Tamaño de salida"},
    LABEL_ROWS: {"en": "rows", "es": "filas"},
    LABEL_COLS: {"en": "cols", "es": "columnas"},
    LABEL_DILATED_SPAN: {
        "en": "the dilated kernel spans {span}",
        "es": "el kernel dilatado abarca {span}",
    },
    LABEL_NEVER_READ: {
        "en": "{axis} {which} of the input are never covered (the stride does not divide evenly)",
        "es": "las {axis} {which} de la entrada nunca se cubren (el paso no divide exacto)",
    },
    LABEL_INPUT: {"en": "Input", "es": "Entrada"},
    LABEL_PADDED_INPUT: {"en": "Padded input", "es": "Entrada con relleno"},
    LABEL_KERNEL: {"en": "Kernel", "es": "Kernel (filtro)"},
    LABEL_KERNEL_SCALE: {"en": "Kernel × {scale}", "es": "Kernel (filtro) × {scale}"},
    LABEL_FLIPPED: {
        "en": "Flipped kernel (rotated 180°, what is applied)",
        "es": "Kernel volteado (rotado 180°, el que se aplica)",
    },
    LABEL_PRODUCTS: {"en": "Products", "es": "Productos"},
    LABEL_CHANNEL: {"en": "channel {c}", "es": "canal {c}"},
    LABEL_STEP: {
        "en": "Step {n}/{total} · output{index} · window at row {row}, col {col} of the padded input",
        "es": "Paso {n}/{total} · salida{index} · ventana en fila {row}, columna {col} de la entrada con relleno",
    },
    LABEL_SUM: {"en": "Sum", "es": "Suma"},
    LABEL_RESULT: {"en": "Result", "es": "Resultado"},
    LABEL_OUTPUT_SO_FAR: {"en": "Output so far ({shape})", "es": "Salida hasta ahora ({shape})"},
    LABEL_OUTPUT: {"en": "Output ({shape})", "es": "Salida ({shape})"},
    LABEL_FEATURE_MAP: {
        "en": "Feature map {f} ({shape})",
        "es": "Mapa de características {f} ({shape})",
    },
    LABEL_CROP: {
        "en": "— rows {r0}–{r1}, cols {c0}–{c1} of {shape}",
        "es": "— filas {r0}–{r1}, columnas {c0}–{c1} de {shape}",
    },
    LABEL_LEGEND: {"en": "[ ] window   ( ) padding", "es": "[ ] ventana   ( ) relleno"},
    LABEL_LEGEND_POOL: {
        "en": "[ ] window   ( ) padding   * winner",
        "es": "[ ] ventana   ( ) relleno   * ganador",
    },
    LABEL_MORE_STEPS: {
        "en": "… {hidden} more {hidden:plural:window|windows} not shown: use --at I,J for one cell, or --max-steps 0 to show all",
        "es": "… {hidden} {hidden:plural:ventana|ventanas} más sin mostrar: usa --at I,J para una celda, o --max-steps 0 para verlas todas",
    },
    LABEL_WINNER: {
        "en": "{mode} = {value} (row {a}, col {b} of the window)",
        "es": "{mode} = {value} (fila {a}, columna {b} de la ventana)",
    },
    LABEL_AVG: {
        "en": "sum {total} ÷ {divisor} = {result}",
        "es": "suma {total} ÷ {divisor} = {result}",
    },
    LABEL_DIVISOR_FULL: {
        "en": "divisor {divisor}: the whole {kh}×{kw} window",
        "es": "divisor {divisor}: toda la ventana {kh}×{kw}",
    },
    LABEL_DIVISOR_INCLUDE: {
        "en": "divisor {divisor}: the window's cells inside the padded input; padding counts, but the window is cut at the padded edge",
        "es": "divisor {divisor}: las celdas de la ventana dentro de la entrada con relleno; el relleno cuenta, pero la ventana se corta en el borde del relleno",
    },
    LABEL_CEIL_DROP: {
        "en": "−1: the last window would start in the padding",
        "es": "−1: la última ventana empezaría en el relleno",
    },
    LABEL_DIVISOR_EXCLUDE: {
        "en": "divisor {divisor}: only the {divisor} {divisor:plural:cell|cells} inside the input {divisor:plural:counts|count} (--exclude-pad)",
        "es": "divisor {divisor}: solo {divisor:plural:cuenta la|cuentan las} {divisor} {divisor:plural:celda|celdas} dentro de la entrada (--exclude-pad)",
    },
    LABEL_ALL_PADDING: {
        "en": "the window covers only padding",
        "es": "la ventana solo cubre relleno",
    },
    LABEL_BLOCK_COLUMNS: {"en": "columns {c0}–{c1}", "es": "columnas {c0}–{c1}"},
    LABEL_BLOCK_COLUMN: {"en": "column {c}", "es": "columna {c}"},
    LABEL_NOT_SHOWN: {
        "en": "{hidden} of {total} values not shown; write them all with -o out.csv (or --format csv)",
        "es": "{hidden} de {total} valores sin mostrar; escríbelos todos con -o salida.csv (o --format csv)",
    },
    LABEL_NOT_SHOWN_JSON: {
        "en": "{hidden} of {total} values not shown; write them all with -o out.json (or --format json)",
        "es": "{hidden} de {total} valores sin mostrar; escríbelos todos con -o salida.json (o --format json)",
    },
    LABEL_PAD_NEG_INF: {
        "en": "padding counts as −∞: it never wins a max",
        "es": "el relleno cuenta como −∞: nunca gana un máximo",
    },
    LABEL_PAD_POS_INF: {
        "en": "padding counts as +∞: it never wins a min",
        "es": "el relleno cuenta como +∞: nunca gana un mínimo",
    },
    LABEL_CHANNEL_NAMED: {"en": "channel {c} ({name})", "es": "canal {c} ({name})"},
    LABEL_CHANNEL_MAP: {"en": "Channel {name} ({shape})", "es": "Canal {name} ({shape})"},
    LABEL_SUBTOTAL_SUM: {"en": "sum {total}", "es": "suma {total}"},
    LABEL_BIAS: {"en": "bias", "es": "sesgo (bias)"},
    LABEL_WINDOW: {"en": "Window", "es": "Ventana"},
    LABEL_EXPORT_LEGEND: {
        "en": "Padding cells are in parentheses: (v).",
        "es": "Las celdas de relleno van entre paréntesis: (v).",
    },
    # Border modes as named in labels: option values, translated where a word is natural.
    PAD_MODE_ZEROS: {"en": "zeros", "es": "ceros"},
    PAD_MODE_REFLECT: {"en": "reflect", "es": "reflect"},
    PAD_MODE_SYMMETRIC: {"en": "symmetric", "es": "symmetric"},
    PAD_MODE_REPLICATE: {"en": "replicate", "es": "replicate"},
    PAD_MODE_CIRCULAR: {"en": "circular", "es": "circular"},
}
