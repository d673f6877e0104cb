"""Filtering a folder of images."""

from __future__ import annotations

BATCH_NO_INPUT_DIR = "batch_no_input_dir"
BATCH_OUT_NOT_DIR = "batch_out_not_dir"
BATCH_SAME_DIR = "batch_same_dir"
BATCH_NESTED_DIR = "batch_nested_dir"
BATCH_NEEDS_STEP = "batch_needs_step"
BATCH_NO_IMAGES = "batch_no_images"
BATCH_SUMMARY = "batch_summary"
BATCH_DRY_RUN = "batch_dry_run"
BATCH_FAILED_ITEM = "batch_failed_item"
BATCH_INTERRUPTED = "batch_interrupted"

MESSAGES: dict[str, dict[str, object]] = {
    BATCH_NO_INPUT_DIR: {
        "en": "{where}: not a folder; IN must be a folder of images",
        "es": "{where}: no es una carpeta; IN debe ser una carpeta de imágenes",
    },
    BATCH_OUT_NOT_DIR: {
        "en": "{where}: exists and is not a folder; OUT must be a folder (it is created if missing)",
        "es": "{where}: existe y no es una carpeta; OUT debe ser una carpeta (se crea si no existe)",
    },
    BATCH_SAME_DIR: {
        "en": "{where}: OUT is the input folder; choose another folder so no original is overwritten",
        "es": "{where}: OUT es la carpeta de entrada; elige otra carpeta para no sobrescribir ningún original",
    },
    BATCH_NESTED_DIR: {
        "en": "{where}: OUT and IN ({input}) contain one another; with --recursive they must be separate folders",
        "es": "{where}: OUT e IN ({input}) están uno dentro del otro; con --recursive deben ser carpetas separadas",
    },
    BATCH_NEEDS_STEP: {
        "en": "say what to do: -k KERNEL, --pool MODE:SIZE, or both",
        "es": "indica qué hacer: -k KERNEL, --pool MODO:TAMAÑO, o ambos",
    },
    BATCH_NO_IMAGES: {
        "en": "{where}: no images found{pattern}",
        "es": "{where}: no se encontraron imágenes{pattern}",
    },
    BATCH_SUMMARY: {
        "en": "{done} done, {skipped} skipped (already there), {failed} failed in {seconds:.1f} s ({rate} images/s)",
        "es": "{done} {done:plural:hecha|hechas}, {skipped} {skipped:plural:omitida|omitidas} (ya {skipped:plural:existía|existían}), {failed} {failed:plural:fallida|fallidas} en {seconds:.1f} s ({rate} imágenes/s)",
    },
    BATCH_DRY_RUN: {
        "en": "{planned} to write, {skipped} already there (dry run: nothing written)",
        "es": "{planned} por escribir, {skipped} ya {skipped:plural:existe|existen} (simulación: no se escribió nada)",
    },
    BATCH_FAILED_ITEM: {"en": "failed: {file}: {reason}", "es": "falló: {file}: {reason}"},
    BATCH_INTERRUPTED: {
        "en": "interrupted: finished images are complete, no partial file was left; run again to resume",
        "es": "interrumpido: las imágenes terminadas están completas, no quedó ningún archivo a medias; vuelve a ejecutar para continuar",
    },
}
