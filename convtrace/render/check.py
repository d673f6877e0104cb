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
    CHECK_SLIP_WORKING,
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
        self.plain = plain
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
        if g.all_correct or (g.shape_ok and not g.n_wrong and not g.diagnoses):
            return  # every written cell is right: blanks are missing, not a mistake to name
        yield Text("")
        yield Text(translate(CHECK_LIKELY, lang) + ":", style="" if plain else "bold yellow")
        if g.diagnoses:
            for d in g.diagnoses:
                yield Text(f"  • {describe(d, lang)}")
        else:
            yield Text(f"  • {translate(CHECK_NO_DIAGNOSIS, lang)}")
        yield from self._working(g.working, g.working_cells, translate(CHECK_WORKING, lang), len(g.wrong_cells))
        yield from self._working(g.slip_working, g.slip_cells, translate(CHECK_SLIP_WORKING, lang),
                                 len(g.slip_cells))

    def _working(self, trace, cells, heading: str, total: int) -> RenderResult:
        """The engine's working (carried by the grade) for ``cells``, each beside what the student wrote."""
        if trace is None:
            return
        plain = self.plain
        yield Text("")
        yield Text(heading + ":", style="" if plain else "bold")
        for n, cell in enumerate(cells[:len(trace)]):
            index = "[" + ", ".join(str(v) for v in cell) + "]"
            you = translate(CHECK_YOU_WROTE, self.lang, value=fmt_number(self.grade.answer[cell], self.precision))
            yield Text(f"  {index}: {working_text(trace, n, self.precision)}   ({you})")
        if total > min(len(cells), len(trace)):
            yield Text("  " + translate(CHECK_MORE_CELLS, self.lang, n=total - min(len(cells), len(trace))))


class ClassView:
    """Many answers: one row per file (graded, or why not) with its score, grade and every diagnosis; then the
    class summary (see :func:`convtrace.scores.class_summary`)."""

    def __init__(self, rows, *, lang="en", summary=None):
        self.rows, self.lang, self.summary = rows, lang, summary

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from convtrace.messages.reports import REPORT_GRADE_COL, REPORT_OVERLAP_NOTE
        from convtrace.render.reports import summary_lines
        from convtrace.scores import format_number

        lang, plain = self.lang, is_plain(console)
        scaled = any(r.score is not None and r.score.out_of is not None for r in self.rows)
        table = Table(box=box.SIMPLE_HEAD if not plain else box.ASCII2, show_lines=False)
        table.add_column(translate(CHECK_FILE, lang))
        table.add_column(translate(CHECK_SCORE_COL, lang), justify="right")
        if scaled:
            table.add_column(translate(REPORT_GRADE_COL, lang), justify="right")
        table.add_column(translate(CHECK_DIAGNOSIS_COL, lang), ratio=1)
        graded = perfect = failed = 0
        for row in self.rows:
            if not row.graded:
                failed += 1
                table.add_row(row.file, "—", *(["—"] if scaled else []),
                              translate(CHECK_UNREADABLE, lang, reason=row.reason or ""))
                continue
            grade, score = row.grade, row.score
            graded += 1
            perfect += grade.all_correct
            lines = [describe(d, lang) for d in grade.diagnoses]
            if not grade.shape_ok and score is not None and score.credited:
                lines.append(translate(REPORT_OVERLAP_NOTE, lang, n=score.credited))
            if not lines and grade.shape_ok and not grade.n_wrong and grade.n_missing:
                lines = [translate(CHECK_MISSING, lang, n=grade.n_missing)]  # blanks only: nothing to diagnose
            if not lines:
                lines = [translate(CHECK_ALL_CORRECT if grade.all_correct else CHECK_NO_DIAGNOSIS, lang)]
            cells = f"{score.credited if score is not None else grade.n_correct}/{grade.n_cells}"
            points = []
            if scaled:
                points = [format_number(score.points, decimal_comma=lang == "es") if score and score.points is not None
                          else "—"]
            table.add_row(row.file, cells, *points, "\n".join(f"• {line}" if len(lines) > 1 else line
                                                              for line in lines))
        yield table
        yield Text(translate(CHECK_SUMMARY, lang, graded=graded, perfect=perfect, failed=failed))
        if self.summary is not None and self.summary["graded"]:
            yield Text("")
            for n, line in enumerate(summary_lines(self.summary, lang)):
                yield Text(line, style="" if plain or n else "bold")
