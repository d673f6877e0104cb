"""Help and usage errors in the language of the invocation.

Help texts are written in English when the commands are declared; before
Typer parses a command line, :class:`LocalizedGroup` finds the language it
asks for (``--lang`` anywhere on the line, else LC_ALL / LC_MESSAGES / LANG)
and swaps every help text, epilog and help heading for its translation.

The command-line framework's own usage errors (an unknown option, a bad
choice, a missing argument …) are caught by :meth:`LocalizedGroup.main` and
written, like every other error, as one line on standard error in that
language, with exit status 2; the line is built from the exception's
attributes (the option, the parameter, the value on the command line), never
from the framework's English text.  Ctrl-C is one line, "interrupted", and
exit status 130.

That line is built in :mod:`convtrace.cli.usage` (imported when an error
happens; ``usage_message`` is still importable from here); this module keeps
the help's translation, the naming of option values shared by both, and the
group that catches the errors.
"""

from __future__ import annotations

import errno
import re
import sys
import types
import typing
from collections.abc import Iterator, Sequence
from enum import Enum
from pathlib import Path

from rich.markup import escape
from typer._click import exceptions as click_exceptions
from typer._click.utils import PacifyFlushWrapper, _detect_program_name
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit

from convtrace.messages import LANGS, MESSAGES, detect_lang, translate
from convtrace.messages.help import (
    HELP_ABORTED,
    HELP_DEFAULT,
    HELP_DEPRECATED,
    HELP_ENVVAR,
    HELP_EXAMPLES,
    HELP_HEADING_ARGUMENTS,
    HELP_HEADING_COMMANDS,
    HELP_HEADING_ERROR,
    HELP_HEADING_OPTIONS,
    HELP_HELP_OPTION,
    HELP_REQUIRED,
    HELP_TRY_HELP,
    HELP_USAGE,
    metavar_in,
)
from convtrace.messages.options import (
    ERROR_PREFIX,
    INTERRUPTED,
)

#: Typer's help headings and the message keys that translate them.
_HEADINGS = {
    "ARGUMENTS_PANEL_TITLE": HELP_HEADING_ARGUMENTS,
    "OPTIONS_PANEL_TITLE": HELP_HEADING_OPTIONS,
    "COMMANDS_PANEL_TITLE": HELP_HEADING_COMMANDS,
    "ERRORS_PANEL_TITLE": HELP_HEADING_ERROR,
    "ABORTED_TEXT": HELP_ABORTED,
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
    """A help text in ``lang``, its brackets escaped so Rich prints them (``convtrace[cuda]``)."""
    if not text:
        return text
    key = index.get(text)
    if key is not None:
        return escape(translate(key, lang))
    examples = f"[bold]{translate(HELP_EXAMPLES, 'en')}:[/bold]"
    if text.startswith(examples):  # an epilog of examples (common.examples escaped its lines)
        return f"[bold]{translate(HELP_EXAMPLES, lang)}:[/bold]" + text[len(examples):]
    return escape(text)


def _commands(command) -> Iterator:
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


def _keep_english(obj, name: str) -> str | None:
    originals = obj.__dict__.setdefault(_ORIGINAL, {})
    if name not in originals:
        originals[name] = getattr(obj, name, None)
    return originals[name]


#: The language the help is being shown in (set by :func:`localize`).
_lang = "en"

#: Typer's own help console maker, kept before :func:`_help_console` replaces it.
_typer_console = None


def _help_console(stderr: bool = False):
    """Typer's help console, without the padding Rich leaves at line ends when the help is piped."""
    from convtrace.cli.common import _TrimmedLines

    console = _typer_console(stderr=stderr)
    if not console.is_terminal:
        console.file = _TrimmedLines(console.file)
    return console


def localize(command, lang: str) -> None:
    """Put ``command``'s help (and its subcommands') into ``lang``: texts, metavars, headings and the
    framework's own words ("Usage", "[default: …]", "[required]", the help option's text).

    The help's headings and words live in Typer's help formatter, which imports Rich's Markdown and
    traceback modules; it is set up (:func:`_localize_help_formatter`) only when a help is shown."""
    global _lang
    _lang = lang
    index = _english_keys()
    for cmd in _commands(command):
        for name in ("help", "epilog", "short_help"):
            setattr(cmd, name, _translated(_keep_english(cmd, name), lang, index))
        if getattr(cmd, "options_metavar", None):
            cmd.options_metavar = metavar_in(_keep_english(cmd, "options_metavar"), lang)
        if getattr(cmd, "subcommand_metavar", None):
            cmd.subcommand_metavar = metavar_in(_keep_english(cmd, "subcommand_metavar"), lang)
        _install(cmd)
        for param in cmd.params:
            _localize_param(param, lang, index)


def _localize_help_formatter(lang: str) -> None:
    """Typer's help formatter (``typer.rich_utils``) in ``lang``: headings, "[default: …]", the usage
    highlight, and a console without trailing padding when piped."""
    global _typer_console
    from typer import rich_utils

    if _typer_console is None:
        _typer_console = rich_utils._get_rich_console
        rich_utils._get_rich_console = _help_console
    for constant, key in _HEADINGS.items():
        setattr(rich_utils, constant, translate(key, lang))
    rich_utils.DEFAULT_STRING = "[" + translate(HELP_DEFAULT, lang) + ": {}]"
    rich_utils.REQUIRED_LONG_STRING = "[" + translate(HELP_REQUIRED, lang) + "]"
    rich_utils.ENVVAR_STRING = "[" + translate(HELP_ENVVAR, lang) + ": {}]"
    rich_utils.DEPRECATED_STRING = translate(HELP_DEPRECATED, lang) + " "
    rich_utils.RICH_HELP = escape(translate(HELP_TRY_HELP, lang, command="{command_path}", option="{help_option}"))
    base = [h for h in rich_utils.OptionHighlighter.highlights if "usage" not in h]
    rich_utils.highlighter.highlights = [*base, rf"(?P<usage>{re.escape(translate(HELP_USAGE, lang))}: )"]


def _localize_param(param, lang: str, index: dict[str, str]) -> None:
    if hasattr(param, "help"):
        param.help = _translated(_keep_english(param, "help"), lang, index)
    if getattr(param, "metavar", None) is not None:
        param.metavar = metavar_in(_keep_english(param, "metavar"), lang)
    if "display_type_rich" not in param.__dict__:
        param.display_type_rich = types.MethodType(_display_type, param)
        param._get_number_range_help_str = types.MethodType(_range_text, param)


def _display_type(param, ctx=None) -> str | None:
    """What an option's value is, for the help's second column: its metavar (N, FILE, I,J, MODE:SIZE),
    its choices (table|json|…), or nothing for a switch or an argument (named in the first column);
    never a Python type name such as <str>."""
    if getattr(param, "param_type_name", "") == "argument" or getattr(param, "is_flag", False):
        return None
    return _metavar(param)


def _range_text(param) -> str | None:
    """An option's allowed range with its metavar: N≥0, 0≤N≤15."""
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is None and high is None:
        return None
    name = _metavar(param)
    if low is not None and high is not None:
        return f"{low}≤{name}≤{high}"
    return f"{name}≥{low}" if low is not None else f"{name}≤{high}"


# ---------------------------------------------------------------- how an option's value is named

def _base_type(annotation):
    """``int | None`` → int; ``list[str]`` → str."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        parts = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _base_type(parts[0]) if len(parts) == 1 else annotation
    if origin in (list, tuple):
        args = typing.get_args(annotation)
        return _base_type(args[0]) if args else annotation
    return annotation


def _choices(param) -> list[str] | None:
    desc = getattr(param, "type_descriptor", None)
    choices = getattr(desc, "choices", None) if desc is not None else None
    if not choices:
        return None
    return [str(c.value) if isinstance(c, Enum) else str(c) for c in choices]


#: Metavars of options declared without one, by parameter name (an explicit metavar wins).
_NAMED_METAVARS = {
    "kernel": "KERNEL", "padding": "P", "pad_mode": "MODE", "pad_value": "V", "stride": "S",
    "pool_stride": "S", "dilation": "D", "pattern": "PATTERN", "answer": "FILE|MATRIX", "size": "SIZE",
    "values": "LOW..HIGH", "seed": "N",
}


def _metavar(param) -> str:
    """How the help and the errors name an option's value: its metavar, its choices, or N, X, FILE, VALUE."""
    if getattr(param, "metavar", None):
        return param.metavar
    choices = _choices(param)
    if choices is not None:
        return "|".join(choices)
    desc = getattr(param, "type_descriptor", None)
    base = _base_type(getattr(desc, "annotation", None))
    if (param.name or "") in _NAMED_METAVARS:
        return metavar_in(_NAMED_METAVARS[param.name], _lang)
    if getattr(desc, "is_path", False) or base is Path:
        return metavar_in("DIR" if "dir" in (param.name or "") else "FILE", _lang)
    return metavar_in({int: "N", float: "X"}.get(base, "VALUE"), _lang)



def _install(cmd) -> None:
    """The usage line's "Usage:" and the help option's text, in the language of the invocation."""
    if "format_usage" in cmd.__dict__:
        return

    def format_usage(ctx, formatter, _cmd=cmd):
        pieces = _cmd.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=translate(HELP_USAGE, _lang) + ": ")

    original = cmd.get_help_option

    def get_help_option(ctx, _original=original):
        option = _original(ctx)
        if option is not None:
            from convtrace.cli.coercion import install_param

            install_param(option)
            option.help = translate(HELP_HELP_OPTION, _lang)
            if "display_type_rich" not in option.__dict__:
                option.display_type_rich = types.MethodType(_display_type, option)
        return option

    original_help = cmd.format_help

    def format_help(ctx, formatter, _original=original_help):
        _localize_help_formatter(_lang)
        return _original(ctx, formatter)

    cmd.format_usage = format_usage
    cmd.get_help_option = get_help_option
    cmd.format_help = format_help


def _line(text: str) -> None:
    """One line on standard error (control characters shown escaped, so it stays one line)."""
    from convtrace.cli.common import one_line, say

    say(one_line(text))



def __getattr__(name: str):
    """``usage_message`` from here, as before it moved to :mod:`convtrace.cli.usage` (which imports
    this module, so it is looked up on first use)."""
    if name == "usage_message":
        from convtrace.cli.usage import usage_message

        return usage_message
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Click 8's spelling of the completion instructions ("bash_complete") and Typer's ("complete_bash").
_SHELLS = ("bash", "zsh", "fish")


def _shell_completion(group, extra, prog_name: str, complete_var: str | None) -> None:
    """Answer the shell's completion request, if this run is one (and exit); else return."""
    import os

    var = complete_var or f"_{prog_name}_COMPLETE".replace("-", "_").upper()
    instruction = os.environ.get(var)
    if not instruction:
        return
    first, _, second = instruction.partition("_")
    if first in _SHELLS:  # Click 8 style: bash_complete / bash_source
        os.environ[var] = f"{second}_{first}"
    from convtrace.cli.completion import init_completion

    init_completion()
    group._main_shell_completion(extra, prog_name, complete_var)


class LocalizedGroup(TyperGroup):
    """The top-level command group: localizes all help before parsing, and every usage error after."""

    def make_context(self, info_name, args, parent=None, **extra):
        from convtrace.cli.coercion import install

        localize(self, lang_of_args(args))
        install(self)
        return super().make_context(info_name, args, parent=parent, **extra)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra):
        """Typer's ``main`` with one-line, localized usage errors (exit 2) and Ctrl-C (exit 130).

        Anything else unexpected still propagates with its traceback: that is a bug to report.
        """
        extra.pop("windows_expand_args", None)
        args = list(sys.argv[1:] if args is None else args)
        if prog_name is None:
            prog_name = _detect_program_name()
        _shell_completion(self, extra, prog_name, complete_var)
        lang = lang_of_args(args)
        try:
            try:
                with self.make_context(prog_name, args, **extra) as ctx:
                    rv = self.invoke(ctx)
                    if not standalone_mode:
                        return rv
                    ctx.exit()
            except click_exceptions.NoArgsIsHelpError as err:
                if not standalone_mode:
                    raise
                sys.exit(err.exit_code)  # the help is already shown
            except click_exceptions.UsageError as err:
                if not standalone_mode:
                    raise
                from convtrace.cli.usage import usage_message

                _line(f"{translate(ERROR_PREFIX, lang)}: {usage_message(err, args, lang, self)}")
                sys.exit(2)
            except click_exceptions.ClickException as err:
                if not standalone_mode:
                    raise
                _line(f"{translate(ERROR_PREFIX, lang)}: {err.format_message()}")
                sys.exit(err.exit_code)
            except (KeyboardInterrupt, Abort):
                if not standalone_mode:
                    raise
                sys.stdout.flush()
                _line(translate(INTERRUPTED, lang))
                sys.exit(130)
            except OSError as err:
                if err.errno != errno.EPIPE:
                    raise
                sys.stdout = PacifyFlushWrapper(sys.stdout)
                sys.stderr = PacifyFlushWrapper(sys.stderr)
                sys.exit(1)
        except Exit as err:
            if standalone_mode:
                sys.exit(err.exit_code)
            return err.exit_code
