"""Homework for the network parts: forward-pass (pipeline) and transposed-convolution exercises.

quiz → answer key (JSON) → check round trips; every new mistake applied to a drawn exercise and named;
the expected outputs compared with references written here from the definitions (a scatter loop for the
transposed convolution, sliding windows for conv/ReLU/pooling/flatten/dense); Spanish messages; the CLI.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convtrace.grading import Exercise, PipelineSpec, _Variants, candidate_mistakes, describe, grade
from convtrace.quiz import QuizSpec, answer_key, make_quiz, parse_pipeline
from convtrace.transpose import TConvSpec

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- independent references


def ref_tconv(x, w, stride, padding, output_padding):
    """Scatter, straight from the definition: every input cell times the kernel, added into the output."""
    x, w = np.asarray(x, dtype=np.int64), np.asarray(w, dtype=np.int64)
    (h, wd), (kh, kw) = x.shape, w.shape
    full = np.zeros(((h - 1) * stride + kh + output_padding, (wd - 1) * stride + kw + output_padding), np.int64)
    for i in range(h):
        for j in range(wd):
            full[i * stride:i * stride + kh, j * stride:j * stride + kw] += x[i, j] * w
    rows = full.shape[0] - 2 * padding
    cols = full.shape[1] - 2 * padding
    return full[padding:padding + rows, padding:padding + cols]


def ref_corr(x, w):
    kh, kw = w.shape
    return np.array([[np.sum(x[i:i + kh, j:j + kw] * w) for j in range(x.shape[1] - kw + 1)]
                     for i in range(x.shape[0] - kh + 1)])


def ref_pool(x, size, mode):
    h, w = x.shape[0] // size, x.shape[1] // size
    blocks = x[:h * size, :w * size].reshape(h, size, w, size).swapaxes(1, 2)
    return blocks.max(axis=(2, 3)) if mode == "max" else blocks.mean(axis=(2, 3))


def ref_pipeline(ex: Exercise):
    """conv (one 2-D filter, valid, stride 1) + bias, relu, max/avg pooling, flatten, dense, as written."""
    value = np.asarray(ex.input, dtype=np.int64)
    for layer in ex.spec.layers:
        if layer.kind == "conv":
            value = ref_corr(value, np.asarray(layer.weights).reshape(np.shape(layer.weights)[-2:]))
            value = value + np.ravel(layer.bias)[0]
        elif layer.kind == "relu":
            value = np.maximum(value, 0)
        elif layer.kind in ("maxpool", "avgpool"):
            value = ref_pool(value, int(layer.options["size"]), layer.kind[:3])
        elif layer.kind == "flatten":
            value = np.ravel(value)
        elif layer.kind == "dense":
            value = np.asarray(layer.weights) @ value + np.asarray(layer.bias)
    return value


def ids(g) -> list[str]:
    return [d.mistake for d in g.diagnoses]


def tie_ok(ex: Exercise, answer, wanted: str, g) -> bool:
    """The wanted mistake is named, or a mistake listed before it gives the very same answer (a tie)."""
    if wanted in ids(g):
        return True
    variants = _Variants(ex)
    named = set(ids(g))
    for m in candidate_mistakes(ex):
        if m.id in named:
            out = variants.output((m,))
            if out is not None and out.shape == np.shape(answer) and np.allclose(out, answer):
                return True
    return False


def roundtrip(ex: Exercise, seed: int) -> Exercise:
    key = json.loads(json.dumps(answer_key(ex, seed)))
    back = Exercise.from_dict(key)
    assert np.array_equal(back.expected(), np.asarray(key["expected"]))
    return back


# --------------------------------------------------------------------------- transposed convolution


@SETTINGS
@given(seed=st.integers(0, 10**6), stride=st.integers(1, 3), padding=st.integers(0, 1), extra=st.integers(0, 2),
       n=st.integers(2, 3), k=st.integers(2, 3))
def test_tconv_quiz_key_check_round_trip(seed, stride, padding, extra, n, k):
    op = min(extra, stride - 1)
    spec = QuizSpec(size=(n, n), kernel_size=k, tconv=True, stride=stride, padding=padding, output_padding=op,
                    values=(-3, 5))
    ex = make_quiz(seed, 1, spec)[0]
    back = roundtrip(ex, seed)
    expected = ref_tconv(ex.input, ex.kernel.weights, stride, padding, op)
    assert np.array_equal(back.expected(), expected)
    g = grade(back, expected.astype(float))
    assert g.all_correct and g.diagnoses == []


@SETTINGS
@given(seed=st.integers(0, 10**6), stride=st.integers(2, 3), padding=st.integers(1, 2))
def test_tconv_mistakes_are_named(seed, stride, padding):
    ex = make_quiz(seed, 1, QuizSpec(size=(3, 3), kernel_size=3, tconv=True, stride=stride, padding=padding,
                                     output_padding=1, values=(1, 9)))[0]
    x, w = ex.input, ex.kernel.weights
    cases = {
        "output_padding": ref_tconv(x, w, stride, padding, 0),
        "no_padding": ref_tconv(x, w, stride, 0, 1),
        "tconv_no_flip": ref_tconv(x, w[::-1, ::-1], stride, padding, 1),
        "tconv_as_conv": Exercise(replace_conv(padding="full"), x, ex.kernel).expected(),
    }
    if stride == 2:
        cases["stride"] = ref_tconv(x, w, 3, padding, 1)
    expected = ex.expected()
    for wanted, answer in cases.items():
        if answer.shape == expected.shape and np.array_equal(answer, expected):
            continue   # this kernel makes the mistake harmless
        g = grade(ex, answer)
        assert not g.all_correct
        assert tie_ok(ex, answer, wanted, g), (wanted, ids(g))


def replace_conv(**options):
    from convtrace.spec import ConvSpec

    return ConvSpec(**options)


def test_tconv_worked_cells_are_the_scatter_sum():
    ex = Exercise(TConvSpec(stride=2), np.array([[1, 2], [3, 4]]),
                  __import__("convtrace.kernel", fromlist=["Kernel"]).Kernel("k", np.array([[1, -1], [2, 0]])))
    answer = ex.expected().astype(float)
    answer[1, 1] += 5
    g = grade(ex, answer)
    assert ids(g) == ["slip"]
    step = g.working.step(0)
    assert sum(c[-1] for c in step.contributions) == step.result == ex.expected()[1, 1]


# --------------------------------------------------------------------------- forward passes


@SETTINGS
@given(seed=st.integers(0, 10**6), pool=st.sampled_from(["maxpool:2", "avgpool:2"]),
       tail=st.sampled_from(["", ",flatten", ",flatten,dense:3"]))
def test_pipeline_quiz_key_check_round_trip(seed, pool, tail):
    ex = make_quiz(seed, 1, QuizSpec(size=(6, 6), pipeline=parse_pipeline(f"conv,relu,{pool}{tail}")))[0]
    back = roundtrip(ex, seed)
    expected = ref_pipeline(back)
    assert np.allclose(back.expected(), expected)
    if back.expected().dtype.kind == "i":
        assert np.array_equal(back.expected(), expected)   # integers stay exact
    assert grade(back, np.asarray(expected, dtype=float)).all_correct
    if expected.ndim == 1:   # a vector may be written as a row or a column
        assert grade(back, expected[None, :].astype(float)).all_correct
        assert grade(back, expected[:, None].astype(float)).all_correct


@SETTINGS
@given(seed=st.integers(0, 10**6))
def test_pipeline_mistakes_are_named(seed):
    ex = make_quiz(seed, 1, QuizSpec(size=(7, 7), pipeline=parse_pipeline("conv,relu,avgpool:2")))[0]
    expected = ex.expected()
    conv = ex.spec.layers[0]
    cases = {
        "relu_forgotten": Exercise(PipelineSpec((conv, ex.spec.layers[2])), ex.input).expected(),
        "bias_forgotten": ex.varied(**{"1.bias": None}).expected(),
        "pool_mode": ex.varied(**{"3.kind": "maxpool"}).expected(),
        "flip_added": ex.varied(**{"1.weights": "rotate"}).expected(),
    }
    for wanted, answer in cases.items():
        if np.count_nonzero(~np.isclose(answer, expected)) < 2:
            continue   # the mistake changes fewer than two cells: nothing to tell it from a slip
        g = grade(ex, answer)
        assert tie_ok(ex, answer, wanted, g), (wanted, ids(g))


@SETTINGS
@given(seed=st.integers(0, 10**6), order=st.sampled_from(["chw", "hwc"]))
def test_flatten_order_is_named(seed, order):
    from convtrace.network import Layer

    rng = np.random.default_rng(seed)
    x = rng.integers(0, 9, size=(2, 3, 3))
    spec = PipelineSpec((Layer("flatten", {"order": order}),))
    ex = Exercise(spec, x)
    other = "hwc" if order == "chw" else "chw"
    answer = np.transpose(x, (1, 2, 0)).ravel() if other == "hwc" else x.ravel()
    assert np.array_equal(ex.expected(), x.ravel() if order == "chw" else np.transpose(x, (1, 2, 0)).ravel())
    if not np.array_equal(answer, ex.expected()):
        g = grade(ex, answer)
        assert "flatten_order" in ids(g)
        assert other in describe(g.diagnoses[0], "es") and "aplan" in describe(g.diagnoses[0], "es")


def test_spanish_diagnoses_and_json_contract():
    from convtrace.network import Layer
    from convtrace.render.grades import grade_document

    x = np.array([[3, 0, 1, 2], [1, 5, 0, 0], [2, 2, 4, 1], [0, 1, 3, 3]])
    conv = Layer("conv", {"padding": 0}, weights=np.array([[2, -1], [0, 1]]), bias=np.array([-3]))
    ex = Exercise(PipelineSpec((conv, Layer("relu"))), x)
    no_relu = ex.varied(**{"2.drop": True}).expected()
    doc = grade_document(grade(ex, no_relu), "a.txt", "es")
    first = doc["diagnoses"][0]
    assert first["mistake"] == "relu_forgotten" and set(first) >= {"mistake", "cells", "message"}
    assert "se omitió la ReLU" in first["message"] and "relu1" in first["message"]
    no_bias = ex.varied(**{"1.bias": None}).expected()
    doc = grade_document(grade(ex, no_bias), "a.txt", "es")
    assert doc["diagnoses"][0]["mistake"] == "bias_forgotten"
    assert "sesgo" in doc["diagnoses"][0]["message"]


def test_netspec_reasons_are_spanish():
    from convtrace.errors import ConvtraceError
    from convtrace.io.netspec import parse_network
    from convtrace.network import build_network

    for text, es in [("maxpool ceil=quizas", "escribe true o false"), ("dense units=0", "entero positivo"),
                     ("flatten order=cwh", "escribe chw"), ("conv size=", "falta el valor")]:
        with pytest.raises(ConvtraceError) as err:
            parse_network(text)
        assert es in err.value.message("es")
    with pytest.raises(ConvtraceError) as err:
        build_network(parse_network("flatten\nconv filters=1 size=1"), (2, 2), seed=1)
    assert "pon conv antes de flatten" in err.value.message("es")
    with pytest.raises(ConvtraceError) as err:
        build_network(parse_network("dense units=2"), (2, 2), seed=1)
    assert "pon flatten antes" in err.value.message("es")


def test_bad_pipeline_step_is_one_clear_error():
    from convtrace.errors import ConvtraceError

    with pytest.raises(ConvtraceError) as err:
        parse_pipeline("conv,rleu")
    assert "rleu" in err.value.message("es") and "capas" in err.value.message("es")


@pytest.mark.parametrize(("step", "english"), [
    ("dense:0", "dense takes a number of outputs from 1 to 9"),
    ("maxpool:10", "maxpool takes a window size from 1 to 9"),
    ("flatten:xyz", "flatten takes the order of the values, chw or hwc"),
    ("relu:2", "relu takes nothing after a colon"),
])
def test_a_layer_with_a_bad_argument_is_named_as_that_layer(step, english):
    """'dense:0' is a dense layer with a bad size, not 'not a layer'."""
    from convtrace.errors import ConvtraceError

    with pytest.raises(ConvtraceError) as err:
        parse_pipeline(f"conv,{step}")
    assert english in err.value.message("en") and "not a layer" not in err.value.message("en")
    assert f"en '{step}'" in err.value.message("es")


# --------------------------------------------------------------------------- the command line


def test_cli_quiz_then_check_pipeline(run, tmp_path):
    out = tmp_path / "quiz"
    result = run("quiz", "--pipeline", "conv,relu,maxpool:2", "--size", "6x6", "--seed", "11", "-o", out)
    assert result.exit_code == 0, result.output
    key = json.loads((out / "key-01.json").read_text())
    assert key["op"] == "pipeline" and [layer["type"] for layer in key["params"]["layers"]] == \
        ["conv", "relu", "maxpool"]
    expected = np.array(key["expected"])
    good = tmp_path / "good.txt"
    good.write_text("\n".join(" ".join(str(v) for v in row) for row in expected))
    assert run("check", "--key", out / "key-01.json", "--answer", good).exit_code == 0
    ex = Exercise.from_dict(key)
    wrong = ex.varied(**{"1.bias": None}).expected()
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(" ".join(str(v) for v in row) for row in wrong))
    result = run("check", "--key", out / "key-01.json", "--answer", bad, "--format", "json", "--lang", "es")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["diagnoses"] and all(set(d) >= {"mistake", "cells", "message"} for d in doc["diagnoses"])
    table = run("check", "--key", out / "key-01.json", "--answer", bad, "--lang", "es")
    assert table.exit_code == 1 and "Paso hacia delante" in table.output
    assert "maxpool1" in run("check", "--key", out / "key-01.json", "--answer", bad, "--format", "markdown").output


def test_cli_check_tconv_from_options(run):
    answer = "8 10 10; -14 -18 -18; 14 18 18"
    args = ("check", "4 5; 7 9", "--tconv", "-k", "-2 -2; 2 2", "--stride", "2", "--padding", "1",
            "--output-padding", "1")
    assert ref_tconv([[4, 5], [7, 9]], [[-2, -2], [2, 2]], 2, 1, 1).tolist() == \
        [[8, 10, 10], [-14, -18, -18], [14, 18, 18]]
    assert run(*args, "--answer", answer).exit_code == 0
    forgot = ref_tconv([[4, 5], [7, 9]], [[-2, -2], [2, 2]], 2, 1, 0)
    text = "; ".join(" ".join(str(v) for v in row) for row in forgot)
    result = run(*args, "--answer", text, "--format", "json")
    assert result.exit_code == 1
    assert "output_padding" in [d["mistake"] for d in json.loads(result.output)["diagnoses"]]
    es = run(*args, "--answer", text, "--lang", "es")
    assert "Convolución transpuesta" in es.output and "output_padding" in es.output
    assert run("check", "4 5; 7 9", "--tconv", "--answer", "1").exit_code == 2


def test_cli_quiz_tconv_sheet_and_key(run, tmp_path):
    result = run("quiz", "--tconv", "--size", "2x2", "--kernel-size", "2", "--stride", "2", "--seed", "4",
                 "--lang", "es")
    assert result.exit_code == 0 and "convolución transpuesta" in result.output.lower()
    out = tmp_path / "q"
    assert run("quiz", "--tconv", "--size", "2x2", "--stride", "2", "--seed", "4", "--format", "latex",
               "-o", out).exit_code == 0
    key = json.loads((out / "key-01.json").read_text())
    assert key["op"] == "conv_transpose2d" and key["params"]["stride"] == [2, 2]


def test_cli_check_pipeline_from_options(run):
    x = "3 0 1 2; 1 5 0 0; 2 2 4 1; 0 1 3 3"
    ex_out = np.maximum(ref_corr(np.array([[3, 0, 1, 2], [1, 5, 0, 0], [2, 2, 4, 1], [0, 1, 3, 3]]),
                                 np.array([[1, -1], [0, -2]])) - 1, 0)
    text = "; ".join(" ".join(str(v) for v in row) for row in ex_out)
    args = ("check", x, "--pipeline", "conv,relu", "-k", "1 -1; 0 -2", "--bias", "-1")
    assert run(*args, "--answer", text).exit_code == 0
    assert run("check", x, "--pipeline", "conv,dense:2", "-k", "1", "--answer", "1").exit_code == 2
