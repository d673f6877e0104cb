"""Reading students' answers: what was read how (notes), and why an answer cannot be read."""

from __future__ import annotations

# Notes: readings the answer reader took, shown with the grade.
ANSWER_NOTE_DECIMAL_COMMA = "answer_note_decimal_comma"
NOTE_PREFIX = "note_prefix"
HELP_DECIMAL_COMMA = "help_decimal_comma"
ANSWER_NOTE_COMMA_SHAPE = "answer_note_comma_shape"
ANSWER_NOTE_SEPARATOR_SHAPE = "answer_note_separator_shape"
ANSWER_NOTE_COMMA_LOCALE = "answer_note_comma_locale"
ANSWER_NOTE_COMMA_FORCED = "answer_note_comma_forced"
ANSWER_NOTE_COMMA_SPREADSHEET = "answer_note_comma_spreadsheet"
ANSWER_NOTE_LATEX = "answer_note_latex"
ANSWER_NOTE_LATEX_ROWS = "answer_note_latex_rows"
ANSWER_NOTE_MATLAB = "answer_note_matlab"
ANSWER_NOTE_MATLAB_DISPLAY = "answer_note_matlab_display"
ANSWER_NOTE_NUMPY = "answer_note_numpy"
ANSWER_NOTE_LISTS = "answer_note_lists"
ANSWER_NOTE_STACKED = "answer_note_stacked"
ANSWER_NOTE_BRACES = "answer_note_braces"
ANSWER_NOTE_TENSOR = "answer_note_tensor"
ANSWER_NOTE_TF_TENSOR = "answer_note_tf_tensor"
ANSWER_NOTE_SEMICOLON_CSV = "answer_note_semicolon_csv"
ANSWER_NOTE_TABS = "answer_note_tabs"
ANSWER_NOTE_EMPTY_CELLS = "answer_note_empty_cells"
ANSWER_NOTE_NAN_BLANK = "answer_note_nan_blank"
ANSWER_NOTE_BLANK_LINES = "answer_note_blank_lines"
ANSWER_NOTE_STACKED_MAPS = "answer_note_stacked_maps"
ANSWER_NOTE_THOUSANDS = "answer_note_thousands"
ANSWER_NOTE_LABEL = "answer_note_label"
ANSWER_NOTE_MARKDOWN = "answer_note_markdown"
ANSWER_NOTE_PERCENT = "answer_note_percent"
ANSWER_NOTE_PIPES = "answer_note_pipes"
ANSWER_NOTE_SPACED_MINUS = "answer_note_spaced_minus"
ANSWER_NOTE_COMMA_GROUPS = "answer_note_comma_groups"
ANSWER_NOTE_COMMA_GROUPS_TIED = "answer_note_comma_groups_tied"
ANSWER_NOTE_FACTOR = "answer_note_factor"

# Errors: an answer that cannot be read, and the real cause.
ANSWER_EMPTY = "answer_empty"
ANSWER_NOT_NUMBER = "answer_not_number"
ANSWER_TEXT_LINE = "answer_text_line"
ANSWER_INFINITE = "answer_infinite"
ANSWER_RAGGED = "answer_ragged"
ANSWER_LATEX_RAGGED = "answer_latex_ragged"
ANSWER_LATEX_NO_END = "answer_latex_no_end"
ANSWER_LATEX_NO_BEGIN = "answer_latex_no_begin"
ANSWER_LATEX_MISMATCH = "answer_latex_mismatch"
ANSWER_LATEX_UNKNOWN_ENV = "answer_latex_unknown_env"
ANSWER_LATEX_COMMAND = "answer_latex_command"
ANSWER_LATEX_OUTSIDE = "answer_latex_outside"
ANSWER_LATEX_SEVERAL_VALUES = "answer_latex_several_values"
ANSWER_LATEX_BRACES = "answer_latex_braces"
ANSWER_LATEX_SEVERAL_MATRICES = "answer_latex_several_matrices"
ANSWER_UNCLOSED = "answer_unclosed"
ANSWER_UNOPENED = "answer_unopened"
ANSWER_TRAILING = "answer_trailing"
ANSWER_MIXED_NESTING = "answer_mixed_nesting"
ANSWER_TOO_MANY_DIMS = "answer_too_many_dims"
ANSWER_COMMA_AMBIGUOUS = "answer_comma_ambiguous"
ANSWER_NPY_NOT_NUMBERS = "answer_npy_not_numbers"
ANSWER_PICTURE_SHAPE = "answer_picture_shape"

MESSAGES: dict[str, dict[str, object]] = {
    ANSWER_NOTE_DECIMAL_COMMA: {
        "en": "read {token!r} as {value} (decimal comma; {count} {count:plural:number|numbers} written this way)",
        "es": "se leyó {token!r} como {value} (coma decimal; {count} {count:plural:número escrito|números escritos} así)",
    },
    ANSWER_NOTE_COMMA_SHAPE: {
        "en": "commas between digits read as decimal commas: the answer is then {shape}, as expected (with commas as separators it would be {other})",
        "es": "las comas entre dígitos se leyeron como comas decimales: así la respuesta es {shape}, como se espera (con las comas como separadores sería {other})",
    },
    ANSWER_NOTE_SEPARATOR_SHAPE: {
        "en": "commas read as separators between values: the answer is then {shape}, as expected (with decimal commas it would be {other})",
        "es": "las comas se leyeron como separadores entre valores: así la respuesta es {shape}, como se espera (con comas decimales sería {other})",
    },
    ANSWER_NOTE_COMMA_LOCALE: {
        "en": "commas between digits read as decimal commas, as usual in Spanish (with commas as separators the answer would be {other})",
        "es": "las comas entre dígitos se leyeron como comas decimales, como es habitual en español (con las comas como separadores la respuesta sería {other})",
    },
    ANSWER_NOTE_COMMA_FORCED: {
        "en": "commas between digits read as decimal commas, as asked (--decimal-comma)",
        "es": "las comas entre dígitos se leyeron como comas decimales, como se pidió (--decimal-comma)",
    },
    ANSWER_NOTE_COMMA_SPREADSHEET: {
        "en": "commas between digits read as decimal commas: values are separated by tabs or ';', as a spreadsheet writes them (with commas as separators the answer would be {other})",
        "es": "las comas entre dígitos se leyeron como comas decimales: los valores están separados por tabuladores o ';', como los escribe una hoja de cálculo (con las comas como separadores la respuesta sería {other})",
    },
    ANSWER_NOTE_LATEX: {
        "en": "read as a LaTeX {env} matrix",
        "es": "se leyó como una matriz {env} de LaTeX",
    },
    ANSWER_NOTE_LATEX_ROWS: {
        "en": "read as LaTeX rows (& between entries, \\\\ between rows)",
        "es": "se leyó como filas de LaTeX (& entre elementos, \\\\ entre filas)",
    },
    ANSWER_NOTE_MATLAB: {
        "en": "read as a MATLAB matrix (a new line or ';' starts a row)",
        "es": "se leyó como una matriz de MATLAB (una línea nueva o ';' empieza una fila)",
    },
    ANSWER_NOTE_MATLAB_DISPLAY: {
        "en": "read as MATLAB's display of {name}",
        "es": "se leyó como la salida de MATLAB de {name}",
    },
    ANSWER_NOTE_NUMPY: {
        "en": "read as a NumPy array",
        "es": "se leyó como un arreglo de NumPy",
    },
    ANSWER_NOTE_LISTS: {
        "en": "read as nested lists (Python or JSON)",
        "es": "se leyó como listas anidadas (Python o JSON)",
    },
    ANSWER_NOTE_STACKED: {
        "en": "read one bracketed list per line, each a row (each a channel when it is a matrix)",
        "es": "se leyó una lista entre corchetes por línea, cada una una fila (un canal si es una matriz)",
    },
    ANSWER_NOTE_BRACES: {
        "en": "read '{open}' and its closing mark as brackets",
        "es": "se leyó '{open}' y su cierre como corchetes",
    },
    ANSWER_NOTE_TENSOR: {
        "en": "read as a PyTorch tensor",
        "es": "se leyó como un tensor de PyTorch",
    },
    ANSWER_NOTE_TF_TENSOR: {
        "en": "read as a TensorFlow tensor",
        "es": "se leyó como un tensor de TensorFlow",
    },
    ANSWER_NOTE_SEMICOLON_CSV: {
        "en": "read ';' as the separator between values (a spreadsheet's CSV)",
        "es": "se leyó ';' como separador entre valores (el CSV de una hoja de cálculo)",
    },
    ANSWER_NOTE_TABS: {
        "en": "read tabs as separators between cells (a spreadsheet paste)",
        "es": "se leyeron los tabuladores como separadores entre celdas (pegado de una hoja de cálculo)",
    },
    ANSWER_NOTE_LABEL: {
        "en": "left out {text!r}: a label, not values",
        "es": "se dejó fuera {text!r}: una etiqueta, no valores",
    },
    ANSWER_NOTE_MARKDOWN: {
        "en": "read as a Markdown table ('|' between cells; its header and rule left out)",
        "es": "se leyó como una tabla de Markdown ('|' entre celdas; su encabezado y su raya quedan fuera)",
    },
    ANSWER_NOTE_PERCENT: {
        "en": "read '{token}' as {value} (a percentage)",
        "es": "se leyó '{token}' como {value} (un porcentaje)",
    },
    ANSWER_NOTE_PIPES: {
        "en": "read '|' as the end of a row",
        "es": "se leyó '|' como el final de una fila",
    },
    ANSWER_NOTE_THOUSANDS: {
        "en": "read '{token}' as {value} (a thousands separator)",
        "es": "se leyó '{token}' como {value} (separador de miles)",
    },
    ANSWER_NOTE_SPACED_MINUS: {
        "en": "read '{token}' as {value} (a minus written apart from its number, not a blank: the row then has the exercise's number of values; {count} {count:plural:number|numbers} written this way)",
        "es": "se leyó '{token}' como {value} (un signo menos separado de su número, no una celda en blanco: así la fila tiene el número de valores del ejercicio; {count} {count:plural:número escrito|números escritos} así)",
    },
    ANSWER_NOTE_COMMA_GROUPS: {
        "en": "read '{token}' as {value} (decimal commas in a row whose values commas also separate: the row then has the exercise's number of values; {count} {count:plural:row|rows} read this way)",
        "es": "se leyó '{token}' como {value} (comas decimales en una fila cuyos valores también separan comas: así la fila tiene el número de valores del ejercicio; {count} {count:plural:fila leída|filas leídas} así)",
    },
    ANSWER_NOTE_COMMA_GROUPS_TIED: {
        "en": "row {row} may also be read as '{other}' (instead of '{value}'), which makes as many cells right: the grade is the same either way; write a space or ';' between values to say which",
        "es": "la fila {row} también puede leerse como '{other}' (en lugar de '{value}'), con tantas celdas correctas: la nota es la misma en los dos casos; escribe un espacio o ';' entre los valores para dejarlo claro",
    },
    ANSWER_NOTE_FACTOR: {
        "en": "multiplied every value by {factor}, the factor written before the matrix ('{token}')",
        "es": "se multiplicó cada valor por {factor}, el factor escrito delante de la matriz ('{token}')",
    },
    ANSWER_NOTE_STACKED_MAPS: {
        "en": "read the {rows} rows as the exercise's {maps} maps of {each} rows, one below another",
        "es": "se leyeron las {rows} filas como los {maps} mapas del ejercicio, de {each} filas cada uno, uno debajo de otro",
    },
    ANSWER_NOTE_BLANK_LINES: {
        "en": "read the rows parted by blank lines as one matrix",
        "es": "se leyeron las filas separadas por líneas en blanco como una sola matriz",
    },
    ANSWER_NOTE_EMPTY_CELLS: {
        "en": "read {n} empty {n:plural:cell|cells} as blank",
        "es": "se {n:plural:leyó|leyeron} {n} {n:plural:celda vacía|celdas vacías} como en blanco",
    },
    ANSWER_NOTE_NAN_BLANK: {
        "en": "read {n} {n:plural:value|values} written as NaN, null or None as blank",
        "es": "se {n:plural:leyó|leyeron} {n} {n:plural:valor escrito|valores escritos} como NaN, null o None como en blanco",
    },
    ANSWER_EMPTY: {
        "en": "{where}: the answer is empty; write one row per line, e.g. \"1 2 3\", with ? for a cell left blank",
        "es": "{where}: la respuesta está vacía; escribe una fila por línea, p. ej. \"1 2 3\", con ? en las celdas que dejes en blanco",
    },
    ANSWER_NOT_NUMBER: {
        "en": "{where}: {token!r} is not a number; write integers, decimals (2.25 or 2,25), fractions (1/9), or ? for a cell left blank",
        "es": "{where}: {token!r} no es un número; escribe enteros, decimales (2.25 o 2,25), fracciones (1/9), o ? en una celda que dejes en blanco",
    },
    ANSWER_TEXT_LINE: {
        "en": "{where}: line {line} is text, not numbers ({text!r}); remove it, or start it with # to keep it as a comment",
        "es": "{where}: la línea {line} es texto, no números ({text!r}); bórrala, o empiézala con # para dejarla como comentario",
    },
    ANSWER_INFINITE: {
        "en": "{where}: {token!r} (infinity) is not an answer; write a finite number, or ? for a cell left blank",
        "es": "{where}: {token!r} (infinito) no es una respuesta; escribe un número finito, o ? en una celda que dejes en blanco",
    },
    ANSWER_RAGGED: {
        "en": "{where}: row {index} has {n} {n:plural:value|values} but row 1 has {expected}; every row needs the same number (write ? in a cell left blank)",
        "es": "{where}: la fila {index} tiene {n} {n:plural:valor|valores} pero la fila 1 tiene {expected}; todas las filas necesitan el mismo número (escribe ? en una celda que dejes en blanco)",
    },
    ANSWER_LATEX_RAGGED: {
        "en": "{where}: LaTeX row {index} has {n} {n:plural:entry|entries} but row 1 has {expected}; check the & and \\\\ of that row",
        "es": "{where}: la fila {index} del LaTeX tiene {n} {n:plural:elemento|elementos} pero la fila 1 tiene {expected}; revisa los & y \\\\ de esa fila",
    },
    ANSWER_LATEX_NO_END: {
        "en": "{where}: looks like LaTeX but \\end{{{env}}} is missing",
        "es": "{where}: parece LaTeX pero falta \\end{{{env}}}",
    },
    ANSWER_LATEX_NO_BEGIN: {
        "en": "{where}: looks like LaTeX but \\begin{{{env}}} is missing",
        "es": "{where}: parece LaTeX pero falta \\begin{{{env}}}",
    },
    ANSWER_LATEX_MISMATCH: {
        "en": "{where}: \\begin{{{env}}} is closed by \\end{{{other}}}; write \\end{{{env}}}",
        "es": "{where}: \\begin{{{env}}} se cierra con \\end{{{other}}}; escribe \\end{{{env}}}",
    },
    ANSWER_LATEX_UNKNOWN_ENV: {
        "en": "{where}: \\begin{{{env}}} is not a matrix; use bmatrix, pmatrix, vmatrix, Bmatrix, matrix or array",
        "es": "{where}: \\begin{{{env}}} no es una matriz; usa bmatrix, pmatrix, vmatrix, Bmatrix, matrix o array",
    },
    ANSWER_LATEX_COMMAND: {
        "en": "{where}: LaTeX row {row}, entry {entry}: {command} in {cell!r} is not part of a number; write numbers, \\frac{{a}}{{b}}, or ? for a cell left blank",
        "es": "{where}: fila {row} del LaTeX, elemento {entry}: {command} en {cell!r} no forma parte de un número; escribe números, \\frac{{a}}{{b}}, o ? en una celda que dejes en blanco",
    },
    ANSWER_LATEX_OUTSIDE: {
        "en": "{where}: {text!r} outside the LaTeX matrix is not part of the answer; remove it",
        "es": "{where}: {text!r} fuera de la matriz LaTeX no forma parte de la respuesta; bórralo",
    },
    ANSWER_LATEX_SEVERAL_VALUES: {
        "en": "{where}: LaTeX row {row}, entry {entry} holds several values ({cell!r}); separate entries with &",
        "es": "{where}: la fila {row} del LaTeX, elemento {entry}, tiene varios valores ({cell!r}); separa los elementos con &",
    },
    ANSWER_LATEX_BRACES: {
        "en": "{where}: LaTeX row {row}, entry {entry}: the braces {{ }} in {cell!r} do not match",
        "es": "{where}: fila {row} del LaTeX, elemento {entry}: las llaves {{ }} de {cell!r} no se corresponden",
    },
    ANSWER_LATEX_SEVERAL_MATRICES: {
        "en": "{where}: holds {n} LaTeX matrices; give one answer matrix",
        "es": "{where}: contiene {n} matrices LaTeX; da una sola matriz de respuesta",
    },
    ANSWER_UNCLOSED: {
        "en": "{where}: this {bracket!r} is never closed; add the matching {closing!r}",
        "es": "{where}: este {bracket!r} nunca se cierra; añade el {closing!r} correspondiente",
    },
    ANSWER_UNOPENED: {
        "en": "{where}: this {bracket!r} closes nothing; remove it or add the matching opening bracket",
        "es": "{where}: este {bracket!r} no cierra nada; bórralo o añade el corchete de apertura correspondiente",
    },
    ANSWER_TRAILING: {
        "en": "{where}: {token!r} after the matrix's closing bracket is not part of the answer",
        "es": "{where}: {token!r} después del corchete que cierra la matriz no forma parte de la respuesta",
    },
    ANSWER_MIXED_NESTING: {
        "en": "{where}: a list mixes numbers and lists; every row must be a list of numbers, e.g. [[1, 2], [3, 4]]",
        "es": "{where}: una lista mezcla números y listas; cada fila debe ser una lista de números, p. ej. [[1, 2], [3, 4]]",
    },
    ANSWER_TOO_MANY_DIMS: {
        "en": "{where}: the answer has {ndim} dimensions; an answer is a matrix (rows of numbers), or channels of matrices",
        "es": "{where}: la respuesta tiene {ndim} dimensiones; una respuesta es una matriz (filas de números), o canales de matrices",
    },
    ANSWER_COMMA_AMBIGUOUS: {
        "en": "{where}: {token!r} may be one number with a decimal comma ({decimal}; the answer would be {shape_comma}) or two values ({spaced}; the answer would be {shape_separator}); write {decimal} or '{spaced}', or pass --decimal-comma",
        "es": "{where}: {token!r} puede ser un número con coma decimal ({decimal}; la respuesta sería {shape_comma}) o dos valores ({spaced}; la respuesta sería {shape_separator}); escribe {decimal} o '{spaced}', o usa --decimal-comma",
    },
    ANSWER_PICTURE_SHAPE: {
        "en": "{where}: a picture of {size} pixels cannot be an answer of {shape} values; write the answer's numbers in a text file (.txt, .csv) or type them on the command line",
        "es": "{where}: una imagen de {size} píxeles no puede ser una respuesta de {shape} valores; escribe los números de la respuesta en un archivo de texto (.txt, .csv) o en la línea de órdenes",
    },
    ANSWER_NPY_NOT_NUMBERS: {
        "en": "{where}: the array holds {dtype} values, not real numbers; save the answer as numbers (numpy.save(path, answer.astype(float)))",
        "es": "{where}: el arreglo contiene valores {dtype}, no números reales; guarda la respuesta como números (numpy.save(ruta, respuesta.astype(float)))",
    },
    NOTE_PREFIX: {"en": "note", "es": "nota"},
    HELP_DECIMAL_COMMA: {
        "en": "Commas between digits in answers: yes = decimal commas (4,75 = 4.75), no = separators, auto = the exercise's shape and the language decide.",
        "es": "Comas entre dígitos en las respuestas: yes = comas decimales (4,75 = 4.75), no = separadores, auto = deciden la forma del ejercicio y el idioma.",
    },
}
