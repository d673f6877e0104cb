"""Finding the images of IN and the safety checks on the folders, before any image.

Nothing is ever written among the originals: OUT may be neither IN nor inside
it nor around it (:func:`check_folders`), and must be writable before the first
image (:func:`prepare_out`).  :func:`find_images` lists the candidates (hidden
folders and convtrace's temporary files left out) and :func:`target_for` names
each one's output.
"""

from __future__ import annotations

import fnmatch
import os
import tempfile
from pathlib import Path

from convtrace.batch.outcomes import Outcome, _outcome, shown
from convtrace.batch.plan import FORMAT_SUFFIX
from convtrace.errors import ConvtraceValueError
from convtrace.io.readers import IMAGE_SUFFIXES
from convtrace.io.writers import TEMP_PREFIX
from convtrace.messages.batch import (
    BATCH_NESTED_DIR,
    BATCH_NO_INPUT_DIR,
    BATCH_OUT_CANNOT_CREATE,
    BATCH_OUT_NOT_DIR,
    BATCH_OUT_NOT_WRITABLE,
    BATCH_REASON_FOLDER,
    BATCH_SAME_DIR,
    BATCH_SAME_TARGET,
)

# ----------------------------------------------------------------------------- finding the work


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def check_folders(in_dir: Path, out_dir: Path, recursive: bool = False) -> None:
    """Refuse folder pairs where writing outputs could touch an input.

    OUT may be neither IN nor inside it nor around it, with or without
    ``recursive``: nothing is ever written among the originals.
    """
    if not in_dir.is_dir():
        raise ConvtraceValueError(BATCH_NO_INPUT_DIR, where=shown(in_dir))
    if out_dir.exists() and not out_dir.is_dir():
        raise ConvtraceValueError(BATCH_OUT_NOT_DIR, where=shown(out_dir))
    src, dst = in_dir.resolve(), out_dir.resolve()
    if src == dst:
        raise ConvtraceValueError(BATCH_SAME_DIR, where=shown(out_dir))
    if _inside(dst, src) or _inside(src, dst):
        raise ConvtraceValueError(BATCH_NESTED_DIR, where=shown(out_dir), input=shown(in_dir))


def _nearest_existing(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def prepare_out(out_dir: Path, dry_run: bool = False) -> None:
    """Make sure outputs can be written into OUT, once, before any image: create it (not on a
    dry run) and try writing a temporary file there.  Problems are one clear error."""
    if dry_run:
        folder = out_dir if out_dir.is_dir() else _nearest_existing(out_dir)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ConvtraceValueError(BATCH_OUT_NOT_WRITABLE, where=shown(folder),
                                      reason=os.strerror(13))
        return
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ConvtraceValueError(BATCH_OUT_NOT_DIR, where=shown(out_dir)) from None
    except OSError as err:
        raise ConvtraceValueError(BATCH_OUT_CANNOT_CREATE, where=shown(out_dir),
                                  reason=shown(err.strerror or err)) from None
    try:
        fd, probe = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise ConvtraceValueError(BATCH_OUT_NOT_WRITABLE, where=shown(out_dir),
                                  reason=shown(err.strerror or err)) from None


def find_images(in_dir: Path, recursive: bool, pattern: str | None,
                errors: list[Outcome] | None = None, ignored: list[Path] | None = None) -> list[tuple[Path, Path]]:
    """(path, path relative to IN) of every candidate image, sorted; unreadable folders go to ``errors``,
    and files left out for their name's suffix (not hidden ones, nor any when ``pattern`` chooses) to
    ``ignored``, relative to IN: a batch says what it did not read."""
    found = []

    def onerror(err: OSError) -> None:
        if errors is not None:
            errors.append(_outcome(Path(err.filename or in_dir), Path(), "failed", BATCH_REASON_FOLDER,
                                   reason=err.strerror or str(err)))

    if recursive:
        walker = os.walk(in_dir, onerror=onerror, followlinks=False)
    else:
        try:
            walker = [(str(in_dir), [], sorted(os.listdir(in_dir)))]
        except OSError as err:
            onerror(err)
            walker = []
    for root, dirs, files in walker:
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if name.startswith(TEMP_PREFIX) or not path.is_file():
                continue
            if pattern:
                if not fnmatch.fnmatch(name.lower(), pattern.lower()):
                    continue
            elif path.suffix.lower() not in IMAGE_SUFFIXES:
                if ignored is not None and not name.startswith("."):
                    ignored.append(path.relative_to(in_dir))
                continue
            found.append((path, path.relative_to(in_dir)))
    return found


def target_for(rel: Path, out_dir: Path, out_format: str) -> Path:
    target = out_dir / rel
    if out_format in FORMAT_SUFFIX:
        target = target.with_suffix(FORMAT_SUFFIX[out_format])
    return target


def check_distinct_targets(jobs) -> None:
    """Refuse, before anything is written, two images that would be written to one file
    (``a.png`` and ``a.jpg`` with ``--format png``): one would be skipped as "already there"."""
    first: dict[str, object] = {}
    for source, target in jobs:
        key = str(target)
        if key in first:
            raise ConvtraceValueError(BATCH_SAME_TARGET, first=shown(first[key]), second=shown(source),
                                      target=shown(target))
        first[key] = source
