"""The command line, through Typer's CliRunner with a fixed-width colourless console."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from convtrace.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def test_trace_of_the_four_by_four_first_window_exactly(run, lines):
    result = run("conv", "0 10 10 0; 20 30 30 20; 10 20 20 10; 0 5 5 0", "-k", "1 0; 0 2", "--trace", "--at", "0,0")
    assert result.exit_code == 0, result.output
    assert lines(result.output) == [
        "Cross-correlation (what CNN layers and the slides compute)",
        "padding 0 (zeros) · stride 1 · dilation 1",
        "Output size:",
        "  rows: ⌊(4 + 2·0 − 2)/1⌋ + 1 = 3",
        "  cols: ⌊(4 + 2·0 − 2)/1⌋ + 1 = 3",
        "[ ] window   ( ) padding",
        "",
        "Step 1/1 · output[0, 0] · window at row 0, col 0 of the padded input",
        "Input                     Kernel    Products          Output so far (3×3)",
        "     0    1    2    3        0  1                         0  1  2",
        "0   [0] [10]  10    0     0  1  0    0  ×  1  =   0   0  60  ·  ·",
        "1  [20] [30]  30   20     1  0  2   10  ×  0  =   0   1   ·  ·  ·",
        "2   10   20   20   10               20  ×  0  =   0   2   ·  ·  ·",
        "3    0    5    5    0               30  ×  2  =  60",
        "Sum = 60",
        "",
        "Output (3×3)",
        "    0   1   2",
        "0  60  70  50",
        "1  60  70  50",
        "2  20  30  20",
    ]


def test_result_without_trace_is_the_output_matrix(run, lines):
    result = run("conv", SAMPLES / "binary_5x5.txt", "-k", SAMPLES / "x_kernel.txt")
    assert result.exit_code == 0
    assert lines(result.output)[-5:] == ["Output (3×3)", "   0  1  2", "0  4  3  4", "1  2  4  3", "2  2  3  4"]


def test_the_sharpen_walkthrough_in_spanish(run):
    result = run("conv", SAMPLES / "sharpen_region.txt", "-k", "sharpen", "--trace", "--lang", "es")
    assert result.exit_code == 0
    out = result.output
    for expected in ("Correlación cruzada", "21  ×   0  =    0", "16  ×  -1  =  -16", "22  ×   5  =  110",
                     "Suma = 31", "Salida (1×1)"):
        assert expected in out


def test_spanish_from_the_environment(run):
    result = run("conv", "1 2; 3 4", "-k", "1", env={"LANG": "es_ES.UTF-8"})
    assert "Correlación cruzada" in result.output


@pytest.mark.parametrize("example", json.loads((SAMPLES / "examples.json").read_text(encoding="utf-8")),
                         ids=lambda e: e["name"])
def test_slide_examples_through_the_cli(run, example):
    expected = np.loadtxt(SAMPLES / example["expected"], ndmin=2)
    if example["op"] == "conv":
        args = ["conv", SAMPLES / example["input"], "-k", SAMPLES / example["kernel"]]
    else:
        p = example["params"]
        args = ["pool", SAMPLES / example["input"], "--size", p["size"], "--stride", p["stride"], "--mode", p["mode"]]
    result = run(*args, "--trace", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["output"] == expected.tolist()
    assert [s["result"] for s in doc["steps"]] == expected.ravel().tolist()


def test_json_document_fields(run):
    result = run("conv", "1 2 3; 4 5 6; 7 8 9", "-k", "box-blur", "--padding", "1", "--trace", "-f", "json")
    doc = json.loads(result.output)
    assert doc["op"] == "conv2d" and doc["input_shape"] == [3, 3] and doc["output_shape"] == [3, 3]
    assert doc["params"]["pads"] == [1, 1, 1, 1] and doc["scale"] == "1/9"
    center = doc["steps"][4]
    assert center["out"] == [1, 1] and center["sum"] == 45 and center["result"] == 5.0
    assert center["window"] == [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]
    assert center["products"] == [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]


def test_kernel_scale_shows_the_fraction(run):
    result = run("conv", "1 2 3; 4 5 6; 7 8 9", "-k", "box-blur", "--trace")
    assert "Sum = 45   × 1/9 = 5" in result.output
    assert "Kernel × 1/9" in result.output


def test_csv_markdown_latex(run):
    csv = run("conv", "1 2; 3 4", "-k", "1 1", "-f", "csv").output
    assert csv == "3\n7\n"
    md = run("conv", "1 2; 3 4", "-k", "1 1", "--trace", "-f", "markdown").output
    assert "- 1 × 1 = 1" in md and "**Sum = 3**" in md and "| 3 |" in md
    tex = run("conv", "1 2; 3 4", "-k", "1 -1", "--trace", "-f", "latex").output
    assert r"1 \cdot 1 + 2 \cdot (-1) = -1" in tex and r"\begin{bmatrix}" in tex


def test_binary_formats_need_and_write_a_file(run, tmp_path):
    result = run("conv", "1 2; 3 4", "-k", "1", "-f", "npy")
    assert result.exit_code == 2 and "-o FILE" in result.output
    target = tmp_path / "out.npy"
    assert run("conv", "1 2; 3 4", "-k", "2", "-f", "npy", "-o", target).exit_code == 0
    assert np.load(target).tolist() == [[2, 4], [6, 8]]
    png = tmp_path / "out.png"
    assert run("conv", "0 100; 200 255", "-k", "1", "-f", "png", "-o", png).exit_code == 0
    from PIL import Image

    assert np.asarray(Image.open(png)).tolist() == [[0, 100], [200, 255]]


def test_existing_output_is_never_overwritten_without_force(run, tmp_path):
    target = tmp_path / "result.txt"
    target.write_text("precious", encoding="utf-8")
    result = run("conv", "1 2; 3 4", "-k", "1", "-o", target)
    assert result.exit_code == 2 and "--force" in result.output
    assert target.read_text(encoding="utf-8") == "precious"
    assert run("conv", "1 2; 3 4", "-k", "1", "-o", target, "--force").exit_code == 0
    assert "Output (2×2)" in target.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".convtrace-*"))


def test_input_forms(run, tmp_path):
    expected = [[-1, -1, -1]]
    for text in ("[[1,2,3,4]]", "[1 2 3 4]", "1,2,3,4", "1 2 3 4"):
        doc = json.loads(run("conv", text, "-k", "1 -1", "-f", "json").output)
        assert doc["output"] == [[-1, -1, -1]] or doc["output"] == expected
    (tmp_path / "m.csv").write_text("1,2\n3,4\n", encoding="utf-8")
    (tmp_path / "m.json").write_text("[[1, 2], [3, 4]]", encoding="utf-8")
    np.save(tmp_path / "m.npy", np.array([[1, 2], [3, 4]]))
    for name in ("m.csv", "m.json", "m.npy"):
        doc = json.loads(run("conv", tmp_path / name, "-k", "1 1", "-f", "json").output)
        assert doc["output"] == [[3], [7]]
    doc = json.loads(run("conv", "-", "-k", "1 1", "-f", "json", input="1 2\n3 4\n").output)
    assert doc["output"] == [[3], [7]]


def test_kernel_file_with_fractions_and_slices(run, tmp_path):
    kernel = tmp_path / "k.txt"
    kernel.write_text("# scale: 1/2\n1 1\n\n1 -1\n", encoding="utf-8")
    stack = tmp_path / "x.txt"
    stack.write_text("1 2 3\n\n4 5 6\n", encoding="utf-8")
    doc = json.loads(run("conv", stack, "-k", kernel, "-f", "json").output)
    # (1+2)/2 + (4-5)/2 = 1, (2+3)/2 + (5-6)/2 = 2
    assert doc["output"] == [[1.0, 2.0]]


def test_image_input_and_output(run, tmp_path):
    from PIL import Image

    rgb = np.random.default_rng(0).integers(0, 256, (6, 7, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(tmp_path / "in.png")
    doc = json.loads(run("conv", tmp_path / "in.png", "-k", "identity", "--padding", "same", "-f", "json").output)
    assert doc["input_shape"] == [3, 6, 7] and doc["output_shape"] == [3, 6, 7]
    assert np.array_equal(np.array(doc["output"]), np.moveaxis(rgb, -1, 0))
    gray = tmp_path / "gray.png"
    Image.fromarray(rgb[..., 0]).save(gray)
    doc = json.loads(run("pool", gray, "--size", "2", "-f", "json").output)
    assert doc["output_shape"] == [3, 3]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["conv", "1 2; 3", "-k", "1"], "<argument>:1: row 2 has 1 value but row 1 has 2"),
        (["conv", "1 a; 3 4", "-k", "1"], "<argument>:1:3: 'a' is not a number"),
        (["conv", "missing.txt", "-k", "1"], "missing.txt: no such file"),
        (["conv", "1 2; 3 4", "-k", "sharpn"], "did you mean: sharpen"),
        (["conv", "1 2; 3 4", "-k", "sharpen"], "larger than the padded input"),
        (["conv", "1 2; 3 4", "-k", "1", "--stride", "0"], "stride must be at least 1"),
        (["conv", "1 2; 3 4", "-k", "1", "--padding", "-1"], "cannot be negative"),
        (["conv", "1 2; 3 4", "-k", "1", "--pad-mode", "nope"], "unknown padding mode"),
        (["conv", "1 2; 3 4", "-k", "1", "--at", "x"], "--at 'x'"),
        (["conv", "1 2; 3 4", "-k", "1", "--pad-value", "abc"], "--pad-value 'abc' is not a number"),
        (["pool", "1 2; 3 4", "--size", "3"], "pooling window (3×3) is larger than the padded input"),
        (["pool", "1 2; 3 4", "--size", "2", "--padding", "2"], "at most 1"),
        (["kernels", "show", "nothing"], "unknown kernel"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(run, args, fragment):
    result = run(*args)
    assert result.exit_code == 2
    assert fragment in result.output
    assert result.output.strip().count("\n") == 0, result.output


def test_files_with_errors_name_file_line_and_column(run, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("1 2 3\n4 five 6\n", encoding="utf-8")
    result = run("conv", bad, "-k", "1")
    assert result.exit_code == 2 and f"{bad}:2:3: 'five' is not a number" in result.output
    settings = tmp_path / "settings.json"
    settings.write_text('{"size": [1, 2]}', encoding="utf-8")
    result = run("conv", settings, "-k", "1")
    assert result.exit_code == 2 and "this JSON holds no matrix" in result.output
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    assert "no numbers found" in run("conv", empty, "-k", "1").output
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    result = run("conv", broken, "-k", "1")
    assert result.exit_code == 2 and "broken.png" in result.output


def test_errors_in_spanish(run):
    result = run("conv", "1 2; 3 4", "-k", "1", "--stride", "0", "--lang", "es")
    assert result.exit_code == 2 and "error: el paso (stride) debe ser al menos 1" in result.output


def test_pool_trace_explains_divisors(run):
    result = run("pool", "1 2 3; 4 5 6; 7 8 9", "--mode", "avg", "--size", "2", "--padding", "1", "--trace",
                 "--max-steps", "1")
    assert "sum 1 ÷ 4 = 0.25" in result.output
    assert "(divisor 4: the whole 2×2 window)" in result.output
    assert "3 more windows not shown" in result.output
    excl = run("pool", "1 2 3; 4 5 6; 7 8 9", "--mode", "avg", "--size", "2", "--padding", "1", "--trace",
               "--exclude-pad", "--at", "0,0")
    assert "sum 1 ÷ 1 = 1" in excl.output


def test_pool_max_trace_names_the_winner(run):
    result = run("pool", SAMPLES / "feature_map_3x3.txt", "--size", "2", "--stride", "1", "--trace")
    assert "max = 0.6 (row 0, col 1 of the window)" in result.output
    assert "[0.6]*" in result.output


def test_stride_that_does_not_divide_names_uncovered_rows(run):
    result = run("conv", "1 2 3 4 5 6", "-k", "1 1 1", "--stride", "2", "--trace")
    assert "cols: ⌊(6 + 2·0 − 3)/2⌋ + 1 = 2" in result.output
    assert "cols 5 of the input are never covered" in result.output


def test_flip_shows_the_flipped_kernel(run):
    result = run("conv", "1 2 3; 4 5 6", "-k", "1 2", "--flip", "--trace", "--at", "0,0")
    assert "True convolution" in result.output and "Flipped kernel" in result.output
    assert "1  ×  2  =  2" in result.output  # window [1 2] with the flipped kernel [2 1]
    assert "Sum = 4" in result.output


def test_kernels_list_show_and_user_folders(run, tmp_path):
    listing = run("kernels").output
    for name in ("identity", "sharpen", "box-blur", "gaussian-5", "sobel-top", "prewitt-left", "laplacian-8",
                 "emboss", "outline", "scharr-x", "edge-1"):
        assert name in listing
    assert "1/16" in run("kernels", "show", "gaussian").output
    (tmp_path / "mine.txt").write_text("# name: mine\n# description: my filter\n2 0\n0 2\n", encoding="utf-8")
    assert "my filter" in run("kernels", "--kernels-dir", tmp_path).output
    doc = json.loads(run("conv", "1 2; 3 4", "-k", "mine", "--kernels-dir", tmp_path, "-f", "json").output)
    assert doc["output"] == [[10]]
    doc = json.loads(run("conv", "1 2; 3 4", "-k", "mine", "-f", "json",
                         env={"CONVTRACE_KERNELS": str(tmp_path)}).output)
    assert doc["output"] == [[10]]
    assert "Enfocar" in run("kernels", "show", "enfocar", "--lang", "es").output


def test_modes_table(run):
    out = run("modes").output
    assert "REFLECT_101" in out and "mirror" in out and "Pillow ImageFilter.Kernel" in out
    assert "reflect' is NumPy's 'symmetric'" in out


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("convtrace ")


def _commands():
    import typer.main

    group = typer.main.get_command(app)
    out = []
    for name, command in group.commands.items():
        out.append([name])
        for sub in getattr(command, "commands", {}):
            out.append([name, sub])
    return out


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c))
def test_every_command_has_help_with_examples(run, command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.output
    assert len(result.output.strip()) > 200


def test_help_does_not_import_numba():
    code = ("import sys\nfrom convtrace.cli import app\nsys.argv = ['convtrace', '--help']\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\nprint('NUMBA', 'numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "NUMBA False" in out.stdout


def test_python_dash_m_and_the_installed_entry_point():
    out = subprocess.run([sys.executable, "-m", "convtrace", "conv", "1 2; 3 4", "-k", "1 1", "-f", "csv"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and out.stdout == "3\n7\n"
    exe = shutil.which("convtrace", path=str(Path(sys.executable).parent)) or shutil.which("convtrace")
    if exe is None:
        pytest.skip("convtrace is not installed as a command in this environment")
    out = subprocess.run([exe, "pool", "1 2; 3 4", "-f", "csv"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout == "4\n"


def test_trace_of_a_large_image_traces_only_what_it_shows(run, tmp_path):
    from PIL import Image

    Image.fromarray(np.random.default_rng(9).integers(0, 256, (300, 400), dtype=np.uint8)).save(tmp_path / "p.png")
    result = run("conv", tmp_path / "p.png", "-k", "sharpen", "--padding", "same", "--trace", "--max-steps", "2")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Step 2/120000" in text and "119998 more windows not shown" in text
    assert "rows 0–8, cols 0–8 of 302×402" in text        # the window's neighbourhood
    assert "rows 0–15, cols 0–15 of 300×400" in text      # the output's corner
    assert "…" not in text.replace("… 119998", "")        # no number is cut short
    doc = json.loads(run("conv", tmp_path / "p.png", "-k", "sharpen", "--trace", "-f", "json").output)
    assert len(doc["steps"]) == 25 and doc["steps_total"] == 298 * 398


def test_kernel_names_follow_the_folder_as_it_changes(tmp_path, monkeypatch):
    """Names are looked up in a library kept between calls, read again when a kernel file changes."""
    import os

    import convtrace

    monkeypatch.setenv("CONVTRACE_KERNELS", str(tmp_path))
    (tmp_path / "mine.txt").write_text("1 2\n3 4\n")
    x = np.arange(9).reshape(3, 3)
    assert convtrace.conv2d(x, "mine").tolist() == [[0 + 2 + 9 + 16, 1 + 4 + 12 + 20], [3 + 8 + 18 + 28, 4 + 10 + 21 + 32]]
    (tmp_path / "mine.txt").write_text("0 0\n0 1\n")
    stat = (tmp_path / "mine.txt").stat()
    os.utime(tmp_path / "mine.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert convtrace.conv2d(x, "mine").tolist() == [[4, 5], [7, 8]]
    (tmp_path / "other.txt").write_text("2\n")
    assert convtrace.conv2d(x, "other").tolist() == (2 * x).tolist()
    from convtrace.kernel import named_kernel

    with pytest.raises(ValueError):
        named_kernel("sharpen").weights[0, 0] = 9


def test_choices_are_read_in_any_case_as_names_and_kernels_are(run, tmp_path):
    """Students type "PNG", "Max", "ES": every listed choice is read whatever its case, as kernel
    names and padding words already were; a misspelling in capitals still gets its suggestion."""
    assert run("conv", "1 2; 3 4", "-k", "1", "-f", "PNG", "-o", tmp_path / "a.png").exit_code == 0
    assert run("conv", "1 2; 3 4", "-k", "1", "--range", "ABS", "-o", tmp_path / "b.png").exit_code == 0
    spanish = run("conv", "1 2; 3 4", "-k", "1", "--lang", "ES", "--device", "CPU")
    assert spanish.exit_code == 0 and "Salida" in spanish.output
    pooled = run("pool", "1 2; 3 4", "--size", "2", "--mode", "Max")
    assert pooled.exit_code == 0 and "4" in pooled.output
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.fromarray(np.arange(48, dtype=np.uint8).reshape(4, 4, 3)).save(photos / "p.png")
    batch = run("batch", photos, tmp_path / "out", "-k", "sharpen", "--format", "JPG", "--channels", "Gray", "--quiet")
    assert batch.exit_code == 0, batch.output
    with Image.open(tmp_path / "out" / "p.jpg") as written:
        assert written.mode == "L"
    misspelt = run("conv", "1 2; 3 4", "-k", "1", "-f", "Jsn")
    assert misspelt.exit_code == 2 and "did you mean json?" in misspelt.output


def test_one_bad_file_in_a_kernels_folder_leaves_the_others_working(run, tmp_path):
    """A ragged kernels/bad.txt made every -k fail, built-in names included: now only asking for it does,
    and the list says why it is not there."""
    folder = tmp_path / "kd"
    folder.mkdir()
    (folder / "bad.txt").write_text("1 2\n3\n")
    (folder / "mine.txt").write_text("1 0\n0 1\n")
    env = {"CONVTRACE_KERNELS": str(folder)}
    assert run("conv", "1 2; 3 4", "-k", "sharpen", "-p", "1", "-f", "csv", env=env).output == "0,5\n10,15\n"
    assert run("conv", "1 2; 3 4", "-k", "mine", "-f", "csv", env=env).output == "5\n"
    asked = run("conv", "1 2; 3 4", "-k", "bad", env=env)
    assert asked.exit_code == 2 and "bad.txt:2: row 2 has 1 value but row 1 has 2" in asked.output
    listed = run("kernels", env=env)
    assert listed.exit_code == 0 and "mine" in listed.output
    assert "not listed, as it is not a kernel:" in " ".join(listed.output.split())


@pytest.mark.parametrize("args, option", [
    (["conv", "1 2; 3 4", "--kernel", "--trace"], "--kernel"),
    (["conv", "1 2; 3 4", "-k", "sharpen", "--padding", "-t"], "--padding"),
    (["conv", "1 2; 3 4", "-k", "sharpen", "--stride", "--output=x.txt"], "--stride"),
    (["pool", "1 2; 3 4", "--size", "--trace"], "--size"),
    (["quiz", "--seed", "--count", "2"], "--seed"),
    (["kernels", "show", "--kernels-dir", "--lang", "en"], "--kernels-dir"),
])
def test_an_option_whose_value_is_forgotten_is_named_not_the_next_option(run, args, option):
    """`--kernel --trace`: the framework took --trace as the kernel's name and blamed the kernel."""
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert f"option {option} needs a value after it" in result.output


@pytest.mark.parametrize("args", [
    ["conv", "1 2; 3 4", "-k", "-1", "--trace"],           # a negative number is a value, not an option
    ["conv", "1 2; 3 4", "-k", "-1 0; 0 1"],
    ["conv", "1 2; 3 4", "-k", "1", "--pad-value", "-2", "--padding", "1"],
])
def test_values_that_start_with_a_minus_are_still_values(run, args):
    assert run(*args).exit_code == 0


@pytest.mark.parametrize("scale, words", [("1e400", "beyond what a number can hold"), ("0", "is zero")])
def test_a_kernel_scale_of_zero_or_past_any_float_is_one_line(run, tmp_path, scale, words):
    kernel = tmp_path / "k.txt"
    kernel.write_text(f"# scale: {scale}\n1 1\n1 1\n")
    result = run("conv", "1 2; 3 4", "-k", kernel)
    assert result.exit_code == 2 and words in result.output and len(result.output.strip().splitlines()) == 1


def test_a_truncated_photo_in_the_gallery_is_one_line_in_spanish(run, tmp_path):
    from PIL import Image

    whole = tmp_path / "whole.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (120, 120, 3), dtype=np.uint8)).save(whole)
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[:whole.stat().st_size // 2])
    result = run("gallery", cut, "-o", tmp_path / "g.png", "--lang", "es")
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {cut}: la imagen está dañada o truncada (el archivo termina antes de tiempo)"


def test_a_roster_with_old_mac_line_endings_lists_its_students(run, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(b"name\rAna\rBob\r")
    result = run("quiz", "--students", roster, "-o", tmp_path / "quiz")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "quiz").glob("key-*.json")) == ["key-ana.json", "key-bob.json"]


def test_running_out_of_memory_past_the_checks_is_one_line(run, monkeypatch):
    import convtrace.convolution as convolution

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(convolution, "conv2d", exhausted)
    monkeypatch.setattr(convolution, "prepare_conv2d", exhausted)
    result = run("conv", "1 2; 3 4", "-k", "1")
    assert result.exit_code == 2 and "ran out of memory" in result.output


def test_a_negative_network_seed_is_refused_as_usage(run):
    result = run("net", "conv:1", "1 2; 3 4", "--seed", "-1")
    assert result.exit_code == 2 and "--seed -1 is out of range" in result.output
