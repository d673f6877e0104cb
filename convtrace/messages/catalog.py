"""The kernel library and border-mode tables."""

from __future__ import annotations

MODES_BORDER_TITLE = "modes_border_title"
MODES_FLIP_TITLE = "modes_flip_title"
MODES_PATTERN = "modes_pattern"
MODES_FUNCTION = "modes_function"
MODES_COMPUTES = "modes_computes"
MODES_NOTE = "modes_note"
KIND_CORRELATION = "kind_correlation"
KIND_CONVOLUTION = "kind_convolution"
KIND_PILLOW = "kind_pillow"
LABEL_NAME = "label_name"
LABEL_DESCRIPTION = "label_description"
LABEL_ALIASES = "label_aliases"
LABEL_SCALE = "label_scale"

MESSAGES: dict[str, dict[str, object]] = {
    MODES_BORDER_TITLE: {"en": "Border (padding) modes", "es": "Modos de borde (relleno)"},
    MODES_FLIP_TITLE: {"en": "Correlation or convolution?", "es": "¿Correlación o convolución?"},
    MODES_PATTERN: {"en": "pattern", "es": "patrón"},
    MODES_FUNCTION: {"en": "function", "es": "función"},
    MODES_COMPUTES: {"en": "computes", "es": "calcula"},
    MODES_NOTE: {
        "en": "Careful: SciPy ndimage's 'reflect' is NumPy's 'symmetric'; convtrace's 'reflect' is NumPy's and PyTorch's.",
        "es": "Cuidado: 'reflect' de SciPy ndimage es 'symmetric' de NumPy; 'reflect' en convtrace es el de NumPy y PyTorch.",
    },
    KIND_CORRELATION: {
        "en": "cross-correlation (kernel as written)",
        "es": "correlación cruzada (kernel tal cual)",
    },
    KIND_CONVOLUTION: {
        "en": "convolution (kernel rotated 180°)",
        "es": "convolución (kernel rotado 180°)",
    },
    KIND_PILLOW: {
        "en": "neither: flips the kernel top-to-bottom only (same result for symmetric kernels)",
        "es": "ninguna: voltea el kernel solo de arriba abajo (igual con kernels simétricos)",
    },
    LABEL_NAME: {"en": "name", "es": "nombre"},
    LABEL_DESCRIPTION: {"en": "description", "es": "descripción"},
    LABEL_ALIASES: {"en": "aliases", "es": "alias"},
    LABEL_SCALE: {"en": "scale", "es": "escala"},
}
