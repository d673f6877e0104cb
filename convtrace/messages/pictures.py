"""Pictures: animated traces (GIF, PNG frames), the kernel gallery and feature-map pictures."""

from __future__ import annotations

PIC_INPUT = "pic_input"
PIC_INPUT_CHANNEL = "pic_input_channel"
PIC_OUTPUT = "pic_output"
PIC_OUTPUT_MAP = "pic_output_map"
PIC_LEGEND_WINDOW = "pic_legend_window"
PIC_LEGEND_PADDING = "pic_legend_padding"
PIC_LEGEND_TAP = "pic_legend_tap"
PIC_LEGEND_WINNER = "pic_legend_winner"
PIC_LEGEND_PENDING = "pic_legend_pending"
PIC_LEGEND_COLOURS = "pic_legend_colours"
PIC_STUFFED_ZERO = "pic_stuffed_zero"
PIC_FRAMES_CAPPED = "pic_frames_capped"
PIC_FPS_CLAMPED = "pic_fps_clamped"
PIC_BAD_FPS = "pic_bad_fps"
PIC_NEEDS_OUTPUT = "pic_needs_output"
PIC_FRAMES_NOT_DIR = "pic_frames_not_dir"
PIC_NET_TRACE_KIND = "pic_net_trace_kind"
PIC_NET_GIF_NEEDS_TRACE = "pic_net_gif_needs_trace"
GALLERY_OPERATION = "gallery_operation"
GALLERY_FILTER = "gallery_filter"
GALLERY_CONVOLVED = "gallery_convolved"
GALLERY_NOT_IMAGE = "gallery_not_image"
GALLERY_BAD_SUFFIX = "gallery_bad_suffix"
GALLERY_BAD_SIZE = "gallery_bad_size"
GALLERY_NO_KERNELS = "gallery_no_kernels"
MAPS_TITLE = "maps_title"
MAPS_MORE = "maps_more"
MAPS_BAD_SUFFIX = "maps_bad_suffix"
HELP_FPS = "help_fps"
HELP_FRAMES = "help_frames"
HELP_GALLERY = "help_gallery"
HELP_GALLERY_PHOTO = "help_gallery_photo"
HELP_GALLERY_KERNELS = "help_gallery_kernels"
HELP_GALLERY_SIZE = "help_gallery_size"
HELP_GALLERY_OUTPUT = "help_gallery_output"
HELP_MAPS = "help_maps"

MESSAGES: dict[str, dict[str, object]] = {
    PIC_INPUT: {"en": "Input ({shape})", "es": "Entrada ({shape})"},
    PIC_INPUT_CHANNEL: {"en": "Input, channel {c} ({shape})", "es": "Entrada, canal {c} ({shape})"},
    PIC_OUTPUT: {"en": "Output ({shape})", "es": "Salida ({shape})"},
    PIC_OUTPUT_MAP: {"en": "Output, map {f} ({shape})", "es": "Salida, mapa {f} ({shape})"},
    PIC_LEGEND_WINDOW: {"en": "window", "es": "ventana"},
    PIC_LEGEND_PADDING: {"en": "padding", "es": "relleno"},
    PIC_LEGEND_TAP: {"en": "cell read (dilation)", "es": "celda leída (dilatación)"},
    PIC_LEGEND_WINNER: {"en": "winner", "es": "ganador"},
    PIC_LEGEND_PENDING: {"en": "not computed yet", "es": "aún sin calcular"},
    PIC_LEGEND_COLOURS: {"en": "blue < 0 < red", "es": "azul < 0 < rojo"},
    PIC_STUFFED_ZERO: {"en": "inserted zero", "es": "cero insertado"},
    PIC_FRAMES_CAPPED: {
        "en": "the animation shows the first {shown} of {total} windows; pick others with --at I,J or --max-steps N",
        "es": "la animación muestra las primeras {shown} de {total} ventanas; elige otras con --at I,J o --max-steps N",
    },
    PIC_FPS_CLAMPED: {
        "en": "--fps {value}: using {used} frames per second (from {low} to {high})",
        "es": "--fps {value}: se usan {used} cuadros por segundo (de {low} a {high})",
    },
    PIC_BAD_FPS: {
        "en": "--fps {value}: frames per second must be a positive number, e.g. --fps 2 (from {low} to {high})",
        "es": "--fps {value}: los cuadros por segundo deben ser un número positivo, p. ej. --fps 2 (de {low} a {high})",
    },
    PIC_NEEDS_OUTPUT: {
        "en": "an animation is a file: give it a name with -o steps.gif, or write PNG frames with --frames DIR",
        "es": "una animación es un archivo: dale un nombre con -o pasos.gif, o escribe cuadros PNG con --frames CARPETA",
    },
    PIC_FRAMES_NOT_DIR: {
        "en": "--frames {where}: this is a file, not a folder; name a folder for the PNG frames",
        "es": "--frames {where}: es un archivo, no una carpeta; indica una carpeta para los cuadros PNG",
    },
    PIC_NET_TRACE_KIND: {
        "en": "layer {layer} is {kind}: animations show conv and pooling layers; trace one of them (e.g. --trace {example})",
        "es": "la capa {layer} es {kind}: las animaciones muestran capas conv y de pooling; traza una de ellas (p. ej. --trace {example})",
    },
    PIC_NET_GIF_NEEDS_TRACE: {
        "en": "{where}: a GIF shows one layer's window; add --trace LAYER[:I,J] (or write the maps with --maps maps.png)",
        "es": "{where}: un GIF muestra la ventana de una capa; añade --trace CAPA[:I,J] (o escribe los mapas con --maps mapas.png)",
    },
    GALLERY_OPERATION: {"en": "Operation", "es": "Operación"},
    GALLERY_FILTER: {"en": "Filter", "es": "Filtro"},
    GALLERY_CONVOLVED: {"en": "Convolved image", "es": "Imagen convolucionada"},
    GALLERY_NOT_IMAGE: {
        "en": "{where}: not an image; the gallery filters a photo (.png .jpg .bmp .gif .tiff .webp)",
        "es": "{where}: no es una imagen; la galería filtra una foto (.png .jpg .bmp .gif .tiff .webp)",
    },
    GALLERY_BAD_SUFFIX: {
        "en": "-o {where}: the gallery is a picture; end the name in .png, .jpg or .webp",
        "es": "-o {where}: la galería es una imagen; termina el nombre en .png, .jpg o .webp",
    },
    GALLERY_BAD_SIZE: {
        "en": "--size {value}: the photo's width in the gallery must be from {low} to {high} pixels, e.g. --size 320",
        "es": "--size {value}: el ancho de la foto en la galería debe ir de {low} a {high} píxeles, p. ej. --size 320",
    },
    GALLERY_NO_KERNELS: {
        "en": "-k {value}: name at least one kernel, e.g. -k identity,sharpen, or --kernels all",
        "es": "-k {value}: indica al menos un kernel, p. ej. -k identity,sharpen, o --kernels all",
    },
    MAPS_TITLE: {"en": "Feature maps", "es": "Mapas de características"},
    MAPS_MORE: {"en": "+{n} more", "es": "+{n} más"},
    MAPS_BAD_SUFFIX: {
        "en": "--maps {where}: the feature maps are a picture; end the name in .png",
        "es": "--maps {where}: los mapas de características son una imagen; termina el nombre en .png",
    },
    HELP_FPS: {
        "en": "Frames per second of a GIF trace (-o steps.gif), from 0.1 to 30.",
        "es": "Cuadros por segundo de una traza GIF (-o pasos.gif), de 0.1 a 30.",
    },
    HELP_FRAMES: {
        "en": "Also write each frame of the picture trace as a PNG in this folder (frame-001.png …), for slides.",
        "es": "Escribe también cada cuadro de la traza en imágenes PNG en esta carpeta (frame-001.png …), para diapositivas.",
    },
    HELP_GALLERY: {
        "en": "A picture of a photo under several kernels, one row each: name, matrix and filtered photo (as the slides' table).",
        "es": "Una imagen de una foto bajo varios kernels, una fila por kernel: nombre, matriz y foto filtrada (como la tabla de las diapositivas).",
    },
    HELP_GALLERY_PHOTO: {
        "en": "The photo to filter (.png .jpg .bmp .gif .tiff .webp).",
        "es": "La foto que se filtra (.png .jpg .bmp .gif .tiff .webp).",
    },
    HELP_GALLERY_KERNELS: {
        "en": "Kernels, separated by commas (library names, files or inline matrices), or 'all' for the whole library.",
        "es": "Kernels separados por comas (nombres de la biblioteca, archivos o matrices), o 'all' para toda la biblioteca.",
    },
    HELP_GALLERY_SIZE: {
        "en": "Width in pixels the photo is shrunk to before filtering (never enlarged).",
        "es": "Ancho en píxeles al que se reduce la foto antes de filtrar (nunca se agranda).",
    },
    HELP_GALLERY_OUTPUT: {
        "en": "The picture to write (.png, .jpg or .webp).",
        "es": "La imagen que se escribe (.png, .jpg o .webp).",
    },
    HELP_MAPS: {
        "en": "Write every layer's feature maps as one picture (.png): a row per layer, a column per map.",
        "es": "Escribe los mapas de características de cada capa en una imagen (.png): una fila por capa, una columna por mapa.",
    },
}
