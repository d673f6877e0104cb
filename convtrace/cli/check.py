"""``convtrace check``: grade one answer or a class's folder against the engine's result.

One answer is graded and shown here; the class-folder parts (the answers folder, per-student keys,
one row per file, the report files) are in :mod:`convtrace.cli.check_class`.
"""

from __future__ import annotations

import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from convtrace.cli.check_class import (  # noqa: F401 - re-exported: they lived here before
    ANSWER_SUFFIXES,
    KeyFolder,
    Policy,
    _folded,
    _reason,
    answer_entries,
    answer_sources,
    folder_entries,
    grade_row,
    grade_source,
    read_source,
    scored,
    write_report,
    write_single_report,
)
from convtrace.cli.common import (
    CeilOpt,
    DilationOpt,
    ExcludePadOpt,
    ExerciseStrideOpt,
    FlipOpt,
    ForceReportOpt,
    KernelsDirOpt,
    LangOpt,
    MatrixCommand,
    PaddingOpt,
    PadModeOpt,
    PadValueOpt,
    PoolOpt,
    PrecisionOpt,
    console,
    examples,
    h,
    language,
    load_kernel,
    read_input,
    refuse_together,
    refuse_without,
    say,
    user_errors,
)
from convtrace.errors import ConvtraceValueError
from convtrace.messages import translate
from convtrace.messages.answers import HELP_DECIMAL_COMMA, NOTE_PREFIX
from convtrace.messages.grading import (
    CHECK_EXPECTED_NOT_FINITE,
    CHECK_KERNEL_OR_POOL,
    CHECK_NEEDS_EXERCISE,
    CHECK_NOTHING_GRADED,
    CHECK_STDIN_TWICE,
    CHECK_TCONV_NEEDS_KERNEL,
    HELP_CHECK_BIAS,
    HELP_OUTPUT_PADDING_EX,
    HELP_QUIZ_PIPELINE,
    HELP_QUIZ_TCONV,
    PIPELINE_NEEDS_KEY,
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
from convtrace.messages.options import ANSWER_FAILED, KEY_SAYS_EXERCISE, SOURCE_STDIN
from convtrace.messages.reports import (
    HELP_POINTS,
    HELP_REPORT_FORMAT,
    HELP_SHAPE_CREDIT,
    REPORT_GRADE_LINE,
    REPORT_GRADESCOPE_CLASS,
    REPORT_OVERLAP_NOTE,
    REPORT_POINTS_POSITIVE,
    REPORT_UNKNOWN_SUFFIX,
)
from convtrace.syntax import parse_number_option


class DecimalComma(str, Enum):
    auto = "auto"
    yes = "yes"
    no = "no"


class CheckFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    gradescope = "gradescope"


class ShapeCredit(str, Enum):
    none = "none"
    overlap = "overlap"


class ReportFormat(str, Enum):
    csv = "csv"
    csv_es = "csv-es"
    xlsx = "xlsx"
    json = "json"
    gradescope = "gradescope"


PointsOpt = Annotated[float | None, typer.Option("--points", help=h(HELP_POINTS), show_default=False)]
ShapeCreditOpt = Annotated[ShapeCredit, typer.Option("--shape-credit", help=h(HELP_SHAPE_CREDIT), case_sensitive=False)]
ReportFormatOpt = Annotated[ReportFormat | None, typer.Option("--report-format", help=h(HELP_REPORT_FORMAT), case_sensitive=False,
                                                              show_default=False)]


def register(app) -> None:
    app.command(
        cls=MatrixCommand,
        help=h(HELP_CHECK),
        epilog=examples(
            "convtrace check samples/image_4x4.txt -k samples/filter_2x2.txt --answer answer.txt",
            'convtrace check "21 16 11; 25 22 18; 19 20 21" -k sharpen --answer "31"',
            "convtrace check map.txt --pool avg:2 --padding 1 --answer mine.txt --lang es",
            "convtrace check --key key-01.json --answers submissions/ --report grades.csv --points 10",
            "convtrace check --key quiz/ --answers submissions/ --report notas.xlsx --lang es",
            "convtrace check --key key-01.json --answer answer.txt --format gradescope --points 10",
            'convtrace check "1 2; 3 4" --tconv -k "1 0; 0 1" --stride 2 --answer mine.txt',
            'convtrace check img.txt --pipeline conv,relu,maxpool:2 -k "1 0; 0 -1" --bias -1 --answer mine.txt',
        ),
    )(check)


def exercise_from_options(input, kernel, pool, key, spec_options: dict, kernels_dir, *, tconv: bool = False,
                          pipeline: str | None = None, bias: str | None = None):
    """The exercise a check is about: from an answer key, or from INPUT with -k / --pool, ``--tconv -k`` (a
    transposed convolution) or ``--pipeline LAYERS`` (a forward pass; its conv takes -k and --bias)."""
    from convtrace.grading import Exercise
    from convtrace.spec import ConvSpec, PoolSpec
    from convtrace.syntax import parse_pool_step

    if key is not None:
        from convtrace.io.keys import read_key

        return read_key(key)
    if pipeline is not None:
        from convtrace.grading import PipelineSpec
        from convtrace.quiz import parse_pipeline, pipeline_layers

        if input is None:
            raise ConvtraceValueError(CHECK_NEEDS_EXERCISE)
        steps = parse_pipeline(pipeline)
        if any(kind == "dense" for kind, _ in steps):
            raise ConvtraceValueError(PIPELINE_NEEDS_KEY)
        x = read_input(input)
        biases = None
        if bias is not None:
            biases = [parse_number_option(b, "--bias") for b in bias.replace(";", ",").split(",") if b.strip()]
        layers = pipeline_layers(steps, None, kernel=load_kernel(kernel, kernels_dir) if kernel else None,
                                 padding=spec_options["padding"], stride=spec_options["stride"], bias=biases)
        return Exercise(PipelineSpec(layers), x)
    if tconv:
        from convtrace.transpose import TConvSpec

        if input is None:
            raise ConvtraceValueError(CHECK_NEEDS_EXERCISE)
        if kernel is None:
            raise ConvtraceValueError(CHECK_TCONV_NEEDS_KERNEL)
        spec = TConvSpec(stride=spec_options["stride"] or 1, padding=spec_options["padding"],
                         output_padding=spec_options["output_padding"], dilation=spec_options["dilation"])
        return Exercise(spec, read_input(input), load_kernel(kernel, kernels_dir))
    if kernel is not None and pool is not None:
        raise ConvtraceValueError(CHECK_KERNEL_OR_POOL)
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


def shown_source(source: str, lang: str) -> str:
    """The answer's name in a title: standard input by name, an inline answer of several lines on one."""
    if source == "-":
        return translate(SOURCE_STDIN, lang)
    one = re.sub(r"\s*\n\s*", "; ", source.strip())
    return one if len(one) <= 60 else one[:59] + "…"


def report_form(report: Path, explicit: ReportFormat | None, lang: str) -> str:
    """``--report-format``, else from the report's suffix (.xlsx, .json), else ``csv-es`` in Spanish and ``csv``."""
    if explicit is not None:
        return explicit.value
    suffix = report.suffix.lower()
    if suffix in (".xlsx", ".json"):
        return suffix[1:]
    if suffix not in REPORT_CSV_SUFFIXES:  # grades.pdf, notas.xls: CSV under that name opens as nonsense
        raise ConvtraceValueError(REPORT_UNKNOWN_SUFFIX, where=str(report), suffix=suffix)
    return "csv-es" if lang == "es" else "csv"


#: Report names written as CSV when --report-format does not say: a spreadsheet opens them as one.
REPORT_CSV_SUFFIXES = ("", ".csv", ".txt", ".tsv")


def check(
    input: Annotated[str | None, typer.Argument(help=h(HELP_INPUT), metavar="INPUT", show_default=False)] = None,
    kernel: Annotated[str | None, typer.Option("--kernel", "-k", help=h(HELP_KERNEL), show_default=False)] = None,
    pool: PoolOpt = None,
    pipeline: Annotated[str | None, typer.Option("--pipeline", help=h(HELP_QUIZ_PIPELINE),
                                                 show_default=False)] = None,
    tconv: Annotated[bool, typer.Option("--tconv", help=h(HELP_QUIZ_TCONV))] = False,
    output_padding: Annotated[str, typer.Option("--output-padding", help=h(HELP_OUTPUT_PADDING_EX))] = "0",
    bias: Annotated[str | None, typer.Option("--bias", help=h(HELP_CHECK_BIAS), show_default=False)] = None,
    answer: Annotated[list[str] | None, typer.Option("--answer", "-a", help=h(HELP_ANSWER),
                                                     show_default=False)] = None,
    answers: Annotated[Path | None, typer.Option("--answers", help=h(HELP_ANSWERS), show_default=False)] = None,
    key: Annotated[Path | None, typer.Option("--key", help=h(HELP_KEY), show_default=False)] = None,
    padding: PaddingOpt = "0",
    pad_mode: PadModeOpt = "zeros",
    pad_value: PadValueOpt = "0",
    stride: ExerciseStrideOpt = None,
    dilation: DilationOpt = "1",
    flip: FlipOpt = False,
    ceil: CeilOpt = False,
    exclude_pad: ExcludePadOpt = False,
    tol: Annotated[float, typer.Option("--tol", min=0, help=h(HELP_TOL))] = 0.005,
    decimal_comma: Annotated[DecimalComma, typer.Option("--decimal-comma", help=h(HELP_DECIMAL_COMMA), case_sensitive=False)] = "auto",
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help=h(HELP_FORMAT), case_sensitive=False)] = CheckFormat.table,
    report: Annotated[Path | None, typer.Option("--report", help=h(HELP_REPORT), show_default=False)] = None,
    report_format: ReportFormatOpt = None,
    points: PointsOpt = None,
    shape_credit: ShapeCreditOpt = ShapeCredit.none,
    force: ForceReportOpt = False,
    precision: PrecisionOpt = 4,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    lang_code = language(lang)
    with user_errors(lang_code):
        import math

        if points is not None and not (math.isfinite(points) and points > 0):
            raise ConvtraceValueError(REPORT_POINTS_POSITIVE, value=points)
        policy = Policy(tol=tol, points=points, shape_credit=shape_credit.value,
                        decimal_comma={"yes": True, "no": False}.get(DecimalComma(decimal_comma).value),
                        lang=lang_code)
        spec_options = {"padding": padding, "pad_mode": pad_mode, "pad_value": parse_number_option(pad_value, "--pad-value"), "stride": stride,
                        "dilation": dilation, "flip": flip, "ceil_mode": ceil, "count_include_pad": not exclude_pad,
                        "output_padding": output_padding}
        if input == "-" and answer and "-" in answer:
            raise ConvtraceValueError(CHECK_STDIN_TWICE)
        exercise_options = (("INPUT", input is not None), ("-k", kernel is not None), ("--pool", pool is not None),
                            ("--pipeline", pipeline is not None), ("--tconv", tconv), ("--bias", bias is not None))
        if key is not None:
            for name, given in exercise_options:
                if given:
                    raise ConvtraceValueError(KEY_SAYS_EXERCISE, other=name)
        refuse_together(("--pool", pool is not None), ("--pipeline", pipeline is not None), ("--tconv", tconv))
        refuse_without("--bias", bias is not None, "--pipeline", pipeline is not None)
        refuse_without("--output-padding", output_padding.strip() not in ("0", "0,0"), "--tconv", tconv)
        if key is not None and key.is_dir():
            exercise = KeyFolder(key)
        else:
            exercise = exercise_from_options(input, kernel, pool, key, spec_options, kernels_dir, tconv=tconv,
                                             pipeline=pipeline, bias=bias)
            import numpy as np

            if not np.isfinite(np.asarray(exercise.expected(), dtype=np.float64)).all():
                # a bad exercise is a usage error, before any answer is read; one that overflows cannot be graded
                raise ConvtraceValueError(CHECK_EXPECTED_NOT_FINITE)
        form = report_form(report, report_format, lang_code) if report is not None else None
        entries = answer_entries(answer, answers, lang_code)
        if len(entries) == 1 and answers is None:
            source = entries[0][0]
            if isinstance(exercise, KeyFolder):
                row = grade_row(exercise, source, policy, lang_code)
                if not row.graded:
                    raise ConvtraceValueError(ANSWER_FAILED, error=row.reason)
                grade, score = row.grade, row.score
            else:
                notes: list[str] = []
                grade = grade_source(exercise, source, policy, notes=notes)
                score = scored(grade, policy)
                for note in notes:
                    say(f"{translate(NOTE_PREFIX, lang_code)}: {note}")
            if form is not None:
                write_single_report(report, form, grade, score, source, lang_code, force)
            show_grade(grade, shown_source(source, lang_code), format, lang_code, precision, score)
            raise typer.Exit(0 if grade.all_correct else 1)
        if format == CheckFormat.gradescope or form == "gradescope":
            raise ConvtraceValueError(REPORT_GRADESCOPE_CLASS)
        rows = [row if row is not None else grade_row(exercise, source, policy, lang_code)
                for source, row in entries]
        show_class(rows, format, lang_code, report, force, form)
        if not any(row.graded for row in rows):
            raise ConvtraceValueError(CHECK_NOTHING_GRADED)
        perfect = all(row.graded and row.grade.all_correct for row in rows)
        raise typer.Exit(0 if perfect else 1)


def show_grade(grade, source, fmt, lang, precision, score=None):
    from convtrace.render import grades, reports
    from convtrace.render import quiz as homework
    from convtrace.render.check import GradeView, score_text
    from convtrace.scores import format_number

    extra = []
    if score is not None and score.points is not None:
        extra.append(translate(REPORT_GRADE_LINE, lang, points=format_number(score.points, decimal_comma=lang == "es"),
                               out_of=format_number(score.out_of, decimal_comma=lang == "es")))
    if score is not None and not grade.shape_ok and score.credited:
        extra.append(translate(REPORT_OVERLAP_NOTE, lang, n=score.credited))
    new_kind = grade.exercise.is_tconv or grade.exercise.is_pipeline
    if fmt == CheckFormat.json:
        sys.stdout.write(reports.scored_json(grade, source, lang, score) if score is not None
                         else grades.grade_json(grade, source, lang))
    elif fmt == CheckFormat.gradescope:
        sys.stdout.write(reports.gradescope_json(grade, source, lang, score))
    elif fmt == CheckFormat.markdown:
        render = homework.grade_markdown if new_kind else grades.grade_markdown
        sys.stdout.write(render(grade, source, lang, precision, " · ".join([score_text(grade, lang), *extra])))
    elif new_kind:  # a transposed convolution or a forward pass: their own title and working
        console().print(homework.grade_text(grade, source, lang, precision, score_text(grade, lang)).rstrip("\n"),
                        markup=False, highlight=False)
        for line in extra:
            console().print(line, markup=False, highlight=False)
    else:
        console().print(GradeView(grade, source, lang=lang, precision=precision))
        for line in extra:
            console().print(line, markup=False, highlight=False)


def show_class(rows, fmt, lang, report, force, form=None):
    from convtrace.render import reports
    from convtrace.render.check import ClassView
    from convtrace.scores import class_summary

    if report is not None:
        write_report(report, form or "csv", rows, lang, force)
    if fmt == CheckFormat.json:
        sys.stdout.write(reports.class_json(rows, lang))
    else:
        console().print(ClassView(rows, lang=lang, summary=class_summary(rows)))
