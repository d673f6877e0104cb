"""Checking answers, naming mistakes, and quizzes."""

from __future__ import annotations

BAD_KEY = "bad_key"
MISTAKE_FLIP_ADDED = "mistake_flip_added"
MISTAKE_FLIP_MISSING = "mistake_flip_missing"
MISTAKE_KERNEL_TRANSPOSED = "mistake_kernel_transposed"
MISTAKE_SCALE = "mistake_scale"
MISTAKE_PAD_MODE = "mistake_pad_mode"
MISTAKE_DILATION = "mistake_dilation"
MISTAKE_POOL_MODE = "mistake_pool_mode"
MISTAKE_DIVISOR_EXCLUDED = "mistake_divisor_excluded"
MISTAKE_DIVISOR_INCLUDED = "mistake_divisor_included"
MISTAKE_CEIL = "mistake_ceil"
MISTAKE_FLOOR = "mistake_floor"
MISTAKE_NO_PADDING = "mistake_no_padding"
MISTAKE_ADDED_PADDING = "mistake_added_padding"
MISTAKE_PADDING_AMOUNT = "mistake_padding_amount"
MISTAKE_STRIDE = "mistake_stride"
MISTAKE_TRANSPOSED_ANSWER = "mistake_transposed_answer"
MISTAKE_SIGN = "mistake_sign"
MISTAKE_WINDOW_SHIFTED = "mistake_window_shifted"
MISTAKE_SLIP = "mistake_slip"
MISTAKE_SLIP_AFTER = "mistake_slip_after"
MISTAKE_WINDOW_SHIFT_ALL = "mistake_window_shift_all"
MISTAKE_OTHER_WINDOW = "mistake_other_window"
MISTAKE_NOT_MAX = "mistake_not_max"
MISTAKE_NOT_MIN = "mistake_not_min"
MISTAKE_NOT_IN_WINDOW = "mistake_not_in_window"
MISTAKE_UNEXPLAINED = "mistake_unexplained"
MISTAKE_AND = "mistake_and"
SHAPE_OR = "shape_or"
CHECK_SLIP_WORKING = "check_slip_working"
CHECK_TITLE = "check_title"
CHECK_SCORE = "check_score"
CHECK_WRONG = "check_wrong"
CHECK_MISSING = "check_missing"
CHECK_ALL_CORRECT = "check_all_correct"
CHECK_YOUR_ANSWER = "check_your_answer"
CHECK_EXPECTED = "check_expected"
CHECK_LIKELY = "check_likely"
CHECK_WORKING = "check_working"
CHECK_YOU_WROTE = "check_you_wrote"
CHECK_MORE_CELLS = "check_more_cells"
CHECK_NO_DIAGNOSIS = "check_no_diagnosis"
CHECK_FILE = "check_file"
CHECK_SCORE_COL = "check_score_col"
CHECK_DIAGNOSIS_COL = "check_diagnosis_col"
CHECK_UNREADABLE = "check_unreadable"
CHECK_SUMMARY = "check_summary"
CHECK_NO_ANSWERS = "check_no_answers"
CHECK_NOTHING_GRADED = "check_nothing_graded"
CHECK_NEEDS_ANSWER = "check_needs_answer"
CHECK_EXPECTED_NOT_FINITE = "check_expected_not_finite"
CHECK_STDIN_TWICE = "check_stdin_twice"
CHECK_KERNEL_OR_POOL = "check_kernel_or_pool"
CHECK_NEEDS_EXERCISE = "check_needs_exercise"
QUIZ_TITLE = "quiz_title"
QUIZ_OUT_IS_FILE = "quiz_out_is_file"
QUIZ_SEED = "quiz_seed"
QUIZ_EXERCISE = "quiz_exercise"
QUIZ_SOLUTION = "quiz_solution"
QUIZ_STATEMENT = "quiz_statement"
QUIZ_WROTE = "quiz_wrote"
MISTAKE_PARTLY = "mistake_partly"
SHAPE_MISMATCH = "shape_mismatch"
SHAPE_WOULD_COME_FROM = "shape_would_come_from"
BAD_KEY_FIELD = "bad_key_field"
EXERCISE_NEEDS_KERNEL = "exercise_needs_kernel"
# --- transposed convolution and forward-pass (pipeline) exercises
MISTAKE_RELU_FORGOTTEN = "mistake_relu_forgotten"
MISTAKE_BIAS_FORGOTTEN = "mistake_bias_forgotten"
MISTAKE_FLATTEN_ORDER = "mistake_flatten_order"
MISTAKE_LAYER_FLIP_ADDED = "mistake_layer_flip_added"
MISTAKE_LAYER_KERNEL_TRANSPOSED = "mistake_layer_kernel_transposed"
MISTAKE_LAYER_NO_PADDING = "mistake_layer_no_padding"
MISTAKE_LAYER_ADDED_PADDING = "mistake_layer_added_padding"
MISTAKE_LAYER_PADDING_AMOUNT = "mistake_layer_padding_amount"
MISTAKE_LAYER_STRIDE = "mistake_layer_stride"
MISTAKE_LAYER_POOL_MODE = "mistake_layer_pool_mode"
MISTAKE_TCONV_AS_CONV = "mistake_tconv_as_conv"
MISTAKE_TCONV_NO_FLIP = "mistake_tconv_no_flip"
MISTAKE_TCONV_OUTPUT_PADDING = "mistake_tconv_output_padding"
MISTAKE_TCONV_OUTPUT_PADDING_ADDED = "mistake_tconv_output_padding_added"
MISTAKE_TCONV_NO_CROP = "mistake_tconv_no_crop"
MISTAKE_TCONV_CROP_ADDED = "mistake_tconv_crop_added"
MISTAKE_TCONV_CROP_AMOUNT = "mistake_tconv_crop_amount"
FLATTEN_CHW = "flatten_chw"
FLATTEN_HWC = "flatten_hwc"
PIPELINE_BAD_STEP = "pipeline_bad_step"
PIPELINE_BAD_ARGUMENT = "pipeline_bad_argument"
PIPELINE_ARG_WINDOW = "pipeline_arg_window"
PIPELINE_ARG_UNITS = "pipeline_arg_units"
PIPELINE_ARG_ORDER = "pipeline_arg_order"
PIPELINE_ARG_NONE = "pipeline_arg_none"
PIPELINE_NEEDS_KEY = "pipeline_needs_key"
PIPELINE_NEEDS_KERNEL = "pipeline_needs_kernel"
CHECK_TCONV_NEEDS_KERNEL = "check_tconv_needs_kernel"
QUIZ_STATEMENT_TCONV = "quiz_statement_tconv"
QUIZ_STATEMENT_PIPELINE = "quiz_statement_pipeline"
QUIZ_LAYER_BIAS = "quiz_layer_bias"
QUIZ_LAYER_WEIGHTS = "quiz_layer_weights"
QUIZ_LAYER_OUTPUT = "quiz_layer_output"
TITLE_PIPELINE = "title_pipeline"
HELP_QUIZ_PIPELINE = "help_quiz_pipeline"
HELP_QUIZ_TCONV = "help_quiz_tconv"
HELP_CHECK_BIAS = "help_check_bias"
HELP_OUTPUT_PADDING_EX = "help_output_padding_ex"

MESSAGES: dict[str, dict[str, object]] = {
    BAD_KEY: {
        "en": "{where}: not a convtrace answer key (make one with 'convtrace quiz')",
        "es": "{where}: no es una clave de respuestas de convtrace (créala con 'convtrace quiz')",
    },
    MISTAKE_FLIP_ADDED: {
        "en": "the kernel was flipped (true convolution), but the exercise asks for cross-correlation, as CNN layers compute",
        "es": "se volteó el kernel (convolución verdadera), pero el ejercicio pide correlación cruzada, como calculan las capas CNN",
    },
    MISTAKE_FLIP_MISSING: {
        "en": "the kernel was not flipped: the exercise asks for true convolution (rotate the kernel 180° first)",
        "es": "no se volteó el kernel: el ejercicio pide convolución verdadera (rota el kernel 180° primero)",
    },
    MISTAKE_KERNEL_TRANSPOSED: {
        "en": "the kernel was transposed (its rows used as columns)",
        "es": "se traspuso el kernel (sus filas usadas como columnas)",
    },
    MISTAKE_SCALE: {
        "en": "the kernel's scale {scale} was not applied: each sum must be multiplied by {scale}",
        "es": "no se aplicó la escala {scale} del kernel: cada suma debe multiplicarse por {scale}",
    },
    MISTAKE_PAD_MODE: {
        "en": "the border was padded with {used} instead of {asked}",
        "es": "el borde se rellenó con {used} en vez de {asked}",
    },
    MISTAKE_DILATION: {
        "en": "the dilation was ignored: the kernel's taps must skip cells",
        "es": "se ignoró la dilatación: los elementos del kernel deben saltar celdas",
    },
    MISTAKE_POOL_MODE: {
        "en": "{used} pooling was computed instead of {asked}",
        "es": "se calculó pooling {used} en vez de {asked}",
    },
    MISTAKE_DIVISOR_EXCLUDED: {
        "en": "the average divided by the cells inside the input only; here padding cells count in the divisor (count_include_pad)",
        "es": "el promedio dividió solo entre las celdas dentro de la entrada; aquí las celdas de relleno cuentan en el divisor (count_include_pad)",
    },
    MISTAKE_DIVISOR_INCLUDED: {
        "en": "the average counted padding cells in the divisor; here only cells inside the input count",
        "es": "el promedio contó las celdas de relleno en el divisor; aquí solo cuentan las celdas dentro de la entrada",
    },
    MISTAKE_CEIL: {
        "en": "the output size was rounded up (ceil) instead of down (floor)",
        "es": "el tamaño de salida se redondeó hacia arriba (ceil) en vez de hacia abajo (floor)",
    },
    MISTAKE_FLOOR: {
        "en": "the output size was rounded down (floor) instead of up (ceil_mode)",
        "es": "el tamaño de salida se redondeó hacia abajo (floor) en vez de hacia arriba (ceil_mode)",
    },
    MISTAKE_NO_PADDING: {
        "en": "the padding was forgotten (computed as 'valid')",
        "es": "se olvidó el relleno (se calculó como 'valid')",
    },
    MISTAKE_ADDED_PADDING: {
        "en": "padding {padding} was added, but the exercise has none",
        "es": "se añadió relleno {padding}, pero el ejercicio no tiene",
    },
    MISTAKE_PADDING_AMOUNT: {
        "en": "padding {used} was used instead of {asked}",
        "es": "se usó relleno {used} en vez de {asked}",
    },
    MISTAKE_STRIDE: {
        "en": "stride {used} was used instead of {asked}",
        "es": "se usó paso (stride) {used} en vez de {asked}",
    },
    MISTAKE_TRANSPOSED_ANSWER: {
        "en": "the answer is the right matrix transposed (rows written as columns)",
        "es": "la respuesta es la matriz correcta traspuesta (filas escritas como columnas)",
    },
    MISTAKE_SIGN: {
        "en": "every value has the wrong sign",
        "es": "todos los valores tienen el signo cambiado",
    },
    MISTAKE_WINDOW_SHIFTED: {
        "en": "cell {cell} holds the value of the window shifted by {rows} {rows:plural:row|rows} and {cols} {cols:plural:column|columns}: the window was placed one cell off",
        "es": "la celda {cell} tiene el valor de la ventana desplazada {rows} {rows:plural:fila|filas} y {cols} {cols:plural:columna|columnas}: la ventana se colocó una celda corrida",
    },
    MISTAKE_SLIP: {
        "en": "cell {cell}: {got} instead of {expected} (off by {diff}), an arithmetic slip",
        "es": "celda {cell}: {got} en vez de {expected} (diferencia {diff}), un error de cálculo",
    },
    MISTAKE_SLIP_AFTER: {
        "en": "cell {cell}: {got} instead of {expected}, what that mistake gives (off by {diff}), an arithmetic slip",
        "es": "celda {cell}: {got} en vez de {expected}, lo que da ese error (diferencia {diff}), un error de cálculo",
    },
    MISTAKE_WINDOW_SHIFT_ALL: {
        "en": "every window was placed {rows} {rows:plural:row|rows} and {cols} {cols:plural:column|columns} off: the answer is the output shifted",
        "es": "cada ventana se colocó corrida {rows} {rows:plural:fila|filas} y {cols} {cols:plural:columna|columnas}: la respuesta es la salida desplazada",
    },
    MISTAKE_OTHER_WINDOW: {
        "en": "cell {cell}: {got} is the result of another window ({rows} {rows:plural:row|rows} and {cols} {cols:plural:column|columns} away); this cell's window gives {expected}",
        "es": "celda {cell}: {got} es el resultado de otra ventana (a {rows} {rows:plural:fila|filas} y {cols} {cols:plural:columna|columnas}); la ventana de esta celda da {expected}",
    },
    MISTAKE_NOT_MAX: {
        "en": "cell {cell}: {got} is in its window but is not the largest value there ({expected} is)",
        "es": "celda {cell}: {got} está en su ventana pero no es el mayor valor ({expected} lo es)",
    },
    MISTAKE_NOT_MIN: {
        "en": "cell {cell}: {got} is in its window but is not the smallest value there ({expected} is)",
        "es": "celda {cell}: {got} está en su ventana pero no es el menor valor ({expected} lo es)",
    },
    MISTAKE_NOT_IN_WINDOW: {
        "en": "cell {cell}: {got} is not a value of its window, whose result is {expected}",
        "es": "celda {cell}: {got} no es un valor de su ventana, cuyo resultado es {expected}",
    },
    MISTAKE_UNEXPLAINED: {
        "en": "no common mistake explains this answer ({n} wrong {n:plural:cell|cells}); compare with the working below",
        "es": "ningún error común explica esta respuesta ({n} {n:plural:celda incorrecta|celdas incorrectas}); compara con el desarrollo abajo",
    },
    MISTAKE_AND: {"en": " and ", "es": " y "},
    SHAPE_OR: {"en": "; or ", "es": "; o "},
    CHECK_SLIP_WORKING: {
        "en": "Working, with that mistake, for the other cells",
        "es": "Desarrollo, con ese error, de las demás celdas",
    },
    CHECK_TITLE: {"en": "Checking {source}", "es": "Revisando {source}"},
    CHECK_SCORE: {
        "en": "{correct}/{total} {total:plural:cell|cells} correct",
        "es": "{correct}/{total} {total:plural:celda correcta|celdas correctas}",
    },
    CHECK_WRONG: {"en": "{n} wrong", "es": "{n} {n:plural:incorrecta|incorrectas}"},
    CHECK_MISSING: {"en": "{n} missing", "es": "{n} sin responder"},
    CHECK_ALL_CORRECT: {"en": "All correct!", "es": "¡Todo correcto!"},
    CHECK_YOUR_ANSWER: {"en": "Your answer", "es": "Tu respuesta"},
    CHECK_EXPECTED: {"en": "Expected", "es": "Esperado"},
    CHECK_LIKELY: {"en": "Likely mistake", "es": "Error probable"},
    CHECK_WORKING: {
        "en": "Working for the wrong cells",
        "es": "Desarrollo de las celdas incorrectas",
    },
    CHECK_YOU_WROTE: {"en": "you wrote {value}", "es": "escribiste {value}"},
    CHECK_MORE_CELLS: {"en": "… and {n} more", "es": "… y {n} más"},
    CHECK_NO_DIAGNOSIS: {
        "en": "no single common mistake explains this answer; compare the working below",
        "es": "ningún error común explica esta respuesta; compara con el desarrollo abajo",
    },
    CHECK_FILE: {"en": "file", "es": "archivo"},
    CHECK_SCORE_COL: {"en": "score", "es": "puntaje"},
    CHECK_DIAGNOSIS_COL: {"en": "diagnosis", "es": "diagnóstico"},
    CHECK_UNREADABLE: {"en": "not graded: {reason}", "es": "sin calificar: {reason}"},
    CHECK_SUMMARY: {
        "en": "{graded} graded, {perfect} all correct, {failed} not gradable",
        "es": "{graded} {graded:plural:calificada|calificadas}, {perfect} todo correcto, {failed} sin calificar",
    },
    CHECK_NO_ANSWERS: {
        "en": "{where}: no answer files found (looked for .txt, .csv, .json, .npy)",
        "es": "{where}: no se encontraron archivos de respuestas (se buscaron .txt, .csv, .json, .npy)",
    },
    CHECK_NOTHING_GRADED: {
        "en": "no answer could be graded",
        "es": "no se pudo calificar ninguna respuesta",
    },
    CHECK_NEEDS_ANSWER: {
        "en": "give the student's answer with --answer FILE (or several, or --answers DIR)",
        "es": "da la respuesta del estudiante con --answer ARCHIVO (o varios, o --answers CARPETA)",
    },
    CHECK_EXPECTED_NOT_FINITE: {
        "en": "the exercise's output overflows to infinity (or holds NaN), so no answer can be graded against it; "
              "use smaller values in the input or the kernel",
        "es": "la salida del ejercicio se desborda a infinito (o contiene NaN), así que ninguna respuesta se puede "
              "calificar con ella; usa valores más pequeños en la entrada o el kernel",
    },
    CHECK_STDIN_TWICE: {
        "en": "INPUT and --answer both read standard input ('-'), which can be read only once; give one of "
              "them as a file or inline",
        "es": "ENTRADA y --answer leen ambos la entrada estándar ('-'), que solo se puede leer una vez; da uno "
              "de los dos como archivo o en línea",
    },
    CHECK_KERNEL_OR_POOL: {
        "en": "-k and --pool were both given, and one exercise is one of them; for a convolution then a "
              "pooling, give --pipeline conv,maxpool:2",
        "es": "se dieron -k y --pool, y un ejercicio es uno de los dos; para una convolución y luego un "
              "pooling, da --pipeline conv,maxpool:2",
    },
    CHECK_NEEDS_EXERCISE: {
        "en": "say what was asked: INPUT with -k KERNEL or --pool MODE:SIZE, or an answer key with --key",
        "es": "indica qué se pidió: ENTRADA con -k KERNEL o --pool MODO:TAMAÑO, o una clave con --key",
    },
    QUIZ_OUT_IS_FILE: {
        "en": "{where} is a file, and quiz -o names a folder for the sheets and keys; choose a folder (e.g. -o quiz/)",
        "es": "{where} es un archivo, y quiz -o indica una carpeta para las hojas y las claves; elige una carpeta (p. ej. -o quiz/)",
    },
    QUIZ_TITLE: {
        "en": "Exercises: convolution and pooling",
        "es": "Ejercicios: convolución y pooling",
    },
    QUIZ_SEED: {
        "en": "Seed {seed} (the same seed gives the same exercises).",
        "es": "Semilla {seed} (la misma semilla da los mismos ejercicios).",
    },
    QUIZ_EXERCISE: {"en": "Exercise {n}", "es": "Ejercicio {n}"},
    QUIZ_SOLUTION: {"en": "Solution {n}", "es": "Solución {n}"},
    QUIZ_STATEMENT: {
        "en": "Compute the {what} of the input below ({params}). Give the output matrix.",
        "es": "Aplica {what} a la entrada ({params}). Da la matriz de salida.",
    },
    QUIZ_WROTE: {
        "en": "wrote {n} {n:plural:exercise|exercises} to {where}",
        "es": "{n:plural:escrito|escritos} {n} {n:plural:ejercicio|ejercicios} en {where}",
    },
    MISTAKE_PARTLY: {
        "en": "(matches {partly} of {of} {of:plural:cell|cells})",
        "es": "(coincide en {partly} de {of} {of:plural:celda|celdas})",
    },
    SHAPE_MISMATCH: {
        "en": "the answer is {got} but the output is {expected}",
        "es": "la respuesta es {got} pero la salida es {expected}",
    },
    SHAPE_WOULD_COME_FROM: {
        "en": ": that shape comes from: {options}",
        "es": ": esa forma sale de: {options}",
    },
    BAD_KEY_FIELD: {
        "en": "{where}: the answer key has no valid {field!r}; make keys with 'convtrace quiz'",
        "es": "{where}: la clave de respuestas no tiene un {field!r} válido; genera las claves con 'convtrace quiz'",
    },
    EXERCISE_NEEDS_KERNEL: {
        "en": "a convolution exercise needs a kernel",
        "es": "un ejercicio de convolución necesita un kernel",
    },
    MISTAKE_RELU_FORGOTTEN: {
        "en": "the ReLU (layer {layer}) was left out: negative values must become 0 (ReLU(x) = max(0, x))",
        "es": "se omitió la ReLU (capa {layer}): los valores negativos deben quedar en 0 (ReLU(x) = max(0, x))",
    },
    MISTAKE_BIAS_FORGOTTEN: {
        "en": "the bias of layer {layer} ({bias}) was not added",
        "es": "no se sumó el sesgo (bias) de la capa {layer} ({bias})",
    },
    MISTAKE_FLATTEN_ORDER: {
        "en": "flattened in {used} order instead of {asked} ({explain})",
        "es": "se aplanó en orden {used} en vez de {asked} ({explain})",
    },
    MISTAKE_LAYER_FLIP_ADDED: {
        "en": "layer {layer}: the kernel was flipped (true convolution), but CNN layers compute cross-correlation",
        "es": "capa {layer}: se volteó el kernel (convolución verdadera), pero las capas CNN calculan correlación cruzada",
    },
    MISTAKE_LAYER_KERNEL_TRANSPOSED: {
        "en": "layer {layer}: the kernel was transposed (rows read as columns)",
        "es": "capa {layer}: se transpuso el kernel (filas leídas como columnas)",
    },
    MISTAKE_LAYER_NO_PADDING: {
        "en": "layer {layer}: the padding was forgotten (computed as 'valid')",
        "es": "capa {layer}: se olvidó el relleno (se calculó como 'valid')",
    },
    MISTAKE_LAYER_ADDED_PADDING: {
        "en": "layer {layer}: padding {padding} was added, but the layer has none",
        "es": "capa {layer}: se añadió relleno {padding}, pero la capa no tiene",
    },
    MISTAKE_LAYER_PADDING_AMOUNT: {
        "en": "layer {layer}: padding {used} was used instead of {asked}",
        "es": "capa {layer}: se usó relleno {used} en vez de {asked}",
    },
    MISTAKE_LAYER_STRIDE: {
        "en": "layer {layer}: stride {used} was used instead of {asked}",
        "es": "capa {layer}: se usó paso (stride) {used} en vez de {asked}",
    },
    MISTAKE_LAYER_POOL_MODE: {
        "en": "layer {layer}: {used} pooling was used instead of {asked} pooling",
        "es": "capa {layer}: se usó pooling {used} en vez de pooling {asked}",
    },
    MISTAKE_TCONV_AS_CONV: {
        "en": "an ordinary convolution ({how}) was computed, but the exercise asks for a transposed convolution: each input cell times the kernel, added into a larger output",
        "es": "se calculó una convolución ordinaria ({how}), pero el ejercicio pide una convolución transpuesta: cada celda de la entrada por el kernel, sumada en una salida más grande",
    },
    MISTAKE_TCONV_NO_FLIP: {
        "en": "the kernel was not flipped in the gather view: sliding over the zero-stuffed input needs the kernel rotated 180° (the scatter view uses it as given)",
        "es": "no se volteó el kernel en la vista de recolección: al deslizarlo sobre la entrada intercalada con ceros hay que rotarlo 180° (la vista de dispersión lo usa tal cual)",
    },
    MISTAKE_TCONV_OUTPUT_PADDING: {
        "en": "output_padding {value} was forgotten: it adds {value} {value:plural:row|rows} and {value:plural:column|columns} at the bottom/right",
        "es": "se olvidó output_padding {value}: añade {value} {value:plural:fila|filas} y {value:plural:columna|columnas} abajo/a la derecha",
    },
    MISTAKE_TCONV_OUTPUT_PADDING_ADDED: {
        "en": "output_padding {value} was added, but the exercise has none",
        "es": "se añadió output_padding {value}, pero el ejercicio no tiene",
    },
    MISTAKE_TCONV_NO_CROP: {
        "en": "the padding was not applied: in a transposed convolution padding {padding} crops {padding} {padding:plural:row|rows}/{padding:plural:column|columns} from each side of the full output",
        "es": "no se aplicó el relleno: en una convolución transpuesta el relleno {padding} recorta {padding} {padding:plural:fila|filas}/{padding:plural:columna|columnas} de cada lado de la salida completa",
    },
    MISTAKE_TCONV_CROP_ADDED: {
        "en": "padding {padding} was applied (cropping the output), but the exercise has none",
        "es": "se aplicó relleno {padding} (recortando la salida), pero el ejercicio no tiene",
    },
    MISTAKE_TCONV_CROP_AMOUNT: {
        "en": "padding {used} was cropped instead of {asked}",
        "es": "se recortó relleno {used} en vez de {asked}",
    },
    FLATTEN_CHW: {"en": "chw: channel by channel, as PyTorch's nn.Flatten", "es": "chw: canal por canal, como nn.Flatten de PyTorch"},
    FLATTEN_HWC: {"en": "hwc: position by position, channels last, as Keras",
                  "es": "hwc: posición por posición, con los canales al final, como Keras"},
    PIPELINE_BAD_STEP: {
        "en": "--pipeline: '{step}' is not a layer; write layers separated by commas: {choices} (e.g. conv,relu,maxpool:2)",
        "es": "--pipeline: '{step}' no es una capa; escribe capas separadas por comas: {choices} (p. ej. conv,relu,maxpool:2)",
    },
    PIPELINE_BAD_ARGUMENT: {
        "en": "--pipeline: in '{step}', {kind} takes {what} (e.g. {example})",
        "es": "--pipeline: en '{step}', {kind} lleva {what} (p. ej. {example})",
    },
    PIPELINE_ARG_WINDOW: {"en": "a window size from 1 to 9", "es": "un tamaño de ventana del 1 al 9"},
    PIPELINE_ARG_UNITS: {"en": "a number of outputs from 1 to 9", "es": "un número de salidas del 1 al 9"},
    PIPELINE_ARG_ORDER: {"en": "the order of the values, chw or hwc", "es": "el orden de los valores, chw o hwc"},
    PIPELINE_ARG_NONE: {"en": "nothing after a colon", "es": "nada tras dos puntos"},
    PIPELINE_NEEDS_KEY: {
        "en": "--pipeline: a dense layer needs weights; check it with an answer key from 'convtrace quiz --pipeline …' (--key)",
        "es": "--pipeline: una capa dense necesita pesos; revísala con una clave de 'convtrace quiz --pipeline …' (--key)",
    },
    PIPELINE_NEEDS_KERNEL: {
        "en": "--pipeline with a conv layer needs its kernel: -k NAME, FILE or matrix",
        "es": "--pipeline con una capa conv necesita su kernel: -k NOMBRE, ARCHIVO o matriz",
    },
    CHECK_TCONV_NEEDS_KERNEL: {
        "en": "--tconv needs the kernel: -k NAME, FILE or matrix",
        "es": "--tconv necesita el kernel: -k NOMBRE, ARCHIVO o matriz",
    },
    QUIZ_STATEMENT_TCONV: {
        "en": "Compute the transposed convolution of the input below ({params}). Give the output matrix.",
        "es": "Calcula la convolución transpuesta de la entrada ({params}). Da la matriz de salida.",
    },
    QUIZ_STATEMENT_PIPELINE: {
        "en": "Run the input below through {layers}. Give the output.",
        "es": "Pasa la entrada por {layers}. Da la salida.",
    },
    QUIZ_LAYER_BIAS: {"en": "bias", "es": "sesgo"},
    QUIZ_LAYER_WEIGHTS: {"en": "Layer {layer} ({kind}) weights", "es": "Pesos de la capa {layer} ({kind})"},
    QUIZ_LAYER_OUTPUT: {"en": "Layer {layer} ({kind}) output", "es": "Salida de la capa {layer} ({kind})"},
    TITLE_PIPELINE: {"en": "Forward pass: {layers}", "es": "Paso hacia delante: {layers}"},
    HELP_QUIZ_PIPELINE: {
        "en": "A forward pass instead of one convolution: layers separated by commas, e.g. conv,relu,maxpool:2 (conv, relu, leaky_relu, sigmoid, tanh, maxpool[:N], avgpool[:N], flatten[:hwc], dense[:UNITS], softmax). The conv's kernel is -k (random by default), with a bias.",
        "es": "Un paso hacia delante en vez de una convolución: capas separadas por comas, p. ej. conv,relu,maxpool:2 (conv, relu, leaky_relu, sigmoid, tanh, maxpool[:N], avgpool[:N], flatten[:hwc], dense[:NEURONAS], softmax). El kernel de la conv es -k (aleatorio por defecto), con sesgo.",
    },
    HELP_QUIZ_TCONV: {
        "en": "A transposed convolution (PyTorch's conv_transpose2d) with -k, --stride, --padding, --output-padding.",
        "es": "Una convolución transpuesta (conv_transpose2d de PyTorch) con -k, --stride, --padding, --output-padding.",
    },
    HELP_CHECK_BIAS: {"en": "With --pipeline: the conv layer's bias (one number per filter, e.g. 1 or '1,-2').",
                      "es": "Con --pipeline: el sesgo de la capa conv (un número por filtro, p. ej. 1 o '1,-2')."},
    HELP_OUTPUT_PADDING_EX: {"en": "With --tconv: extra rows/columns at the bottom/right.",
                             "es": "Con --tconv: filas/columnas extra abajo/a la derecha."},
}
