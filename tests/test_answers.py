"""The answer reader: every format students write, read back exactly; unreadable answers name the cause.

The property tests make random matrices (1–8 × 1–8: integers, negatives, decimals
with 1–3 places, fractions, blanks), write each in one of the supported formats
with writers of their own (NumPy's repr/str and json.dumps where those exist),
and read them back with :func:`convtrace.io.answers.read_answer`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from convtrace.errors import ConvtraceValueError
from convtrace.io.answers import Answer, best_reading, read_answer
from convtrace.messages import answers as keys
from convtrace.messages import parsing

BLANK = None

# --------------------------------------------------------------------------- random matrices


def cell(fractions: bool = True):
    ints = st.integers(-999, 999).map(Fraction)
    decimals = st.tuples(st.integers(-99999, 99999), st.integers(1, 3)).map(
        lambda t: Fraction(Decimal(t[0]).scaleb(-t[1])))
    options = [ints, decimals, st.just(BLANK)]
    if fractions:
        fracs = st.tuples(st.integers(-99, 99), st.integers(2, 12)).map(lambda t: ("frac", t[0], t[1]))
        options.append(fracs)
    return st.one_of(*options)


@st.composite
def matrices(draw, fractions: bool = True, blanks: bool = True):
    h, w = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    rows = [[draw(cell(fractions)) for _ in range(w)] for _ in range(h)]
    if not blanks:
        rows = [[Fraction(0) if c is BLANK else c for c in row] for row in rows]
    return rows


def exact(c) -> Fraction | None:
    if c is BLANK:
        return None
    if isinstance(c, tuple):
        return Fraction(c[1], c[2])
    return c


def expected_arrays(rows):
    values = np.array([[np.nan if exact(c) is None else float(exact(c)) for c in row] for row in rows])
    blanks = np.array([[c is BLANK for c in row] for row in rows])
    return values, blanks


def assert_read(answer: Answer, rows):
    values, blanks = expected_arrays(rows)
    assert answer.values.dtype == np.float64
    assert answer.values.shape == values.shape, (answer.values.shape, values.shape)
    assert np.array_equal(answer.values, values, equal_nan=True), (answer.values, values)
    if blanks.any():
        assert answer.blanks is not None and np.array_equal(answer.blanks, blanks)
    else:
        assert answer.blanks is None


def decimal_text(c: Fraction, comma: bool) -> str:
    """A decimal Fraction as the shortest exact decimal text."""
    d = Decimal(c.numerator) / Decimal(c.denominator)
    text = format(d.normalize(), "f")
    return text.replace(".", ",") if comma else text


def number_text(c, comma: bool = False, minus: str = "-", plus: bool = False) -> str:
    if isinstance(c, tuple):
        text = f"{c[1]}/{c[2]}"
    else:
        text = decimal_text(c, comma)
    if text.startswith("-"):
        text = minus + text[1:]
    elif plus:
        text = "+" + text
    return text


def shape(rows):
    return (len(rows), len(rows[0]))


# --------------------------------------------------------------------------- writers, one per format


@st.composite
def plain_text(draw, rows):
    minus = draw(st.sampled_from(["-", "\u2212", "\u2013"]))
    plus = draw(st.booleans())
    sep = draw(st.sampled_from([" ", "  ", "\u00a0", " \u202f"]))
    row_sep = draw(st.sampled_from(["\n", "\r\n", "; ", " \n"]))
    text = row_sep.join(sep.join(draw(st.sampled_from(["?", "_", "-", "—"])) if c is BLANK
                                 else number_text(c, minus=minus, plus=plus) for c in row) for row in rows)
    if draw(st.booleans()):
        text = "\ufeff" + text + "  \n"
    return text


@st.composite
def comma_spaces(draw, rows):
    row_sep = draw(st.sampled_from(["\n", "; "]))
    return row_sep.join(" ".join("?" if c is BLANK else number_text(c, comma=True) for c in row) for row in rows)


def csv_cells(row, sep: str, comma: bool) -> str:
    if len(row) == 1:
        return "?" if row[0] is BLANK else number_text(row[0], comma=comma)
    return sep.join("" if c is BLANK else number_text(c, comma=comma) for c in row)


@st.composite
def spanish_csv(draw, rows):
    end = draw(st.sampled_from(["\n", "\r\n"]))
    return end.join(csv_cells(row, ";", True) for row in rows) + end


@st.composite
def english_csv(draw, rows):
    end = draw(st.sampled_from(["\n", "\r\n"]))
    return end.join(csv_cells(row, ",", False) for row in rows) + end


@st.composite
def tab_paste(draw, rows):
    comma = draw(st.booleans())
    return "\n".join(csv_cells(row, "\t", comma) for row in rows)


@st.composite
def quoted_csv(draw, rows):
    sep = draw(st.sampled_from([";", ","]))
    return "\n".join(sep.join('""' if c is BLANK else f'"{number_text(c, comma=True)}"' for c in row)
                     for row in rows)


def latex_number(c, draw, comma: bool) -> str:
    if c is BLANK:
        return draw(st.sampled_from(["?", r"\text{?}", "", r"\,?\,"]))
    if isinstance(c, tuple):
        frac = draw(st.sampled_from([r"\frac", r"\dfrac", r"\tfrac"]))
        num, den = c[1], c[2]
        if num < 0:
            return draw(st.sampled_from([f"-{frac}{{{-num}}}{{{den}}}", f"{frac}{{{num}}}{{{den}}}",
                                         f"\u2212{frac}{{{-num}}}{{{den}}}"]))
        return f"{frac}{{{num}}}{{{den}}}"
    text = decimal_text(c, False)
    if comma:
        text = text.replace(".", draw(st.sampled_from([",", "{,}"])))
    if text.startswith("-") and draw(st.booleans()):
        text = "{" + text + "}"
    return draw(st.sampled_from(["", r"\,", r"\;", " "])) + text


@st.composite
def latex(draw, rows, bare: bool = False, comma: bool | None = None):
    comma = draw(st.booleans()) if comma is None else comma
    newline = draw(st.sampled_from([" ", "\n", "\n  "]))
    body = (r" \\" + newline).join(" & ".join(latex_number(c, draw, comma) for c in row) for row in rows)
    if draw(st.booleans()):
        body += r" \\"
    # a blank last entry followed by nothing is written ? so that the row keeps its width (see README)
    if bare:
        if len(rows) == 1:
            body += r" \\"
        return body
    env = draw(st.sampled_from(["bmatrix", "pmatrix", "vmatrix", "Bmatrix", "matrix", "array"]))
    spec = "{" + "c" * len(rows[0]) + "}" if env == "array" else ""
    text = rf"\begin{{{env}}}{spec}{newline}{body}{newline}\end{{{env}}}"
    if env == "array" and draw(st.booleans()):
        text = r"\left[" + text + r"\right]"
    wrap = draw(st.sampled_from(["{}", "${}$", "$${}$$", r"\[{}\]", "$A = {}$", r"\begin{{equation}}{}\end{{equation}}"]))
    return wrap.format(text)


@st.composite
def matlab(draw, rows):
    sep = draw(st.sampled_from([" ", ", ", "  "]))
    multiline = draw(st.booleans())
    row_sep = draw(st.sampled_from(["\n ", ";\n ", "; "])) if multiline else "; "
    cont = draw(st.booleans())

    def row_text(row):
        parts = ["NaN" if c is BLANK else number_text(c) for c in row]
        if cont and len(parts) > 1:
            k = len(parts) // 2
            return sep.join(parts[:k]) + " ...\n   " + sep.join(parts[k:])
        return sep.join(parts)

    text = "[" + row_sep.join(row_text(r) for r in rows) + "]"
    if draw(st.booleans()):
        text = "A = " + text + ";"
    return text


def float_matrix(rows):
    return np.array([[np.nan if c is BLANK else float(exact(c)) for c in row] for row in rows])


FORMATS = {
    "plain": plain_text,
    "comma_spaces": comma_spaces,
    "spanish_csv": spanish_csv,
    "english_csv": english_csv,
    "tab_paste": tab_paste,
    "quoted_csv": quoted_csv,
    "latex": latex,
    "latex_rows": lambda rows: latex(rows, bare=True),
    "latex_points": lambda rows: latex(rows, comma=False),
    "matlab": matlab,
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@given(data=st.data(), lang=st.sampled_from(["en", "es"]))
def test_every_text_format_reads_back_exactly(fmt, data, lang):
    rows = data.draw(matrices())
    text = data.draw(FORMATS[fmt](rows))
    assume(fmt != "latex_rows" or "&" in text or r"\\" in text)
    assume(text != "-")  # '-' alone names standard input, as for every matrix
    assume(text.strip())  # a tab alone (one row of blank cells) is an empty answer
    assert_read(read_answer(text, expected_shape=shape(rows), lang=lang), rows)


@pytest.mark.parametrize("fmt", ["plain", "english_csv", "matlab", "latex_points"])
@given(data=st.data())
def test_formats_without_decimal_commas_need_no_expected_shape(fmt, data):
    rows = data.draw(matrices())
    # Trailing blanks of a CSV line need the expected shape (see the README); elsewhere none is needed.
    if fmt in ("english_csv", "latex_points"):
        rows = [row[:-1] + [Fraction(0) if row[-1] is BLANK else row[-1]] for row in rows]
    text = data.draw(FORMATS[fmt](rows))
    assume(text.strip() != "-")  # '-' alone names standard input: a lone blank is written '?' inline
    assert_read(read_answer(text), rows)


@given(rows=matrices(fractions=False), data=st.data())
def test_numpy_repr_and_str_read_back(rows, data):
    arr = float_matrix(rows)
    ints = all(c is BLANK or exact(c).denominator == 1 for row in rows for c in row) and not np.isnan(arr).any()
    if ints and data.draw(st.booleans()):
        arr = arr.astype(np.int64)
    text = data.draw(st.sampled_from([repr(arr), str(arr), "np." + repr(arr), f"x = np.{repr(arr)}"]))
    assert_read(read_answer(text, expected_shape=arr.shape), rows)


@given(rows=matrices(fractions=False), data=st.data())
def test_pytorch_printouts_read_back(rows, data):
    """What ``print(t)`` and ``repr(t)`` show, written by PyTorch itself, not by these tests."""
    torch = pytest.importorskip("torch")
    arr = float_matrix(rows)
    ints = all(c is BLANK or exact(c).denominator == 1 for row in rows for c in row) and not np.isnan(arr).any()
    tensor = torch.from_numpy(arr.astype(np.int64) if ints and data.draw(st.booleans()) else arr)
    if data.draw(st.booleans()):
        tensor = tensor[None]  # one channel: tensor([[[…]]])
    text = data.draw(st.sampled_from([repr(tensor), str(tensor), "torch." + repr(tensor)]))
    assert "tensor(" in text
    assert_read(read_answer(text, expected_shape=arr.shape), rows)


@given(rows=matrices(fractions=False))
def test_markdown_tables_as_the_quiz_writes_them_read_back(rows):
    """The exercise sheet's own tables (column numbers as the header, a rule under it), pasted back."""
    from convtrace.render.network import md_matrix

    arr = float_matrix(rows)
    text = md_matrix(arr, 15).replace("nan", "?")
    assert text.splitlines()[1].startswith("|---")
    assert_read(read_answer(text, expected_shape=arr.shape), rows)


@given(rows=matrices(fractions=False), data=st.data())
def test_one_bracketed_row_per_line_reads_back(rows, data):
    values = [[None if c is BLANK else (int(c) if c.denominator == 1 else float(c)) for c in row] for row in rows]
    between = data.draw(st.sampled_from(["\n", ",\n", ";\n", "; "]))
    spaced = data.draw(st.booleans())
    text = between.join(str(row).replace(",", "") if spaced else str(row) for row in values)
    answer = read_answer(text.replace("None", "?"), expected_shape=shape(rows))
    assert_read(answer, rows)
    assert len(rows) == 1 or keys.ANSWER_NOTE_STACKED in [n.key for n in answer.notes]


@given(rows=matrices(fractions=False), spaced=st.booleans())
def test_python_lists_read_back(rows, spaced):
    values = [[None if c is BLANK else (int(c) if c.denominator == 1 else float(c)) for c in row] for row in rows]
    text = str(values) if spaced else json.dumps(values, separators=(",", ":")).replace("null", "None")
    assert_read(read_answer(text, expected_shape=shape(rows)), rows)


@given(rows=matrices())
def test_json_files_read_back(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("json") / "answer.json"
    values = [[None if c is BLANK else float(exact(c)) for c in row] for row in rows]
    path.write_text(json.dumps(values))
    assert_read(read_answer(str(path), expected_shape=shape(rows)), rows)


@given(rows=matrices())
def test_npy_files_read_back(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("npy") / "answer.npy"
    np.save(path, float_matrix(rows))
    assert_read(read_answer(str(path)), rows)


@given(rows=matrices(), fmt=st.sampled_from(["plain", "spanish_csv", "latex", "matlab", "tab_paste"]),
       data=st.data())
def test_text_files_and_stdin_read_like_inline(tmp_path_factory, rows, fmt, data):
    import io

    text = data.draw(FORMATS[fmt](rows))
    assume(text != "-" and text.strip())
    path = tmp_path_factory.mktemp("txt") / "answer.txt"
    path.write_bytes(text.encode("utf-8"))
    try:
        inline = read_answer(text, expected_shape=shape(rows), lang="es")
    except ConvtraceValueError as err:
        with pytest.raises(ConvtraceValueError) as again:
            read_answer(str(path), expected_shape=shape(rows), lang="es")
        assert again.value.key == err.key
        return
    from_file = read_answer(str(path), expected_shape=shape(rows), lang="es")
    from_stdin = read_answer("-", expected_shape=shape(rows), lang="es", stdin=io.StringIO(text))
    for other in (from_file, from_stdin):
        assert np.array_equal(other.values, inline.values, equal_nan=True)
        assert [n.key for n in other.notes] == [n.key for n in inline.notes]


# --------------------------------------------------------------------------- decimal commas


def note_keys(answer: Answer) -> list[str]:
    return [n.key for n in answer.notes]


def test_decimal_commas_settled_by_the_expected_shape():
    two = read_answer("1,5 2", expected_shape=(1, 2))
    assert two.values.tolist() == [[1.5, 2.0]]
    assert keys.ANSWER_NOTE_COMMA_SHAPE in note_keys(two)
    three = read_answer("1,5 2", expected_shape=(1, 3))
    assert three.values.tolist() == [[1.0, 5.0, 2.0]]
    assert keys.ANSWER_NOTE_SEPARATOR_SHAPE in note_keys(three)
    assert read_answer("4 2,25; 3 4,75", expected_shape=(2, 2)).values.tolist() == [[4, 2.25], [3, 4.75]]
    assert read_answer("4,75", expected_shape=(1, 1)).values.tolist() == [[4.75]]
    assert read_answer("4,75", expected_shape=(1, 2)).values.tolist() == [[4, 75]]


def test_ambiguity_without_shape_follows_the_locale_or_asks():
    es = read_answer("4 2,25; 3 4,75", lang="es")
    assert es.values.tolist() == [[4, 2.25], [3, 4.75]]
    assert keys.ANSWER_NOTE_COMMA_LOCALE in note_keys(es)
    assert "como es habitual en español" in " ".join(es.note_messages("es"))
    with pytest.raises(ConvtraceValueError) as err:
        read_answer("4 2,25; 3 4,75", lang="en")
    assert err.value.key == keys.ANSWER_COMMA_AMBIGUOUS
    text = str(err.value)
    assert "'2,25'" in text and "2.25" in text and "2×2" in text and "2×3" in text and "--decimal-comma" in text
    # Neither reading fits the expected shape: the same rule.
    with pytest.raises(ConvtraceValueError) as err:
        read_answer("1,5 2", expected_shape=(3, 3))
    assert err.value.key == keys.ANSWER_COMMA_AMBIGUOUS


def test_commas_that_separate_values_stay_separators():
    for lang in ("en", "es"):
        assert read_answer("1,2,3", lang=lang).values.tolist() == [[1, 2, 3]]
        assert read_answer("1, 2; 3, 4", lang=lang).values.tolist() == [[1, 2], [3, 4]]
        assert read_answer("1,2\n3,4", lang=lang).values.tolist() == [[1, 2], [3, 4]]
        assert read_answer("[[1,5],[2,5]]", expected_shape=(2, 1), lang=lang).values.tolist() == [[1, 5], [2, 5]]


def test_forced_decimal_comma():
    forced = read_answer("1,5 2", decimal_comma=True)
    assert forced.values.tolist() == [[1.5, 2]]
    assert keys.ANSWER_NOTE_COMMA_FORCED in note_keys(forced)
    assert read_answer("1,5 2", decimal_comma=False, lang="es").values.tolist() == [[1, 5, 2]]
    # Forced, even against the expected shape (the grader then reports the shape).
    assert read_answer("1,5 2", decimal_comma=True, expected_shape=(1, 3)).values.tolist() == [[1.5, 2]]
    with pytest.raises(ConvtraceValueError) as err:
        read_answer(r"\begin{bmatrix} 2,5 & 1 \end{bmatrix}", decimal_comma=False)
    assert err.value.key == keys.ANSWER_NOT_NUMBER


def test_spreadsheet_forms():
    csv = read_answer("3,33;3,11;2\n1;0,5;7\n")
    assert csv.values.tolist() == [[3.33, 3.11, 2], [1, 0.5, 7]]
    assert keys.ANSWER_NOTE_SEMICOLON_CSV in note_keys(csv)
    assert keys.ANSWER_NOTE_DECIMAL_COMMA in note_keys(csv)
    tabs = read_answer("4\t2,25\n3\t4,75", expected_shape=(2, 2))
    assert tabs.values.tolist() == [[4, 2.25], [3, 4.75]]
    assert keys.ANSWER_NOTE_TABS in note_keys(tabs)
    quoted = read_answer('"3,5";"2"')
    assert quoted.values.tolist() == [[3.5, 2]]
    assert read_answer('"3,5","2"').values.tolist() == [[3.5, 2]]


def test_spanish_notes():
    answer = read_answer("4 2,25; 3 4,75", expected_shape=(2, 2))
    es = answer.note_messages("es")
    assert es[0] == "se leyó '2,25' como 2.25 (coma decimal; 2 números escritos así)"
    assert "las comas entre dígitos se leyeron como comas decimales" in es[1]
    assert answer.note_messages("en")[0] == "read '2,25' as 2.25 (decimal comma; 2 numbers written this way)"
    latex_note = read_answer(r"$\begin{pmatrix}1&2\end{pmatrix}$").note_messages("es")
    assert latex_note == ["se leyó como una matriz pmatrix de LaTeX"]


# --------------------------------------------------------------------------- blanks and empty cells


def test_empty_csv_cells_are_blanks():
    answer = read_answer("7,,7,8")
    assert np.array_equal(answer.values, [[7, np.nan, 7, 8]], equal_nan=True)
    assert answer.blanks.tolist() == [[False, True, False, False]]
    assert keys.ANSWER_NOTE_EMPTY_CELLS in note_keys(answer)
    assert read_answer("7;;7;8").blanks.tolist() == [[False, True, False, False]]
    assert read_answer("7\t\t7\t8").blanks.tolist() == [[False, True, False, False]]


def test_trailing_empty_cells_count_only_where_a_row_needs_them():
    # Every line ends with ';' (as some spreadsheets write): ignored.
    assert read_answer("1;2;\n3;4;").values.tolist() == [[1, 2], [3, 4]]
    # A short row: its trailing empty cell is a blank.
    short = read_answer("1,2,\n3,4,5")
    assert short.blanks.tolist() == [[False, False, True], [False, False, False]]
    # The expected shape asks for three columns: the trailing cells are blanks.
    wide = read_answer("1,2,\n3,4,", expected_shape=(2, 3))
    assert wide.blanks.tolist() == [[False, False, True], [False, False, True]]


def test_blank_markers_and_nulls():
    answer = read_answer("? _ - —\n1 2 3 4")
    assert answer.blanks.tolist() == [[True] * 4, [False] * 4]
    listed = read_answer("[[1, null], [NaN, 2]]")
    assert listed.blanks.tolist() == [[False, True], [True, False]]
    assert keys.ANSWER_NOTE_NAN_BLANK in note_keys(listed)


# --------------------------------------------------------------------------- the examples of the issue


@pytest.mark.parametrize("text, expected", [
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}", [[1, 2], [3, 4]]),
    ("$$\\begin{pmatrix}\n1 & 2 \\\\\n3 & 4\n\\end{pmatrix}$$", [[1, 2], [3, 4]]),
    (r"$\begin{vmatrix} -\frac{1}{9} & \,{-3} \\ \tfrac12 & \dfrac{3}{4} \end{vmatrix}$",
     [[-1 / 9, -3], [0.5, 0.75]]),
    (r"\[ \begin{Bmatrix} 1\;&\;2 \end{Bmatrix} \]", [[1, 2]]),
    (r"\begin{array}{c|c} 1 & 2 \\ \hline 3 & 4 \\ \end{array}", [[1, 2], [3, 4]]),
    ("1 & 2 \\\\\n3 & 4 \\\\", [[1, 2], [3, 4]]),
    (r"A = \begin{bmatrix} 2{,}25 & \frac{-1}{9} \end{bmatrix}", [[2.25, -1 / 9]]),
    (r"\left(\begin{array}{cc} 1 & 2 \end{array}\right)", [[1, 2]]),
    ("[1 2 3\n 4 5 6]", [[1, 2, 3], [4, 5, 6]]),
    ("[1, 2; 3, 4]", [[1, 2], [3, 4]]),
    ("A = [1 2 ...\n     3; 4 5 6];", [[1, 2, 3], [4, 5, 6]]),
    ("A = [1 2 3  % first row\n     4 5 6];", [[1, 2, 3], [4, 5, 6]]),
    ("A =\n\n     1     2\n     3     4\n", [[1, 2], [3, 4]]),
    ("array([[1, 2], [3, 4]])", [[1, 2], [3, 4]]),
    ("np.array([[1., 2.5], [3, 4]])", [[1, 2.5], [3, 4]]),
    ("array([[1, 2],\n       [3, 4]])", [[1, 2], [3, 4]]),
    ("array([[1., 2.],\n       [3., 4.]], dtype=float32)", [[1, 2], [3, 4]]),
    ("[[1 2]\n [3 4]]", [[1, 2], [3, 4]]),
    ("tensor([[1., 2.],\n        [3., 4.]])", [[1, 2], [3, 4]]),
    ("torch.tensor([[1, 2], [3, 4]], dtype=torch.int32)", [[1, 2], [3, 4]]),
    ("tensor([[1., 2.5]], grad_fn=<ConvolutionBackward0>)", [[1, 2.5]]),
    ("tensor([[1., 2.5]], requires_grad=True)", [[1, 2.5]]),
    ("<tf.Tensor: shape=(1, 2), dtype=int32, numpy=array([[1, 2]], dtype=int32)>", [[1, 2]]),
    ("[1, 2]\n[3, 4]", [[1, 2], [3, 4]]),
    ("[1 2 3]\n[4 5 6]\n", [[1, 2, 3], [4, 5, 6]]),
    ("[1, 2],\n[3, 4]", [[1, 2], [3, 4]]),
    ("[1 2]; [3 4]", [[1, 2], [3, 4]]),
    ("[[1, 2], [3, 4]]\n[[5, 6], [7, 8]]", [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]),
    ("{{1, 2}, {3, -4.5}}", [[1, 2], [3, -4.5]]),
    ("Answer:\n1 2\n3 4", [[1, 2], [3, 4]]),
    ("tensor([[[[1., 2.],\n          [3., 4.]]]], grad_fn=<ConvolutionBackward0>)", [[1, 2], [3, 4]]),
    ("Salida (2x2):\n1 2\n3 4\nFin", [[1, 2], [3, 4]]),
    ("Resultado de la convolución: 31", [[31]]),
    ("Respuesta: [[1, 2], [3, 4]]", [[1, 2], [3, 4]]),
    ("Out[3]:\narray([[1, 2],\n       [3, 4]])", [[1, 2], [3, 4]]),
    (">>> out\ntensor([[1, 2], [3, 4]])", [[1, 2], [3, 4]]),
    ("a,b\n1,2", [[1, 2]]),
    ("Canal 1:\n1 2\n3 4\nCanal 2:\n5 6\n7 8", [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]),
    ("|   |   |\n|---:|---:|\n| 1 | 2 |\n| 3 | 4 |", [[1, 2], [3, 4]]),
    ("| 1 | 2.5 |\n| -3 | 4 |", [[1, 2.5], [-3, 4]]),
    ("60 70 50 | 60 70 50", [[60, 70, 50], [60, 70, 50]]),
    ("37.5% 50%\n1% 100%", [[0.375, 0.5], [0.01, 1]]),
    ("37,5% 50%", [[0.375, 0.5]]),
    ("1 2 // first row\n3 4", [[1, 2], [3, 4]]),
    ("((1, 2), (3, 4))", [[1, 2], [3, 4]]),
    ("[[1, 2], [3, 4]]", [[1, 2], [3, 4]]),
    ("\u22121 +3\n3. .5", [[-1, 3], [3, 0.5]]),
    ("\ufeff1\u00a02\r\n1/9 \u20133   \r\n", [[1, 2], [1 / 9, -3]]),
    ("```\n1 2\n3 4\n```", [[1, 2], [3, 4]]),
    ("# my answer\n1 2\n3 4", [[1, 2], [3, 4]]),
    ("1 2\n3 4\n\n5 6\n7 8", [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]),
])
def test_issue_examples(text, expected):
    assert np.allclose(read_answer(text).values, np.array(expected, dtype=float), rtol=0, atol=0)


# --------------------------------------------------------------------------- unreadable answers, their causes


@pytest.mark.parametrize("text, key, words", [
    ("", keys.ANSWER_EMPTY, ["the answer is empty"]),
    ("   \n\n", keys.ANSWER_EMPTY, ["the answer is empty"]),
    ("# nothing yet\n", keys.ANSWER_EMPTY, ["the answer is empty"]),
    ("1 2\n3 abc", keys.ANSWER_NOT_NUMBER, ["<argument>:2:3", "'abc' is not a number"]),
    ("answer 2\n1 2\n3 4", keys.ANSWER_NOT_NUMBER, ["<argument>:1:1", "'answer' is not a number"]),
    ("1 inf", keys.ANSWER_INFINITE, ["'inf' (infinity)"]),
    ("1 2\n3", keys.ANSWER_RAGGED, ["<argument>:2", "row 2 has 1 value but row 1 has 2"]),
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4", keys.ANSWER_LATEX_NO_END, [r"looks like LaTeX but \end{bmatrix} is missing"]),
    (r"1 & 2 \\ 3 & 4 \end{pmatrix}", keys.ANSWER_LATEX_NO_BEGIN, [r"\begin{pmatrix} is missing"]),
    (r"\begin{bmatrix} 1 & 2 \end{pmatrix}", keys.ANSWER_LATEX_MISMATCH, [r"closed by \end{pmatrix}"]),
    (r"\begin{bmatrix} 1 & 2 \\ 3 & 4 & 5 \end{bmatrix}", keys.ANSWER_LATEX_RAGGED,
     ["LaTeX row 2 has 3 entries but row 1 has 2"]),
    ("\\begin{bmatrix}\n1 & 2 \\\\\n3 & 4 \\\\\n5 \\end{bmatrix}", keys.ANSWER_LATEX_RAGGED,
     ["<argument>:4", "LaTeX row 3 has 1 entry but row 1 has 2"]),
    (r"\begin{tabularx} 1 \end{tabularx}", keys.ANSWER_LATEX_UNKNOWN_ENV, ["not a matrix"]),
    (r"\begin{bmatrix} 2\cdot 3 & 1 \end{bmatrix}", keys.ANSWER_LATEX_COMMAND, [r"\cdot", "row 1, entry 1"]),
    (r"\begin{bmatrix} \sqrt{2} & 1 \end{bmatrix}", keys.ANSWER_LATEX_COMMAND, [r"\sqrt"]),
    (r"The answer is $\begin{bmatrix} 1 & 2 \end{bmatrix}$", keys.ANSWER_LATEX_OUTSIDE, ["'The'"]),
    (r"\begin{bmatrix} 1 2 & 3 \end{bmatrix}", keys.ANSWER_LATEX_SEVERAL_VALUES, ["separate entries with &"]),
    (r"\begin{bmatrix} {1 & 2 \end{bmatrix}", keys.ANSWER_LATEX_BRACES, ["braces"]),
    (r"\begin{bmatrix} 1 \end{bmatrix} \begin{bmatrix} 2 \end{bmatrix}", keys.ANSWER_LATEX_SEVERAL_MATRICES,
     ["2 LaTeX matrices"]),
    ("[1 2; 3 4", keys.ANSWER_UNCLOSED, ["'[' is never closed"]),
    ("[[1, 2], [3, 4]]]", keys.ANSWER_UNOPENED, ["closes nothing"]),
    ("array([[1, 2], [3, 4]]", keys.ANSWER_UNCLOSED, ["'(' is never closed"]),
    ("[[1, 2], [3, 4]] x", keys.ANSWER_TRAILING, ["'x'"]),
    ("[[1, 2], 3]", keys.ANSWER_MIXED_NESTING, ["mixes numbers and lists"]),
    ("[[[[1]]], [[[2]]]]", keys.ANSWER_TOO_MANY_DIMS, ["4 dimensions"]),
    ("[1 2; 3 4 5]", keys.ANSWER_RAGGED, ["row 2 has 3 values but row 1 has 2"]),
    ("1 2 \"3", keys.ANSWER_UNCLOSED, ["'\"' is never closed"]),
    ("1/0 2", parsing.PARSE_ZERO_DIVISION, ["divides by zero"]),
    ("1e999", parsing.PARSE_FLOAT_TOO_LARGE, ["too large"]),
    ("1 2\n\n1 2 3", parsing.PARSE_CHANNEL_SHAPE, ["channel 2 is 1×3 but channel 1 is 1×2"]),
    ("4 2,25; 3 4,75", keys.ANSWER_COMMA_AMBIGUOUS, ["'2,25' may be one number"]),
    ("1 000", keys.ANSWER_RAGGED, []),  # never: a thousands separator is two values — checked below
])
def test_unreadable_answers_name_the_cause(text, key, words):
    if text == "1 000":
        assert read_answer(text).values.tolist() == [[1, 0]]
        return
    with pytest.raises(ConvtraceValueError) as err:
        read_answer(text)
    assert err.value.key == key, str(err.value)
    for word in words:
        assert word in str(err.value)
    assert err.value.message("es") != str(err.value)  # a Spanish text exists
    assert "row 2 has 8 value" not in str(err.value)


def test_latex_errors_never_speak_of_plain_rows():
    text = "\\begin{bmatrix}\n1 & 2 & 3 & 4 & 5 & 6 & 7 & 8 \\\\\n1\n\\end{bmatrix}"
    with pytest.raises(ConvtraceValueError) as err:
        read_answer(text)
    assert err.value.key == keys.ANSWER_LATEX_RAGGED
    assert "LaTeX row 2 has 1 entry but row 1 has 8" in str(err.value)


def test_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(ConvtraceValueError) as err:
        read_answer(str(empty))
    assert err.value.key == keys.ANSWER_EMPTY and str(empty) in str(err.value)
    with pytest.raises(ConvtraceValueError) as err:
        read_answer(str(tmp_path))
    assert err.value.key == parsing.IS_DIRECTORY
    with pytest.raises(ConvtraceValueError) as err:
        read_answer(str(tmp_path / "missing.txt"))
    assert err.value.key == parsing.NO_SUCH_FILE
    obj = tmp_path / "a.json"
    obj.write_text('{"answer": [[1, 2]]}')
    with pytest.raises(ConvtraceValueError) as err:
        read_answer(str(obj))
    assert err.value.key == parsing.JSON_NOT_MATRIX
    inf = tmp_path / "inf.npy"
    np.save(inf, np.array([[1.0, np.inf]]))
    with pytest.raises(ConvtraceValueError) as err:
        read_answer(str(inf))
    assert err.value.key == keys.ANSWER_INFINITE
    words = tmp_path / "words.npy"
    np.save(words, np.array([["a", "b"]]))
    with pytest.raises(ConvtraceValueError) as err:
        read_answer(str(words))
    assert err.value.key == keys.ANSWER_NPY_NOT_NUMBERS
    crlf = tmp_path / "latin.csv"
    crlf.write_bytes("3,5;2\r\n1;0,25\r\n".encode("latin-1"))
    assert read_answer(str(crlf)).values.tolist() == [[3.5, 2], [1, 0.25]]


# --------------------------------------------------------------------------- what an outside pass found


@pytest.mark.parametrize("text", ["28 2 -6\n\n7 9 34\n\n20 12 -1\n", "28 2 -6\n7 9 34\n\n20 12 -1",
                                  "\n28 2 -6\n\n\n7 9 34\n20 12 -1\n\n"])
def test_rows_spaced_by_blank_lines_are_one_matrix_when_the_exercise_has_one_map(text):
    """A student who leaves a blank line between rows wrote one 3×3 matrix, not 1×3 maps (graded 0/9)."""
    answer = read_answer(text, expected_shape=(3, 3))
    assert answer.values.tolist() == [[28, 2, -6], [7, 9, 34], [20, 12, -1]]
    assert any(note.key == "answer_note_blank_lines" for note in answer.notes)
    maps = read_answer("1 2\n3 4\n\n5 6\n7 8", expected_shape=(2, 2, 2))  # blank lines part maps
    assert maps.values.shape == (2, 2, 2) and not any(n.key == "answer_note_blank_lines" for n in maps.notes)
    wrong = read_answer("1 2 3\n\n4 5 6", expected_shape=(3, 3))  # too few rows: read as written
    assert wrong.values.shape == (2, 1, 3)


@pytest.mark.parametrize("text, expected", [
    ("3,33;2,78;2,33\r\n3,11;3,89;3,44\r\n2,11;3,11;3,44\r\n;;\r\n", (3, 3)),
    ("1,2,3\n4,5,6\n,,\n,,\n", (2, 3)),
    ("1;2\n3;4\n;\n", (2, 2)),
])
def test_a_spreadsheets_empty_rows_below_the_table_are_not_rows_of_the_answer(text, expected):
    answer = read_answer(text, expected_shape=expected)
    assert answer.values.shape == expected and answer.blanks is None


def test_an_empty_row_inside_the_answer_stays_a_row_of_blanks():
    answer = read_answer("1;2\n;\n5;6", expected_shape=(3, 2))
    assert answer.values.shape == (3, 2) and answer.blanks.tolist() == [[False, False], [True, True], [False, False]]


@pytest.mark.parametrize("text, values", [
    ("28; 2; -6\n7; 9; 34\n20; 12; -1", [[28, 2, -6], [7, 9, 34], [20, 12, -1]]),
    ("3,5; 2,25\n1,5; 4\n", [[3.5, 2.25], [1.5, 4]]),
    ("1;\n2;\n3;", [[1], [2], [3]]),
])
def test_semicolons_and_spaces_between_the_values_of_every_line(text, values):
    """``28; 2; -6`` a line is a row of three values (it was read as three rows of one, 9×1)."""
    shape = np.array(values).shape
    for lang in ("en", "es"):
        assert read_answer(text, expected_shape=shape, lang=lang).values.tolist() == values
    assert read_answer("1 2; 3 4\n5 6; 7 8", expected_shape=(4, 2)).values.tolist() == [[1, 2], [3, 4], [5, 6],
                                                                                          [7, 8]]


@pytest.mark.parametrize("text, values", [(",5 ,5; ,5 ,5", [[0.5, 0.5], [0.5, 0.5]]),
                                          (",5 0,25; 1,5 ,75", [[0.5, 0.25], [1.5, 0.75]]),
                                          ("-,5 ,5", [[-0.5, 0.5]])])
def test_a_number_written_from_its_decimal_comma_is_read_as_spanish_writes_it(text, values):
    """``,5`` is 0,5 (it was a blank and a 5); ``6 ,8`` stays two values."""
    shape = np.array(values).shape
    for lang in ("en", "es"):
        answer = read_answer(text, expected_shape=shape, lang=lang)
        assert answer.values.tolist() == values and answer.blanks is None
    assert read_answer("6 ,8", expected_shape=(1, 2)).values.tolist() == [[6, 8]]


@pytest.mark.parametrize("encoding, text", [("utf-16", "28 2 -6\n7 9 34\n"), ("utf-16-be", "\ufeff28 2 -6\n7 9 34\n"),
                                            ("cp1252", "28 2 \u20136\n7 9 34\n"), ("utf-8-sig", "28 2 −6\n7 9 34\n")])
def test_an_answer_file_in_windows_encodings_is_read(tmp_path, encoding, text):
    """Notepad's "Unicode" (UTF-16 with a BOM) and Word's en dash for a minus in code page 1252 (byte 0x96)
    were refused ('ÿþ2' is not a number)."""
    path = tmp_path / "answer.txt"
    path.write_bytes(text.encode(encoding))
    assert read_answer(str(path), expected_shape=(2, 3)).values.tolist() == [[28, 2, -6], [7, 9, 34]]


# --------------------------------------------------------------------------- commas for both, a spaced minus, fractions


def right_cells(expected):
    """What the grader counts for a reading: its cells equal to ``expected`` (0 for another shape)."""
    expected = np.asarray(expected, dtype=float)
    return lambda reading: int(np.isclose(reading.values, expected, rtol=0, atol=1e-9).sum()) \
        if reading.values.shape == expected.shape else 0


def test_a_spanish_row_with_commas_for_both_is_offered_in_the_exercises_width():
    """``0,25,1,75`` (0.25 and 1.75 with decimal commas and commas between) was four values, 0, 25, 1, 75."""
    text = "Resultado:\n0,25,1,75\n2,5,0,125\n"
    answer = read_answer(text, expected_shape=(2, 2), lang="es")
    assert answer.values.tolist() == [[0, 25, 1, 75], [2, 5, 0, 125]]  # as written: a grader may name the shape
    assert [alt.values.tolist() for alt in answer.alternatives] == [[[0.25, 1.75], [2.5, 0.125]]]
    chosen = best_reading(answer, right_cells([[0.25, 1.75], [2.5, 0.125]]))
    assert chosen.values.tolist() == [[0.25, 1.75], [2.5, 0.125]]
    assert note_keys(chosen) == [keys.ANSWER_NOTE_LABEL, keys.ANSWER_NOTE_COMMA_GROUPS]
    assert chosen.note_messages("es")[1].startswith("se leyó '0,25,1,75' como 0.25 1.75 (comas decimales")
    assert "2 filas leídas así" in chosen.note_messages("es")[1]
    assert chosen.note_messages("en")[1].startswith("read '0,25,1,75' as 0.25 1.75 (decimal commas")
    # Nothing right either way: the answer as written is graded (its shape is what is wrong).
    assert best_reading(answer, right_cells([[9, 9], [9, 9]])) is answer


@pytest.mark.parametrize("text, shape", [("0,25,1,75", None), ("0,25,1,75", (1, 4)), ("0,25, 1,75", (1, 2)),
                                         ("0,25 1,75", (1, 2)), ("[0,25,1,75]", (1, 2)), ("1,5 2", (1, 2))])
def test_no_other_reading_where_the_row_fits_or_the_shape_is_unknown(text, shape):
    assert read_answer(text, expected_shape=shape).alternatives == []


def test_commas_for_both_read_or_not_as_asked():
    forced = read_answer("1,5,0,25\n2,0,75", expected_shape=(2, 2), decimal_comma=True)
    assert [forced.values.tolist()] + [alt.values.tolist() for alt in forced.alternatives] == [
        [[1.5, 0.25], [2, 75]], [[1.5, 0.25], [2, 0.75]]]  # '2,0,75': 2,0 and 75, or 2 and 0,75
    assert keys.ANSWER_NOTE_COMMA_FORCED in note_keys(forced)
    assert best_reading(forced, right_cells([[1.5, 0.25], [2, 0.75]])).values.tolist()[1] == [2, 0.75]
    separators = read_answer("1,5,0,25", expected_shape=(1, 2), decimal_comma=False)
    assert separators.values.tolist() == [[1, 5, 0, 25]] and separators.alternatives == []


def test_rows_that_cannot_be_read_as_written_are_read_with_their_decimal_commas():
    """``0,375,0,5`` then ``1,25,2``: 4 and 3 values as written (refused); 0.375 0.5 and 1.25 2 meant."""
    answer = read_answer("0,375,0,5\n1,25,2", expected_shape=(2, 2), lang="es")
    readings = [answer.values.tolist()] + [alt.values.tolist() for alt in answer.alternatives]
    assert readings == [[[0.375, 0.5], [1.25, 2]], [[0.375, 0.5], [1, 25.2]]]
    assert best_reading(answer, right_cells([[0.375, 0.5], [1, 25.2]])).values.tolist()[1] == [1, 25.2]


def test_two_readings_that_make_as_many_cells_right_are_both_named():
    answer = read_answer("Respuesta: 1,5,2", expected_shape=(1, 2), lang="es")
    assert answer.values.tolist() == [[1, 5, 2]]
    assert sorted(alt.values.tolist()[0] for alt in answer.alternatives) == [[1, 5.2], [1.5, 2]]
    assert best_reading(answer, right_cells([[1.5, 7]])).values.tolist() == [[1.5, 2]]
    assert best_reading(answer, right_cells([[4, 5.2]])).values.tolist() == [[1, 5.2]]
    tied = best_reading(answer, right_cells([[1.5, 5.2]]))  # one cell right either way
    assert note_keys(tied)[-1] == keys.ANSWER_NOTE_COMMA_GROUPS_TIED
    assert tied.note_messages("en")[-1].startswith("row 1 may also be read as '1 5.2' (instead of '1.5 2')")
    assert "la nota es la misma" in tied.note_messages("es")[-1]


@pytest.mark.parametrize("text, shape, values", [
    ("1 - 3 4", (1, 3), [[1, -3, 4]]),
    ("Salida:\n2 − 7 0\n− 1 5 6", (2, 3), [[2, -7, 0], [-1, 5, 6]]),
    ("resultado: 4 – 2", (1, 2), [[4, -2]]),                    # Word's en dash
    ("- 0,5 1", (1, 2), [[-0.5, 1]]),
    ("- 1/9 2", (1, 2), [[-1 / 9, 2]]),
    ("10; - 12", (2, 1), [[10], [-12]]),
])
def test_a_minus_written_apart_from_its_number_is_its_sign_where_the_row_needs_it(text, shape, values):
    answer = read_answer(text, expected_shape=shape, lang="es")
    assert np.allclose(answer.values, values, rtol=0, atol=1e-12) and answer.blanks is None
    assert keys.ANSWER_NOTE_SPACED_MINUS in note_keys(answer)


def test_a_lone_minus_stays_a_blank_where_the_row_needs_it_or_nothing_says():
    four = read_answer("1 - 3 4", expected_shape=(1, 4))
    assert four.blanks.tolist() == [[False, True, False, False]]
    assert read_answer("1 - 3 4").blanks.tolist() == [[False, True, False, False]]
    attached = read_answer("1 -3 4", expected_shape=(1, 3))
    assert attached.values.tolist() == [[1, -3, 4]] and keys.ANSWER_NOTE_SPACED_MINUS not in note_keys(attached)
    # A '-' between tabs is a spreadsheet's empty cell; and the signs never decide what a comma is.
    assert read_answer("1\t-\t3\n4\t5\t6", expected_shape=(2, 2)).blanks.tolist() == [[False, True, False],
                                                                                       [False, False, False]]
    assert read_answer("- 12 -0,75", expected_shape=(1, 3)).values.tolist()[0][1:] == [12, -0.75]
    # Which of two minuses is the sign? Neither is taken as read.
    both = read_answer("- 1 - 3", expected_shape=(1, 3))
    assert both.values.shape == (1, 4) and len(both.alternatives) == 2
    message = read_answer("7 − 3", expected_shape=(1, 2)).note_messages("es")[0]
    assert message.startswith("se leyó '- 3' como -3 (un signo menos separado de su número")


@pytest.mark.parametrize("text, values", [
    ("(1/9) (2/9) (1/9)\n-2/3 5/16 −(1/3)", [[1 / 9, 2 / 9, 1 / 9], [-2 / 3, 5 / 16, -1 / 3]]),
    ("(−1/16); (3/8)", [[-1 / 16], [3 / 8]]),
    ("[(1/9), (2/9)]", [[1 / 9, 2 / 9]]),
    ("(0,5) (1,25)", [[0.5, 1.25]]),
])
def test_fractions_in_parentheses_are_values(text, values):
    shape = np.array(values).shape
    assert np.allclose(read_answer(text, expected_shape=shape).values, values, rtol=0, atol=1e-12)


@pytest.mark.parametrize("text, values", [
    ("1/9 * [[9, 18], [27, 0]]", [[1, 2], [3, 0]]),
    ("Respuesta: (1/9)[[9, 18], [27, 0]]", [[1, 2], [3, 0]]),
    ("1/16·[1 2 1; 2 4 2]", [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16]]),
    ("A = -1/4 * np.array([[4, 2], [1, 0]])", [[-1, -0.5], [-0.25, 0]]),
    ("(1/49) * {{49, 98}, {147, 0}}", [[1, 2], [3, 0]]),
    ("$\\frac{1}{9}\\begin{bmatrix} 9 & 18 \\\\ 27 & 0 \\end{bmatrix}$", [[1, 2], [3, 0]]),
    ("\\tfrac19 \\cdot \\begin{pmatrix} 9 & 18 \\\\ 27 & 0 \\end{pmatrix}", [[1, 2], [3, 0]]),
])
def test_a_factor_before_the_matrix_multiplies_every_value_exactly(text, values):
    answer = read_answer(text, expected_shape=np.array(values).shape, lang="es")
    assert answer.values.tolist() == values  # exactly: 49 × 1/49 is 1, where 49 × 0.0204… is 0.9999…
    assert note_keys(answer)[-1] == keys.ANSWER_NOTE_FACTOR
    assert answer.note_messages("es")[-1].startswith("se multiplicó cada valor por")


def test_a_fraction_alone_is_an_answer_and_a_number_before_a_matrix_needs_a_sign_to_be_a_factor():
    assert read_answer("(1/9)").values.tolist() == [[1 / 9]]
    assert read_answer("−(2/3)").values.tolist() == [[-2 / 3]]
    with pytest.raises(ConvtraceValueError):
        read_answer("2 [1 2]")
    with pytest.raises(ConvtraceValueError) as err:
        read_answer("1/0 * [1 2]")
    assert err.value.key == parsing.PARSE_ZERO_DIVISION


@pytest.mark.parametrize("text", ["0,375; 0,5", "0,375 ; 0,5 "])
def test_one_line_of_values_parted_by_semicolons_is_the_exercises_one_row(text):
    """``0,375; 0,5`` for a 1×2 answer was read as a column (2×1) and graded 0/2."""
    assert read_answer(text, expected_shape=(1, 2)).values.tolist() == [[0.375, 0.5]]
    assert read_answer(text, expected_shape=(2, 1)).values.tolist() == [[0.375], [0.5]]
    assert read_answer("1; 2").values.tolist() == [[1], [2]]  # MATLAB's column where nothing says otherwise


def spanish(c: Fraction) -> str:
    return decimal_text(c, comma=True)


@given(data=st.data())
def test_rows_written_with_commas_for_both_are_read_back_by_the_cells_they_make_right(data):
    """Random decimals (and integers, negatives) written as a Spanish student does with commas between
    values too: the reading that makes every cell right is the one the grader takes."""
    h, w = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3))
    rows = [[data.draw(cell(fractions=False).filter(lambda c: c is not BLANK)) for _ in range(w)]
            for _ in range(h)]
    text = "\n".join(",".join(spanish(c) for c in row) for row in rows)
    truth = [[float(c) for c in row] for row in rows]
    lang = data.draw(st.sampled_from(["en", "es"]))
    try:
        answer = read_answer(text, expected_shape=(h, w), lang=lang)
    except ConvtraceValueError as err:  # '1,5' alone, neither reading fitting: the reader's own choice
        assert err.key == keys.ANSWER_COMMA_AMBIGUOUS and lang == "en"
        return
    assert best_reading(answer, right_cells(truth)).values.tolist() == truth
