"""Settings: padding, stride, dilation, pooling windows, devices, spec files."""

from __future__ import annotations

BAD_INT_PARAM = "bad_int_param"
EXPECTED_INT_PAIR = "expected_int_pair"
EXPECTED_POSITIVE_INT = "expected_positive_int"
EXPECTED_POSITIVE_INT_PAIR = "expected_positive_int_pair"
EXPECTED_PAIR_OF_POSITIVE_INTS = "expected_pair_of_positive_ints"
KERNEL_EXTENT_DILATED = "kernel_extent_dilated"
PARAM_TOO_SMALL = "param_too_small"
BAD_PADDING = "bad_padding"
NEGATIVE_PADDING = "negative_padding"
UNKNOWN_PAD_MODE = "unknown_pad_mode"
BAD_PAD_VALUE = "bad_pad_value"
REFLECT_TOO_LARGE = "reflect_too_large"
KERNEL_TOO_LARGE = "kernel_too_large"
WINDOW_TOO_LARGE = "window_too_large"
UNKNOWN_POOL_MODE = "unknown_pool_mode"
POOL_PAD_TOO_LARGE = "pool_pad_too_large"
POOL_WINDOW_EMPTY = "pool_window_empty"
BAD_CELLS = "bad_cells"
CUDA_UNAVAILABLE = "cuda_unavailable"
UNKNOWN_DEVICE = "unknown_device"
BAD_BOOL_PARAM = "bad_bool_param"
BAD_SPEC = "bad_spec"
SPEC_UNKNOWN_FIELD = "spec_unknown_field"
PARAM_STRIDE = "param_stride"
PARAM_DILATION = "param_dilation"
PARAM_PADDING = "param_padding"
PARAM_SIZE = "param_size"
PARAM_TOO_LARGE = "param_too_large"
BAD_SIZE_ARG = "bad_size_arg"
MEMORY_LIMIT = "memory_limit"
WORK_LIMIT = "work_limit"
BAD_LIMIT_SETTING = "bad_limit_setting"
WHAT_CONV = "what_conv"
WHAT_POOL = "what_pool"
WHAT_CONV_TRACE = "what_conv_trace"
WHAT_POOL_TRACE = "what_pool_trace"
PART_OUTPUT = "part_output"
PART_PADDED = "part_padded"
PART_MAPS = "part_maps"
PART_INPUT = "part_input"
PART_WINDOWS = "part_windows"
PART_CELLS = "part_cells"
PART_WEIGHTS = "part_weights"
HINT_CONV = "hint_conv"
HINT_POOL = "hint_pool"
HINT_TRACE = "hint_trace"
HINT_GENERAL = "hint_general"

MESSAGES: dict[str, dict[str, object]] = {
    # What a setting must be, as the {expected} of BAD_INT_PARAM.
    EXPECTED_INT_PAIR: {"en": "an int or a pair of ints", "es": "un entero o un par de enteros"},
    EXPECTED_POSITIVE_INT: {"en": "a positive int", "es": "un entero positivo"},
    EXPECTED_POSITIVE_INT_PAIR: {"en": "a positive int or a pair of positive ints",
                                 "es": "un entero positivo o un par de enteros positivos"},
    EXPECTED_PAIR_OF_POSITIVE_INTS: {"en": "a pair of positive ints", "es": "un par de enteros positivos"},
    # A dilated window, as the {kernel} of KERNEL_TOO_LARGE and WINDOW_TOO_LARGE.
    KERNEL_EXTENT_DILATED: {"en": "{size} spanning {extent} with dilation {dilation}",
                            "es": "{size} que abarca {extent} con dilatación {dilation}"},
    BAD_INT_PARAM: {
        "en": "{name} must be {expected}, got {value!r}",
        "es": "{name} debe ser {expected}, se recibió {value!r}",
    },
    PARAM_TOO_SMALL: {
        "en": "{name} must be at least {minimum}, got {value}",
        "es": "{name} debe ser al menos {minimum}, se recibió {value}",
    },
    BAD_PADDING: {
        "en": "padding {value!r} is not understood; use an int, a pair (ph, pw), four sides (top, bottom, left, right), or 'valid', 'same', 'full'",
        "es": "no se entiende el relleno (padding) {value!r}; usa un entero, un par (ph, pw), cuatro lados (arriba, abajo, izquierda, derecha), o 'valid', 'same', 'full'",
    },
    NEGATIVE_PADDING: {
        "en": "padding cannot be negative, got {value!r}; use 0 for no padding",
        "es": "el relleno (padding) no puede ser negativo, se recibió {value!r}; usa 0 para no rellenar",
    },
    UNKNOWN_PAD_MODE: {
        "en": "unknown padding mode {value!r}; use one of {choices} (other libraries' names such as 'mirror', 'nearest', 'wrap', 'edge', 'reflect_101' are accepted too)",
        "es": "modo de relleno desconocido {value!r}; usa uno de {choices} (también se aceptan nombres de otras bibliotecas como 'mirror', 'nearest', 'wrap', 'edge', 'reflect_101')",
    },
    BAD_PAD_VALUE: {
        "en": "pad_value must be a finite number, got {value!r}",
        "es": "pad_value debe ser un número finito, se recibió {value!r}",
    },
    REFLECT_TOO_LARGE: {
        "en": "reflect padding of {pad} is too large for an input with {n} {axis}: it must be smaller than the input ({limit} at most); use pad_mode='symmetric' or 'replicate', or less padding",
        "es": "el relleno reflect de {pad} es demasiado grande para una entrada con {n} {axis}: debe ser menor que la entrada ({limit} como máximo); usa pad_mode='symmetric' o 'replicate', o menos relleno",
    },
    KERNEL_TOO_LARGE: {
        "en": "the kernel ({kernel}) is larger than the padded input ({padded}); use padding same or full (--padding same), more padding, a smaller kernel or less dilation",
        "es": "el kernel ({kernel}) es más grande que la entrada con relleno ({padded}); usa relleno same o full (--padding same), más relleno, un kernel más pequeño o menos dilatación",
    },
    WINDOW_TOO_LARGE: {
        "en": "the pooling window ({kernel}) is larger than the padded input ({padded}); use a smaller window (pool --size N; --pool MODE:N in check, quiz and batch), some padding (at most half the window) or less dilation",
        "es": "la ventana de pooling ({kernel}) es más grande que la entrada con relleno ({padded}); usa una ventana más pequeña (pool --size N; --pool MODO:N en check, quiz y batch), algo de relleno (como mucho la mitad de la ventana) o menos dilatación",
    },
    UNKNOWN_POOL_MODE: {
        "en": "unknown pooling mode {value!r}; use one of {choices}",
        "es": "modo de pooling desconocido {value!r}; usa uno de {choices}",
    },
    POOL_PAD_TOO_LARGE: {
        "en": "pooling padding {pad} is more than half the window size {size} along {axis}; as in PyTorch, padding must be at most {limit}",
        "es": "el relleno del pooling {pad} es más de la mitad del tamaño de ventana {size} en {axis}; como en PyTorch, el relleno debe ser como máximo {limit}",
    },
    POOL_WINDOW_EMPTY: {
        "en": "a pooling window covers only padding (along {axis}); integer inputs have no -inf to pool, so use less padding or a float input",
        "es": "una ventana de pooling cubre solo relleno (en {axis}); las entradas enteras no tienen -inf, así que usa menos relleno o una entrada float",
    },
    BAD_CELLS: {
        "en": "cells to trace must be (row, col) or (map, row, col) indices inside the output of shape {shape}, counted from 0: from {first} to {last}; got {value!r}",
        "es": "las celdas a trazar deben ser índices (fila, columna) o (mapa, fila, columna) dentro de la salida de forma {shape}, contados desde 0: de {first} a {last}; se recibió {value!r}",
    },
    CUDA_UNAVAILABLE: {
        "en": "device 'cuda' needs an NVIDIA GPU with its driver and numba-cuda (pip install 'convtrace[cuda]'); none is usable here, so use device 'cpu' or 'auto'",
        "es": "el dispositivo 'cuda' necesita una GPU NVIDIA con su driver y numba-cuda (pip install 'convtrace[cuda]'); aquí no hay ninguna utilizable, así que usa 'cpu' o 'auto'",
    },
    UNKNOWN_DEVICE: {
        "en": "unknown device {value!r}; use one of {choices}",
        "es": "dispositivo desconocido {value!r}; usa uno de {choices}",
    },
    BAD_BOOL_PARAM: {
        "en": "{name} must be True or False, got {value!r}",
        "es": "{name} debe ser True o False, se recibió {value!r}",
    },
    BAD_SPEC: {
        "en": "{where}: the settings cannot be read: {reason}",
        "es": "{where}: no se pueden leer los parámetros: {reason}",
    },
    SPEC_UNKNOWN_FIELD: {
        "en": "{where}: unknown setting {field!r}; the settings are: {fields}",
        "es": "{where}: parámetro desconocido {field!r}; los parámetros son: {fields}",
    },
    PARAM_TOO_LARGE: {
        "en": "{name} {value} is too large: it must be at most {maximum}; use a smaller value",
        "es": "{name} {value} es demasiado grande: debe ser como máximo {maximum}; usa un valor menor",
    },
    BAD_SIZE_ARG: {
        "en": "{name} must be {expected}, got {value!r}",
        "es": "{name} debe ser {expected}, se recibió {value!r}",
    },
    MEMORY_LIMIT: {
        "en": "{what} would need about {need} of memory, more than the limit of {limit} (the largest part: {part}, {shape}); {hint}, or raise the limit with the environment variable CONVTRACE_MAX_MEMORY (for example CONVTRACE_MAX_MEMORY={suggest})",
        "es": "{what} necesitaría unos {need} de memoria, más que el límite de {limit} (la parte mayor: {part}, {shape}); {hint}, o sube el límite con la variable de entorno CONVTRACE_MAX_MEMORY (por ejemplo CONVTRACE_MAX_MEMORY={suggest})",
    },
    WORK_LIMIT: {
        "en": "{what} would take about {work} steps (output values × window cells), more than the limit of {limit}; {hint}, or raise the limit with the environment variable CONVTRACE_MAX_WORK (for example CONVTRACE_MAX_WORK={suggest})",
        "es": "{what} llevaría unos {work} pasos (valores de salida × celdas de ventana), más que el límite de {limit}; {hint}, o sube el límite con la variable de entorno CONVTRACE_MAX_WORK (por ejemplo CONVTRACE_MAX_WORK={suggest})",
    },
    BAD_LIMIT_SETTING: {
        "en": "the environment variable {name}={value!r} is not understood; give a number, optionally with K, M, G or T (for example {name}=8G), or 'unlimited'",
        "es": "no se entiende la variable de entorno {name}={value!r}; da un número, opcionalmente con K, M, G o T (por ejemplo {name}=8G), o 'unlimited'",
    },
    WHAT_CONV: {"en": "this convolution", "es": "esta convolución"},
    WHAT_POOL: {"en": "this pooling", "es": "este pooling"},
    WHAT_CONV_TRACE: {"en": "tracing this convolution", "es": "trazar esta convolución"},
    WHAT_POOL_TRACE: {"en": "tracing this pooling", "es": "trazar este pooling"},
    PART_OUTPUT: {"en": "the output", "es": "la salida"},
    PART_PADDED: {"en": "the padded input", "es": "la entrada con relleno"},
    PART_MAPS: {"en": "the padding index maps", "es": "los mapas de índices del relleno"},
    PART_INPUT: {"en": "the input in the compute type", "es": "la entrada en el tipo de cálculo"},
    PART_WINDOWS: {"en": "the traced windows", "es": "las ventanas trazadas"},
    PART_CELLS: {"en": "the list of traced cells", "es": "la lista de celdas trazadas"},
    PART_WEIGHTS: {"en": "the weights", "es": "los pesos"},
    HINT_CONV: {
        "en": "use less padding or dilation, a larger stride, a smaller kernel or a smaller input",
        "es": "usa menos relleno o dilatación, un paso (stride) mayor, un kernel más pequeño o una entrada más pequeña",
    },
    HINT_POOL: {
        "en": "use a smaller window, less padding or dilation, a larger stride or a smaller input",
        "es": "usa una ventana más pequeña, menos relleno o dilatación, un paso (stride) mayor o una entrada más pequeña",
    },
    HINT_TRACE: {
        "en": "trace fewer cells (--max-steps or --at on the command line, cells= in Python) or use a smaller input",
        "es": "traza menos celdas (--max-steps o --at en la línea de órdenes, cells= en Python) o usa una entrada más pequeña",
    },
    HINT_GENERAL: {"en": "ask for less", "es": "pide menos"},
    # Setting names inside messages (see param_name).
    PARAM_STRIDE: {"en": "stride", "es": "el paso (stride)"},
    PARAM_DILATION: {"en": "dilation", "es": "la dilatación (dilation)"},
    PARAM_PADDING: {"en": "padding", "es": "el relleno (padding)"},
    PARAM_SIZE: {"en": "size", "es": "el tamaño de ventana (size)"},
}


def param_name(name: str) -> str:
    """``name`` as a :class:`~convtrace.messages.Term` when it has a translation, else as given."""
    from convtrace.messages import Term

    key = f"param_{name}"
    return Term(key) if key in MESSAGES else name
