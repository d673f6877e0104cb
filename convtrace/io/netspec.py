"""Reading a network from its readable text form, one layer per line.

::

    # an RGB image → two 3×3 filters → ReLU → 2×2 max pool → 3 classes
    conv filters=2 size=3 padding=1 stride=1 weights=w1.npy bias=b1.npy
    relu
    maxpool size=2
    flatten
    dense units=3 weights=w2.npy bias=b2.npy
    softmax

``#`` starts a comment; blank lines are skipped; names are case-insensitive
(``Conv2D``, ``Dense``, ``MaxPooling2D``, ``leaky-relu`` are accepted).  Weight
files (``.npy``, or ``.txt``/``.csv``/``.json`` read as matrices; a text file's
2-D blocks fill the expected shape, never another layout) are relative to the spec file's
folder.  Every error names file:line:col.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import numpy as np

from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.messages.network import (
    NET_BAD_TOKEN,
    NET_BAD_VALUE,
    NET_MISSING_OPTION,
    NET_UNKNOWN_LAYER,
    NET_UNKNOWN_OPTION,
    NET_VALUE_MISSING,
    NET_WANT_BOOL,
    NET_WANT_NUMBER,
    NET_WANT_ORDER,
    NET_WANT_POSITIVE,
)
from convtrace.network import LAYER_OPTIONS, Layer, LocatedError
from convtrace.spec import ConvSpec, PoolSpec

#: Other spellings of the layer names (Keras', PyTorch's).
ALIASES = {
    "conv2d": "conv", "convolution": "conv", "convolucion": "conv", "convolución": "conv",
    "leakyrelu": "leaky_relu", "leaky-relu": "leaky_relu",
    "maxpool2d": "maxpool", "maxpooling2d": "maxpool", "max_pool": "maxpool", "max-pool": "maxpool",
    "avgpool2d": "avgpool", "averagepooling2d": "avgpool", "avg_pool": "avgpool", "avg-pool": "avgpool",
    "linear": "dense", "fc": "dense", "aplanar": "flatten",
}
#: Option aliases.
OPTION_ALIASES = {"kernel_size": "size", "pool_size": "size", "strides": "stride", "negative_slope": "slope",
                  "alpha": "slope", "ceil_mode": "ceil", "out_features": "units", "out_channels": "filters"}

_TOKEN = re.compile(r"\S+")


def _bool(text: str) -> bool:
    low = text.lower()
    if low in ("true", "yes", "1", "on", "si", "sí"):
        return True
    if low in ("false", "no", "0", "off"):
        return False
    raise ConvtraceValueError(NET_WANT_BOOL)


def _positive_int(text: str) -> int:
    if not re.fullmatch(r"\+?\d{1,9}", text) or int(text) < 1:
        raise ConvtraceValueError(NET_WANT_POSITIVE)
    return int(text)


def _check_value(kind: str, name: str, text: str):
    """The option's value, typed; a ConvtraceError (the reason, in both languages) when it is wrong."""
    if name in ("filters", "units"):
        return _positive_int(text)
    if name == "ceil":
        return _bool(text)
    if name == "slope":
        try:
            value = float(Fraction(text.replace("−", "-")))
        except (ValueError, ZeroDivisionError):
            raise ConvtraceValueError(NET_WANT_NUMBER) from None
        return value
    if name == "order":
        low = text.lower()
        if low not in ("chw", "hwc"):
            raise ConvtraceValueError(NET_WANT_ORDER)
        return low
    if name in ("weights", "bias", "kernel"):
        return text
    if kind == "conv":
        if name == "size":
            ConvSpec(stride=text)  # a positive int or pair, as a stride is
        else:
            ConvSpec(**{name: text})
        return text
    PoolSpec(**{name: text})
    return text


def _load_array(folder: Path, text: str, where: str):
    from convtrace.io.readers import read_matrix, read_npy

    path = Path(text)
    if not path.is_absolute():
        path = folder / path
    if path.suffix.lower() == ".npy":
        return read_npy(path, where=f"{where} ({path})")
    return read_matrix(str(path)).values


def parse_network(text: str, source: str = "network", folder: Path | None = None, kernels=None) -> list[Layer]:
    """Layers from the text of a spec file (``source`` names it in errors; weights read from ``folder``).

    ``kernels``: a KernelLibrary for ``kernel=NAME`` (the default library when None).
    """
    folder = Path(".") if folder is None else folder
    layers = []
    for number, raw in enumerate(text.splitlines(), start=1):
        code = raw.split("#", 1)[0]
        tokens = [(m.group(0), m.start() + 1) for m in _TOKEN.finditer(code)]
        if not tokens:
            continue
        head, col = tokens[0]
        where = f"{source}:{number}:{col}"
        kind = head.lower().replace("-", "_") if head.lower() not in ALIASES else ALIASES[head.lower()]
        kind = ALIASES.get(kind, kind)
        if kind not in LAYER_OPTIONS:
            raise ConvtraceValueError(NET_UNKNOWN_LAYER, where=where, name=head, choices=", ".join(LAYER_OPTIONS))
        options, arrays = {}, {}
        for token, col in tokens[1:]:
            where = f"{source}:{number}:{col}"
            if "=" not in token:
                raise ConvtraceValueError(NET_BAD_TOKEN, where=where, token=token)
            name, value = token.split("=", 1)
            name = name.strip().lower().replace("-", "_")
            name = OPTION_ALIASES.get(name, name)
            if name not in LAYER_OPTIONS[kind]:
                raise ConvtraceValueError(NET_UNKNOWN_OPTION, where=where, layer=kind, name=name,
                                          choices=", ".join(LAYER_OPTIONS[kind]) or "—")
            if value == "":
                raise LocatedError(NET_BAD_VALUE, ConvtraceValueError(NET_VALUE_MISSING), where=where, name=name,
                                   value="''")
            try:
                options[name] = _check_value(kind, name, value)
            except ValueError as exc:
                if isinstance(exc, ConvtraceError):
                    raise LocatedError(NET_BAD_VALUE, exc, where=where, name=name, value=value) from None
                raise ConvtraceValueError(NET_BAD_VALUE, where=where, name=name, value=value, reason=str(exc)) \
                    from None
            except ConvtraceError as exc:
                raise LocatedError(NET_BAD_VALUE, exc, where=where, name=name, value=value) from None
            if name in ("weights", "bias"):
                try:
                    arrays[name] = _load_array(folder, value, where)
                except ConvtraceError as exc:
                    raise LocatedError(NET_BAD_VALUE, exc, where=where, name=name, value=value) from None
            if name == "kernel":
                from convtrace.kernels import KernelLibrary

                library = kernels if kernels is not None else KernelLibrary()
                try:
                    kernel = library.get(value)
                except ConvtraceError as exc:
                    raise LocatedError(NET_BAD_VALUE, exc, where=where, name=name, value=value) from None
                weights = np.asarray(kernel.weights)
                arrays["weights"] = weights if kernel.scale == 1 else weights * float(kernel.scale)
        where = f"{source}:{number}:{tokens[0][1]}"
        if kind == "conv" and "weights" not in arrays:
            for needed in ("filters", "size"):
                if needed not in options:
                    raise ConvtraceValueError(NET_MISSING_OPTION, where=where, layer=kind, name=needed)
        if kind == "dense" and "weights" not in arrays and "units" not in options:
            raise ConvtraceValueError(NET_MISSING_OPTION, where=where, layer=kind, name="units")
        layers.append(Layer(kind=kind, options=options, weights=arrays.get("weights"), bias=arrays.get("bias"),
                            where=f"{source}:{number}"))
    return layers


def read_network(path, kernels=None) -> list[Layer]:
    """Layers from a spec file; weight files are found relative to its folder."""
    from convtrace.io.readers import read_text_file

    path = Path(path)
    return parse_network(read_text_file(path), str(path), path.parent, kernels)
