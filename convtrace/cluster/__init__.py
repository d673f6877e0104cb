"""Filtering folders of images on a Dask cluster, with the same promises as on one machine.

The client (``convtrace batch … --scheduler ADDRESS``) checks everything once, as
on one machine (folders, settings, OUT's record of an earlier run), writes the
record into OUT, then submits one task per image to a Dask distributed
scheduler.  Each task runs on a worker the very code a local run uses for one
image — :func:`convtrace.batch.process` for paths, or :func:`convtrace.batch.render`
plus the storage writer below for URLs — so the workers read and write the
files themselves: IN and OUT must be paths every worker sees (a shared file
system: NFS, Lustre, a mounted bucket) or fsspec URLs.  Only small outcomes
travel back to the client, which feeds the progress bar and the summary as they
complete (``distributed.as_completed``).

Faults.  A task that raises is retried (``retries``); a worker that dies has its
images given to the others by the scheduler (and reported as failed, "worker
lost", if that keeps happening); outputs are written under a temporary name
carrying the run's id (``.convtrace-<run>-…``) and renamed, so a worker killed
mid-write leaves at most such a temporary file, and the client removes this
run's — only this run's — when the run ends, interrupted or not.  A scheduler
that cannot be reached within the connect timeout is one clear error before
anything is written.  Ctrl-C cancels every future not yet finished; images in
the middle of being written finish their rename or leave only a temporary file,
which is removed.

How each kind of storage is written, and how atomic that is, is told in
:mod:`convtrace.cluster.storage`; the Dask side is :mod:`convtrace.cluster.runner`.
Everything is importable from ``convtrace.cluster`` as before.

This package imports Dask and fsspec only when a cluster or a URL is used.
"""

from __future__ import annotations

from convtrace.cluster.runner import (
    _LOCAL_SCHEDULER,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_RETRIES,
    _lost,
    _total_threads,
    _work,
    close,
    connect,
    dry_run,
    parse_scheduler,
    require_dask,
    run,
)
from convtrace.cluster.storage import (
    _URL,
    OBJECT_STORES,
    _full,
    _is_local_fs,
    _new_since,
    _protocols,
    _write_url,
    _writer_params,
    check_url_folders,
    find_url_images,
    is_url,
    local_path,
    new_run_id,
    prepare_url_out,
    process_url,
    remove_temps,
    temps_now,
    url_fs,
    url_target,
)

#: Every name the former single module ``convtrace/cluster.py`` had, private helpers included.
__all__ = [
    "DEFAULT_CONNECT_TIMEOUT", "DEFAULT_RETRIES", "OBJECT_STORES", "_LOCAL_SCHEDULER", "_URL", "_full", "_is_local_fs", "_lost",
    "_new_since", "_protocols", "_total_threads", "_work", "_write_url", "_writer_params", "check_url_folders",
    "close", "connect", "dry_run", "find_url_images", "is_url", "local_path", "new_run_id", "parse_scheduler",
    "prepare_url_out", "process_url", "remove_temps", "require_dask", "run", "temps_now", "url_fs", "url_target",
]
