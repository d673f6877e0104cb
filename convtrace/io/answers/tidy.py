"""What students put around and inside an answer that is not the matrix: labels, prompts, tables, percents.

:func:`tidied` runs before the readers.  Every change keeps the lines where
they were (a dropped line becomes a blank line; a stripped label becomes
spaces), so errors still point at the student's line and column, and each
change is reported as an :class:`AnswerNote`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from convtrace.io.answers.answer import AnswerNote
from convtrace.io.matrix import BLANK_MARKERS
from convtrace.messages.answers import (
    ANSWER_NOTE_LABEL,
    ANSWER_NOTE_MARKDOWN,
    ANSWER_NOTE_PERCENT,
    ANSWER_NOTE_PIPES,
)

#: Words a line of values may hold: blank cells and NumPy's spellings of missing or infinite values.
_VALUE_WORDS = BLANK_MARKERS | {"nan", "inf", "-inf", "+inf", "none", "null"}
#: A label before the values on the same line: "Respuesta:", "Resultado de la convolución:",
#: "Salida (3x3):", Jupyter's "Out[3]:".
_LABEL_PREFIX = re.compile(
    r"\A(\s*(?:Out\s*\[\s*\d+\s*\]|[^\W\d_][^\d:=\[\](){}]*?(?:\(\s*\d+\s*[x×X]\s*\d+\s*\))?)\s*:)\s*(?=\S)")
#: A prompt line of Python or IPython that only names what it prints: ">>> out", "In [3]: print(y)".
_PROMPT = re.compile(r"\A\s*(?:>>>|In\s*\[\s*\d+\s*\]:)(?!.*\[)")
_MARKDOWN_RULE = re.compile(r"\A\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*\Z")
_PERCENT = re.compile(r"(?<![\w.,])([+-]?\d+(?:[.,]\d+)?)%")
_SLASH_COMMENT = re.compile(r"(?:(?<=\s)|\A)//.*")


def _is_label_line(line: str) -> bool:
    """Words and no values ("Resultado:", "Fin", "Canal 1:"), or words ending in ':'."""
    stripped = line.strip()
    if re.fullmatch(r"Out\s*\[\s*\d+\s*\]\s*:", stripped):
        return True
    if stripped.startswith(("#", "%", "```", "|")):
        return False  # a comment (the readers leave it out themselves), a Markdown table's row
    if not stripped or not re.search(r"[^\W\d_]", stripped) or re.search(r"[=\[\]{}]|\\", stripped):
        return False
    if all(word.lower() in _VALUE_WORDS for word in re.findall(r"[^\W\d_]+", stripped)):
        return False  # NaN, inf, None: values
    if stripped.endswith(":"):
        return True
    return not re.search(r"\d", stripped)


def _percent_value(match: re.Match) -> str:
    """``37,5%`` → ``0.375``: a point, whatever the student wrote, so the value is never ambiguous."""
    try:
        value = Decimal(match.group(1).replace(",", ".")) / 100
    except InvalidOperation:
        return match.group(0)
    return format(value.normalize(), "f")


def tidied(text: str) -> tuple[str, list[AnswerNote]]:
    """``text`` without what surrounds the matrix, and a note for each thing taken away or read anew."""
    notes: list[AnswerNote] = []
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if _PROMPT.match(line) or _is_label_line(line):
            notes.append(AnswerNote(ANSWER_NOTE_LABEL, {"text": line.strip()}))
            lines[k] = ""
            continue
        label = _LABEL_PREFIX.match(line)
        if label and re.search(r"[\d\[?]", line[label.end():]):
            notes.append(AnswerNote(ANSWER_NOTE_LABEL, {"text": label.group(1).strip()}))
            lines[k] = " " * label.end() + line[label.end():]
    lines = [_SLASH_COMMENT.sub("", line) for line in lines]
    content = [line for line in lines if line.strip()]
    if content and all(line.strip().startswith("|") or _MARKDOWN_RULE.match(line) for line in content):
        notes.append(AnswerNote(ANSWER_NOTE_MARKDOWN))
        header = set()
        for k, line in enumerate(lines):
            if _MARKDOWN_RULE.match(line):  # the rule under a header: the row above it is the header
                above = [j for j in range(k) if lines[j].strip()]
                header.update(above[-1:])
        for k, line in enumerate(lines):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            numeric = any(re.search(r"\d", c) or c in BLANK_MARKERS for c in cells)
            if k in header or _MARKDOWN_RULE.match(line) or not numeric:
                lines[k] = ""
            else:
                lines[k] = line.replace("|", " ")
    elif len(content) == 1 and "|" in content[0]:
        parts = content[0].split("|")
        if len(parts) > 1 and all(len(p.split()) > 1 for p in parts):  # "60 70 50 | 60 70 50": rows
            notes.append(AnswerNote(ANSWER_NOTE_PIPES))
            lines = [line.replace("|", ";") for line in lines]
    tidy = "\n".join(lines)
    first = _PERCENT.search(tidy)
    if first:
        notes.append(AnswerNote(ANSWER_NOTE_PERCENT, {"token": first.group(0), "value": _percent_value(first)}))
        tidy = _PERCENT.sub(_percent_value, tidy)
    return tidy, notes
