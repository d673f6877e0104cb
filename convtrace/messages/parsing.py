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
EMPTY_ARGUMENT = "empty_argument"
NOT_TEXT_FILE = "not_text_file"
BINARY_RENAME = "binary_rename"
BINARY_WHAT_WORKS = "binary_what_works"
BINARY_SAVE_AS = "binary_save_as"
BINARY_PNG = "binary_png"
BINARY_JPEG = "binary_jpeg"
BINARY_GIF = "binary_gif"
BINARY_BMP = "binary_bmp"
BINARY_TIFF = "binary_tiff"
BINARY_WEBP = "binary_webp"
BINARY_NPY = "binary_npy"
BINARY_ZIP = "binary_zip"
BINARY_PDF = "binary_pdf"
BINARY_DATA = "binary_data"
FILE_UNREADABLE = "file_unreadable"
NPY_UNREADABLE = "npy_unreadable"
IMAGE_UNREADABLE = "image_unreadable"
IMAGE_BROKEN = "image_broken"
IMAGE_BOMB = "image_bomb"
BAD_SCALE_RANGE = "bad_scale_range"
BAD_SCALE = "bad_scale"
BAD_KERNEL_FILE = "bad_kernel_file"
KERNELS_DIR_MISSING = "kernels_dir_missing"
KERNELS_DIR_IS_FILE = "kernels_dir_is_file"
KERNEL_FILE_SKIPPED = "kernel_file_skipped"
UNKNOWN_KERNEL = "unknown_kernel"
PARSE_INT_TOO_LARGE = "parse_int_too_large"
PARSE_FLOAT_TOO_LARGE = "parse_float_too_large"
PARSE_DECIMAL_COMMA = "parse_decimal_comma"
PARSE_TOO_DEEP = "parse_too_deep"
PARSE_CHANNEL_SHAPE = "parse_channel_shape"
WHAT_TEXT_MATRIX = "what_text_matrix"
HINT_TEXT_MATRIX = "hint_text_matrix"
NPY_EMPTY = "npy_empty"
NPY_OBJECTS = "npy_objects"
NPY_TRUNCATED = "npy_truncated"
WHAT_NPY_ARRAY = "what_npy_array"
HINT_NPY_ARRAY = "hint_npy_array"
OUTPUT_FOLDER_MISSING = "output_folder_missing"
OUTPUT_FOLDER_NOT_FOLDER = "output_folder_not_folder"
OUTPUT_IS_FOLDER = "output_is_folder"
OUTPUT_NOT_REGULAR = "output_not_regular"
OUTPUT_PERMISSION = "output_permission"
OUTPUT_UNWRITABLE = "output_unwritable"
KEY_UNKNOWN_FIELD = "key_unknown_field"
SCALE_OUT_OF_RANGE = "scale_out_of_range"

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
    EMPTY_ARGUMENT: {
        "en": "an empty argument ({shown}) where a matrix is needed; give a file, '-' for standard input, "
              "or a matrix in quotes such as \"1 2; 3 4\"",
        "es": "un argumento vacío ({shown}) donde hace falta una matriz; da un archivo, '-' para la entrada "
              "estándar, o una matriz entre comillas como \"1 2; 3 4\"",
    },
    NOT_TEXT_FILE: {
        "en": "{where}: is not a text file but {what}; {hint}",
        "es": "{where}: no es un archivo de texto sino {what}; {hint}",
    },
    BINARY_RENAME: {
        "en": "give it its own ending ({suffix}) and it is read as one",
        "es": "dale su terminación ({suffix}) y se leerá como tal",
    },
    BINARY_WHAT_WORKS: {
        "en": "give a matrix as text (.txt, .csv), an image (.png, .jpg) or a NumPy array (.npy)",
        "es": "da una matriz como texto (.txt, .csv), una imagen (.png, .jpg) o un arreglo de NumPy (.npy)",
    },
    BINARY_PNG: {"en": "a PNG image", "es": "una imagen PNG"},
    BINARY_JPEG: {"en": "a JPEG image", "es": "una imagen JPEG"},
    BINARY_GIF: {"en": "a GIF image", "es": "una imagen GIF"},
    BINARY_BMP: {"en": "a BMP image", "es": "una imagen BMP"},
    BINARY_TIFF: {"en": "a TIFF image", "es": "una imagen TIFF"},
    BINARY_WEBP: {"en": "a WebP image", "es": "una imagen WebP"},
    BINARY_NPY: {"en": "a NumPy array", "es": "un arreglo de NumPy"},
    BINARY_ZIP: {"en": "a ZIP archive (an .xlsx, .ods or .docx is one)",
                 "es": "un archivo ZIP (un .xlsx, .ods o .docx lo es)"},
    BINARY_SAVE_AS: {
        "en": "save it as text — a spreadsheet with 'Save as CSV', a document as plain text (.txt) — and give that",
        "es": "guárdalo como texto — una hoja de cálculo con 'Guardar como CSV', un documento como texto plano (.txt) — y da ese archivo",
    },
    BINARY_PDF: {"en": "a PDF document", "es": "un documento PDF"},
    BINARY_DATA: {"en": "binary data", "es": "datos binarios"},
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
    BAD_SCALE_RANGE: {
        "en": "{where}: scale {value!r} is zero or beyond what a number can hold; write a nonzero scale such as 1/16",
        "es": "{where}: la escala {value!r} es cero o va más allá de lo que cabe en un número; escribe una escala distinta de cero como 1/16",
    },
    BAD_SCALE: {
        "en": "{where}: scale {value!r} is not a number or fraction such as 1/16",
        "es": "{where}: la escala {value!r} no es un número ni una fracción como 1/16",
    },
    BAD_KERNEL_FILE: {
        "en": "{where}: a kernel must be a 2-D matrix, or 2-D slices separated by blank lines",
        "es": "{where}: un kernel debe ser una matriz 2-D, o cortes 2-D separados por líneas en blanco",
    },
    KERNEL_FILE_SKIPPED: {
        "en": "not listed, as it is not a kernel: {reason}",
        "es": "no se lista, porque no es un kernel: {reason}",
    },
    KERNELS_DIR_IS_FILE: {
        "en": "{where}: is a file, and --kernels-dir (or CONVTRACE_KERNELS) names a folder of kernel files "
              "(one .txt each); give its folder, or the file itself with -k {where}",
        "es": "{where}: es un archivo, y --kernels-dir (o CONVTRACE_KERNELS) nombra una carpeta de kernels "
              "(un .txt cada uno); da su carpeta, o el archivo mismo con -k {where}",
    },
    KERNELS_DIR_MISSING: {
        "en": "{where}: kernel folder not found; check --kernels-dir or CONVTRACE_KERNELS",
        "es": "{where}: no se encontró la carpeta de kernels; revisa --kernels-dir o CONVTRACE_KERNELS",
    },
    UNKNOWN_KERNEL: {
        "en": "unknown kernel {name!r}; did you mean: {suggestions}? ('convtrace kernels' lists them all; a file path or an inline matrix such as \"0 -1 0; -1 5 -1; 0 -1 0\" works too)",
        "es": "kernel desconocido {name!r}; ¿quisiste decir: {suggestions}? ('convtrace kernels' los lista todos; también sirve una ruta o una matriz como \"0 -1 0; -1 5 -1; 0 -1 0\")",
    },
    PARSE_INT_TOO_LARGE: {
        "en": "{where}: {token!r} is beyond 64-bit integers (±9223372036854775807), where results cannot be exact; write it as {spelled} to compute in floating point",
        "es": "{where}: {token!r} supera los enteros de 64 bits (±9223372036854775807), con los que el resultado no puede ser exacto; escríbelo como {spelled} para calcular en coma flotante",
    },
    PARSE_FLOAT_TOO_LARGE: {
        "en": "{where}: {token!r} is too large for a number (it would become infinity); write it within ±1.8e308",
        "es": "{where}: {token!r} es demasiado grande para un número (se convertiría en infinito); escríbelo dentro de ±1.8e308",
    },
    PARSE_DECIMAL_COMMA: {
        "en": "{where}: {token!r} looks like a decimal comma; write {decimal} for one number, or separate the values with ', ' ({spaced})",
        "es": "{where}: {token!r} parece una coma decimal; escribe {decimal} para un número, o separa los valores con ', ' ({spaced})",
    },
    PARSE_TOO_DEEP: {
        "en": "{where}: brackets nested more than {limit} deep; a matrix needs one level per dimension, e.g. [[1, 2], [3, 4]]",
        "es": "{where}: corchetes anidados más de {limit} niveles; una matriz necesita un nivel por dimensión, p. ej. [[1, 2], [3, 4]]",
    },
    PARSE_CHANNEL_SHAPE: {
        "en": "{where}: channel {index} is {shape} but channel 1 is {expected}; every channel (a block of rows after a blank line) needs the same rows and columns",
        "es": "{where}: el canal {index} es {shape} pero el canal 1 es {expected}; todos los canales (bloques de filas separados por una línea en blanco) necesitan las mismas filas y columnas",
    },
    WHAT_TEXT_MATRIX: {"en": "reading this text matrix", "es": "leer esta matriz de texto"},
    HINT_TEXT_MATRIX: {
        "en": "save a matrix this large as .npy (numpy.save) or as an image",
        "es": "guarda una matriz tan grande como .npy (numpy.save) o como imagen",
    },
    NPY_EMPTY: {
        "en": "{where}: the array is empty (shape {shape}); save one with at least one value",
        "es": "{where}: el arreglo está vacío (forma {shape}); guarda uno con al menos un valor",
    },
    NPY_OBJECTS: {
        "en": "{where}: the array holds Python objects (dtype {dtype}), which are never loaded; save an array of numbers (e.g. numpy.save(path, arr.astype(float)))",
        "es": "{where}: el arreglo contiene objetos de Python (dtype {dtype}), que nunca se cargan; guarda un arreglo de números (p. ej. numpy.save(ruta, arr.astype(float)))",
    },
    NPY_TRUNCATED: {
        "en": "{where}: the header promises shape {shape} ({need} bytes of data) but the file holds only {have} bytes; the file is damaged or cut short, save it again",
        "es": "{where}: la cabecera promete la forma {shape} ({need} bytes de datos) pero el archivo solo tiene {have} bytes; el archivo está dañado o incompleto, guárdalo de nuevo",
    },
    WHAT_NPY_ARRAY: {"en": "loading this .npy array", "es": "cargar este arreglo .npy"},
    HINT_NPY_ARRAY: {"en": "save a smaller array", "es": "guarda un arreglo más pequeño"},
    OUTPUT_FOLDER_MISSING: {
        "en": "{where}: the folder {folder} does not exist; create it first (mkdir -p {folder})",
        "es": "{where}: la carpeta {folder} no existe; créala primero (mkdir -p {folder})",
    },
    OUTPUT_FOLDER_NOT_FOLDER: {
        "en": "{where}: {folder} is a file, not a folder; choose an output path inside a folder",
        "es": "{where}: {folder} es un archivo, no una carpeta; elige una ruta de salida dentro de una carpeta",
    },
    OUTPUT_IS_FOLDER: {
        "en": "{where}: is a folder; a folder is never replaced, give a file name inside it (e.g. {where}/out.json)",
        "es": "{where}: es una carpeta; una carpeta nunca se reemplaza, da un nombre de archivo dentro de ella (p. ej. {where}/out.json)",
    },
    OUTPUT_NOT_REGULAR: {
        "en": "{where}: is not a regular file (a device, pipe or socket), so it is not replaced; write to an ordinary file",
        "es": "{where}: no es un archivo normal (un dispositivo, una tubería o un socket), así que no se reemplaza; escribe en un archivo normal",
    },
    OUTPUT_PERMISSION: {
        "en": "{where}: permission denied; choose a folder you can write to, or change its permissions",
        "es": "{where}: permiso denegado; elige una carpeta en la que puedas escribir, o cambia sus permisos",
    },
    OUTPUT_UNWRITABLE: {
        "en": "{where}: cannot be written ({reason}); nothing was changed",
        "es": "{where}: no se puede escribir ({reason}); no se cambió nada",
    },
    KEY_UNKNOWN_FIELD: {
        "en": "{where}: unknown field {field!r} in the answer key{part}; the fields are: {known}",
        "es": "{where}: campo desconocido {field!r} en la clave de respuestas{part}; los campos son: {known}",
    },
    SCALE_OUT_OF_RANGE: {
        "en": "{where}: scale {value!r} is too large or too small to compute with; write a scale such as 1/16, within ±1.8e308",
        "es": "{where}: la escala {value!r} es demasiado grande o pequeña para calcular; escribe una escala como 1/16, dentro de ±1.8e308",
    },
}
