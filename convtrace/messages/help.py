"""Help texts of the command line."""

from __future__ import annotations

import re

HELP_BATCH = "help_batch"
HELP_IN_DIR = "help_in_dir"
HELP_OUT_DIR = "help_out_dir"
HELP_RECURSIVE = "help_recursive"
HELP_PATTERN = "help_pattern"
HELP_CHANNELS = "help_channels"
HELP_RANGE = "help_range"
HELP_OUT_FORMAT = "help_out_format"
HELP_WORKERS = "help_workers"
HELP_DEVICE = "help_device"
HELP_OVERWRITE = "help_overwrite"
HELP_DRY_RUN = "help_dry_run"
HELP_QUIET = "help_quiet"
HELP_JSON = "help_json"
HELP_BATCH_PADDING = "help_batch_padding"
HELP_BATCH_PAD_MODE = "help_batch_pad_mode"
HELP_APP = "help_app"
HELP_CONV = "help_conv"
HELP_POOL = "help_pool"
HELP_KERNELS = "help_kernels"
HELP_KERNELS_SHOW = "help_kernels_show"
HELP_MODES = "help_modes"
HELP_INPUT = "help_input"
HELP_KERNEL = "help_kernel"
HELP_PADDING = "help_padding"
HELP_PAD_MODE = "help_pad_mode"
HELP_PAD_VALUE = "help_pad_value"
HELP_STRIDE = "help_stride"
HELP_DILATION = "help_dilation"
HELP_FLIP = "help_flip"
HELP_TRACE = "help_trace"
HELP_AT = "help_at"
HELP_MAX_STEPS = "help_max_steps"
HELP_FORMAT = "help_format"
HELP_OUTPUT = "help_output"
HELP_FORCE = "help_force"
HELP_PRECISION = "help_precision"
HELP_LANG = "help_lang"
HELP_KERNELS_DIR = "help_kernels_dir"
HELP_POOL_MODE = "help_pool_mode"
HELP_SIZE = "help_size"
HELP_POOL_STRIDE = "help_pool_stride"
HELP_CEIL = "help_ceil"
HELP_EXCLUDE_PAD = "help_exclude_pad"
HELP_CHECK = "help_check"
HELP_QUIZ = "help_quiz"
HELP_CHECK_POOL = "help_check_pool"
HELP_ANSWER = "help_answer"
HELP_ANSWERS = "help_answers"
HELP_KEY = "help_key"
HELP_TOL = "help_tol"
HELP_REPORT = "help_report"
HELP_QUIZ_SIZE = "help_quiz_size"
HELP_QUIZ_KERNEL = "help_quiz_kernel"
HELP_KERNEL_SIZE = "help_kernel_size"
HELP_VALUES = "help_values"
HELP_SEED = "help_seed"
HELP_COUNT = "help_count"
HELP_QUIZ_OUTPUT = "help_quiz_output"
HELP_VERSION = "help_version"
HELP_EXAMPLES = "help_examples"
HELP_HEADING_ARGUMENTS = "help_heading_arguments"
HELP_HEADING_OPTIONS = "help_heading_options"
HELP_HEADING_COMMANDS = "help_heading_commands"
HELP_RESULT_FORMAT = "help_result_format"
HELP_IMAGE_RANGE = "help_image_range"
HELP_NO_INDEX = "help_no_index"
HELP_STANDALONE = "help_standalone"
HELP_FORCE_REPORT = "help_force_report"
HELP_FORCE_QUIZ = "help_force_quiz"
HELP_EXERCISE_STRIDE = "help_exercise_stride"
HELP_COMPLETION = "help_completion"
HELP_SHELL = "help_shell"
HELP_KERNEL_NAME = "help_kernel_name"
# The command-line framework's own words in --help (see convtrace.cli.localize).
HELP_HELP_OPTION = "help_help_option"
HELP_USAGE = "help_usage"
HELP_DEFAULT = "help_default"
HELP_REQUIRED = "help_required"
HELP_ENVVAR = "help_envvar"
HELP_DEPRECATED = "help_deprecated"
HELP_DYNAMIC = "help_dynamic"
HELP_HEADING_ERROR = "help_heading_error"
HELP_ABORTED = "help_aborted"
HELP_TRY_HELP = "help_try_help"

MESSAGES: dict[str, dict[str, object]] = {
    HELP_BATCH: {
        "en": "Filter every image in a folder with a kernel and/or pooling, in parallel, never overwriting.",
        "es": "Filtra cada imagen de una carpeta con un kernel y/o pooling, en paralelo, sin sobrescribir nunca.",
    },
    HELP_IN_DIR: {
        "en": "Folder of images to read (never written to).",
        "es": "Carpeta de imágenes a leer (nunca se escribe).",
    },
    HELP_OUT_DIR: {
        "en": "Folder to write results to, same relative paths and names.",
        "es": "Carpeta donde escribir los resultados, con las mismas rutas relativas y nombres.",
    },
    HELP_RECURSIVE: {"en": "Include subfolders.", "es": "Incluye subcarpetas."},
    HELP_PATTERN: {
        "en": "Only files matching this pattern, e.g. '*.jpg'.",
        "es": "Solo archivos que coincidan con este patrón, p. ej. '*.jpg'.",
    },
    HELP_CHANNELS: {
        "en": "per: each colour on its own; sum: one map from a depth-3 filter (CNN view); gray: convert first.",
        "es": "per: cada color por separado; sum: un mapa con un filtro de profundidad 3 (vista CNN); gray: convierte primero.",
    },
    HELP_RANGE: {
        "en": "Values outside 0…255: clip, abs (edge maps) or normalize (min–max).",
        "es": "Valores fuera de 0…255: clip, abs (mapas de bordes) o normalize (mín–máx).",
    },
    HELP_OUT_FORMAT: {
        "en": "Output file type (same: as the input).",
        "es": "Tipo de archivo de salida (same: como la entrada).",
    },
    HELP_WORKERS: {
        "en": "Parallel workers (default: one per CPU).",
        "es": "Trabajadores en paralelo (por defecto: uno por CPU).",
    },
    HELP_DEVICE: {
        "en": "Where to compute: cpu, cuda (an NVIDIA GPU, needs convtrace[cuda]) or auto (the GPU for large work when there is one).",
        "es": "Dónde calcular: cpu, cuda (una GPU NVIDIA, requiere convtrace[cuda]) o auto (la GPU para trabajos grandes si la hay).",
    },
    HELP_OVERWRITE: {
        "en": "Replace outputs that already exist (default: skip them, so a rerun resumes).",
        "es": "Reemplaza salidas existentes (por defecto se omiten, así una nueva ejecución continúa).",
    },
    HELP_DRY_RUN: {
        "en": "Show what would be written, write nothing.",
        "es": "Muestra qué se escribiría, sin escribir nada.",
    },
    HELP_QUIET: {"en": "No progress bar or summary.", "es": "Sin barra de progreso ni resumen."},
    HELP_JSON: {
        "en": "Print a JSON summary (for scripts).",
        "es": "Imprime un resumen JSON (para scripts).",
    },
    HELP_BATCH_PADDING: {
        "en": "Padding for -k (default same: keep the size).",
        "es": "Relleno para -k (por defecto same: mantiene el tamaño).",
    },
    HELP_BATCH_PAD_MODE: {
        "en": "Border for -k (default replicate, as image editors).",
        "es": "Borde para -k (por defecto replicate, como los editores de imágenes).",
    },
    HELP_APP: {
        "en": "See, check and run convolutions: step-by-step traces as the course slides do them.",
        "es": "Ver, comprobar y ejecutar convoluciones: trazas paso a paso como en las diapositivas del curso.",
    },
    HELP_CONV: {
        "en": "Convolve (cross-correlate) a matrix or image with a kernel, optionally showing every window.",
        "es": "Convoluciona (correlación cruzada) una matriz o imagen con un kernel, mostrando cada ventana si se pide.",
    },
    HELP_POOL: {
        "en": "Pool a matrix or image (max, avg, min, sum), optionally showing every window.",
        "es": "Aplica pooling a una matriz o imagen (max, avg, min, sum), mostrando cada ventana si se pide.",
    },
    HELP_KERNELS: {
        "en": "List the kernel library with each matrix.",
        "es": "Lista la biblioteca de kernels con cada matriz.",
    },
    HELP_KERNELS_SHOW: {
        "en": "Show one kernel: its matrix, scale and description.",
        "es": "Muestra un kernel: su matriz, escala y descripción.",
    },
    HELP_MODES: {
        "en": "How border modes and flipping are named in convtrace, NumPy, SciPy, PyTorch, OpenCV, Pillow and ImageMagick.",
        "es": "Cómo se llaman los modos de borde y el volteo en convtrace, NumPy, SciPy, PyTorch, OpenCV, Pillow e ImageMagick.",
    },
    HELP_INPUT: {
        "en": "Matrix or image: a file (.txt .csv .json .npy .png .jpg …), '-' for standard input, or inline \"1 2; 3 4\".",
        "es": "Matriz o imagen: un archivo (.txt .csv .json .npy .png .jpg …), '-' para la entrada estándar, o en línea \"1 2; 3 4\".",
    },
    HELP_KERNEL: {
        "en": "Kernel: a library name (see 'convtrace kernels'), a file, or inline \"0 -1 0; -1 5 -1; 0 -1 0\".",
        "es": "Kernel: un nombre de la biblioteca (ver 'convtrace kernels'), un archivo, o en línea \"0 -1 0; -1 5 -1; 0 -1 0\".",
    },
    HELP_PADDING: {
        "en": "Padding: N, PH,PW, TOP,BOTTOM,LEFT,RIGHT, valid, same or full.",
        "es": "Relleno: N, PH,PW, ARRIBA,ABAJO,IZQ,DER, valid, same o full.",
    },
    HELP_PAD_MODE: {
        "en": "Border: zeros, reflect, symmetric, replicate, circular (or another library's name; see 'convtrace modes').",
        "es": "Borde: zeros, reflect, symmetric, replicate, circular (o el nombre de otra biblioteca; ver 'convtrace modes').",
    },
    HELP_PAD_VALUE: {
        "en": "The constant for --pad-mode zeros.",
        "es": "La constante para --pad-mode zeros.",
    },
    HELP_STRIDE: {"en": "Stride (paso): N or SH,SW.", "es": "Paso (stride): N o SH,SW."},
    HELP_DILATION: {"en": "Dilation: N or DH,DW.", "es": "Dilatación: N o DH,DW."},
    HELP_FLIP: {
        "en": "True convolution: flip the kernel first (as scipy.signal.convolve2d). Default: cross-correlation, as CNNs.",
        "es": "Convolución verdadera: voltea el kernel primero (como scipy.signal.convolve2d). Por defecto: correlación cruzada, como las CNN.",
    },
    HELP_TRACE: {
        "en": "Show every window: values, products and sum.",
        "es": "Muestra cada ventana: valores, productos y suma.",
    },
    HELP_AT: {
        "en": "Trace only output cell I,J (repeatable; MAP,I,J for several maps).",
        "es": "Traza solo la celda de salida I,J (repetible; MAPA,I,J con varios mapas).",
    },
    HELP_MAX_STEPS: {
        "en": "Most windows to print in a trace (0: all).",
        "es": "Máximo de ventanas a mostrar en una traza (0: todas).",
    },
    HELP_FORMAT: {"en": "Output format.", "es": "Formato de salida."},
    HELP_OUTPUT: {
        "en": "Write to this file (never overwritten without --force).",
        "es": "Escribe en este archivo (nunca se sobrescribe sin --force).",
    },
    HELP_FORCE: {
        "en": "Overwrite the -o file if it exists.",
        "es": "Sobrescribe el archivo -o si existe.",
    },
    HELP_PRECISION: {
        "en": "Decimals shown for non-integers.",
        "es": "Decimales mostrados para valores no enteros.",
    },
    HELP_LANG: {
        "en": "Language: en or es (default: from LANG).",
        "es": "Idioma: en o es (por defecto: según LANG).",
    },
    HELP_KERNELS_DIR: {
        "en": "Extra folder of kernel files (repeatable).",
        "es": "Carpeta adicional de archivos de kernels (repetible).",
    },
    HELP_POOL_MODE: {"en": "What each window becomes.", "es": "En qué se convierte cada ventana."},
    HELP_SIZE: {
        "en": "Window size: N, KH,KW, or global.",
        "es": "Tamaño de ventana: N, KH,KW, o global.",
    },
    HELP_POOL_STRIDE: {
        "en": "Stride: N or SH,SW (default: the window size).",
        "es": "Paso: N o SH,SW (por defecto: el tamaño de la ventana).",
    },
    HELP_CEIL: {
        "en": "Round the output size up (PyTorch ceil_mode).",
        "es": "Redondea hacia arriba el tamaño de salida (ceil_mode de PyTorch).",
    },
    HELP_EXCLUDE_PAD: {
        "en": "Averages divide by the cells inside the input only (count_include_pad=False).",
        "es": "Los promedios dividen solo entre las celdas dentro de la entrada (count_include_pad=False).",
    },
    HELP_CHECK: {
        "en": "Grade a student's answer (or a whole class's) against the computed output and name the likely mistake.",
        "es": "Califica la respuesta de un estudiante (o de toda la clase) contra la salida calculada y nombra el error probable.",
    },
    HELP_QUIZ: {
        "en": "Make convolution or pooling exercises with answer keys, reproducible from a seed.",
        "es": "Crea ejercicios de convolución o pooling con claves de respuesta, reproducibles con una semilla.",
    },
    HELP_CHECK_POOL: {
        "en": "A pooling exercise instead of a kernel: MODE:SIZE, e.g. max:2 or avg:3x3.",
        "es": "Un ejercicio de pooling en vez de un kernel: MODO:TAMAÑO, p. ej. max:2 o avg:3x3.",
    },
    HELP_ANSWER: {
        "en": "The answer: a file, '-', or inline \"31 30; 29 28\"; blanks as ? _ - (repeatable).",
        "es": "La respuesta: un archivo, '-', o en línea \"31 30; 29 28\"; vacías como ? _ - (repetible).",
    },
    HELP_ANSWERS: {
        "en": "A folder of answer files to grade (one row each).",
        "es": "Una carpeta de respuestas a calificar (una fila por archivo).",
    },
    HELP_KEY: {
        "en": "An answer key from 'convtrace quiz' instead of INPUT and its options.",
        "es": "Una clave de 'convtrace quiz' en vez de ENTRADA y sus opciones.",
    },
    HELP_TOL: {
        "en": "Tolerance for non-integer answers (integers must be exact).",
        "es": "Tolerancia para respuestas no enteras (los enteros deben ser exactos).",
    },
    HELP_REPORT: {
        "en": "Write a CSV report, one row per answer file.",
        "es": "Escribe un informe CSV, una fila por archivo de respuesta.",
    },
    HELP_QUIZ_SIZE: {"en": "Input size, e.g. 5x5.", "es": "Tamaño de la entrada, p. ej. 5x5."},
    HELP_QUIZ_KERNEL: {
        "en": "A library kernel name, a file, an inline matrix, or random.",
        "es": "Un kernel de la biblioteca, un archivo, una matriz en línea, o random.",
    },
    HELP_KERNEL_SIZE: {"en": "Size of random kernels.", "es": "Tamaño de los kernels aleatorios."},
    HELP_VALUES: {
        "en": "Range of input values, LOW..HIGH.",
        "es": "Rango de valores de la entrada, BAJO..ALTO.",
    },
    HELP_SEED: {
        "en": "Seed: the same seed gives the same exercises (default: random, printed).",
        "es": "Semilla: la misma semilla da los mismos ejercicios (por defecto: aleatoria, se imprime).",
    },
    HELP_COUNT: {"en": "How many exercises.", "es": "Cuántos ejercicios."},
    HELP_QUIZ_OUTPUT: {
        "en": "Folder for exercises, solutions and key-NN.json answer keys.",
        "es": "Carpeta para ejercicios, soluciones y claves key-NN.json.",
    },
    HELP_VERSION: {"en": "Show the version and exit.", "es": "Muestra la versión y sale."},
    HELP_EXAMPLES: {"en": "Examples", "es": "Ejemplos"},
    HELP_HEADING_ARGUMENTS: {"en": "Arguments", "es": "Argumentos"},
    HELP_HEADING_OPTIONS: {"en": "Options", "es": "Opciones"},
    HELP_HEADING_COMMANDS: {"en": "Commands", "es": "Comandos"},
    HELP_RESULT_FORMAT: {
        "en": "Output format: table, json, csv, markdown, latex, npy, png, jpg (or jpeg), gif or html (default: from the -o "
              "file's suffix, else table).",
        "es": "Formato de salida: table, json, csv, markdown, latex, npy, png, jpg (o jpeg), gif o html (por defecto: según "
              "la extensión del archivo -o; si no, table).",
    },
    HELP_IMAGE_RANGE: {
        "en": "PNG or JPEG output, values outside 0…255: clip, abs (edge maps) or normalize (min–max), as "
              "'convtrace batch'.",
        "es": "Salida PNG o JPEG, valores fuera de 0…255: clip, abs (mapas de bordes) o normalize (mín–máx), como "
              "'convtrace batch'.",
    },
    HELP_NO_INDEX: {
        "en": "No row and column numbers on the matrices.",
        "es": "Sin números de fila y columna en las matrices.",
    },
    HELP_STANDALONE: {
        "en": "With --format latex: a whole document that compiles on its own (preamble included).",
        "es": "Con --format latex: un documento completo que compila por sí solo (con preámbulo).",
    },
    HELP_FORCE_REPORT: {
        "en": "Overwrite the --report file if it exists.",
        "es": "Sobrescribe el archivo de --report si existe.",
    },
    HELP_FORCE_QUIZ: {
        "en": "Overwrite the files already in the -o folder.",
        "es": "Sobrescribe los archivos que ya estén en la carpeta -o.",
    },
    HELP_EXERCISE_STRIDE: {
        "en": "Stride: N or SH,SW (default: 1 with a kernel, the window size with --pool).",
        "es": "Paso (stride): N o SH,SW (por defecto: 1 con un kernel, el tamaño de la ventana con --pool).",
    },
    HELP_COMPLETION: {
        "en": "Print the shell completion script for bash, zsh or fish; add it to the shell's startup file.",
        "es": "Imprime el script de autocompletado para bash, zsh o fish; añádelo al archivo de inicio del shell.",
    },
    HELP_KERNEL_NAME: {
        "en": "A kernel's name or alias in the library, e.g. sharpen or gaussian-3.",
        "es": "El nombre o alias de un kernel de la biblioteca, p. ej. sharpen o enfocar.",
    },
    HELP_SHELL: {"en": "The shell: bash, zsh or fish.", "es": "El shell: bash, zsh o fish."},
    HELP_HELP_OPTION: {"en": "Show this message and exit.", "es": "Muestra este mensaje y sale."},
    HELP_USAGE: {"en": "Usage", "es": "Uso"},
    HELP_DEFAULT: {"en": "default", "es": "por defecto"},
    HELP_REQUIRED: {"en": "required", "es": "obligatorio"},
    HELP_ENVVAR: {"en": "env var", "es": "variable de entorno"},
    HELP_DEPRECATED: {"en": "(deprecated)", "es": "(obsoleto)"},
    HELP_DYNAMIC: {"en": "(dynamic)", "es": "(dinámico)"},
    HELP_HEADING_ERROR: {"en": "Error", "es": "Error"},
    HELP_ABORTED: {"en": "Aborted.", "es": "Interrumpido."},
    HELP_TRY_HELP: {"en": "Try '{command} {option}' for help.", "es": "Prueba '{command} {option}' para ver la ayuda."},
}


#: Words in metavars and the usage line (INPUT, FILE, MODE:SIZE …) as Spanish help and errors say them.
metavar_words: dict[str, dict[str, str]] = {
    "INPUT": {"es": "ENTRADA"},
    "FILE": {"es": "ARCHIVO"},
    "DIR": {"es": "CARPETA"},
    "MODE": {"es": "MODO"},
    "SIZE": {"es": "TAMAÑO"},
    "NAME": {"es": "NOMBRE"},
    "MATRIX": {"es": "MATRIZ"},
    "VALUE": {"es": "VALOR"},
    "OPTIONS": {"es": "OPCIONES"},
    "COMMAND": {"es": "COMANDO"},
    "MAP": {"es": "MAPA"},
    "TOP": {"es": "ARRIBA"},
    "BOTTOM": {"es": "ABAJO"},
    "LEFT": {"es": "IZQ"},
    "RIGHT": {"es": "DER"},
    "LOW": {"es": "BAJO"},
    "HIGH": {"es": "ALTO"},
    "PATTERN": {"es": "PATRÓN"},
    "FORMAT": {"es": "FORMATO"},
}


def metavar_in(text: str | None, lang: str) -> str | None:
    """A metavar (INPUT, MODE:SIZE, FILE …) with its words in ``lang``."""
    if not text or lang == "en":
        return text
    return re.sub(r"[A-Z]{2,}", lambda m: metavar_words.get(m.group(), {}).get(lang, m.group()), text)
