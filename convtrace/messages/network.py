"""Networks (``convtrace net``), activations and transposed convolution: errors, labels and help."""

from __future__ import annotations

# --- transposed convolution
WHAT_TCONV = "what_tconv"
WHAT_TCONV_TRACE = "what_tconv_trace"
HINT_TCONV = "hint_tconv"
TCONV_CHANNELS = "tconv_channels"
TCONV_EMPTY = "tconv_empty"
TCONV_OUTPUT_PADDING = "tconv_output_padding"
TITLE_TCONV = "title_tconv"
LABEL_TCONV_PARAMS = "label_tconv_params"
LABEL_TCONV_SIZE = "label_tconv_size"
LABEL_SCATTER = "label_scatter"
LABEL_GATHER_AXES = "label_gather_axes"
LABEL_SCATTER_MORE = "label_scatter_more"
LABEL_FOR_MAP = "label_for_map"
LABEL_MORE_VALUES = "label_more_values"
LABEL_GATHER = "label_gather"
LABEL_STUFFED = "label_stuffed"
LABEL_FLIPPED_KERNEL = "label_flipped_kernel"
LABEL_SCATTER_CELL = "label_scatter_cell"
LABEL_NO_CONTRIBUTION = "label_no_contribution"
# --- networks: the spec file
NET_EMPTY = "net_empty"
NET_UNKNOWN_LAYER = "net_unknown_layer"
NET_UNKNOWN_OPTION = "net_unknown_option"
NET_BAD_TOKEN = "net_bad_token"
NET_BAD_VALUE = "net_bad_value"
NET_MISSING_OPTION = "net_missing_option"
NET_NO_WEIGHTS = "net_no_weights"
NET_WEIGHTS_SHAPE = "net_weights_shape"
NET_WEIGHTS_TRANSPOSED = "net_weights_transposed"
NET_WHAT_RANDOM_WEIGHTS = "net_what_random_weights"
NET_LAYER_INPUT = "net_layer_input"
NET_LAYER_FAILED = "net_layer_failed"
NET_BAD_TRACE = "net_bad_trace"
NET_TRACE_CELL = "net_trace_cell"
NET_NO_TRACE = "net_no_trace"
# --- networks: why a value or a layer is refused (the {reason} of NET_BAD_VALUE / NET_LAYER_INPUT)
NET_WANT_BOOL = "net_want_bool"
NET_WANT_POSITIVE = "net_want_positive"
NET_WANT_NUMBER = "net_want_number"
NET_WANT_ORDER = "net_want_order"
NET_VALUE_MISSING = "net_value_missing"
NET_CONV_NEEDS_MAP = "net_conv_needs_map"
NET_POOL_NEEDS_MAP = "net_pool_needs_map"
NET_DENSE_NEEDS_VECTOR = "net_dense_needs_vector"
NET_SHAPE_CONV_WEIGHTS = "net_shape_conv_weights"
NET_SHAPE_CONV_BIAS = "net_shape_conv_bias"
NET_SHAPE_DENSE_WEIGHTS = "net_shape_dense_weights"
NET_SHAPE_DENSE_BIAS = "net_shape_dense_bias"
# --- networks: labels
TITLE_NET = "title_net"
LABEL_NET_LAYER = "label_net_layer"
LABEL_NET_SHAPE = "label_net_shape"
LABEL_NET_PARAMS = "label_net_params"
LABEL_NET_INPUT = "label_net_input"
LABEL_NET_TOTAL = "label_net_total"
LABEL_NET_FC = "label_net_fc"
LABEL_NET_RANDOM = "label_net_random"
LABEL_NET_OUTPUT_OF = "label_net_output_of"
LABEL_NET_TRACE_OF = "label_net_trace_of"
LABEL_NET_BIAS = "label_net_bias"
LABEL_NET_DOT = "label_net_dot"
LABEL_NET_FLATTEN_ORDER = "label_net_flatten_order"
LABEL_NET_CHANNEL_SUM = "label_net_channel_sum"
LABEL_NET_COUNT_CONV = "label_net_count_conv"
LABEL_NET_COUNT_DENSE = "label_net_count_dense"
# --- activations
TITLE_ACTIVATION = "title_activation"
LABEL_ACT_SUM = "label_act_sum"
LABEL_FLATTEN_FROM = "label_flatten_from"
# --- help
HELP_NET = "help_net"
HELP_NET_SPEC = "help_net_spec"
HELP_NET_TRACE = "help_net_trace"
HELP_NET_SEED = "help_net_seed"
HELP_NET_FORMAT = "help_net_format"
HELP_ACTIVATION = "help_activation"
HELP_ACT_RELU = "help_act_relu"
HELP_ACT_LEAKY_RELU = "help_act_leaky_relu"
HELP_ACT_SIGMOID = "help_act_sigmoid"
HELP_ACT_TANH = "help_act_tanh"
HELP_ACT_SOFTMAX = "help_act_softmax"
HELP_ACT_FLATTEN = "help_act_flatten"
HELP_ACT_SLOPE = "help_act_slope"
HELP_ACT_ORDER = "help_act_order"
HELP_TCONV = "help_tconv"
HELP_TCONV_KERNEL = "help_tconv_kernel"
HELP_TCONV_PADDING = "help_tconv_padding"
HELP_TCONV_OUTPUT_PADDING = "help_tconv_output_padding"
HELP_SIMPLE_FORMAT = "help_simple_format"

MESSAGES: dict[str, dict[str, object]] = {
    WHAT_TCONV: {"en": "this transposed convolution", "es": "esta convolución transpuesta"},
    WHAT_TCONV_TRACE: {"en": "this transposed-convolution trace", "es": "esta traza de convolución transpuesta"},
    HINT_TCONV: {"en": "use a smaller input, kernel or stride, or trace fewer cells (--at)",
                 "es": "usa una entrada, un kernel o un paso más pequeños, o traza menos celdas (--at)"},
    TCONV_CHANNELS: {
        "en": "the weights have {kc} input {kc:plural:channel|channels} (shape (C_in, C_out, kh, kw)) but the input has {c} {c:plural:channel|channels}; C_in must equal the input's channels",
        "es": "los pesos tienen {kc} {kc:plural:canal|canales} de entrada (forma (C_in, C_out, kh, kw)) pero la entrada tiene {c} {c:plural:canal|canales}; C_in debe ser igual a los canales de la entrada",
    },
    TCONV_EMPTY: {
        "en": "the output would be empty: rows {rows}, cols {cols}; use less padding",
        "es": "la salida quedaría vacía: filas {rows}, columnas {cols}; usa menos relleno",
    },
    TCONV_OUTPUT_PADDING: {
        "en": "output_padding {value} must be smaller than the stride ({stride}) or the dilation ({dilation}): at most {limit} − 1",
        "es": "output_padding {value} debe ser menor que el paso ({stride}) o la dilatación ({dilation}): como mucho {limit} − 1",
    },
    TITLE_TCONV: {"en": "Transposed convolution (PyTorch's conv_transpose2d)",
                  "es": "Convolución transpuesta (conv_transpose2d de PyTorch)"},
    LABEL_TCONV_PARAMS: {"en": "stride {stride} · padding {padding} · output_padding {output_padding} · dilation {dilation}",
                         "es": "paso {stride} · relleno {padding} · output_padding {output_padding} · dilatación {dilation}"},
    LABEL_TCONV_SIZE: {"en": "Output size: H_out = (H − 1)·s − 2·p + d·(k − 1) + output_padding + 1",
                       "es": "Tamaño de salida: H_out = (H − 1)·s − 2·p + d·(k − 1) + output_padding + 1"},
    LABEL_SCATTER: {
        "en": "Scatter view: each input cell times the kernel, added into the output",
        "es": "Vista de dispersión: cada celda de la entrada por el kernel, sumada en la salida",
    },
    LABEL_GATHER: {
        "en": "Gather view: a correlation of the flipped kernel over the input with {zeros} {zeros:plural:zero|zeros} stuffed between cells and {pad} around (stride 1, dilation {dilation})",
        "es": "Vista de recolección: una correlación del kernel volteado sobre la entrada con {zeros} {zeros:plural:cero intercalado|ceros intercalados} entre celdas y {pad} alrededor (paso 1, dilatación {dilation})",
    },
    LABEL_STUFFED: {"en": "Stuffed, padded input", "es": "Entrada intercalada con ceros y rellena"},
    LABEL_FLIPPED_KERNEL: {"en": "Flipped kernel", "es": "Kernel volteado"},
    LABEL_GATHER_AXES: {
        "en": "Gather view: a correlation of the flipped kernel over the input with {zr} {zr:plural:zero|zeros} stuffed between rows and {zc} between columns, {pr} rows above/below and {pc} columns left/right (stride 1, dilation {dilation})",
        "es": "Vista de recolección: una correlación del kernel volteado sobre la entrada con {zr} {zr:plural:cero intercalado|ceros intercalados} entre filas y {zc} entre columnas, {pr} filas arriba/abajo y {pc} columnas a izquierda/derecha (paso 1, dilatación {dilation})",
    },
    LABEL_SCATTER_MORE: {
        "en": "… and {n} more input {n:plural:cell|cells}, each adding its block the same way",
        "es": "… y {n} {n:plural:celda|celdas} más de la entrada, cada una sumando su bloque igual",
    },
    LABEL_FOR_MAP: {"en": "for output map {m}", "es": "del mapa de salida {m}"},
    LABEL_MORE_VALUES: {
        "en": "  … {hidden} more {hidden:plural:value|values} not traced; every output value is in -o out.json",
        "es": "  … {hidden} {hidden:plural:valor|valores} más sin rastrear; todos los valores de salida están en -o salida.json",
    },
    LABEL_SCATTER_CELL: {
        "en": "input[{where}] = {value} × kernel → added at output rows {rows}, cols {cols}",
        "es": "entrada[{where}] = {value} × kernel → sumado en filas {rows}, columnas {cols} de la salida",
    },
    LABEL_NO_CONTRIBUTION: {"en": "no input cell reaches this output cell: 0",
                            "es": "ninguna celda de la entrada llega a esta celda de salida: 0"},
    NET_EMPTY: {"en": "{where}: the network has no layers; write one layer per line (conv, relu, maxpool, flatten, dense, softmax …)",
                "es": "{where}: la red no tiene capas; escribe una capa por línea (conv, relu, maxpool, flatten, dense, softmax …)"},
    NET_UNKNOWN_LAYER: {"en": "{where}: unknown layer '{name}'; known layers: {choices}",
                        "es": "{where}: capa desconocida '{name}'; capas conocidas: {choices}"},
    NET_UNKNOWN_OPTION: {"en": "{where}: '{layer}' has no option '{name}'; its options: {choices}",
                         "es": "{where}: '{layer}' no tiene la opción '{name}'; sus opciones: {choices}"},
    NET_BAD_TOKEN: {"en": "{where}: '{token}' is not an option; write name=value (e.g. size=3)",
                    "es": "{where}: '{token}' no es una opción; escribe nombre=valor (p. ej. size=3)"},
    NET_BAD_VALUE: {"en": "{where}: {name}={value}: {reason}", "es": "{where}: {name}={value}: {reason}"},
    NET_MISSING_OPTION: {"en": "{where}: '{layer}' needs {name}=…", "es": "{where}: '{layer}' necesita {name}=…"},
    NET_NO_WEIGHTS: {
        "en": "{where}: '{layer}' has no weights; give weights=FILE (.npy or .txt, relative to the spec file) or run with --seed N for random weights",
        "es": "{where}: '{layer}' no tiene pesos; da weights=ARCHIVO (.npy o .txt, relativo al archivo de la red) o usa --seed N para pesos aleatorios",
    },
    NET_WEIGHTS_SHAPE: {"en": "{where}: {name} has shape {shape}; expected {layout} = {expected}",
                        "es": "{where}: {name} tiene forma {shape}; se esperaba {layout} = {expected}"},
    NET_WHAT_RANDOM_WEIGHTS: {"en": "the layer's random weights", "es": "la capa con pesos aleatorios"},
    NET_WEIGHTS_TRANSPOSED: {
        "en": "{where}: {name} has shape {shape}; expected {layout} = {expected}: transposed, as Keras keeps a "
              "dense layer's weights (inputs, units)? Save the transpose (w.T)",
        "es": "{where}: {name} tiene forma {shape}; se esperaba {layout} = {expected}: ¿traspuestos, como guarda "
              "Keras los pesos de una capa densa (entradas, unidades)? Guarda la traspuesta (w.T)"},
    NET_LAYER_INPUT: {"en": "{where}: '{layer}' cannot take an input of shape {shape}: {reason}",
                      "es": "{where}: '{layer}' no puede recibir una entrada de forma {shape}: {reason}"},
    NET_LAYER_FAILED: {"en": "{where}: layer {index} ({layer}): {reason}", "es": "{where}: capa {index} ({layer}): {reason}"},
    NET_BAD_TRACE: {
        "en": "--trace {value}: write LAYER or LAYER:I,J (LAYER a number from 1 to {n} or a name such as {example})",
        "es": "--trace {value}: escribe CAPA o CAPA:I,J (CAPA un número de 1 a {n} o un nombre como {example})",
    },
    NET_TRACE_CELL: {"en": "--trace {value}: layer {layer} has output shape {shape}; give an index inside it",
                     "es": "--trace {value}: la capa {layer} tiene forma de salida {shape}; da un índice dentro de ella"},
    NET_NO_TRACE: {"en": "--trace: layer {layer} ({kind}) is computed element by element; its output shows every value",
                   "es": "--trace: la capa {layer} ({kind}) se calcula elemento a elemento; su salida muestra cada valor"},
    NET_WANT_BOOL: {"en": "write true or false", "es": "escribe true o false (sí o no)"},
    NET_WANT_POSITIVE: {"en": "write a positive whole number", "es": "escribe un número entero positivo"},
    NET_WANT_NUMBER: {"en": "write a number such as 0.01", "es": "escribe un número como 0.01"},
    NET_WANT_ORDER: {"en": "write chw (PyTorch) or hwc (Keras)", "es": "escribe chw (PyTorch) o hwc (Keras)"},
    NET_VALUE_MISSING: {"en": "the value is missing", "es": "falta el valor"},
    NET_CONV_NEEDS_MAP: {"en": "conv needs (H, W) or (C, H, W); put conv before flatten",
                         "es": "conv necesita (H, W) o (C, H, W); pon conv antes de flatten"},
    NET_POOL_NEEDS_MAP: {"en": "pooling needs (H, W) or (C, H, W); put it before flatten",
                         "es": "el pooling necesita (H, W) o (C, H, W); ponlo antes de flatten"},
    NET_DENSE_NEEDS_VECTOR: {"en": "dense takes a vector; put flatten before it",
                             "es": "dense recibe un vector; pon flatten antes"},
    NET_SHAPE_CONV_WEIGHTS: {"en": "(filters, channels, size, size)", "es": "(filtros, canales, tamaño, tamaño)"},
    NET_SHAPE_CONV_BIAS: {"en": "(filters,)", "es": "(filtros,)"},
    NET_SHAPE_DENSE_WEIGHTS: {"en": "(units, inputs)", "es": "(neuronas, entradas)"},
    NET_SHAPE_DENSE_BIAS: {"en": "(units,)", "es": "(neuronas,)"},
    TITLE_NET: {"en": "Network: {n} {n:plural:layer|layers}", "es": "Red: {n} {n:plural:capa|capas}"},
    LABEL_NET_LAYER: {"en": "Layer", "es": "Capa"},
    LABEL_NET_SHAPE: {"en": "Output shape", "es": "Forma de salida"},
    LABEL_NET_PARAMS: {"en": "Param #", "es": "Parámetros"},
    LABEL_NET_INPUT: {"en": "input", "es": "entrada"},
    LABEL_NET_TOTAL: {"en": "Total params: {total}", "es": "Parámetros totales: {total}"},
    LABEL_NET_FC: {
        "en": "A fully connected first layer on the same input ({inputs} values) with {units} {units:plural:unit|units} would need ({inputs} + 1)·{units} = {params} parameters; this network's first layer has {first}",
        "es": "Una primera capa totalmente conectada sobre la misma entrada ({inputs} valores) con {units} {units:plural:neurona|neuronas} necesitaría ({inputs} + 1)·{units} = {params} parámetros; la primera capa de esta red tiene {first}",
    },
    LABEL_NET_RANDOM: {
        "en": "Note: {layers} {n:plural:has|have} random weights (seed {seed}), not trained ones",
        "es": "Nota: {layers} {n:plural:tiene|tienen} pesos aleatorios (semilla {seed}), no entrenados",
    },
    LABEL_NET_OUTPUT_OF: {"en": "Layer {index}: {name} → {shape}", "es": "Capa {index}: {name} → {shape}"},
    LABEL_NET_TRACE_OF: {"en": "Trace of layer {index} ({name}), output{cell}",
                         "es": "Traza de la capa {index} ({name}), salida{cell}"},
    LABEL_NET_BIAS: {"en": "bias", "es": "sesgo"},
    LABEL_NET_DOT: {"en": "unit {unit}: Σ w·x + b", "es": "neurona {unit}: Σ w·x + b"},
    LABEL_NET_FLATTEN_ORDER: {
        "en": "flatten order {order}: {explain}", "es": "orden de aplanado {order}: {explain}",
    },
    LABEL_NET_CHANNEL_SUM: {"en": "channel {channel}: {sum}", "es": "canal {channel}: {sum}"},
    LABEL_NET_COUNT_CONV: {"en": "({kh}·{kw}·{c} + 1)·{f} = {params}", "es": "({kh}·{kw}·{c} + 1)·{f} = {params}"},
    LABEL_NET_COUNT_DENSE: {"en": "({inputs} + 1)·{units} = {params}", "es": "({inputs} + 1)·{units} = {params}"},
    TITLE_ACTIVATION: {"en": "{formula}", "es": "{formula}"},
    LABEL_ACT_SUM: {"en": "Σ exp(x_j) = {terms} = {total}", "es": "Σ exp(x_j) = {terms} = {total}"},
    LABEL_FLATTEN_FROM: {
        "en": "Flatten: a {shape} tensor becomes a vector of {n} ({order} order)",
        "es": "Aplanar: un tensor de {shape} se convierte en un vector de {n} (orden {order})",
    },
    HELP_NET: {
        "en": "Run a small CNN from a spec file (one layer per line) and explain it: parameter counts as Keras' model.summary(), each layer's output, any cell traced.",
        "es": "Ejecuta una pequeña CNN descrita en un archivo (una capa por línea) y la explica: parámetros como model.summary() de Keras, la salida de cada capa y la traza de cualquier celda.",
    },
    HELP_NET_SPEC: {"en": "The network: a text file, one layer per line (see the README).",
                    "es": "La red: un archivo de texto, una capa por línea (ver el README)."},
    HELP_NET_TRACE: {"en": "Trace a layer's cell: LAYER or LAYER:I,J (1-based index or a name such as conv1, dense1).",
                     "es": "Traza una celda de una capa: CAPA o CAPA:I,J (índice desde 1 o un nombre como conv1, dense1)."},
    HELP_NET_SEED: {"en": "Random weights from this seed for layers without weights=FILE.",
                    "es": "Pesos aleatorios con esta semilla para las capas sin weights=ARCHIVO."},
    HELP_NET_FORMAT: {"en": "Output format: table, json or markdown.", "es": "Formato de salida: table, json o markdown."},
    HELP_ACT_RELU: {"en": "ReLU(x) = max(0, x) on every value of INPUT; --trace shows each one.",
                    "es": "ReLU(x) = max(0, x) en cada valor de INPUT; --trace muestra cada uno."},
    HELP_ACT_LEAKY_RELU: {"en": "Leaky ReLU: x if x > 0, else slope·x, on every value of INPUT; --trace shows each one.",
                          "es": "Leaky ReLU: x si x > 0, si no pendiente·x, en cada valor de INPUT; --trace muestra cada uno."},
    HELP_ACT_SIGMOID: {"en": "Sigmoid 1 / (1 + e^−x) on every value of INPUT; --trace shows each one.",
                       "es": "Sigmoide 1 / (1 + e^−x) en cada valor de INPUT; --trace muestra cada uno."},
    HELP_ACT_TANH: {"en": "Hyperbolic tangent on every value of INPUT; --trace shows each one.",
                    "es": "Tangente hiperbólica en cada valor de INPUT; --trace muestra cada uno."},
    HELP_ACT_SOFTMAX: {"en": "Softmax: exp(x_i) / Σ exp(x_j) over all values of INPUT; --trace shows the sum and each quotient.",
                       "es": "Softmax: exp(x_i) / Σ exp(x_j) sobre todos los valores de INPUT; --trace muestra la suma y cada cociente."},
    HELP_ACT_FLATTEN: {"en": "Flatten INPUT into a vector, (C, H, W) order as PyTorch or --order hwc as Keras; --trace shows where each value goes.",
                       "es": "Aplana INPUT en un vector, en orden (C, H, W) como PyTorch o --order hwc como Keras; --trace muestra adónde va cada valor."},
    HELP_ACTIVATION: {"en": "Apply this activation (or flatten) to every value of INPUT; --trace shows each computation as the slides write it.",
                      "es": "Aplica esta activación (o el aplanado) a cada valor de INPUT; --trace muestra cada cálculo como en las diapositivas."},
    HELP_ACT_SLOPE: {"en": "Slope for negative values (PyTorch's default 0.01).",
                     "es": "Pendiente para valores negativos (0.01 por defecto, como PyTorch)."},
    HELP_ACT_ORDER: {"en": "chw (PyTorch's nn.Flatten) or hwc (Keras, channels last).",
                     "es": "chw (nn.Flatten de PyTorch) o hwc (Keras, canales al final)."},
    HELP_TCONV: {
        "en": "Transposed convolution (PyTorch's conv_transpose2d): the output, and with --trace each cell as scatter and as gather, with the size arithmetic.",
        "es": "Convolución transpuesta (conv_transpose2d de PyTorch): la salida y, con --trace, cada celda como dispersión y como recolección, con la aritmética del tamaño.",
    },
    HELP_TCONV_KERNEL: {"en": "Kernel: a 2-D matrix, a library name, or a (C_in, C_out, kh, kw) .npy file.",
                        "es": "Kernel: una matriz 2-D, un nombre de la biblioteca o un archivo .npy (C_in, C_out, kh, kw)."},
    HELP_TCONV_PADDING: {"en": "Rows/columns cropped from each side of the full output (an int or H,W).",
                         "es": "Filas/columnas recortadas de cada lado de la salida completa (un entero o H,W)."},
    HELP_TCONV_OUTPUT_PADDING: {"en": "Extra rows/columns at the bottom/right (less than the stride or the dilation).",
                                "es": "Filas/columnas extra abajo/a la derecha (menos que el paso o la dilatación)."},
    HELP_SIMPLE_FORMAT: {"en": "Output format: table, json or markdown.", "es": "Formato de salida: table, json o markdown."},
}
