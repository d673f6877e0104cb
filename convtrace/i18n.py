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
        "en": "reflect padding of {pad} is too large for an input with {n} {axis}: it must be smaller than the input ({limit} at most); use pad_mode='symmetric' or 'replicate', or less padding",
        "es": "el relleno reflect de {pad} es demasiado grande para una entrada con {n} {axis}: debe ser menor que la entrada ({limit} como máximo); usa pad_mode='symmetric' o 'replicate', o menos relleno",
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
    # --- reading files -----------------------------------------------------
    "parse_not_number": {
        "en": "{where}: {token!r} is not a number; write integers, decimals (0.5) or fractions (1/9)",
        "es": "{where}: {token!r} no es un número; escribe enteros, decimales (0.5) o fracciones (1/9)",
    },
    "parse_zero_division": {
        "en": "{where}: {token!r} divides by zero",
        "es": "{where}: {token!r} divide entre cero",
    },
    "parse_unclosed": {
        "en": "{where}: this '[' is never closed; add the matching ']'",
        "es": "{where}: este '[' nunca se cierra; añade el ']' correspondiente",
    },
    "parse_trailing": {
        "en": "{where}: unexpected {token!r} after the matrix's closing ']'",
        "es": "{where}: {token!r} inesperado después del ']' que cierra la matriz",
    },
    "word_row": {"en": "row", "es": "fila"},
    "parse_ragged": {
        "en": "{where}: {what} {index} has {n} value(s) but {what} 1 has {expected}; every {what} needs the same number",
        "es": "{where}: la {what} {index} tiene {n} valor(es) pero la {what} 1 tiene {expected}; todas deben tener el mismo número",
    },
    "parse_empty": {
        "en": "{where}: no numbers found; write one row per line, e.g. \"1 2 3\"",
        "es": "{where}: no se encontraron números; escribe una fila por línea, p. ej. \"1 2 3\"",
    },
    "no_such_file": {
        "en": "{where}: no such file; give a path, '-' for standard input, or a matrix in quotes such as \"1 2; 3 4\"",
        "es": "{where}: no existe el archivo; da una ruta, '-' para la entrada estándar, o una matriz entre comillas como \"1 2; 3 4\"",
    },
    "json_not_matrix": {
        "en": "{where}: this JSON holds no matrix; write nested lists of numbers such as [[1, 2], [3, 4]]",
        "es": "{where}: este JSON no contiene una matriz; escribe listas anidadas de números como [[1, 2], [3, 4]]",
    },
    "is_directory": {
        "en": "{where}: is a folder, not a file",
        "es": "{where}: es una carpeta, no un archivo",
    },
    "file_unreadable": {
        "en": "{where}: cannot be read ({reason})",
        "es": "{where}: no se puede leer ({reason})",
    },
    "npy_unreadable": {
        "en": "{where}: not a readable .npy array ({reason})",
        "es": "{where}: no es un arreglo .npy legible ({reason})",
    },
    "image_unreadable": {
        "en": "{where}: Pillow cannot read this image (not a PNG, JPEG, BMP, GIF, TIFF or WebP file?)",
        "es": "{where}: Pillow no puede leer esta imagen (¿no es un archivo PNG, JPEG, BMP, GIF, TIFF o WebP?)",
    },
    "image_broken": {
        "en": "{where}: the image is damaged or truncated ({reason})",
        "es": "{where}: la imagen está dañada o truncada ({reason})",
    },
    "image_bomb": {
        "en": "{where}: the image is too large to open safely (a decompression bomb?)",
        "es": "{where}: la imagen es demasiado grande para abrirla con seguridad (¿una bomba de descompresión?)",
    },
    "bad_scale": {
        "en": "{where}: scale {value!r} is not a number or fraction such as 1/16",
        "es": "{where}: la escala {value!r} no es un número ni una fracción como 1/16",
    },
    "bad_kernel_file": {
        "en": "{where}: a kernel must be a 2-D matrix, or 2-D slices separated by blank lines",
        "es": "{where}: un kernel debe ser una matriz 2-D, o cortes 2-D separados por líneas en blanco",
    },
    "kernels_dir_missing": {
        "en": "{where}: kernel folder not found; check --kernels-dir or CONVTRACE_KERNELS",
        "es": "{where}: no se encontró la carpeta de kernels; revisa --kernels-dir o CONVTRACE_KERNELS",
    },
    "unknown_kernel": {
        "en": "unknown kernel {name!r}; did you mean: {suggestions}? ('convtrace kernels' lists them all; a file path or an inline matrix such as \"0 -1 0; -1 5 -1; 0 -1 0\" works too)",
        "es": "kernel desconocido {name!r}; ¿quisiste decir: {suggestions}? ('convtrace kernels' los lista todos; también sirve una ruta o una matriz como \"0 -1 0; -1 5 -1; 0 -1 0\")",
    },
    # --- grading ----------------------------------------------------------------
    "bad_key": {
        "en": "{where}: not a convtrace answer key (make one with 'convtrace quiz')",
        "es": "{where}: no es una clave de respuestas de convtrace (créala con 'convtrace quiz')",
    },
    "mistake_flip_added": {
        "en": "the kernel was flipped (true convolution), but the exercise asks for cross-correlation, as CNN layers compute",
        "es": "se volteó el kernel (convolución verdadera), pero el ejercicio pide correlación cruzada, como calculan las capas CNN",
    },
    "mistake_flip_missing": {
        "en": "the kernel was not flipped: the exercise asks for true convolution (rotate the kernel 180° first)",
        "es": "no se volteó el kernel: el ejercicio pide convolución verdadera (rota el kernel 180° primero)",
    },
    "mistake_kernel_transposed": {
        "en": "the kernel was transposed (its rows used as columns)",
        "es": "se traspuso el kernel (sus filas usadas como columnas)",
    },
    "mistake_scale": {
        "en": "the kernel's scale {scale} was not applied: each sum must be multiplied by {scale}",
        "es": "no se aplicó la escala {scale} del kernel: cada suma debe multiplicarse por {scale}",
    },
    "mistake_pad_mode": {
        "en": "the border was padded with {used} instead of {asked}",
        "es": "el borde se rellenó con {used} en vez de {asked}",
    },
    "mistake_dilation": {
        "en": "the dilation was ignored: the kernel's taps must skip cells",
        "es": "se ignoró la dilatación: los elementos del kernel deben saltar celdas",
    },
    "mistake_pool_mode": {
        "en": "{used} pooling was computed instead of {asked}",
        "es": "se calculó pooling {used} en vez de {asked}",
    },
    "mistake_divisor_excluded": {
        "en": "the average divided by the cells inside the input only; here padding cells count in the divisor (count_include_pad)",
        "es": "el promedio dividió solo entre las celdas dentro de la entrada; aquí las celdas de relleno cuentan en el divisor (count_include_pad)",
    },
    "mistake_divisor_included": {
        "en": "the average counted padding cells in the divisor; here only cells inside the input count",
        "es": "el promedio contó las celdas de relleno en el divisor; aquí solo cuentan las celdas dentro de la entrada",
    },
    "mistake_ceil": {
        "en": "the output size was rounded up (ceil) instead of down (floor)",
        "es": "el tamaño de salida se redondeó hacia arriba (ceil) en vez de hacia abajo (floor)",
    },
    "mistake_floor": {
        "en": "the output size was rounded down (floor) instead of up (ceil_mode)",
        "es": "el tamaño de salida se redondeó hacia abajo (floor) en vez de hacia arriba (ceil_mode)",
    },
    "mistake_no_padding": {
        "en": "the padding was forgotten (computed as 'valid')",
        "es": "se olvidó el relleno (se calculó como 'valid')",
    },
    "mistake_added_padding": {
        "en": "padding {padding} was added, but the exercise has none",
        "es": "se añadió relleno {padding}, pero el ejercicio no tiene",
    },
    "mistake_padding_amount": {
        "en": "padding {used} was used instead of {asked}",
        "es": "se usó relleno {used} en vez de {asked}",
    },
    "mistake_stride": {
        "en": "stride {used} was used instead of {asked}",
        "es": "se usó paso (stride) {used} en vez de {asked}",
    },
    "mistake_transposed_answer": {
        "en": "the answer is the right matrix transposed (rows written as columns)",
        "es": "la respuesta es la matriz correcta traspuesta (filas escritas como columnas)",
    },
    "mistake_sign": {
        "en": "every value has the wrong sign",
        "es": "todos los valores tienen el signo cambiado",
    },
    "mistake_window_shifted": {
        "en": "cell {cell} holds the value of the window shifted by {rows} row(s) and {cols} column(s): the window was placed one cell off",
        "es": "la celda {cell} tiene el valor de la ventana desplazada {rows} fila(s) y {cols} columna(s): la ventana se colocó una celda corrida",
    },
    "mistake_slip": {
        "en": "cell {cell}: {got} instead of {expected} (off by {diff}), an arithmetic slip",
        "es": "celda {cell}: {got} en vez de {expected} (diferencia {diff}), un error de cálculo",
    },
    "check_title": {"en": "Checking {source}", "es": "Revisando {source}"},
    "check_score": {"en": "{correct}/{total} cells correct", "es": "{correct}/{total} celdas correctas"},
    "check_wrong": {"en": "{n} wrong", "es": "{n} incorrectas"},
    "check_missing": {"en": "{n} missing", "es": "{n} sin responder"},
    "check_all_correct": {"en": "All correct!", "es": "¡Todo correcto!"},
    "check_your_answer": {"en": "Your answer", "es": "Tu respuesta"},
    "check_expected": {"en": "Expected", "es": "Esperado"},
    "check_likely": {"en": "Likely mistake", "es": "Error probable"},
    "check_working": {"en": "Working for the wrong cells", "es": "Desarrollo de las celdas incorrectas"},
    "check_you_wrote": {"en": "you wrote {value}", "es": "escribiste {value}"},
    "check_more_cells": {"en": "… and {n} more", "es": "… y {n} más"},
    "check_no_diagnosis": {"en": "no single common mistake explains this answer; compare the working below",
                           "es": "ningún error común explica esta respuesta; compara con el desarrollo abajo"},
    "check_file": {"en": "file", "es": "archivo"},
    "check_score_col": {"en": "score", "es": "puntaje"},
    "check_diagnosis_col": {"en": "diagnosis", "es": "diagnóstico"},
    "check_unreadable": {"en": "not graded: {reason}", "es": "sin calificar: {reason}"},
    "check_summary": {"en": "{graded} graded, {perfect} all correct, {failed} not gradable",
                      "es": "{graded} calificadas, {perfect} todo correcto, {failed} sin calificar"},
    "check_no_answers": {
        "en": "{where}: no answer files found (looked for .txt, .csv, .json, .npy)",
        "es": "{where}: no se encontraron archivos de respuestas (se buscaron .txt, .csv, .json, .npy)",
    },
    "check_nothing_graded": {"en": "no answer could be graded", "es": "no se pudo calificar ninguna respuesta"},
    "check_needs_answer": {
        "en": "give the student's answer with --answer FILE (or several, or --answers DIR)",
        "es": "da la respuesta del estudiante con --answer ARCHIVO (o varios, o --answers CARPETA)",
    },
    "check_needs_exercise": {
        "en": "say what was asked: INPUT with -k KERNEL or --pool MODE:SIZE, or an answer key with --key",
        "es": "indica qué se pidió: ENTRADA con -k KERNEL o --pool MODO:TAMAÑO, o una clave con --key",
    },
    "bad_pool_spec": {
        "en": "--pool {value!r}: expected MODE:SIZE such as max:2 or avg:3x3 (modes: max, avg, min, sum)",
        "es": "--pool {value!r}: se esperaba MODO:TAMAÑO como max:2 o avg:3x3 (modos: max, avg, min, sum)",
    },
    "quiz_title": {"en": "Exercises: convolution and pooling", "es": "Ejercicios: convolución y pooling"},
    "quiz_seed": {"en": "Seed {seed} (the same seed gives the same exercises).",
                  "es": "Semilla {seed} (la misma semilla da los mismos ejercicios)."},
    "quiz_exercise": {"en": "Exercise {n}", "es": "Ejercicio {n}"},
    "quiz_solution": {"en": "Solution {n}", "es": "Solución {n}"},
    "quiz_statement": {"en": "Compute the {what} of the input below ({params}). Give the output matrix.",
                       "es": "Calcula la {what} de la entrada ({params}). Da la matriz de salida."},
    "bad_values_range": {"en": "--values {value!r}: expected LOW..HIGH with LOW <= HIGH, e.g. 0..9",
                         "es": "--values {value!r}: se esperaba BAJO..ALTO con BAJO <= ALTO, p. ej. 0..9"},
    "bad_size_spec": {"en": "--size {value!r}: expected HxW such as 5x5, or one number",
                      "es": "--size {value!r}: se esperaba AxL como 5x5, o un número"},
    "quiz_wrote": {"en": "wrote {n} exercise(s) to {where}", "es": "escritos {n} ejercicio(s) en {where}"},
    "batch_no_input_dir": {"en": "{where}: not a folder; IN must be a folder of images",
                           "es": "{where}: no es una carpeta; IN debe ser una carpeta de imágenes"},
    "batch_out_not_dir": {"en": "{where}: exists and is not a folder; OUT must be a folder (it is created if missing)",
                          "es": "{where}: existe y no es una carpeta; OUT debe ser una carpeta (se crea si no existe)"},
    "batch_same_dir": {
        "en": "{where}: OUT is the input folder; choose another folder so no original is overwritten",
        "es": "{where}: OUT es la carpeta de entrada; elige otra carpeta para no sobrescribir ningún original",
    },
    "batch_nested_dir": {
        "en": "{where}: OUT and IN ({input}) contain one another; with --recursive they must be separate folders",
        "es": "{where}: OUT e IN ({input}) están uno dentro del otro; con --recursive deben ser carpetas separadas",
    },
    "batch_needs_step": {"en": "say what to do: -k KERNEL, --pool MODE:SIZE, or both",
                         "es": "indica qué hacer: -k KERNEL, --pool MODO:TAMAÑO, o ambos"},
    "batch_no_images": {"en": "{where}: no images found{pattern}", "es": "{where}: no se encontraron imágenes{pattern}"},
    "cuda_unavailable": {
        "en": "device 'cuda' needs an NVIDIA GPU with its driver and numba-cuda (pip install 'convtrace[cuda]'); none is usable here, so use device 'cpu' or 'auto'",
        "es": "el dispositivo 'cuda' necesita una GPU NVIDIA con su driver y numba-cuda (pip install 'convtrace[cuda]'); aquí no hay ninguna utilizable, así que usa 'cpu' o 'auto'",
    },
    "unknown_device": {"en": "unknown device {value!r}; use one of {choices}",
                       "es": "dispositivo desconocido {value!r}; usa uno de {choices}"},
    "batch_summary": {
        "en": "{done} done, {skipped} skipped (already there), {failed} failed in {seconds:.1f} s ({rate} images/s)",
        "es": "{done} hechas, {skipped} omitidas (ya existían), {failed} fallidas en {seconds:.1f} s ({rate} imágenes/s)",
    },
    "batch_dry_run": {"en": "{planned} to write, {skipped} already there (dry run: nothing written)",
                      "es": "{planned} por escribir, {skipped} ya existen (simulación: no se escribió nada)"},
    "batch_failed_item": {"en": "failed: {file}: {reason}", "es": "falló: {file}: {reason}"},
    "batch_interrupted": {
        "en": "interrupted: finished images are complete, no partial file was left; run again to resume",
        "es": "interrumpido: las imágenes terminadas están completas, no quedó ningún archivo a medias; vuelve a ejecutar para continuar",
    },
    "help_batch": {
        "en": "Filter every image in a folder with a kernel and/or pooling, in parallel, never overwriting.",
        "es": "Filtra cada imagen de una carpeta con un kernel y/o pooling, en paralelo, sin sobrescribir nunca.",
    },
    "help_in_dir": {"en": "Folder of images to read (never written to).", "es": "Carpeta de imágenes a leer (nunca se escribe)."},
    "help_out_dir": {"en": "Folder to write results to, same relative paths and names.",
                     "es": "Carpeta donde escribir los resultados, con las mismas rutas relativas y nombres."},
    "help_recursive": {"en": "Include subfolders.", "es": "Incluye subcarpetas."},
    "help_pattern": {"en": "Only files matching this pattern, e.g. '*.jpg'.",
                     "es": "Solo archivos que coincidan con este patrón, p. ej. '*.jpg'."},
    "help_channels": {"en": "per: each colour on its own; sum: one map from a depth-3 filter (CNN view); gray: convert first.",
                      "es": "per: cada color por separado; sum: un mapa con un filtro de profundidad 3 (vista CNN); gray: convierte primero."},
    "help_range": {"en": "Values outside 0…255: clip, abs (edge maps) or normalize (min–max).",
                   "es": "Valores fuera de 0…255: clip, abs (mapas de bordes) o normalize (mín–máx)."},
    "help_out_format": {"en": "Output file type (same: as the input).", "es": "Tipo de archivo de salida (same: como la entrada)."},
    "help_workers": {"en": "Parallel workers (default: one per CPU).", "es": "Trabajadores en paralelo (por defecto: uno por CPU)."},
    "help_device": {"en": "Where to compute: cpu, cuda (an NVIDIA GPU, needs convtrace[cuda]) or auto (the GPU for large work when there is one).",
                    "es": "Dónde calcular: cpu, cuda (una GPU NVIDIA, requiere convtrace[cuda]) o auto (la GPU para trabajos grandes si la hay)."},
    "help_overwrite": {"en": "Replace outputs that already exist (default: skip them, so a rerun resumes).",
                       "es": "Reemplaza salidas existentes (por defecto se omiten, así una nueva ejecución continúa)."},
    "help_dry_run": {"en": "Show what would be written, write nothing.", "es": "Muestra qué se escribiría, sin escribir nada."},
    "help_quiet": {"en": "No progress bar or summary.", "es": "Sin barra de progreso ni resumen."},
    "help_json": {"en": "Print a JSON summary (for scripts).", "es": "Imprime un resumen JSON (para scripts)."},
    "help_batch_padding": {"en": "Padding for -k (default same: keep the size).",
                           "es": "Relleno para -k (por defecto same: mantiene el tamaño)."},
    "help_batch_pad_mode": {"en": "Border for -k (default replicate, as image editors).",
                            "es": "Borde para -k (por defecto replicate, como los editores de imágenes)."},
    "mistake_partly": {"en": "(matches {partly} of {of} cells)", "es": "(coincide en {partly} de {of} celdas)"},
    "shape_mismatch": {
        "en": "the answer is {got} but the output is {expected}",
        "es": "la respuesta es {got} pero la salida es {expected}",
    },
    "shape_would_come_from": {
        "en": "a {got} answer would come from: {options}",
        "es": "una respuesta {got} saldría de: {options}",
    },
    # --- rendering labels -----------------------------------------------------
    "title_correlation": {"en": "Cross-correlation (what CNN layers and the slides compute)",
                          "es": "Correlación cruzada (lo que calculan las capas CNN y las diapositivas)"},
    "title_convolution": {"en": "True convolution (the kernel is flipped first)",
                          "es": "Convolución verdadera (primero se voltea el kernel)"},
    "title_pool": {"en": "{mode} pooling", "es": "Pooling {mode}"},
    "mode_max": {"en": "Max", "es": "máximo (max)"},
    "mode_min": {"en": "Min", "es": "mínimo (min)"},
    "mode_avg": {"en": "Average", "es": "promedio (avg)"},
    "mode_sum": {"en": "Sum", "es": "suma (sum)"},
    "label_params": {"en": "padding {pads} ({mode}) · stride {stride} · dilation {dilation}",
                     "es": "relleno {pads} ({mode}) · paso {stride} · dilatación {dilation}"},
    "label_pool_params": {"en": "window {size} · stride {stride} · padding {pads} · dilation {dilation}{extra}",
                          "es": "ventana {size} · paso {stride} · relleno {pads} · dilatación {dilation}{extra}"},
    "label_output_size": {"en": "Output size", "es": "Tamaño de salida"},
    "label_rows": {"en": "rows", "es": "filas"},
    "label_cols": {"en": "cols", "es": "columnas"},
    "label_dilated_span": {"en": "the dilated kernel spans {span}", "es": "el kernel dilatado abarca {span}"},
    "label_never_read": {"en": "{axis} {which} of the input are never covered (the stride does not divide evenly)",
                         "es": "las {axis} {which} de la entrada nunca se cubren (el paso no divide exacto)"},
    "label_input": {"en": "Input", "es": "Entrada"},
    "label_padded_input": {"en": "Padded input", "es": "Entrada con relleno"},
    "label_kernel": {"en": "Kernel", "es": "Kernel (filtro)"},
    "label_kernel_scale": {"en": "Kernel × {scale}", "es": "Kernel (filtro) × {scale}"},
    "label_flipped": {"en": "Flipped kernel (rotated 180°, what is applied)",
                      "es": "Kernel volteado (rotado 180°, el que se aplica)"},
    "label_products": {"en": "Products", "es": "Productos"},
    "label_channel": {"en": "channel {c}", "es": "canal {c}"},
    "label_step": {"en": "Step {n}/{total} · output{index} · window at row {row}, col {col} of the padded input",
                   "es": "Paso {n}/{total} · salida{index} · ventana en fila {row}, columna {col} de la entrada con relleno"},
    "label_sum": {"en": "Sum", "es": "Suma"},
    "label_result": {"en": "Result", "es": "Resultado"},
    "label_output_so_far": {"en": "Output so far ({shape})", "es": "Salida hasta ahora ({shape})"},
    "label_output": {"en": "Output ({shape})", "es": "Salida ({shape})"},
    "label_feature_map": {"en": "Feature map {f} ({shape})", "es": "Mapa de características {f} ({shape})"},
    "label_crop": {"en": "— rows {r0}–{r1}, cols {c0}–{c1} of {shape}", "es": "— filas {r0}–{r1}, columnas {c0}–{c1} de {shape}"},
    "label_legend": {"en": "[ ] window   ( ) padding", "es": "[ ] ventana   ( ) relleno"},
    "label_legend_pool": {"en": "[ ] window   ( ) padding   * winner", "es": "[ ] ventana   ( ) relleno   * ganador"},
    "label_more_steps": {
        "en": "… {hidden} more windows not shown: use --at I,J for one cell, or --max-steps 0 to show all",
        "es": "… {hidden} ventanas más sin mostrar: usa --at I,J para una celda, o --max-steps 0 para verlas todas",
    },
    "label_winner": {"en": "{mode} = {value} (row {a}, col {b} of the window)",
                     "es": "{mode} = {value} (fila {a}, columna {b} de la ventana)"},
    "label_avg": {"en": "sum {total} ÷ {divisor} = {result}", "es": "suma {total} ÷ {divisor} = {result}"},
    "label_divisor_full": {"en": "divisor {divisor}: the whole {kh}×{kw} window",
                           "es": "divisor {divisor}: toda la ventana {kh}×{kw}"},
    "label_divisor_include": {
        "en": "divisor {divisor}: the window's cells inside the padded input; padding counts, but the window is cut at the padded edge",
        "es": "divisor {divisor}: las celdas de la ventana dentro de la entrada con relleno; el relleno cuenta, pero la ventana se corta en el borde del relleno",
    },
    "label_ceil_drop": {"en": "−1: the last window would start in the padding",
                        "es": "−1: la última ventana empezaría en el relleno"},
    "label_divisor_exclude": {
        "en": "divisor {divisor}: only the {divisor} cells inside the input count (--exclude-pad)",
        "es": "divisor {divisor}: solo cuentan las {divisor} celdas dentro de la entrada (--exclude-pad)",
    },
    "label_all_padding": {"en": "the window covers only padding", "es": "la ventana solo cubre relleno"},
    "error_prefix": {"en": "error", "es": "error"},
    "output_exists": {
        "en": "{where}: already exists; pass --force to overwrite it, or choose another -o file",
        "es": "{where}: ya existe; usa --force para sobrescribirlo, o elige otro archivo con -o",
    },
    "binary_needs_output": {
        "en": "--format {fmt} writes a binary file: give it a name with -o FILE",
        "es": "--format {fmt} escribe un archivo binario: dale un nombre con -o ARCHIVO",
    },
    "bad_at": {
        "en": "--at {value!r}: expected I,J (or MAP,I,J) with whole numbers, e.g. --at 0,2",
        "es": "--at {value!r}: se esperaba I,J (o MAPA,I,J) con números enteros, p. ej. --at 0,2",
    },
    "bad_number_option": {
        "en": "{name} {value!r} is not a number",
        "es": "{name} {value!r} no es un número",
    },
    "wrote_file": {"en": "wrote {where}", "es": "escrito {where}"},
    # --- help -------------------------------------------------------------------
    "help_app": {
        "en": "See, check and run convolutions: step-by-step traces as the course slides do them.",
        "es": "Ver, comprobar y ejecutar convoluciones: trazas paso a paso como en las diapositivas del curso.",
    },
    "help_conv": {
        "en": "Convolve (cross-correlate) a matrix or image with a kernel, optionally showing every window.",
        "es": "Convoluciona (correlación cruzada) una matriz o imagen con un kernel, mostrando cada ventana si se pide.",
    },
    "help_pool": {
        "en": "Pool a matrix or image (max, avg, min, sum), optionally showing every window.",
        "es": "Aplica pooling a una matriz o imagen (max, avg, min, sum), mostrando cada ventana si se pide.",
    },
    "help_kernels": {"en": "List the kernel library with each matrix.", "es": "Lista la biblioteca de kernels con cada matriz."},
    "help_kernels_show": {"en": "Show one kernel: its matrix, scale and description.",
                          "es": "Muestra un kernel: su matriz, escala y descripción."},
    "help_modes": {
        "en": "How border modes and flipping are named in convtrace, NumPy, SciPy, PyTorch, OpenCV, Pillow and ImageMagick.",
        "es": "Cómo se llaman los modos de borde y el volteo en convtrace, NumPy, SciPy, PyTorch, OpenCV, Pillow e ImageMagick.",
    },
    "help_input": {
        "en": "Matrix or image: a file (.txt .csv .json .npy .png .jpg …), '-' for standard input, or inline \"1 2; 3 4\".",
        "es": "Matriz o imagen: un archivo (.txt .csv .json .npy .png .jpg …), '-' para la entrada estándar, o en línea \"1 2; 3 4\".",
    },
    "help_kernel": {
        "en": "Kernel: a library name (see 'convtrace kernels'), a file, or inline \"0 -1 0; -1 5 -1; 0 -1 0\".",
        "es": "Kernel: un nombre de la biblioteca (ver 'convtrace kernels'), un archivo, o en línea \"0 -1 0; -1 5 -1; 0 -1 0\".",
    },
    "help_padding": {
        "en": "Padding: N, PH,PW, TOP,BOTTOM,LEFT,RIGHT, valid, same or full.",
        "es": "Relleno: N, PH,PW, ARRIBA,ABAJO,IZQ,DER, valid, same o full.",
    },
    "help_pad_mode": {
        "en": "Border: zeros, reflect, symmetric, replicate, circular (or another library's name; see 'convtrace modes').",
        "es": "Borde: zeros, reflect, symmetric, replicate, circular (o el nombre de otra biblioteca; ver 'convtrace modes').",
    },
    "help_pad_value": {"en": "The constant for --pad-mode zeros.", "es": "La constante para --pad-mode zeros."},
    "help_stride": {"en": "Stride (paso): N or SH,SW.", "es": "Paso (stride): N o SH,SW."},
    "help_dilation": {"en": "Dilation: N or DH,DW.", "es": "Dilatación: N o DH,DW."},
    "help_flip": {
        "en": "True convolution: flip the kernel first (as scipy.signal.convolve2d). Default: cross-correlation, as CNNs.",
        "es": "Convolución verdadera: voltea el kernel primero (como scipy.signal.convolve2d). Por defecto: correlación cruzada, como las CNN.",
    },
    "help_trace": {"en": "Show every window: values, products and sum.", "es": "Muestra cada ventana: valores, productos y suma."},
    "help_at": {"en": "Trace only output cell I,J (repeatable; MAP,I,J for several maps).",
                "es": "Traza solo la celda de salida I,J (repetible; MAPA,I,J con varios mapas)."},
    "help_max_steps": {"en": "Most windows to print in a trace (0: all).",
                       "es": "Máximo de ventanas a mostrar en una traza (0: todas)."},
    "help_format": {"en": "Output format.", "es": "Formato de salida."},
    "help_output": {"en": "Write to this file (never overwritten without --force).",
                    "es": "Escribe en este archivo (nunca se sobrescribe sin --force)."},
    "help_force": {"en": "Overwrite the -o file if it exists.", "es": "Sobrescribe el archivo -o si existe."},
    "help_precision": {"en": "Decimals shown for non-integers.", "es": "Decimales mostrados para valores no enteros."},
    "help_lang": {"en": "Language: en or es (default: from LANG).", "es": "Idioma: en o es (por defecto: según LANG)."},
    "help_kernels_dir": {"en": "Extra folder of kernel files (repeatable).",
                         "es": "Carpeta adicional de archivos de kernels (repetible)."},
    "help_pool_mode": {"en": "What each window becomes.", "es": "En qué se convierte cada ventana."},
    "help_size": {"en": "Window size: N, KH,KW, or global.", "es": "Tamaño de ventana: N, KH,KW, o global."},
    "help_pool_stride": {"en": "Stride: N or SH,SW (default: the window size).",
                         "es": "Paso: N o SH,SW (por defecto: el tamaño de la ventana)."},
    "help_ceil": {"en": "Round the output size up (PyTorch ceil_mode).",
                  "es": "Redondea hacia arriba el tamaño de salida (ceil_mode de PyTorch)."},
    "help_exclude_pad": {"en": "Averages divide by the cells inside the input only (count_include_pad=False).",
                         "es": "Los promedios dividen solo entre las celdas dentro de la entrada (count_include_pad=False)."},
    "help_check": {
        "en": "Grade a student's answer (or a whole class's) against the computed output and name the likely mistake.",
        "es": "Califica la respuesta de un estudiante (o de toda la clase) contra la salida calculada y nombra el error probable.",
    },
    "help_quiz": {
        "en": "Make convolution or pooling exercises with answer keys, reproducible from a seed.",
        "es": "Crea ejercicios de convolución o pooling con claves de respuesta, reproducibles con una semilla.",
    },
    "help_check_pool": {"en": "A pooling exercise instead of a kernel: MODE:SIZE, e.g. max:2 or avg:3x3.",
                        "es": "Un ejercicio de pooling en vez de un kernel: MODO:TAMAÑO, p. ej. max:2 o avg:3x3."},
    "help_answer": {"en": "The answer: a file, '-', or inline \"31 30; 29 28\"; blanks as ? _ - (repeatable).",
                    "es": "La respuesta: un archivo, '-', o en línea \"31 30; 29 28\"; vacías como ? _ - (repetible)."},
    "help_answers": {"en": "A folder of answer files to grade (one row each).",
                     "es": "Una carpeta de respuestas a calificar (una fila por archivo)."},
    "help_key": {"en": "An answer key from 'convtrace quiz' instead of INPUT and its options.",
                 "es": "Una clave de 'convtrace quiz' en vez de ENTRADA y sus opciones."},
    "help_tol": {"en": "Tolerance for non-integer answers (integers must be exact).",
                 "es": "Tolerancia para respuestas no enteras (los enteros deben ser exactos)."},
    "help_report": {"en": "Write a CSV report, one row per answer file.",
                    "es": "Escribe un informe CSV, una fila por archivo de respuesta."},
    "help_quiz_size": {"en": "Input size, e.g. 5x5.", "es": "Tamaño de la entrada, p. ej. 5x5."},
    "help_quiz_kernel": {"en": "A library kernel name, a file, an inline matrix, or random.",
                         "es": "Un kernel de la biblioteca, un archivo, una matriz en línea, o random."},
    "help_kernel_size": {"en": "Size of random kernels.", "es": "Tamaño de los kernels aleatorios."},
    "help_values": {"en": "Range of input values, LOW..HIGH.", "es": "Rango de valores de la entrada, BAJO..ALTO."},
    "help_seed": {"en": "Seed: the same seed gives the same exercises (default: random, printed).",
                  "es": "Semilla: la misma semilla da los mismos ejercicios (por defecto: aleatoria, se imprime)."},
    "help_count": {"en": "How many exercises.", "es": "Cuántos ejercicios."},
    "help_quiz_output": {"en": "Folder for exercises, solutions and key-NN.json answer keys.",
                         "es": "Carpeta para ejercicios, soluciones y claves key-NN.json."},
    "help_version": {"en": "Show the version and exit.", "es": "Muestra la versión y sale."},
    "help_examples": {"en": "Examples", "es": "Ejemplos"},
    "modes_border_title": {"en": "Border (padding) modes", "es": "Modos de borde (relleno)"},
    "modes_flip_title": {"en": "Correlation or convolution?", "es": "¿Correlación o convolución?"},
    "modes_pattern": {"en": "pattern", "es": "patrón"},
    "modes_function": {"en": "function", "es": "función"},
    "modes_computes": {"en": "computes", "es": "calcula"},
    "modes_note": {
        "en": "Careful: SciPy ndimage's 'reflect' is NumPy's 'symmetric'; convtrace's 'reflect' is NumPy's and PyTorch's.",
        "es": "Cuidado: 'reflect' de SciPy ndimage es 'symmetric' de NumPy; 'reflect' en convtrace es el de NumPy y PyTorch.",
    },
    "kind_correlation": {"en": "cross-correlation (kernel as written)", "es": "correlación cruzada (kernel tal cual)"},
    "kind_convolution": {"en": "convolution (kernel rotated 180°)", "es": "convolución (kernel rotado 180°)"},
    "kind_pillow": {
        "en": "neither: flips the kernel top-to-bottom only (same result for symmetric kernels)",
        "es": "ninguna: voltea el kernel solo de arriba abajo (igual con kernels simétricos)",
    },
    "label_name": {"en": "name", "es": "nombre"},
    "label_description": {"en": "description", "es": "descripción"},
    "label_aliases": {"en": "aliases", "es": "alias"},
    "label_scale": {"en": "scale", "es": "escala"},
    "axis_rows": {"en": "rows", "es": "filas"},
    "what_input": {"en": "the input", "es": "la entrada"},
    "what_kernel": {"en": "the kernel", "es": "el kernel"},
    "axis_cols": {"en": "columns", "es": "columnas"},
    "help_heading_arguments": {"en": "Arguments", "es": "Argumentos"},
    "help_heading_options": {"en": "Options", "es": "Opciones"},
    "help_heading_commands": {"en": "Commands", "es": "Comandos"},
    "bad_bool_param": {
        "en": "{name} must be True or False, got {value!r}",
        "es": "{name} debe ser True o False, se recibió {value!r}",
    },
    "bad_spec": {
        "en": "{where}: the settings cannot be read: {reason}",
        "es": "{where}: no se pueden leer los parámetros: {reason}",
    },
    "spec_unknown_field": {
        "en": "{where}: unknown setting {field!r}; the settings are: {fields}",
        "es": "{where}: parámetro desconocido {field!r}; los parámetros son: {fields}",
    },
    "bad_key_field": {
        "en": "{where}: the answer key has no valid {field!r}; make keys with 'convtrace quiz'",
        "es": "{where}: la clave de respuestas no tiene un {field!r} válido; genera las claves con 'convtrace quiz'",
    },
    "exercise_needs_kernel": {
        "en": "a convolution exercise needs a kernel",
        "es": "un ejercicio de convolución necesita un kernel",
    },
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
