"""Forward passes as exercises: a pipeline's spec, its checked run and the working of its cells.

A pipeline exercise asks for the output of several layers (:mod:`convtrace.network`) run one after
the other; this module holds what :class:`~convtrace.grading.Exercise` needs to write it in an answer
key, run it and show the chain of layer traces behind a cell.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np

from convtrace.arrays import WHAT_INPUT, WHAT_KERNEL, as_numeric_array
from convtrace.errors import ConvtraceValueError
from convtrace.messages.grading import BAD_KEY_FIELD
from convtrace.messages.parsing import KEY_UNKNOWN_FIELD

#: The operation name an answer key gives a forward pass through several layers.
PIPELINE_OP = "pipeline"


@dataclass(frozen=True, eq=False)
class PipelineSpec:
    """A forward pass: layers (:class:`convtrace.network.Layer`, weights in place) run one after the other.

    Its JSON form (an answer key's ``params``) is ``{"layers": [{"type": "conv", "padding": 1,
    "weights": [[…]], "bias": [1]}, {"type": "relu"}, {"type": "maxpool", "size": 2}, …]}``: each layer
    as a line of a ``convtrace net`` spec file, the weights written out.  A changed layer (how a mistake is
    described) is ``spec.varied(**{"2.drop": True})``: ``N.drop`` leaves layer N out, ``N.bias`` None drops
    its bias, ``N.weights`` ``"rotate"``/``"transpose"`` alters its kernel, ``N.kind`` swaps max/avg pooling,
    and ``N.OPTION`` sets one of its options.
    """

    kind: ClassVar[str] = PIPELINE_OP

    layers: tuple

    def to_dict(self) -> dict:
        out = []
        for layer in self.layers:
            doc: dict[str, Any] = {"type": layer.kind}
            for name, value in layer.options.items():
                if name in ("weights", "bias", "kernel") or value is None:
                    continue
                doc[name] = list(value) if isinstance(value, tuple) else value
            if layer.weights is not None:
                doc["weights"] = np.asarray(layer.weights).tolist()
            if layer.bias is not None:
                doc["bias"] = np.asarray(layer.bias).tolist()
            out.append(doc)
        return {"layers": out}

    @classmethod
    def from_dict(cls, doc: object, where: str = "key") -> PipelineSpec:
        from convtrace.network import LAYER_OPTIONS, Layer

        if not isinstance(doc, dict) or not isinstance(doc.get("layers"), list) or not doc["layers"]:
            raise ConvtraceValueError(BAD_KEY_FIELD, where=where, field="params.layers")
        layers = []
        for n, item in enumerate(doc["layers"], start=1):
            kind = item.get("type") if isinstance(item, dict) else None
            if kind not in LAYER_OPTIONS:
                raise ConvtraceValueError(BAD_KEY_FIELD, where=where, field=f"params.layers[{n}].type")
            known = ("type", *LAYER_OPTIONS[kind])
            for name in item:
                if name not in known or name == "kernel":
                    raise ConvtraceValueError(KEY_UNKNOWN_FIELD, where=where, field=str(name),
                                              part=f" (layer {n}, {kind})", known=", ".join(known))
            options = {k: (tuple(v) if isinstance(v, list) else v) for k, v in item.items()
                       if k not in ("type", "weights", "bias")}
            weights = as_numeric_array(item["weights"], WHAT_KERNEL) if "weights" in item else None
            bias = as_numeric_array(item["bias"], WHAT_KERNEL) if "bias" in item else None
            layers.append(Layer(kind=kind, options=options, weights=weights, bias=bias, where=f"{where}: layer {n}"))
        return cls(tuple(layers))

    def varied(self, **changes) -> PipelineSpec:
        """The same pass with layers changed (see the class docstring); layers left out keep no place."""
        layers = list(self.layers)
        dropped = set()
        for name, value in changes.items():
            index, _, what = name.partition(".")
            n = int(index) - 1
            layer = layers[n]
            if what == "drop":
                dropped.add(n)
            elif what == "bias":
                layer = replace(layer, bias=value)
            elif what == "weights":
                w = np.asarray(layer.weights)
                layer = replace(layer, weights=w[..., ::-1, ::-1] if value == "rotate" else np.swapaxes(w, -1, -2))
            elif what == "kind":
                layer = replace(layer, kind=value)
            else:
                layer = replace(layer, options={**layer.options, what: value})
            layers[n] = layer
        return PipelineSpec(tuple(layer for n, layer in enumerate(layers) if n not in dropped))

    def names(self) -> list[str]:
        """conv1, relu1, maxpool1 … as ``convtrace net`` names them."""
        counts: dict[str, int] = {}
        out = []
        for layer in self.layers:
            counts[layer.kind] = counts.get(layer.kind, 0) + 1
            out.append(f"{layer.kind}{counts[layer.kind]}")
        return out


@dataclass(frozen=True, eq=False)
class PipelineTrace:
    """The working of some output cells of a forward pass: per cell, the chain of layer traces that made it
    (the last layer's, and back through element-wise layers and flatten to the layer that computed it)."""

    operation: Any
    output: np.ndarray
    cells: tuple
    chains: tuple    # per cell: ((layer name, trace), …), first layer first

    def __len__(self) -> int:
        return len(self.cells)

    def step(self, n: int):
        return self.chains[n]


@dataclass(frozen=True, eq=False)
class PipelineRun:
    """A checked forward pass (the ``operation`` of a pipeline exercise)."""

    spec: PipelineSpec
    network: Any
    input: np.ndarray
    squeeze: bool          # a one-map output of a 2-D input is given as a matrix

    def outputs(self) -> list[np.ndarray]:
        return self.network.forward(self.input)

    def run(self) -> np.ndarray:
        out = self.outputs()[-1]
        return out[0] if self.squeeze else out

    def trace(self, cells=None) -> PipelineTrace:
        from convtrace.network import ELEMENTWISE

        out = self.run()
        if cells is None:
            cells = [tuple(int(v) for v in idx) for idx in np.ndindex(*out.shape)]
        chains = []
        for cell in cells:
            idx = tuple(int(v) for v in cell)
            if self.squeeze:
                idx = (0,) + idx
            chain = []
            for nl in reversed(self.network.layers):
                t = self.network.trace(self.input, nl.index, idx)
                chain.insert(0, (nl.name, t))
                if nl.kind in ELEMENTWISE:
                    continue
                if nl.kind == "flatten":
                    idx = t.source if len(t.source) == len(nl.input_shape) else idx
                    continue
                break
            chains.append(tuple(chain))
        return PipelineTrace(self, out, tuple(tuple(int(v) for v in c) for c in cells), tuple(chains))


def _pipeline_run(spec: PipelineSpec, x) -> PipelineRun:
    from convtrace.network import build_network

    arr = as_numeric_array(x, WHAT_INPUT)
    net = build_network(spec.layers, arr.shape, where="pipeline")
    last = net.layers[-1].output_shape
    return PipelineRun(spec, net, arr, squeeze=arr.ndim == 2 and len(last) == 3 and last[0] == 1)
