"""A text stream for piped output: lines end at their text, not at Rich's padding."""

from __future__ import annotations


class TrimmedLines:
    """A text stream that drops the spaces Rich pads lines with: piped output ends each line at its text."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write("\n".join(line.rstrip(" ") for line in text.split("\n")))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.stream.fileno()
