"""Reading matrices, .npy files and answer keys: one meaning per text, and one clear error for every bad file.

Runs anything that could allocate without bound under an address-space limit
(see ``limited``), so a regression fails fast instead of taking the machine down.
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from convtrace.errors import ConvtraceValueError
from convtrace.io.keys import read_key
from convtrace.io.matrix import MAX_NESTING, parse_matrix_text
from convtrace.io.readers import read_matrix
from convtrace.messages import parsing
from convtrace.syntax import NumberTooLarge, float_spelling, parse_number

ROOT = Path(__file__).resolve().parent.parent


def parse(text: str, **kw) -> np.ndarray:
    return parse_matrix_text(text, "f.txt", **kw).values


def refused(text: str, **kw) -> str:
    with pytest.raises(ConvtraceValueError) as info:
        parse_matrix_text(text, "f.txt", **kw)
    return str(info.value)


def one_clean_line(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.output.strip().count("\n") == 0, result.output
    return result.output


# ----------------------------------------------------------------------------- one number grammar


def test_one_number_parser_for_matrices_and_options():
    import convtrace.io.matrix as matrix

    assert not hasattr(matrix, "_NUMBER")  # the grammar lives in syntax only
    assert parse_number("1/9") == parse_matrix_text("1/9", "x").exact[0, 0]
    assert parse("−3 ‒2 +4 .5 1e-3 inf").tolist()[0][:3] == [-3.0, -2.0, 4.0]
    assert parse_number("1e999") == float("inf")  # unbounded, as options and the API always read it


@pytest.mark.parametrize(("text", "integer"), [
    ("99999999999999999999", True), ("-9223372036854775809", True), ("9" * 5000, True),
    ("1/99999999999999999999", True), ("99999999999999999999/3", True), ("1e999", False), ("-1.5e400", False),
])
def test_bounded_numbers_refuse_what_no_machine_number_holds(text, integer):
    with pytest.raises(NumberTooLarge) as info:
        parse_number(text, bounded=True)
    assert info.value.integer is integer


def test_the_int64_edges_are_read_exactly():
    values = parse("9223372036854775807 -9223372036854775808")
    assert values.dtype == np.int64
    assert values.tolist() == [[2**63 - 1, -(2**63)]]
    assert parse("000000000000000000000000042").tolist() == [[42]]


def test_float_spelling():
    assert float_spelling("99999999999999999999") == "1e20"
    assert float_spelling("-123456789012345678901") == "-1.23e20"
    assert float_spelling("123456789012345678901/10") == "1.23e19"


# ----------------------------------------------------------------------------- numbers too large


def test_integer_beyond_int64_is_refused_with_where_and_how():
    message = refused("1 2\n3 99999999999999999999\n")
    assert message.startswith("f.txt:2:3: '99999999999999999999' is beyond 64-bit integers")
    assert "write it as 1e20" in message


def test_integer_beyond_int64_is_refused_even_among_decimals():
    assert "beyond 64-bit integers" in refused("0.5 99999999999999999999")


def test_integer_beyond_every_float_is_too_large_and_cut_short_in_the_message():
    message = refused("1 " + "9" * 5000)
    assert message.startswith("f.txt:1:3: '9999")
    assert "too large for a number" in message and "1.8e308" in message
    assert len(message) < 300


def test_1e999_is_refused_not_infinity():
    message = refused("1 2\n1e999 4")
    assert message.startswith("f.txt:2:1: '1e999' is too large for a number")
    assert "within ±1.8e308" in message
    assert parse("inf 1").tolist() == [[float("inf"), 1.0]]  # infinity written as such stays


def test_json_file_with_huge_integers(tmp_path):
    path = tmp_path / "m.json"
    path.write_text("[[1, 2], [3, 99999999999999999999]]", encoding="utf-8")
    with pytest.raises(ConvtraceValueError, match=r"m\.json:1:14: '99999999999999999999' is beyond 64-bit"):
        read_matrix(str(path))
    path.write_text("[[1, " + "9" * 5000 + "]]", encoding="utf-8")  # past Python's int-string limit too
    with pytest.raises(ConvtraceValueError, match="too large for a number"):
        read_matrix(str(path))


# ----------------------------------------------------------------------------- one meaning per text


@pytest.mark.parametrize(("text", "expected"), [
    ("6 8; 12 14", [[6, 8], [12, 14]]),
    ("1, 2; 3, 4", [[1, 2], [3, 4]]),
    ("1,2,3;4,5,6", [[1, 2, 3], [4, 5, 6]]),
    ("1,2; 3,4", [[1, 2], [3, 4]]),
    ("1; -1", [[1], [-1]]),
    ("3;3;4", [[3, 3, 4]]),
    ("3;3;4\n1;2;3", [[3, 3, 4], [1, 2, 3]]),
    ("1 2 3\n4;5;6", [[1, 2, 3], [4, 5, 6]]),
    ("1,2,3\n4,5,6", [[1, 2, 3], [4, 5, 6]]),
    ("[1 2; 3 4]", [[1, 2], [3, 4]]),
    ("[[1,2],[3,4]]", [[1, 2], [3, 4]]),
])
def test_a_text_means_the_same_inline_and_in_a_file(tmp_path, text, expected):
    inline = parse_matrix_text(text, "<argument>", inline=True).values
    path = tmp_path / "m.txt"
    path.write_text(text + "\n", encoding="utf-8")
    from_file = read_matrix(str(path)).values
    assert inline.tolist() == expected
    assert from_file.tolist() == expected


def test_the_issue_example_is_2x2_in_a_file_and_inline(tmp_path):
    path = tmp_path / "m.txt"
    path.write_text("6 8; 12 14\n", encoding="utf-8")
    assert read_matrix(str(path)).values.shape == (2, 2)
    assert read_matrix("6 8; 12 14").values.shape == (2, 2)


def test_european_csv_file_keeps_semicolon_as_value_separator(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("3;3;4\r\n1;2;3\r\n", encoding="utf-8")
    assert read_matrix(str(path)).values.tolist() == [[3, 3, 4], [1, 2, 3]]


def test_a_comment_line_does_not_split_channels():
    assert parse("1 2\n# note\n3 4").shape == (2, 2)
    assert parse("1 2\n3 4\n\n5 6\n7 8").shape == (2, 2, 2)


# ----------------------------------------------------------------------------- decimal comma


@pytest.mark.parametrize(("text", "where", "token", "decimal"), [
    ("0,5 1,5", "f.txt:1:1", "0,5", "0.5"),
    ("1 2\n3 4,25", "f.txt:2:3", "4,25", "4.25"),
    ("3,5;2,25;1", "f.txt:1:1", "3,5", "3.5"),
    ("1;2,5;3", "f.txt:1:3", "2,5", "2.5"),
    ("1 2; 0,5 3", "f.txt:1:6", "0,5", "0.5"),
    ("−0,5 1", "f.txt:1:1", "-0,5", "-0.5"),
])
def test_a_decimal_comma_is_named_not_split(text, where, token, decimal):
    message = refused(text)
    assert message.startswith(f"{where}: '{token}' looks like a decimal comma")
    assert f"write {decimal}" in message and "', '" in message


def test_plain_csv_answers_still_read(tmp_path):
    assert parse("1,2,3", allow_blank=True).tolist() == [[1, 2, 3]]
    assert parse("1,2\n3,?", allow_blank=True).tolist() == [[1, 2], [3, 0]]
    path = tmp_path / "answer.csv"
    path.write_text("31,30\n29,28\n", encoding="utf-8")
    assert read_matrix(str(path), allow_blank=True).values.tolist() == [[31, 30], [29, 28]]


def test_decimal_comma_on_the_command_line(run):
    out = one_clean_line(run("conv", "0,5 1,5; 2 3", "-k", "1"))
    assert "'0,5' looks like a decimal comma" in out
    out = one_clean_line(run("conv", "0,5 1,5; 2 3", "-k", "1", "--lang", "es"))
    assert "parece una coma decimal" in out


# ----------------------------------------------------------------------------- shapes and nesting


def test_channels_of_different_shapes_name_the_block(tmp_path):
    path = tmp_path / "stack.txt"
    path.write_text("1 2\n3 4\n\n1 2 3\n4 5 6\n", encoding="utf-8")
    with pytest.raises(ConvtraceValueError, match=r"stack\.txt:4: channel 2 is 2×3 but channel 1 is 2×2"):
        read_matrix(str(path))
    path.write_text("1 2\n3 4\n\n1 2\n3 4\n\n5 6\n7 8\n9 10\n", encoding="utf-8")
    with pytest.raises(ConvtraceValueError, match=r"stack\.txt:7: channel 3 is 3×2 but channel 1 is 2×2"):
        read_matrix(str(path))
    assert "channel 2 is 2×3" in refused("[[[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]]]")


def test_ragged_rows_keep_their_message():
    assert refused("1 2; 3").startswith("f.txt:1: row 2 has 1 value but row 1 has 2")
    assert refused("1 2\n3 4\n\n5 6\n7").startswith("f.txt:5: row 2 has 1 value but row 1 has 2")


def test_json_nested_2000_deep_is_one_clear_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 2000 + "1" + "]" * 2000, encoding="utf-8")
    with pytest.raises(ConvtraceValueError, match=f"deep.json:1:{MAX_NESTING + 1}: brackets nested more than"):
        read_matrix(str(path))
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ConvtraceValueError):
        read_matrix(str(path))
    assert "nested more than" in refused("[" * 50 + "1" + "]" * 50)


def test_a_text_past_the_memory_limit_is_refused_before_tokenising(monkeypatch):
    monkeypatch.setenv("CONVTRACE_MAX_MEMORY", "1M")
    with pytest.raises(ConvtraceValueError, match="reading this text matrix would need"):
        parse_matrix_text("1 " * 100_000, "big.txt")


# ----------------------------------------------------------------------------- .npy files


def test_npy_empty_objects_and_damage_are_clean(tmp_path):
    np.save(tmp_path / "empty.npy", np.zeros((0,)))
    with pytest.raises(ConvtraceValueError, match=r"empty\.npy: the array is empty \(shape \(0,\)\)"):
        read_matrix(str(tmp_path / "empty.npy"))
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ConvtraceValueError, match="holds Python objects") as info:
        read_matrix(str(tmp_path / "obj.npy"))
    assert "allow_pickle" not in str(info.value)
    (tmp_path / "zero.npy").write_bytes(b"")
    with pytest.raises(ConvtraceValueError, match=r"zero\.npy: not a readable \.npy array \(the file is empty\)"):
        read_matrix(str(tmp_path / "zero.npy"))
    (tmp_path / "text.npy").write_text("1 2\n3 4\n", encoding="utf-8")
    with pytest.raises(ConvtraceValueError, match=r"text\.npy: not a readable \.npy array"):
        read_matrix(str(tmp_path / "text.npy"))


def _npy_header_only(path: Path, shape: tuple, descr: str = "<f8", extra: bytes = b"") -> None:
    from numpy.lib import format as npy_format

    with open(path, "wb") as handle:
        npy_format.write_array_header_1_0(handle, {"descr": descr, "fortran_order": False, "shape": shape})
        handle.write(extra)


def test_npy_header_claiming_1e15_values_is_refused_before_allocating(tmp_path):
    path = tmp_path / "huge.npy"
    _npy_header_only(path, (10**15,))
    with pytest.raises(ConvtraceValueError, match=r"huge\.npy: the header promises shape \(1000000000000000,\)"):
        read_matrix(str(path))
    _npy_header_only(path, (1000, 1000), extra=b"x" * 80)
    with pytest.raises(ConvtraceValueError, match="holds only 80 bytes"):
        read_matrix(str(path))


def test_npy_past_the_memory_limit_is_refused(tmp_path, monkeypatch):
    np.save(tmp_path / "m.npy", np.zeros((100, 100)))
    monkeypatch.setenv("CONVTRACE_MAX_MEMORY", "1K")
    with pytest.raises(ConvtraceValueError, match=r"loading this \.npy array would need .*m\.npy, 100×100"):
        read_matrix(str(tmp_path / "m.npy"))
    monkeypatch.delenv("CONVTRACE_MAX_MEMORY")
    assert read_matrix(str(tmp_path / "m.npy")).values.shape == (100, 100)


def test_npy_that_works_still_works(tmp_path):
    arr = np.arange(12, dtype=np.int32).reshape(3, 4)
    np.save(tmp_path / "a.npy", arr)
    assert np.array_equal(read_matrix(str(tmp_path / "a.npy")).values, arr)
    np.save(tmp_path / "f.npy", np.asfortranarray(arr.astype(np.float32)))
    assert np.array_equal(read_matrix(str(tmp_path / "f.npy")).values, arr)


def test_images_still_read(tmp_path):
    from PIL import Image

    Image.fromarray(np.arange(12, dtype=np.uint8).reshape(3, 4)).save(tmp_path / "g.png")
    assert read_matrix(str(tmp_path / "g.png")).values.shape == (3, 4)
    Image.fromarray(np.zeros((3, 4, 3), dtype=np.uint8)).save(tmp_path / "c.png")
    assert read_matrix(str(tmp_path / "c.png")).values.shape == (3, 3, 4)


# ----------------------------------------------------------------------------- the command line


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "deep.json": "[" * 2000 + "1" + "]" * 2000,
        "big.txt": "1 99999999999999999999\n",
        "big.json": "[[1, 99999999999999999999]]",
        "inf.txt": "1e999 1\n",
        "dec.txt": "0,5 1,5\n",
        "ragged.txt": "1 2\n3 4\n\n1 2 3\n4 5 6\n",
    }
    out = {}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        out[name] = tmp_path / name
    np.save(tmp_path / "empty.npy", np.zeros((0,)))
    np.save(tmp_path / "obj.npy", np.array([None, 1], dtype=object), allow_pickle=True)
    (tmp_path / "zero.npy").write_bytes(b"")
    _npy_header_only(tmp_path / "huge.npy", (10**15,))
    for name in ("empty.npy", "obj.npy", "zero.npy", "huge.npy"):
        out[name] = tmp_path / name
    return out


def test_bad_files_are_one_line_exit_2_as_input_kernel_and_answer(run, tmp_path):
    for name, path in _bad_files(tmp_path).items():
        for args in (("conv", path, "-k", "1"), ("conv", "1 2; 3 4", "-k", path),
                     ("check", "1 2; 3 4", "-k", "1", "-a", path)):
            out = one_clean_line(run(*args))
            assert name in out, (args, out)
            assert "allow_pickle" not in out and "Aborted" not in out


def test_bad_files_in_spanish(run, tmp_path):
    files = _bad_files(tmp_path)
    assert "supera los enteros de 64 bits" in one_clean_line(run("conv", files["big.txt"], "-k", "1", "--lang", "es"))
    assert "el canal 2 es 2×3" in one_clean_line(run("conv", files["ragged.txt"], "-k", "1", "--lang", "es"))
    assert "está vacío" in one_clean_line(run("conv", files["empty.npy"], "-k", "1", "--lang", "es"))


def test_inline_numbers_too_large(run):
    assert "write it as 1e20" in one_clean_line(run("conv", "99999999999999999999 1", "-k", "1"))
    assert "too large for a number" in one_clean_line(run("conv", "1 2; 3 4", "-k", "1e999"))


def test_huge_npy_header_under_an_address_space_limit(tmp_path):
    """Through the real command line in a process limited to 2 GB: refused, never allocated."""
    _npy_header_only(tmp_path / "huge.npy", (10**15,))

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    code = "from convtrace.cli import app; app()"
    out = subprocess.run([sys.executable, "-c", code, "conv", str(tmp_path / "huge.npy"), "-k", "1"],
                         capture_output=True, text=True, cwd=ROOT, preexec_fn=limit, timeout=120)
    assert out.returncode == 2, out.stderr
    assert "header promises" in out.stderr and "Traceback" not in out.stderr


# ----------------------------------------------------------------------------- answer keys


def _key(tmp_path: Path, **changes) -> Path:
    doc = {"convtrace_key": 2, "op": "conv2d", "input": [[1, 2], [3, 4]],
           "params": {"padding": 0, "pad_mode": "zeros", "pad_value": 0, "stride": 1, "dilation": 1, "flip": False},
           "kernel": {"name": "k", "weights": [[1]], "scale": "1"}, "seed": 1, "expected": [[1, 2], [3, 4]]}
    for name, value in changes.items():
        if name.startswith("kernel_"):
            doc["kernel"][name[len("kernel_"):]] = value
        else:
            doc[name] = value
    path = tmp_path / "key.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_good_key_reads(tmp_path):
    exercise = read_key(_key(tmp_path))
    assert exercise.kernel.scale == 1 and exercise.input.tolist() == [[1, 2], [3, 4]]


@pytest.mark.parametrize(("changes", "fragment"), [
    ({"params": [1, 2]}, "params must be an object"),
    ({"kernel_scale": "1/0"}, "scale '1/0' is not a number"),
    ({"kernel_scale": "1e999"}, "scale '1e999' is too large or too small"),
    ({"kernel_scale": "1e-999"}, "too large or too small"),
    ({"bogus": 1}, "unknown field 'bogus' in the answer key; the fields are: convtrace_key"),
    ({"kernel_bogus": 1}, "unknown field 'bogus' in the answer key ('kernel')"),
])
def test_bad_keys_are_clean_errors(tmp_path, changes, fragment):
    with pytest.raises(ConvtraceValueError) as info:
        read_key(_key(tmp_path, **changes))
    assert fragment in str(info.value)
    assert str(info.value).startswith(str(tmp_path / "key.json"))


def test_keys_that_are_not_json_objects(tmp_path):
    path = tmp_path / "key.json"
    for text in ("[" * 100_000 + "]" * 100_000, '{"a": ' + "9" * 5000 + "}", "not json", "[]"):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConvtraceValueError, match="not a convtrace answer key"):
            read_key(path)


def test_bad_keys_on_the_command_line(run, tmp_path):
    out = one_clean_line(run("check", "--key", _key(tmp_path, bogus=1), "-a", "1 2; 3 4"))
    assert "unknown field 'bogus'" in out
    out = one_clean_line(run("check", "--key", _key(tmp_path, kernel_scale="1/0"), "-a", "1 2; 3 4", "--lang", "es"))
    assert "la escala '1/0'" in out


@pytest.mark.parametrize("shape,dtype", [((700, 90, 3), np.uint8), ((700, 90, 4), np.uint8), ((601, 70), np.uint8),
                                         ((555, 40), np.uint16), ((256, 40, 3), np.uint8), ((257, 40, 3), np.uint8)])
def test_large_images_are_read_band_by_band_to_the_same_array(monkeypatch, shape, dtype):
    from PIL import Image

    from convtrace.io import readers

    monkeypatch.setattr(readers, "WHOLE_IMAGE_BYTES", 0)
    pixels_in = np.random.default_rng(shape[0]).integers(0, np.iinfo(dtype).max, shape, dtype=dtype)
    img = Image.fromarray(pixels_in)
    got = readers._array_of(img)
    assert got.dtype == np.asarray(img).dtype and not got.flags.writeable
    np.testing.assert_array_equal(got, np.asarray(img))


@pytest.mark.parametrize("pil_format, suffix", [("PNG", ".png"), ("JPEG", ".jpg"), ("GIF", ".gif"), ("BMP", ".bmp"),
                                                ("TIFF", ".tif"), ("WEBP", ".webp")])
def test_a_picture_saved_under_a_text_name_is_named_with_the_suffix_that_reads_it(tmp_path, pil_format, suffix):
    from PIL import Image

    path = tmp_path / "matrix.txt"
    Image.fromarray(np.arange(16, dtype=np.uint8).reshape(4, 4)).save(path, format=pil_format)
    with pytest.raises(ConvtraceValueError) as err:
        read_matrix(str(path))
    assert err.value.key == parsing.NOT_TEXT_FILE
    assert f"give it its own ending ({suffix})" in str(err.value)
    assert "no es un archivo de texto" in err.value.message("es")


def test_binary_files_are_refused_as_such_and_utf16_text_is_still_text(tmp_path):
    npy = tmp_path / "array.txt"
    with open(npy, "wb") as handle:
        np.save(handle, np.eye(2))
    program = tmp_path / "program.txt"
    program.write_bytes(Path(sys.executable).read_bytes()[:2000])
    for path, words in ((npy, "a NumPy array; give it its own ending (.npy)"), (program, "binary data; give a matrix")):
        with pytest.raises(ConvtraceValueError, match=f"is not a text file but {re.escape(words)}"):
            read_matrix(str(path))
    notepad = tmp_path / "unicode.txt"
    notepad.write_bytes("1 2\r\n3 4\r\n".encode("utf-16"))
    assert read_matrix(str(notepad)).values.tolist() == [[1, 2], [3, 4]]


@pytest.mark.parametrize("spec", ["", " ", "\t"])
def test_an_empty_argument_is_called_empty_not_a_folder(spec):
    with pytest.raises(ConvtraceValueError) as err:
        read_matrix(spec)
    assert err.value.key == parsing.EMPTY_ARGUMENT and "folder" not in str(err.value)
