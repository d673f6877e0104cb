"""Start-up: cold (an empty Numba cache, as a new user) and warm command lines, median and spread.

    python benchmarks/bench_startup.py [--repeat 3] [--warm-repeat 5]

Cold runs get a fresh NUMBA_CACHE_DIR each; warm runs share one filled first.  Targets (issue 12, on
the project's 2-core machine): cold Quick start trace ≤ 2 s, cold 1024×768 photo to PNG ≤ 6 s, cold
first batch of 20 JPEGs ≤ 8 s, warm Quick start trace ≤ 0.5 s, ``--help`` ≤ 1.5× ``import typer, rich``.

The "floor" rows time what any program built the same way pays, measured in the same run: importing
NumPy and Numba, one cached ``@njit`` call in a fresh process (Numba's first dispatch loads its
registries; SciPy's BLAS probe is skipped, as the command line does), the same call through the
engine's ``jit`` (whose cache loads without them), that call ended by ``os._exit`` (as a command
ends: no interpreter teardown), and the ``--help`` of a two-command Typer app with
Rich help.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CLI = [sys.executable, "-m", "convtrace"]

#: One cached @njit call in a fresh process (the warm trace's floor: NumPy, Numba, Numba's first dispatch).
NJIT_FLOOR = """
import sys
sys.modules["scipy.linalg.cython_blas"] = None  # as the command line does: no BLAS probe
import numba
@numba.njit(cache=True)
def one(a):
    return a + 1
one(1)
"""

#: The same call compiled by the engine's ``jit``, whose cache loads without Numba's compiler set-up.
ENGINE_FLOOR = NJIT_FLOOR.replace("import numba\n@numba.njit(cache=True)",
                                  "from convtrace.engine.config import jit\n@jit")

#: The engine's call, the process ended as a command ends it (``convtrace.cli._exit_now``: no teardown).
QUICK_EXIT_FLOOR = ENGINE_FLOOR + "import os\nos._exit(0)\n"

#: A Typer app with two commands and Rich help (the ``--help`` floor).
TYPER_FLOOR = """
import typer
app = typer.Typer(rich_markup_mode="rich", add_completion=False)
@app.command()
def conv(input: str, kernel: str = typer.Option(..., "--kernel", "-k", help="A kernel."),
         trace: bool = typer.Option(False, help="Show the steps.")):
    \"\"\"Convolve.\"\"\"
@app.command()
def pool(input: str):
    \"\"\"Pool.\"\"\"
app()
"""


def timed(cmd, env) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{done.stderr.decode()}")
    return seconds


def env_with(cache: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    env.pop("CONVTRACE_COMPILE_NOTICE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its .pyc files (see main)
    return env


def sample_images(folder: Path) -> tuple[Path, Path]:
    from PIL import Image

    rng = np.random.default_rng(12)
    y, x = np.mgrid[0:768, 0:1024]
    base = np.stack([(x // 4) % 256, (y // 3) % 256, ((x + y) // 5) % 256], -1)
    photo = folder / "photo.png"
    Image.fromarray((base + rng.integers(0, 16, base.shape)).clip(0, 255).astype(np.uint8)).save(photo)
    jpegs = folder / "jpegs"
    jpegs.mkdir()
    for i in range(20):
        img = (base + rng.integers(0, 32, base.shape)).clip(0, 255).astype(np.uint8)
        Image.fromarray(img).save(jpegs / f"img{i:02d}.jpg", quality=92)
    return photo, jpegs


def row(name: str, times: list[float], target: str) -> None:
    med = statistics.median(times)
    print(f"{name:<36} {med:>7.2f} s   {min(times):>6.2f}–{max(times):<6.2f} s  n={len(times):<3} {target}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3, help="cold runs per case")
    ap.add_argument("--warm-repeat", type=int, default=5, help="warm runs per case")
    args = ap.parse_args()
    # As after `pip install`: Python's bytecode is there, so no run pays for compiling our sources.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "convtrace")], check=True,
                   stdout=subprocess.DEVNULL)
    quick = [*CLI, "conv", str(SAMPLES / "binary_5x5.txt"), "-k", str(SAMPLES / "x_kernel.txt"), "--trace"]
    with tempfile.TemporaryDirectory(prefix="bench_startup_") as tmp:
        tmp = Path(tmp)
        photo, jpegs = sample_images(tmp)
        out = tmp / "out"

        def photo_cmd(n):
            return [*CLI, "conv", str(photo), "-k", "sharpen", "-o", str(tmp / f"out{n}.png"), "--force"]

        def batch_cmd(n):
            return [*CLI, "batch", str(jpegs), str(out / str(n)), "-k", "sharpen", "--quiet"]

        pool_trace = [*CLI, "pool", str(SAMPLES / "feature_map_5x5.txt"), "--size", "3", "--stride", "1", "--trace"]
        cases = [("cold: Quick start trace", lambda n: quick, "≤ 2 s"),
                 ("cold: pool trace (5×5, 3×3 max)", lambda n: pool_trace, ""),
                 ("cold: 1024×768 photo → PNG", photo_cmd, "≤ 6 s"),
                 ("cold: batch of 20 JPEGs", batch_cmd, "≤ 8 s")]
        print(f"{'case':<36} {'median':>9}   {'spread (min–max)':<17} {'':<5} target")
        for name, make, target in cases:
            times = []
            for n in range(args.repeat):
                with tempfile.TemporaryDirectory(prefix="numba_cold_") as cache:
                    times.append(timed(make(n), env_with(cache)))
            row(name, times, target)
        with tempfile.TemporaryDirectory(prefix="numba_warm_") as cache:
            env = env_with(cache)
            timed(quick, env)
            row("warm: Quick start trace", [timed(quick, env) for _ in range(args.warm_repeat)], "≤ 0.5 s")
            timed(photo_cmd(99), env)
            row("warm: 1024×768 photo → PNG", [timed(photo_cmd(100 + n), env) for n in range(args.warm_repeat)], "")
            floor_script = tmp / "njit_floor.py"
            floor_script.write_text(NJIT_FLOOR)
            timed([sys.executable, str(floor_script)], env)  # fills the cache
            row("floor: import numpy, numba", [timed([sys.executable, "-c", "import numpy, numba"], env)
                                               for _ in range(args.warm_repeat)], "")
            engine_script = tmp / "engine_floor.py"
            engine_script.write_text(ENGINE_FLOOR)
            timed([sys.executable, str(engine_script)], env)
            quick_exit_script = tmp / "quick_exit_floor.py"
            quick_exit_script.write_text(QUICK_EXIT_FLOOR)
            numba_calls, engine_calls, quick_exit_calls = [], [], []
            for _ in range(args.warm_repeat):
                numba_calls.append(timed([sys.executable, str(floor_script)], env))
                engine_calls.append(timed([sys.executable, str(engine_script)], env))
                quick_exit_calls.append(timed([sys.executable, str(quick_exit_script)], env))
            row("floor: one cached @njit call", numba_calls, "")
            row("floor: the same, engine's loader", engine_calls, "")
            row("floor: the same, no teardown", quick_exit_calls, "")
            bare, helps, typer_helps = [], [], []
            for _ in range(args.warm_repeat):  # interleaved: the machine's load hits all three alike
                bare.append(timed([sys.executable, "-c", "import typer, rich"], env))
                helps.append(timed([*CLI, "--help"], env))
                typer_helps.append(timed([sys.executable, "-c", TYPER_FLOOR, "--help"], env))
            row("python -c 'import typer, rich'", bare, "")
            row("convtrace --help", helps, "")
            row("floor: 2-command Typer app --help", typer_helps, "")
            for name, times, target in (("--help / bare import", helps, "≤ 1.5×"),
                                        ("floor: Typer app --help / bare", typer_helps, "")):
                ratio = statistics.median(times) / statistics.median(bare)
                print(f"{name:<36} {ratio:>7.2f} ×   "
                      f"{min(times) / max(bare):>6.2f}–{max(times) / min(bare):<6.2f} ×          {target}")


if __name__ == "__main__":
    main()
