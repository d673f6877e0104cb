"""What was asked: :class:`Exercise`, and its answer-key form.

An exercise is a spec (convolution, pooling, transposed convolution or a forward pass), an input and,
for (transposed) convolution, a kernel.  ``to_dict``/``from_dict`` are the JSON answer key that
``convtrace check --key`` reads; a malformed key is one clear error.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np

from convtrace.arrays import WHAT_INPUT, WHAT_KERNEL, as_numeric_array
from convtrace.convolution import Conv2d, prepare_conv2d
from convtrace.errors import ConvtraceValueError
from convtrace.grading.pipeline import PIPELINE_OP, PipelineRun, PipelineSpec, _pipeline_run
from convtrace.kernel import Kernel
from convtrace.messages.grading import (
    BAD_KEY,
    BAD_KEY_FIELD,
    EXERCISE_NEEDS_KERNEL,
)
from convtrace.messages.parsing import BAD_SCALE, KEY_UNKNOWN_FIELD, SCALE_OUT_OF_RANGE
from convtrace.pooling import Pool2d, prepare_pool2d
from convtrace.spec import ConvSpec, Spec, spec_from_dict
from convtrace.transpose import ConvTranspose2d, TConvSpec, prepare_conv_transpose2d

#: Version of the answer-key format ``Exercise.to_dict`` writes (version 1 keys are still read).
KEY_FORMAT = 2

#: The operation name an answer key gives a transposed convolution.
TCONV_OP = "conv_transpose2d"


def _op_name(spec) -> str:
    return TCONV_OP if isinstance(spec, TConvSpec) else spec.kind


def _tconv_spec(params: object, where: str) -> TConvSpec:
    import dataclasses

    if not isinstance(params, dict):
        raise ConvtraceValueError(BAD_KEY_FIELD, where=where, field="params")
    names = [f.name for f in dataclasses.fields(TConvSpec)]
    for name in params:
        if name not in names:
            raise ConvtraceValueError(KEY_UNKNOWN_FIELD, where=where, field=str(name), part=" ('params')",
                                      known=", ".join(names))
    return TConvSpec(**{k: tuple(v) if isinstance(v, list) else v for k, v in params.items()})


def _as_conv_exercise(ex: Exercise, how: str) -> Exercise:
    """What a student who did a plain convolution of a transposed-convolution exercise computed."""
    spec = ex.spec
    if how == "same":
        conv = ConvSpec(padding=spec.padding, stride=spec.stride, dilation=spec.dilation)
    else:
        conv = ConvSpec(padding=how)
    return Exercise(conv, ex.input, ex.kernel)



@dataclass(frozen=True, eq=False)
class Exercise:
    """What was asked: a spec (:class:`ConvSpec`, :class:`PoolSpec`, :class:`~convtrace.transpose.TConvSpec`
    or :class:`PipelineSpec`), the input and, for (transposed) convolution, the kernel."""

    spec: Spec | TConvSpec | PipelineSpec
    input: np.ndarray
    kernel: Kernel | None = None

    def __post_init__(self) -> None:
        if isinstance(self.spec, (ConvSpec, TConvSpec)) and self.kernel is None:
            raise ConvtraceValueError(EXERCISE_NEEDS_KERNEL)

    @property
    def is_conv(self) -> bool:
        return isinstance(self.spec, ConvSpec)

    @property
    def is_tconv(self) -> bool:
        return isinstance(self.spec, TConvSpec)

    @property
    def is_pipeline(self) -> bool:
        return isinstance(self.spec, PipelineSpec)

    def operation(self) -> Conv2d | Pool2d | ConvTranspose2d | PipelineRun:
        """The checked operation the exercise asks for."""
        if isinstance(self.spec, ConvSpec):
            return prepare_conv2d(self.input, self.kernel, self.spec)
        if isinstance(self.spec, TConvSpec):
            k = self.kernel
            weights = k.weights if k.scale == 1 else k.weights * float(k.scale)
            return prepare_conv_transpose2d(self.input, weights, self.spec)
        if isinstance(self.spec, PipelineSpec):
            return _pipeline_run(self.spec, self.input)
        return prepare_pool2d(self.input, spec=self.spec)

    def expected(self) -> np.ndarray:
        return self.operation().run()

    def varied(self, **changes) -> Exercise:
        """The same exercise with some settings changed: how a mistake is described.

        For a transposed convolution, ``as_conv="same"`` (the same stride, padding and dilation) or
        ``as_conv="valid"``/``"full"`` gives the plain convolution a student may have done instead."""
        if isinstance(self.spec, PipelineSpec):
            return replace(self, spec=self.spec.varied(**changes))
        if isinstance(self.spec, TConvSpec) and "as_conv" in changes:
            if len(changes) > 1:
                raise ConvtraceValueError(EXERCISE_NEEDS_KERNEL)  # no mixing: the variant does not exist
            return _as_conv_exercise(self, changes["as_conv"])
        return replace(self, spec=replace(self.spec, **changes))

    def to_dict(self) -> dict:
        """The exercise as JSON-ready data: what ``convtrace check --key`` reads."""
        doc: dict[str, Any] = {"convtrace_key": KEY_FORMAT, "op": _op_name(self.spec), "input": self.input.tolist(),
                               "params": self.spec.to_dict()}
        if self.kernel is not None:
            doc["kernel"] = {"name": self.kernel.name, "weights": self.kernel.weights.tolist(),
                             "scale": str(self.kernel.scale)}
        return doc

    @classmethod
    def from_dict(cls, doc: object, source: str = "key") -> Exercise:
        """An exercise from an answer key (format 1 or 2); anything malformed is one clear error."""
        if not isinstance(doc, dict) or doc.get("convtrace_key") not in (1, KEY_FORMAT):
            raise ConvtraceValueError(BAD_KEY, where=source)
        for name in ("op", "input", "params"):
            if name not in doc:
                raise ConvtraceValueError(BAD_KEY_FIELD, where=source, field=name)
        # The fields a key may have, at the top and in its "kernel": any other is a clear error.
        known_fields = {"": ("convtrace_key", "op", "input", "params", "kernel", "seed", "expected"),
                        " ('kernel')": ("name", "weights", "scale")}

        def check_fields(part: str, fields: dict) -> None:
            for name in fields:
                if name not in known_fields[part]:
                    raise ConvtraceValueError(KEY_UNKNOWN_FIELD, where=source, field=str(name), part=part,
                                              known=", ".join(known_fields[part]))

        check_fields("", doc)
        if doc["op"] == TCONV_OP:
            spec = _tconv_spec(doc["params"], source)
        elif doc["op"] == PIPELINE_OP:
            spec = PipelineSpec.from_dict(doc["params"], source)
        else:
            spec = spec_from_dict(doc["op"], doc["params"], source)
        kernel = None
        if isinstance(spec, (ConvSpec, TConvSpec)):
            k = doc.get("kernel")
            if not isinstance(k, dict) or "weights" not in k:
                raise ConvtraceValueError(BAD_KEY_FIELD, where=source, field="kernel")
            check_fields(" ('kernel')", k)
            try:
                scale = Fraction(str(k.get("scale", "1")).replace(" ", ""))
            except (ValueError, ZeroDivisionError):
                raise ConvtraceValueError(BAD_SCALE, where=source, value=k.get("scale")) from None
            try:
                finite = scale == 0 or 0 < abs(float(scale)) < float("inf")
            except OverflowError:
                finite = False
            if not finite:
                raise ConvtraceValueError(SCALE_OUT_OF_RANGE, where=source, value=k.get("scale"))
            kernel = Kernel(name=str(k.get("name", "kernel")),
                            weights=as_numeric_array(k["weights"], WHAT_KERNEL), scale=scale)
        return cls(spec=spec, input=as_numeric_array(doc["input"], WHAT_INPUT), kernel=kernel)
