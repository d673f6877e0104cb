"""The interactive page (``-o trace.html``) and the notebook displays: buttons, hints, labels."""

from __future__ import annotations

PAGE_FIRST = "page_first"
PAGE_PREV = "page_prev"
PAGE_PLAY = "page_play"
PAGE_PAUSE = "page_pause"
PAGE_NEXT = "page_next"
PAGE_LAST = "page_last"
PAGE_SCRUB = "page_scrub"
PAGE_HINT = "page_hint"
PAGE_LEGEND_WINDOW = "page_legend_window"
PAGE_LEGEND_PADDING = "page_legend_padding"
PAGE_LEGEND_WINNER = "page_legend_winner"
PAGE_LEGEND_CURRENT = "page_legend_current"
PAGE_CELL_OUTPUT = "page_cell_output"
PAGE_CELL_INPUT = "page_cell_input"
PAGE_CELL_PADDING = "page_cell_padding"
PAGE_WINDOW = "page_window"
PAGE_GENERATED = "page_generated"
PAGE_TOO_LARGE = "page_too_large"
PAGE_NO_SCRIPT = "page_no_script"

MESSAGES: dict[str, dict[str, str]] = {
    PAGE_FIRST: {"en": "First step", "es": "Primer paso"},
    PAGE_PREV: {"en": "Previous", "es": "Anterior"},
    PAGE_PLAY: {"en": "Play", "es": "Reproducir"},
    PAGE_PAUSE: {"en": "Pause", "es": "Pausa"},
    PAGE_NEXT: {"en": "Next", "es": "Siguiente"},
    PAGE_LAST: {"en": "Last step", "es": "Último paso"},
    PAGE_SCRUB: {"en": "Step", "es": "Paso"},
    PAGE_HINT: {
        "en": "Click, tap or hover an output cell to see its window, products and sum.",
        "es": "Haz clic, toca o pasa el ratón sobre una celda de la salida para ver su ventana, sus productos y su suma.",
    },
    PAGE_LEGEND_WINDOW: {"en": "window", "es": "ventana"},
    PAGE_LEGEND_PADDING: {"en": "padding", "es": "relleno"},
    PAGE_LEGEND_WINNER: {"en": "winning cell", "es": "celda ganadora"},
    PAGE_LEGEND_CURRENT: {"en": "output cell shown", "es": "celda de salida mostrada"},
    PAGE_CELL_OUTPUT: {"en": "output {index} = {value}", "es": "salida {index} = {value}"},
    PAGE_CELL_INPUT: {"en": "input row {row}, col {col} = {value}",
                      "es": "entrada fila {row}, columna {col} = {value}"},
    PAGE_CELL_PADDING: {"en": "padding row {row}, col {col} = {value}",
                        "es": "relleno fila {row}, columna {col} = {value}"},
    PAGE_WINDOW: {"en": "Window", "es": "Ventana"},
    PAGE_GENERATED: {
        "en": "Made by convtrace: every number comes from its engine's trace.",
        "es": "Hecho con convtrace: cada número viene de la traza de su motor.",
    },
    PAGE_TOO_LARGE: {
        "en": "too large for a page: {cells} output {cells:plural:cell|cells} and {values} values to embed "
              "(a page holds at most {max_cells} cells and {max_values} values, about 1 MB); crop the input, "
              "or see single cells with --trace --at I,J",
        "es": "demasiado grande para una página: {cells} {cells:plural:celda|celdas} de salida y {values} valores "
              "(una página admite como máximo {max_cells} celdas y {max_values} valores, cerca de 1 MB); recorta "
              "la entrada, o mira celdas sueltas con --trace --at I,J",
    },
    PAGE_NO_SCRIPT: {
        "en": "This view needs JavaScript to step through the windows; the output is shown below.",
        "es": "Esta vista necesita JavaScript para recorrer las ventanas; la salida se muestra abajo.",
    },
}
