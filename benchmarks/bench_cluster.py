"""convtrace batch on one process against a local Dask cluster and a loopback scheduler with two workers.

Run:  python benchmarks/bench_cluster.py [--count 60] [--size 640x480] [--repeat 3]

Makes a folder of photograph-like JPEGs (the generator of bench_batch.py) and
filters it with a 3×3 sharpen kernel, in this process, three ways:

- one process: ``convtrace.batch.run`` (today's ``convtrace batch``, worker threads);
- ``--scheduler local``: a Dask LocalCluster, one single-threaded worker process per CPU;
- a scheduler and two worker processes on 127.0.0.1 (``dask scheduler`` / ``dask worker``
  as separate processes), reached by address, as on a real cluster.

Each is run once to warm up (Numba's compile cache, the workers' imports), then ``--repeat``
times into fresh folders; prints the median time, images/s and the ratio to one process
(above 1× means slower than one process), with the min–max spread.  Cluster start-up is
not timed: a cluster is started once and serves many runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import make_photos  # noqa: E402


def wait_for_workers(address: str, count: int, timeout: float = 60.0) -> None:
    from distributed import Client

    with Client(address, timeout=timeout, set_as_default=False) as client:
        client.wait_for_workers(count, timeout=timeout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))

    import logging

    import distributed

    from convtrace import batch, cluster
    from convtrace.kernels import KernelLibrary
    from convtrace.spec import ConvSpec

    logging.getLogger("distributed").setLevel(logging.ERROR)
    plan = batch.BatchPlan(steps=(batch.KernelStep(KernelLibrary().get("sharpen"),
                                                   ConvSpec(padding="same", pad_mode="replicate")),))
    work = Path(tempfile.mkdtemp(prefix="convtrace-bench-cluster-"))
    procs = []
    try:
        src = work / "in"
        src.mkdir()
        make_photos(src, args.count, width, height)
        found = batch.find_images(src, False, None)

        def jobs(out: Path):
            out.mkdir()
            return [(p, batch.target_for(r, out, "same")) for p, r in found]

        runs = {"one process (threads)": lambda out: batch.run(jobs(out), plan)}

        local = distributed.LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                         host="127.0.0.1", dashboard_address=":0", silence_logs=logging.ERROR)
        local_client = distributed.Client(local, set_as_default=False)
        runs[f"--scheduler local ({os.cpu_count()} procs)"] = \
            lambda out: cluster.run(jobs(out), plan, local_client, forbidden=src.resolve())

        port = 18786
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        procs.append(subprocess.Popen([sys.executable, "-c",
                                       "from distributed.cli.dask_scheduler import main; main()",
                                       "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", ":0"],
                                      **quiet))
        address = f"tcp://127.0.0.1:{port}"
        time.sleep(2)
        for _ in range(2):
            procs.append(subprocess.Popen([sys.executable, "-c", "from distributed.cli.dask_worker import main; main()",
                                           address, "--nthreads", "1", "--host", "127.0.0.1",
                                           "--dashboard-address", ":0"], **quiet))
        wait_for_workers(address, 2)
        remote_client = distributed.Client(address, set_as_default=False)
        runs["tcp:// scheduler + 2 workers"] = \
            lambda out: cluster.run(jobs(out), plan, remote_client, forbidden=src.resolve())

        rows = []
        for name, func in runs.items():
            func(work / f"warm-{len(rows)}")
            times = []
            for n in range(args.repeat):
                out = work / f"out-{len(rows)}-{n}"
                start = time.perf_counter()
                summary = func(out)
                times.append(time.perf_counter() - start)
                assert summary.count("done") == args.count, summary.as_dict()
            rows.append((name, times))
        local_client.close()
        local.close()
        remote_client.close()

        base = statistics.median(rows[0][1])
        print(f"\n{args.count} JPEGs {width}×{height}, sharpen 3×3, {os.cpu_count()} CPUs, "
              f"median of {args.repeat} (min–max)")
        header = f"{'runner':<32} {'time':>8} {'min–max':>15} {'images/s':>9} {'vs one process':>15}"
        print(header)
        print("-" * len(header))
        for name, times in rows:
            med = statistics.median(times)
            print(f"{name:<32} {med:>7.2f}s {min(times):>6.2f}–{max(times):<6.2f}s {args.count / med:>9.1f} "
                  f"{med / base:>8.2f}× ({min(times) / base:.2f}–{max(times) / base:.2f})")
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
