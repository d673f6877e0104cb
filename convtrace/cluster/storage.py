"""Storage for a cluster run: folders given as fsspec URLs, and writes as atomic as each storage allows.

A worker reads an image (a path or a URL), and its output is written here
(:func:`process_url`, :func:`_write_url`); the client lists IN, checks the
folders and keeps OUT's record of settings through the same file systems.
Temporary files carry the run's id, so the client can remove this run's — only
this run's — when the run ends (:func:`remove_temps`).

Atomicity by kind of storage (what a reader of OUT can ever see):

- **Local disks and POSIX shared file systems (NFS, Lustre, GPFS, CephFS):** the
  output is written to a temporary file beside its destination and moved into
  place with ``link`` (no clobbering: refused when the name exists, even if it
  appeared meanwhile) or ``rename`` with ``--overwrite``; both are atomic on
  one file system, so a reader sees the whole image or nothing.  NFS gives the
  same guarantee for ``rename``/``link`` within one export (close-to-open
  consistency: other clients see the file once it is renamed).
- **Object stores (``s3://``, ``gs://``, ``az://``, …):** there is no rename
  (a "move" is copy + delete).  Each output is written with one PUT of the
  final key, which the stores make atomic for readers: a key holds the whole
  new object or does not exist, never a part.  No-clobber is a check
  (``exists``) before the PUT: two writers racing for the same key in that
  window can both write, the last one wins.  No temporary keys are made, so
  none can be left behind.
- **Other fsspec file systems with a rename (``memory://``, ``sftp://``, …):**
  a temporary key beside the target, then ``mv``; as atomic as that file
  system's move (``memory://`` lives inside one process and is only for tests:
  worker processes do not share it).

fsspec is imported only when a URL is used.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import uuid
from pathlib import Path

from convtrace.batch import (
    MANIFEST_NAME,
    BatchPlan,
    Outcome,
    _first_line,
    _outcome,
    check_record,
    manifest_text,
    render,
    shown,
    temp_prefix,
)
from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.io.readers import IMAGE_SUFFIXES
from convtrace.io.writers import TEMP_PREFIX, write_atomic
from convtrace.messages.batch import (
    BATCH_BAD_STORAGE,
    BATCH_NESTED_DIR,
    BATCH_NO_FSSPEC,
    BATCH_NO_INPUT_DIR,
    BATCH_OUT_NOT_DIR,
    BATCH_OUT_NOT_WRITABLE,
    BATCH_REASON_CANNOT_WRITE,
    BATCH_REASON_EXISTS,
    BATCH_REASON_FOLDER,
    BATCH_REASON_READ,
    BATCH_SAME_DIR,
)
from convtrace.messages.options import OUTPUT_EXISTS

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
#: fsspec protocols of object stores: no rename, one PUT per object.
OBJECT_STORES = frozenset({"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "oss", "oci", "r2", "cos"})


def new_run_id() -> str:
    """A short id naming one run's temporary files."""
    return uuid.uuid4().hex[:12]



# ----------------------------------------------------------------------------- storage given as URLs


def is_url(text: object) -> bool:
    """Whether a folder is given as an fsspec URL (``s3://…``, ``memory://…``) rather than a path."""
    return isinstance(text, str) and bool(_URL.match(text)) and not text.lower().startswith("file://")


def local_path(text: str) -> Path:
    """A path, or a ``file://`` URL, as a local path."""
    if text.lower().startswith("file://"):
        from urllib.parse import unquote, urlparse

        return Path(unquote(urlparse(text).path))
    return Path(text)


def url_fs(url: str):
    """``(file system, path)`` of an fsspec URL (or a local path), with clear errors."""
    try:
        from fsspec.core import url_to_fs
    except ImportError as err:
        raise ConvtraceValueError(BATCH_NO_FSSPEC, where=shown(url), reason=shown(_first_line(err))) from None
    try:
        return url_to_fs(url)
    except (ImportError, ValueError, OSError) as err:
        raise ConvtraceValueError(BATCH_BAD_STORAGE, where=shown(url), reason=shown(_first_line(err))) from None


def _protocols(fs) -> set[str]:
    return {fs.protocol} if isinstance(fs.protocol, str) else set(fs.protocol)


def _is_local_fs(fs) -> bool:
    return bool(_protocols(fs) & {"file", "local"})


def _full(fs, path: str) -> str:
    return fs.unstrip_protocol(path.rstrip("/")) if path.rstrip("/") else fs.unstrip_protocol(path)


def check_url_folders(in_url: str, out_url: str) -> None:
    """:func:`convtrace.batch.check_folders` for folders given as URLs (or one URL and one path)."""
    fs_in, src = url_fs(in_url)
    fs_out, dst = url_fs(out_url)
    try:
        if not fs_in.isdir(src):
            raise ConvtraceValueError(BATCH_NO_INPUT_DIR, where=shown(in_url))
        if fs_out.exists(dst) and not fs_out.isdir(dst):
            raise ConvtraceValueError(BATCH_OUT_NOT_DIR, where=shown(out_url))
    except ConvtraceError:
        raise
    except Exception as err:  # noqa: BLE001 - credentials, network: one clear error
        raise ConvtraceValueError(BATCH_BAD_STORAGE, where=shown(in_url), reason=shown(_first_line(err))) from None
    if _is_local_fs(fs_in):
        src = os.path.realpath(src)
    if _is_local_fs(fs_out):
        dst = os.path.realpath(dst)
    a, b = _full(fs_in, src).rstrip("/") + "/", _full(fs_out, dst).rstrip("/") + "/"
    if a == b:
        raise ConvtraceValueError(BATCH_SAME_DIR, where=shown(out_url))
    if a.startswith(b) or b.startswith(a):
        raise ConvtraceValueError(BATCH_NESTED_DIR, where=shown(out_url), input=shown(in_url))


def find_url_images(in_url: str, recursive: bool, pattern: str | None,
                    errors: list[Outcome] | None = None) -> list[tuple[str, str]]:
    """(URL, path relative to IN with ``/``) of every candidate image under a URL, sorted; hidden
    folders and convtrace's temporary files are left out, as on one machine."""
    import fnmatch

    fs, root = url_fs(in_url)
    root = root.rstrip("/")
    try:
        if recursive:
            names = fs.find(root, withdirs=False)
        else:
            names = [e["name"] for e in fs.ls(root, detail=True) if e.get("type") == "file"]
    except Exception as err:  # noqa: BLE001 - a listing that fails is reported, not a traceback
        if errors is not None:
            errors.append(_outcome(in_url, "", "failed", BATCH_REASON_FOLDER, reason=_first_line(err)))
        return []
    found = []
    for name in sorted(names):
        name = name.rstrip("/")
        rel = posixpath.relpath(name, root) if root else name
        parts = rel.split("/")
        if rel.startswith("..") or any(p.startswith(".") for p in parts[:-1]):
            continue
        base = parts[-1]
        if base.startswith(TEMP_PREFIX):
            continue
        if pattern:
            if not fnmatch.fnmatch(base.lower(), pattern.lower()):
                continue
        elif posixpath.splitext(base)[1].lower() not in IMAGE_SUFFIXES:
            continue
        found.append((_full(fs, name), rel))
    return found


def url_target(rel: str, out_url: str, out_format: str) -> str:
    """The output URL for an image at ``rel`` under IN."""
    from convtrace.batch import FORMAT_SUFFIX

    target = out_url.rstrip("/") + "/" + rel
    if out_format in FORMAT_SUFFIX:
        stem, _ = posixpath.splitext(target)
        target = stem + FORMAT_SUFFIX[out_format]
    return target


def prepare_url_out(out_url: str, plan: BatchPlan, dry_run: bool = False) -> None:
    """OUT's record of settings, for a URL: refuse other settings, create OUT, write the record."""
    fs, out = url_fs(out_url)
    record = posixpath.join(out.rstrip("/"), MANIFEST_NAME)
    try:
        exists = fs.exists(record)
    except Exception as err:  # noqa: BLE001
        raise ConvtraceValueError(BATCH_BAD_STORAGE, where=shown(out_url), reason=shown(_first_line(err))) from None
    if exists and not plan.overwrite:
        write = check_record(lambda: fs.cat_file(record).decode("utf-8"), _full(fs, record), out_url, plan)
    else:
        write = True
    if dry_run or not write:
        return
    try:
        fs.makedirs(out, exist_ok=True)
        _write_url(fs, record, manifest_text(plan).encode("utf-8"), overwrite=True, run_id=new_run_id())
    except Exception as err:  # noqa: BLE001 - permissions, credentials, network
        raise ConvtraceValueError(BATCH_OUT_NOT_WRITABLE, where=shown(out_url),
                                  reason=shown(_first_line(err))) from None


def _write_url(fs, path: str, data: bytes, overwrite: bool, run_id: str) -> None:
    """Write one output to ``path`` on ``fs`` as atomically as that storage allows (see the module)."""
    if _is_local_fs(fs):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        process_kwargs = {"prefix": temp_prefix(run_id)} if "prefix" in _writer_params() else {}
        write_atomic(Path(path), data, overwrite=overwrite, **process_kwargs)
        return
    if not overwrite and fs.exists(path):
        raise ConvtraceValueError(OUTPUT_EXISTS, where=path)
    if _protocols(fs) & OBJECT_STORES:
        fs.pipe_file(path, data)          # one PUT: the whole object or none
        return
    folder, name = posixpath.split(path)
    tmp = posixpath.join(folder, f"{temp_prefix(run_id)}{name}.tmp")
    if folder:
        fs.makedirs(folder, exist_ok=True)
    fs.pipe_file(tmp, data)
    try:
        if not overwrite and fs.exists(path):
            raise ConvtraceValueError(OUTPUT_EXISTS, where=path)
        fs.mv(tmp, path)
    finally:
        if fs.exists(tmp):
            fs.rm(tmp)


def _writer_params():
    import inspect

    return inspect.signature(write_atomic).parameters


def process_url(source: str, target: str, plan: BatchPlan, run_id: str = "") -> Outcome:
    """:func:`convtrace.batch.process` for images given as URLs: read, render, write, every
    problem an Outcome."""
    fs_in, src = url_fs(source)
    fs_out, dst = url_fs(target)
    try:
        if not plan.overwrite and fs_out.exists(dst):
            return _outcome(source, target, "skipped", BATCH_REASON_EXISTS)
        raw = fs_in.cat_file(src)
    except Exception as err:  # noqa: BLE001 - a file that cannot be read is one failed image
        return _outcome(source, target, "failed", BATCH_REASON_READ, reason=_first_line(err))
    data = render(io.BytesIO(raw), Path(posixpath.basename(dst)), plan)
    if isinstance(data, Outcome):
        data.source, data.target = source, target
        return data
    try:
        _write_url(fs_out, dst, data, plan.overwrite, run_id)
    except ConvtraceError as err:
        if err.key == OUTPUT_EXISTS:
            return _outcome(source, target, "skipped", BATCH_REASON_EXISTS)
        return Outcome(source, target, "failed", err.message("en"), err.key, dict(err.params))
    except Exception as err:  # noqa: BLE001
        return _outcome(source, target, "failed", BATCH_REASON_CANNOT_WRITE, path=str(target),
                        reason=_first_line(err))
    return Outcome(source, target, "done")


# ----------------------------------------------------------------------------- temporary files of a run


def remove_temps(targets, run_id: str, started: float | None = None, before: set | None = None) -> int:
    """Remove the temporary files run ``run_id`` left beside ``targets`` (paths or URLs); their number.

    Only names starting with ``.convtrace-<run_id>-`` are touched.  (Where the writer cannot name its
    temporary files after the run, the ones created since ``started`` that were not in ``before`` are.)
    """
    prefix = temp_prefix(run_id)
    tagged = "prefix" in _writer_params()
    folders: dict[str, object] = {}
    for target in targets:
        if is_url(target):
            fs, path = url_fs(target)
            folders.setdefault(_full(fs, posixpath.dirname(path)), (fs, posixpath.dirname(path)))
        else:
            folders.setdefault(str(Path(target).parent), None)
    removed = 0
    for folder, fs_path in folders.items():
        try:
            if fs_path is None:
                names = [n for n in os.listdir(folder) if n.startswith(TEMP_PREFIX)]
                for name in names:
                    path = os.path.join(folder, name)
                    if name.startswith(prefix) or (not tagged and _new_since(path, started, before)):
                        os.unlink(path)
                        removed += 1
            else:
                fs, path = fs_path
                for entry in fs.ls(path, detail=False):
                    if posixpath.basename(entry.rstrip("/")).startswith(prefix):
                        fs.rm(entry)
                        removed += 1
        except (OSError, FileNotFoundError):
            continue
    return removed


def _new_since(path: str, started: float | None, before: set | None) -> bool:
    if started is None or before is None or path in before:
        return False
    try:
        return os.stat(path).st_mtime >= started - 1
    except OSError:
        return False


def temps_now(targets) -> set[str]:
    """The temporary files beside local ``targets`` now (to tell a run's own from older ones)."""
    found = set()
    for folder in {str(Path(t).parent) for t in targets if not is_url(t)}:
        try:
            found.update(os.path.join(folder, n) for n in os.listdir(folder) if n.startswith(TEMP_PREFIX))
        except OSError:
            continue
    return found
