"""Grading a class's folder for ``convtrace check``: one row per file, and the report written from the rows.

The answers folder (:func:`folder_entries`: every file has its entry, graded or saying why not),
per-student keys (:class:`KeyFolder`), one file graded into a row (:func:`grade_row`: one file
never stops a class) and the report files (:func:`write_report`).  How one answer is read and
scored (:class:`Policy`, :func:`grade_source`) lives here too, since a class grades each file as a
single check does; :mod:`convtrace.cli.check` holds the command itself.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.messages import translate
from convtrace.messages.grading import (
    CHECK_NEEDS_ANSWER,
    CHECK_NO_ANSWERS,
)
from convtrace.messages.options import ANSWER_FAILED
from convtrace.messages.parsing import NO_SUCH_FILE
from convtrace.messages.reports import (
    ANSWERS_IS_A_FILE,
    REPORT_BAD_KEY,
    REPORT_EMPTY,
    REPORT_KEYDIR_EMPTY,
    REPORT_NO_KEY,
    REPORT_NOT_ANSWER_TYPE,
    REPORT_UNREADABLE,
)

#: Files in an answers folder that are read as answers.  Every other file of the folder gets a row saying
#: it is not an answer file type; hidden files (a name starting with '.') and folders are passed over.
ANSWER_SUFFIXES = (".txt", ".csv", ".json", ".npy", ".tsv", ".dat")


@dataclass(frozen=True)
class Policy:
    """How answers are scored: see :mod:`convtrace.scores`."""

    tol: float = 0.005
    points: float | None = None
    shape_credit: str = "none"
    decimal_comma: bool | None = None     # None: settled by the expected shape and the language
    lang: str = "en"


def _reason(message: str, lang: str, /, **params) -> str:
    from convtrace.cli.common import one_line

    return one_line(translate(message, lang, **params))


def read_source(exercise, source: str, policy: Policy):
    """One answer as students write it (decimal commas, LaTeX, MATLAB, NumPy, spreadsheets…)."""
    from convtrace.io.answers import read_answer

    return read_answer(source, expected_shape=exercise.expected().shape, decimal_comma=policy.decimal_comma,
                       lang=policy.lang)


def grade_source(exercise, source: str, policy: Policy, *, notes: list | None = None):
    """Read one answer (a file, '-', or inline) and grade it; readings taken go to ``notes``."""
    from convtrace.grading import grade
    from convtrace.grading.grades import cells_right
    from convtrace.io.answers import best_reading

    answer = read_source(exercise, source, policy)
    if answer.alternatives:  # 1.200 as 1200, 1,5,2 as 1.5 2: taken only where more cells are then right
        expected = exercise.expected()
        answer = best_reading(answer, lambda reading: cells_right(exercise, reading.values, reading.blanks,
                                                                  policy.tol, expected=expected))
    result = grade(exercise, answer.values, answer.blanks, policy.tol)
    if notes is not None:
        notes.extend(answer.note_messages(policy.lang))
    return result


def scored(grade, policy: Policy):
    from convtrace.scores import score

    return score(grade, points=policy.points, shape_credit=policy.shape_credit)


# ----------------------------------------------------------------------------- the class's folder


def folder_entries(folder: Path, lang: str) -> list[tuple[str, object]]:
    """(path, None) for each file of ``folder`` to grade, (path, Row) for each one that cannot be, saying why.

    Every file has its entry, sorted by name; hidden files and folders are passed over.
    """
    from convtrace.cli.common import one_line, os_error_message
    from convtrace.scores import EMPTY, NOT_ANSWER, UNREADABLE, Row

    entries: list[tuple[str, object]] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith("."):
            continue
        name = one_line(path.name)
        try:
            if path.is_dir():
                continue
            size = path.stat().st_size
        except OSError as err:
            entries.append((str(path), Row(name, UNREADABLE, reason=_reason(
                REPORT_UNREADABLE, lang, reason=os_error_message(err, lang)))))
            continue
        if path.suffix.lower() not in ANSWER_SUFFIXES:
            entries.append((str(path), Row(name, NOT_ANSWER, reason=_reason(
                REPORT_NOT_ANSWER_TYPE, lang, suffix=path.suffix.lower() or path.name,
                types=" ".join(ANSWER_SUFFIXES)))))
        elif size == 0:
            entries.append((str(path), Row(name, EMPTY, reason=_reason(REPORT_EMPTY, lang))))
        else:
            entries.append((str(path), None))
    return entries


def answer_entries(answer: list[str] | None, answers: Path | None, lang: str) -> list[tuple[str, object]]:
    entries: list[tuple[str, object]] = [(source, None) for source in answer or []]
    if answers is not None:
        if answers.is_file():
            raise ConvtraceValueError(ANSWERS_IS_A_FILE, where=str(answers))
        if not answers.is_dir():
            raise ConvtraceValueError(NO_SUCH_FILE, where=str(answers))
        found = folder_entries(answers, lang)
        if not found:
            raise ConvtraceValueError(CHECK_NO_ANSWERS, where=str(answers))
        entries += found
    if not entries:
        raise ConvtraceValueError(CHECK_NEEDS_ANSWER)
    return entries


def answer_sources(answer: list[str] | None, answers: Path | None) -> list[str]:
    """The answer files to grade (those of ``answers`` with an answer suffix, then ``answer``'s)."""
    return [source for source, row in answer_entries(answer, answers, "en") if row is None]


def _folded(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


class KeyFolder:
    """Per-student answer keys, as ``convtrace quiz --students`` writes them: ``key-SLUG.json``.

    An answer file finds its key by its name without suffix: the student's name as the roster wrote it
    (through ``roster.json``), the key's own slug, or the slug of the name (``Ana García.txt`` and
    ``ana-garcia.txt`` both find ``key-ana-garcia.json``).
    """

    def __init__(self, folder: Path):
        import json

        from convtrace.io.readers import read_text_file

        self.folder = folder
        self.keys = {p.name for p in folder.glob("key-*.json") if p.is_file()}
        if not self.keys:
            raise ConvtraceValueError(REPORT_KEYDIR_EMPTY, where=str(folder))
        self.by_name: dict[str, str] = {}
        index = folder / "roster.json"
        if index.is_file():
            try:
                doc = json.loads(read_text_file(index))
                for student in doc.get("students", []):
                    self.by_name.setdefault(_folded(str(student["name"])), str(student["key"]))
            except (ValueError, TypeError, KeyError, AttributeError, ConvtraceError):
                self.by_name = {}  # a damaged index: slugs still find the keys
        self.cache: dict[str, object] = {}

    def key_name(self, source: str) -> str:
        from convtrace.quiz import slugify

        stem = Path(source).stem
        for candidate in (self.by_name.get(_folded(stem)), f"key-{stem}.json", f"key-{slugify(stem)}.json"):
            if candidate in self.keys:
                return candidate
        return f"key-{slugify(stem)}.json"

    def exercise(self, source: str):
        """The exercise of the student who wrote ``source``, or None when there is no key for them."""
        from convtrace.io.keys import read_key

        name = self.key_name(source)
        if name not in self.keys:
            return None
        if name not in self.cache:
            try:
                exercise = read_key(self.folder / name)
                exercise.expected()
                self.cache[name] = exercise
            except ConvtraceError as err:
                self.cache[name] = err
        return self.cache[name]


def grade_row(exercise, source: str, policy: Policy, lang: str):
    """One answer file as a class row: graded, or why not; one file never stops a class.

    ``exercise`` is the exercise, a :class:`KeyFolder` (each student's own key), or a
    :class:`ConvtraceError` (the key could not be used).
    """
    from convtrace.cli.common import one_line, os_error_message
    from convtrace.scores import GRADED, NO_KEY, UNREADABLE, Row

    name = one_line(Path(source).name)
    if isinstance(exercise, KeyFolder):
        keys = exercise
        exercise = keys.exercise(source)
        if exercise is None:
            return Row(name, NO_KEY, reason=_reason(REPORT_NO_KEY, lang, key=keys.key_name(source),
                                                    where=str(keys.folder)))
        if isinstance(exercise, ConvtraceError):
            return Row(name, NO_KEY, reason=_reason(REPORT_BAD_KEY, lang, reason=exercise.message(lang)))
    try:
        grade = grade_source(exercise, source, policy)
        return Row(name, GRADED, grade=grade, score=scored(grade, policy))
    except ConvtraceError as err:
        reason = err.message(lang)
    except OSError as err:
        reason = os_error_message(err, lang)
    except (ValueError, TypeError, UnicodeError, EOFError, OverflowError, MemoryError) as err:
        # A reader's slip on a strange file: the row says so and the rest of the class is graded.
        reason = translate(ANSWER_FAILED, lang, error=f"{type(err).__name__}: {err}")
    return Row(name, UNREADABLE, reason=_reason(REPORT_UNREADABLE, lang, reason=one_line(reason)))


# ----------------------------------------------------------------------------- report files


def write_single_report(report: Path, form: str, grade, score, source: str, lang: str, force: bool) -> None:
    """One answer's report: its results.json (gradescope), its JSON document, or a one-row class report."""
    from convtrace.cli.common import one_line
    from convtrace.scores import GRADED, Row

    row = Row(one_line(Path(source).name) if Path(source).is_file() else one_line(source), GRADED, grade, score)
    write_report(report, form, [row], lang, force, grade=grade, score=score, source=source)


def write_report(report: Path, form: str, rows, lang: str, force: bool, *, grade=None, score=None,
                 source: str = "") -> None:
    from convtrace.cli.common import say
    from convtrace.io.writers import write_atomic
    from convtrace.messages.options import WROTE_FILE
    from convtrace.render import reports

    if form == "xlsx":
        data = reports.class_xlsx(rows, lang)
    elif form == "gradescope":
        data = reports.gradescope_json(grade, source, lang, score).encode("utf-8")
    elif form == "json":
        text = reports.scored_json(grade, source, lang, score) if grade is not None else reports.class_json(rows, lang)
        data = text.encode("utf-8")
    else:
        data = reports.class_csv(rows, lang, form).encode("utf-8")
    write_atomic(report, data, overwrite=force)
    say(translate(WROTE_FILE, lang, where=report))
