"""convtrace batch on a Dask cluster: a real scheduler and worker processes on 127.0.0.1.

The outputs must be byte-for-byte those of a run on one machine, a worker killed mid-run must
leave every output complete and nothing half-written, and IN is never touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import threading
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from PIL import Image

distributed = pytest.importorskip("distributed")
fsspec = pytest.importorskip("fsspec")

from convtrace import batch, cluster  # noqa: E402
from convtrace.kernels import KernelLibrary  # noqa: E402
from convtrace.spec import ConvSpec, PoolSpec  # noqa: E402

# Dask's own shutdown chatter (closed comms, a restarted nanny) is not ours to fail on.
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::DeprecationWarning",
                                        "ignore::pytest.PytestUnraisableExceptionWarning",
                                        "ignore::UserWarning")

LIB = KernelLibrary()


@pytest.fixture(scope="module")
def dask_cluster():
    """A scheduler and two single-threaded worker processes on loopback."""
    import logging

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0", silence_logs=logging.ERROR) as lc:
        yield lc


@pytest.fixture(scope="module")
def inproc_cluster():
    """Workers as threads of this process: they share its ``memory://`` file system."""
    import logging

    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=":0", silence_logs=logging.ERROR) as lc:
        yield lc


def digest(folder) -> dict[str, str]:
    """Every file under ``folder`` (relative name → SHA-256), hidden ones too."""
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                out[os.path.relpath(path, folder)] = hashlib.sha256(handle.read()).hexdigest()
    return out


MODES = st.sampled_from(["L", "RGB", "RGBA", "LA", "I;16", "P"])
FORMATS = st.sampled_from([".png", ".jpg", ".bmp", ".tif", ".webp"])
IMAGES = st.lists(st.tuples(MODES, FORMATS, st.integers(6, 40), st.integers(6, 40), st.integers(0, 2**32 - 1)),
                  min_size=1, max_size=6)


def write_image(path, mode, height, width, seed):
    rng = np.random.default_rng(seed)
    if mode == "I;16":
        img = Image.fromarray(rng.integers(0, 65536, (height, width), dtype=np.uint16))
    else:
        bands = {"L": 1, "RGB": 3, "RGBA": 4, "LA": 2, "P": 3}[mode]
        arr = rng.integers(0, 256, (height, width, bands), dtype=np.uint8)
        img = Image.fromarray(arr[..., 0] if bands == 1 else arr, None if mode == "P" else mode)
        if mode == "P":
            img = img.convert("P")
    suffix = path.suffix
    if suffix in (".jpg", ".bmp") and img.mode not in ("L", "RGB"):
        img = img.convert("RGB")
    if suffix == ".webp" and img.mode not in ("L", "RGB", "RGBA"):
        img = img.convert("RGBA")
    img.save(path)


def make_folder(folder, specs):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sub").mkdir(exist_ok=True)
    for n, (mode, suffix, height, width, seed) in enumerate(specs):
        write_image(folder / ("sub" if n % 2 else ".") / f"img {n}{suffix}", mode, height, width, seed)
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    return folder


STEPS = st.sampled_from([
    ["-k", "sharpen"],
    ["-k", "sobel-x", "--range", "abs"],
    ["--pool", "max:2", "-k", "box-blur", "--channels", "gray"],
    ["-k", "gaussian-5", "--format", "png", "--range", "normalize"],
])


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])
@given(specs=IMAGES, steps=STEPS)
def test_the_cluster_writes_byte_for_byte_what_one_machine_writes(run, tmp_path_factory, dask_cluster, specs,
                                                                     steps):
    tmp = tmp_path_factory.mktemp("same")
    src = make_folder(tmp / "in", specs)
    before = digest(src)
    local = run("batch", src, tmp / "local", *steps, "-r", "--json")
    remote = run("batch", src, tmp / "dask", *steps, "-r", "--json", "--scheduler", dask_cluster.scheduler_address)
    assert local.exit_code == remote.exit_code == 1, remote.output  # the broken file, by name
    a, b = json.loads(local.stdout), json.loads(remote.stdout)
    assert (a["done"], a["skipped"], a["failed"]) == (b["done"], b["skipped"], b["failed"]) == (len(specs), 0, 1)
    assert [f["file"] for f in b["failures"]] == [str(src / "broken.png")]
    assert digest(tmp / "dask") == digest(tmp / "local")          # every image and the record, byte for byte
    assert digest(src) == before                                    # IN untouched
    # A re-run resumes: everything is already there.
    again = run("batch", src, tmp / "dask", *steps, "-r", "--json", "--scheduler", dask_cluster.scheduler_address)
    assert json.loads(again.stdout)["skipped"] == len(specs)


def many_images(folder, count=24, side=160):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    for n in range(count):
        Image.fromarray(rng.integers(0, 256, (side, side, 3), dtype=np.uint8)).save(folder / f"p{n:03d}.png")
    return folder


def plan_of(*steps):
    return batch.BatchPlan(steps=steps)


GAUSS = batch.KernelStep(LIB.get("gaussian-5"), ConvSpec(padding="same", pad_mode="replicate"))


def test_a_worker_killed_mid_run_leaves_every_output_complete(tmp_path, dask_cluster):
    src = many_images(tmp_path / "in")
    before = digest(src)
    plan = plan_of(GAUSS, PoolSpec(size=2, mode="max"), GAUSS)
    reference = tmp_path / "local"
    jobs_local = [(p, batch.target_for(r, reference, "same")) for p, r in batch.find_images(src, False, None)]
    batch.run(jobs_local, plan, workers=1)
    out = tmp_path / "out"
    out.mkdir()
    jobs = [(p, batch.target_for(r, out, "same")) for p, r in batch.find_images(src, False, None)]
    killed = []
    with distributed.Client(dask_cluster.scheduler_address, set_as_default=False) as client:
        pids = client.run(os.getpid)

        def kill_one(outcome):
            if not killed:
                victim = sorted(pids.values())[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        summary = cluster.run(jobs, plan, client, progress=kill_one, window=8)
    assert killed
    assert summary.count("failed") == 0
    # An image whose worker died after writing is found there on its retry: skipped, not redone.
    assert summary.count("done") + summary.count("skipped") == len(jobs)
    assert digest(out) == digest(reference)                 # all there, complete, identical
    assert not [n for n in os.listdir(out) if n.startswith(".convtrace-")]
    assert digest(src) == before


def test_ctrl_c_cancels_the_rest_and_leaves_nothing_half_written(tmp_path, dask_cluster):
    src = many_images(tmp_path / "in", count=30, side=64)
    out = tmp_path / "out"
    out.mkdir()
    plan = plan_of(GAUSS)
    jobs = [(p, batch.target_for(r, out, "same")) for p, r in batch.find_images(src, False, None)]
    seen = []

    def ctrl_c_after_three(outcome):
        seen.append(outcome)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with distributed.Client(dask_cluster.scheduler_address, set_as_default=False) as client:
        with pytest.raises(KeyboardInterrupt):
            cluster.run(jobs, plan, client, progress=ctrl_c_after_three, window=4)
        written = sorted(out.iterdir())
        assert 3 <= len(written) < 30
        assert not [p for p in written if p.name.startswith(".convtrace-")]
        for path in written:
            with Image.open(path) as img:
                img.load()                                   # complete
        summary = cluster.run(jobs, plan, client)
    assert summary.count("done") + summary.count("skipped") == 30 and summary.count("failed") == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_scheduler_is_one_line_and_exit_2(run, tmp_path):
    src = many_images(tmp_path / "in", count=2, side=8)
    result = run("batch", src, tmp_path / "out", "-k", "sharpen", "--scheduler", f"tcp://127.0.0.1:{free_port()}",
                 "--connect-timeout", "1")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Dask scheduler" in lines[0] and "dask scheduler" in lines[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("address", "words"), [("local:0", "not a scheduler address"),
                                              ("lo cal", "not a scheduler address"),
                                              ("localhost:x y", "not a scheduler address"),
                                              ("", "--scheduler was given an empty value")])
def test_a_bad_scheduler_address_is_one_line(run, tmp_path, address, words):
    src = many_images(tmp_path / "in", count=1, side=8)
    result = run("batch", src, tmp_path / "out", "-k", "sharpen", "--scheduler", address)
    assert result.exit_code == 2 and words in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("address", "why"), [
    ("foo://head:8786", "no protocol 'foo'"),
    ("udp://head:8786", "no protocol 'udp'"),
    ("tcp://", "no port"),
    ("head", "no port"),
    ("tcp://head:http", "the port 'http' is not a number"),
    ("tcp://head:0", "the port '0' is not a number"),
    ("tcp://head:70000", "not a number from 1 to 65535"),
    ("tcp://:8786", "no host"),
    (":::", "IPv6 address goes in brackets"),
    ("tcp://[::1", "IPv6 address goes in brackets"),
    ("inproc://192.0.2.1/1/1", "only from inside the program"),
    ("tls://head:8786", "needs certificates"),
])
def test_an_address_dask_cannot_use_is_refused_at_once(run, tmp_path, address, why):
    """Refused before any client exists: one made for such an address fails only after its timeout,
    and prints a traceback while the program exits."""
    src = many_images(tmp_path / "in", count=1, side=8)
    started = time.monotonic()
    result = run("batch", src, tmp_path / "out", "-k", "sharpen", "--scheduler", address)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and why in lines[0] and "tcp://HOST:PORT" in lines[0]
    assert time.monotonic() - started < 5
    assert not (tmp_path / "out").exists()


def test_addresses_dask_can_use_pass_the_check():
    for address in ("tcp://head:8786", "head:8786", "localhost:8786", "tcp://[::1]:8786", "ws://head:8786",
                    "TCP://10.0.0.5:8786", "local", "local:3", "LOCAL:2"):
        assert cluster.parse_scheduler(address)[0] in ("local", "remote")


def test_a_mistyped_local_cluster_is_shown_as_typed(run, tmp_path):
    """Rich would show ':-1:' as an emoji: what the user typed is printed as it is."""
    src = many_images(tmp_path / "in", count=1, side=8)
    for address in ("local:-1", "local:smile:"):
        result = run("batch", src, tmp_path / "out", "-k", "sharpen", "--scheduler", address)
        assert result.exit_code == 2 and f"--scheduler {address}: not a scheduler address" in result.output


def test_other_settings_are_refused_before_connecting(run, tmp_path):
    src = many_images(tmp_path / "in", count=2, side=8)
    assert run("batch", src, tmp_path / "out", "-k", "sharpen").exit_code == 0
    result = run("batch", src, tmp_path / "out", "-k", "box-blur", "--scheduler", f"tcp://127.0.0.1:{free_port()}",
                 "--connect-timeout", "1")
    assert result.exit_code == 2 and "other settings" in result.output


def test_overlapping_folders_are_refused_on_a_cluster_too(run, tmp_path):
    src = many_images(tmp_path / "in", count=1, side=8)
    for out in (src, src / "out", tmp_path):
        result = run("batch", src, out, "-k", "sharpen", "--scheduler", "tcp://127.0.0.1:1")
        assert result.exit_code == 2
    assert sorted(os.listdir(src)) == ["p000.png"]


# ----------------------------------------------------------------------------- fsspec URLs


def put_images(fs, root, specs, scratch):
    """The images of ``specs`` as objects under ``root`` on ``fs`` (made on disk in ``scratch`` first)."""
    scratch.mkdir(parents=True, exist_ok=True)
    for n, (mode, suffix, height, width, seed) in enumerate(specs):
        path = scratch / f"img{n}{suffix}"
        write_image(path, mode, height, width, seed)
        fs.pipe_file(f"{root}/{'sub/' if n % 2 else ''}img{n}{suffix}", path.read_bytes())


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])
@given(specs=IMAGES)
def test_memory_urls_give_the_same_bytes_as_local_paths(run, tmp_path_factory, inproc_cluster, specs):
    tmp = tmp_path_factory.mktemp("urls")
    fs = fsspec.filesystem("memory")
    tag = os.urandom(4).hex()
    root_in, root_out = f"/in-{tag}", f"/out-{tag}"
    put_images(fs, root_in, specs, tmp / "scratch")
    # The same images on disk, for the local reference run.
    local_in = tmp / "in"
    for path in fs.find(root_in):
        target = local_in / os.path.relpath(path, root_in)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(fs.cat_file(path))
    before = {p: fs.cat_file(p) for p in fs.find(root_in)}
    assert run("batch", local_in, tmp / "local", "-k", "sharpen", "-r").exit_code == 0
    result = run("batch", f"memory://{root_in}", f"memory://{root_out}", "-k", "sharpen", "-r", "--json",
                 "--scheduler", inproc_cluster.scheduler_address)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["done"] == len(specs)
    expected = digest(tmp / "local")
    got = {os.path.relpath(p, root_out): hashlib.sha256(fs.cat_file(p)).hexdigest() for p in fs.find(root_out)}
    assert got == expected
    assert {p: fs.cat_file(p) for p in fs.find(root_in)} == before
    again = run("batch", f"memory://{root_in}", f"memory://{root_out}", "-k", "sharpen", "-r", "--json",
                "--scheduler", inproc_cluster.scheduler_address)
    assert json.loads(again.stdout)["skipped"] == len(specs)
    other = run("batch", f"memory://{root_in}", f"memory://{root_out}", "-k", "box-blur", "-r",
                "--scheduler", inproc_cluster.scheduler_address)
    assert other.exit_code == 2 and "other settings" in other.output


def test_url_writes_never_clobber_and_leave_no_temporary_key(monkeypatch):
    fs = fsspec.filesystem("memory")
    tag = os.urandom(4).hex()
    cluster._write_url(fs, f"/w-{tag}/a.png", b"one", overwrite=False, run_id="r1")
    with pytest.raises(Exception, match="exists|already"):
        cluster._write_url(fs, f"/w-{tag}/a.png", b"two", overwrite=False, run_id="r1")
    assert fs.cat_file(f"/w-{tag}/a.png") == b"one"
    cluster._write_url(fs, f"/w-{tag}/a.png", b"three", overwrite=True, run_id="r1")
    assert fs.cat_file(f"/w-{tag}/a.png") == b"three"
    # As an object store: one PUT of the final key, no temporary key at all.
    monkeypatch.setattr(cluster.storage, "OBJECT_STORES", cluster.OBJECT_STORES | {"memory"})
    cluster._write_url(fs, f"/w-{tag}/b.png", b"four", overwrite=False, run_id="r1")
    assert sorted(os.path.basename(p) for p in fs.find(f"/w-{tag}")) == ["a.png", "b.png"]


def test_urls_overlapping_are_refused():
    from convtrace.errors import ConvtraceValueError

    fs = fsspec.filesystem("memory")
    tag = os.urandom(4).hex()
    fs.pipe_file(f"/o-{tag}/in/a.png", b"x")
    for out in (f"memory:///o-{tag}/in", f"memory:///o-{tag}/in/sub", f"memory:///o-{tag}"):
        with pytest.raises(ConvtraceValueError):
            cluster.check_url_folders(f"memory:///o-{tag}/in", out)
    cluster.check_url_folders(f"memory:///o-{tag}/in", f"memory:///o-{tag}/in2")


def test_only_this_runs_temporary_files_are_removed(tmp_path):
    mine = tmp_path / f"{batch.temp_prefix('run1')}abc.tmp"
    theirs = tmp_path / f"{batch.temp_prefix('run2')}abc.tmp"
    older = tmp_path / ".convtrace-xyz.tmp"
    for path in (mine, theirs, older):
        path.write_bytes(b"half")
    before = cluster.temps_now([tmp_path / "a.png"])
    assert cluster.remove_temps([tmp_path / "a.png"], "run1", started=0.0, before=before) == 1
    assert not mine.exists() and theirs.exists() and older.exists()


def test_progress_is_fed_as_futures_complete(tmp_path, inproc_cluster):
    src = many_images(tmp_path / "in", count=6, side=16)
    out = tmp_path / "out"
    out.mkdir()
    jobs = [(p, batch.target_for(r, out, "same")) for p, r in batch.find_images(src, False, None)]
    threads = []
    with distributed.Client(inproc_cluster.scheduler_address, set_as_default=False) as client:
        summary = cluster.run(jobs, plan_of(GAUSS), client,
                              progress=lambda o: threads.append(threading.current_thread().name))
    assert summary.count("done") == 6 and len(threads) == 6
