"""``convtrace net``, ``tconv`` and the activation commands, through the command line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from convtrace.cli import activations as activations_cli
from convtrace.cli import app
from convtrace.cli import net as net_cli
from convtrace.cli import tconv as tconv_cli

_registered = {getattr(c.callback, "__name__", None) for c in app.registered_commands}
for _module, _name in ((net_cli, "net"), (tconv_cli, "tconv"), (activations_cli, "relu")):
    if _name not in _registered:
        _module.register(app)


def _write_slides_network(folder, rng):
    np.save(folder / "w1.npy", rng.integers(-2, 3, size=(2, 3, 3, 3)))
    np.save(folder / "b1.npy", rng.integers(-5, 6, size=(2,)))
    np.save(folder / "w2.npy", rng.normal(size=(3, 2 * 3 * 3)) / 50)
    np.save(folder / "b2.npy", rng.normal(size=(3,)))
    (folder / "cnn.txt").write_text(
        "# RGB image → two 3×3 filters with bias → ReLU → 2×2 max pool → flatten → dense 3 → softmax\n"
        "conv filters=2 size=3 padding=1 stride=1 weights=w1.npy bias=b1.npy\n"
        "relu\n"
        "maxpool size=2\n"
        "flatten\n"
        "dense units=3 weights=w2.npy bias=b2.npy\n"
        "softmax\n", encoding="utf-8")


def test_done_when_rgb_network_matches_torch_and_keras_counts(run, tmp_path):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2024)
    _write_slides_network(tmp_path, rng)
    x = rng.integers(0, 256, size=(3, 6, 6))
    np.save(tmp_path / "image.npy", x)
    result = run("net", tmp_path / "cnn.txt", tmp_path / "image.npy", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 2, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Flatten(), torch.nn.Linear(18, 3), torch.nn.Softmax(dim=1)).double()
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor(np.load(tmp_path / "w1.npy"), dtype=torch.float64))
        model[0].bias.copy_(torch.tensor(np.load(tmp_path / "b1.npy"), dtype=torch.float64))
        model[4].weight.copy_(torch.tensor(np.load(tmp_path / "w2.npy")))
        model[4].bias.copy_(torch.tensor(np.load(tmp_path / "b2.npy")))
        expected = model(torch.tensor(x, dtype=torch.float64)[None])[0].numpy()
        conv = model[0](torch.tensor(x, dtype=torch.float64)[None])[0].numpy()
    np.testing.assert_allclose(doc["output"], expected, rtol=1e-9, atol=1e-12)
    assert np.array_equal(np.array(doc["layers"][0]["output"]), conv)  # exact integers
    assert [layer["type"] for layer in doc["layers"]] == ["conv", "relu", "maxpool", "flatten", "dense", "softmax"]
    assert [layer["output_shape"] for layer in doc["layers"]] == [[2, 6, 6], [2, 6, 6], [2, 3, 3], [18], [3], [3]]
    # Keras' model.summary(): Conv2D (3·3·3 + 1)·2 = 56, Dense (18 + 1)·3 = 57
    assert [layer["params"] for layer in doc["layers"]] == [56, 0, 0, 0, 57, 0]
    assert doc["total_params"] == 113
    assert sum(p.numel() for p in model.parameters()) == 113


def test_net_table_trace_and_spanish(run, tmp_path):
    rng = np.random.default_rng(5)
    _write_slides_network(tmp_path, rng)
    np.save(tmp_path / "image.npy", rng.integers(0, 10, size=(3, 6, 6)))
    result = run("net", tmp_path / "cnn.txt", tmp_path / "image.npy", "--trace", "conv1:1,0,1")
    assert result.exit_code == 0, result.output
    assert "(3·3·3 + 1)·2 = 56" in result.output
    assert "Total params: 113" in result.output
    assert "+ bias" in result.output and "channel 2" in result.output
    es = run("net", tmp_path / "cnn.txt", tmp_path / "image.npy", "--trace", "dense1:0", "--lang", "es")
    assert es.exit_code == 0, es.output
    assert "Parámetros totales: 113" in es.output and "neurona 0" in es.output
    sm = run("net", tmp_path / "cnn.txt", tmp_path / "image.npy", "--trace", "6:1", "--format", "markdown")
    assert sm.exit_code == 0 and "Softmax(x_1) = exp(" in sm.output


def test_net_errors_are_one_line_with_location(run, tmp_path):
    (tmp_path / "bad.txt").write_text("conv filters=2 size=3\nmaxpool siz=2\n", encoding="utf-8")
    result = run("net", tmp_path / "bad.txt", "1 2 3; 4 5 6; 7 8 9")
    assert result.exit_code == 2
    assert f"{tmp_path / 'bad.txt'}:2:9" in result.output
    seeded = run("net", tmp_path / "bad.txt", "1 2 3; 4 5 6; 7 8 9", "--trace", "9", "--seed", "1")
    assert seeded.exit_code == 2


def test_random_weights_are_noted(run, tmp_path):
    (tmp_path / "n.txt").write_text("conv filters=1 size=2\nrelu\nflatten\ndense units=2\nsoftmax\n")
    result = run("net", tmp_path / "n.txt", "1 2 3; 4 5 6; 7 8 9", "--seed", "4")
    assert result.exit_code == 0, result.output
    assert "random weights (seed 4)" in result.output


def test_tconv_json_equals_library_and_trace(run):
    from convtrace.transpose import conv_transpose2d

    result = run("tconv", "1 2; 3 4", "-k", "1 2 1; 0 1 0; -1 0 1", "--stride", "2", "--padding", "1",
                 "--output-padding", "1", "--trace", "--format", "json", "--max-steps", "0")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    expected = conv_transpose2d([[1, 2], [3, 4]], [[1, 2, 1], [0, 1, 0], [-1, 0, 1]], stride=2, padding=1,
                                output_padding=1)
    assert doc["output"] == expected.tolist()
    assert doc["size"]["rows"]["formula"] == "(2 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 4"
    for step in doc["steps"]:
        assert sum(c["product"] for c in step["scatter"]) == step["result"]
        assert int(np.sum(step["gather"]["products"])) == step["result"]
    table = run("tconv", "1 2; 3 4", "-k", "1 0; 0 1", "--stride", "2", "--trace", "--at", "1,1")
    assert table.exit_code == 0 and "Scatter view" in table.output and "Gather view" in table.output


@pytest.mark.parametrize("command, text", [
    ("relu", "ReLU(-3) = max(0, -3) = 0"),
    ("leaky-relu", "LeakyReLU(-3) = 0.01·-3 = -0.03"),
    ("sigmoid", "σ(0) = 1 / (1 + exp(0)) = 0.5"),
    ("tanh", "tanh(0) = tanh(0) = 0"),
    ("softmax", "Softmax(x_i) = exp(x_i) / Σ exp(x_j)"),
])
def test_activation_commands_show_each_value(run, command, text):
    result = run(command, "-3 0 2", "--trace")
    assert result.exit_code == 0, result.output
    assert text in result.output


@pytest.mark.parametrize("command", ["relu", "leaky-relu", "sigmoid", "tanh", "softmax", "flatten"])
@pytest.mark.parametrize("option, value, owner", [("--slope", "0.2", "leaky-relu"), ("--order", "hwc", "flatten")])
def test_an_option_of_another_activation_is_refused_not_ignored(run, command, option, value, owner):
    result = run(command, "-3 0 2", option, value)
    if command == owner:
        assert result.exit_code == 0, result.output
        assert ("0.2·x" if option == "--slope" else "hwc order") in result.output
    else:
        assert result.exit_code == 2
        assert result.output.strip().count("\n") == 0 and option in result.output
        assert option not in run(command, "--help", env={"COLUMNS": "100"}).output


def test_flatten_orders(run):
    x = "1 2; 3 4\n\n5 6; 7 8"
    chw = json.loads(run("flatten", "[[[1,2],[3,4]],[[5,6],[7,8]]]", "--format", "json").output)
    hwc = json.loads(run("flatten", "[[[1,2],[3,4]],[[5,6],[7,8]]]", "--order", "hwc", "--format", "json").output)
    assert chw["output"] == [1, 2, 3, 4, 5, 6, 7, 8] and x
    assert hwc["output"] == [1, 5, 2, 6, 3, 7, 4, 8]


@pytest.mark.parametrize("file, layout, words", [
    ("w2.npy", lambda w: w.T, "has shape (18, 3); expected"),                     # Keras' (inputs, units)
    ("w2.npy", lambda w: w.reshape(6, 9), "has shape (6, 9); expected"),
    ("w1.npy", lambda w: np.transpose(w, (1, 0, 2, 3)), "has shape (3, 2, 3, 3); expected"),  # (C, F, kh, kw)
])
def test_weights_of_another_layout_are_refused_not_reshaped(run, tmp_path, file, layout, words):
    """As many values in another layout computed another network without a word (Keras' dense weights
    gave logits 12.9 7.0 -17.8 for -17.7 16.5 23.1): now one line, exit 2, naming the shapes."""
    rng = np.random.default_rng(31)
    _write_slides_network(tmp_path, rng)
    np.save(tmp_path / file, layout(np.load(tmp_path / file)))
    np.save(tmp_path / "image.npy", rng.integers(0, 256, size=(3, 6, 6)))
    result = run("net", tmp_path / "cnn.txt", tmp_path / "image.npy")
    assert result.exit_code == 2 and words in result.output
    assert len(result.output.strip().splitlines()) == 1
    if file == "w2.npy" and "18, 3" in words:
        assert "w.T" in result.output
        spanish = run("net", tmp_path / "cnn.txt", tmp_path / "image.npy", "--lang", "es")
        assert spanish.exit_code == 2 and "traspuestos" in spanish.output


def test_weights_written_as_text_blocks_still_fill_their_layer(run, tmp_path):
    """A text file's 2-D blocks (F·C blocks of kh×kw) and a row of biases are read in row-major order."""
    rng = np.random.default_rng(32)
    _write_slides_network(tmp_path, rng)
    w1 = np.load(tmp_path / "w1.npy")
    (tmp_path / "w1.txt").write_text("\n\n".join("\n".join(" ".join(str(v) for v in row) for row in block)
                                                 for block in w1.reshape(6, 3, 3)), encoding="utf-8")
    (tmp_path / "b1.txt").write_text(" ".join(str(v) for v in np.load(tmp_path / "b1.npy")), encoding="utf-8")
    spec = (tmp_path / "cnn.txt").read_text(encoding="utf-8")
    (tmp_path / "text.txt").write_text(spec.replace("w1.npy", "w1.txt").replace("b1.npy", "b1.txt"),
                                       encoding="utf-8")
    np.save(tmp_path / "image.npy", rng.integers(0, 256, size=(3, 6, 6)))
    from_npy = run("net", tmp_path / "cnn.txt", tmp_path / "image.npy", "--format", "json")
    from_text = run("net", tmp_path / "text.txt", tmp_path / "image.npy", "--format", "json")
    assert from_text.exit_code == 0, from_text.output
    assert json.loads(from_text.output)["output"] == json.loads(from_npy.output)["output"]


@pytest.mark.parametrize("command", [
    ["tconv", "1 2 3; 4 5 6", "-k", "1 2 3; 4 5 6; 7 8 9", "--stride", "2", "--trace"],
    ["relu", "-3 2; 4 -1"],
    ["softmax", "1 2 3"],
    ["net", "SPEC", "IMAGE"],
])
def test_the_output_files_suffix_chooses_the_format_as_conv_does(run, tmp_path, command):
    """``-o t.json`` wrote the terminal's table for tconv, net and the activations: now JSON (``.md``:
    Markdown, ``.txt``: the table), and a suffix no format has, or one naming another, is refused."""
    if command[0] == "net":
        rng = np.random.default_rng(33)
        _write_slides_network(tmp_path, rng)
        np.save(tmp_path / "image.npy", rng.integers(0, 256, size=(3, 6, 6)))
        command = ["net", tmp_path / "cnn.txt", tmp_path / "image.npy"]
    assert run(*command, "-o", tmp_path / "r.json").exit_code == 0
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert doc == json.loads(run(*command, "-f", "json").output)
    assert run(*command, "-o", tmp_path / "r.md").exit_code == 0
    assert (tmp_path / "r.md").read_text(encoding="utf-8").lstrip().startswith("#")
    assert run(*command, "-o", tmp_path / "r.txt").exit_code == 0
    assert not (tmp_path / "r.txt").read_text(encoding="utf-8").lstrip().startswith(("{", "#"))
    for refused in (["-o", tmp_path / "r.csv"], ["-f", "json", "-o", tmp_path / "s.md"]):
        result = run(*command, *refused)
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
    assert not (tmp_path / "r.csv").exists() and not (tmp_path / "s.md").exists()


def test_a_tconv_trace_shows_the_kernels_of_the_traced_cells_map_and_says_what_it_leaves_out(run, tmp_path):
    """A cell of output map 1 was traced under map 0's kernels (its sums used map 1's); the scatter view
    shows four input cells and now says how many more add their blocks; the gather view says the rows'
    and the columns' zeros and padding when they differ."""
    x = np.array([[[2, -2, -2], [-1, -2, 2], [2, 0, -2]]])
    w = np.array([[[[-2, -1], [0, 1]], [[0, -1], [-2, 1]]]])
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "w.npy", w)
    text = run("tconv", tmp_path / "x.npy", "-k", tmp_path / "w.npy", "--stride", "2", "--trace", "--at", "1,1,2",
               env={"COLUMNS": "200"}).output
    assert "Flipped kernel · for output map 1" in text and "Kernel · for output map 1" in text
    assert "input[0, 0, 0] = 2 × kernel → added at output rows 0…1, cols 0…1" in text
    block = text.split("input[0, 0, 0] = 2 × kernel")[1].splitlines()[1:4]
    assert [line.split()[1:] for line in block[1:]] == [["0", "-2"], ["-4", "2"]]  # 2 × map 1's kernel
    assert "… and 5 more input cells, each adding its block the same way" in text
    axes = run("tconv", "1 2; 3 4", "-k", "1 2; 3 4", "--stride", "1,2", "--padding", "0,1", "--trace",
               "--max-steps", "1", env={"COLUMNS": "300"}).output
    assert "0 zeros stuffed between rows and 1 between columns, 1/1 rows above/below and 0/0 columns" in axes
    spanish = run("tconv", "1 2; 3 4", "-k", "1 2; 3 4", "--stride", "2", "--trace", "--max-steps", "1",
                  "--lang", "es", env={"COLUMNS": "300"}).output
    assert "1 cero intercalado entre celdas" in spanish


@pytest.mark.parametrize("spec, line", [("flatten\ndense units=100000000\n", 2), ("conv filters=1 size=30000\n", 1),
                                        ("conv filters=100000000 size=3\n", 1)])
def test_random_weights_past_the_memory_limit_are_refused_before_they_are_made(run, tmp_path, spec, line):
    """``dense units=100000000`` drew 12 GiB of random weights (a MemoryError traceback under a limit)."""
    (tmp_path / "net.txt").write_text(spec, encoding="utf-8")
    result = run("net", tmp_path / "net.txt", "1 2 3 4; 5 6 7 8; 9 10 11 12; 13 14 15 16", "--seed", "1")
    assert result.exit_code == 2, result.output
    assert f"net.txt:{line}" in result.output and "random weights would need about" in result.output
    assert "CONVTRACE_MAX_MEMORY" in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["relu"], ["relu", "--trace"], ["flatten"], ["softmax", "--trace"],
                                     ["sigmoid", "--trace"]])
def test_an_activation_of_a_photo_sized_input_shows_a_corner_and_says_how_many_values_it_leaves(
        run, tmp_path, command):
    """relu of a 3000×3000 image printed 52 MB in 33 s (with --trace, a MemoryError): now the output's
    corner and the first traced values, each saying how many more there are and how to get them."""
    np.save(tmp_path / "big.npy", np.arange(600 * 500).reshape(600, 500) % 7 - 3)
    result = run(*command[:1], tmp_path / "big.npy", *command[1:])
    assert result.exit_code == 0
    assert len(result.output) < 200_000
    assert "values not shown; write them all with -o out.json" in " ".join(result.output.split())
    if "--trace" in command:
        assert "more values not traced; every output value is in -o out.json" in " ".join(result.output.split())
        assert result.output.count("\n  [") <= 1001


def test_many_small_maps_show_as_many_values_as_one_large_map(run, tmp_path):
    """A million 2×2 maps took 98 s and ended in a MemoryError: the first maps up to the cap, then the count."""
    np.save(tmp_path / "many.npy", np.ones((200_000, 2, 2), np.uint8))
    result = run("conv", tmp_path / "many.npy", "-k", "1")
    assert result.exit_code == 0
    assert "790000 of 800000 values not shown" in " ".join(result.output.split())
