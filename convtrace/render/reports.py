"""Class documents: JSON, CSV (plain or for Spanish spreadsheets), a minimal .xlsx, and Gradescope's results.json.

Report columns (CSV and xlsx, one row per file of the folder, in this order): ``file``, ``status``
(graded, not_answer, unreadable, empty, no_key), ``correct``, ``wrong``, ``missing``, ``total``,
``credit`` (right cells / total, 4 decimals), ``grade`` (points out of ``--points``, 2 decimals or a
whole number; the credit when no scale was given), ``out_of``, ``all_correct``, ``mistakes`` (the
diagnoses' ids, space-separated), ``diagnosis`` (every diagnosis, or the reason a file was not graded).

``csv`` is comma-separated UTF-8 with a decimal point; ``csv-es`` is what a Spanish-locale
spreadsheet opens directly: ``;`` between fields, a UTF-8 byte-order mark and a decimal comma.
"""

from __future__ import annotations

import csv
import io
import zipfile
from xml.sax.saxutils import escape

from convtrace.grading import describe
from convtrace.messages import translate
from convtrace.messages.grading import CHECK_SCORE
from convtrace.messages.reports import (
    REPORT_GRADESCOPE_TEST,
    REPORT_OVERLAP_NOTE,
    SUMMARY_CELL_LINE,
    SUMMARY_CELLS,
    SUMMARY_MISTAKE_LINE,
    SUMMARY_MISTAKES,
    SUMMARY_NO_MISTAKES,
    SUMMARY_POINTS,
    SUMMARY_SCORES,
    SUMMARY_TITLE,
)
from convtrace.render.export import to_json
from convtrace.render.grades import grade_document
from convtrace.scores import class_summary, format_number, mistake_id, whole_or_float

#: The report formats: ``--report-format``.
REPORT_FORMATS = ("csv", "csv-es", "xlsx", "json", "gradescope")

COLUMNS = ("file", "status", "correct", "wrong", "missing", "total", "credit", "grade", "out_of",
           "all_correct", "mistakes", "diagnosis")

BOM = "\ufeff"


def diagnosis_lines(grade, lang: str) -> list[str]:
    """Every diagnosis of ``grade`` as a sentence (all of them, not only the first)."""
    return [describe(d, lang) for d in grade.diagnoses]


def scored_document(grade, source: str, lang: str, score) -> dict:
    """One answer's JSON document with its score's credit, points and policy added to ``score``."""
    doc = grade_document(grade, source, lang)
    doc["score"] = {**doc.get("score", {}), **score.as_dict()}
    return doc


def scored_json(grade, source: str, lang: str, score) -> str:
    return to_json(scored_document(grade, source, lang, score))


def row_document(row, lang: str) -> dict:
    doc = {"file": row.file, "status": row.status}
    if row.graded:
        return {**doc, **scored_document(row.grade, row.file, lang, row.score), "error": None}
    return {**doc, "error": row.reason}


def class_document(rows, lang: str) -> dict:
    return {"answers": [row_document(r, lang) for r in rows], "summary": class_summary(rows)}


def class_json(rows, lang: str) -> str:
    """``rows``: :class:`convtrace.scores.Row` per file; the answers and the class summary."""
    return to_json(class_document(rows, lang))


def table_rows(rows, lang: str) -> list[list[object]]:
    """The report's cells, row by row (numbers as numbers; the caller formats them)."""
    out = []
    for row in rows:
        if not row.graded:
            out.append([row.file, row.status, None, None, None, None, None, None, None, None, "", row.reason or ""])
            continue
        g, s = row.grade, row.score
        lines = diagnosis_lines(g, lang)
        if not g.shape_ok and s.credited:
            lines.append(translate(REPORT_OVERLAP_NOTE, lang, n=s.credited))
        grade_value = s.points if s.points is not None else s.credit
        out.append([row.file, row.status, g.n_correct, g.n_wrong, g.n_missing, g.n_cells, round(s.credit, 4),
                    round(grade_value, 2 if s.points is not None else 4),
                    whole_or_float(s.out_of) if s.out_of is not None else 1, g.all_correct,
                    " ".join(mistake_id(d) for d in g.diagnoses), "; ".join(lines)])
    return out


def _cell_text(value, decimal_comma: bool, decimals: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return format_number(value, decimals=decimals, decimal_comma=decimal_comma)
    return str(value)


def class_csv(rows, lang: str, form: str = "csv") -> str:
    """The class report as CSV text: ``csv`` (``,``, decimal point) or ``csv-es`` (BOM, ``;``, decimal comma)."""
    spanish = form == "csv-es"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if spanish else ",")
    writer.writerow(COLUMNS)
    for row, cells in zip(rows, table_rows(rows, lang), strict=True):
        scaled = row.score is not None and row.score.out_of is not None
        decimals = {6: 4, 7: 2 if scaled else 4}
        writer.writerow([_cell_text(v, spanish, decimals.get(n, 2)) for n, v in enumerate(cells)])
    return (BOM if spanish else "") + out.getvalue()


# --- a minimal .xlsx (Office Open XML spreadsheet), written with zipfile alone

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>')


def _column_letter(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _xml_text(text: str) -> str:
    """Text safe in XML 1.0: characters XML cannot hold are shown escaped."""
    safe = "".join(c if c in "\t\n\r" or (" " <= c and c not in "\ufffe\uffff") else repr(c)[1:-1] for c in text)
    return escape(safe)


def _xlsx_cell(ref: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_xml_text(str(value))}</t></is></c>'


def sheet_xml(table: list[list[object]]) -> str:
    body = []
    for r, cells in enumerate(table, start=1):
        xml = "".join(_xlsx_cell(f"{_column_letter(c)}{r}", v) for c, v in enumerate(cells))
        body.append(f'<row r="{r}">{xml}</row>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{"".join(body)}</sheetData></worksheet>')


def xlsx_bytes(table: list[list[object]], sheet_name: str = "grades") -> bytes:
    """A one-sheet workbook: numbers as numbers, booleans as booleans, text inline (no shared strings)."""
    out = io.BytesIO()
    parts = {"[Content_Types].xml": _CONTENT_TYPES, "_rels/.rels": _RELS,
             "xl/workbook.xml": _WORKBOOK.format(name=escape(sheet_name)),
             "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS, "xl/worksheets/sheet1.xml": sheet_xml(table)}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # the same rows, the same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def class_xlsx(rows, lang: str) -> bytes:
    return xlsx_bytes([list(COLUMNS), *table_rows(rows, lang)])


# --- Gradescope


def gradescope_document(grade, source: str, lang: str, score) -> dict:
    """One submission's ``results.json`` in Gradescope's autograder format.

    ``max_score`` is ``--points`` (or the output's cell count without it) and ``score`` the credit
    scaled to it; one test carries the score line, every diagnosis and the shape note as its output.
    """
    max_score = whole_or_float(score.out_of) if score.out_of is not None else grade.n_cells
    value = round(score.credit * max_score, 2)
    lines = [translate(CHECK_SCORE, lang, correct=grade.n_correct, total=grade.n_cells)]
    lines += [f"- {line}" for line in diagnosis_lines(grade, lang)]
    if not grade.shape_ok and score.credited:
        lines.append(f"- {translate(REPORT_OVERLAP_NOTE, lang, n=score.credited)}")
    output = "\n".join(lines)
    return {"score": value, "max_score": max_score, "output": output,
            "tests": [{"name": translate(REPORT_GRADESCOPE_TEST, lang), "score": value, "max_score": max_score,
                       "output": output, "visibility": "visible"}]}


def gradescope_json(grade, source: str, lang: str, score) -> str:
    return to_json(gradescope_document(grade, source, lang, score))


# --- the class summary as text


def summary_lines(summary: dict, lang: str) -> list[str]:
    """The class summary (see :func:`convtrace.scores.class_summary`) as lines of text."""
    lines = [translate(SUMMARY_TITLE, lang)]
    if summary["credit"] is not None:
        c = summary["credit"]
        lines.append(translate(SUMMARY_SCORES, lang, n=summary["graded"],
                               mean=format_number(c["mean"], decimals=4, decimal_comma=lang == "es"),
                               median=format_number(c["median"], decimals=4, decimal_comma=lang == "es")))
    if summary["points"] is not None:
        p = summary["points"]
        lines.append(translate(SUMMARY_POINTS, lang, out_of=p["out_of"],
                               mean=format_number(p["mean"], decimal_comma=lang == "es"),
                               median=format_number(p["median"], decimal_comma=lang == "es")))
    lines.append(translate(SUMMARY_MISTAKES, lang))
    if summary["mistakes"]:
        lines += ["  " + translate(SUMMARY_MISTAKE_LINE, lang, mistake=m, n=n) for m, n in summary["mistakes"].items()]
    else:
        lines.append("  " + translate(SUMMARY_NO_MISTAKES, lang))
    if summary["cells"]:
        lines.append(translate(SUMMARY_CELLS, lang))
        lines += ["  " + translate(SUMMARY_CELL_LINE, lang, cell="[" + ", ".join(map(str, c["cell"])) + "]",
                                   n=c["students"]) for c in summary["cells"]]
    return lines
