"""The record of a run kept in OUT: the settings its images were made with.

A re-run with the same settings resumes (existing outputs are skipped); one
with other settings is refused, saying what changed, unless ``overwrite``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from convtrace.batch.outcomes import _first_line, shown
from convtrace.batch.plan import BatchPlan, KernelStep
from convtrace.errors import ConvtraceValueError
from convtrace.io.writers import write_atomic
from convtrace.messages.batch import (
    BATCH_BAD_MANIFEST,
    BATCH_OTHER_SETTINGS,
    BATCH_OUT_NOT_WRITABLE,
)

# ----------------------------------------------------------------------------- the record of a run

#: The file in OUT that keeps the settings its images were made with (hidden, and never an input).
MANIFEST_NAME = ".convtrace-batch.json"
MANIFEST_FORMAT = 1


def _jsonable(value):
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)  # Fraction and other exact numbers


def plan_settings(plan: BatchPlan) -> dict:
    """Everything that decides what an output image holds, as JSON (device and workers do not)."""
    steps = []
    for step in plan.steps:
        if isinstance(step, KernelStep):
            steps.append({"op": "conv2d", "kernel": step.kernel.name, "weights": _jsonable(step.kernel.weights),
                          "scale": str(step.kernel.scale), "params": _jsonable(step.spec.to_dict())})
        else:
            steps.append({"op": "pool2d", "params": _jsonable(step.to_dict())})
    return {"steps": steps, "channels": plan.channels, "range": plan.range_mode, "format": plan.out_format}


def manifest_text(plan: BatchPlan) -> str:
    from convtrace import __version__

    doc = {"convtrace_batch": MANIFEST_FORMAT, "convtrace": __version__, "settings": plan_settings(plan)}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_OPTION = {"padding": "--padding", "pad_mode": "--pad-mode", "pad_value": "--pad-value", "stride": "--stride",
           "dilation": "--dilation", "flip": "--flip", "channels": "--channels", "range": "--range",
           "format": "--format"}
_POOL_OPTION = {"stride": "--pool-stride", "size": "--pool", "mode": "--pool"}


def _brief(value, limit: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")) if not isinstance(value, str) else value
    return shown(text if len(text) <= limit else text[: limit - 1] + "…")


def _step_text(step: dict) -> str:
    if not isinstance(step, dict):
        return _brief(step)
    params = step.get("params") if isinstance(step.get("params"), dict) else {}
    if step.get("op") == "conv2d":
        return f"-k {_brief(step.get('kernel'))}"
    size = params.get("size")
    size = "x".join(map(str, size)) if isinstance(size, list) else size
    return f"--pool {_brief(params.get('mode'))}:{_brief(size)}"


def settings_changes(old: dict, new: dict) -> list[str]:
    """What differs between two :func:`plan_settings`, each as ``OPTION: OLD → NEW``."""
    changes = []
    old_steps, new_steps = old.get("steps"), new["steps"]
    if (not isinstance(old_steps, list) or len(old_steps) != len(new_steps)
            or any(not isinstance(a, dict) or a.get("op") != b["op"] for a, b in zip(old_steps, new_steps, strict=True))):
        before = ", ".join(_step_text(s) for s in old_steps) if isinstance(old_steps, list) else _brief(old_steps)
        changes.append(f"{before} → {', '.join(_step_text(s) for s in new_steps)}")
    else:
        for a, b in zip(old_steps, new_steps, strict=True):
            # The same weights under another name (sharpen, typed inline, a file) are the same filter.
            if b["op"] == "conv2d" and (a.get("weights") != b["weights"] or a.get("scale") != b["scale"]):
                if a.get("kernel") != b["kernel"]:
                    changes.append(f"-k: {_brief(a.get('kernel'))} → {_brief(b['kernel'])}")
                else:
                    changes.append(f"-k {_brief(b['kernel'])}: {_brief(a.get('weights'))} × {_brief(a.get('scale'))}"
                                   f" → {_brief(b['weights'])} × {_brief(b['scale'])}")
            old_params = a.get("params") if isinstance(a.get("params"), dict) else {}
            names = _POOL_OPTION if b["op"] == "pool2d" else {}
            for name in sorted(set(old_params) | set(b["params"])):
                if old_params.get(name) != b["params"].get(name):
                    option = names.get(name) or _OPTION.get(name) or name
                    changes.append(f"{option}: {_brief(old_params.get(name))} → {_brief(b['params'].get(name))}")
    for name in ("channels", "range", "format"):
        if old.get(name) != new[name]:
            changes.append(f"{_OPTION[name]}: {_brief(old.get(name))} → {_brief(new[name])}")
    return changes


def check_manifest(out_dir: Path, plan: BatchPlan) -> bool:
    """Compare OUT's record of settings with ``plan``: True when it must be (re)written.

    No record: True.  The same settings: False (the run resumes).  Other settings or a record
    that cannot be read: refused with a clear error, unless ``plan.overwrite`` (True: redone).
    """
    path = out_dir / MANIFEST_NAME
    if not os.path.lexists(path):
        return True
    if plan.overwrite:
        return True
    return check_record(lambda: path.read_text(encoding="utf-8"), path, out_dir, plan)


def check_record(read: Callable[[], str], where: object, out_dir: object, plan: BatchPlan) -> bool:
    """:func:`check_manifest` for a record that exists, read by ``read()`` (a file, a URL's object)."""
    try:
        doc = json.loads(read())
        if not isinstance(doc, dict) or not isinstance(doc.get("settings"), dict):
            raise ValueError("not a convtrace batch record")
        if doc.get("convtrace_batch") != MANIFEST_FORMAT:
            raise ValueError(f"record format {doc.get('convtrace_batch')!r}, expected {MANIFEST_FORMAT}")
    except (OSError, ValueError, RecursionError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else _first_line(err)
        raise ConvtraceValueError(BATCH_BAD_MANIFEST, where=shown(where), reason=shown(reason)) from None
    new = json.loads(json.dumps(plan_settings(plan)))
    changes = settings_changes(doc["settings"], new)
    if changes:
        raise ConvtraceValueError(BATCH_OTHER_SETTINGS, where=shown(out_dir), changes="; ".join(changes))
    return False


def write_manifest(out_dir: Path, plan: BatchPlan) -> None:
    """Keep the run's settings in OUT (atomically), before the first output."""
    try:
        write_atomic(out_dir / MANIFEST_NAME, manifest_text(plan).encode("utf-8"), overwrite=True)
    except OSError as err:
        raise ConvtraceValueError(BATCH_OUT_NOT_WRITABLE, where=shown(out_dir),
                                  reason=shown(err.strerror or err)) from None
