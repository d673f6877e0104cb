"""Pictures: GIF traces and PNG frames, the kernel gallery and the feature-map picture."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

import convtrace
from convtrace.cli import app
from convtrace.cli import gallery as gallery_cli
from convtrace.cli import net as net_cli
from convtrace.render import pictures as P
from convtrace.render.gallery import gallery_picture

_registered = {getattr(c.callback, "__name__", None) for c in app.registered_commands}
for _module, _name in ((gallery_cli, "gallery"), (net_cli, "net")):
    if _name not in _registered:
        _module.register(app)

SLIDES_OUTPUT = [[60, 70, 50], [60, 70, 50], [20, 30, 20]]


def _frames(path):
    out = []
    with Image.open(path) as im:
        for k in range(im.n_frames):
            im.seek(k)
            out.append((im.convert("RGB").copy(), im.info.get("duration")))
    return out


def _size(path) -> tuple[int, int]:
    with Image.open(path) as im:
        return im.size


def _near(pixel, colour, tol=40) -> bool:
    return all(abs(int(a) - int(b)) <= tol for a, b in zip(pixel[:3], colour, strict=True))


def test_done_when_slides_4x4_is_a_gif_of_nine_windows(run, tmp_path):
    out = tmp_path / "steps.gif"
    result = run("conv", "samples/image_4x4.txt", "-k", "samples/filter_2x2.txt", "--trace", "-o", out)
    assert result.exit_code == 0, result.output
    frames = _frames(out)
    assert len(frames) == 9
    assert all(d == 1000 for _, d in frames)   # --fps 1 by default
    w, h = frames[0][0].size
    assert 300 <= w <= P.MAX_WIDTH and 200 <= h <= 900
    # --format gif says the same as the suffix
    out2 = tmp_path / "again.gif"
    assert run("conv", "samples/image_4x4.txt", "-k", "samples/filter_2x2.txt", "-f", "gif", "-o", out2).exit_code == 0
    assert len(_frames(out2)) == 9


def test_window_outline_is_where_the_trace_says():
    x = np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]])
    trace = convtrace.trace_conv2d(x, [[1, 0], [0, 2]])
    for n in range(len(trace)):
        layout = P.conv_layout(trace, n)
        img = layout.render()
        grid = layout.find("input")[0]
        r, c = (int(v) for v in trace.origins[n])
        x0, y0, x1, y1 = grid.cell_box(r, c)
        # the outline runs just outside the window's top-left cell
        assert _near(img.getpixel((x0, (y0 + y1) // 2)), P.WINDOW, 10)
        assert _near(img.getpixel(((x0 + x1) // 2, y0)), P.WINDOW, 10)
        # and not round a cell the window does not cover
        far = grid.cell_box((r + 2) % 4, (c + 2) % 4)
        if (r + 2) % 4 not in (r, r + 1) and (c + 2) % 4 not in (c, c + 1):
            assert not _near(img.getpixel((far[0] + 3, (far[1] + far[3]) // 2)), P.WINDOW, 10)
        # the output cell being computed is outlined, and shows the trace's result colour
        out = layout.find("output")[0]
        oi, oj = int(trace.cells[n, 1]), int(trace.cells[n, 2])
        box = out.cell_box(oi, oj)
        assert _near(img.getpixel((box[0], (box[1] + box[3]) // 2)), P.WINDOW, 10)
        assert _near(img.getpixel((box[0] + 6, box[1] + 6)), P.diverging(trace.results[n], out.vmax), 6)
        assert trace.results[n] == SLIDES_OUTPUT[oi][oj]
        # cells not computed yet are pending grey, computed ones are coloured
        if n + 1 < len(trace):
            i2, j2 = int(trace.cells[n + 1, 1]), int(trace.cells[n + 1, 2])
            b2 = out.cell_box(i2, j2)
            assert _near(img.getpixel((b2[0] + 6, b2[1] + 6)), P.PENDING, 3)


@given(st.integers(1, 3), st.integers(1, 2), st.integers(0, 2), st.integers(4, 7))
def test_layout_cells_match_the_padded_input(stride, dilation, padding, n):
    rng = np.random.default_rng(n * 31 + stride)
    x = rng.integers(-9, 10, size=(n, n + 1))
    trace = convtrace.trace_conv2d(x, rng.integers(-2, 3, size=(2, 2)), padding=padding, stride=stride,
                                   dilation=dilation)
    last = len(trace) - 1
    layout = P.conv_layout(trace, last)
    img = layout.render()
    grid = layout.find("input")[0]
    vmax = float(np.max(np.abs(trace.padded)))
    for r in range(trace.pad_mask.shape[0]):
        for c in range(trace.pad_mask.shape[1]):
            box = grid.cell_box(r, c)
            pixel = img.getpixel((box[0] + 8, box[3] - 4))
            if not trace.pad_mask[r, c]:
                # a real cell's background is its value's colour (from the padded input of the trace)
                assert _near(pixel, P.diverging(trace.padded[0, r, c], vmax), 8), (r, c)
            else:
                # padding is greyed: never a saturated colour
                assert max(pixel) - min(pixel) < 90
    if dilation > 1:
        r0, c0 = (int(v) for v in trace.origins[last])
        tap = grid.cell_box(r0 + dilation, c0 + dilation)
        assert _near(img.getpixel((tap[0] + 2, (tap[1] + tap[3]) // 2)), P.WINDOW, 10)


def test_diverging_colour_map():
    assert P.diverging(0, 5) == P.WHITE
    neg, pos = P.diverging(-5, 5), P.diverging(5, 5)
    assert neg[2] > neg[0] + 80          # blue
    assert pos[0] > pos[2] + 80          # red
    half = P.diverging(-2.5, 5)
    assert half[2] > half[0] and min(half) > min(neg)   # lighter than the end
    assert P.diverging(100, 5) == pos    # clipped at ±vmax
    assert P.diverging(3, 0) == P.WHITE
    assert P.ink_on(neg) == P.WHITE and P.ink_on(P.WHITE) == P.BLACK


def test_text_draws_accents_and_signs():
    """Pillow's default font lacks á, ó, ×: the drawing makes them anyway (ink above the letter)."""
    from PIL import ImageDraw

    def ink(text):
        img = Image.new("L", (200, 40), 255)
        P.draw_text(ImageDraw.Draw(img), (5, 12), text, 18, 0)
        return np.asarray(img) < 128

    plain, accent = ink("o"), ink("ó")
    assert accent.sum() > plain.sum()
    assert accent[:plain.nonzero()[0].min()].any()       # a mark above the letter
    assert ink("×").sum() > 0 and ink("−").sum() > 0
    assert P.text_width("Operación", 15) == pytest.approx(P.text_width("Operacion", 15), abs=3)


def test_pool_frames_mark_winner_and_divisor(run, tmp_path):
    x = np.array([[1, 5, 2, 0], [3, 4, 8, 1], [0, 2, 6, 7], [9, 1, 3, 2]])
    trace = convtrace.trace_pool2d(x, 2, mode="max")
    for n in range(len(trace)):
        layout = P.pool_layout(trace, n)
        img = layout.render()
        grid = layout.find("input")[0]
        a, b = (int(v) for v in trace.winners[n])
        r, c = int(trace.origins[n, 0]) + a, int(trace.origins[n, 1]) + b
        box = grid.cell_box(r, c)
        assert _near(img.getpixel((box[0] + 4, (box[1] + box[3]) // 2)), P.WINNER, 10)
        assert trace.padded[0, r, c] == trace.results[n]
    out = tmp_path / "avg.gif"
    result = run("pool", "1 2 3 4; 5 6 7 8; 9 10 11 12", "--mode", "avg", "--size", "2", "--padding", "1",
                 "-o", out, "--lang", "es")
    assert result.exit_code == 0, result.output
    assert len(_frames(out)) == 2 * 3


def test_frames_folder_and_caps(run, tmp_path):
    frames = tmp_path / "frames"
    out = tmp_path / "s.gif"
    result = run("conv", "samples/binary_5x5.txt", "-k", "samples/x_kernel.txt", "-o", out, "--at", "1,1",
                 "--at", "0,2")
    assert result.exit_code == 0 and len(_frames(out)) == 2
    big = np.arange(15 * 15).reshape(15, 15) % 7 - 3
    np.save(tmp_path / "big.npy", big)
    out = tmp_path / "big.gif"
    result = run("conv", tmp_path / "big.npy", "-k", "sharpen", "-o", out)
    assert result.exit_code == 0
    assert len(_frames(out)) == 100 and "100 of 169" in result.output
    out = tmp_path / "few.gif"
    assert run("conv", tmp_path / "big.npy", "-k", "sharpen", "-o", out, "--max-steps", "4").exit_code == 0
    assert len(_frames(out)) == 4
    # frames as PNGs, for slides (the text result still prints)
    (tmp_path / "net.txt").write_text("conv filters=1 size=3\nrelu\n")
    result = run("net", tmp_path / "net.txt", "samples/binary_5x5.txt", "--seed", "1", "--trace", "conv1:1,1",
                 "--frames", frames)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in frames.iterdir())
    assert names == ["frame-001.png"]
    assert _size(frames / names[0])[0] <= P.MAX_WIDTH


def _has_option(command: str, option: str) -> bool:
    for c in app.registered_commands:
        if (c.name or getattr(c.callback, "__name__", "")) == command:
            import inspect

            return any(option in str(p.annotation) or p.name == option.lstrip("-")
                       for p in inspect.signature(c.callback).parameters.values())
    return False


@pytest.mark.skipif(not (_has_option("conv", "--fps") and _has_option("pool", "--frames")),
                    reason="conv/pool do not declare --fps/--frames yet (FpsOpt/FramesOpt from convtrace.cli.gallery)")
def test_conv_pool_fps_and_frames(run, tmp_path):
    out = tmp_path / "s.gif"
    result = run("conv", "samples/image_4x4.txt", "-k", "samples/filter_2x2.txt", "-o", out, "--fps", "2")
    assert result.exit_code == 0, result.output
    assert [d for _, d in _frames(out)] == [500] * 9
    frames = tmp_path / "frames"
    result = run("pool", "samples/feature_map_5x5.txt", "--size", "3", "--stride", "1", "--frames", frames)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in frames.iterdir())
    assert names[0] == "frame-001.png" and len(names) == 9
    result = run("conv", "1 2; 3 4", "-k", "1", "-o", tmp_path / "x.gif", "--fps", "-1")
    assert result.exit_code == 2 and "--fps" in result.output


def test_large_input_is_cropped_to_a_sensible_size():
    x = np.arange(60 * 80).reshape(60, 80) % 255
    trace = convtrace.trace_conv2d(x, "gaussian-3", padding="same", cells=[(30, 40)])
    frames = P.trace_frames(trace)
    w, h = frames[0].size
    assert w <= P.MAX_WIDTH and h <= 1200
    grid = P.conv_layout(trace, 0).find("input")[0]
    assert grid.cell_box(31, 41) is not None and grid.cell_box(0, 0) is None


def test_tconv_gather_frames_match_the_trace():
    from convtrace.transpose import trace_conv_transpose2d

    trace = trace_conv_transpose2d(np.array([[1, 2], [3, 4]]), np.array([[1, 0, -1], [2, 1, 0], [0, 1, 1]]),
                                   stride=2, padding=1)
    stuffed, _ = trace.operation.stuffed_input()
    for n in range(len(trace)):
        layout = P.tconv_layout(trace, n)
        grid = layout.find("input")[0]
        oi, oj = int(trace.cells[n, 1]), int(trace.cells[n, 2])
        # the window drawn at (oi, oj) covers exactly the values the trace gathered
        np.testing.assert_array_equal(stuffed[0, oi:oi + 3, oj:oj + 3], trace.windows[n, 0])
        assert grid.window == (oi, oj, oi + 2, oj + 2)
    assert len(P.trace_frames(trace)) == 9


def test_gif_timing_follows_fps():
    img = [Image.new("RGB", (20, 20), c) for c in ("red", "blue", "white")]
    for fps, ms in ((1, 1000), (2, 500), (4, 250), (0.5, 2000), (100, 30), (0.01, 10000)):
        data = P.gif_bytes(img, fps)
        with Image.open(io.BytesIO(data)) as im:
            assert im.n_frames == 3 and im.info["duration"] == ms


def test_gallery_has_one_row_per_kernel():
    from convtrace.kernels import KernelLibrary

    lib = KernelLibrary()
    rng = np.random.default_rng(3)
    photo = rng.integers(0, 256, size=(3, 40, 60), dtype=np.uint8)
    heights = []
    for names in (["identity"], ["identity", "sharpen"], ["identity", "sharpen", "box-blur", "gaussian-3"]):
        img, layout = gallery_picture(photo, [lib.get(n) for n in names])
        assert len(layout.rows) == len(names) and img.size == (layout.width, layout.height)
        heights.append(img.height)
        # the identity row's photo is the photo itself (replicate borders, clip)
        x0, y0, x1, y1 = layout.photos[0]
        shown = np.asarray(img.crop((x0, y0, x1, y1)))
        np.testing.assert_array_equal(shown, photo.transpose(1, 2, 0))
    assert heights[0] < heights[1] < heights[2]


def test_gallery_command(run, tmp_path):
    rng = np.random.default_rng(5)
    Image.fromarray(rng.integers(0, 256, size=(50, 400, 3), dtype=np.uint8)).save(tmp_path / "p.png")
    out = tmp_path / "g.png"
    result = run("gallery", tmp_path / "p.png", "-k", "identity,edge-1,sharpen,box-blur,gaussian-3", "-o", out)
    assert result.exit_code == 0, result.output
    five = _size(out)
    assert 320 <= five[0] < 1200
    out_all = tmp_path / "all.png"
    result = run("gallery", tmp_path / "p.png", "--kernels", "all", "-o", out_all, "--size", "64", "--range", "abs",
                 "--lang", "es")
    assert result.exit_code == 0, result.output
    from convtrace.kernels import KernelLibrary

    assert len(list(KernelLibrary())) > 5
    assert _size(out_all)[1] > five[1]


@pytest.mark.parametrize("args, needle", [
    (["conv", "1 2; 3 4", "-k", "1", "-o", "x.png", "-f", "gif"], ".png"),
    (["conv", "1 2; 3 4", "-k", "1", "-o", "x.gif", "-f", "json"], ".gif"),
    (["conv", "1 2; 3 4", "-k", "1", "-f", "gif"], "-o"),
    (["gallery", "samples/image_4x4.txt", "-o", "OUT/g.png"], "not an image"),
    (["gallery", "IMG", "-o", "OUT/g.txt"], ".png"),
    (["gallery", "IMG", "-o", "OUT/g.png", "--size", "0"], "--size"),
    (["gallery", "IMG", "-o", "OUT/g.png", "-k", "nosuchkernel"], "nosuchkernel"),
    (["net", "NET", "samples/binary_5x5.txt", "--seed", "1", "--trace", "conv1", "-o", "OUT/n.gif", "--fps", "0"],
     "--fps"),
    (["net", "NET", "samples/binary_5x5.txt", "--seed", "1", "--trace", "conv1", "-o", "OUT/n.gif", "--fps", "nan"],
     "--fps"),
    (["net", "NET", "samples/binary_5x5.txt", "--seed", "1", "-o", "OUT/n.gif"], "--trace"),
    (["net", "NET", "samples/binary_5x5.txt", "--seed", "1", "--trace", "flatten1", "-o", "OUT/n.gif"], "conv"),
    (["net", "NET", "samples/binary_5x5.txt", "--seed", "1", "--maps", "OUT/m.jpg"], ".png"),
])
def test_errors_are_one_line_exit_2(run, tmp_path, args, needle):
    (tmp_path / "net.txt").write_text("conv filters=2 size=3 padding=1\nrelu\nflatten\ndense units=2\n")
    Image.new("RGB", (8, 8), "white").save(tmp_path / "i.png")
    subst = {"NET": str(tmp_path / "net.txt"), "IMG": str(tmp_path / "i.png")}
    args = [subst.get(a, a.replace("OUT", str(tmp_path))) for a in args]
    result = run(*args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0], result.output


def test_net_gif_and_maps(run, tmp_path):
    (tmp_path / "net.txt").write_text("conv filters=3 size=3 padding=1\nrelu\nmaxpool size=2\nflatten\n"
                                      "dense units=4\nsoftmax\n")
    gif = tmp_path / "n.gif"
    result = run("net", tmp_path / "net.txt", "samples/binary_5x5.txt", "--seed", "2", "--trace", "conv1:1,2,2",
                 "-o", gif, "--fps", "4")
    assert result.exit_code == 0, result.output
    frames = _frames(gif)
    assert len(frames) == 1 and frames[0][1] == 250
    pool = tmp_path / "p.gif"
    assert run("net", tmp_path / "net.txt", "samples/binary_5x5.txt", "--seed", "2", "--trace", "maxpool1:0,1,1",
               "-o", pool).exit_code == 0
    maps = tmp_path / "maps.png"
    result = run("net", tmp_path / "net.txt", "samples/binary_5x5.txt", "--seed", "2", "--maps", maps)
    assert result.exit_code == 0, result.output
    assert _size(maps)[0] > 100


def test_maps_picture_is_layers_by_maps():
    from convtrace.network import Layer, build_network

    layers = [Layer("conv", {"filters": 4, "size": 3, "padding": 1}), Layer("relu"), Layer("maxpool", {"size": 2}),
              Layer("flatten"), Layer("dense", {"units": 3})]
    x = np.random.default_rng(0).integers(0, 256, size=(2, 8, 8))
    net = build_network(layers, x.shape, seed=4)
    outputs = net.forward(x)
    img, layout = P.maps_picture(net, x, outputs)
    assert img.size == (layout.width, layout.height)
    assert len(layout.tiles) == 1 + len(layers)
    assert [len(row) for row in layout.tiles] == [2, 4, 4, 4, 1, 1]
    # a signed conv map uses the diverging colours: its most negative cell is blue
    conv = np.asarray(outputs[0][0], dtype=float)
    if conv.min() < 0:
        x0, y0, x1, y1 = layout.tiles[1][0]
        i, j = np.unravel_index(np.argmin(conv), conv.shape)
        sx, sy = (x1 - x0) / conv.shape[1], (y1 - y0) / conv.shape[0]
        pixel = img.getpixel((int(x0 + (j + 0.5) * sx), int(y0 + (i + 0.5) * sy)))
        assert pixel[2] > pixel[0]
    # relu maps are grayscale
    x0, y0, x1, y1 = layout.tiles[2][0]
    tile = np.asarray(img.crop((x0, y0, x1, y1)))
    assert np.all(tile[..., 0] == tile[..., 1])
