"""Compatibility: the messages now live in :mod:`convtrace.messages`, one module per domain."""

from __future__ import annotations

from convtrace.messages import LANGS, MESSAGES, Term, detect_lang, translate

__all__ = ["LANGS", "MESSAGES", "Term", "detect_lang", "translate"]
