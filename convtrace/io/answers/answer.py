"""What reading a student's answer gives: :class:`Answer` and the :class:`AnswerNote` readings it records.

Kept apart from the readers so every reader (plain rows, brackets, LaTeX) and
the code that chooses among them can build notes without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from convtrace.messages import translate


@dataclass(frozen=True)
class AnswerNote:
    """A reading the answer reader took: a message key of :mod:`convtrace.messages.answers` and its fields."""

    key: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return translate(self.key, lang, **self.params)


@dataclass
class Answer:
    """A student's answer as read: values (NaN where blank), where the blanks are, and how it was read."""

    values: np.ndarray                   # float64, NaN where blank
    blanks: np.ndarray | None            # bool, True where blank; None when no cell is blank
    source: str
    notes: list[AnswerNote] = field(default_factory=list)
    #: Other readings of the same text a grader may prefer when they fit the exercise better
    #: (``1.200`` as 1200, a thousands separator), each with the note that says so.
    alternatives: list[Answer] = field(default_factory=list)
    #: Whether this is one of several readings of a row's commas or signs (``1,5,2`` as 1.5 and 2, or
    #: 1 and 5.2): where another makes as many cells right, the grader says so.
    regrouped: bool = False

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.values.shape)

    def note_messages(self, lang: str = "en") -> list[str]:
        return [note.message(lang) for note in self.notes]
