"""The names of the choices convtrace offers, in one place and without heavy imports.

The command line builds its choices from these lists (so ``--help`` loads no
NumPy), and the library's specs check values against them.
"""

from __future__ import annotations

#: Pooling modes, in the order they are listed to users.
POOL_MODES = ("max", "avg", "min", "sum")

#: Border (padding) modes; other libraries' names are mapped onto these (see :mod:`convtrace.params`).
PAD_MODES = ("zeros", "reflect", "symmetric", "replicate", "circular")

#: Where the engine runs.
DEVICES = ("cpu", "cuda", "auto")
