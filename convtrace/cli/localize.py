"""Help in the language of the invocation.

Help texts are written in English when the commands are declared; before
Typer parses a command line, :class:`LocalizedGroup` finds the language it
asks for (``--lang`` anywhere on the line, else LC_ALL / LC_MESSAGES / LANG)
and swaps every help text, epilog and help heading for its translation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from typer import rich_utils
from typer.core import TyperGroup

from convtrace.messages import LANGS, MESSAGES, detect_lang, translate
from convtrace.messages.help import (
    HELP_EXAMPLES,
    HELP_HEADING_ARGUMENTS,
    HELP_HEADING_COMMANDS,
    HELP_HEADING_OPTIONS,
)

#: Typer's help headings and the message keys that translate them.
_HEADINGS = {
    "ARGUMENTS_PANEL_TITLE": HELP_HEADING_ARGUMENTS,
    "OPTIONS_PANEL_TITLE": HELP_HEADING_OPTIONS,
    "COMMANDS_PANEL_TITLE": HELP_HEADING_COMMANDS,
}
_ORIGINAL = "_convtrace_english"


def lang_of_args(args: Sequence[str]) -> str:
    """The language a command line asks for: ``--lang es`` / ``--lang=es``, else the locale."""
    for n, arg in enumerate(args):
        value = None
        if arg == "--lang" and n + 1 < len(args):
            value = args[n + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGS:
            return value
    return detect_lang()


def _english_keys() -> dict[str, str]:
    return {entry["en"]: key for key, entry in MESSAGES.items() if key.startswith("help_")}


def _translated(text: str | None, lang: str, index: dict[str, str]) -> str | None:
    if not text:
        return text
    key = index.get(text)
    if key is not None:
        return translate(key, lang)
    examples = f"[bold]{translate(HELP_EXAMPLES, 'en')}:[/bold]"
    if text.startswith(examples):
        return f"[bold]{translate(HELP_EXAMPLES, lang)}:[/bold]" + text[len(examples):]
    return text


def _commands(command) -> Iterator:
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


def _keep_english(obj, name: str) -> str | None:
    originals = obj.__dict__.setdefault(_ORIGINAL, {})
    if name not in originals:
        originals[name] = getattr(obj, name, None)
    return originals[name]


def localize(command, lang: str) -> None:
    """Put ``command``'s help (and its subcommands') into ``lang``."""
    index = _english_keys()
    for cmd in _commands(command):
        for name in ("help", "epilog", "short_help"):
            setattr(cmd, name, _translated(_keep_english(cmd, name), lang, index))
        for param in cmd.params:
            if hasattr(param, "help"):
                param.help = _translated(_keep_english(param, "help"), lang, index)
    for constant, key in _HEADINGS.items():
        setattr(rich_utils, constant, translate(key, lang))


class LocalizedGroup(TyperGroup):
    """The top-level command group: localizes all help before parsing the command line."""

    def make_context(self, info_name, args, parent=None, **extra):
        localize(self, lang_of_args(args))
        return super().make_context(info_name, args, parent=parent, **extra)
