"""Rich renderables for graded answers: one in detail, or a class at a glance."""

from __future__ import annotations

import numpy as np
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
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
from convtrace.render.matrix import block_label
from convtrace.render.views import fmt_number, is_plain, title, working_text


def score_text(grade, lang: str) -> str:
    text = translate(CHECK_SCORE, lang, correct=grade.n_correct, total=grade.n_cells)
    extra = []
    if grade.n_wrong:
        extra.append(translate(CHECK_WRONG, lang, n=grade.n_wrong))
    if grade.n_missing:
        extra.append(translate(CHECK_MISSING, lang, n=grade.n_missing))
    return text + (" · " + " · ".join(extra) if extra else "")


def _rows(values) -> np.ndarray:
    """A matrix, a map or maps as rows (maps one below another)."""
    values = np.asarray(values)
    return np.atleast_2d(values) if values.ndim < 3 else values.reshape(-1, values.shape[-1])


def _marked(grade, plain: bool, precision: int, columns: range | None = None) -> Table:
    table = Table(show_header=False, box=None if plain else box.SQUARE, padding=(0, 1), pad_edge=False)
    answer = _rows(grade.answer)
    missing = np.atleast_2d(grade.missing).reshape(answer.shape)
    correct = np.atleast_2d(grade.correct).reshape(answer.shape) if grade.shape_ok else None
    columns = range(answer.shape[1]) if columns is None else columns
    for _ in columns:
        table.add_column(justify="right", no_wrap=True)
    for r in range(answer.shape[0]):
        cells = []
        for c in columns:
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


def _plain_matrix(values, plain: bool, precision: int, columns: range | None = None) -> Table:
    values = _rows(values)
    table = Table(show_header=False, box=None if plain else box.SQUARE, padding=(0, 1), pad_edge=False)
    columns = range(values.shape[1]) if columns is None else columns
    for _ in columns:
        table.add_column(justify="right", no_wrap=True)
    for row in values:
        table.add_row(*(fmt_number(row[c], precision) for c in columns))
    return table


def _width(console: Console, options: ConsoleOptions, renderable) -> int:
    return Measurement.get(console, options.update_width(10**6), renderable).maximum


def _column_blocks(n_cols: int, make, console: Console, options: ConsoleOptions) -> list[range]:
    """Consecutive column ranges whose tables (``make(range)``) each fit the console: a wide answer is
    shown in blocks of whole numbers, never cut to '1…'."""
    blocks, start = [], 0
    while start < n_cols:
        lo, hi = start + 1, n_cols  # the widest block from start that fits: at least one column
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _width(console, options, make(range(start, mid))) <= options.max_width:
                lo = mid
            else:
                hi = mid - 1
        blocks.append(range(start, lo))
        start = lo
    return blocks


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
        yield from self._matrices(console, options)
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

    def _matrices(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The answer beside the expected output; one above the other when the two do not fit side by
        side, each in blocks of columns when it alone does not fit."""
        g, lang, plain = self.grade, self.lang, self.plain
        style = "" if plain else "bold"
        answer = Group(Text(translate(CHECK_YOUR_ANSWER, lang), style=style), _marked(g, plain, self.precision))
        expected = Group(Text(translate(CHECK_EXPECTED, lang), style=style),
                         _plain_matrix(g.expected, plain, self.precision))
        grid = Table.grid(padding=(0, 4))
        grid.add_column(vertical="top", no_wrap=True)
        grid.add_column(vertical="top", no_wrap=True)
        grid.add_row(answer, expected)
        if _width(console, options, grid) <= options.max_width:
            yield grid
            return
        for heading, n_cols, make in (
                (CHECK_YOUR_ANSWER, _rows(g.answer).shape[1], lambda cols: _marked(g, plain, self.precision, cols)),
                (CHECK_EXPECTED, _rows(g.expected).shape[1],
                 lambda cols: _plain_matrix(g.expected, plain, self.precision, cols))):
            blocks = _column_blocks(n_cols, make, console, options)
            for cols in blocks:
                label = translate(heading, lang)
                if len(blocks) > 1:
                    label += f" · {block_label(lang, cols.start, cols.stop - 1)}"
                yield Text(label, style=style)
                yield make(cols)

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
