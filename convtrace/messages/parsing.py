"""Reading files, matrices, images and kernels."""

from __future__ import annotations

PARSE_NOT_NUMBER = "parse_not_number"
PARSE_ZERO_DIVISION = "parse_zero_division"
PARSE_UNCLOSED = "parse_unclosed"
PARSE_TRAILING = "parse_trailing"
WORD_ROW = "word_row"
PARSE_RAGGED = "parse_ragged"
PARSE_EMPTY = "parse_empty"
NO_SUCH_FILE = "no_such_file"
JSON_NOT_MATRIX = "json_not_matrix"
IS_DIRECTORY = "is_directory"
FILE_UNREADABLE = "file_unreadable"
NPY_UNREADABLE = "npy_unreadable"
IMAGE_UNREADABLE = "image_unreadable"
IMAGE_BROKEN = "image_broken"
IMAGE_BOMB = "image_bomb"
BAD_SCALE = "bad_scale"
BAD_KERNEL_FILE = "bad_kernel_file"
KERNELS_DIR_MISSING = "kernels_dir_missing"
UNKNOWN_KERNEL = "unknown_kernel"

MESSAGES: dict[str, dict[str, object]] = {
    PARSE_NOT_NUMBER: {
        "en": "{where}: {token!r} is not a number; write integers, decimals (0.5) or fractions (1/9)",
        "es": "{where}: {token!r} no es un número; escribe enteros, decimales (0.5) o fracciones (1/9)",
    },
    PARSE_ZERO_DIVISION: {
        "en": "{where}: {token!r} divides by zero",
        "es": "{where}: {token!r} divide entre cero",
    },
    PARSE_UNCLOSED: {
        "en": "{where}: this '[' is never closed; add the matching ']'",
        "es": "{where}: este '[' nunca se cierra; añade el ']' correspondiente",
    },
    PARSE_TRAILING: {
        "en": "{where}: unexpected {token!r} after the matrix's closing ']'",
        "es": "{where}: {token!r} inesperado después del ']' que cierra la matriz",
    },
    WORD_ROW: {"en": "row", "es": "fila"},
    PARSE_RAGGED: {
        "en": "{where}: {what} {index} has {n} {n:plural:value|values} but {what} 1 has {expected}; every {what} needs the same number",
        "es": "{where}: la {what} {index} tiene {n} {n:plural:valor|valores} pero la {what} 1 tiene {expected}; todas deben tener el mismo número",
    },
    PARSE_EMPTY: {
        "en": "{where}: no numbers found; write one row per line, e.g. \"1 2 3\"",
        "es": "{where}: no se encontraron números; escribe una fila por línea, p. ej. \"1 2 3\"",
    },
    NO_SUCH_FILE: {
        "en": "{where}: no such file; give a path, '-' for standard input, or a matrix in quotes such as \"1 2; 3 4\"",
        "es": "{where}: no existe el archivo; da una ruta, '-' para la entrada estándar, o una matriz entre comillas como \"1 2; 3 4\"",
    },
    JSON_NOT_MATRIX: {
        "en": "{where}: this JSON holds no matrix; write nested lists of numbers such as [[1, 2], [3, 4]]",
        "es": "{where}: este JSON no contiene una matriz; escribe listas anidadas de números como [[1, 2], [3, 4]]",
    },
    IS_DIRECTORY: {
        "en": "{where}: is a folder, not a file",
        "es": "{where}: es una carpeta, no un archivo",
    },
    FILE_UNREADABLE: {
        "en": "{where}: cannot be read ({reason})",
        "es": "{where}: no se puede leer ({reason})",
    },
    NPY_UNREADABLE: {
        "en": "{where}: not a readable .npy array ({reason})",
        "es": "{where}: no es un arreglo .npy legible ({reason})",
    },
    IMAGE_UNREADABLE: {
        "en": "{where}: Pillow cannot read this image (not a PNG, JPEG, BMP, GIF, TIFF or WebP file?)",
        "es": "{where}: Pillow no puede leer esta imagen (¿no es un archivo PNG, JPEG, BMP, GIF, TIFF o WebP?)",
    },
    IMAGE_BROKEN: {
        "en": "{where}: the image is damaged or truncated ({reason})",
        "es": "{where}: la imagen está dañada o truncada ({reason})",
    },
    IMAGE_BOMB: {
        "en": "{where}: the image is too large to open safely (a decompression bomb?)",
        "es": "{where}: la imagen es demasiado grande para abrirla con seguridad (¿una bomba de descompresión?)",
    },
    BAD_SCALE: {
        "en": "{where}: scale {value!r} is not a number or fraction such as 1/16",
        "es": "{where}: la escala {value!r} no es un número ni una fracción como 1/16",
    },
    BAD_KERNEL_FILE: {
        "en": "{where}: a kernel must be a 2-D matrix, or 2-D slices separated by blank lines",
        "es": "{where}: un kernel debe ser una matriz 2-D, o cortes 2-D separados por líneas en blanco",
    },
    KERNELS_DIR_MISSING: {
        "en": "{where}: kernel folder not found; check --kernels-dir or CONVTRACE_KERNELS",
        "es": "{where}: no se encontró la carpeta de kernels; revisa --kernels-dir o CONVTRACE_KERNELS",
    },
    UNKNOWN_KERNEL: {
        "en": "unknown kernel {name!r}; did you mean: {suggestions}? ('convtrace kernels' lists them all; a file path or an inline matrix such as \"0 -1 0; -1 5 -1; 0 -1 0\" works too)",
        "es": "kernel desconocido {name!r}; ¿quisiste decir: {suggestions}? ('convtrace kernels' los lista todos; también sirve una ruta o una matriz como \"0 -1 0; -1 5 -1; 0 -1 0\")",
    },
}
