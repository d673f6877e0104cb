"""English and Spanish text for every message convtrace prints or raises.

Spanish follows the course slides' terms: filtro/kernel, relleno (padding),
paso (stride), dilatación, mapa de características.

Each domain module (:mod:`~convtrace.messages.arrays`, ``params``, ``parsing``,
``grading``, ``batch``, ``options``, ``views``, ``catalog``, ``help``) defines its
keys as constants (``BAD_PADDING = "bad_padding"``) and its entries; they are
merged here into :data:`MESSAGES`, and a key defined twice fails at import.

Singular and plural: a field written ``{n:plural:ONE|OTHER}`` prints ONE when
``n`` is 1 (or -1) and OTHER otherwise, e.g. ``"{n} {n:plural:value|values}"``.
Both languages use this rule, so Spanish agreement (``{n:plural:incorrecta|incorrectas}``)
is written out in its own template.

This package imports nothing heavy (no NumPy): ``convtrace --help`` uses it.
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping

from convtrace.messages import (
    answers,
    arrays,
    batch,
    catalog,
    grading,
    help,
    network,
    options,
    page,
    params,
    parsing,
    pictures,
    reports,
    views,
)

LANGS = ("en", "es")

#: The domain modules, in the order their entries are merged.
DOMAINS = (arrays, params, parsing, options, grading, batch, views, catalog, help, answers, reports, network, page,
           pictures)

PLURAL = "plural:"


def _merge(domains) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for module in domains:
        for key, entry in module.MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} is defined twice (again in {module.__name__})")
            merged[key] = entry
    return merged


MESSAGES: dict[str, dict[str, str]] = _merge(DOMAINS)


class Term(str):
    """A message key used as a parameter: translated along with its message, with its own ``params``
    (``Term(KERNEL_EXTENT_DILATED, size="3×3", …)``) if it has any."""

    def __new__(cls, key: str, **params: object):
        term = super().__new__(cls, key)
        term.params = params
        return term


class _Formatter(string.Formatter):
    """``str.format`` plus ``{n:plural:ONE|OTHER}``."""

    def format_field(self, value, format_spec: str):
        if format_spec.startswith(PLURAL):
            one, other = format_spec[len(PLURAL):].split("|")
            return one if abs(value) == 1 else other
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def translate(key: str, lang: str = "en", /, **params: object) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in (English if ``lang`` is unknown).

    Raises KeyError for a key that has no entry: a missing message is a bug.
    """
    entry = MESSAGES.get(key)
    if entry is None:
        raise KeyError(f"no message {key!r}")
    template = entry.get(lang) or entry["en"]
    params = {k: translate(v, lang, **getattr(v, "params", {})) if isinstance(v, Term) else v
              for k, v in params.items()}
    return _FORMATTER.format(template, **params)


def detect_lang(environ: Mapping[str, str] | None = None) -> str:
    """'es' when LC_ALL, LC_MESSAGES or LANG asks for Spanish, else 'en'."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "es" if value.lower().startswith("es") else "en"
    return "en"
