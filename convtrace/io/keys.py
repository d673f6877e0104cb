"""Reading answer keys: the JSON files ``convtrace quiz`` writes and ``convtrace check --key`` reads."""

from __future__ import annotations

import json
from pathlib import Path

from convtrace.errors import ConvtraceValueError
from convtrace.grading import Exercise
from convtrace.io.readers import read_text_file
from convtrace.messages.grading import BAD_KEY
from convtrace.messages.parsing import NO_SUCH_FILE


def read_key(path: Path) -> Exercise:
    """The exercise an answer-key file describes (a list of one key is accepted too)."""
    if not Path(path).exists():
        raise ConvtraceValueError(NO_SUCH_FILE, where=str(path))
    text = read_text_file(path)  # its own errors (permission denied …) are not "not a key"
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):  # bad JSON, nesting past the stack, a 5000-digit integer
        raise ConvtraceValueError(BAD_KEY, where=str(path)) from None
    if isinstance(doc, list) and len(doc) == 1:
        doc = doc[0]
    if not isinstance(doc, dict):
        raise ConvtraceValueError(BAD_KEY, where=str(path))
    return Exercise.from_dict(doc, str(path))
