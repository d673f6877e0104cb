"""Command-line options and output files."""

from __future__ import annotations

BAD_POOL_SPEC = "bad_pool_spec"
BAD_VALUES_RANGE = "bad_values_range"
BAD_SIZE_SPEC = "bad_size_spec"
ERROR_PREFIX = "error_prefix"
SOURCE_ARGUMENT = "source_argument"
SOURCE_STDIN = "source_stdin"
OUTPUT_EXISTS = "output_exists"
BINARY_NEEDS_OUTPUT = "binary_needs_output"
BAD_AT = "bad_at"
BAD_NUMBER_OPTION = "bad_number_option"
WROTE_FILE = "wrote_file"
SEED_NEGATIVE = "seed_negative"
QUIZ_SIZE_TOO_LARGE = "quiz_size_too_large"
QUIZ_TOO_LONG = "quiz_too_long"
QUIZ_VALUES_TOO_LARGE = "quiz_values_too_large"
QUIZ_BAD_SETTING = "quiz_bad_setting"
# The command line's own usage errors (see convtrace.cli.localize).
USAGE_SEE_HELP = "usage_see_help"
USAGE_NO_SUCH_OPTION = "usage_no_such_option"
USAGE_NO_SUCH_COMMAND = "usage_no_such_command"
USAGE_MISSING_COMMAND = "usage_missing_command"
USAGE_DID_YOU_MEAN = "usage_did_you_mean"
USAGE_MISSING_ARGUMENT = "usage_missing_argument"
USAGE_MISSING_OPTION = "usage_missing_option"
USAGE_NEEDS_VALUE = "usage_needs_value"
USAGE_EMPTY_VALUE = "usage_empty_value"
USAGE_TAKES_NO_VALUE = "usage_takes_no_value"
USAGE_BAD_CHOICE = "usage_bad_choice"
USAGE_NOT_WHOLE = "usage_not_whole"
USAGE_NOT_NUMBER = "usage_not_number"
USAGE_OUT_OF_RANGE = "usage_out_of_range"
USAGE_RANGE_BETWEEN = "usage_range_between"
USAGE_RANGE_AT_LEAST = "usage_range_at_least"
USAGE_RANGE_AT_MOST = "usage_range_at_most"
USAGE_BAD_VALUE = "usage_bad_value"
USAGE_INVALID_VALUE = "usage_invalid_value"
USAGE_EXTRA_ARGS = "usage_extra_args"
USAGE_QUOTE_MATRIX = "usage_quote_matrix"
USAGE_OTHER = "usage_other"
OPTIONS_EXCLUSIVE = "options_exclusive"
OPTION_NEEDS = "option_needs"
KEY_SAYS_EXERCISE = "key_says_exercise"
INTERRUPTED = "interrupted"
OS_ERROR = "os_error"
OUTPUT_IS_INPUT = "output_is_input"
OUT_OF_MEMORY = "out_of_memory"
OS_NOT_FOUND = "os_not_found"
OS_PERMISSION = "os_permission"
OS_IS_DIR = "os_is_dir"
OS_NOT_DIR = "os_not_dir"
OS_NO_SPACE = "os_no_space"
OS_READ_ONLY = "os_read_only"
OS_NAME_TOO_LONG = "os_name_too_long"
OS_NOT_ENOUGH_MEMORY = "os_not_enough_memory"
OS_FILE_CUT_SHORT = "os_file_cut_short"
ANSWER_FAILED = "answer_failed"
TRACE_TOO_LONG_TABLE = "trace_too_long_table"
TRACE_TOO_LONG_EXPORT = "trace_too_long_export"
FORMAT_SUFFIX_MISMATCH = "format_suffix_mismatch"
FORMAT_UNKNOWN_SUFFIX = "format_unknown_suffix"
PNG_CHANNELS = "png_channels"
JPEG_CHANNELS = "jpeg_channels"
#: Said on standard error when Numba compiles (an empty cache: the first run on a machine).
COMPILING = "compiling"

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
        "en": "{where}: already exists; pass --force to overwrite it, or choose another file name",
        "es": "{where}: ya existe; usa --force para sobrescribirlo, o elige otro nombre de archivo",
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
    SEED_NEGATIVE: {
        "en": "--seed {value}: the seed must be a whole number from 0 up, e.g. --seed 7",
        "es": "--seed {value}: la semilla debe ser un número entero desde 0, p. ej. --seed 7",
    },
    QUIZ_SIZE_TOO_LARGE: {
        "en": "--size {size} with --count {count}: a quiz may have at most {maximum} input cells in all "
              "(rows × columns × exercises), this one {cells}; ask for a smaller --size (e.g. 6x6) or fewer "
              "exercises with --count (to filter a large matrix, use 'convtrace conv')",
        "es": "--size {size} con --count {count}: un examen puede tener como máximo {maximum} celdas de entrada "
              "en total (filas × columnas × ejercicios), y este tendría {cells}; pide un --size menor (p. ej. 6x6) o menos "
              "ejercicios con --count (para filtrar una matriz grande, usa 'convtrace conv')",
    },
    QUIZ_TOO_LONG: {
        "en": "the worked solutions of this quiz would show {n} window cells, more than the limit of {maximum}; "
              "ask for a smaller --size, less --padding, a smaller kernel or window, or fewer exercises with --count",
        "es": "las soluciones de este examen mostrarían {n} celdas de ventana, más que el límite de {maximum}; "
              "pide un --size menor, menos --padding, un kernel o ventana menor, o menos ejercicios con --count",
    },
    QUIZ_VALUES_TOO_LARGE: {
        "en": "--values {value!r}: quiz values must lie between -{maximum} and {maximum}, e.g. 0..9 or -5..5",
        "es": "--values {value!r}: los valores de un examen deben estar entre -{maximum} y {maximum}, p. ej. 0..9 o -5..5",
    },
    QUIZ_BAD_SETTING: {
        "en": "{name} must be a whole number of at least {minimum}, got {value!r}",
        "es": "{name} debe ser un número entero de al menos {minimum}, se recibió {value!r}",
    },
    USAGE_SEE_HELP: {
        "en": "{message} — see '{command} --help'",
        "es": "{message}; consulta '{command} --help'",
    },
    USAGE_NO_SUCH_OPTION: {
        "en": "no such option: {option}{hint}",
        "es": "no existe la opción {option}{hint}",
    },
    USAGE_NO_SUCH_COMMAND: {
        "en": "no such command: {name}{hint}; the commands are {names}",
        "es": "no existe la orden {name}{hint}; las órdenes son {names}",
    },
    USAGE_MISSING_COMMAND: {
        "en": "missing command: name one of {names}",
        "es": "falta la orden: indica una de {names}",
    },
    USAGE_DID_YOU_MEAN: {
        "en": " (did you mean {names}?)",
        "es": " (¿quisiste decir {names}?)",
    },
    USAGE_MISSING_ARGUMENT: {
        "en": "missing argument {name} ({help})",
        "es": "falta el argumento {name} ({help})",
    },
    USAGE_MISSING_OPTION: {
        "en": "missing option {name} ({help})",
        "es": "falta la opción {name} ({help})",
    },
    USAGE_NEEDS_VALUE: {
        "en": "option {option} needs a value after it, e.g. {option} {metavar}",
        "es": "la opción {option} necesita un valor detrás, p. ej. {option} {metavar}",
    },
    USAGE_EMPTY_VALUE: {
        "en": "option {option} was given an empty value ({shown}), as an unset shell variable gives; "
              "give a value, e.g. {option} {metavar}",
        "es": "la opción {option} recibió un valor vacío ({shown}), como da una variable de la shell sin definir; "
              "da un valor, p. ej. {option} {metavar}",
    },
    USAGE_TAKES_NO_VALUE: {
        "en": "option {option} is a switch and takes no value: write just {option}",
        "es": "la opción {option} es un interruptor y no lleva valor: escribe solo {option}",
    },
    USAGE_BAD_CHOICE: {
        "en": "{option} {value!r} is not one of the choices {choices}{hint}",
        "es": "{option} {value!r} no es una de las opciones {choices}{hint}",
    },
    USAGE_NOT_WHOLE: {
        "en": "{option} {value!r} is not a whole number; give one such as {option} {example}",
        "es": "{option} {value!r} no es un número entero; da uno como {option} {example}",
    },
    USAGE_NOT_NUMBER: {
        "en": "{option} {value!r} is not a number; give one such as {option} {example}",
        "es": "{option} {value!r} no es un número; da uno como {option} {example}",
    },
    USAGE_OUT_OF_RANGE: {
        "en": "{option} {value} is out of range: it must be {range}",
        "es": "{option} {value} está fuera de rango: debe ser {range}",
    },
    USAGE_RANGE_BETWEEN: {"en": "from {low} to {high}", "es": "de {low} a {high}"},
    USAGE_RANGE_AT_LEAST: {"en": "at least {low}", "es": "al menos {low}"},
    USAGE_RANGE_AT_MOST: {"en": "at most {high}", "es": "como máximo {high}"},
    USAGE_BAD_VALUE: {
        "en": "{option} {value!r} is not a valid value",
        "es": "{option} {value!r} no es un valor válido",
    },
    USAGE_INVALID_VALUE: {
        "en": "invalid value for {option}",
        "es": "valor no válido para {option}",
    },
    USAGE_EXTRA_ARGS: {
        "en": "unexpected extra {n:plural:argument|arguments}: {args}{hint}",
        "es": "{n:plural:argumento|argumentos} de más: {args}{hint}",
    },
    USAGE_QUOTE_MATRIX: {
        "en": " (the command takes one INPUT; put an inline matrix in quotes: \"1 2; 3 4\")",
        "es": " (la orden toma una sola ENTRADA; pon una matriz en línea entre comillas: \"1 2; 3 4\")",
    },
    OPTIONS_EXCLUSIVE: {
        "en": "{first} and {second} were both given, and one exercise is one of them; keep one",
        "es": "se dieron {first} y {second}, y un ejercicio es uno de los dos; deja uno",
    },
    OPTION_NEEDS: {
        "en": "{option} only applies with {needs}, which was not given; add {needs} or drop {option}",
        "es": "{option} solo se aplica con {needs}, que no se dio; añade {needs} o quita {option}",
    },
    KEY_SAYS_EXERCISE: {
        "en": "--key and {other} were both given, and the answer key already says the exercise (input, kernel "
              "and settings); give --key alone, or INPUT with -k/--pool instead of it",
        "es": "se dieron --key y {other}, y la clave ya dice el ejercicio (entrada, kernel y ajustes); da "
              "--key sola, o ENTRADA con -k/--pool en su lugar",
    },
    USAGE_OTHER: {
        "en": "the command line is not understood: {message}",
        "es": "no se entiende la línea de órdenes: {message}",
    },
    INTERRUPTED: {"en": "interrupted", "es": "interrumpido"},
    TRACE_TOO_LONG_TABLE: {
        "en": "this trace would print {n} windows as a table, more than the limit of {limit} (about 30 ms each); "
              "trace chosen cells with --at I,J, print fewer with --max-steps (e.g. --max-steps 25), "
              "or save the trace with --format json (or markdown, latex) -o FILE, up to {export_limit} windows",
        "es": "esta traza mostraría {n} ventanas como tabla, más que el límite de {limit} (unos 30 ms cada una); "
              "traza las celdas que elijas con --at I,J, muestra menos con --max-steps (p. ej. --max-steps 25), "
              "o guarda la traza con --format json (o markdown, latex) -o ARCHIVO, hasta {export_limit} ventanas",
    },
    TRACE_TOO_LONG_EXPORT: {
        "en": "this trace would hold {n} windows, more than the limit of {limit}; "
              "trace chosen cells with --at I,J or fewer with --max-steps, or leave out --trace to get the whole result",
        "es": "esta traza tendría {n} ventanas, más que el límite de {limit}; "
              "traza las celdas que elijas con --at I,J o menos con --max-steps, o quita --trace para obtener el resultado completo",
    },
    OS_ERROR: {"en": "{where}: {reason}", "es": "{where}: {reason}"},
    OUTPUT_IS_INPUT: {
        "en": "{where}: is one of this command's inputs and is never written over, --force or not; name another file",
        "es": "{where}: es una de las entradas de esta orden y nunca se sobrescribe, con --force o sin él; indica otro archivo",
    },
    OUT_OF_MEMORY: {
        "en": "the machine ran out of memory for this; ask for less (a smaller input, padding or output), or "
              "leave CONVTRACE_MAX_MEMORY unset so that sizes are checked before memory is taken",
        "es": "la máquina se quedó sin memoria para esto; pide menos (una entrada, un relleno o una salida más "
              "pequeños), o no definas CONVTRACE_MAX_MEMORY para que los tamaños se comprueben antes de tomar memoria",
    },
    OS_NOT_FOUND: {"en": "no such file or folder; check the name", "es": "no existe el archivo o la carpeta; revisa el nombre"},
    OS_PERMISSION: {
        "en": "permission denied; check that you may read it (or write there)",
        "es": "permiso denegado; comprueba que puedes leerlo (o escribir ahí)",
    },
    OS_IS_DIR: {"en": "is a folder, not a file; name a file", "es": "es una carpeta, no un archivo; indica un archivo"},
    OS_NOT_DIR: {
        "en": "a part of the path is a file, not a folder; check the path",
        "es": "una parte de la ruta es un archivo, no una carpeta; revisa la ruta",
    },
    OS_NO_SPACE: {"en": "the disk is full; free some space", "es": "el disco está lleno; libera espacio"},
    OS_READ_ONLY: {
        "en": "the file system is read-only; write somewhere else",
        "es": "el sistema de archivos es de solo lectura; escribe en otro sitio",
    },
    OS_NAME_TOO_LONG: {"en": "the name is too long; use a shorter one", "es": "el nombre es demasiado largo; usa uno más corto"},
    OS_NOT_ENOUGH_MEMORY: {"en": "not enough memory", "es": "no hay memoria suficiente"},
    OS_FILE_CUT_SHORT: {"en": "the file ends early", "es": "el archivo termina antes de tiempo"},
    ANSWER_FAILED: {
        "en": "could not be read ({error}); an answer is a matrix in a .txt, .csv, .tsv, .dat, .json or .npy file",
        "es": "no se pudo leer ({error}); una respuesta es una matriz en un archivo .txt, .csv, .tsv, .dat, .json o .npy",
    },
    FORMAT_SUFFIX_MISMATCH: {
        "en": "{where} ends in {suffix} but --format {fmt} was asked; name the file {expected} for {fmt}, "
              "or leave out --format to write {named}",
        "es": "{where} termina en {suffix} pero se pidió --format {fmt}; nombra el archivo {expected} para {fmt}, "
              "o quita --format para escribir {named}",
    },
    FORMAT_UNKNOWN_SUFFIX: {
        "en": "{where}: the format cannot be told from the suffix {suffix}; end the name in one of "
              "{suffixes}, or give --format",
        "es": "{where}: el formato no se deduce de la terminación {suffix}; termina el nombre en "
              "{suffixes}, o indica --format",
    },
    JPEG_CHANNELS: {
        "en": "a JPEG holds 1 (gray) or 3 (RGB) channels but this result has {n} maps; "
              "write a .png (4 channels: RGBA) or -o FILE.npy",
        "es": "un JPEG guarda 1 (gris) o 3 (RGB) canales pero este resultado tiene {n} mapas; "
              "escribe un .png (4 canales: RGBA) o -o ARCHIVO.npy",
    },
    PNG_CHANNELS: {
        "en": "a PNG holds 1, 3 (RGB) or 4 (RGBA) channels but this result has {n} maps; "
              "write them all with -o FILE.npy, or one map at a time",
        "es": "un PNG guarda 1, 3 (RGB) o 4 (RGBA) canales pero este resultado tiene {n} mapas; "
              "escríbelos todos con -o ARCHIVO.npy, o un mapa cada vez",
    },
    COMPILING: {
        "en": "compiling the engine for this machine — first run only, about {seconds} s",
        "es": "compilando el motor para este equipo — solo la primera vez, unos {seconds} s",
    },
    SOURCE_ARGUMENT: {"en": "<argument>", "es": "<argumento>"},
    SOURCE_STDIN: {"en": "<stdin>", "es": "<entrada estándar>"},
}
