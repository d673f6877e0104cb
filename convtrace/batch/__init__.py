"""Filtering folders of images: fast, and never losing or clobbering a file.

Each image is decoded with Pillow, filtered by the engine (its serial
routines, which release the GIL, so worker threads really run in parallel
and decoding, filtering and encoding overlap), mapped back to pixel values,
encoded into a temporary file beside its destination and renamed into place.
At most a few images are in memory at once, never the whole folder.

Safety rules: every setting is checked once, before any image is read
(:func:`check_plan`); nothing is written inside IN: OUT may not be IN, nor lie
inside it or around it, recursive or not (:func:`check_folders`); OUT must be
writable before the first image (:func:`prepare_out`); the settings of a run are
kept in OUT (:data:`MANIFEST_NAME`), so a re-run with the same settings resumes
(an existing output is skipped) while a re-run with other settings is refused
unless ``overwrite`` (:func:`check_manifest`); a file that is not an image, is
damaged, unreadable or a decompression bomb is reported and skipped.

The code lives in submodules, one concern each: :mod:`~convtrace.batch.plan`
(the settings and their check), :mod:`~convtrace.batch.outcomes` (what came of
each image), :mod:`~convtrace.batch.folders` (finding images, the folder
checks), :mod:`~convtrace.batch.images` (one image), :mod:`~convtrace.batch.record`
(the settings record in OUT) and :mod:`~convtrace.batch.runner` (the threads).
Everything is importable from ``convtrace.batch`` as before.
"""

from __future__ import annotations

from convtrace.batch.folders import (
    _inside,
    _nearest_existing,
    check_distinct_targets,
    check_folders,
    find_images,
    prepare_out,
    target_for,
)
from convtrace.batch.images import (
    _WRITER_TAKES_PREFIX,
    NO_ALPHA_FORMATS,
    PIL_FORMAT,
    _fit,
    decode,
    encode,
    filter_pixels,
    process,
    render,
    temp_prefix,
    to_pixels,
)
from convtrace.batch.outcomes import (
    _BIDI,
    _BREAKING,
    Outcome,
    Summary,
    _error_outcome,
    _first_line,
    _outcome,
    shown,
)
from convtrace.batch.plan import (
    CHANNEL_MODES,
    FORMAT_SUFFIX,
    OUT_FORMATS,
    RANGE_MODES,
    SIZE_KEYS,
    BatchPlan,
    KernelStep,
    _choice,
    _probe_side,
    _probe_step,
    check_plan,
)
from convtrace.batch.record import (
    _OPTION,
    _POOL_OPTION,
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    _brief,
    _jsonable,
    _step_text,
    check_manifest,
    check_record,
    manifest_text,
    plan_settings,
    settings_changes,
    write_manifest,
)
from convtrace.batch.runner import run

#: Every name the former single module ``convtrace/batch.py`` had, private helpers included.
__all__ = [
    "CHANNEL_MODES", "FORMAT_SUFFIX", "MANIFEST_FORMAT", "MANIFEST_NAME", "NO_ALPHA_FORMATS", "OUT_FORMATS",
    "PIL_FORMAT", "RANGE_MODES", "SIZE_KEYS", "BatchPlan", "KernelStep", "Outcome", "Summary",
    "_BIDI", "_BREAKING", "_OPTION", "_POOL_OPTION", "_WRITER_TAKES_PREFIX", "_brief", "_choice", "_jsonable",
    "_probe_side", "_probe_step", "_step_text", "_error_outcome", "_first_line", "_fit", "_inside",
    "_nearest_existing", "_outcome",
    "check_folders", "check_manifest", "check_plan", "check_record", "decode", "encode", "filter_pixels",
    "find_images", "manifest_text", "plan_settings", "prepare_out", "process", "render", "run",
    "settings_changes", "shown", "target_for", "check_distinct_targets", "temp_prefix", "to_pixels", "write_manifest",
]
