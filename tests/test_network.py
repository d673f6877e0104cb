"""Random small CNNs against PyTorch: outputs (exact for the integer part) and Keras' parameter counts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from convtrace.errors import ConvtraceValueError
from convtrace.io.netspec import parse_network
from convtrace.network import Layer, build_network

torch = pytest.importorskip("torch")


@st.composite
def networks(draw):
    c = draw(st.integers(1, 3))
    side = draw(st.integers(4, 10))
    filters = draw(st.integers(1, 3))
    k = draw(st.integers(1, 3))
    padding = draw(st.integers(0, k // 2))
    stride = draw(st.integers(1, 2))
    pool = draw(st.sampled_from(["maxpool", "avgpool"]))
    psize = draw(st.integers(1, 2))
    units = draw(st.integers(1, 4))
    order = draw(st.sampled_from(["chw", "hwc"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(0, 256, size=(c, side, side))
    w1 = rng.integers(-3, 4, size=(filters, c, k, k))
    b1 = rng.integers(-20, 21, size=(filters,))
    conv_side = (side + 2 * padding - k) // stride + 1
    psize = min(psize, conv_side)
    pool_side = conv_side // psize
    n = filters * pool_side * pool_side
    w2 = rng.normal(size=(units, n)) / 100
    b2 = rng.normal(size=(units,))
    layers = [Layer("conv", {"filters": filters, "size": k, "padding": padding, "stride": stride}, w1, b1),
              Layer("relu"), Layer(pool, {"size": psize}), Layer("flatten", {"order": order}),
              Layer("dense", {"units": units}, w2, b2), Layer("softmax")]
    return x, layers, dict(k=k, padding=padding, stride=stride, pool=pool, psize=psize, order=order,
                           w1=w1, b1=b1, w2=w2, b2=b2)


def _torch_forward(x, p):
    xt = torch.tensor(x, dtype=torch.float64)[None]
    conv = torch.nn.functional.conv2d(xt, torch.tensor(p["w1"], dtype=torch.float64),
                                      torch.tensor(p["b1"], dtype=torch.float64), stride=p["stride"],
                                      padding=p["padding"])
    relu = torch.relu(conv)
    pool = (torch.nn.functional.max_pool2d if p["pool"] == "maxpool" else torch.nn.functional.avg_pool2d)(
        relu, p["psize"])
    flat = pool[0].permute(1, 2, 0).reshape(-1) if p["order"] == "hwc" else pool[0].reshape(-1)
    dense = torch.nn.functional.linear(flat, torch.tensor(p["w2"]), torch.tensor(p["b2"]))
    return [t.numpy() for t in (conv[0], relu[0], pool[0], flat, dense, torch.softmax(dense, 0))]


@given(networks())
def test_random_networks_equal_torch(case):
    x, layers, p = case
    net = build_network(layers, x.shape)
    outs = net.forward(x)
    expected = _torch_forward(x, p)
    for k in range(4):  # conv, relu, pool, flatten
        if p["pool"] == "maxpool" or k < 2:
            assert outs[k].dtype == np.int64, k
            assert np.array_equal(outs[k].astype(np.float64), expected[k]), k
        else:
            np.testing.assert_allclose(outs[k], expected[k], rtol=1e-12)
    np.testing.assert_allclose(outs[4], expected[4], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(outs[5], expected[5], rtol=1e-9, atol=1e-12)
    # Keras' counts
    c, filters, k = x.shape[0], p["w1"].shape[0], p["k"]
    assert net.layers[0].params == (k * k * c + 1) * filters
    assert net.layers[4].params == (p["w2"].shape[1] + 1) * p["w2"].shape[0]
    assert net.total_params == net.layers[0].params + net.layers[4].params
    assert [nl.output_shape for nl in net.layers] == [tuple(e.shape) for e in expected]


@given(networks(), st.data())
def test_every_trace_equals_the_layer_output(case, data):
    x, layers, _ = case
    net = build_network(layers, x.shape)
    outs = net.forward(x)
    for nl, out in zip(net.layers, outs, strict=True):
        cell = tuple(data.draw(st.integers(0, n - 1)) for n in out.shape)
        trace = net.trace(x, nl.name, cell)
        if hasattr(trace, "step"):
            assert trace.step(0).result == out[cell]
        else:
            value = getattr(trace, "result", getattr(trace, "value", None))
            assert value == out[cell]


def test_slides_flatten_five_by_five_by_two_is_fifty():
    net = build_network([Layer("flatten")], (2, 5, 5))
    assert net.layers[0].output_shape == (50,)


def test_random_weights_need_a_seed_and_are_reported():
    layers = parse_network("conv filters=2 size=3\nrelu\nflatten\ndense units=3\nsoftmax\n", "n.txt")
    with pytest.raises(ConvtraceValueError, match="n.txt:1"):
        build_network(layers, (1, 5, 5))
    net = build_network(layers, (1, 5, 5), seed=3)
    assert net.random_layers == ["conv1", "dense1"]
    again = build_network(layers, (1, 5, 5), seed=3)
    x = np.arange(25).reshape(5, 5)
    assert np.array_equal(net.forward(x)[-2], again.forward(x)[-2])


def test_library_kernel_as_a_single_filter():
    from convtrace import conv2d
    from convtrace.kernels import KernelLibrary

    layers = parse_network("conv kernel=sharpen padding=1\n", "n.txt")
    x = np.arange(16).reshape(4, 4)
    net = build_network(layers, x.shape)
    sharpen = KernelLibrary().get("sharpen").weights
    assert np.array_equal(net.forward(x)[0][0], conv2d(x, sharpen, padding=1))
    assert net.layers[0].params == 9


@pytest.mark.parametrize("text, where", [
    ("conv filters=2\n", "s.txt:1:1"),
    ("relu\nbogus\n", "s.txt:2:1"),
    ("relu\nmaxpool  size=0\n", "s.txt:2:10"),
    ("dense units=3 color=red\n", "s.txt:1:15"),
    ("flatten order=xyz\n", "s.txt:1:9"),
    ("conv filters=1 size=3 weights=missing.npy\n", "s.txt:1:23"),
    ("relu size\n", "s.txt:1:6"),
])
def test_spec_errors_name_file_line_col(text, where, tmp_path):
    with pytest.raises(ConvtraceValueError) as err:
        parse_network(text, "s.txt", tmp_path)
    assert str(err.value).startswith(where + ":")
    assert err.value.message("es").startswith(where + ":")


def test_wrong_weight_shape_is_named(tmp_path):
    np.save(tmp_path / "w.npy", np.ones((2, 3, 3, 3), dtype=int))
    layers = parse_network("conv filters=2 size=3 weights=w.npy\n", "s.txt", tmp_path)
    with pytest.raises(ConvtraceValueError, match=r"s.txt:1: weights has shape \(2, 3, 3, 3\)"):
        build_network(layers, (1, 5, 5))
