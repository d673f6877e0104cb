"""What came of each image, and how names and reasons are shown to people.

An :class:`Outcome` per image (done, skipped, failed, planned, with its reason
in English and as a message key for other languages), the :class:`Summary` of
a run, and :func:`shown`, which makes a path or a reason safe on one report
line.  Every other part of a batch run reports through these.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from convtrace.errors import ConvtraceError
from convtrace.messages import translate


@dataclass
class Outcome:
    source: Path
    target: Path
    status: str                    # done | skipped | failed | planned
    reason: str = ""               # English, as in the JSON summary
    key: str = ""                  # the reason's message key, to show it in another language
    params: dict = field(default_factory=dict)
    dropped_alpha: bool = False    # done, but the input's transparency could not be kept (a JPEG output)

    def message(self, lang: str = "en") -> str:
        """The reason in ``lang``."""
        return translate(self.key, lang, **self.params) if self.key else self.reason


def _outcome(source: Path, target: Path, status: str, key: str, **params: object) -> Outcome:
    return Outcome(source, target, status, translate(key, "en", **params), key, params)


def _error_outcome(source: Path, target: Path, err: ConvtraceError) -> Outcome:
    return Outcome(source, target, "failed", err.message("en"), err.key, dict(err.params))


# ----------------------------------------------------------------------------- names shown to people

#: Characters that would break a report line or fool the terminal: C0/C1 controls, line and paragraph
#: separators, surrogates, and the bidirectional overrides that reorder what is shown.
_BREAKING = {"Cc", "Zl", "Zp", "Cs"}
_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def shown(text: object) -> str:
    """``text`` (a path, a reason) safe on one report line: control characters escaped as Python does
    (``\\n``, ``\\x1b``, ``\\u2028``), bytes that were not valid UTF-8 as ``\\xNN``; accents and spaces kept."""
    text = str(text)
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:          # os.fsdecode's stand-in for an undecodable byte
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch in _BIDI or unicodedata.category(ch) in _BREAKING:
            out.append(repr(ch)[1:-1])
        else:
            out.append(ch)
    return "".join(out)


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    #: Files in IN not read, their names not an image's (relative to IN).
    ignored: list = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def as_dict(self) -> dict:
        done = self.count("done")
        return {
            "done": done, "skipped": self.count("skipped"), "failed": self.count("failed"),
            "planned": self.count("planned"), "seconds": round(self.seconds, 3),
            "images_per_second": round(done / self.seconds, 2) if self.seconds > 0 and done else None,
            "interrupted": self.interrupted,
            "ignored": [str(path) for path in self.ignored],
            "transparency_dropped": sorted(str(o.source) for o in self.outcomes if o.dropped_alpha),
            "failures": [{"file": str(o.source), "reason": o.reason} for o in self.outcomes if o.status == "failed"],
        }



def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    line = text.splitlines()[0] if text else ""
    return f"{type(err).__name__}: {line}" if line else type(err).__name__
