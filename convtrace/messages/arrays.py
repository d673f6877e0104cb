"""Input arrays: their types, shapes and channels."""

from __future__ import annotations

NOT_NUMERIC = "not_numeric"
COMPLEX_VALUES = "complex_values"
RAGGED = "ragged"
EMPTY = "empty"
BAD_NDIM = "bad_ndim"
NON_FINITE = "non_finite"
TOO_LARGE_INT = "too_large_int"
CHANNEL_MISMATCH = "channel_mismatch"
AXIS_ROWS = "axis_rows"
WHAT_INPUT = "what_input"
WHAT_KERNEL = "what_kernel"
AXIS_COLS = "axis_cols"
CONV_INT_OVERFLOW = "conv_int_overflow"
POOL_INT_OVERFLOW = "pool_int_overflow"
PAD_VALUE_TOO_LARGE = "pad_value_too_large"
NOT_REAL_NUMBER = "not_real_number"
BAD_AXIS = "bad_axis"
BAD_OUT = "bad_out"
BAD_RESULT_DTYPE = "bad_result_dtype"
RESULT_NOT_INTEGER = "result_not_integer"
RESULT_TOO_NARROW = "result_too_narrow"

MESSAGES: dict[str, dict[str, object]] = {
    NOT_NUMERIC: {
        "en": "{what} must hold numbers, but its values have type {dtype}; convert it to int or float first",
        "es": "{what} debe contener números, pero sus valores son de tipo {dtype}; conviértelo a int o float primero",
    },
    COMPLEX_VALUES: {
        "en": "{what} has complex values; convtrace works with real numbers only (take .real or abs() first)",
        "es": "{what} tiene valores complejos; convtrace solo trabaja con números reales (usa .real o abs() antes)",
    },
    RAGGED: {
        "en": "{what} is ragged (its rows have different lengths); every row must have the same number of values",
        "es": "{what} es irregular (sus filas tienen longitudes distintas); todas las filas deben tener el mismo número de valores",
    },
    EMPTY: {
        "en": "{what} is empty (shape {shape}); give at least one row and one column",
        "es": "{what} está vacío (forma {shape}); da al menos una fila y una columna",
    },
    BAD_NDIM: {
        "en": "{what} has {ndim} {ndim:plural:dimension|dimensions} (shape {shape}); expected {expected}",
        "es": "{what} tiene {ndim} {ndim:plural:dimensión|dimensiones} (forma {shape}); se esperaba {expected}",
    },
    NON_FINITE: {
        "en": "{what} contains NaN or infinity at index {where}; its values must be finite numbers",
        "es": "{what} contiene NaN o infinito en el índice {where}; sus valores deben ser números finitos",
    },
    TOO_LARGE_INT: {
        "en": "{what} has integers too large for exact 64-bit arithmetic (max {max}); convert it to float",
        "es": "{what} tiene enteros demasiado grandes para aritmética exacta de 64 bits (máx. {max}); conviértelo a float",
    },
    CHANNEL_MISMATCH: {
        "en": "the kernel has depth {kc} but the input has {c} {c:plural:channel|channels}; a (C, kh, kw) or (F, C, kh, kw) kernel needs C equal to the input's channels (or use a 2-D kernel to filter each channel on its own)",
        "es": "el kernel tiene profundidad {kc} pero la entrada tiene {c} {c:plural:canal|canales}; un kernel (C, kh, kw) o (F, C, kh, kw) necesita C igual a los canales de la entrada (o usa un kernel 2-D para filtrar cada canal por separado)",
    },
    CONV_INT_OVERFLOW: {
        "en": "this integer convolution could reach {bound} (largest |input value| {xmax} × largest sum of |weights| of one filter {wsum}), beyond what 64-bit integers hold ({max}), so its exact sums cannot be computed; convert the input to float (x.astype(float)) for an approximate answer, or use smaller values",
        "es": "esta convolución entera podría llegar a {bound} (mayor |valor de entrada| {xmax} × mayor suma de |pesos| de un filtro {wsum}), más de lo que caben en enteros de 64 bits ({max}), así que sus sumas exactas no se pueden calcular; convierte la entrada a float (x.astype(float)) para una respuesta aproximada, o usa valores más pequeños",
    },
    POOL_INT_OVERFLOW: {
        "en": "this integer sum pooling could reach {bound} (largest |input value| {xmax} × {taps} window {taps:plural:cell|cells}), beyond what 64-bit integers hold ({max}), so its exact sums cannot be computed; convert the input to float (x.astype(float)) for an approximate answer, or use smaller values",
        "es": "este pooling de suma entero podría llegar a {bound} (mayor |valor de entrada| {xmax} × {taps} {taps:plural:celda|celdas} de ventana), más de lo que caben en enteros de 64 bits ({max}), así que sus sumas exactas no se pueden calcular; convierte la entrada a float (x.astype(float)) para una respuesta aproximada, o usa valores más pequeños",
    },
    PAD_VALUE_TOO_LARGE: {
        "en": "pad_value {value} does not fit the {dtype} values being computed (at most {max} in magnitude); use a smaller pad_value or convert the input to float64",
        "es": "pad_value {value} no cabe en los valores {dtype} con los que se calcula (como máximo {max} en valor absoluto); usa un pad_value menor o convierte la entrada a float64",
    },
    NOT_REAL_NUMBER: {
        "en": "{name} must be a real number, got {value!r}",
        "es": "{name} debe ser un número real, se recibió {value!r}",
    },
    BAD_AXIS: {
        "en": "axis {axis!r} does not exist in {what} with {ndim} {ndim:plural:dimension|dimensions}; use None or an axis from {low} to {high}",
        "es": "el eje (axis) {axis!r} no existe en {what} con {ndim} {ndim:plural:dimensión|dimensiones}; usa None o un eje de {low} a {high}",
    },
    BAD_OUT: {
        "en": "out= must be a writable, C-contiguous NumPy array of shape {shape} and dtype {dtype} that does not share memory with the input; got {got} (or leave out= off)",
        "es": "out= debe ser un array de NumPy modificable y contiguo (orden C) de forma {shape} y tipo {dtype} que no comparta memoria con la entrada; se recibió {got} (o no uses out=)",
    },
    BAD_RESULT_DTYPE: {
        "en": "dtype={value} is not a result type this convolution can give: leave it off for its exact {dtype} results, or give int16 (half the memory of int32) for integer inputs whose sums fit",
        "es": "dtype={value} no es un tipo de resultado que esta convolución pueda dar: no lo indiques para obtener sus resultados exactos {dtype}, o indica int16 (la mitad de memoria que int32) para entradas enteras cuyas sumas quepan",
    },
    RESULT_NOT_INTEGER: {
        "en": "dtype=int16 needs integer results, but this convolution gives {dtype} values (a float input, or a kernel scale such as 1/16); leave dtype off",
        "es": "dtype=int16 necesita resultados enteros, pero esta convolución da valores {dtype} (una entrada float, o una escala de kernel como 1/16); no indiques dtype",
    },
    RESULT_TOO_NARROW: {
        "en": "dtype=int16 cannot hold every sum of this convolution: it could reach {bound} (largest |input value| {xmax} × largest sum of |weights| of one filter {wsum}), and int16 holds at most 32767; leave dtype off for exact {dtype} results",
        "es": "dtype=int16 no puede contener todas las sumas de esta convolución: podría llegar a {bound} (mayor |valor de entrada| {xmax} × mayor suma de |pesos| de un filtro {wsum}), e int16 llega como máximo a 32767; no indiques dtype para obtener resultados exactos {dtype}",
    },
    AXIS_ROWS: {"en": "rows", "es": "filas"},
    WHAT_INPUT: {"en": "the input", "es": "la entrada"},
    WHAT_KERNEL: {"en": "the kernel", "es": "el kernel"},
    AXIS_COLS: {"en": "columns", "es": "columnas"},
}
