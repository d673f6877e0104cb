"""``convtrace quiz``: exercises with worked solutions and answer keys, from a seed."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from convtrace.cli.common import (
    ExerciseStrideOpt,
    ForceQuizOpt,
    KernelsDirOpt,
    LangOpt,
    PaddingOpt,
    PoolOpt,
    examples,
    h,
    language,
    load_kernel,
    refuse_together,
    refuse_without,
    say,
    user_errors,
)
from convtrace.errors import ConvtraceValueError
from convtrace.messages import translate
from convtrace.messages.grading import (
    HELP_OUTPUT_PADDING_EX,
    HELP_QUIZ_PIPELINE,
    HELP_QUIZ_TCONV,
    QUIZ_OUT_IS_FILE,
    QUIZ_WROTE,
)
from convtrace.messages.help import (
    HELP_COUNT,
    HELP_FORMAT,
    HELP_KERNEL_SIZE,
    HELP_QUIZ,
    HELP_QUIZ_KERNEL,
    HELP_QUIZ_OUTPUT,
    HELP_QUIZ_SIZE,
    HELP_SEED,
    HELP_VALUES,
)
from convtrace.messages.options import BAD_VALUES_RANGE, OUTPUT_EXISTS
from convtrace.messages.reports import (
    HELP_STUDENTS,
    ROSTER_EMPTY,
    ROSTER_NEEDS_OUTPUT,
    ROSTER_ONE_EXERCISE,
    ROSTER_STUDENT,
    ROSTER_TOO_LARGE,
    ROSTER_WROTE,
)

#: The index ``quiz --students`` writes beside the keys: each student's name, slug, seed and files.
ROSTER_INDEX = "roster.json"


class QuizFormat(str, Enum):
    markdown = "markdown"
    latex = "latex"
    json = "json"


def register(app) -> None:
    app.command(
        help=h(HELP_QUIZ),
        epilog=examples(
            "convtrace quiz --seed 7",
            "convtrace quiz --size 6x6 --kernel sobel-x --padding 1 --stride 2 --count 5 -o quiz/",
            "convtrace quiz --pool max:2 --size 4x4 --format latex --lang es",
            "convtrace quiz --pipeline conv,relu,maxpool:2 --size 6x6 --seed 3",
            "convtrace quiz --tconv --size 3x3 --kernel-size 2 --stride 2 --output-padding 1",
            "convtrace check --key quiz/key-01.json --answer my-answer.txt",
            "convtrace quiz --students roster.csv --seed 7 -o quiz/ && convtrace check --key quiz/ --answers submissions/",
        ),
    )(quiz)


def parse_values(text: str) -> tuple[int, int]:
    """'0..9' (or '0…9', or '5') as the (lowest, highest) input value."""
    lo, sep, hi = text.replace("…", "..").partition("..")
    try:
        return int(lo), int(hi) if sep else int(lo)
    except ValueError:
        raise ConvtraceValueError(BAD_VALUES_RANGE, value=text) from None


def quiz(
    size: Annotated[str, typer.Option("--size", help=h(HELP_QUIZ_SIZE))] = "5x5",
    kernel: Annotated[str, typer.Option("--kernel", "-k", help=h(HELP_QUIZ_KERNEL))] = "random",
    kernel_size: Annotated[int, typer.Option("--kernel-size", min=1, max=9, help=h(HELP_KERNEL_SIZE))] = 3,
    padding: PaddingOpt = "0",
    stride: ExerciseStrideOpt = None,
    pool: PoolOpt = None,
    pipeline: Annotated[str | None, typer.Option("--pipeline", help=h(HELP_QUIZ_PIPELINE),
                                                 show_default=False)] = None,
    tconv: Annotated[bool, typer.Option("--tconv", help=h(HELP_QUIZ_TCONV))] = False,
    output_padding: Annotated[str, typer.Option("--output-padding", help=h(HELP_OUTPUT_PADDING_EX))] = "0",
    values: Annotated[str, typer.Option("--values", help=h(HELP_VALUES))] = "0..9",
    seed: Annotated[int | None, typer.Option("--seed", help=h(HELP_SEED), show_default=False)] = None,
    count: Annotated[int, typer.Option("--count", min=1, max=500, help=h(HELP_COUNT))] = 1,
    format: Annotated[QuizFormat, typer.Option("--format", "-f", help=h(HELP_FORMAT), case_sensitive=False)] = QuizFormat.markdown,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=h(HELP_QUIZ_OUTPUT),
                                                show_default=False)] = None,
    force: ForceQuizOpt = False,
    students: Annotated[Path | None, typer.Option("--students", help=h(HELP_STUDENTS), show_default=False)] = None,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    lang_code = language(lang)
    with user_errors(lang_code):
        import secrets

        from convtrace.quiz import QuizSpec, answer_key, make_quiz, parse_pipeline, solve
        from convtrace.render import quiz as sheets
        from convtrace.syntax import parse_pool_step, parse_size

        refuse_together(("--pool", pool is not None), ("--pipeline", pipeline is not None), ("--tconv", tconv))
        refuse_together(("-k", kernel.strip().lower() not in ("random", "none")), ("--pool", pool is not None))
        refuse_without("--output-padding", output_padding.strip() not in ("0", "0,0"), "--tconv", tconv)
        chosen_kernel = kernel
        if pool is not None and kernel == "random":
            chosen_kernel = None
        elif kernel != "random":
            chosen_kernel = load_kernel(kernel, kernels_dir)
        spec = QuizSpec(size=parse_size(size), kernel=chosen_kernel, kernel_size=kernel_size, padding=padding,
                        stride=stride, pool=parse_pool_step(pool) if pool else None, values=parse_values(values),
                        tconv=tconv, output_padding=output_padding,
                        pipeline=parse_pipeline(pipeline) if pipeline else None)
        seed = seed if seed is not None else secrets.randbelow(10**6)
        if students is not None:
            if output is None:
                raise ConvtraceValueError(ROSTER_NEEDS_OUTPUT)
            if count != 1:
                raise ConvtraceValueError(ROSTER_ONE_EXERCISE)
            names = read_roster(students)
            write_quiz(output, student_files(names, seed, spec, format.value, lang_code), force)
            say(translate(ROSTER_WROTE, lang_code, n=len(names), where=output))
            return
        exercises = make_quiz(seed, count, spec)
        keys = [answer_key(ex, seed) for ex in exercises]
        fmt = format.value
        if fmt == "json":
            sheet = solution = sheets.keys_json(keys)
        else:
            sheet = sheets.sheet_markdown(exercises, seed, lang_code) if fmt == "markdown" else \
                sheets.sheet_latex(exercises, seed, lang_code)
            solution = sheets.solutions(solve(exercises), lang_code, fmt)
        if output is None:
            sys.stdout.write(sheet if fmt == "json" else sheet + "\n" + solution)
            return
        write_quiz(output, sheets.key_files(exercises, keys, fmt, sheet, solution), force)
        say(translate(QUIZ_WROTE, lang_code, n=len(exercises), where=output))


def write_quiz(folder: Path, files: dict[str, str], force: bool) -> None:
    """Every file or none: an existing one stops the whole write unless ``force``."""
    from convtrace.io.writers import write_atomic

    if folder.exists() and not folder.is_dir():  # --force would not help: -o names a folder here
        raise ConvtraceValueError(QUIZ_OUT_IS_FILE, where=str(folder))
    if not force:
        for name in files:
            if (folder / name).exists():
                raise ConvtraceValueError(OUTPUT_EXISTS, where=str(folder / name))
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_atomic(folder / name, text.encode("utf-8"), overwrite=force)


def read_roster(path: Path) -> list[str]:
    """The names in a roster CSV (as any text file: UTF-8, UTF-16 with its BOM, or code page 1252; ``,``,
    ``;`` or tab)."""
    from convtrace.io.readers import read_text_file
    from convtrace.quiz import MAX_STUDENTS, parse_roster

    names = parse_roster(read_text_file(path))
    if not names:
        raise ConvtraceValueError(ROSTER_EMPTY, where=str(path))
    if len(names) > MAX_STUDENTS:
        raise ConvtraceValueError(ROSTER_TOO_LARGE, where=str(path), n=len(names), maximum=MAX_STUDENTS)
    return names


def student_files(names: list[str], seed: int, spec, fmt: str, lang: str) -> dict[str, str]:
    """File name → text: per student ``exercises-SLUG``, ``solutions-SLUG`` and ``key-SLUG.json``; and the index.

    Each student's exercise comes from :func:`convtrace.quiz.student_seed` (the base seed and the name), so
    the same roster and seed always give the same exercises.
    """

    from convtrace.quiz import answer_key, make_quiz, solve, student_seeds, unique_slugs
    from convtrace.render import quiz as sheets

    suffix = {"markdown": ".md", "latex": ".tex", "json": ".json"}[fmt]
    files: dict[str, str] = {}
    index = []
    for name, slug, own_seed in zip(names, unique_slugs(names), student_seeds(seed, names), strict=True):
        exercises = make_quiz(own_seed, 1, spec)
        key = answer_key(exercises[0], own_seed)
        heading = translate(ROSTER_STUDENT, lang, name=name)
        if fmt == "json":
            files[f"exercises-{slug}.json"] = sheets.keys_json([key])
        elif fmt == "markdown":
            files[f"exercises-{slug}.md"] = f"**{heading}**\n\n" + sheets.sheet_markdown(exercises, own_seed, lang)
            files[f"solutions-{slug}.md"] = f"**{heading}**\n\n" + sheets.solutions(solve(exercises), lang, fmt)
        else:
            files[f"exercises-{slug}.tex"] = f"% {heading}\n" + sheets.sheet_latex(exercises, own_seed, lang)
            files[f"solutions-{slug}.tex"] = f"% {heading}\n" + sheets.solutions(solve(exercises), lang, fmt)
        files[f"key-{slug}.json"] = sheets.to_json(key)
        index.append({"name": name, "slug": slug, "seed": own_seed, "key": f"key-{slug}.json",
                      "exercises": f"exercises-{slug}{suffix}"})
    files[ROSTER_INDEX] = sheets.to_json({"seed": seed, "students": index})
    return files
