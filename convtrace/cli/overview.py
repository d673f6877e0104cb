"""``convtrace --help`` without building the command line: the overview Typer would draw.

Building the whole command line imports every command module, converts every
option and loads Typer's help formatter (with Rich's Markdown and traceback
modules): about 0.3 s before a word appears.  The overview needs only the
commands' names and one-line helps, which live in the messages, so this module
draws it with Rich alone, in the same cells, styles and layout as Typer's
formatter (``typer.rich_utils.rich_format_help``).  ``tests/test_startup.py``
compares the two, character for character and colour for colour, at several
widths and in both languages, and checks :data:`COMMANDS` against the app.
"""

from __future__ import annotations

import inspect
import os
import shutil
import sys
import textwrap

from rich.align import Align
from rich.columns import Columns
from rich.console import Console, group
from rich.highlighter import RegexHighlighter
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from convtrace.messages import detect_lang, translate
from convtrace.messages.help import (
    HELP_APP,
    HELP_BATCH,
    HELP_CHECK,
    HELP_COMPLETION,
    HELP_CONV,
    HELP_HEADING_COMMANDS,
    HELP_HEADING_OPTIONS,
    HELP_HELP_OPTION,
    HELP_KERNELS,
    HELP_MODES,
    HELP_POOL,
    HELP_QUIZ,
    HELP_USAGE,
    HELP_VERSION,
    metavar_in,
)
from convtrace.messages.network import (
    HELP_ACT_FLATTEN,
    HELP_ACT_LEAKY_RELU,
    HELP_ACT_RELU,
    HELP_ACT_SIGMOID,
    HELP_ACT_SOFTMAX,
    HELP_ACT_TANH,
    HELP_NET,
    HELP_TCONV,
)
from convtrace.messages.pictures import HELP_GALLERY

#: The commands as the whole app lists them (the order Typer gives), each with its help's message key.
COMMANDS = (
    ("conv", HELP_CONV), ("pool", HELP_POOL), ("tconv", HELP_TCONV), ("check", HELP_CHECK), ("quiz", HELP_QUIZ),
    ("net", HELP_NET), ("relu", HELP_ACT_RELU), ("leaky-relu", HELP_ACT_LEAKY_RELU), ("sigmoid", HELP_ACT_SIGMOID),
    ("tanh", HELP_ACT_TANH), ("softmax", HELP_ACT_SOFTMAX), ("flatten", HELP_ACT_FLATTEN),
    ("gallery", HELP_GALLERY), ("batch", HELP_BATCH), ("modes", HELP_MODES), ("completion", HELP_COMPLETION),
    ("kernels", HELP_KERNELS),
)

#: The group's own options: long name, short name, help.
OPTIONS = (("--version", "-V", HELP_VERSION), ("--help", "-h", HELP_HELP_OPTION))

#: The arguments that ask for the overview, and nothing else.
HELP_ARGS = (["--help"], ["-h"])


class _OptionHighlighter(RegexHighlighter):
    # typer.rich_utils.OptionHighlighter, with "Usage: " in the help's language
    highlights = [
        r"(^|\W)(?P<switch>\-\w+)(?![a-zA-Z0-9])",
        r"(^|\W)(?P<option>\-\-[\w\-]+)(?![a-zA-Z0-9])",
        r"(?P<types>\<[^\>]+\>)",
    ]


class _NegativeHighlighter(RegexHighlighter):
    highlights = [
        r"(^|\W)(?P<negative_switch>\-\w+)(?![a-zA-Z0-9])",
        r"(^|\W)(?P<negative_option>\-\-[\w\-]+)(?![a-zA-Z0-9])",
    ]


class _TypesHighlighter(RegexHighlighter):
    highlights = [r"^(?P<types_sep>(\[|<))", r"(?P<types_sep>\|)", r"(?P<types_sep>(\]|>))(\.\.\.)?$"]


_THEME = {"option": "bold cyan", "switch": "bold green", "negative_option": "bold magenta",
          "negative_switch": "bold red", "types": "bold yellow", "types_sep": "dim", "usage": "yellow"}


def _highlighter(lang: str) -> _OptionHighlighter:
    highlighter = _OptionHighlighter()
    highlighter.highlights = [*_OptionHighlighter.highlights, rf"(?P<usage>{translate(HELP_USAGE, lang)}: )"]
    return highlighter


def _console(highlighter, file=None) -> Console:
    """Typer's help console (its environment variables included), trimmed when piped as ours is."""
    from convtrace.cli.trimmed import TrimmedLines

    width = os.environ.get("TERMINAL_WIDTH")
    force = True if os.environ.get("GITHUB_ACTIONS") or os.environ.get("FORCE_COLOR") or \
        os.environ.get("PY_COLORS") else None
    if os.environ.get("_TYPER_FORCE_DISABLE_TERMINAL"):
        force = False
    console = Console(theme=Theme(_THEME), highlighter=highlighter, color_system="auto", force_terminal=force, emoji=False,
                      width=int(width) if width else None, file=file)
    if not console.is_terminal:
        console.file = TrimmedLines(console.file)
    return console


def program_name() -> str:
    """How the program was run, as the usage line names it (Click's rule: ``python -m convtrace`` or the file)."""
    main = sys.modules.get("__main__")
    path = sys.argv[0] if sys.argv and sys.argv[0] else ""
    package = getattr(main, "__package__", None)
    if package in (None, ""):
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    module = package if name == "__main__" else f"{package}.{name}"
    return f"python -m {module.lstrip('.')}"


def usage_line(prefix: str, prog: str, args: str) -> str:
    """The usage line as Click's help formatter writes it (wrapped at the terminal's width, at most 78)."""
    width = max(min(shutil.get_terminal_size().columns, 80) - 2, 50)
    head = f"{prefix}{prog} "
    if width >= len(head) + 20:
        return textwrap.fill(args, width, initial_indent=head, subsequent_indent=" " * len(head),
                             replace_whitespace=False)
    indent = " " * (len(prefix) + 4)
    return head + "\n" + textwrap.fill(args, width, initial_indent=indent, subsequent_indent=indent,
                                       replace_whitespace=False)


def _rich_text(text: str, highlighter, style: str = "") -> Text:
    return highlighter(Text.from_markup(inspect.cleandoc(text), style=style))


@group()
def _help_text(text: str, highlighter):
    first, *rest = inspect.cleandoc(text).partition("\f")[0].split("\n\n")
    yield _rich_text(first.replace("\n", " ").strip(), highlighter)
    if rest:
        yield Text("")
        yield _rich_text("\n\n".join(rest), highlighter, style="dim")


def print_overview(lang: str | None = None, file=None, prog: str | None = None) -> None:
    """The command line's help: usage, what convtrace does, its options and its commands."""
    lang = lang or detect_lang()
    highlighter = _highlighter(lang)
    console = _console(highlighter, file)
    usage = usage_line(f"{translate(HELP_USAGE, lang)}: ", prog or program_name(),
                       f"{metavar_in('[OPTIONS]', lang)} {metavar_in('COMMAND [ARGS]...', lang)}")
    console.print(Padding(highlighter(usage), 1), style="bold")
    console.print(Padding(Align(_help_text(escape(translate(HELP_APP, lang)), highlighter), pad=False),
                          (0, 1, 1, 1)))

    options = Table(highlight=True, show_header=False, expand=True, box=None, show_lines=False, leading=0,
                    border_style=None, row_styles=None, pad_edge=False, padding=(0, 1))
    negative, types = _NegativeHighlighter(), _TypesHighlighter()
    for long, short, key in OPTIONS:
        options.add_row(highlighter(long), highlighter(short), negative(""), negative(""),
                        types(Text(style="bold yellow", overflow="fold")),
                        Columns([_rich_text(escape(translate(key, lang)), highlighter)]))
    console.print(Panel(options, border_style="dim", title=translate(HELP_HEADING_OPTIONS, lang),
                        title_align="left"))

    commands = Table(highlight=False, show_header=False, expand=True, box=None, show_lines=False, leading=0,
                     border_style=None, row_styles=None, pad_edge=False, padding=(0, 1))
    commands.add_column(style="bold cyan", no_wrap=True, width=max(len(name) for name, _ in COMMANDS))
    commands.add_column("Description", justify="left", no_wrap=False, ratio=10)
    for name, key in COMMANDS:
        first = inspect.cleandoc(escape(translate(key, lang))).split("\n\n")[0]
        commands.add_row(Text(name), _rich_text(first.strip(), highlighter))
    console.print(Panel(commands, border_style="dim", title=translate(HELP_HEADING_COMMANDS, lang),
                        title_align="left"))
    console.file.write("\n")  # Click echoes the (empty) text its formatter collected: one more line

