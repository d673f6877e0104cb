"""convtrace check and convtrace quiz through the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

SLIDES = [SAMPLES / "image_4x4.txt", "-k", SAMPLES / "filter_2x2.txt"]


def test_correct_answer_exits_0_with_full_score(run):
    result = run("check", *SLIDES, "--answer", "60 70 50; 60 70 50; 20 30 20")
    assert result.exit_code == 0
    assert "All correct! 9/9 cells correct" in result.output


def test_wrong_answer_exits_1_marks_cells_and_shows_working(run, lines, tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text("60 70 50\n60 71 50\n20 30 ?\n", encoding="utf-8")
    result = run("check", *SLIDES, "--answer", answer)
    assert result.exit_code == 1
    assert lines(result.output)[4:8] == [
        "7/9 cells correct · 1 wrong · 1 missing",
        "Your answer      Expected",
        "60✓  70✓  50✓    60  70  50",
        "60✓  71✗  50✓    60  70  50",
    ]
    assert "cell [1, 1]: 71 instead of 70 (off by 1), an arithmetic slip" in result.output
    assert "[1, 1]: 30×1 + 30×0 + 20×0 + 20×2 = 70   (you wrote 71)" in result.output


def test_flipped_kernel_is_named_in_spanish(run):
    result = run("check", *SLIDES, "--flip", "--answer", "60 70 50; 60 70 50; 20 30 20", "--lang", "es")
    assert result.exit_code == 1
    assert "no se volteó el kernel" in result.output and "Desarrollo de las celdas incorrectas" in result.output


def test_pool_check_and_the_divisor_mistake(run):
    # avg 2×2 with padding 1 counts padding in the divisor (PyTorch's default).
    x = "1 2 3; 4 5 6; 7 8 9"
    wrong = "1 2.5; 5.5 7"  # divided by the cells inside the input only
    result = run("check", x, "--pool", "avg:2", "--padding", "1", "--answer", wrong)
    assert result.exit_code == 1
    assert "only" in result.output and "count_include_pad" in result.output
    right = "0.25 1.25; 2.75 7"  # stride defaults to the window: 2
    assert run("check", x, "--pool", "avg:2", "--padding", "1", "--answer", right).exit_code == 0


def test_json_report_of_one_answer(run):
    result = run("check", *SLIDES, "--answer", "60 70 50; 60 70 50; 20 30 _", "-f", "json")
    doc = json.loads(result.output)
    # Blanks earn no credit; without --points there is no scale, only the fraction of cells right.
    assert doc["score"] == {"correct": 8, "wrong": 0, "missing": 1, "total": 9, "credited": 8,
                            "credit": round(8 / 9, 4), "points": None, "out_of": None, "shape_credit": "none"}
    assert doc["answer"][2][2] is None and doc["all_correct"] is False


def test_a_folder_of_good_wrong_and_broken_answers(run, tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    (folder / "ana.txt").write_text("60 70 50\n60 70 50\n20 30 20\n", encoding="utf-8")
    (folder / "beto.csv").write_text("30,50,40\n60,80,70\n25,45,40\n", encoding="utf-8")  # flipped kernel
    (folder / "caro.txt").write_text("60 70\n60\n", encoding="utf-8")
    (folder / "dani.json").write_text("[[60, 70], [60, 70]]", encoding="utf-8")  # wrong shape
    (folder / "notes.md").write_text("not an answer", encoding="utf-8")
    report = tmp_path / "report.csv"
    result = run("check", *SLIDES, "--answers", folder, "--report", report)
    assert result.exit_code == 1
    with report.open(encoding="utf-8") as handle:
        rows = {r["file"]: r for r in csv.DictReader(handle)}
    # Every file of the folder has its row: notes.md is not an answer file type, and says so.
    assert set(rows) == {"ana.txt", "beto.csv", "caro.txt", "dani.json", "notes.md"}
    assert rows["notes.md"]["status"] == "not_answer" and "not an answer file type (.md)" in rows["notes.md"]["diagnosis"]
    assert rows["notes.md"]["correct"] == ""
    assert rows["ana.txt"]["all_correct"] == "True" and rows["ana.txt"]["correct"] == "9"
    assert "flipped" in rows["beto.csv"]["diagnosis"]
    assert "row 2 has 1 value" in rows["caro.txt"]["diagnosis"] and rows["caro.txt"]["correct"] == ""
    assert "the answer is 2×2 but the output is 3×3" in rows["dani.json"]["diagnosis"]
    assert "3 graded, 1 all correct, 2 not gradable" in result.output
    # The report is never overwritten without --force.
    again = run("check", *SLIDES, "--answers", folder, "--report", report)
    assert again.exit_code == 2 and "--force" in again.output


def test_nothing_gradable_is_exit_2(run, tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    (folder / "a.txt").write_text("x y\n", encoding="utf-8")
    assert run("check", *SLIDES, "--answers", folder).exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("check", *SLIDES, "--answers", empty)
    assert result.exit_code == 2 and "no answer files found" in result.output


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["check", "--answer", "1"], "say what was asked"),
        (["check", "1 2; 3 4", "-k", "1"], "--answer FILE"),
        (["check", "1 2; 3 4", "--pool", "median:2", "--answer", "1"], "MODE:SIZE"),
        (["check", "1 2; 3 4", "-k", "1 1 1", "--answer", "1"], "larger than the padded input"),
        (["check", "1 2; 3 4", "-k", "1", "--answer", "1 2; 3 x"], "'x' is not a number"),
    ],
)
def test_check_usage_errors(run, args, fragment):
    result = run(*args)
    assert result.exit_code == 2 and fragment in result.output


def test_quiz_is_reproducible_and_its_keys_check(run, tmp_path):
    first = run("quiz", "--seed", "11", "--count", "3", "--padding", "1").output
    assert first == run("quiz", "--seed", "11", "--count", "3", "--padding", "1").output
    assert first.count("## Exercise") == 3 and "## Solution 1" in first
    folder = tmp_path / "quiz"
    assert run("quiz", "--seed", "11", "--count", "3", "--padding", "1", "-o", folder).exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["exercises.md", "key-01.json", "key-02.json",
                                                         "key-03.json", "solutions.md"]
    for n in (1, 2, 3):
        key = folder / f"key-0{n}.json"
        expected = np.array(json.loads(key.read_text(encoding="utf-8"))["expected"])
        answer = tmp_path / f"answer{n}.txt"
        np.savetxt(answer, expected, fmt="%d")
        assert run("check", "--key", key, "--answer", answer).exit_code == 0
        expected[0, 0] += 2
        np.savetxt(answer, expected, fmt="%d")
        assert run("check", "--key", key, "--answer", answer).exit_code == 1
    # Existing files are not overwritten without --force.
    assert run("quiz", "--seed", "11", "-o", folder).exit_code == 2
    assert run("quiz", "--seed", "12", "-o", folder, "--force").exit_code == 0


def test_quiz_formats_and_options(run):
    latex = run("quiz", "--seed", "2", "--format", "latex", "--kernel", "sharpen", "--lang", "es").output
    assert r"\begin{bmatrix}" in latex and "Ejercicio 1" in latex
    docs = json.loads(run("quiz", "--seed", "2", "--format", "json", "--pool", "max:2", "--size", "4x4").output)
    assert docs[0]["op"] == "pool2d" and np.array(docs[0]["input"]).shape == (4, 4)
    assert np.array(docs[0]["expected"]).shape == (2, 2)
    values = json.loads(run("quiz", "--seed", "5", "--format", "json", "--values", "-3..3").output)
    assert np.array(values[0]["input"]).min() >= -3 and np.array(values[0]["input"]).max() <= 3
    assert run("quiz", "--size", "2x2", "--kernel-size", "3").exit_code == 2
    assert run("quiz", "--values", "9..0").exit_code == 2


def test_points_scale_the_score_of_one_answer(run):
    answer = "60 70 50; 60 71 50; 20 30 ?"  # 7 of 9 right
    result = run("check", *SLIDES, "--answer", answer, "--points", "10")
    assert result.exit_code == 1 and "Grade: 7.78 / 10" in result.output
    es = run("check", *SLIDES, "--answer", answer, "--points", "20", "--lang", "es")
    assert "Nota: 15,56 / 20" in es.output
    doc = json.loads(run("check", *SLIDES, "--answer", answer, "--points", "20", "-f", "json").output)
    assert doc["score"]["credit"] == round(7 / 9, 4) and doc["score"]["points"] == 15.56
    assert doc["score"]["out_of"] == 20
    markdown = run("check", *SLIDES, "--answer", answer, "--points", "10", "-f", "markdown").output
    assert "Grade: 7.78 / 10" in markdown
    whole = run("check", *SLIDES, "--answer", "60 70 50; 60 70 50; 20 30 20", "--points", "10")
    assert whole.exit_code == 0 and "Grade: 10 / 10" in whole.output


def test_single_answer_report_is_one_row(run, tmp_path):
    report = tmp_path / "one.csv"
    assert run("check", *SLIDES, "--answer", "60 70 50; 60 70 50; 20 30 20", "--report", report).exit_code == 0
    with report.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and rows[0]["all_correct"] == "True" and rows[0]["credit"] == "1"


@pytest.mark.parametrize("lang, words", [("en", "a picture of 300×400 pixels cannot be an answer of 3×3 values"),
                                         ("es", "una imagen de 300×400 píxeles no puede ser una respuesta de 3×3")])
def test_a_photo_given_as_the_answer_is_refused_before_its_pixels_are_read(run, tmp_path, monkeypatch, lang, words):
    """A phone photo given with -a (4000×3000 took minutes and gigabytes to mark): one line, exit 2, the
    pixels never read; a picture of the answer's own size is still read as the answer."""
    from PIL import Image

    from convtrace.io import readers

    Image.fromarray(np.zeros((300, 400, 3), np.uint8)).save(tmp_path / "photo.jpg")
    answer = np.array([[60, 70, 50], [60, 70, 50], [20, 30, 20]], np.uint8)
    Image.fromarray(answer).save(tmp_path / "answer.png")
    read = readers.read_matrix
    monkeypatch.setattr(readers, "read_matrix", lambda source, *a, **k: (
        pytest.fail(f"pixels read: {source}") if Path(source).name == "photo.jpg" else read(source, *a, **k)))
    refused = run("check", *SLIDES, "-a", tmp_path / "photo.jpg", "--lang", lang)
    assert refused.exit_code == 2 and words in refused.output and len(refused.output.strip().splitlines()) == 1
    graded = run("check", *SLIDES, "-a", tmp_path / "answer.png")
    assert graded.exit_code == 0, graded.output


@pytest.mark.parametrize("width", [40, 60, 80, 120])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_wide_answer_is_shown_whole_in_column_blocks(width, lang):
    """A 10×10 answer with two decimals was cut to '80…  1…' at 80 columns (marks lost with the digits):
    now the two matrices go one above the other, in blocks of whole columns, every value and mark shown."""
    import io
    import re

    from rich.cells import cell_len
    from rich.console import Console

    from convtrace import ConvSpec, Exercise, grade
    from convtrace.kernels import KernelLibrary
    from convtrace.render.check import GradeView
    from convtrace.render.views import fmt_number

    rng = np.random.default_rng(width)
    x = rng.integers(0, 256, (10, 10))
    exercise = Exercise(ConvSpec(padding=1), x, KernelLibrary().get("gaussian-3"))
    expected = exercise.expected()
    answer = np.round(expected, 2)
    answer[2, 3] += 1
    result = grade(exercise, answer)
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(GradeView(result, "a.txt", lang=lang, precision=4))
    text = console.file.getvalue()
    assert "…" not in text
    matrix_lines = [line for line in text.splitlines() if re.fullmatch(r"[\s\d.✓✗-]+", line) and line.strip()]
    assert all(cell_len(line) <= width for line in matrix_lines)
    marks = re.findall(r"(-?\d+(?:\.\d+)?)([✓✗])", text)
    assert len(marks) == 100 and sum(mark == "✗" for _, mark in marks) == 1
    shown = sorted(float(v) for v in re.findall(r"(?<![\d.])-?\d+\.\d+|(?<![\d.])\d+(?![\d.])",
                                                  "\n".join(matrix_lines)))
    for value in expected.ravel():
        assert float(fmt_number(value, 4)) in shown


@pytest.mark.parametrize("lang, words", [("en", "is a file, and --answers reads a folder of them; check one answer "
                                                "with --answer"),
                                         ("es", "es un archivo, y --answers lee una carpeta de ellos")])
def test_answers_given_a_file_says_to_use_answer(run, tmp_path, lang, words):
    (tmp_path / "a.txt").write_text("60 70 50; 60 70 50; 20 30 20")
    result = run("check", *SLIDES, "--answers", tmp_path / "a.txt", "--lang", lang)
    assert result.exit_code == 2 and words in result.output and "no such file" not in result.output


def test_a_missing_key_file_is_named_as_missing_not_as_a_bad_key(run, tmp_path):
    missing = run("check", "--key", tmp_path / "nope.json", "--answer", "1")
    assert missing.exit_code == 2 and "no such file" in missing.output and "answer key" not in missing.output
    (tmp_path / "bad.json").write_text('{"x": 1')
    bad = run("check", "--key", tmp_path / "bad.json", "--answer", "1")
    assert bad.exit_code == 2 and "not a convtrace answer key" in bad.output


def test_quiz_output_that_is_a_file_says_it_must_be_a_folder(run, tmp_path):
    (tmp_path / "a.txt").write_text("mine")
    for extra in ([], ["--force"]):  # --force cannot help: -o names a folder
        result = run("quiz", "--seed", "2", "-o", tmp_path / "a.txt", *extra)
        assert result.exit_code == 2 and "is a file, and quiz -o names a folder" in result.output
    assert (tmp_path / "a.txt").read_text() == "mine"


@given(values=st.lists(st.integers(1000, 999_999), min_size=4, max_size=4),
       style=st.sampled_from(["es", "en", "es-decimals", "en-decimals"]))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_right_answers_written_with_thousands_separators_are_right(run, values, style):
    """1.200 (Spanish) and 1,200 (English) are 1200 where that makes the answer right."""
    x = np.array(values, dtype=np.int64).reshape(2, 2)

    def written(v: int) -> str:
        grouped = f"{v:,}"
        if style.startswith("es"):
            grouped = grouped.replace(",", ".")
        return grouped + ({"es-decimals": ",0", "en-decimals": ".0"}.get(style, ""))

    answer = "; ".join(" ".join(written(v) for v in row) for row in x.tolist())
    result = run("check", "; ".join(" ".join(map(str, r)) for r in x.tolist()), "-k", "1", "--answer", answer)
    assert result.exit_code == 0, result.output
    assert "All correct" in result.output and "thousands separator" in result.output
    wrong = answer.replace(written(values[0]), written(values[0] + 1), 1)
    assert run("check", "; ".join(" ".join(map(str, r)) for r in x.tolist()), "-k", "1", "--answer",
               wrong).exit_code == 1


def test_a_decimal_answer_with_three_decimals_keeps_its_decimals(run):
    result = run("check", "1.5 2.25; 3 4", "-k", "1", "--answer", "1.500 2.250; 3.000 4")
    assert result.exit_code == 0 and "thousands" not in result.output


def test_maps_written_one_below_another_without_a_blank_line_are_the_maps(run, tmp_path):
    x = tmp_path / "two.txt"
    x.write_text("1 2 3 4\n5 6 7 8\n9 10 11 12\n13 14 15 16\n\n16 15 14 13\n12 11 10 9\n8 7 6 5\n4 3 2 1\n")
    result = run("check", x, "--pool", "max:2", "--answer", "6 8; 14 16; 16 14; 8 6")
    assert result.exit_code == 0, result.output
    assert "read the 4 rows as the exercise's 2 maps of 2 rows" in result.output
    assert run("check", x, "--pool", "max:2", "--answer", "16 14; 8 6; 6 8; 14 16").exit_code == 1


@pytest.mark.parametrize("args, words", [
    (["check", "1 2; 3 4", "-k", "1", "--pool", "max:2", "--answer", "1"], "-k and --pool were both given"),
    (["check", "-", "-k", "1", "--answer", "-"], "both read standard input"),
    (["check", "1 2; 3 4", "--pool", "max:2", "--tconv", "-k", "1", "--answer", "1"],
     "--pool and --tconv were both given"),
    (["check", "1 2; 3 4", "--pipeline", "conv,relu", "--pool", "max:2", "-k", "1", "--answer", "1"],
     "--pool and --pipeline were both given"),
    (["check", "1 2; 3 4", "-k", "1", "--bias", "2", "--answer", "1"], "--bias only applies with --pipeline"),
    (["check", "1 2; 3 4", "-k", "1", "--output-padding", "1", "--answer", "1"],
     "--output-padding only applies with --tconv"),
    (["quiz", "--tconv", "--pool", "max:2", "--seed", "1"], "--pool and --tconv were both given"),
    (["quiz", "--pool", "max:2", "-k", "sharpen", "--seed", "1"], "-k and --pool were both given"),
    (["quiz", "--output-padding", "1", "--seed", "1"], "--output-padding only applies with --tconv"),
])
def test_exercises_asked_two_ways_at_once_say_which_two(run, args, words):
    result = run(*args, input="1 2; 3 4\n")
    assert result.exit_code == 2 and words in result.output


def test_an_answer_key_with_the_exercise_given_again_is_refused(run, tmp_path):
    """The key says the exercise; an INPUT or -k beside it was ignored, and the student graded against
    something other than what the teacher typed."""
    assert run("quiz", "--size", "3x3", "--seed", "4", "-f", "json", "-o", tmp_path / "q").exit_code == 0
    key = next((tmp_path / "q").glob("*key*.json"))
    assert run("check", "--key", key, "--answer", "1").exit_code in (0, 1)
    for extra in (["1 2; 3 4"], ["-k", "sharpen"], ["--pool", "max:2"]):
        result = run("check", *extra, "--key", key, "--answer", "1")
        assert result.exit_code == 2 and "the answer key already says the exercise" in result.output
    es = run("check", "1 2; 3 4", "--key", key, "--answer", "1", "--lang", "es")
    assert es.exit_code == 2 and "la clave ya dice el ejercicio" in es.output


def test_the_title_names_standard_input_and_shows_an_inline_answer_on_one_line(run):
    inline = run("check", "1 2; 3 4", "-k", "1", "--answer", "1 2\n3 4")
    assert inline.exit_code == 0 and inline.output.splitlines()[0] == "Checking 1 2; 3 4"
    piped = run("check", "1 2; 3 4", "-k", "1", "--answer", "-", input="1 2\n3 4\n")
    assert piped.exit_code == 0 and piped.output.splitlines()[0] == "Checking <stdin>"


def test_an_exercise_whose_output_overflows_is_refused_not_graded_all_correct(run):
    result = run("check", "1 2; 3 4", "-k", "1e308 1e308; 1e308 1e308", "--answer", "5")
    assert result.exit_code == 2 and "overflows to infinity" in result.output


def test_an_infinite_expected_value_agrees_only_with_itself():
    from convtrace.grading.explain import _close

    expected = np.array([np.inf, np.inf, -np.inf, 1.0])
    assert _close(np.array([5.0, np.inf, np.inf, 1.0]), expected, 1e-6).tolist() == [False, True, False, True]


def test_a_pooling_window_larger_than_the_images_is_reported_per_image_with_their_size(run, tmp_path):
    """Not as a settings error about the stand-in image the settings are tried on (512×512)."""
    from PIL import Image

    src = tmp_path / "in"
    src.mkdir()
    Image.fromarray(np.arange(32 * 32, dtype=np.uint8).reshape(32, 32)).save(src / "a.png")
    result = run("batch", src, tmp_path / "out", "--pool", "max:9999")
    assert "a.png: the pooling window (9999×9999) is larger than the padded input (32×32)" in result.output
    assert "512" not in result.output and "--pool MODE:N" in result.output


AVERAGED = ["0.25 0.5 0.5", "-k", "0.5 0.5"]           # 0.375 and 0.5
BOX = ["1 2 0 1; 0 0 3 1; 2 1 1 1; 0 4 1 0", "-k", "1/9 1/9 1/9; 1/9 1/9 1/9; 1/9 1/9 1/9"]  # 10/9 10/9; 4/3 4/3


@pytest.mark.parametrize("answer", ["0,375,0,5", "Resultado: 0,375; 0,5", "0,375 0,5", "0,375, 0,5",
                                    "(3/8) (1/2)", "3/8; 1/2"])
def test_a_spanish_students_answer_is_graded_as_they_meant_it(run, answer):
    result = run("check", *AVERAGED, "--answer", answer, "--lang", "es")
    assert result.exit_code == 0, result.output
    assert "¡Todo correcto! 2/2 celdas correctas" in result.output


def test_commas_for_both_are_named_and_an_english_csv_of_the_wrong_width_keeps_its_shape(run):
    spanish = run("check", *AVERAGED, "--answer", "0,375,0,5", "--lang", "es")
    assert "nota: se leyó '0,375,0,5' como 0.375 0.5 (comas decimales" in spanish.output
    wrong = run("check", "1 2 3 4", "-k", "1 1 1", "--answer", "1,2,3,4")  # 6 and 9: the input copied
    assert wrong.exit_code == 1 and "the answer is 1×4 but the output is 1×2" in wrong.output
    assert "decimal commas" not in wrong.output
    half = run("check", *AVERAGED, "--answer", "0,375,0,7")  # one cell right: the decimal reading
    assert half.exit_code == 1 and "1/2 cells correct" in half.output and "0.7✗" in half.output


def test_two_readings_as_good_as_each_other_are_both_named(run):
    result = run("check", "1 2 8.4", "-k", "0.5 0.5", "--answer", "1,5,2")  # 1.5 and 5.2 expected
    assert result.exit_code == 1 and "1/2 cells correct" in result.output
    assert "row 1 may also be read as '1 5.2' (instead of '1.5 2')" in result.output


@pytest.mark.parametrize("answer", ["3 - 5 4", "Respuesta: 3 − 5 4", "3 – 5 4", "3 -5 4"])
def test_a_minus_apart_from_its_number_is_its_sign(run, answer):
    result = run("check", "3 0 5 1", "-k", "1 -1", "--answer", answer)  # 3, -5 and 4
    assert result.exit_code == 0, result.output
    assert ("a minus written apart from its number" in result.output) == (answer != "3 -5 4")


@pytest.mark.parametrize("answer", ["1/9 * [[10, 10], [12, 12]]", "(1/9)[10 10; 12 12]", "10/9 10/9; 4/3 4/3",
                                    "(10/9) (10/9)\n(4/3) (4/3)",
                                    "$\\frac{1}{9} \\begin{bmatrix} 10 & 10 \\\\ 12 & 12 \\end{bmatrix}$"])
def test_an_average_filters_answer_in_fractions_is_right(run, answer):
    result = run("check", *BOX, "--answer", answer)
    assert result.exit_code == 0, result.output


def test_a_class_of_spanish_answers_is_graded_as_meant(run, tmp_path):
    folder = tmp_path / "respuestas"
    folder.mkdir()
    for name, text in {"ana.txt": "0,375,0,5\n", "luis.csv": "0,375;0,5\n", "eva.txt": "Respuesta:\n(3/8) (1/2)\n",
                       "juan.txt": "1/8 * [3 4]\n"}.items():
        (folder / name).write_text(text, encoding="utf-8")
    doc = json.loads(run("check", *AVERAGED, "--answers", folder, "-f", "json").output)
    assert {row["file"]: row["all_correct"] for row in doc["answers"]} == {
        "ana.txt": True, "luis.csv": True, "eva.txt": True, "juan.txt": True}
