"""Fast from the first run: the compile notice, and traces that keep only what they show.

- The first real compilation (an empty Numba cache) is announced in one line on standard error;
  a cache load is silent, and so is a piped standard error or ``--quiet``.
- A trace of a large input keeps only the padded rows and columns around its windows: every view of
  it reads the same numbers as a trace that keeps the whole padded input, and an independent
  ``np.pad`` agrees with what it keeps.
- Tracing one cell of a large input costs no more memory than running the convolution.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rich.console import Console

import convtrace
from convtrace import convolution
from convtrace.cli import common
from convtrace.engine import events
from convtrace.render.matrix import STEP_SIDE
from convtrace.render.views import ConvTraceView, PoolTraceView
from tests import naive
from tests.strategies import conv_problems, has_empty_int_window, pool_problems

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
NOTICE_EN = "compiling the engine for this machine — first run only"


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CONVTRACE_COMPILE_NOTICE", "NUMBA_CACHE_DIR")}
    env.update(extra)
    return env


def _quick_start(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "convtrace", "conv", str(SAMPLES / "binary_5x5.txt"), "-k",
         str(SAMPLES / "x_kernel.txt"), "--trace", *args],
        capture_output=True, text=True, env=env, timeout=600, cwd=ROOT)


# --------------------------------------------------------------------------- the compile notice


def test_compile_notice_on_a_cold_cache_then_silent(tmp_path):
    """A fresh cache compiles: one notice line (forced on, stderr being a pipe here); the same
    command again loads from the cache and says nothing; the results are the same."""
    env = _env(NUMBA_CACHE_DIR=str(tmp_path / "cache"), CONVTRACE_COMPILE_NOTICE="always")
    cold = _quick_start(env)
    assert cold.returncode == 0, cold.stderr
    lines = [line for line in cold.stderr.splitlines() if NOTICE_EN in line]
    assert len(lines) == 1, cold.stderr
    # A trace compiles the small-input routine only: the notice says so (a photo's bulk loops take longer).
    assert lines[0].startswith(NOTICE_EN) and lines[0].endswith(f"about {events.QUICK_SECONDS} s")
    warm = _quick_start(env)
    assert warm.returncode == 0, warm.stderr
    assert NOTICE_EN not in warm.stderr
    assert "compilando" not in warm.stderr
    assert warm.stdout == cold.stdout


_WARM_LOAD = textwrap.dedent("""
    import sys
    import numpy as np
    import convtrace
    rng = np.random.default_rng(7)
    image = rng.standard_normal((2, 300, 200)).astype(np.float32)
    small = rng.integers(-9, 10, (5, 5))
    weights = rng.standard_normal((3, 3)).astype(np.float32)
    results = [convtrace.conv2d(image, weights, padding=1, pad_mode="reflect"),
               convtrace.conv2d(small, np.array([[1, 0], [-2, 3]]), stride=2),
               convtrace.trace_conv2d(small, np.ones((3, 3), dtype=np.int64)).output,
               convtrace.pool2d(image, 2, mode="max")]
    np.savez(sys.argv[1], *results)
    print("REGISTRIES", "numba.np.linalg" in sys.modules, "numba.np.random.generator_core" in sys.modules)
""")


def test_a_warm_run_loads_the_cached_engine_without_numbas_compiler(tmp_path):
    """Cached routines load without Numba's compiler set-up (every typing and lowering rule,
    0.2-0.3 s): the warm process never imports those modules, and computes what the cold one did."""
    env = _env(NUMBA_CACHE_DIR=str(tmp_path / "cache"))
    runs = {}
    for name in ("cold", "warm"):
        out = subprocess.run([sys.executable, "-c", _WARM_LOAD, str(tmp_path / f"{name}.npz")],
                             capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
        assert out.returncode == 0, out.stderr
        runs[name] = out.stdout.split()[-2:]
    assert runs == {"cold": ["True", "True"], "warm": ["False", "False"]}
    cold, warm = np.load(tmp_path / "cold.npz"), np.load(tmp_path / "warm.npz")
    assert cold.files == warm.files and len(cold.files) == 4
    for name in cold.files:
        assert cold[name].dtype == warm[name].dtype
        np.testing.assert_array_equal(cold[name], warm[name])


def test_the_engine_runs_as_plain_python_under_numba_disable_jit():
    """NUMBA_DISABLE_JIT=1 (debuggers, coverage) leaves the routines plain functions: still correct."""
    code = "import convtrace; print(convtrace.conv2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, 1]]).tolist())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=600,
                         env=_env(NUMBA_DISABLE_JIT="1"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[[6, 8], [12, 14]]"


def test_compile_notice_quiet_when_piped(tmp_path):
    """Without the override, a piped standard error gets no notice, even on a cold cache."""
    env = _env(NUMBA_CACHE_DIR=str(tmp_path / "cache"))
    cold = _quick_start(env, "--lang", "es")
    assert cold.returncode == 0, cold.stderr
    assert "compilando" not in cold.stderr and NOTICE_EN not in cold.stderr


def test_notice_wanted(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv(common.COMPILE_NOTICE_ENV, raising=False)
    monkeypatch.setattr(sys, "stderr", Tty())
    assert common.notice_wanted()
    assert not common.notice_wanted(quiet=True)
    monkeypatch.setenv(common.COMPILE_NOTICE_ENV, "never")
    assert not common.notice_wanted()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    monkeypatch.delenv(common.COMPILE_NOTICE_ENV)
    assert not common.notice_wanted()
    monkeypatch.setenv(common.COMPILE_NOTICE_ENV, "always")
    assert common.notice_wanted(quiet=True)


def test_compile_notice_says_it_once_in_the_command_language(monkeypatch):
    """The wiring: the engine's first-compile event prints the line, in the command's language, once."""
    from numba.core import event

    said = []
    monkeypatch.setenv(common.COMPILE_NOTICE_ENV, "always")
    monkeypatch.setattr(common, "say", said.append)
    from convtrace.engine import _fused  # listening starts at once when the engine is loaded

    with common.compile_notice("es"):
        for _ in range(3):
            event.start_event("numba:compile", data={"dispatcher": _fused.block3})
            event.end_event("numba:compile", data={})
    event.start_event("numba:compile", data={})   # after the block: nobody listens
    event.end_event("numba:compile", data={})
    assert said == [f"compilando el motor para este equipo — solo la primera vez, unos {events.BULK_SECONDS} s"]


def test_the_notice_estimates_from_the_first_routine_compiled():
    """A photo's bulk or pixel loops take seconds; small inputs and traces compile one quick routine."""
    from convtrace.engine import _fused, conv, pixels, pool_loops, transpose

    for routine in (_fused.block3, _fused.block_any, pixels.planar, pixels.interleaved_pixels, pool_loops.pool_rows):
        assert events.compile_seconds(routine) == events.BULK_SECONDS, routine
    for routine in (conv.window_sums, pool_loops.trace_pool, pool_loops.axis_counts):
        assert events.compile_seconds(routine) == events.QUICK_SECONDS, routine
    assert all(events.compile_seconds(getattr(transpose, name)) == events.QUICK_SECONDS
               for name in dir(transpose) if hasattr(getattr(transpose, name), "py_func"))
    assert events.compile_seconds(None) == events.BULK_SECONDS  # unknown: do not under-promise
    assert events.QUICK_SECONDS < events.BULK_SECONDS


def test_commands_without_computing_do_not_load_numba():
    """The notice listens without importing Numba: ``kernels list`` stays light."""
    code = textwrap.dedent("""
        import sys
        from convtrace.cli import app
        sys.argv = ["convtrace", "kernels", "list"]
        try:
            app()
        except SystemExit:
            pass
        print("numba" in sys.modules, "scipy.linalg" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), cwd=ROOT,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False False"


def test_blas_probe_is_lifted_after_the_command():
    with common.without_blas_probe():
        pass
    assert sys.modules.get("scipy.linalg.cython_blas", 0) is not None


# --------------------------------------------------------------------------- what a command line loads


def test_quick_start_loads_only_what_it_uses():
    """A trace converts its options without Pydantic, does not load Typer's help formatter (Rich's
    Markdown and traceback modules), nor the other commands' modules, nor SciPy's linear algebra,
    nor the engine's bulk and pooling loops (their dispatchers take 20 ms to make)."""
    code = textwrap.dedent("""
        import atexit, sys
        from convtrace.cli import main

        def report():  # main ends the process: its exit handlers still run
            loaded = [m for m in ("pydantic", "typer.rich_utils", "rich.markdown", "rich.traceback",
                                  "convtrace.cli.check", "convtrace.cli.batch", "convtrace.render.export",
                                  "scipy.linalg", "convtrace.engine._fused", "convtrace.engine.pool_loops")
                      if m in sys.modules]
            print("LOADED", loaded)

        atexit.register(report)
        sys.argv = ["convtrace", "conv", "1 2 3; 4 5 6; 7 8 9", "-k", "1 0; 0 1", "--trace", "--at", "1,1"]
        main()
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), cwd=ROOT,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "LOADED []"


def test_each_command_is_registered_by_the_module_main_loads_for_it():
    import typer

    from convtrace import cli

    whole = typer.main.get_command(cli.app)
    assert sorted(whole.commands) == sorted(cli.COMMAND_MODULES)
    assert set(cli.COMMAND_MODULES.values()) == set(cli.MODULES)
    for name, module in cli.COMMAND_MODULES.items():
        assert name in typer.main.get_command(cli.make_app((module,))).commands


def test_help_of_one_command_is_the_same_from_main_and_from_the_whole_app(run):
    """``convtrace conv --help`` builds only ``conv``; its help is the one the whole app shows."""
    for command in (["conv"], ["kernels", "show"], ["relu"]):
        env = {"NO_COLOR": "1", "COLUMNS": "80", "TERMINAL_WIDTH": "80", "LC_ALL": "", "LANG": "es_ES.UTF-8",
               "CONVTRACE_KERNELS": ""}
        whole = run(*command, "--help", env=env)
        code = ("import sys\nfrom convtrace.cli import main\nsys.argv = ['convtrace', *sys.argv[1:]]\n"
                "try:\n    main()\nexcept SystemExit:\n    pass\n")
        alone = subprocess.run([sys.executable, "-c", code, *command, "--help"], capture_output=True, text=True,
                               env={**_env(), **env}, cwd=ROOT, timeout=120)
        assert alone.stdout.replace("python -c", "convtrace") == whole.output.replace("python -c", "convtrace")


_OVERVIEW = ("import sys\nsys.argv = ['convtrace', *sys.argv[1:]]\nfrom convtrace.cli import main\nmain()\n"
             "print('typer' in sys.modules, 'numba' in sys.modules, file=sys.stderr)\n")
_TYPER_HELP = ("import sys\nsys.argv = ['convtrace', '--help']\nfrom convtrace.cli import app\n"
               "try:\n    app(prog_name='convtrace')\nexcept SystemExit:\n    pass\n")


@pytest.mark.parametrize(("columns", "lang", "colour", "flag"), [
    ("40", "en_US.UTF-8", False, "--help"), ("64", "es_ES.UTF-8", False, "--help"),
    ("80", "en_US.UTF-8", True, "--help"), ("80", "es_ES.UTF-8", True, "-h"),
    ("132", "es_ES.UTF-8", False, "-h"), ("132", "en_US.UTF-8", True, "--help"),
])
def test_the_overview_is_the_help_typer_draws(columns, lang, colour, flag):
    """``convtrace --help`` is drawn without Typer, character for character (and colour for colour) as
    the whole app's help, at any width, in both languages; it imports neither Typer nor Numba."""
    env = {**_env(), "COLUMNS": columns, "LC_ALL": "", "LANG": lang}
    env.pop("NO_COLOR" if colour else "FORCE_COLOR", None)
    env["FORCE_COLOR" if colour else "NO_COLOR"] = "1"
    fast = subprocess.run([sys.executable, "-c", _OVERVIEW, flag], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)
    typer_help = subprocess.run([sys.executable, "-c", _TYPER_HELP], capture_output=True, text=True, env=env,
                                cwd=ROOT, timeout=120)
    assert fast.returncode == 0 and fast.stderr.split() == ["False", "False"], fast.stderr
    assert ("\x1b[" in fast.stdout) == colour
    assert fast.stdout.replace("python -c", "convtrace") == typer_help.stdout


def test_the_version_is_typers_without_typer(run):
    for flag in ("--version", "-V"):
        fast = subprocess.run([sys.executable, "-c", _OVERVIEW, flag], capture_output=True, text=True, env=_env(),
                              cwd=ROOT, timeout=120)
        assert fast.returncode == 0 and fast.stderr.split() == ["False", "False"], fast.stderr
        assert fast.stdout == run(flag).output == f"convtrace {convtrace.__version__}\n"


def test_the_overview_lists_the_apps_commands_and_their_helps():
    import typer.main

    from convtrace import cli
    from convtrace.cli.localize import _english_keys
    from convtrace.cli.overview import COMMANDS, OPTIONS

    group = typer.main.get_command(cli.app)
    keys = _english_keys()
    listed = [(name, keys.get(group.get_command(None, name).help)) for name in group.list_commands(None)]
    assert listed == list(COMMANDS)
    assert [(p.opts[0], p.opts[1], keys.get(p.help)) for p in group.params] == list(OPTIONS[:1])


def test_the_usage_line_wraps_as_clicks(monkeypatch):
    from typer._click.formatting import HelpFormatter

    from convtrace.cli.overview import usage_line

    for columns in (20, 52, 60, 80, 200):
        monkeypatch.setenv("COLUMNS", str(columns))
        for prefix, prog in (("Usage: ", "convtrace"), ("Uso: ", "python -m convtrace"), ("Usage: ", "x" * 40)):
            formatter = HelpFormatter()
            formatter.write_usage(prog, "[OPTIONS] COMMAND [ARGS]...", prefix=prefix)
            assert usage_line(prefix, prog, "[OPTIONS] COMMAND [ARGS]...") == formatter.getvalue().rstrip("\n")


def _typer_value(param, value):
    """What Typer's own converter (a Pydantic adapter) makes of ``value``, or the error it raises."""
    from typer._coercion import build_runtime_param

    try:
        return build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=None)
    except Exception as err:  # noqa: BLE001
        return type(err)


QUICK_SAMPLES = {
    str: ["sharpen", "", " 1 2; 3 4 ", "-1", "ñ"],
    int: [0, 25, 15, 16, -1, "0", "7", "007", "15", "16", "99", "-1", "+3", " 4", "4 ", "1_0", "1.0", "1e3",
          "abc", "", "٣", "123456789012345678", 2.0, True],
    float: [1.0, 0.5, 0, 2, "1", "0.5", "1.50", "12345678901234567.123456789012345678", ".5", "5.", "1e3",
            "-1", "nan", "inf", "abc", "", float("nan"), float("inf"), True],
    "enum": [None, "json", "JSON", "Json", " json", "xml", "", 3],
    "path": ["out.png", "samples/binary_5x5.txt", "samples", "", "-", "~/x", "a\0b", 5],
    "list": [("1,1", "2,2"), ["3,4"], (), "1,1", ("a", 3)],
}


def test_quick_option_values_are_typers_values():
    """The quick converter takes a value only when it gives what Typer's adapter gives (value and type);
    everything else goes to Typer's converter, so its answers and errors are Typer's."""
    import typer

    from convtrace.cli import app
    from convtrace.cli.coercion import SLOW, quick_value

    group = typer.main.get_command(app)
    params = {(command, p.name): p for command in ("conv", "check", "quiz", "batch", "gallery")
              for p in group.commands[command].params}
    cases = [(params["conv", "input"], QUICK_SAMPLES[str]), (params["conv", "max_steps"], QUICK_SAMPLES[int]),
             (params["conv", "precision"], QUICK_SAMPLES[int]), (params["quiz", "seed"], QUICK_SAMPLES[int]),
             (params["conv", "fps"], QUICK_SAMPLES[float]), (params["check", "tol"], QUICK_SAMPLES[float]),
             (params["batch", "connect_timeout"], QUICK_SAMPLES[float]),
             (params["conv", "format"], QUICK_SAMPLES["enum"]), (params["conv", "device"], QUICK_SAMPLES["enum"]),
             (params["conv", "output"], QUICK_SAMPLES["path"]), (params["gallery", "photo"], QUICK_SAMPLES["path"]),
             (params["conv", "at"], QUICK_SAMPLES["list"]), (params["conv", "kernels_dir"], QUICK_SAMPLES["list"])]
    taken = 0
    for param, values in cases:
        desc = param.type_descriptor
        for value in values:
            quick = quick_value(desc.annotation, desc.parameter_info, value, param, None)
            if quick is SLOW:
                continue
            taken += 1
            expected = _typer_value(param, value)
            assert type(quick) is type(expected) and quick == expected, (param.name, value, quick, expected)
    assert taken >= 30


# --------------------------------------------------------------------------- cropped traces


def _render(view, width=120) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(view)
    return console.file.getvalue()


def _cells(data, out_shape):
    n = data.draw(st.integers(1, 4))
    return [(data.draw(st.integers(0, out_shape[0] - 1)), data.draw(st.integers(0, out_shape[1] - 1)))
            for _ in range(n)]


def test_view_side_covers_the_renderers():
    from convtrace.render.pictures import MAX_SIDE as PICTURE_SIDE

    assert convolution.VIEW_SIDE >= max(STEP_SIDE, PICTURE_SIDE)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_cropped_conv_trace_shows_what_the_whole_trace_shows(data):
    p = data.draw(conv_problems(max_side=48, max_k=4))
    kwargs = dict(padding=p["pads"], pad_mode=p["mode"], pad_value=p["pad_value"], stride=p["stride"],
                  dilation=p["dilation"])
    out_shape = convtrace.conv2d(p["x"], p["w"], **kwargs).shape
    cells = _cells(data, out_shape)
    whole = convtrace.trace_conv2d(p["x"], p["w"], cells=cells, **kwargs)
    old = convolution.WHOLE_PADDED_CELLS
    convolution.WHOLE_PADDED_CELLS = 0
    try:
        part = convtrace.trace_conv2d(p["x"], p["w"], cells=cells, **kwargs)
    finally:
        convolution.WHOLE_PADDED_CELLS = old
    assert whole.padded_origin == (0, 0)
    np.testing.assert_array_equal(part.pad_mask, whole.pad_mask)
    # What the part keeps is the padded input there, by an independent np.pad.
    r0, c0 = part.padded_origin
    reference = naive.pad(np.asarray(p["x"]), p["pads"], p["mode"], p["pad_value"])
    kept = part.padded[0]
    np.testing.assert_array_equal(kept, reference[r0:r0 + kept.shape[0], c0:c0 + kept.shape[1]].astype(kept.dtype))
    for name in ("output", "windows", "products", "totals", "results", "origins"):
        np.testing.assert_array_equal(getattr(part, name), getattr(whole, name))
    for lang in ("en", "es"):
        assert _render(ConvTraceView(part, lang=lang)) == _render(ConvTraceView(whole, lang=lang))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_cropped_pool_trace_shows_what_the_whole_trace_shows(data):
    p = data.draw(pool_problems())
    assume(not (p["x"].dtype.kind == "i" and p["mode"] in ("max", "min") and has_empty_int_window(p)))
    x = p.pop("x")
    kwargs = {("padding" if k == "pad" else k): v for k, v in p.items()}
    out = convtrace.pool2d(x, **kwargs)
    cells = _cells(data, out.shape)
    whole = convtrace.trace_pool2d(x, cells=cells, **kwargs)
    old = convolution.WHOLE_PADDED_CELLS
    convolution.WHOLE_PADDED_CELLS = 0
    try:
        part = convtrace.trace_pool2d(x, cells=cells, **kwargs)
    finally:
        convolution.WHOLE_PADDED_CELLS = old
    for name in ("output", "windows", "inside", "winners", "results"):
        np.testing.assert_array_equal(getattr(part, name), getattr(whole, name))
    assert _render(PoolTraceView(part)) == _render(PoolTraceView(whole))


def test_large_input_keeps_a_small_neighbourhood():
    x = np.arange(1200 * 1000, dtype=np.int64).reshape(1200, 1000) % 251
    trace = convtrace.trace_conv2d(x, np.ones((3, 3), dtype=np.int64), padding=1, pad_mode="reflect",
                                   cells=[(600, 500)])
    assert trace.padded.size <= (3 + 2 * 16) ** 2
    assert trace.pad_mask.shape == (1202, 1002)
    assert trace.padded_shape == (1, 1202, 1002)
    r0, c0 = trace.padded_origin
    reference = naive.pad(x, (1, 1, 1, 1), "reflect", 0)
    np.testing.assert_array_equal(trace.padded[0], reference[r0:r0 + trace.padded.shape[1],
                                                             c0:c0 + trace.padded.shape[2]])


# --------------------------------------------------------------------------- memory


MEMORY_SCRIPT = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
    import numpy as np
    from convtrace.convolution import prepare_conv2d
    rng = np.random.default_rng(7)
    x = rng.integers(0, 256, size=(3000, 4000), dtype=np.uint8)
    op = prepare_conv2d(x, "sharpen", padding="same")
    op.run()
    after_run = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    trace = op.trace([(100, 100)])
    after_trace = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(after_run, after_trace, trace.padded.size)
""")


def test_one_cell_trace_of_a_large_input_costs_no_padded_copy():
    """A 3000×4000 uint8 map (12 million cells) traced at one cell, under a 1.5 GB address-space limit:
    the trace adds no padded copy of the input (96 MB in int64) on top of what running it costs."""
    limit = 1536 * 2**20
    out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(limit)], capture_output=True, text=True,
                         env=_env(), cwd=ROOT, timeout=600)
    if out.returncode != 0 and "MemoryError" in out.stderr and "prepare_conv2d" not in out.stderr:
        pytest.skip("this machine cannot start the engine under the address-space limit")
    assert out.returncode == 0, out.stderr
    after_run, after_trace, kept = (int(v) for v in out.stdout.split())
    assert kept <= (3 + 2 * 16) ** 2
    assert (after_trace - after_run) * 1024 < 40 * 2**20, (after_run, after_trace)


@pytest.mark.parametrize(("flags", "quiet"), [([], False), (["--quiet"], True), (["-q"], True), (["--json"], True)])
def test_a_quiet_batch_does_not_announce_compiling(run, tmp_path, monkeypatch, flags, quiet):
    """``batch --quiet`` (and ``--json``, whose standard output is for scripts) keeps the compile notice quiet."""
    import contextlib

    from PIL import Image

    asked = []

    @contextlib.contextmanager
    def notice(lang, quiet=False):
        asked.append(quiet)
        yield

    monkeypatch.setattr(common, "compile_notice", notice)
    src = tmp_path / "in"
    src.mkdir()
    Image.fromarray(np.zeros((4, 4), np.uint8)).save(src / "a.png")
    assert run("batch", src, tmp_path / "out", "-k", "sharpen", *flags).exit_code == 0
    assert asked == [quiet]


_MAIN = "import sys\nsys.argv = ['convtrace', *sys.argv[1:]]\nfrom convtrace.cli import main\nmain()\n"


def test_a_command_ends_without_teardown_but_with_its_exit_handlers_and_all_its_output(tmp_path):
    """``main`` ends a command with ``os._exit`` (no interpreter teardown): every line of a long output
    still arrives, exit handlers still run (after the output), and the status is the command's."""
    matrix = tmp_path / "m.txt"
    matrix.write_text("\n".join(" ".join(str((i * 7 + j) % 10) for j in range(60)) for i in range(300)))
    code = ("import atexit\natexit.register(lambda: print('HANDLER RAN', flush=True))\n" + _MAIN)
    done = subprocess.run([sys.executable, "-c", code, "conv", str(matrix), "-k", "1 0; 0 2", "-f", "csv"],
                          capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "HANDLER RAN" and len(lines) == 299 + 1
    x = np.loadtxt(matrix, dtype=np.int64)
    assert lines[-2] == ",".join(str(v) for v in x[-2, :-1] + 2 * x[-1, 1:])
    refused = subprocess.run([sys.executable, "-c", code, "conv", str(matrix), "-k", "nope"], capture_output=True,
                             text=True, env=_env(), cwd=ROOT, timeout=600)
    assert refused.returncode == 2 and refused.stdout == "HANDLER RAN\n"
    assert refused.stderr.startswith("error: unknown kernel 'nope'") and "Traceback" not in refused.stderr


def test_a_thread_still_working_is_waited_for_by_the_ordinary_exit():
    """A thread still working when the command ends (it starts its last step only then) is waited for."""
    code = textwrap.dedent("""
        import sys, threading, time
        sys.argv = ["convtrace", *sys.argv[1:]]
        from convtrace import cli
        ending = threading.Event()
        exit_now = cli._exit_now
        def ended(code):
            ending.set()
            exit_now(code)
        cli._exit_now = ended
        def late():
            ending.wait()
            time.sleep(0.3)
            print("THREAD DONE", flush=True)
        threading.Thread(target=late).start()
        cli.main()
    """)
    done = subprocess.run([sys.executable, "-c", code, "conv", "1 2; 3 4", "-k", "1 1", "-f", "csv"],
                          capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=600)
    assert done.returncode == 0 and done.stdout.splitlines() == ["3", "7", "THREAD DONE"]


def test_a_reader_that_stops_early_ends_a_command_quietly(tmp_path):
    """``convtrace conv … | head``: the reader gone, no traceback and status 1 (as Click ends a command)."""
    matrix = tmp_path / "m.txt"
    matrix.write_text("\n".join(" ".join("1" for _ in range(40)) for _ in range(40)))
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-c", _MAIN, "conv", str(matrix), "-k", "1 1; 1 1", "--trace"],
                              stdout=write_end, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT,
                              timeout=600)
    finally:
        os.close(write_end)
    assert done.returncode == 1 and done.stderr == ""


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_a_reader_that_stops_early_ends_the_overview_quietly(flag):
    """``convtrace --help | head -3``: no traceback when the pipe closes, status 1, as Typer's help ends."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # a reader that has already gone: every write meets a broken pipe
    try:
        done = subprocess.run([sys.executable, "-c", _OVERVIEW, flag], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, env=_env(), cwd=ROOT, timeout=120)
    finally:
        os.close(write_end)
    assert done.returncode == 1 and done.stderr == ""


def test_a_line_said_while_the_batch_bar_shows_goes_above_it():
    """The compile notice of a batch comes from a worker once the bar is drawn: it goes through the bar's
    console (above the bar, on a line of its own), not a fresh one writing onto the bar's line."""
    import re

    from rich.progress import Progress

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80, color_system=None)
    with Progress(console=console, auto_refresh=False) as bar, common.lines_above(console):
        bar.add_task("convtrace batch", total=2)
        bar.refresh()
        common.say("compiling the engine for this machine")
    lines = [re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line).strip() for line in re.split(r"[\r\n]", out.getvalue())]
    assert "compiling the engine for this machine" in lines
    assert common._LIVE_CONSOLES == []
