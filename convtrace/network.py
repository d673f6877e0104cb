"""A small CNN as the slides build it: layers, a forward pass, parameter counts and per-layer traces.

Layers (``kind``): ``conv`` (weights (F, C, kh, kw) as :func:`~convtrace.conv2d`
takes them, bias (F,)), ``relu``, ``leaky_relu``, ``sigmoid``, ``tanh``,
``maxpool``/``avgpool``, ``flatten`` (order ``chw`` as PyTorch's nn.Flatten,
``hwc`` as Keras' channels-last Flatten), ``dense`` (weights (units, inputs) as
PyTorch's nn.Linear, bias (units,)) and ``softmax``.  Convolutions, pooling
and dense units run on the engine (a dense unit is a 1×1 convolution over
the inputs taken as channels), so integer inputs stay exact through conv,
relu, pooling, flatten and dense, and every trace equals the output it explains.

Parameter counts are Keras' (``model.summary()``): conv (kh·kw·C + 1)·F,
dense (inputs + 1)·units (without the + 1 when a layer has no bias).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from convtrace import activations
from convtrace.arrays import WHAT_INPUT, WHAT_KERNEL, as_numeric_array, check_finite
from convtrace.convolution import ConvTrace, prepare_conv2d
from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.limits import INT64_MAX, check_elements
from convtrace.messages import Term
from convtrace.messages.arrays import CONV_INT_OVERFLOW
from convtrace.messages.network import (
    NET_CONV_NEEDS_MAP,
    NET_DENSE_NEEDS_VECTOR,
    NET_EMPTY,
    NET_LAYER_FAILED,
    NET_LAYER_INPUT,
    NET_NO_WEIGHTS,
    NET_POOL_NEEDS_MAP,
    NET_SHAPE_CONV_BIAS,
    NET_SHAPE_CONV_WEIGHTS,
    NET_SHAPE_DENSE_BIAS,
    NET_SHAPE_DENSE_WEIGHTS,
    NET_TRACE_CELL,
    NET_WEIGHTS_SHAPE,
    NET_WEIGHTS_TRANSPOSED,
    NET_WHAT_RANDOM_WEIGHTS,
)
from convtrace.pooling import PoolTrace, prepare_pool2d
from convtrace.spec import ConvSpec, PoolSpec

#: Every layer kind and the options it takes (with defaults; None: required or optional without default).
LAYER_OPTIONS: dict[str, dict[str, Any]] = {
    "conv": {"filters": None, "size": None, "stride": 1, "padding": 0, "pad_mode": "zeros", "dilation": 1,
             "weights": None, "bias": None, "kernel": None},
    "relu": {},
    "leaky_relu": {"slope": 0.01},
    "sigmoid": {},
    "tanh": {},
    "maxpool": {"size": 2, "stride": None, "padding": 0, "ceil": False},
    "avgpool": {"size": 2, "stride": None, "padding": 0, "ceil": False},
    "flatten": {"order": "chw"},
    "dense": {"units": None, "weights": None, "bias": None},
    "softmax": {},
}
#: Kinds applied value by value.
ELEMENTWISE = ("relu", "leaky_relu", "sigmoid", "tanh")
#: Formulas as the slides write them.
FORMULAS = {
    "relu": "ReLU(x) = max(0, x)",
    "leaky_relu": "LeakyReLU(x) = x if x > 0 else {slope}·x",
    "sigmoid": "σ(x) = 1 / (1 + exp(−x))",
    "tanh": "tanh(x) = (exp(x) − exp(−x)) / (exp(x) + exp(−x))",
    "softmax": "Softmax(x_i) = exp(x_i) / Σ exp(x_j)",
}
#: Random weights (``--seed``) are small integers in this range, so a network stays exact and traceable by hand.
RANDOM_RANGE = (-2, 2)


class LocatedError(ConvtraceValueError):
    """An error inside a layer or a spec-file option, said where it is; the inner error in the same language."""

    def __init__(self, key: str, inner: ConvtraceError, **params: object) -> None:
        self.inner = inner
        super().__init__(key, reason=inner.message("en"), **params)

    def message(self, lang: str = "en") -> str:
        from convtrace.messages import translate

        return translate(self.key, lang, **{**self.params, "reason": self.inner.message(lang)})


@dataclass(frozen=True)
class Layer:
    """One layer as written: its kind, its options and (for conv/dense) its weights.

    ``where`` locates it for error messages ("net.txt:3").  ``weights``/``bias``
    may be None for conv/dense until :func:`build_network` gives them random values.
    """

    kind: str
    options: dict = field(default_factory=dict)
    weights: Any = None
    bias: Any = None
    where: str = "?"
    random: bool = False

    def option(self, name: str):
        value = self.options.get(name)
        return LAYER_OPTIONS[self.kind].get(name) if value is None else value


@dataclass(frozen=True)
class NetLayer:
    """A layer placed in a network: its name (conv1, relu1 …), input and output shapes, parameters."""

    index: int                 # 1-based
    name: str
    layer: Layer
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    params: int
    count: str = ""            # how params is counted, "(3·3·3 + 1)·2 = 56"

    @property
    def kind(self) -> str:
        return self.layer.kind


@dataclass(frozen=True)
class Network:
    """Layers checked against an input shape, weights in place."""

    layers: tuple[NetLayer, ...]
    input_shape: tuple[int, ...]
    seed: int | None = None

    @property
    def total_params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def random_layers(self) -> list[str]:
        return [nl.name for nl in self.layers if nl.layer.random]

    def fully_connected_comparison(self) -> dict:
        """What a dense first layer on the same input would need, against this network's first layer."""
        inputs = math.prod(self.input_shape)
        first = self.layers[0]
        units = math.prod(first.output_shape)
        return {"inputs": inputs, "units": units, "params": (inputs + 1) * units, "first": first.params}

    def find(self, ref: str | int) -> NetLayer | None:
        """A layer by 1-based index or by name (conv1, relu2 …); None when there is none."""
        text = str(ref).strip().lower()
        if text.isdigit():
            k = int(text)
            return self.layers[k - 1] if 1 <= k <= len(self.layers) else None
        for nl in self.layers:
            if nl.name == text:
                return nl
        return None

    def forward(self, x) -> list[np.ndarray]:
        """Each layer's output, in order (the last is the network's output)."""
        current = _as_input(x)
        outputs = []
        for nl in self.layers:
            current = _run_layer(nl, current)
            outputs.append(current)
        return outputs

    def trace(self, x, ref: str | int, cell=None):
        """The working of one output value of layer ``ref`` (cell None: the first value).

        Returns a :class:`~convtrace.convolution.ConvTrace` (with the bias) for
        conv, a :class:`~convtrace.pooling.PoolTrace` for pooling, a
        :class:`DenseTrace`, a :class:`SoftmaxTrace`, a :class:`FlattenTrace` or
        an :class:`ElementTrace`.
        """
        nl = self.find(ref)
        current = _as_input(x)
        outputs = self.forward(current)
        layer_input = current if nl.index == 1 else outputs[nl.index - 2]
        output = outputs[nl.index - 1]
        idx = _cell(cell, output.shape, ref)
        return _trace_layer(nl, layer_input, output, idx)


@dataclass(frozen=True)
class DenseTrace:
    """One unit of a dense layer as a dot product: Σ w·x + b, products from the engine."""

    unit: int
    inputs: np.ndarray
    weights: np.ndarray
    products: np.ndarray
    total: Any
    bias: Any
    result: Any


@dataclass(frozen=True)
class SoftmaxTrace:
    """exp(x_i − shift) / Σ exp(x_j − shift); shift is 0 unless the values are large (then their max)."""

    index: int
    values: np.ndarray
    shift: float
    exps: np.ndarray
    total: float
    output: np.ndarray

    @property
    def result(self):
        return self.output[self.index].item()


@dataclass(frozen=True)
class FlattenTrace:
    index: int
    source: tuple[int, ...]
    value: Any
    order: str
    input_shape: tuple[int, ...]


@dataclass(frozen=True)
class ElementTrace:
    kind: str
    index: tuple[int, ...]
    value: Any
    result: Any
    formula: str


# --------------------------------------------------------------------------- building


def _as_input(x) -> np.ndarray:
    arr = as_numeric_array(x, WHAT_INPUT)
    check_finite(arr, WHAT_INPUT)
    return arr


def _shape_text(shape) -> str:
    return "(" + ", ".join(str(int(v)) for v in shape) + ")"


def _int_or_pair(value) -> tuple[int, int]:
    from convtrace.params import as_pair

    return as_pair(value, "size")


def _conv_spec(layer: Layer) -> ConvSpec:
    return ConvSpec(padding=layer.option("padding"), pad_mode=layer.option("pad_mode"),
                    stride=layer.option("stride"), dilation=layer.option("dilation"))


def _pool_spec(layer: Layer) -> PoolSpec:
    size = layer.option("size")
    stride = layer.options.get("stride")
    return PoolSpec(size=size, stride=size if stride is None else stride,
                    mode="max" if layer.kind == "maxpool" else "avg",
                    padding=layer.option("padding"), ceil_mode=bool(layer.option("ceil")))


def _random(rng: np.random.Generator, shape) -> np.ndarray:
    check_elements(math.prod(shape), 8, Term(NET_WHAT_RANDOM_WEIGHTS))  # before allocating: units=10⁸
    return rng.integers(RANDOM_RANGE[0], RANDOM_RANGE[1] + 1, size=shape, dtype=np.int64)


def _weights(layer: Layer, expected: tuple[int, ...], layout: Term, name: str) -> np.ndarray:
    arr = as_numeric_array(layer.weights if name == "weights" else layer.bias, WHAT_KERNEL)
    check_finite(arr, WHAT_KERNEL)
    if arr.shape != expected and _blocks_of(arr.shape, expected):
        arr = arr.reshape(expected)  # a text file's 2-D blocks, in row-major order
    if arr.shape != expected:
        key = NET_WEIGHTS_TRANSPOSED if arr.shape == expected[::-1] and arr.ndim == 2 else NET_WEIGHTS_SHAPE
        raise ConvtraceValueError(key, where=layer.where, name=name, shape=_shape_text(arr.shape),
                                  layout=layout, expected=_shape_text(expected))
    return arr


def _blocks_of(shape: tuple[int, ...], expected: tuple[int, ...]) -> bool:
    """Whether an array of ``shape`` holds ``expected``'s values as a text file writes them: its leading
    axes folded into blocks (F·C blocks of kh×kw for (F, C, kh, kw)), or under a leading axis of one
    ((1, 3) for 3 biases) — never another layout of as many values, such as Keras' (inputs, units)
    for a dense layer's (units, inputs), which would compute a different network without a word."""
    while len(shape) > len(expected) and shape[0] == 1:
        shape = shape[1:]
    if tuple(shape) == tuple(expected):
        return True
    return (1 <= len(shape) < len(expected) and math.prod(shape) == math.prod(expected)
            and tuple(shape[1:]) == tuple(expected[len(expected) - len(shape) + 1:]))


def _place(layer: Layer, shape: tuple[int, ...], rng) -> tuple[Layer, tuple[int, ...], int, str]:
    """The layer with weights checked (or made random), its output shape and its parameter count."""
    kind, where = layer.kind, layer.where

    def refuse(reason):
        if isinstance(reason, ConvtraceError):
            raise LocatedError(NET_LAYER_INPUT, reason, where=where, layer=kind, shape=_shape_text(shape))
        raise ConvtraceValueError(NET_LAYER_INPUT, where=where, layer=kind, shape=_shape_text(shape), reason=reason)

    if kind == "conv":
        if len(shape) not in (2, 3):
            refuse(ConvtraceValueError(NET_CONV_NEEDS_MAP))
        channels = 1 if len(shape) == 2 else shape[0]
        filters = layer.options.get("filters")
        if layer.options.get("kernel") is not None:
            kernel = as_numeric_array(layer.weights, WHAT_KERNEL)
            if kernel.ndim == 2:
                kernel = np.broadcast_to(kernel, (1, channels) + kernel.shape).copy()
            layer = dataclasses.replace(layer, weights=kernel)
        if layer.weights is None:
            if rng is None:
                raise ConvtraceValueError(NET_NO_WEIGHTS, where=where, layer=kind)
            kh, kw = _int_or_pair(layer.option("size"))
            try:
                layer = dataclasses.replace(layer, weights=_random(rng, (filters or 1, channels, kh, kw)),
                                            bias=_random(rng, (filters or 1,)) if layer.bias is None else layer.bias,
                                            random=True)
            except ConvtraceError as err:
                refuse(err)
        w = as_numeric_array(layer.weights, WHAT_KERNEL)
        if w.ndim == 3 and filters in (None, 1) and w.shape[0] == channels:
            w = w[None]
        size = layer.options.get("size")
        kh, kw = _int_or_pair(size) if size is not None else tuple(w.shape[-2:]) if w.ndim >= 2 else (1, w.size)
        f_expected = filters if filters is not None else max(w.size // (channels * kh * kw), 1)
        expected = (f_expected, channels, kh, kw)
        w = _weights(dataclasses.replace(layer, weights=w), expected,
                     Term(NET_SHAPE_CONV_WEIGHTS), "weights")
        bias = None
        if layer.bias is not None:
            bias = _weights(layer, (f_expected,), Term(NET_SHAPE_CONV_BIAS), "bias")
        layer = dataclasses.replace(layer, weights=w, bias=bias)
        try:
            op = prepare_conv2d(np.zeros((channels,) + tuple(shape[-2:]), dtype=np.int64), w, _conv_spec(layer))
        except ConvtraceError as err:
            refuse(err)
        params = w.size + (0 if bias is None else bias.size)
        count = (f"({kh}·{kw}·{channels} + 1)·{f_expected} = {params}" if bias is not None
                 else f"{kh}·{kw}·{channels}·{f_expected} = {params}")
        return layer, op.out_shape3, params, count
    if kind in ("maxpool", "avgpool"):
        if len(shape) not in (2, 3):
            refuse(ConvtraceValueError(NET_POOL_NEEDS_MAP))
        try:
            op = prepare_pool2d(np.zeros(shape, dtype=np.int64), spec=_pool_spec(layer))
        except ConvtraceError as err:
            refuse(err)
        out = op.out_shape3 if len(shape) == 3 else op.out_shape3[1:]
        return layer, tuple(out), 0, ""
    if kind == "flatten":
        return layer, (math.prod(shape),), 0, ""
    if kind == "dense":
        if len(shape) != 1:
            refuse(ConvtraceValueError(NET_DENSE_NEEDS_VECTOR))
        units = layer.options.get("units")
        if layer.weights is None:
            if rng is None:
                raise ConvtraceValueError(NET_NO_WEIGHTS, where=where, layer=kind)
            try:
                layer = dataclasses.replace(layer, weights=_random(rng, (units or 1, shape[0])),
                                            bias=_random(rng, (units or 1,)) if layer.bias is None else layer.bias,
                                            random=True)
            except ConvtraceError as err:
                refuse(err)
        w = as_numeric_array(layer.weights, WHAT_KERNEL)
        units = units if units is not None else (w.shape[0] if w.ndim == 2 else 1)
        w = _weights(layer, (units, shape[0]), Term(NET_SHAPE_DENSE_WEIGHTS), "weights")
        bias = None if layer.bias is None else _weights(layer, (units,), Term(NET_SHAPE_DENSE_BIAS), "bias")
        layer = dataclasses.replace(layer, weights=w, bias=bias)
        params = w.size + (0 if bias is None else bias.size)
        count = (f"({shape[0]} + 1)·{units} = {params}" if bias is not None else f"{shape[0]}·{units} = {params}")
        return layer, (units,), params, count
    return layer, tuple(shape), 0, ""  # element-wise and softmax keep the shape


def build_network(layers, input_shape, *, seed: int | None = None, where: str = "network") -> Network:
    """Place ``layers`` after an input of ``input_shape``: names, shapes, parameters; weights checked.

    Layers without weights get random small integers from ``seed`` (and are
    marked ``random``); without a seed they are an error that says so.
    """
    layers = list(layers)
    if not layers:
        raise ConvtraceValueError(NET_EMPTY, where=where)
    rng = None if seed is None else np.random.default_rng(seed)
    shape = tuple(int(v) for v in input_shape)
    placed, counts = [], {}
    for k, layer in enumerate(layers, start=1):
        counts[layer.kind] = counts.get(layer.kind, 0) + 1
        layer, out_shape, params, count = _place(layer, shape, rng)
        placed.append(NetLayer(index=k, name=f"{layer.kind}{counts[layer.kind]}", layer=layer,
                               input_shape=shape, output_shape=tuple(int(v) for v in out_shape), params=params,
                               count=count))
        shape = tuple(int(v) for v in out_shape)
    return Network(tuple(placed), tuple(int(v) for v in input_shape), seed)


# --------------------------------------------------------------------------- running


def _add_bias(out: np.ndarray, bias, where: str) -> np.ndarray:
    """``out`` + bias per map (axis 0), exact for integers (refused past int64)."""
    if bias is None:
        return out
    b = np.asarray(bias)
    if out.dtype.kind == "i" and b.dtype.kind in "biu":
        from convtrace.arrays import max_abs

        bound = max_abs(out) + max_abs(b)
        if bound > INT64_MAX:
            raise ConvtraceValueError(CONV_INT_OVERFLOW, bound=bound, xmax=max_abs(out), wsum=max_abs(b),
                                      max=INT64_MAX)
        return out + b.astype(np.int64).reshape((-1,) + (1,) * (out.ndim - 1))
    dtype = np.result_type(out.dtype, np.float64 if out.dtype.kind != "f" else out.dtype)
    return out.astype(dtype) + b.astype(dtype).reshape((-1,) + (1,) * (out.ndim - 1))


#: Largest |x| for which softmax is shown as the slides write it, exp(x_i) / Σ exp(x_j), unshifted.
SOFTMAX_PLAIN_LIMIT = 80


def softmax_parts(x: np.ndarray) -> tuple[float, np.ndarray, float, np.ndarray]:
    """(shift, exp(x − shift), their sum, the probabilities), from one computation.

    shift is 0 (the slides' exp(x_i) / Σ exp(x_j)) unless the largest value is
    past ±80, where exp would come close to overflowing, or to underflowing
    (exp(−1000) is 0: 0 / 0); then it is the largest value, which changes
    nothing in the result.
    """
    v = np.asarray(x, dtype=np.float64).ravel()
    top = float(np.max(v))
    shift = top if abs(top) > SOFTMAX_PLAIN_LIMIT else 0.0
    exps = np.exp(v - shift)
    total = float(np.sum(exps))
    return shift, exps, total, (exps / total).reshape(np.shape(x))


def _dense_op(layer: Layer, x: np.ndarray):
    w = np.asarray(layer.weights)
    return prepare_conv2d(x.reshape(-1, 1, 1), w.reshape(w.shape[0], w.shape[1], 1, 1))


def _run_layer(nl: NetLayer, x: np.ndarray) -> np.ndarray:
    layer = nl.layer
    kind = layer.kind
    try:
        if kind == "conv":
            x3 = x if x.ndim == 3 else x[None]
            out = prepare_conv2d(x3, layer.weights, _conv_spec(layer)).run()
            return _add_bias(out, layer.bias, layer.where)
        if kind in ("maxpool", "avgpool"):
            return prepare_pool2d(x, spec=_pool_spec(layer)).run()
        if kind == "flatten":
            if layer.option("order") == "hwc" and x.ndim == 3:
                return np.ascontiguousarray(np.transpose(x, (1, 2, 0))).ravel()
            return np.ravel(x)
        if kind == "dense":
            out = _dense_op(layer, x).run().reshape(-1)
            return _add_bias(out, layer.bias, layer.where)
        if kind == "relu":
            return activations.relu(x)
        if kind == "leaky_relu":
            return activations.leaky_relu(x, float(layer.option("slope")))
        if kind == "sigmoid":
            return activations.sigmoid(x)
        if kind == "tanh":
            return activations.tanh(x)
        if kind == "softmax":
            return softmax_parts(x)[3]
    except ConvtraceError as err:
        raise LocatedError(NET_LAYER_FAILED, err, where=layer.where, index=nl.index, layer=nl.name) from None
    raise AssertionError(kind)  # pragma: no cover


def _cell(cell, shape, ref) -> tuple[int, ...]:
    if cell is None:
        return (0,) * len(shape)
    idx = tuple(int(v) for v in cell)
    if len(shape) == 3 and len(idx) == 2:
        idx = (0,) + idx
    if len(idx) != len(shape) or not all(0 <= v < n for v, n in zip(idx, shape, strict=True)):
        raise ConvtraceValueError(NET_TRACE_CELL, value=f"{ref}:{','.join(str(v) for v in cell)}", layer=ref,
                                  shape=_shape_text(shape))
    return idx


def _trace_layer(nl: NetLayer, x: np.ndarray, output: np.ndarray, idx: tuple[int, ...]):
    layer = nl.layer
    kind = layer.kind
    if kind == "conv":
        x3 = x if x.ndim == 3 else x[None]
        trace = prepare_conv2d(x3, layer.weights, _conv_spec(layer)).trace(cells=[idx])
        if layer.bias is None:
            return trace
        b = np.asarray(layer.bias)
        results = _add_bias(trace.results, b[trace.cells[:, 0]], layer.where)
        return dataclasses.replace(trace, bias=b, results=results, output=output, output_origin=(0, 0))
    if kind in ("maxpool", "avgpool"):
        return prepare_pool2d(x, spec=_pool_spec(layer)).trace(cells=[idx])
    if kind == "dense":
        unit = idx[0]
        trace: ConvTrace = _dense_op(layer, x).trace(cells=[(unit, 0, 0)])
        bias = None if layer.bias is None else np.asarray(layer.bias)[unit].item()
        return DenseTrace(unit=unit, inputs=np.asarray(x).ravel(), weights=np.asarray(layer.weights)[unit],
                          products=trace.products[0].reshape(-1), total=trace.totals[0].item(), bias=bias,
                          result=output[unit].item())
    if kind == "softmax":
        shift, exps, total, out = softmax_parts(x)
        return SoftmaxTrace(index=int(np.ravel_multi_index(idx, output.shape)), values=np.asarray(x).ravel(),
                            shift=shift, exps=exps, total=total, output=np.asarray(out).ravel())
    if kind == "flatten":
        order = layer.option("order")
        shape = x.shape
        if order == "hwc" and x.ndim == 3:
            h, w, c = np.unravel_index(idx[0], (shape[1], shape[2], shape[0]))
            source = (int(c), int(h), int(w))
        else:
            source = tuple(int(v) for v in np.unravel_index(idx[0], shape))
        return FlattenTrace(index=idx[0], source=source, value=x[source].item(), order=order, input_shape=shape)
    formula = FORMULAS[kind].format(slope=layer.option("slope")) if kind == "leaky_relu" else FORMULAS[kind]
    return ElementTrace(kind=kind, index=idx, value=x[idx].item(), result=output[idx].item(), formula=formula)


__all__ = ["ConvTrace", "DenseTrace", "ElementTrace", "FlattenTrace", "Layer", "LAYER_OPTIONS", "NetLayer",
           "Network", "PoolTrace", "SoftmaxTrace", "build_network", "softmax_parts"]
