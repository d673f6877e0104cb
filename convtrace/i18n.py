"""English and Spanish text for every message convtrace prints or raises.

Spanish follows the course slides' terms: filtro/kernel, relleno (padding),
paso (stride), dilatación, mapa de características.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGS = ("en", "es")

MESSAGES: dict[str, dict[str, str]] = {
    # --- arrays -------------------------------------------------------------
    "not_numeric": {
        "en": "{what} must hold numbers, but its values have type {dtype}; convert it to int or float first",
        "es": "{what} debe contener números, pero sus valores son de tipo {dtype}; conviértelo a int o float primero",
    },
    "complex_values": {
        "en": "{what} has complex values; convtrace works with real numbers only (take .real or abs() first)",
        "es": "{what} tiene valores complejos; convtrace solo trabaja con números reales (usa .real o abs() antes)",
    },
    "ragged": {
        "en": "{what} is ragged (its rows have different lengths); every row must have the same number of values",
        "es": "{what} es irregular (sus filas tienen longitudes distintas); todas las filas deben tener el mismo número de valores",
    },
    "empty": {
        "en": "{what} is empty (shape {shape}); give at least one row and one column",
        "es": "{what} está vacío (forma {shape}); da al menos una fila y una columna",
    },
    "bad_ndim": {
        "en": "{what} has {ndim} dimensions (shape {shape}); expected {expected}",
        "es": "{what} tiene {ndim} dimensiones (forma {shape}); se esperaba {expected}",
    },
    "non_finite": {
        "en": "{what} contains NaN or infinity at index {where}; its values must be finite numbers",
        "es": "{what} contiene NaN o infinito en el índice {where}; sus valores deben ser números finitos",
    },
    "too_large_int": {
        "en": "{what} has integers too large for exact 64-bit arithmetic (max {max}); convert it to float",
        "es": "{what} tiene enteros demasiado grandes para aritmética exacta de 64 bits (máx. {max}); conviértelo a float",
    },
    "channel_mismatch": {
        "en": "the kernel has depth {kc} but the input has {c} channel(s); a (C, kh, kw) or (F, C, kh, kw) kernel needs C equal to the input's channels (or use a 2-D kernel to filter each channel on its own)",
        "es": "el kernel tiene profundidad {kc} pero la entrada tiene {c} canal(es); un kernel (C, kh, kw) o (F, C, kh, kw) necesita C igual a los canales de la entrada (o usa un kernel 2-D para filtrar cada canal por separado)",
    },
    # --- parameters ---------------------------------------------------------
    "bad_int_param": {
        "en": "{name} must be {expected}, got {value!r}",
        "es": "{name} debe ser {expected}, se recibió {value!r}",
    },
    "param_too_small": {
        "en": "{name} must be at least {minimum}, got {value}",
        "es": "{name} debe ser al menos {minimum}, se recibió {value}",
    },
    "bad_padding": {
        "en": "padding {value!r} is not understood; use an int, a pair (ph, pw), four sides (top, bottom, left, right), or 'valid', 'same', 'full'",
        "es": "no se entiende el relleno (padding) {value!r}; usa un entero, un par (ph, pw), cuatro lados (arriba, abajo, izquierda, derecha), o 'valid', 'same', 'full'",
    },
    "negative_padding": {
        "en": "padding cannot be negative, got {value!r}; use 0 for no padding",
        "es": "el relleno (padding) no puede ser negativo, se recibió {value!r}; usa 0 para no rellenar",
    },
    "unknown_pad_mode": {
        "en": "unknown padding mode {value!r}; use one of {choices} (other libraries' names such as 'mirror', 'nearest', 'wrap', 'edge', 'reflect_101' are accepted too)",
        "es": "modo de relleno desconocido {value!r}; usa uno de {choices} (también se aceptan nombres de otras bibliotecas como 'mirror', 'nearest', 'wrap', 'edge', 'reflect_101')",
    },
    "bad_pad_value": {
        "en": "pad_value must be a finite number, got {value!r}",
        "es": "pad_value debe ser un número finito, se recibió {value!r}",
    },
    "reflect_too_large": {
        "en": "reflect padding of {pad} is too large for an input of {axis} {n}: it must be smaller than the input ({limit} at most); use pad_mode='symmetric' or 'replicate', or less padding",
        "es": "el relleno reflect de {pad} es demasiado grande para una entrada de {axis} {n}: debe ser menor que la entrada ({limit} como máximo); usa pad_mode='symmetric' o 'replicate', o menos relleno",
    },
    "kernel_too_large": {
        "en": "the kernel ({kernel}) is larger than the padded input ({padded}); use padding='same' or 'full', more padding, a smaller kernel or less dilation",
        "es": "el kernel ({kernel}) es más grande que la entrada con relleno ({padded}); usa padding='same' o 'full', más relleno, un kernel más pequeño o menos dilatación",
    },
    "unknown_pool_mode": {
        "en": "unknown pooling mode {value!r}; use one of {choices}",
        "es": "modo de pooling desconocido {value!r}; usa uno de {choices}",
    },
    "pool_pad_too_large": {
        "en": "pooling padding {pad} is more than half the window size {size} along {axis}; as in PyTorch, padding must be at most {limit}",
        "es": "el relleno del pooling {pad} es más de la mitad del tamaño de ventana {size} en {axis}; como en PyTorch, el relleno debe ser como máximo {limit}",
    },
    "pool_window_empty": {
        "en": "a pooling window covers only padding (along {axis}); integer inputs have no -inf to pool, so use less padding or a float input",
        "es": "una ventana de pooling cubre solo relleno (en {axis}); las entradas enteras no tienen -inf, así que usa menos relleno o una entrada float",
    },
    "bad_cells": {
        "en": "cells to trace must be (row, col) or (map, row, col) indices inside the output of shape {shape}, got {value!r}",
        "es": "las celdas a trazar deben ser índices (fila, columna) o (mapa, fila, columna) dentro de la salida de forma {shape}, se recibió {value!r}",
    },
    "axis_rows": {"en": "rows", "es": "filas"},
    "what_input": {"en": "the input", "es": "la entrada"},
    "what_kernel": {"en": "the kernel", "es": "el kernel"},
    "axis_cols": {"en": "columns", "es": "columnas"},
}


class Term(str):
    """A message key used as a parameter: translated along with its message."""


def translate(key: str, lang: str = "en", /, **params: object) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in (English if unknown)."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    template = entry.get(lang) or entry["en"]
    params = {k: translate(v, lang) if isinstance(v, Term) else v for k, v in params.items()}
    return template.format(**params)


def detect_lang(environ: Mapping[str, str] | None = None) -> str:
    """'es' when LC_ALL, LC_MESSAGES or LANG asks for Spanish, else 'en'."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "es" if value.lower().startswith("es") else "en"
    return "en"
