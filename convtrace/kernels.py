"""The kernel library: named filters stored as readable text files.

Built-in kernels ship in ``convtrace/kernels`` (the repository's top-level
``kernels/``).  Users add their own with ``--kernels-dir`` or the
CONVTRACE_KERNELS environment variable (directories separated by ``:``; ``;``
on Windows); a user kernel with a built-in's name replaces it.

A kernel file::

    # name: gaussian-3
    # description: Gaussian blur 3×3 (binomial approximation).
    # description_es: Desenfoque gaussiano 3×3 (aproximación binomial).
    # scale: 1/16
    # aliases: gaussian, gauss
    1 2 1
    2 4 2
    1 2 1

Several 2-D slices separated by blank lines make a multi-channel filter.
"""

from __future__ import annotations

import difflib
import math
import os
from fractions import Fraction
from pathlib import Path

import numpy as np

from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.io.matrix import ParsedMatrix, looks_inline, parse_matrix_text
from convtrace.io.readers import read_matrix, read_text_file
from convtrace.kernel import Kernel
from convtrace.messages.parsing import (
    BAD_KERNEL_FILE,
    BAD_SCALE,
    BAD_SCALE_RANGE,
    KERNELS_DIR_IS_FILE,
    KERNELS_DIR_MISSING,
    UNKNOWN_KERNEL,
)

ENV_VAR = "CONVTRACE_KERNELS"

#: The largest Σ|weights| a fraction kernel is scaled to as integers (else it stays float).
MAX_INTEGER_WEIGHT_SUM = 1 << 31


def builtin_dir() -> Path:
    """convtrace/kernels when installed, the repository's kernels/ in a checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "kernels"
    return installed if installed.is_dir() else here.parent / "kernels"


def _parse_scale(text: str, where: str) -> Fraction:
    try:
        scale = Fraction(text.replace(" ", "").replace("\u2212", "-"))
    except (ValueError, ZeroDivisionError):
        raise ConvtraceValueError(BAD_SCALE, where=where, value=text) from None
    try:
        size = abs(float(scale))
    except OverflowError:
        size = math.inf
    if not 0 < size < math.inf or size < 1e-300:  # 0 zeroes every output; 1e400 is past any float
        raise ConvtraceValueError(BAD_SCALE_RANGE, where=where, value=text)
    return scale


def kernel_from_parsed(parsed: ParsedMatrix, name: str) -> Kernel:
    """A Kernel from parsed numbers: fractions such as 1/9 become integer weights and a scale."""
    header = parsed.header
    scale = _parse_scale(header["scale"], parsed.source) if "scale" in header else Fraction(1)
    weights = parsed.values
    exact = parsed.exact
    if exact is not None and weights.dtype.kind == "f":
        denominator = math.lcm(*(int(Fraction(v).denominator) for v in exact.ravel()))
        integers = [int(Fraction(v) * denominator) for v in exact.ravel()]
        # Integer weights only while their sums stay far inside int64 (any 32-bit input times
        # them fits); past that, e.g. 1/1000003 … 1/1000039, the kernel stays float: right
        # values, without the exact fraction display.
        if sum(abs(v) for v in integers) <= MAX_INTEGER_WEIGHT_SUM:
            weights = np.array(integers, dtype=np.int64).reshape(weights.shape)
            scale = scale / denominator
    aliases = tuple(a.strip() for a in header.get("aliases", "").split(",") if a.strip())
    return Kernel(
        name=header.get("name", name), weights=weights, scale=scale,
        description=header.get("description", ""), aliases=aliases,
        descriptions={k[len("description_"):]: v for k, v in header.items() if k.startswith("description_")},
    )


def library_dirs(extra_dirs: list[Path] | None = None, environ: dict | None = None) -> list[Path]:
    """The built-in kernel folder, then the CONVTRACE_KERNELS folders, then ``extra_dirs``."""
    env = os.environ if environ is None else environ
    return [builtin_dir(), *(Path(p) for p in env.get(ENV_VAR, "").split(os.pathsep) if p), *(extra_dirs or [])]


def _fingerprint(dirs: list[Path]) -> tuple:
    """What a library read from ``dirs`` depends on: every kernel file's name, size and modification time."""
    files = []
    for directory in dirs:
        try:
            files += [(str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(directory.glob("*.txt"))]
        except OSError:
            files.append((str(directory), None, None))
    return (tuple(str(d) for d in dirs), tuple(files))


_current: tuple[tuple, KernelLibrary] | None = None


def current_library() -> KernelLibrary:
    """The library as it is on disk now, read again only when a kernel file or folder changed: a name
    such as ``conv2d(x, "sharpen")`` costs a few file stats, not a parse of every kernel file."""
    global _current
    key = _fingerprint(library_dirs())
    if _current is None or _current[0] != key:
        library = KernelLibrary()
        for kernel in library:  # shared between calls: nobody may change a weight in place
            kernel.weights.flags.writeable = False
        _current = (key, library)
    return _current[1]


class KernelLibrary:
    """Every kernel found in the built-in directory and the user's directories."""

    def __init__(self, extra_dirs: list[Path] | None = None, environ: dict | None = None) -> None:
        dirs = library_dirs(extra_dirs, environ)
        self.dirs = dirs
        self._kernels: dict[str, Kernel] = {}
        self._aliases: dict[str, str] = {}
        #: Files that could not be read as kernels, by name: asking for one gives its error; the others
        #: (and every built-in kernel) still work, as one bad file in a folder used to stop every -k.
        self.broken: dict[str, ConvtraceError] = {}
        for directory in dirs:
            if not directory.is_dir():
                key = KERNELS_DIR_IS_FILE if directory.exists() else KERNELS_DIR_MISSING
                raise ConvtraceValueError(key, where=str(directory))
            for path in sorted(directory.glob("*.txt")):
                try:
                    kernel = kernel_from_parsed(parse_matrix_text(read_text_file(path), str(path)), path.stem)
                except ConvtraceError as err:
                    self.broken[path.stem.lower()] = err
                    continue
                self._kernels[kernel.name.lower()] = kernel
                for alias in kernel.aliases:
                    self._aliases[alias.lower()] = kernel.name.lower()

    def __iter__(self):
        return iter(sorted(self._kernels.values(), key=lambda k: k.name))

    def __len__(self) -> int:
        return len(self._kernels)

    def find(self, name: str) -> Kernel | None:
        key = name.strip().lower()
        key = self._aliases.get(key, key)
        return self._kernels.get(key)

    def get(self, name: str) -> Kernel:
        kernel = self.find(name)
        if kernel is None:
            broken = self.broken.get(name.strip().lower())
            if broken is not None:
                raise broken
            raise ConvtraceValueError(UNKNOWN_KERNEL, name=name, suggestions=self.suggest(name))
        return kernel

    def suggest(self, name: str) -> str:
        names = sorted(set(self._kernels) | set(self._aliases))
        close = difflib.get_close_matches(name.lower(), names, n=3, cutoff=0.5)
        return ", ".join(close) if close else ", ".join(sorted(self._kernels)[:6]) + ", …"


def resolve_kernel(spec: str, library: KernelLibrary) -> Kernel:
    """A kernel given by library name, file path, ``-`` or inline matrix."""
    found = library.find(spec)
    if found is not None and not Path(spec).exists():
        return found
    if spec == "-" or Path(spec).exists() or looks_inline(spec):
        parsed = read_matrix(spec)
        if parsed.values.dtype.kind not in "iuf" or parsed.values.ndim > 4:
            raise ConvtraceValueError(BAD_KERNEL_FILE, where=spec)
        return kernel_from_parsed(parsed, Path(spec).stem if Path(spec).exists() else "inline")
    return library.get(spec)
