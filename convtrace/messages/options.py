"""Command-line options and output files."""

from __future__ import annotations

BAD_POOL_SPEC = "bad_pool_spec"
BAD_VALUES_RANGE = "bad_values_range"
BAD_SIZE_SPEC = "bad_size_spec"
ERROR_PREFIX = "error_prefix"
OUTPUT_EXISTS = "output_exists"
BINARY_NEEDS_OUTPUT = "binary_needs_output"
BAD_AT = "bad_at"
BAD_NUMBER_OPTION = "bad_number_option"
WROTE_FILE = "wrote_file"

MESSAGES: dict[str, dict[str, object]] = {
    BAD_POOL_SPEC: {
        "en": "--pool {value!r}: expected MODE:SIZE such as max:2 or avg:3x3 (modes: max, avg, min, sum)",
        "es": "--pool {value!r}: se esperaba MODO:TAMAÑO como max:2 o avg:3x3 (modos: max, avg, min, sum)",
    },
    BAD_VALUES_RANGE: {
        "en": "--values {value!r}: expected LOW..HIGH with LOW <= HIGH, e.g. 0..9",
        "es": "--values {value!r}: se esperaba BAJO..ALTO con BAJO <= ALTO, p. ej. 0..9",
    },
    BAD_SIZE_SPEC: {
        "en": "--size {value!r}: expected HxW such as 5x5, or one number",
        "es": "--size {value!r}: se esperaba AxL como 5x5, o un número",
    },
    ERROR_PREFIX: {"en": "error", "es": "error"},
    OUTPUT_EXISTS: {
        "en": "{where}: already exists; pass --force to overwrite it, or choose another -o file",
        "es": "{where}: ya existe; usa --force para sobrescribirlo, o elige otro archivo con -o",
    },
    BINARY_NEEDS_OUTPUT: {
        "en": "--format {fmt} writes a binary file: give it a name with -o FILE",
        "es": "--format {fmt} escribe un archivo binario: dale un nombre con -o ARCHIVO",
    },
    BAD_AT: {
        "en": "--at {value!r}: expected I,J (or MAP,I,J) with whole numbers, e.g. --at 0,2",
        "es": "--at {value!r}: se esperaba I,J (o MAPA,I,J) con números enteros, p. ej. --at 0,2",
    },
    BAD_NUMBER_OPTION: {
        "en": "{name} {value!r} is not a number",
        "es": "{name} {value!r} no es un número",
    },
    WROTE_FILE: {"en": "wrote {where}", "es": "escrito {where}"},
}
