"""Scores, class reports, rosters and per-student exercises."""

from __future__ import annotations

REPORT_NOT_ANSWER_TYPE = "report_not_answer_type"
ANSWERS_IS_A_FILE = "answers_is_a_file"
REPORT_UNREADABLE = "report_unreadable"
REPORT_EMPTY = "report_empty"
REPORT_NO_KEY = "report_no_key"
REPORT_BAD_KEY = "report_bad_key"
REPORT_GRADE_COL = "report_grade_col"
REPORT_GRADE_LINE = "report_grade_line"
REPORT_CREDIT_LINE = "report_credit_line"
REPORT_OVERLAP_NOTE = "report_overlap_note"
REPORT_GRADESCOPE_CLASS = "report_gradescope_class"
REPORT_GRADESCOPE_TEST = "report_gradescope_test"
REPORT_POINTS_POSITIVE = "report_points_positive"
REPORT_UNKNOWN_SUFFIX = "report_unknown_suffix"
REPORT_KEYDIR_EMPTY = "report_keydir_empty"
SUMMARY_TITLE = "summary_title"
SUMMARY_MISTAKES = "summary_mistakes"
SUMMARY_MISTAKE_LINE = "summary_mistake_line"
SUMMARY_NO_MISTAKES = "summary_no_mistakes"
SUMMARY_CELLS = "summary_cells"
SUMMARY_CELL_LINE = "summary_cell_line"
SUMMARY_SCORES = "summary_scores"
SUMMARY_POINTS = "summary_points"
ROSTER_EMPTY = "roster_empty"
ROSTER_TOO_LARGE = "roster_too_large"
ROSTER_NEEDS_OUTPUT = "roster_needs_output"
ROSTER_ONE_EXERCISE = "roster_one_exercise"
ROSTER_STUDENT = "roster_student"
ROSTER_WROTE = "roster_wrote"
HELP_POINTS = "help_points"
HELP_SHAPE_CREDIT = "help_shape_credit"
HELP_REPORT_FORMAT = "help_report_format"
HELP_STUDENTS = "help_students"

MESSAGES: dict[str, dict[str, object]] = {
    ANSWERS_IS_A_FILE: {
        "en": "{where} is a file, and --answers reads a folder of them; check one answer with --answer {where}",
        "es": "{where} es un archivo, y --answers lee una carpeta de ellos; para revisar una sola respuesta usa --answer {where}",
    },
    REPORT_NOT_ANSWER_TYPE: {
        "en": "not an answer file type ({suffix}); answers are read from {types} files",
        "es": "no es un tipo de archivo de respuesta ({suffix}); las respuestas se leen de archivos {types}",
    },
    REPORT_UNREADABLE: {"en": "unreadable: {reason}", "es": "ilegible: {reason}"},
    REPORT_EMPTY: {"en": "empty", "es": "vacío"},
    REPORT_NO_KEY: {
        "en": "no key for this student (looked for {key} in {where})",
        "es": "no hay clave para este estudiante (se buscó {key} en {where})",
    },
    REPORT_BAD_KEY: {"en": "this student's key is unusable: {reason}",
                     "es": "la clave de este estudiante no sirve: {reason}"},
    REPORT_GRADE_COL: {"en": "grade", "es": "nota"},
    REPORT_GRADE_LINE: {"en": "Grade: {points} / {out_of}", "es": "Nota: {points} / {out_of}"},
    REPORT_CREDIT_LINE: {"en": "Credit: {credit}", "es": "Crédito: {credit}"},
    REPORT_OVERLAP_NOTE: {
        "en": "wrong shape: {n} {n:plural:cell|cells} that line up with the output {n:plural:is|are} right and credited",
        "es": "forma incorrecta: {n} {n:plural:celda|celdas} que coinciden con la salida {n:plural:está bien y cuenta|están bien y cuentan}",
    },
    REPORT_GRADESCOPE_CLASS: {
        "en": "the gradescope format is for one submission (Gradescope runs the autograder once per student): give one --answer FILE",
        "es": "el formato gradescope es para una entrega (Gradescope ejecuta el autocalificador una vez por estudiante): da un solo --answer ARCHIVO",
    },
    REPORT_GRADESCOPE_TEST: {"en": "Output cells", "es": "Celdas de la salida"},
    REPORT_UNKNOWN_SUFFIX: {
        "en": "{where}: a report is written as CSV (.csv), Excel (.xlsx) or JSON (.json), and '{suffix}' is none "
              "of them; end the name with one, or choose with --report-format",
        "es": "{where}: el informe se escribe como CSV (.csv), Excel (.xlsx) o JSON (.json), y '{suffix}' no es "
              "ninguno; termina el nombre con uno, o elige con --report-format",
    },
    REPORT_POINTS_POSITIVE: {
        "en": "--points must be a positive number, got {value}",
        "es": "--points debe ser un número positivo; se recibió {value}",
    },
    REPORT_KEYDIR_EMPTY: {
        "en": "{where}: no answer keys (key-*.json) found; make them with 'convtrace quiz --students ROSTER -o {where}'",
        "es": "{where}: no hay claves (key-*.json); créalas con 'convtrace quiz --students LISTA -o {where}'",
    },
    SUMMARY_TITLE: {"en": "Class summary", "es": "Resumen de la clase"},
    SUMMARY_MISTAKES: {"en": "Mistakes (students who made each):", "es": "Errores (estudiantes que cometieron cada uno):"},
    SUMMARY_MISTAKE_LINE: {
        "en": "{mistake}: {n} {n:plural:student|students}",
        "es": "{mistake}: {n} {n:plural:estudiante|estudiantes}",
    },
    SUMMARY_NO_MISTAKES: {"en": "no mistakes", "es": "ningún error"},
    SUMMARY_CELLS: {"en": "Cells most students got wrong:", "es": "Celdas que más estudiantes fallaron:"},
    SUMMARY_CELL_LINE: {
        "en": "{cell}: wrong in {n} {n:plural:answer|answers}",
        "es": "{cell}: incorrecta en {n} {n:plural:respuesta|respuestas}",
    },
    SUMMARY_SCORES: {
        "en": "Credit over {n} graded {n:plural:answer|answers}: mean {mean}, median {median}",
        "es": "Crédito de {n} {n:plural:respuesta calificada|respuestas calificadas}: media {mean}, mediana {median}",
    },
    SUMMARY_POINTS: {
        "en": "Grade out of {out_of}: mean {mean}, median {median}",
        "es": "Nota sobre {out_of}: media {mean}, mediana {median}",
    },
    ROSTER_EMPTY: {
        "en": "{where}: no student names found (a CSV with a column 'name', 'nombre', 'student' or 'alumno', or the names in its first column)",
        "es": "{where}: no se encontraron nombres (un CSV con una columna 'nombre', 'alumno', 'name' o 'student', o los nombres en su primera columna)",
    },
    ROSTER_TOO_LARGE: {
        "en": "{where}: {n} students is more than {maximum} in one roster",
        "es": "{where}: {n} estudiantes son más que el máximo de {maximum} por lista",
    },
    ROSTER_NEEDS_OUTPUT: {
        "en": "--students writes one sheet and one key per student: give a folder with -o DIR",
        "es": "--students escribe una hoja y una clave por estudiante: indica una carpeta con -o CARPETA",
    },
    ROSTER_ONE_EXERCISE: {
        "en": "--students makes one exercise per student; leave out --count",
        "es": "--students crea un ejercicio por estudiante; quita --count",
    },
    ROSTER_STUDENT: {"en": "Student: {name}", "es": "Estudiante: {name}"},
    ROSTER_WROTE: {
        "en": "Wrote exercises and keys for {n} {n:plural:student|students} to {where}",
        "es": "Se escribieron ejercicios y claves para {n} {n:plural:estudiante|estudiantes} en {where}",
    },
    HELP_POINTS: {
        "en": "Scale the score to a grade out of N (e.g. 10 or 20); default: the fraction of cells right.",
        "es": "Convierte la puntuación en una nota sobre N (p. ej. 10 o 20); por defecto, la fracción de celdas correctas.",
    },
    HELP_SHAPE_CREDIT: {
        "en": "Credit for an answer of the wrong shape: none (0) or overlap (the right cells that line up at the same row and column, over the expected total).",
        "es": "Crédito para una respuesta de forma incorrecta: none (0) u overlap (las celdas correctas en la misma fila y columna, sobre el total esperado).",
    },
    HELP_REPORT_FORMAT: {
        "en": "Report format: csv, csv-es (';', decimal comma, UTF-8 BOM: Spanish spreadsheets), xlsx, json or gradescope (one answer). Default: from the file suffix, then the language.",
        "es": "Formato del informe: csv, csv-es (';', coma decimal, BOM UTF-8: hojas de cálculo en español), xlsx, json o gradescope (una respuesta). Por defecto: según la extensión y luego el idioma.",
    },
    HELP_STUDENTS: {
        "en": "A roster CSV (a 'name' column, or names in the first column): one seeded exercise and key per student.",
        "es": "Una lista CSV (columna 'nombre', o los nombres en la primera columna): un ejercicio y una clave por estudiante.",
    },
}
