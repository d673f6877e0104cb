"""Rich renderables for graded answers: one in detail, or a class at a glance."""

from __future__ import annotations

import numpy as np
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from convtrace.grading import describe
from convtrace.messages import translate
from convtrace.messages.grading import (
    CHECK_ALL_CORRECT,
    CHECK_DIAGNOSIS_COL,
    CHECK_EXPECTED,
    CHECK_FILE,
    CHECK_LIKELY,
    CHECK_MISSING,
    CHECK_MORE_CELLS,
    CHECK_NO_DIAGNOSIS,
    CHECK_SCORE,
    CHECK_SCORE_COL,
    CHECK_SUMMARY,
    CHECK_TITLE,
    CHECK_UNREADABLE,
    CHECK_WORKING,
    CHECK_WRONG,
    CHECK_YOU_WROTE,
    CHECK_YOUR_ANSWER,
)
from convtrace.render.views import fmt_number, is_plain, title, working_text


def score_text(grade, lang: str) -> str:
    text = translate(CHECK_SCORE, lang, correct=grade.n_correct, total=grade.n_cells)
    extra = []
    if grade.n_wrong:
        extra.append(translate(CHECK_WRONG, lang, n=grade.n_wrong))
    if grade.n_missing:
        extra.append(translate(CHECK_MISSING, lang, n=grade.n_missing))
    return text + (" · " + " · ".join(extra) if extra else "")


def _marked(grade, plain: bool, precision: int) -> Table:
    table = Table(show_header=False, box=None if plain else box.SQUARE, padding=(0, 1), pad_edge=False)
    answer = np.atleast_2d(grade.answer) if grade.answer.ndim < 3 else grade.answer.reshape(-1, grade.answer.shape[-1])
    missing = np.atleast_2d(grade.missing).reshape(answer.shape)
    correct = np.atleast_2d(grade.correct).reshape(answer.shape) if grade.shape_ok else None
    for _ in range(answer.shape[1]):
        table.add_column(justify="right")
    for r in range(answer.shape[0]):
        cells = []
        for c in range(answer.shape[1]):
            if missing[r, c]:
                cells.append(Text("?" if plain else "?", style="" if plain else "bold yellow"))
                continue
            value = fmt_number(answer[r, c], precision)
            if correct is None:
                cells.append(Text(value))
            elif correct[r, c]:
                cells.append(Text(f"{value}✓" if plain else value, style="" if plain else "green"))
            else:
                cells.append(Text(f"{value}✗" if plain else value, style="" if plain else "bold white on red"))
        table.add_row(*cells)
    return table


def _plain_matrix(values, plain: bool, precision: int) -> Table:
    values = np.atleast_2d(values) if np.ndim(values) < 3 else np.asarray(values).reshape(-1, np.shape(values)[-1])
    table = Table(show_header=False, box=None if plain else box.SQUARE, padding=(0, 1), pad_edge=False)
    for _ in range(values.shape[1]):
        table.add_column(justify="right")
    for row in values:
        table.add_row(*(fmt_number(v, precision) for v in row))
    return table


class GradeView:
    """One answer: score, the answer beside the expected output, the mistake, the working."""

    def __init__(self, grade, source: str, *, lang="en", precision=4):
        self.grade, self.source, self.lang, self.precision = grade, source, lang, precision

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        g, lang, plain = self.grade, self.lang, is_plain(console)
        heading, subtitle = title(g.operation, lang)
        yield Text(translate(CHECK_TITLE, lang, source=self.source), style="bold")
        yield Text(f"{heading} · {subtitle}")
        yield Text("")
        style = "" if plain else ("bold green" if g.all_correct else "bold red")
        yield Text(translate(CHECK_ALL_CORRECT, lang) + " " if g.all_correct else "", style=style) + \
            Text(score_text(g, lang), style=style)
        grid = Table.grid(padding=(0, 4))
        grid.add_column(vertical="top")
        grid.add_column(vertical="top")
        grid.add_row(Group(Text(translate(CHECK_YOUR_ANSWER, lang), style="" if plain else "bold"),
                           _marked(g, plain, self.precision)),
                     Group(Text(translate(CHECK_EXPECTED, lang), style="" if plain else "bold"),
                           _plain_matrix(g.expected, plain, self.precision)))
        yield grid
        if g.all_correct:
            return
        yield Text("")
        yield Text(translate(CHECK_LIKELY, lang) + ":", style="" if plain else "bold yellow")
        if g.diagnoses:
            for d in g.diagnoses:
                yield Text(f"  • {describe(d, lang)}")
        else:
            yield Text(f"  • {translate(CHECK_NO_DIAGNOSIS, lang)}")
        wrong = g.wrong_cells
        if g.working is not None:
            yield Text("")
            yield Text(translate(CHECK_WORKING, lang) + ":", style="" if plain else "bold")
            shown = len(g.working)
            for n, cell in enumerate(wrong[:shown]):
                index = "[" + ", ".join(str(v) for v in cell) + "]"
                you = translate(CHECK_YOU_WROTE, lang, value=fmt_number(g.answer[cell], self.precision))
                yield Text(f"  {index}: {working_text(g.working, n, self.precision)}   ({you})")
            if len(wrong) > shown:
                yield Text("  " + translate(CHECK_MORE_CELLS, lang, n=len(wrong) - shown))


class ClassView:
    """Many answers: one row per file with its score and diagnosis."""

    def __init__(self, rows, *, lang="en"):
        self.rows, self.lang = rows, lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lang, plain = self.lang, is_plain(console)
        table = Table(box=box.SIMPLE_HEAD if not plain else box.ASCII2, show_lines=False)
        table.add_column(translate(CHECK_FILE, lang))
        table.add_column(translate(CHECK_SCORE_COL, lang), justify="right")
        table.add_column(translate(CHECK_DIAGNOSIS_COL, lang), ratio=1)
        graded = perfect = failed = 0
        for name, grade, error in self.rows:
            if error is not None:
                failed += 1
                table.add_row(name, "—", translate(CHECK_UNREADABLE, lang, reason=error))
                continue
            graded += 1
            perfect += grade.all_correct
            diagnosis = describe(grade.diagnoses[0], lang) if grade.diagnoses else \
                (translate(CHECK_ALL_CORRECT, lang) if grade.all_correct else translate(CHECK_NO_DIAGNOSIS, lang))
            table.add_row(name, f"{grade.n_correct}/{grade.n_cells}", diagnosis)
        yield table
        yield Text(translate(CHECK_SUMMARY, lang, graded=graded, perfect=perfect, failed=failed))
