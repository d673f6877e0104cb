"""Grades as documents: one answer's JSON and Markdown (class reports: :mod:`convtrace.render.reports`)."""

from __future__ import annotations

import numpy as np

from convtrace.grading import Diagnosis, describe
from convtrace.messages import translate
from convtrace.messages.grading import CHECK_EXPECTED, CHECK_TITLE, CHECK_WORKING
from convtrace.render.export import json_number, md_matrix, nested_list, plain_value, to_json
from convtrace.render.views import working_text


def diagnosis_document(d, lang: str) -> dict:
    """One diagnosis in the autograder contract: ``mistake`` (a stable id), ``cells``, ``message``;
    ``key``/``params`` (the message key and its values) as extras, and ``options`` for a wrong shape."""
    doc = {"mistake": d.mistake, "cells": [list(cell) for cell in d.cells], "message": describe(d, lang),
           "key": d.key, "params": plain_value(d.params)}
    if d.mistake == "shape" and "options" in d.params:
        doc["options"] = [[Diagnosis(m["key"]).mistake for m in option] for option in d.params["options"]]
    return doc


def grade_document(grade, source: str, lang: str) -> dict:
    """One graded answer as JSON-ready data (the autograder contract, documented in the README).

    ``correct`` is true/false per cell, ``null`` for a cell left blank; ``diagnoses`` is a list of
    :func:`diagnosis_document`, the named mistakes first, then the cells they leave over (``slip``,
    ``window_shift``), or a single ``unexplained``."""
    flat = [None if missing else json_number(value)
            for value, missing in zip(grade.answer.ravel().tolist(), grade.missing.ravel().tolist(), strict=True)]
    answer = np.array(flat, dtype=object).reshape(grade.answer.shape).tolist()
    if grade.shape_ok:
        marks = [None if missing else bool(ok)
                 for ok, missing in zip(grade.correct.ravel().tolist(), grade.missing.ravel().tolist(), strict=True)]
        correct = np.array(marks, dtype=object).reshape(grade.correct.shape).tolist()
    else:
        correct = grade.correct.tolist()
    return {
        "answer_source": source,
        "score": {"correct": grade.n_correct, "wrong": grade.n_wrong, "missing": grade.n_missing,
                  "total": grade.n_cells},
        "all_correct": grade.all_correct,
        "shape_ok": grade.shape_ok,
        "expected": nested_list(grade.expected),
        "answer": answer,
        "correct": correct,
        "diagnoses": [diagnosis_document(d, lang) for d in grade.diagnoses],
    }


def grade_json(grade, source: str, lang: str) -> str:
    return to_json(grade_document(grade, source, lang))


def grade_markdown(grade, source: str, lang: str, precision: int, score_line: str) -> str:
    parts = [f"## {translate(CHECK_TITLE, lang, source=source)}", "", f"**{score_line}**", "",
             f"{translate(CHECK_EXPECTED, lang)}:", "", md_matrix(grade.expected, precision), ""]
    parts += [f"- {describe(d, lang)}" for d in grade.diagnoses]
    if grade.working is not None:
        parts += ["", f"{translate(CHECK_WORKING, lang)}:", ""]
        parts += [f"- `{list(cell)}`: {working_text(grade.working, n, precision)}"
                  for n, cell in enumerate(grade.working_cells)]
    return "\n".join(parts) + "\n"
