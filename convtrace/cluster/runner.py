"""Running a batch on a Dask cluster: connecting, submitting one task per image, collecting outcomes.

The client submits at most a window of images at a time; each task runs on a
worker the very code a local run uses for one image, and only small outcomes
travel back, fed to the progress bar and the summary as they complete.  A lost
worker is one failed image, Ctrl-C cancels what is not finished, and this run's
temporary files are removed whatever the end.  Dask is imported only when a
cluster is used.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from convtrace.batch import (
    BatchPlan,
    Outcome,
    Summary,
    _first_line,
    _outcome,
    process,
    shown,
    temp_prefix,
)
from convtrace.cluster.storage import (
    is_url,
    new_run_id,
    process_url,
    remove_temps,
    temps_now,
    url_fs,
)
from convtrace.errors import ConvtraceValueError
from convtrace.messages import Term
from convtrace.messages.batch import (
    BATCH_BAD_SCHEDULER,
    BATCH_BAD_SCHEDULER_ADDRESS,
    BATCH_NO_DASK,
    BATCH_NO_SCHEDULER,
    BATCH_REASON_EXISTS,
    BATCH_REASON_UNEXPECTED,
    BATCH_REASON_WORKER_LOST,
    SCHEDULER_BAD_PORT,
    SCHEDULER_INPROC,
    SCHEDULER_IPV6,
    SCHEDULER_NO_HOST,
    SCHEDULER_NO_PORT,
    SCHEDULER_NO_TLS,
    SCHEDULER_UNKNOWN_SCHEME,
)

#: Seconds the client waits for a scheduler before saying it cannot be reached.
DEFAULT_CONNECT_TIMEOUT = 10.0
#: How many times a task that raised is tried again (a worker that dies is the scheduler's business).
DEFAULT_RETRIES = 2

_LOCAL_SCHEDULER = re.compile(r"^local(?::(\d+))?$", re.IGNORECASE)


# ----------------------------------------------------------------------------- Dask


def require_dask():
    """``distributed``, or one clear error saying how to install it."""
    try:
        import distributed
    except ImportError as err:
        raise ConvtraceValueError(BATCH_NO_DASK, reason=shown(_first_line(err))) from None
    return distributed


def parse_scheduler(address: str) -> tuple[str, int | None]:
    """``("local", N or None)`` for ``local`` / ``local:N``; ``("remote", None)`` for an address
    Dask can connect to, checked here: a client made for a bad address fails only after its timeout,
    and leaves a traceback and a wait of seconds at exit."""
    text = address.strip()
    match = _LOCAL_SCHEDULER.fullmatch(text)
    if match:
        workers = int(match.group(1)) if match.group(1) else None
        if workers == 0:
            raise ConvtraceValueError(BATCH_BAD_SCHEDULER, value=shown(address))
        return "local", workers
    if not text or any(c.isspace() for c in text) or _LOCAL_TYPO.match(text):
        raise ConvtraceValueError(BATCH_BAD_SCHEDULER, value=shown(address))
    why = _address_problem(text)
    if why is not None:
        raise ConvtraceValueError(BATCH_BAD_SCHEDULER_ADDRESS, value=shown(address), why=why)
    return "remote", None


#: ``local:-1``, ``local4``: a local cluster mistyped (``localhost:8786`` is an address).
_LOCAL_TYPO = re.compile(r"local(?![a-z])", re.IGNORECASE)
_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
_ADDRESS = re.compile(r"(?:(?P<scheme>[A-Za-z][\w+.-]*)://)?(?P<location>.*)")


def _address_problem(text: str) -> Term | None:
    """Why Dask could not connect to ``text`` whatever the network (None: it may)."""
    parts = _ADDRESS.fullmatch(text)
    scheme, location = (parts["scheme"] or "tcp").lower(), parts["location"]
    if scheme == "inproc":
        return None if _inproc_listening(location) else Term(SCHEDULER_INPROC)
    if scheme not in _SCHEMES:
        return Term(SCHEDULER_UNKNOWN_SCHEME, scheme=shown(scheme), known=", ".join(_SCHEMES))
    if scheme in ("tls", "wss") and not _tls_configured():
        return Term(SCHEDULER_NO_TLS, scheme=scheme)
    bracketed = re.fullmatch(r"\[(?P<host>[^\]]*)\](?::(?P<port>.*))?", location)
    if bracketed:
        host, port = bracketed["host"], bracketed["port"]
    elif location.count(":") == 1:
        host, port = location.split(":")
    elif location.count(":") > 1:
        return Term(SCHEDULER_IPV6)
    else:
        host, port = location, None
    if port is None or not port:
        return Term(SCHEDULER_NO_PORT, scheme=scheme)
    if not host:
        return Term(SCHEDULER_NO_HOST, scheme=scheme, port=shown(port))
    if not port.isdigit() or not 0 < int(port) < 65536:
        return Term(SCHEDULER_BAD_PORT, port=shown(port))
    return None


def _inproc_listening(location: str) -> bool:
    """Whether a scheduler of this process listens at inproc://``location`` (a library user's, a test's)."""
    try:
        from distributed.comm.inproc import global_manager

        return global_manager.get_listener_for(location) is not None
    except Exception:  # noqa: BLE001 - no Dask, or an address it cannot read: not listening
        return False


def _tls_configured() -> bool:
    """Whether Dask's configuration names the certificates a tls:// client needs."""
    try:
        import dask

        return bool(dask.config.get("distributed.comm.tls.ca-file", None))
    except ImportError:  # no Dask: connecting says so
        return True


def connect(address: str, timeout: float = DEFAULT_CONNECT_TIMEOUT):
    """``(client, cluster)``: a client of the scheduler at ``address`` (cluster None), or of a new
    local cluster (``local``: one single-threaded worker process per CPU; ``local:N``: N)."""
    import logging

    distributed = require_dask()
    kind, workers = parse_scheduler(address)
    logging.getLogger("distributed").setLevel(logging.ERROR)
    if kind == "local":
        cluster = distributed.LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                           processes=True, host="127.0.0.1", dashboard_address=":0",
                                           silence_logs=logging.ERROR)
        try:
            return distributed.Client(cluster, timeout=timeout), cluster
        except BaseException:
            cluster.close()
            raise
    try:
        return distributed.Client(address, timeout=timeout, set_as_default=False), None
    except (OSError, TimeoutError, ValueError, TypeError) as err:
        reason = _first_line(err) if str(err).strip() else type(err).__name__
        raise ConvtraceValueError(BATCH_NO_SCHEDULER, address=shown(address), seconds=f"{timeout:g}",
                                  reason=shown(reason)) from None


def close(client, cluster) -> None:
    """Close the client, and the local cluster it started, quietly."""
    for thing in (client, cluster):
        if thing is not None:
            try:
                thing.close()
            except Exception:  # noqa: BLE001, S110 - shutting down: nothing left to report
                pass


def _total_threads(client) -> int:
    try:
        return sum(client.nthreads().values()) or 1
    except Exception:  # noqa: BLE001 - only a window size
        return 1



# ----------------------------------------------------------------------------- the whole folder


def _work(source, target, plan: BatchPlan, forbidden, run_id: str) -> Outcome:
    """One image, on a worker: the same code as on one machine."""
    from convtrace.batch.memory import keep_freed_memory

    keep_freed_memory()
    if is_url(source) or is_url(target):
        return process_url(str(source), str(target), plan, run_id)
    return process(Path(source), Path(target), plan, forbidden, run_id)


def _lost(source, target, err: BaseException) -> Outcome:
    name = type(err).__name__
    if name in ("KilledWorker", "CommClosedError", "CancelledError", "FutureCancelledError"):
        return _outcome(source, target, "failed", BATCH_REASON_WORKER_LOST, reason=_first_line(err))
    return _outcome(source, target, "failed", BATCH_REASON_UNEXPECTED, reason=_first_line(err))


def run(jobs: list, plan: BatchPlan, client, progress: Callable[[Outcome], None] | None = None,
        forbidden: Path | None = None, run_id: str | None = None, retries: int = DEFAULT_RETRIES,
        window: int | None = None) -> Summary:
    """Process (source, target) pairs (paths or URLs) on the Dask cluster behind ``client``.

    At most ``window`` images are submitted at a time (default: four per worker thread), so a
    folder of millions of images never floods the scheduler and Ctrl-C has little to cancel.
    When the run ends — done, interrupted or failed — this run's temporary files are removed.
    """
    from distributed import as_completed

    run_id = run_id or new_run_id()
    summary = Summary()
    start = time.perf_counter()
    wall_start = time.time()
    targets = [target for _, target in jobs]
    before = temps_now(targets)
    window = window or max(4 * _total_threads(client), 16)
    queue = iter(enumerate(jobs))
    pending: dict = {}
    completed = as_completed(loop=client.loop)

    def fill() -> None:
        while len(pending) < window:
            item = next(queue, None)
            if item is None:
                return
            n, (source, target) = item
            future = client.submit(_work, source, target, plan, forbidden, run_id, retries=retries,
                                   pure=False, key=f"convtrace-{run_id}-{n}")
            pending[future.key] = (future, source, target)
            completed.add(future)

    try:
        fill()
        for future in completed:
            _, source, target = pending.pop(future.key)
            try:
                outcome = future.result()
            except Exception as err:  # noqa: BLE001 - a lost worker is one failed image, the rest go on
                outcome = _lost(source, target, err)
            future.release()
            summary.outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
            fill()
    except KeyboardInterrupt:
        summary.interrupted = True
        raise
    finally:
        if pending:
            try:
                client.cancel([f for f, _, _ in pending.values()], force=True)
            except Exception:  # noqa: BLE001, S110 - the scheduler may be gone already
                pass
            # Cancelling cannot stop an image a worker is already writing: let those writes finish
            # (each ends in a complete output or no file) before sweeping what dead workers left.
            _settle(targets, run_id)
        remove_temps(targets, run_id, wall_start, before)
        summary.seconds = time.perf_counter() - start
    return summary


#: How long an interrupted run waits for images already being written to finish.
SETTLE_SECONDS = 15.0


def _settle(targets, run_id: str, timeout: float = SETTLE_SECONDS, quiet: float = 0.5) -> None:
    """Wait until no temporary file of run ``run_id`` has been seen beside local ``targets`` for ``quiet``
    seconds (an image being filtered has not opened its file yet), or ``timeout``."""
    prefix = temp_prefix(run_id)
    folders = {str(Path(t).parent) for t in targets if not is_url(t)}
    deadline = time.monotonic() + timeout
    last_seen = time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - last_seen < quiet:
        for folder in folders:
            try:
                if any(name.startswith(prefix) for name in os.listdir(folder)):
                    last_seen = time.monotonic()
                    break
            except OSError:
                continue
        time.sleep(0.05)


def dry_run(jobs: list, plan: BatchPlan, forbidden: Path | None = None) -> Summary:
    """What a run would do, from the client, without a cluster: planned or already there."""
    from convtrace.batch import run as local_run

    if not any(is_url(s) or is_url(t) for s, t in jobs):
        return local_run(jobs, plan, dry_run=True, forbidden=forbidden)
    summary = Summary()
    for source, target in jobs:
        fs, path = url_fs(target)
        exists = fs.exists(path)
        if exists and not plan.overwrite:
            summary.outcomes.append(_outcome(source, target, "skipped", BATCH_REASON_EXISTS))
        else:
            summary.outcomes.append(Outcome(source, target, "planned"))
    return summary
