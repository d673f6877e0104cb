"""The command line: ``convtrace conv | pool | kernels | modes``.

Each command parses its options, calls the library, renders, and turns a
library error into one clear line on standard error with exit status 2.
Numba is imported only when a command computes, so ``--help`` stays fast.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console

from convtrace import __version__
from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.i18n import detect_lang, translate

HELP_LANG = detect_lang()


def _h(key: str) -> str:
    return translate(key, HELP_LANG)


def _examples(*lines: str) -> str:
    body = "\n\n".join(f"  {line}" for line in lines)
    return f"[bold]{_h('help_examples')}:[/bold]\n\n{body}"


class Lang(str, Enum):
    en = "en"
    es = "es"


class OutFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    latex = "latex"
    npy = "npy"
    png = "png"


class Device(str, Enum):
    cpu = "cpu"
    cuda = "cuda"
    auto = "auto"


class PoolMode(str, Enum):
    max = "max"
    avg = "avg"
    min = "min"
    sum = "sum"


app = typer.Typer(
    name="convtrace",
    help=_h("help_app"),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

# ----------------------------------------------------------------- shared options (defined once)

InputArg = Annotated[str, typer.Argument(help=_h("help_input"), metavar="INPUT", show_default=False)]
KernelOpt = Annotated[str, typer.Option("--kernel", "-k", help=_h("help_kernel"), show_default=False)]
PaddingOpt = Annotated[str, typer.Option("--padding", "-p", help=_h("help_padding"))]
PadModeOpt = Annotated[str, typer.Option("--pad-mode", "-m", help=_h("help_pad_mode"))]
PadValueOpt = Annotated[str, typer.Option("--pad-value", help=_h("help_pad_value"))]
StrideOpt = Annotated[str, typer.Option("--stride", "-s", help=_h("help_stride"))]
DilationOpt = Annotated[str, typer.Option("--dilation", "-d", help=_h("help_dilation"))]
FlipOpt = Annotated[bool, typer.Option("--flip", help=_h("help_flip"))]
TraceOpt = Annotated[bool, typer.Option("--trace", "-t", help=_h("help_trace"))]
AtOpt = Annotated[list[str] | None, typer.Option("--at", help=_h("help_at"), metavar="I,J", show_default=False)]
MaxStepsOpt = Annotated[int, typer.Option("--max-steps", min=0, help=_h("help_max_steps"))]
FormatOpt = Annotated[OutFormat, typer.Option("--format", "-f", help=_h("help_format"))]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help=_h("help_output"), show_default=False)]
ForceOpt = Annotated[bool, typer.Option("--force", help=_h("help_force"))]
PrecisionOpt = Annotated[int, typer.Option("--precision", min=0, max=15, help=_h("help_precision"))]
LangOpt = Annotated[Lang | None, typer.Option("--lang", help=_h("help_lang"), show_default=False)]
DeviceOpt = Annotated[Device, typer.Option("--device", help=_h("help_device"))]
KernelsDirOpt = Annotated[list[Path] | None, typer.Option("--kernels-dir", help=_h("help_kernels_dir"),
                                                           show_default=False)]


def _lang(lang: Lang | None) -> str:
    return lang.value if lang is not None else detect_lang()


@contextlib.contextmanager
def _user_errors(lang: str):
    """Library errors become one line on standard error and exit status 2."""
    try:
        yield
    except ConvtraceError as err:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"{translate('error_prefix', lang)}: {err.message(lang)}", markup=False)
        raise typer.Exit(2) from None


def _console(file=None) -> Console:
    """Rich console for results; piped output is not cut to 80 columns (no terminal limits it)."""
    console = Console(file=file, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(file=file, highlight=False, width=160)
    return console


def _parse_cells(at: list[str] | None) -> list[tuple[int, ...]] | None:
    if not at:
        return None
    cells = []
    for item in at:
        parts = [p for p in item.replace(";", ",").replace(" ", ",").split(",") if p]
        try:
            cells.append(tuple(int(p) for p in parts))
        except ValueError:
            raise ConvtraceValueError("bad_at", value=item) from None
        if len(parts) not in (2, 3):
            raise ConvtraceValueError("bad_at", value=item)
    return cells


def _parse_number(text: str, name: str):
    from fractions import Fraction

    try:
        value = Fraction(text.strip().replace("\u2212", "-"))
    except (ValueError, ZeroDivisionError):
        try:
            return float(text)
        except ValueError:
            raise ConvtraceValueError("bad_number_option", name=name, value=text) from None
    return int(value) if value.denominator == 1 else float(value)


def _read_input(spec: str):
    from convtrace.io.readers import read_matrix

    return read_matrix(spec).values


def _emit(*, renderable, document, output, fmt: OutFormat, out_path: Path | None, force: bool, precision: int,
          lang: str, title: tuple[str, str], trace) -> None:
    """Render ``output`` in ``fmt`` to the terminal or, atomically, to ``out_path``."""
    from convtrace.io.writers import write_atomic
    from convtrace.render import export

    if fmt in (OutFormat.npy, OutFormat.png):
        if out_path is None:
            raise ConvtraceValueError("binary_needs_output", fmt=fmt.value)
        data = export.to_npy_bytes(output) if fmt == OutFormat.npy else export.to_png_bytes(output)
        write_atomic(out_path, data, overwrite=force)
        Console(stderr=True, highlight=False).print(translate("wrote_file", lang, where=out_path), markup=False)
        return
    if fmt == OutFormat.table:
        if out_path is None:
            _console().print(renderable)
            return
        buffer = io.StringIO()
        Console(file=buffer, width=120, color_system=None, highlight=False).print(renderable)
        text = buffer.getvalue()
    elif fmt == OutFormat.json:
        text = export.to_json(document())
    elif fmt == OutFormat.csv:
        text = export.to_csv(output, precision)
    elif fmt == OutFormat.markdown:
        text = export.to_markdown(*title, output, precision, lang, trace=trace)
    else:
        text = export.to_latex(*title, output, precision, lang, trace=trace)
    if out_path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(out_path, text.encode("utf-8"), overwrite=force)
        Console(stderr=True, highlight=False).print(translate("wrote_file", lang, where=out_path), markup=False)


def _first_cells(call, op: str, count: int) -> list[tuple[int, ...]]:
    """The first ``count`` output cells in reading order (map, row, column)."""
    n_maps = call.weights.shape[0] if op == "conv2d" else call.x.shape[0]
    shape = (n_maps, call.rows.size, call.cols.size)
    total = n_maps * call.rows.size * call.cols.size
    index = np.unravel_index(np.arange(min(count, total)), shape)
    if call.squeeze:
        return [(int(i), int(j)) for i, j in zip(index[1], index[2], strict=True)]
    return [(int(f), int(i), int(j)) for f, i, j in zip(*index, strict=True)]


def _finish(call, op: str, trace_wanted: bool, at, max_steps, fmt, out_path, force, precision, lang,
            device: Device = Device.cpu):
    """Run or trace a prepared call and send the result where it was asked for (traces run on the CPU)."""
    from convtrace.render import export, views

    cells = _parse_cells(at)
    if trace_wanted and cells is None and max_steps > 0:
        cells = _first_cells(call, op, max_steps)  # trace only what will be shown, even for a photo
    trace = call.trace(cells) if (trace_wanted or cells) else None
    output = trace.output if trace is not None else call.run(device=device.value)
    title = views.conv_title(call, lang) if op == "conv2d" else views.pool_title(call, lang)
    if trace is not None:
        view_cls = views.ConvTraceView if op == "conv2d" else views.PoolTraceView
        renderable = view_cls(trace, lang=lang, precision=precision, max_steps=0 if at else max_steps,
                              selected=bool(at))
    else:
        renderable = views.ResultView(output, *title, lang=lang, precision=precision)
    input_shape = call.source_input.shape if hasattr(call.source_input, "shape") else call.x.shape

    def document():
        extra = {"scale": call.scale} if op == "conv2d" and call.scale != 1 else {}
        if trace is not None:
            extra["steps_total"] = int(np.asarray(output).size)
        return export.document(op, call.params, input_shape, output, trace=trace, extra=extra or None)

    _emit(renderable=renderable, document=document, output=output, fmt=fmt, out_path=out_path, force=force,
          precision=precision, lang=lang, title=title, trace=trace)


# ----------------------------------------------------------------- commands


@app.command(
    help=_h("help_conv"),
    epilog=_examples(
        "convtrace conv samples/binary_5x5.txt -k samples/x_kernel.txt --trace",
        'convtrace conv "21 16 11; 25 22 18; 19 20 21" -k sharpen --trace --lang es',
        "convtrace conv photo.png -k gaussian-5 --padding same --pad-mode reflect -f png -o blurred.png",
        "convtrace conv image.txt -k sobel-x --stride 2 --at 1,1 --format markdown",
    ),
)
def conv(
    input: InputArg,
    kernel: KernelOpt,
    padding: PaddingOpt = "0",
    pad_mode: PadModeOpt = "zeros",
    pad_value: PadValueOpt = "0",
    stride: StrideOpt = "1",
    dilation: DilationOpt = "1",
    flip: FlipOpt = False,
    trace: TraceOpt = False,
    at: AtOpt = None,
    max_steps: MaxStepsOpt = 25,
    format: FormatOpt = OutFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    precision: PrecisionOpt = 4,
    device: DeviceOpt = Device.cpu,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    language = _lang(lang)
    with _user_errors(language):
        from convtrace.kernels import KernelLibrary, resolve_kernel
        from convtrace.ops import prepare_conv2d

        x = _read_input(input)
        k = resolve_kernel(kernel, KernelLibrary(kernels_dir))
        call = prepare_conv2d(x, k, padding=padding, pad_mode=pad_mode,
                              pad_value=_parse_number(pad_value, "--pad-value"),
                              stride=stride, dilation=dilation, flip=flip)
        _finish(call, "conv2d", trace, at, max_steps, format, output, force, precision, language, device)


@app.command(
    help=_h("help_pool"),
    epilog=_examples(
        "convtrace pool samples/feature_map_5x5.txt --size 3 --stride 1 --trace",
        'convtrace pool "0.3 0.6 1; 0.5 0.1 0.3; 1 0.5 0.9" --size 2 --stride 1 --trace',
        "convtrace pool map.txt --mode avg --size 2 --padding 1 --ceil --exclude-pad --trace",
        "convtrace pool photo.png --size 4 -f png -o small.png",
    ),
)
def pool(
    input: InputArg,
    mode: Annotated[PoolMode, typer.Option("--mode", help=_h("help_pool_mode"))] = PoolMode.max,
    size: Annotated[str, typer.Option("--size", help=_h("help_size"))] = "2",
    stride: Annotated[str | None, typer.Option("--stride", "-s", help=_h("help_pool_stride"),
                                               show_default=False)] = None,
    padding: PaddingOpt = "0",
    dilation: DilationOpt = "1",
    ceil: Annotated[bool, typer.Option("--ceil", help=_h("help_ceil"))] = False,
    exclude_pad: Annotated[bool, typer.Option("--exclude-pad", help=_h("help_exclude_pad"))] = False,
    trace: TraceOpt = False,
    at: AtOpt = None,
    max_steps: MaxStepsOpt = 25,
    format: FormatOpt = OutFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    precision: PrecisionOpt = 4,
    device: DeviceOpt = Device.cpu,
    lang: LangOpt = None,
) -> None:
    language = _lang(lang)
    with _user_errors(language):
        from convtrace.ops import prepare_pool2d

        x = _read_input(input)
        call = prepare_pool2d(x, size, stride=stride, mode=mode.value, padding=padding, ceil_mode=ceil,
                              count_include_pad=not exclude_pad, dilation=dilation)
        _finish(call, "pool2d", trace, at, max_steps, format, output, force, precision, language, device)


class CheckFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


class QuizFormat(str, Enum):
    markdown = "markdown"
    latex = "latex"
    json = "json"


ANSWER_SUFFIXES = (".txt", ".csv", ".json", ".npy", ".tsv", ".dat")


def _parse_pool_spec(spec: str) -> tuple[str, object]:
    mode, _, size = spec.partition(":")
    mode = mode.strip().lower()
    if mode not in ("max", "avg", "min", "sum"):
        raise ConvtraceValueError("bad_pool_spec", value=spec)
    size = size.strip() or "2"
    if size.lower() == "global":
        return mode, "global"
    parts = [p for p in size.lower().replace("x", ",").replace("×", ",").split(",") if p]
    try:
        numbers = tuple(int(p) for p in parts)
    except ValueError:
        raise ConvtraceValueError("bad_pool_spec", value=spec) from None
    if len(numbers) not in (1, 2):
        raise ConvtraceValueError("bad_pool_spec", value=spec)
    return mode, numbers[0] if len(numbers) == 1 else numbers


def _exercise(input, kernel, pool, key, padding, pad_mode, pad_value, stride, dilation, flip, ceil, exclude_pad,
              kernels_dir):
    """The exercise a check is about: from an answer key, or from INPUT with -k / --pool."""
    from convtrace.grading import Exercise

    if key is not None:
        from convtrace.io.readers import read_text_file

        try:
            doc = json.loads(read_text_file(key))
        except json.JSONDecodeError:
            raise ConvtraceValueError("bad_key", where=str(key)) from None
        if isinstance(doc, list) and len(doc) == 1:
            doc = doc[0]
        if not isinstance(doc, dict):
            raise ConvtraceValueError("bad_key", where=str(key))
        return Exercise.from_dict(doc, str(key))
    if input is None or (kernel is None) == (pool is None):
        raise ConvtraceValueError("check_needs_exercise")
    x = _read_input(input)
    if kernel is not None:
        from convtrace.kernels import KernelLibrary, resolve_kernel

        params = {"padding": padding, "pad_mode": pad_mode, "pad_value": _parse_number(pad_value, "--pad-value"),
                  "stride": stride or "1", "dilation": dilation, "flip": flip}
        return Exercise("conv2d", x, params, resolve_kernel(kernel, KernelLibrary(kernels_dir)))
    mode, size = _parse_pool_spec(pool)
    params = {"size": size, "mode": mode, "stride": stride, "padding": padding, "ceil_mode": ceil,
              "count_include_pad": not exclude_pad, "dilation": dilation}
    return Exercise("pool2d", x, params)


def _answer_sources(answer: list[str] | None, answers: Path | None) -> list[str]:
    sources = list(answer or [])
    if answers is not None:
        if not answers.is_dir():
            raise ConvtraceValueError("no_such_file", where=str(answers))
        found = sorted(str(p) for p in answers.iterdir() if p.is_file() and p.suffix.lower() in ANSWER_SUFFIXES)
        if not found:
            raise ConvtraceValueError("check_no_answers", where=str(answers))
        sources += found
    if not sources:
        raise ConvtraceValueError("check_needs_answer")
    return sources


def _grade_one(exercise, source: str, tol: float):
    from convtrace.grading import grade
    from convtrace.io.readers import read_matrix

    parsed = read_matrix(source, allow_blank=True)
    missing = parsed.blanks if parsed.blanks is not None else None
    return grade(exercise, parsed.values, missing, tol)


def _grade_document(grade, source: str, lang: str) -> dict:
    from convtrace.grading import describe
    from convtrace.render.export import json_number, nested_list, plain_value

    flat = [None if missing else json_number(value)
            for value, missing in zip(grade.answer.ravel().tolist(), grade.missing.ravel().tolist(), strict=True)]
    answer = np.array(flat, dtype=object).reshape(grade.answer.shape).tolist()
    return {
        "answer_source": source,
        "score": {"correct": grade.n_correct, "wrong": grade.n_wrong, "missing": grade.n_missing,
                  "total": grade.n_cells},
        "all_correct": grade.all_correct,
        "shape_ok": grade.shape_ok,
        "expected": nested_list(grade.expected),
        "answer": answer,
        "correct": grade.correct.tolist(),
        "diagnoses": [{"key": d.key, "params": plain_value(d.params), "message": describe(d, lang)}
                      for d in grade.diagnoses],
    }


@app.command(
    help=_h("help_check"),
    epilog=_examples(
        "convtrace check samples/image_4x4.txt -k samples/filter_2x2.txt --answer answer.txt",
        'convtrace check "21 16 11; 25 22 18; 19 20 21" -k sharpen --answer "31"',
        "convtrace check map.txt --pool avg:2 --padding 1 --answer mine.txt --lang es",
        "convtrace check --key key-01.json --answers submissions/ --report grades.csv",
    ),
)
def check(
    input: Annotated[str | None, typer.Argument(help=_h("help_input"), metavar="[INPUT]", show_default=False)] = None,
    kernel: Annotated[str | None, typer.Option("--kernel", "-k", help=_h("help_kernel"), show_default=False)] = None,
    pool: Annotated[str | None, typer.Option("--pool", help=_h("help_check_pool"), metavar="MODE:SIZE",
                                             show_default=False)] = None,
    answer: Annotated[list[str] | None, typer.Option("--answer", "-a", help=_h("help_answer"),
                                                     show_default=False)] = None,
    answers: Annotated[Path | None, typer.Option("--answers", help=_h("help_answers"), show_default=False)] = None,
    key: Annotated[Path | None, typer.Option("--key", help=_h("help_key"), show_default=False)] = None,
    padding: PaddingOpt = "0",
    pad_mode: PadModeOpt = "zeros",
    pad_value: PadValueOpt = "0",
    stride: Annotated[str | None, typer.Option("--stride", "-s", help=_h("help_pool_stride"),
                                               show_default=False)] = None,
    dilation: DilationOpt = "1",
    flip: FlipOpt = False,
    ceil: Annotated[bool, typer.Option("--ceil", help=_h("help_ceil"))] = False,
    exclude_pad: Annotated[bool, typer.Option("--exclude-pad", help=_h("help_exclude_pad"))] = False,
    tol: Annotated[float, typer.Option("--tol", min=0, help=_h("help_tol"))] = 0.005,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help=_h("help_format"))] = CheckFormat.table,
    report: Annotated[Path | None, typer.Option("--report", help=_h("help_report"), show_default=False)] = None,
    force: ForceOpt = False,
    precision: PrecisionOpt = 4,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    language = _lang(lang)
    with _user_errors(language):
        exercise = _exercise(input, kernel, pool, key, padding, pad_mode, pad_value, stride, dilation, flip,
                             ceil, exclude_pad, kernels_dir)
        exercise.expected()  # a bad exercise is a usage error, before any answer is read
        sources = _answer_sources(answer, answers)
        single = len(sources) == 1 and answers is None
        if single:
            grade = _grade_one(exercise, sources[0], tol)
            _emit_grade(grade, sources[0], format, language, precision)
            raise typer.Exit(0 if grade.all_correct else 1)
        rows = []
        for source in sources:
            try:
                rows.append((Path(source).name, _grade_one(exercise, source, tol), None))
            except ConvtraceError as err:
                rows.append((Path(source).name, None, err.message(language)))
        _emit_class(rows, format, language, report, force)
        if all(error is not None for _, _, error in rows):
            raise ConvtraceValueError("check_nothing_graded")
        perfect = all(error is None and grade.all_correct for _, grade, error in rows)
        raise typer.Exit(0 if perfect else 1)


def _emit_grade(grade, source, fmt, lang, precision):
    from convtrace.render.check import GradeView, score_text

    if fmt == CheckFormat.json:
        sys.stdout.write(json.dumps(_grade_document(grade, source, lang), ensure_ascii=False, indent=2) + "\n")
    elif fmt == CheckFormat.markdown:
        from convtrace.grading import describe
        from convtrace.render.export import md_matrix

        parts = [f"## {translate('check_title', lang, source=source)}", "", f"**{score_text(grade, lang)}**", "",
                 f"{translate('check_expected', lang)}:", "", md_matrix(grade.expected, precision), ""]
        parts += [f"- {describe(d, lang)}" for d in grade.diagnoses]
        sys.stdout.write("\n".join(parts) + "\n")
    else:
        _console().print(GradeView(grade, source, lang=lang, precision=precision))


def _emit_class(rows, fmt, lang, report, force):
    from convtrace.grading import describe
    from convtrace.io.writers import write_atomic
    from convtrace.render.check import ClassView

    if report is not None:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["file", "correct", "wrong", "missing", "total", "all_correct", "diagnosis"])
        for name, grade, error in rows:
            if error is not None:
                writer.writerow([name, "", "", "", "", "", error])
            else:
                writer.writerow([name, grade.n_correct, grade.n_wrong, grade.n_missing, grade.n_cells,
                                 grade.all_correct, "; ".join(describe(d, lang) for d in grade.diagnoses)])
        write_atomic(report, out.getvalue().encode("utf-8"), overwrite=force)
    if fmt == CheckFormat.json:
        docs = [{"file": name, "error": error} if error is not None else {"file": name, **_grade_document(grade, name, lang)}
                for name, grade, error in rows]
        sys.stdout.write(json.dumps(docs, ensure_ascii=False, indent=2) + "\n")
    else:
        _console().print(ClassView(rows, lang=lang))


def _parse_size(text: str) -> tuple[int, int]:
    parts = [p for p in text.lower().replace("×", "x").replace(",", "x").split("x") if p]
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise ConvtraceValueError("bad_size_spec", value=text) from None
    if len(numbers) == 1:
        numbers *= 2
    if len(numbers) != 2 or min(numbers) < 1:
        raise ConvtraceValueError("bad_size_spec", value=text)
    return numbers[0], numbers[1]


def _parse_values(text: str) -> tuple[int, int]:
    lo, sep, hi = text.replace("…", "..").partition("..")
    try:
        return int(lo), int(hi) if sep else int(lo)
    except ValueError:
        raise ConvtraceValueError("bad_values_range", value=text) from None


@app.command(
    help=_h("help_quiz"),
    epilog=_examples(
        "convtrace quiz --seed 7",
        "convtrace quiz --size 6x6 --kernel sobel-x --padding 1 --stride 2 --count 5 -o quiz/",
        "convtrace quiz --pool max:2 --size 4x4 --format latex --lang es",
        "convtrace check --key quiz/key-01.json --answer my-answer.txt",
    ),
)
def quiz(
    size: Annotated[str, typer.Option("--size", help=_h("help_quiz_size"))] = "5x5",
    kernel: Annotated[str, typer.Option("--kernel", "-k", help=_h("help_quiz_kernel"))] = "random",
    kernel_size: Annotated[int, typer.Option("--kernel-size", min=1, max=9, help=_h("help_kernel_size"))] = 3,
    padding: PaddingOpt = "0",
    stride: Annotated[str | None, typer.Option("--stride", "-s", help=_h("help_pool_stride"),
                                               show_default=False)] = None,
    pool: Annotated[str | None, typer.Option("--pool", help=_h("help_check_pool"), metavar="MODE:SIZE",
                                             show_default=False)] = None,
    values: Annotated[str, typer.Option("--values", help=_h("help_values"))] = "0..9",
    seed: Annotated[int | None, typer.Option("--seed", help=_h("help_seed"), show_default=False)] = None,
    count: Annotated[int, typer.Option("--count", min=1, max=500, help=_h("help_count"))] = 1,
    format: Annotated[QuizFormat, typer.Option("--format", "-f", help=_h("help_format"))] = QuizFormat.markdown,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_h("help_quiz_output"),
                                                show_default=False)] = None,
    force: ForceOpt = False,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    language = _lang(lang)
    with _user_errors(language):
        import secrets

        from convtrace.quiz import QuizSpec, make_quiz
        from convtrace.render import quiz as sheets

        chosen_kernel = kernel
        if pool is not None and kernel == "random":
            chosen_kernel = None
        elif kernel != "random":
            from convtrace.kernels import KernelLibrary, resolve_kernel

            chosen_kernel = resolve_kernel(kernel, KernelLibrary(kernels_dir))
        spec = QuizSpec(size=_parse_size(size), kernel=chosen_kernel, kernel_size=kernel_size, padding=padding,
                        stride=stride,
                        pool=_parse_pool_spec(pool) if pool else None, values=_parse_values(values))
        seed = seed if seed is not None else secrets.randbelow(10**6)
        exercises = make_quiz(seed, count, spec)
        fmt = format.value
        if fmt == "json":
            sheet = solution = sheets.keys_json(exercises, seed)
        else:
            sheet = sheets.sheet_markdown(exercises, seed, language) if fmt == "markdown" else \
                sheets.sheet_latex(exercises, seed, language)
            solution = sheets.solutions(exercises, seed, language, fmt)
        if output is None:
            sys.stdout.write(sheet if fmt == "json" else sheet + "\n" + solution)
            return
        _write_quiz(output, exercises, seed, fmt, sheet, solution, force, language)


def _write_quiz(folder: Path, exercises, seed, fmt, sheet, solution, force, lang):
    from convtrace.io.writers import write_atomic

    suffix = {"markdown": ".md", "latex": ".tex", "json": ".json"}[fmt]
    files = {f"exercises{suffix}": sheet}
    if fmt != "json":
        files[f"solutions{suffix}"] = solution
    for n, ex in enumerate(exercises, start=1):
        doc = ex.to_dict()
        doc["seed"] = seed
        doc["expected"] = ex.expected().tolist()
        files[f"key-{n:02d}.json"] = json.dumps(doc, indent=2) + "\n"
    if folder.exists() and not folder.is_dir():
        raise ConvtraceValueError("output_exists", where=str(folder))
    if not force:
        for name in files:
            if (folder / name).exists():
                raise ConvtraceValueError("output_exists", where=str(folder / name))
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_atomic(folder / name, text.encode("utf-8"), overwrite=force)
    Console(stderr=True, highlight=False).print(translate("quiz_wrote", lang, n=len(exercises), where=folder),
                                                markup=False)


class Channels(str, Enum):
    per = "per"
    sum = "sum"
    gray = "gray"


class RangeMode(str, Enum):
    clip = "clip"
    abs = "abs"
    normalize = "normalize"


class ImageFormat(str, Enum):
    same = "same"
    png = "png"
    jpg = "jpg"


def _remember_order(ctx: typer.Context, param, value):
    """Click runs callbacks in command-line order: remember whether -k or --pool came first."""
    if value is not None:
        ctx.meta.setdefault("convtrace_step_order", []).append(param.name)
    return value


@app.command(
    help=_h("help_batch"),
    epilog=_examples(
        "convtrace batch photos/ sharpened/ -k sharpen",
        "convtrace batch dataset/ edges/ -k sobel-x --range abs --recursive --pattern '*.png'",
        "convtrace batch photos/ thumbs/ --pool avg:4 --format jpg",
        "convtrace batch photos/ out/ -k gaussian-5 --pool max:2 --dry-run",
    ),
)
def batch(
    ctx: typer.Context,
    in_dir: Annotated[Path, typer.Argument(help=_h("help_in_dir"), metavar="IN", show_default=False)],
    out_dir: Annotated[Path, typer.Argument(help=_h("help_out_dir"), metavar="OUT", show_default=False)],
    kernel: Annotated[str | None, typer.Option("--kernel", "-k", help=_h("help_kernel"), show_default=False,
                                               callback=_remember_order)] = None,
    pool: Annotated[str | None, typer.Option("--pool", help=_h("help_check_pool"), metavar="MODE:SIZE",
                                             show_default=False, callback=_remember_order)] = None,
    padding: Annotated[str, typer.Option("--padding", "-p", help=_h("help_batch_padding"))] = "same",
    pad_mode: Annotated[str, typer.Option("--pad-mode", "-m", help=_h("help_batch_pad_mode"))] = "replicate",
    pad_value: PadValueOpt = "0",
    stride: StrideOpt = "1",
    dilation: DilationOpt = "1",
    flip: FlipOpt = False,
    pool_stride: Annotated[str | None, typer.Option("--pool-stride", help=_h("help_pool_stride"),
                                                    show_default=False)] = None,
    recursive: Annotated[bool, typer.Option("--recursive", "-r", help=_h("help_recursive"))] = False,
    pattern: Annotated[str | None, typer.Option("--pattern", help=_h("help_pattern"), show_default=False)] = None,
    channels: Annotated[Channels, typer.Option("--channels", help=_h("help_channels"))] = Channels.per,
    range_mode: Annotated[RangeMode, typer.Option("--range", help=_h("help_range"))] = RangeMode.clip,
    format: Annotated[ImageFormat, typer.Option("--format", "-f", help=_h("help_out_format"))] = ImageFormat.same,
    workers: Annotated[int, typer.Option("--workers", "-j", min=0, help=_h("help_workers"))] = 0,
    device: DeviceOpt = Device.cpu,
    overwrite: Annotated[bool, typer.Option("--overwrite", help=_h("help_overwrite"))] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_h("help_dry_run"))] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_h("help_quiet"))] = False,
    json_summary: Annotated[bool, typer.Option("--json", help=_h("help_json"))] = False,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    language = _lang(lang)
    with _user_errors(language):
        from convtrace import batch as batching

        if kernel is None and pool is None:
            raise ConvtraceValueError("batch_needs_step")
        if device == Device.cuda:
            from convtrace.ops import resolve_device

            resolve_device("cuda", 0)  # a clear error now, not one per image
        steps = {}
        if kernel is not None:
            from convtrace.kernels import KernelLibrary, resolve_kernel

            options = {"padding": padding, "pad_mode": pad_mode, "pad_value": _parse_number(pad_value, "--pad-value"),
                       "stride": stride, "dilation": dilation, "flip": flip}
            steps["kernel"] = batching.ConvStep(resolve_kernel(kernel, KernelLibrary(kernels_dir)), options)
        if pool is not None:
            mode, size = _parse_pool_spec(pool)
            steps["pool"] = batching.PoolStep(size, {"mode": mode, "stride": pool_stride})
        order = [name for name in ctx.meta.get("convtrace_step_order", []) if name in steps]
        plan = batching.BatchPlan(steps=tuple(steps[name] for name in order), channels=channels.value,
                                  range_mode=range_mode.value, out_format=format.value, overwrite=overwrite,
                                  device=device.value)
        batching.check_folders(in_dir, out_dir, recursive)
        folder_errors: list = []
        found = batching.find_images(in_dir, recursive, pattern, folder_errors)
        if not found and not folder_errors:
            raise ConvtraceValueError("batch_no_images", where=str(in_dir),
                                      pattern=f" ({pattern})" if pattern else "")
        jobs = [(src, batching.target_for(rel, out_dir, format.value)) for src, rel in found]
        summary = _run_batch(batching, jobs, plan, workers, dry_run, quiet or json_summary, language)
        summary.outcomes[:0] = folder_errors
        _report_batch(summary, dry_run, quiet, json_summary, language)
        raise typer.Exit(1 if summary.count("failed") else 0)


def _run_batch(batching, jobs, plan, workers, dry_run, quiet, lang):
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    err_console = Console(stderr=True, highlight=False)
    show = not quiet and not dry_run and err_console.is_terminal
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} img/s"), TimeRemainingColumn()]
    with Progress(*columns, console=err_console, disable=not show, transient=False) as bar:
        task = bar.add_task("convtrace batch", total=len(jobs), rate="—")
        started = __import__("time").perf_counter()

        def advance(outcome):
            elapsed = __import__("time").perf_counter() - started
            done = bar.tasks[0].completed + 1
            bar.update(task, advance=1, rate=f"{done / elapsed:.1f}" if elapsed > 0 else "—")

        try:
            return batching.run(jobs, plan, workers, progress=advance, dry_run=dry_run)
        except KeyboardInterrupt:
            err_console.print(translate("batch_interrupted", lang), markup=False)
            raise typer.Exit(130) from None


def _report_batch(summary, dry_run, quiet, json_summary, lang):
    if json_summary:
        sys.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for outcome in summary.outcomes:
        if outcome.status == "failed":
            err.print(translate("batch_failed_item", lang, file=outcome.source, reason=outcome.reason), markup=False)
    if quiet:
        return
    if dry_run:
        out = Console(highlight=False, soft_wrap=True)
        for outcome in summary.outcomes:
            if outcome.status == "planned":
                out.print(f"{outcome.source} → {outcome.target}", markup=False)
        out.print(translate("batch_dry_run", lang, planned=summary.count("planned"),
                            skipped=summary.count("skipped")), markup=False)
        return
    stats = summary.as_dict()
    rate = stats["images_per_second"] if stats["images_per_second"] is not None else "—"
    err.print(translate("batch_summary", lang, done=stats["done"], skipped=stats["skipped"], failed=stats["failed"],
                        seconds=stats["seconds"], rate=rate), markup=False)


kernels_app = typer.Typer(help=_h("help_kernels"), no_args_is_help=False, rich_markup_mode="rich")
app.add_typer(kernels_app, name="kernels")


@kernels_app.callback(invoke_without_command=True, epilog=_examples("convtrace kernels", "convtrace kernels show sobel-x",
                                                                    "convtrace kernels --lang es"))
def kernels_list(
    ctx: typer.Context,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    language = _lang(lang)
    with _user_errors(language):
        from convtrace.kernels import KernelLibrary
        from convtrace.render.catalog import kernels_table

        _console().print(kernels_table(KernelLibrary(kernels_dir), language))


@kernels_app.command("show", help=_h("help_kernels_show"),
                     epilog=_examples("convtrace kernels show gaussian-3", "convtrace kernels show enfocar --lang es"))
def kernels_show(
    name: Annotated[str, typer.Argument(help=_h("help_kernel"), show_default=False)],
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    language = _lang(lang)
    with _user_errors(language):
        from convtrace.kernels import KernelLibrary
        from convtrace.render.catalog import kernel_panel

        _console().print(kernel_panel(KernelLibrary(kernels_dir).get(name), language))


@app.command(help=_h("help_modes"), epilog=_examples("convtrace modes", "convtrace modes --lang es"))
def modes(lang: LangOpt = None) -> None:
    from convtrace.render.catalog import modes_tables

    _console().print(*modes_tables(_lang(lang)))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"convtrace {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help=_h("help_version"))] = False,
) -> None:
    """See, check and run convolutions."""


def main() -> None:
    app()
