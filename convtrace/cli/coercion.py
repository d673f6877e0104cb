"""Option values converted without a Pydantic validator per option, when they are plain.

Typer converts each parameter's value through a Pydantic ``TypeAdapter`` it builds on first use,
so a command that computes would pay for importing Pydantic and building one adapter per option
(about 0.1–0.2 s, more than the Numba cache load), though what a command line gives here is a
string, a whole number, a number, a choice, a path or a list of those.  :func:`install` gives every
parameter a converter that takes those plain values the way Typer's adapters do, and hands
anything else (a value it is not sure of, and every error) to Typer's own converter: results and
error messages stay Typer's.  ``tests/test_startup.py`` holds the two to the same answers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

try:
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path
except ImportError:  # a Typer converting values otherwise: it keeps its own converters (see install_param)
    RuntimeParam = None

#: Not a plain value: Typer's converter decides.
SLOW = object()

_WHOLE = re.compile(r"[0-9]{1,18}")
_DECIMAL = re.compile(r"[0-9]{1,18}(\.[0-9]{1,18})?")


def _in_range(number, info):
    low, high = info.min, info.max
    if (low is not None and number < low) or (high is not None and number > high):
        return SLOW
    return number


def _path_options(info) -> bool:
    """Whether a path option asks for more than Typer's defaults (existence, resolving, '-', a type)."""
    return bool(info.exists or info.resolve_path or info.allow_dash or info.path_type is not None
                or info.writable or not info.file_okay or not info.dir_okay)


def quick_value(annotation, info, value, param=None, ctx=None):
    """``value`` converted as Typer's adapter for ``annotation`` converts it, or :data:`SLOW`."""
    if info.parser is not None or info.clamp:
        return SLOW
    if get_origin(annotation) is list:
        (item_type,) = get_args(annotation)
        if not isinstance(value, (list, tuple)):
            return SLOW
        items = [quick_value(item_type, info, item, param, ctx) for item in value]
        return SLOW if any(item is SLOW for item in items) else items
    kind = type(value)
    if annotation is str:
        return value if kind is str else SLOW
    if annotation is int:
        if kind is str and _WHOLE.fullmatch(value):
            return _in_range(int(value), info)
        return _in_range(value, info) if kind is int else SLOW
    if annotation is float:
        if kind is str and _DECIMAL.fullmatch(value):
            return _in_range(float(value), info)
        return _in_range(value, info) if kind is float and math.isfinite(value) else SLOW
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        try:
            return coerce_cli_choice(value, choices=tuple(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
        except ValueError:
            return SLOW
    if annotation is Path and not _path_options(info) and kind is str and value and "\0" not in value:
        try:
            return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
        except Exception:  # noqa: BLE001 — Typer's converter gives the error
            return SLOW
    return SLOW


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class QuickParam(RuntimeParam):
        """Typer's runtime converter contract: plain values here, the rest by Typer's own (built when needed)."""

        typer_param: dict = field(default_factory=dict, compare=False)

        def _coerce_value(self, value: Any, param, ctx) -> Any:
            quick = quick_value(self.annotation, self.parameter_info, value, param, ctx)
            if quick is not SLOW:
                return quick
            if "built" not in self.typer_param:
                self.typer_param["built"] = build_runtime_param(param.type_descriptor)
            return self.typer_param["built"]._coerce_value(value, param=param, ctx=ctx)


def install_param(param) -> None:
    """Give ``param`` the quick converter, unless Typer has built its own already (a Typer without
    this lazily built slot keeps its own converters)."""
    desc = getattr(param, "type_descriptor", None)
    if RuntimeParam is None or desc is None or getattr(desc, "file_annotation", None) is not None \
            or vars(param).get("_runtime_param", False) is not None:
        return
    try:
        param._runtime_param = QuickParam(parameter_info=desc.parameter_info, annotation=desc.annotation)
    except (TypeError, AttributeError):  # a Typer whose converter takes other fields: it keeps its own
        return


def install(command) -> None:
    """The quick converter for every parameter of ``command`` and of its subcommands."""
    for param in getattr(command, "params", []):
        install_param(param)
    for sub in getattr(command, "commands", {}).values():
        install(sub)
