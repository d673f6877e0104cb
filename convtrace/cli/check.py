"""``convtrace check``: grade one answer or a class's folder against the engine's result."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from convtrace.cli.common import (
    CeilOpt,
    DilationOpt,
    ExcludePadOpt,
    FlipOpt,
    ForceOpt,
    KernelsDirOpt,
    LangOpt,
    MatrixCommand,
    PaddingOpt,
    PadModeOpt,
    PadValueOpt,
    PoolOpt,
    PoolStrideOpt,
    PrecisionOpt,
    console,
    examples,
    h,
    language,
    load_kernel,
    read_input,
    user_errors,
)
from convtrace.errors import ConvtraceError, ConvtraceValueError
from convtrace.messages import translate
from convtrace.messages.grading import (
    CHECK_NEEDS_ANSWER,
    CHECK_NEEDS_EXERCISE,
    CHECK_NO_ANSWERS,
    CHECK_NOTHING_GRADED,
)
from convtrace.messages.help import (
    HELP_ANSWER,
    HELP_ANSWERS,
    HELP_CHECK,
    HELP_FORMAT,
    HELP_INPUT,
    HELP_KERNEL,
    HELP_KEY,
    HELP_REPORT,
    HELP_TOL,
)
from convtrace.messages.options import ANSWER_FAILED
from convtrace.messages.parsing import NO_SUCH_FILE
from convtrace.syntax import parse_number_option

#: Files in an answers folder that are read as answers.
ANSWER_SUFFIXES = (".txt", ".csv", ".json", ".npy", ".tsv", ".dat")


class CheckFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


def register(app) -> None:
    app.command(
        cls=MatrixCommand,
        help=h(HELP_CHECK),
        epilog=examples(
            "convtrace check samples/image_4x4.txt -k samples/filter_2x2.txt --answer answer.txt",
            'convtrace check "21 16 11; 25 22 18; 19 20 21" -k sharpen --answer "31"',
            "convtrace check map.txt --pool avg:2 --padding 1 --answer mine.txt --lang es",
            "convtrace check --key key-01.json --answers submissions/ --report grades.csv",
        ),
    )(check)


def exercise_from_options(input, kernel, pool, key, spec_options: dict, kernels_dir):
    """The exercise a check is about: from an answer key, or from INPUT with -k / --pool."""
    from convtrace.grading import Exercise
    from convtrace.spec import ConvSpec, PoolSpec
    from convtrace.syntax import parse_pool_step

    if key is not None:
        from convtrace.io.keys import read_key

        return read_key(key)
    if input is None or (kernel is None) == (pool is None):
        raise ConvtraceValueError(CHECK_NEEDS_EXERCISE)
    x = read_input(input)
    if kernel is not None:
        conv = {k: v for k, v in spec_options.items() if k in ("padding", "pad_mode", "pad_value", "dilation", "flip")}
        if spec_options["stride"] is not None:
            conv["stride"] = spec_options["stride"]
        return Exercise(ConvSpec(**conv), x, load_kernel(kernel, kernels_dir))
    mode, size = parse_pool_step(pool)
    pooling = {k: v for k, v in spec_options.items()
               if k in ("stride", "padding", "dilation", "ceil_mode", "count_include_pad")}
    return Exercise(PoolSpec(size=size, mode=mode, **pooling), x)


def answer_sources(answer: list[str] | None, answers: Path | None) -> list[str]:
    sources = list(answer or [])
    if answers is not None:
        if not answers.is_dir():
            raise ConvtraceValueError(NO_SUCH_FILE, where=str(answers))
        found = sorted(str(p) for p in answers.iterdir() if p.is_file() and p.suffix.lower() in ANSWER_SUFFIXES)
        if not found:
            raise ConvtraceValueError(CHECK_NO_ANSWERS, where=str(answers))
        sources += found
    if not sources:
        raise ConvtraceValueError(CHECK_NEEDS_ANSWER)
    return sources


def grade_source(exercise, source: str, tol: float):
    from convtrace.grading import grade
    from convtrace.io.readers import read_matrix

    parsed = read_matrix(source, allow_blank=True)
    return grade(exercise, parsed.values, parsed.blanks, tol)


def grade_row(exercise, source: str, tol: float, lang: str):
    """(file name, Grade, None) or (file name, None, why it could not be graded): one file never stops a class."""
    from convtrace.cli.common import one_line, os_error_message

    name = one_line(Path(source).name)
    try:
        return name, grade_source(exercise, source, tol), None
    except ConvtraceError as err:
        return name, None, one_line(err.message(lang))
    except OSError as err:
        return name, None, one_line(os_error_message(err, lang))
    except (ValueError, TypeError, UnicodeError, EOFError, OverflowError, MemoryError) as err:
        # A reader's slip on a strange file: the row says so and the rest of the class is graded.
        return name, None, one_line(translate(ANSWER_FAILED, lang, error=f"{type(err).__name__}: {err}"))


def check(
    input: Annotated[str | None, typer.Argument(help=h(HELP_INPUT), metavar="[INPUT]", show_default=False)] = None,
    kernel: Annotated[str | None, typer.Option("--kernel", "-k", help=h(HELP_KERNEL), show_default=False)] = None,
    pool: PoolOpt = None,
    answer: Annotated[list[str] | None, typer.Option("--answer", "-a", help=h(HELP_ANSWER),
                                                     show_default=False)] = None,
    answers: Annotated[Path | None, typer.Option("--answers", help=h(HELP_ANSWERS), show_default=False)] = None,
    key: Annotated[Path | None, typer.Option("--key", help=h(HELP_KEY), show_default=False)] = None,
    padding: PaddingOpt = "0",
    pad_mode: PadModeOpt = "zeros",
    pad_value: PadValueOpt = "0",
    stride: PoolStrideOpt = None,
    dilation: DilationOpt = "1",
    flip: FlipOpt = False,
    ceil: CeilOpt = False,
    exclude_pad: ExcludePadOpt = False,
    tol: Annotated[float, typer.Option("--tol", min=0, help=h(HELP_TOL))] = 0.005,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help=h(HELP_FORMAT))] = CheckFormat.table,
    report: Annotated[Path | None, typer.Option("--report", help=h(HELP_REPORT), show_default=False)] = None,
    force: ForceOpt = False,
    precision: PrecisionOpt = 4,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    lang_code = language(lang)
    with user_errors(lang_code):
        spec_options = {"padding": padding, "pad_mode": pad_mode, "pad_value": parse_number_option(pad_value, "--pad-value"), "stride": stride,
                        "dilation": dilation, "flip": flip, "ceil_mode": ceil, "count_include_pad": not exclude_pad}
        exercise = exercise_from_options(input, kernel, pool, key, spec_options, kernels_dir)
        exercise.expected()  # a bad exercise is a usage error, before any answer is read
        sources = answer_sources(answer, answers)
        if len(sources) == 1 and answers is None:
            grade = grade_source(exercise, sources[0], tol)
            show_grade(grade, sources[0], format, lang_code, precision)
            raise typer.Exit(0 if grade.all_correct else 1)
        rows = []
        for source in sources:
            rows.append(grade_row(exercise, source, tol, lang_code))
        show_class(rows, format, lang_code, report, force)
        if all(error is not None for _, _, error in rows):
            raise ConvtraceValueError(CHECK_NOTHING_GRADED)
        perfect = all(error is None and grade.all_correct for _, grade, error in rows)
        raise typer.Exit(0 if perfect else 1)


def show_grade(grade, source, fmt, lang, precision):
    from convtrace.render import grades
    from convtrace.render.check import GradeView, score_text

    if fmt == CheckFormat.json:
        sys.stdout.write(grades.grade_json(grade, source, lang))
    elif fmt == CheckFormat.markdown:
        sys.stdout.write(grades.grade_markdown(grade, source, lang, precision, score_text(grade, lang)))
    else:
        console().print(GradeView(grade, source, lang=lang, precision=precision))


def show_class(rows, fmt, lang, report, force):
    from convtrace.io.writers import write_atomic
    from convtrace.render import grades
    from convtrace.render.check import ClassView

    if report is not None:
        write_atomic(report, grades.class_csv(rows, lang).encode("utf-8"), overwrite=force)
    if fmt == CheckFormat.json:
        sys.stdout.write(grades.class_json(rows, lang))
    else:
        console().print(ClassView(rows, lang=lang))
