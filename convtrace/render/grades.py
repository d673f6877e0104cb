"""Grades as documents: one answer's JSON, a class's JSON and CSV report, and Markdown."""

from __future__ import annotations

import csv
import io
import json

import numpy as np

from convtrace.grading import describe
from convtrace.messages import translate
from convtrace.messages.grading import CHECK_EXPECTED, CHECK_TITLE
from convtrace.render.export import json_number, md_matrix, nested_list, plain_value


def grade_document(grade, source: str, lang: str) -> dict:
    """One graded answer as JSON-ready data (the autograder contract)."""
    flat = [None if missing else json_number(value)
            for value, missing in zip(grade.answer.ravel().tolist(), grade.missing.ravel().tolist(), strict=True)]
    answer = np.array(flat, dtype=object).reshape(grade.answer.shape).tolist()
    return {
        "answer_source": source,
        "score": {"correct": grade.n_correct, "wrong": grade.n_wrong, "missing": grade.n_missing,
                  "total": grade.n_cells},
        "all_correct": grade.all_correct,
        "shape_ok": grade.shape_ok,
        "expected": nested_list(grade.expected),
        "answer": answer,
        "correct": grade.correct.tolist(),
        "diagnoses": [{"key": d.key, "params": plain_value(d.params), "message": describe(d, lang)}
                      for d in grade.diagnoses],
    }


def grade_json(grade, source: str, lang: str) -> str:
    return json.dumps(grade_document(grade, source, lang), ensure_ascii=False, indent=2) + "\n"


def grade_markdown(grade, source: str, lang: str, precision: int, score_line: str) -> str:
    parts = [f"## {translate(CHECK_TITLE, lang, source=source)}", "", f"**{score_line}**", "",
             f"{translate(CHECK_EXPECTED, lang)}:", "", md_matrix(grade.expected, precision), ""]
    parts += [f"- {describe(d, lang)}" for d in grade.diagnoses]
    return "\n".join(parts) + "\n"


def class_json(rows, lang: str) -> str:
    """``rows``: (file name, Grade or None, error message or None) per answer file."""
    docs = [{"file": name, "error": error} if error is not None else {"file": name, **grade_document(grade, name, lang)}
            for name, grade, error in rows]
    return json.dumps(docs, ensure_ascii=False, indent=2) + "\n"


def class_csv(rows, lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["file", "correct", "wrong", "missing", "total", "all_correct", "diagnosis"])
    for name, grade, error in rows:
        if error is not None:
            writer.writerow([name, "", "", "", "", "", error])
        else:
            writer.writerow([name, grade.n_correct, grade.n_wrong, grade.n_missing, grade.n_cells,
                             grade.all_correct, "; ".join(describe(d, lang) for d in grade.diagnoses)])
    return out.getvalue()
