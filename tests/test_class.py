"""Class mode: every file has its row, the reports (CSV, Spanish CSV, xlsx, Gradescope), the class summary,
per-student exercises from a roster, and the scoring policy."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SLIDES = [SAMPLES / "image_4x4.txt", "-k", SAMPLES / "filter_2x2.txt"]
EXPECTED = np.array([[60, 70, 50], [60, 70, 50], [20, 30, 20]])   # the slides' worked example, by hand
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def class_folder(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder with every kind of file; file name → the status its row must have."""
    folder = tmp_path / "answers"
    folder.mkdir()
    (folder / "good.txt").write_text("60 70 50\n60 70 50\n20 30 20\n", encoding="utf-8")
    (folder / "flipped.csv").write_text("30,50,40\n60,80,70\n25,45,40\n", encoding="utf-8")
    (folder / "partial.txt").write_text("60 70 50\n60 ? 50\n20 30 _\n", encoding="utf-8")
    (folder / "slip.txt").write_text("60 70 50\n60 71 50\n20 30 20\n", encoding="utf-8")
    (folder / "shape.json").write_text("[[60, 70], [60, 70]]", encoding="utf-8")
    np.save(folder / "good.npy", EXPECTED)
    (folder / "notes.md").write_text("60 70 50", encoding="utf-8")
    (folder / "essay.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "README").write_text("hello", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "empty.npy").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)))
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "subfolder").mkdir()
    (folder / "subfolder" / "inner.txt").write_text("60 70 50\n60 70 50\n20 30 20\n", encoding="utf-8")
    statuses = {"good.txt": "graded", "flipped.csv": "graded", "partial.txt": "graded", "slip.txt": "graded",
                "shape.json": "graded", "good.npy": "graded", "notes.md": "not_answer", "essay.docx": "not_answer",
                "photo.png": "not_answer", "README": "not_answer", "empty.txt": "empty", "empty.npy": "empty",
                "binary.txt": "unreadable"}
    if os.geteuid() != 0:  # root reads anything: the permission case only means something for a user
        locked = folder / "locked.txt"
        locked.write_text("60 70 50\n60 70 50\n20 30 20\n", encoding="utf-8")
        locked.chmod(0)
        statuses["locked.txt"] = "unreadable"
    return folder, statuses


def test_every_file_of_the_folder_has_a_row_with_its_reason(run, tmp_path):
    folder, statuses = class_folder(tmp_path)
    result = run("check", *SLIDES, "--answers", folder, "-f", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    rows = {r["file"]: r for r in doc["answers"]}
    assert set(rows) == set(statuses)          # hidden files and folders are passed over, nothing else
    assert {name: r["status"] for name, r in rows.items()} == statuses
    for name in ("notes.md", "essay.docx", "photo.png"):
        suffix = Path(name).suffix
        assert rows[name]["error"].startswith(f"not an answer file type ({suffix})")
        assert ".txt .csv .json .npy" in rows[name]["error"]
    assert rows["empty.txt"]["error"] == "empty" and rows["empty.npy"]["error"] == "empty"
    assert rows["binary.txt"]["error"].startswith("unreadable: ")
    if "locked.txt" in rows:
        assert "permission denied" in rows["locked.txt"]["error"]
    assert rows["good.txt"]["all_correct"] and rows["good.npy"]["all_correct"]
    assert rows["shape.json"]["shape_ok"] is False and rows["shape.json"]["score"]["credit"] == 0
    assert rows["partial.txt"]["score"]["missing"] == 2 and rows["partial.txt"]["score"]["wrong"] == 0

    table = run("check", *SLIDES, "--answers", folder).output
    for name in statuses:
        assert re.search(rf"\| {re.escape(name)} +\|", table), name
    assert "not graded: empty" in table and "not graded: not an answer file type (.docx)" in table
    graded = sum(s == "graded" for s in statuses.values())
    assert f"{graded} graded, 2 all correct, {len(statuses) - graded} not gradable" in table
    assert "allow_pickle" not in table and "Class summary" in table


def test_all_diagnoses_are_shown_not_only_the_first(run, tmp_path):
    folder, _ = class_folder(tmp_path)
    doc = json.loads(run("check", *SLIDES, "--answers", folder, "-f", "json").output)
    table = run("check", *SLIDES, "--answers", folder).output
    report = tmp_path / "r.csv"
    run("check", *SLIDES, "--answers", folder, "--report", report)
    with report.open(encoding="utf-8", newline="") as handle:
        csv_rows = {r["file"]: r for r in csv.DictReader(handle)}
    flat = " ".join(table.split())
    for row in doc["answers"]:
        for d in row.get("diagnoses", []):
            words = " ".join(d["message"].split())
            assert words[:40] in flat, (row["file"], d["message"])
            assert d["message"] in csv_rows[row["file"]]["diagnosis"]


def _report(run, tmp_path, folder, name, *extra, env=None):
    report = tmp_path / name
    result = run("check", *SLIDES, "--answers", folder, "--report", report, "--points", "10", *extra, env=env)
    assert result.exit_code == 1, result.output
    return report


def test_csv_forms_parse_back(run, tmp_path):
    folder, statuses = class_folder(tmp_path)
    doc = json.loads(run("check", *SLIDES, "--answers", folder, "-f", "json", "--points", "10").output)
    by_file = {r["file"]: r for r in doc["answers"]}

    plain = _report(run, tmp_path, folder, "plain.csv").read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(plain.decode("utf-8"), newline="")))
    assert [r["file"] for r in rows] == sorted(statuses)

    for name, extra, env in [("es-lang.csv", ("--lang", "es"), None),
                             ("es-option.csv", ("--report-format", "csv-es"), None),
                             ("es-locale.csv", (), {"LANG": "es_ES.UTF-8"})]:
        data = _report(run, tmp_path, folder, name, *extra, env=env).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name
        text = data.decode("utf-8")[1:]
        assert text.splitlines()[0].split(";")[:3] == ["file", "status", "correct"]
        es_rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
        assert [r["file"] for r in es_rows] == [r["file"] for r in rows]
        for plain_row, es_row in zip(rows, es_rows, strict=True):
            doc_row = by_file[plain_row["file"]]
            if doc_row["status"] != "graded":
                assert es_row["grade"] == plain_row["grade"] == ""
                continue
            points = doc_row["score"]["points"]
            assert float(plain_row["grade"]) == pytest.approx(points, abs=0.005)
            assert float(es_row["grade"].replace(",", ".")) == pytest.approx(points, abs=0.005)
            assert "." not in es_row["grade"] and "." not in es_row["credit"]
            if not float(points).is_integer():
                assert "," in es_row["grade"] and re.fullmatch(r"\d+,\d\d", es_row["grade"])
            else:
                assert es_row["grade"] == str(int(points))
    # The Spanish CSV keeps a comma-holding diagnosis in one field.
    assert any("," in r["diagnosis"] for r in rows)


def _sheet(data: bytes) -> list[list[object]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = set(archive.namelist())
        assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} <= names
        root = ET.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    table = []
    for row in root.find("m:sheetData", NS):
        cells = {}
        for c in row:
            column = re.match(r"[A-Z]+", c.get("r")).group()
            kind = c.get("t")
            if kind == "inlineStr":
                cells[column] = c.find("m:is/m:t", NS).text or ""
            elif kind == "b":
                cells[column] = c.find("m:v", NS).text == "1"
            else:
                cells[column] = float(c.find("m:v", NS).text)
        table.append(cells)
    return table


def test_xlsx_report_reads_back(run, tmp_path):
    folder, statuses = class_folder(tmp_path)
    doc = json.loads(run("check", *SLIDES, "--answers", folder, "-f", "json", "--points", "10").output)
    by_file = {r["file"]: r for r in doc["answers"]}
    by_suffix = _report(run, tmp_path, folder, "grades.xlsx").read_bytes()
    by_option = _report(run, tmp_path, folder, "grades.dat", "--report-format", "xlsx").read_bytes()
    assert by_suffix == by_option       # the same rows always give the same bytes
    table = _sheet(by_suffix)
    header = [table[0][k] for k in sorted(table[0], key=lambda k: (len(k), k))]
    assert header[:3] == ["file", "status", "correct"] and "grade" in header and "diagnosis" in header
    col = {name: chr(65 + n) for n, name in enumerate(header)}
    assert sorted(r[col["file"]] for r in table[1:]) == sorted(statuses)
    for row in table[1:]:
        doc_row = by_file[row[col["file"]]]
        assert row[col["status"]] == doc_row["status"]
        if doc_row["status"] == "graded":
            assert row[col["grade"]] == pytest.approx(doc_row["score"]["points"], abs=0.005)
            assert row[col["correct"]] == doc_row["score"]["correct"]
            assert row[col["all_correct"]] is doc_row["all_correct"]
        else:
            assert col["grade"] not in row and row[col["diagnosis"]] == doc_row["error"]
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(io.BytesIO(by_suffix)).active
    assert [c.value for c in next(sheet.iter_rows())][:3] == ["file", "status", "correct"]


def test_gradescope_results_json(run, tmp_path):
    answer = tmp_path / "a.txt"
    answer.write_text("60 70 50\n60 71 50\n20 30 ?\n", encoding="utf-8")
    for points, max_score in ((None, 9), ("20", 20)):
        extra = ["--points", points] if points else []
        result = run("check", *SLIDES, "--answer", answer, "-f", "gradescope", *extra)
        assert result.exit_code == 1
        doc = json.loads(result.output)
        assert set(doc) >= {"score", "max_score", "tests"}
        assert doc["max_score"] == max_score and doc["score"] == pytest.approx(7 / 9 * max_score, abs=0.005)
        assert isinstance(doc["tests"], list) and doc["tests"]
        for test in doc["tests"]:
            assert {"name", "score", "max_score", "output"} <= set(test)
            assert isinstance(test["name"], str) and isinstance(test["output"], str)
            assert 0 <= test["score"] <= test["max_score"]
        assert sum(t["score"] for t in doc["tests"]) == pytest.approx(doc["score"])
        assert "71 instead of 70" in doc["tests"][0]["output"]
    # Written with --report too (what an autograder's run_autograder does), the same document.
    out = tmp_path / "results.json"
    run("check", *SLIDES, "--answer", answer, "--report", out, "--report-format", "gradescope", "--points", "20")
    assert json.loads(out.read_text(encoding="utf-8")) == doc
    # Gradescope runs once per submission: a class folder is refused, plainly.
    folder, _ = class_folder(tmp_path)
    refused = run("check", *SLIDES, "--answers", folder, "-f", "gradescope")
    assert refused.exit_code == 2 and "one submission" in refused.output


def test_class_summary_counts_match_the_per_student_documents(run, tmp_path):
    folder, _ = class_folder(tmp_path)
    for n, cells in enumerate(([(0, 0)], [(0, 0), (2, 2)], [(0, 0), (2, 2), (1, 0)], [(1, 1)])):
        wrong = EXPECTED.copy()
        for cell in cells:
            wrong[cell] += 3 + n
        np.savetxt(folder / f"extra{n}.txt", wrong, fmt="%d")
    doc = json.loads(run("check", *SLIDES, "--answers", folder, "-f", "json", "--points", "10").output)
    graded = [r for r in doc["answers"] if r["status"] == "graded"]
    mistakes = Counter()
    cells = Counter()
    for row in graded:
        mistakes.update({d.get("mistake", d.get("key")) for d in row["diagnoses"]})
        if row["shape_ok"]:
            for i, (flags, given) in enumerate(zip(row["correct"], row["answer"], strict=True)):
                for j, (ok, value) in enumerate(zip(flags, given, strict=True)):
                    if ok is False and value is not None:
                        cells[(i, j)] += 1
    summary = doc["summary"]
    assert summary["mistakes"] == dict(mistakes)
    assert summary["graded"] == len(graded) and summary["files"] == len(doc["answers"])
    top = [c["students"] for c in summary["cells"]]
    assert top == sorted(cells.values(), reverse=True)[:5]
    assert all(cells[tuple(c["cell"])] == c["students"] for c in summary["cells"])
    assert summary["cells"][0] == {"cell": [0, 0], "students": cells[(0, 0)]}
    credits = sorted(r["score"]["correct"] / r["score"]["total"] for r in graded)
    assert summary["credit"]["mean"] == pytest.approx(sum(credits) / len(credits), abs=1e-4)
    assert summary["credit"]["median"] == pytest.approx(float(np.median(credits)), abs=1e-4)
    assert summary["points"]["mean"] == pytest.approx(10 * sum(credits) / len(credits), abs=0.005)
    table = run("check", *SLIDES, "--answers", folder).output
    assert f"[0, 0]: wrong in {cells[(0, 0)]} answers" in table


# --- scores


def _grade(answer, missing=None):
    from convtrace.grading import Exercise, grade
    from convtrace.io.readers import read_matrix
    from convtrace.kernel import Kernel
    from convtrace.spec import ConvSpec

    x = read_matrix(str(SAMPLES / "image_4x4.txt")).values
    k = read_matrix(str(SAMPLES / "filter_2x2.txt")).values
    return grade(Exercise(ConvSpec(), x, Kernel(name="k", weights=k)), answer, missing)


@settings(max_examples=40)
@given(rows=st.integers(1, 5), cols=st.integers(1, 5), data=st.data())
def test_scores_follow_the_policy(rows, cols, data):
    """Credit counted cell by cell in plain Python, against the library's score for both shape policies."""
    from convtrace.scores import score

    answer = np.zeros((rows, cols), dtype=np.int64)
    missing = np.zeros((rows, cols), dtype=bool)
    for i in range(rows):
        for j in range(cols):
            kind = data.draw(st.sampled_from(["right", "wrong", "blank"]))
            inside = i < 3 and j < 3
            answer[i, j] = EXPECTED[i, j] if inside and kind == "right" else (EXPECTED[i % 3, j % 3] + 1 + i)
            missing[i, j] = kind == "blank"
    g = _grade(answer, missing)
    right = sum(1 for i in range(min(rows, 3)) for j in range(min(cols, 3))
                if not missing[i, j] and answer[i, j] == EXPECTED[i, j])
    points = data.draw(st.sampled_from([None, 10, 20, 7.5]))
    none, overlap = score(g, points=points), score(g, points=points, shape_credit="overlap")
    if (rows, cols) == (3, 3):
        assert none.credit == overlap.credit == right / 9
    else:
        assert none.credit == 0 and overlap.credit == right / 9
    if points is not None:
        assert overlap.points == pytest.approx(right / 9 * points)
        assert overlap.as_dict()["points"] == round(right / 9 * points, 2)
    else:
        assert overlap.points is None


@given(st.floats(0, 1000, allow_nan=False), st.booleans())
def test_grade_numbers_have_two_decimals_or_none(value, comma):
    from convtrace.scores import format_number

    text = format_number(value, decimal_comma=comma)
    sep = "," if comma else "."
    assert re.fullmatch(rf"\d+(\{sep}\d\d)?", text), text
    assert float(text.replace(",", ".")) == pytest.approx(round(value, 2), abs=1e-9)


def test_overlap_credit_on_the_command_line(run):
    answer = "60 70; 60 70; 20 30"  # 3×2: every cell lines up and is right
    none = json.loads(run("check", *SLIDES, "--answer", answer, "-f", "json", "--points", "10").output)
    assert none["score"]["credit"] == 0 and none["score"]["points"] == 0
    result = run("check", *SLIDES, "--answer", answer, "-f", "json", "--points", "10", "--shape-credit", "overlap")
    doc = json.loads(result.output)
    assert result.exit_code == 1 and doc["all_correct"] is False
    assert doc["score"]["credited"] == 6 and doc["score"]["credit"] == round(6 / 9, 4)
    assert doc["score"]["points"] == 6.67 and doc["score"]["out_of"] == 10
    table = run("check", *SLIDES, "--answer", answer, "--points", "10", "--shape-credit", "overlap").output
    assert "Grade: 6.67 / 10" in table and "6 cells that line up" in table


# --- rosters and per-student exercises

NAMES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30)


@given(names=st.lists(NAMES, min_size=1, max_size=8), delimiter=st.sampled_from([",", ";", "\t"]),
       header=st.sampled_from([None, "name", "Nombre", "ALUMNO", "student", "Nombre completo"]),
       bom=st.booleans(), extra=st.booleans())
def test_roster_parsing(names, delimiter, header, bom, extra):
    from convtrace.quiz import NAME_HEADERS, parse_roster

    folded = [" ".join(n.split()) for n in names]
    assume(all(folded) and all("\ufeff" not in n for n in names))
    if header is None:  # without a header the first line is a student: it must not look like one
        assume(not any(w in folded[0].lower() for w in NAME_HEADERS))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    if header is not None:
        writer.writerow(["group", header] if extra else [header])
    for n, name in enumerate(names):
        writer.writerow([f"g{n}", name] if extra and header is not None else [name])
    text = ("\ufeff" if bom else "") + out.getvalue()
    first = text.lstrip("\ufeff").splitlines()[0]
    # The separator is guessed from the first line: only meaningful when it shows there.
    guessed = max((";", "\t", ","), key=first.count)
    assume(guessed == delimiter and first.count(delimiter) or not any(c in text for c in ";\t,"))
    assert parse_roster(text) == folded


@given(st.lists(NAMES, min_size=1, max_size=20))
def test_slugs_are_safe_and_unique(names):
    from convtrace.quiz import student_seeds, unique_slugs

    slugs = unique_slugs(names)
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)
    assert student_seeds(3, names) == student_seeds(3, names)


def test_roster_round_trip(run, tmp_path):
    roster = tmp_path / "lista.csv"
    roster.write_bytes("\ufeffNombre;Grupo\nAna García;A\nana garcia;B\nJosé Núñez;A\nLi Wei;C\n".encode())
    quiz = tmp_path / "quiz"
    result = run("quiz", "--students", roster, "--seed", "5", "--size", "4x4", "-o", quiz)
    assert result.exit_code == 0, result.output
    index = json.loads((quiz / "roster.json").read_text(encoding="utf-8"))["students"]
    assert [s["name"] for s in index] == ["Ana García", "ana garcia", "José Núñez", "Li Wei"]
    assert [s["key"] for s in index] == ["key-ana-garcia.json", "key-ana-garcia-2.json", "key-jose-nunez.json",
                                         "key-li-wei.json"]
    for s in index:
        assert (quiz / s["key"]).is_file() and (quiz / s["exercises"]).is_file()
        assert s["name"] in (quiz / s["exercises"]).read_text(encoding="utf-8")
    again = tmp_path / "again"
    run("quiz", "--students", roster, "--seed", "5", "--size", "4x4", "-o", again)
    assert all((quiz / p.name).read_bytes() == p.read_bytes() for p in again.iterdir())  # stable seeds
    keys = {s["name"]: np.array(json.loads((quiz / s["key"]).read_text(encoding="utf-8"))["expected"])
            for s in index}
    assert len({k.tobytes() for k in keys.values()}) == 4  # one variant each

    answers = tmp_path / "answers"
    answers.mkdir()
    # By slug, by the name as the roster wrote it (accents, spaces), and by the key's own slug.
    np.savetxt(answers / "ana-garcia.txt", keys["Ana García"], fmt="%d")
    np.savetxt(answers / "ana garcia.txt", keys["ana garcia"], fmt="%d")
    np.savetxt(answers / "José Núñez.csv", keys["José Núñez"], fmt="%d", delimiter=",")
    np.savetxt(answers / "li-wei.txt", keys["Li Wei"], fmt="%d")
    result = run("check", "--key", quiz, "--answers", answers, "-f", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["answers"]
    assert len(rows) == 4 and all(r["status"] == "graded" and r["all_correct"] for r in rows)

    # One student's answer against another's key is not all correct; an unknown student has no key.
    np.savetxt(answers / "li-wei.txt", keys["José Núñez"], fmt="%d")
    np.savetxt(answers / "pedro.txt", keys["Li Wei"], fmt="%d")
    result = run("check", "--key", quiz, "--answers", answers, "-f", "json")
    assert result.exit_code == 1, result.output
    rows = {r["file"]: r for r in json.loads(result.output)["answers"]}
    assert rows["li-wei.txt"]["status"] == "graded" and rows["li-wei.txt"]["all_correct"] is False
    assert rows["pedro.txt"]["status"] == "no_key" and rows["pedro.txt"]["error"].startswith("no key for this student")
    table = run("check", "--key", quiz, "--answers", answers).output
    assert re.search(r"\| pedro\.txt +\|.*no key for this student", table)
    # A single answer finds its key in the folder too.
    single = run("check", "--key", quiz, "--answer", answers / "ana-garcia.txt")
    assert single.exit_code == 0


@pytest.mark.parametrize(("args", "fragment"), [
    (["--count", "2"], "one exercise per student"),
    (["--no-output"], "-o DIR"),
])
def test_roster_usage_errors(run, tmp_path, args, fragment):
    roster = tmp_path / "r.csv"
    roster.write_text("name\nAna\n", encoding="utf-8")
    out = [] if args == ["--no-output"] else ["-o", tmp_path / "q"]
    result = run("quiz", "--students", roster, *out, *[a for a in args if a != "--no-output"])
    assert result.exit_code == 2 and fragment in result.output


def test_empty_roster_and_keyless_folder(run, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("nombre\n\n", encoding="utf-8")
    result = run("quiz", "--students", roster, "-o", tmp_path / "q")
    assert result.exit_code == 2 and "no student names" in result.output
    empty = tmp_path / "keys"
    empty.mkdir()
    result = run("check", "--key", empty, "--answer", "1")
    assert result.exit_code == 2 and "key-*.json" in result.output


def test_points_must_be_positive(run):
    for bad in ("0", "-10", "nan", "inf"):
        assert run("check", *SLIDES, "--answer", "1", "--points", bad).exit_code == 2
