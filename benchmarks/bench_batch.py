"""convtrace batch against ImageMagick and a Pillow loop on the same folder of JPEGs.

Run:  python benchmarks/bench_batch.py [--count 200] [--size 1024x768] [--repeat 3]

Makes a folder of photograph-like JPEGs, then filters it with a 3×3 sharpen
kernel three ways, each as its own process (so peak memory is that tool's):

- ``convtrace batch IN OUT -k sharpen`` (after one small warm-up run that
  fills Numba's compile cache, as any second use would find it);
- ImageMagick ``mogrify -morphology Convolve`` with the same kernel (from
  Debian's imagemagick package; skipped with a message when absent);
- a plain Python loop of Pillow ``ImageFilter.Kernel`` over the files.

All write JPEG at quality 92.  Prints images/s, the ratio to convtrace
(above 1× means convtrace is faster) and each tool's peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np

SHARPEN = [0, -1, 0, -1, 5, -1, 0, -1, 0]

PILLOW_LOOP = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PIL import Image, ImageFilter
    kernel = ImageFilter.Kernel((3, 3), [0, -1, 0, -1, 5, -1, 0, -1, 0], scale=1)
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    dst.mkdir(exist_ok=True)
    for path in sorted(src.glob("*.jpg")):
        with Image.open(path) as img:
            img.filter(kernel).save(dst / path.name, quality=92)
""")

MEASURE = textwrap.dedent("""
    import resource, subprocess, sys, time
    start = time.perf_counter()
    code = subprocess.run(sys.argv[1:]).returncode
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(code, seconds, peak_kb)
""")


def make_photos(folder: Path, count: int, width: int, height: int) -> None:
    """Smooth gradients, shapes, texture and noise: JPEG-compresses like a photograph."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    for n in range(count):
        phase = rng.uniform(0, 6.28, 3)
        base = np.stack([
            127 + 90 * np.sin(xx / rng.uniform(60, 200) + phase[c]) * np.cos(yy / rng.uniform(60, 200) + phase[c])
            for c in range(3)], axis=-1)
        base += rng.normal(0, 12, base.shape)
        img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        for _ in range(12):
            x0, y0 = rng.integers(0, width), rng.integers(0, height)
            box = [x0, y0, x0 + rng.integers(20, 300), y0 + rng.integers(20, 300)]
            color = tuple(int(v) for v in rng.integers(0, 256, 3))
            (draw.ellipse if n % 2 else draw.rectangle)(box, fill=color)
        img.filter(ImageFilter.GaussianBlur(1.2)).save(folder / f"photo_{n:04d}.jpg", quality=90)


def measure(cmd: list[str]) -> tuple[int, float, float]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as after `pip install`: bytecode compiled once (see main)
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, check=True,
                         env=env)
    code, seconds, peak_kb = out.stdout.split()
    return int(code), float(seconds), int(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--size", default="1024x768")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each runs every tool once, in turn")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    root_dir = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root_dir / "convtrace")], check=True,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory(prefix="convtrace-bench-") as tmp:
        root = Path(tmp)
        photos = root / "photos"
        photos.mkdir()
        make_photos(photos, args.count, width, height)
        convtrace_cmd = [sys.executable, "-m", "convtrace", "batch"]
        warm = root / "warm"
        warm.mkdir()
        for path in sorted(photos.iterdir())[:2]:
            shutil.copy(path, warm / path.name)
        subprocess.run([*convtrace_cmd, str(warm), str(root / "warm-out"), "-k", "sharpen", "--quiet"], check=True)

        files = sorted(str(p) for p in photos.iterdir())
        mogrify = shutil.which("mogrify")
        tools = {"convtrace batch": (lambda out: [*convtrace_cmd, str(photos), str(out), "-k", "sharpen", "--quiet"],
                                     f"{os.cpu_count()} workers")}
        if mogrify:
            version = subprocess.run([mogrify, "-version"], capture_output=True, text=True).stdout.split()[2]
            tools[f"ImageMagick {version} mogrify"] = (
                lambda out: [mogrify, "-path", str(out), "-quality", "92", "-morphology", "Convolve",
                             "3x3: 0,-1,0 -1,5,-1 0,-1,0", *files], "-morphology Convolve, OpenMP")
        tools["Pillow ImageFilter loop"] = (
            lambda out: [sys.executable, "-c", PILLOW_LOOP, str(photos), str(out)], "one Python loop")
        times = {name: [] for name in tools}
        peaks = {name: 0.0 for name in tools}
        for round_ in range(args.repeat):
            for n, (name, (command, _)) in enumerate(tools.items()):
                out = root / f"out-{round_}-{n}"
                out.mkdir()
                code, seconds, peak = measure(command(out))
                if code != 0:
                    raise SystemExit(f"{name} failed (exit {code})")
                times[name].append(seconds)
                peaks[name] = max(peaks[name], peak)
                shutil.rmtree(out)

    ours = times["convtrace batch"]
    print(f"convtrace batch benchmark: {args.count} JPEGs of {width}×{height}, 3×3 sharpen, "
          f"{os.cpu_count()} CPUs, JPEG quality 92, median of {args.repeat} rounds (min–max)")
    header = (f"{'tool':<32} {'median':>8} {'min–max':>13} {'images/s':>9} {'vs convtrace':>13} "
              f"{'ratio min–max':>14} {'peak MB':>8}  note")
    print(header)
    print("-" * len(header))
    for name, (_, note) in tools.items():
        spent = times[name]
        ratios = [theirs / mine for theirs, mine in zip(spent, ours, strict=True)]
        print(f"{name:<32} {statistics.median(spent):>7.2f}s {min(spent):>6.2f}–{max(spent):<5.2f}s "
              f"{args.count / statistics.median(spent):>9.1f} {statistics.median(spent) / statistics.median(ours):>12.2f}× "
              f"{min(ratios):>6.2f}–{max(ratios):<6.2f}× {peaks[name]:>8.0f}  {note}")
    if not mogrify:
        print("ImageMagick mogrify: not installed (apt-get install imagemagick)")


if __name__ == "__main__":
    main()
