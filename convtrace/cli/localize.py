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
"""

from __future__ import annotations

import errno
import re
import sys
import types
import typing
from collections.abc import Iterator, Sequence
from difflib import get_close_matches
from enum import Enum
from pathlib import Path

from rich.markup import escape
from typer import rich_utils
from typer._click import exceptions as click_exceptions
from typer._click.utils import PacifyFlushWrapper, _detect_program_name
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit

from convtrace.messages import LANGS, MESSAGES, Term, detect_lang, translate
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
    metavar_words,
)
from convtrace.messages.options import (
    ERROR_PREFIX,
    INTERRUPTED,
    USAGE_BAD_CHOICE,
    USAGE_BAD_VALUE,
    USAGE_DID_YOU_MEAN,
    USAGE_EXTRA_ARGS,
    USAGE_INVALID_VALUE,
    USAGE_MISSING_ARGUMENT,
    USAGE_MISSING_COMMAND,
    USAGE_MISSING_OPTION,
    USAGE_NEEDS_VALUE,
    USAGE_NO_SUCH_COMMAND,
    USAGE_NO_SUCH_OPTION,
    USAGE_NOT_NUMBER,
    USAGE_NOT_WHOLE,
    USAGE_OTHER,
    USAGE_OUT_OF_RANGE,
    USAGE_QUOTE_MATRIX,
    USAGE_RANGE_AT_LEAST,
    USAGE_RANGE_AT_MOST,
    USAGE_RANGE_BETWEEN,
    USAGE_SEE_HELP,
    USAGE_TAKES_NO_VALUE,
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


def metavar_in(text: str | None, lang: str) -> str | None:
    """A metavar (INPUT, MODE:SIZE, FILE …) with its words in ``lang``."""
    if not text or lang == "en":
        return text
    return re.sub(r"[A-Z]{2,}", lambda m: metavar_words.get(m.group(), {}).get(lang, m.group()), text)


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


def localize(command, lang: str) -> None:
    """Put ``command``'s help (and its subcommands') into ``lang``: texts, metavars, headings and the
    framework's own words ("Usage", "[default: …]", "[required]", the help option's text)."""
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
    for constant, key in _HEADINGS.items():
        setattr(rich_utils, constant, translate(key, lang))
    rich_utils.DEFAULT_STRING = "[" + translate(HELP_DEFAULT, lang) + ": {}]"
    rich_utils.REQUIRED_LONG_STRING = "[" + translate(HELP_REQUIRED, lang) + "]"
    rich_utils.ENVVAR_STRING = "[" + translate(HELP_ENVVAR, lang) + ": {}]"
    rich_utils.DEPRECATED_STRING = translate(HELP_DEPRECATED, lang) + " "
    rich_utils.RICH_HELP = escape(translate(HELP_TRY_HELP, lang, command="{command_path}", option="{help_option}"))
    rich_utils.highlighter.highlights = [*_BASE_HIGHLIGHTS, rf"(?P<usage>{re.escape(translate(HELP_USAGE, lang))}: )"]


_BASE_HIGHLIGHTS = [h for h in rich_utils.OptionHighlighter.highlights if "usage" not in h]


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
            option.help = translate(HELP_HELP_OPTION, _lang)
            if "display_type_rich" not in option.__dict__:
                option.display_type_rich = types.MethodType(_display_type, option)
        return option

    cmd.format_usage = format_usage
    cmd.get_help_option = get_help_option


def _line(text: str) -> None:
    """One line on standard error (control characters shown escaped, so it stays one line)."""
    from convtrace.cli.common import one_line, say

    say(one_line(text))


# ---------------------------------------------------------------- usage errors

def _chain(ctx) -> list:
    chain = []
    while ctx is not None:
        chain.append(ctx)
        ctx = ctx.parent
    return chain[::-1]


def _own_args(ctx, args: Sequence[str]) -> list[str] | None:
    """The part of the command line that ``ctx``'s command parsed (after its name)."""
    position = 0
    for sub in _chain(ctx)[1:]:
        try:
            position = list(args).index(sub.info_name, position) + 1
        except ValueError:
            return None
    return list(args[position:])


def _reparse(ctx, args: Sequence[str]):
    """(values by parameter name, leftover positionals) as ``ctx``'s parser sees the line, or None."""
    own = _own_args(ctx, args)
    if own is None:
        return None
    resilient = ctx.resilient_parsing
    ctx.resilient_parsing = True  # the parser keeps what it understood instead of failing again
    try:
        opts, largs, _ = ctx.command.make_parser(ctx).parse_args(own)
    except Exception:  # noqa: BLE001 — a best effort to quote the user's value; the error stands anyway
        return None
    finally:
        ctx.resilient_parsing = resilient
    return opts, largs


def _option_name(param) -> str:
    """How the user names ``param``: its long option (with the short one), or its metavar."""
    opts = list(getattr(param, "opts", []) or [])
    if getattr(param, "param_type_name", "") == "argument":
        return param.metavar or (param.name or "").upper()
    longs = [o for o in opts if o.startswith("--")]
    shorts = [o for o in opts if not o.startswith("--")]
    if longs and shorts:
        return f"{longs[0]} ({shorts[0]})"
    return (longs or shorts or [param.name or "?"])[0]


def _long_name(param) -> str:
    opts = list(getattr(param, "opts", []) or [])
    if getattr(param, "param_type_name", "") == "argument":
        return _option_name(param)
    longs = [o for o in opts if o.startswith("--")]
    return (longs or opts or [param.name or "?"])[0]


def _find_param(command, option_name: str):
    for param in getattr(command, "params", []):
        if option_name in (getattr(param, "opts", []) or []) or option_name in (
                getattr(param, "secondary_opts", []) or []):
            return param
    return None


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


def _suggestion(word: str, candidates: Sequence[str], lang: str) -> str:
    close = get_close_matches(word, list(candidates), n=3)
    if not close:
        return ""
    return translate(USAGE_DID_YOU_MEAN, lang, names=", ".join(close))


def _bad_value(err, value, lang: str) -> str:
    """A value the framework could not convert: a choice, a whole number, a number, a range."""
    param = err.param
    option = _long_name(param)
    if value is None:
        return translate(USAGE_INVALID_VALUE, lang, option=option)
    choices = _choices(param)
    if choices is not None:
        return translate(USAGE_BAD_CHOICE, lang, option=option, value=value, choices=", ".join(choices),
                         hint=_suggestion(str(value), choices, lang))
    desc = getattr(param, "type_descriptor", None)
    base = _base_type(getattr(desc, "annotation", None))
    info = getattr(desc, "parameter_info", None)
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if base in (int, float):
        try:
            number = int(str(value).strip()) if base is int else float(str(value).strip())
        except (ValueError, OverflowError):
            key = USAGE_NOT_WHOLE if base is int else USAGE_NOT_NUMBER
            example = low if low is not None and low > 0 else (1 if base is int else 0.5)
            return translate(key, lang, option=option, value=value, example=example)
        if low is not None and high is not None:
            bounds = Term(USAGE_RANGE_BETWEEN)
        elif low is not None:
            bounds = Term(USAGE_RANGE_AT_LEAST)
        else:
            bounds = Term(USAGE_RANGE_AT_MOST)
        if low is not None or high is not None:
            return translate(USAGE_OUT_OF_RANGE, lang, option=option, value=number,
                             range=translate(bounds, lang, low=low, high=high))
    return translate(USAGE_BAD_VALUE, lang, option=option, value=value)


def _value_of(err, args: Sequence[str]):
    """The text the user gave for ``err.param``, found by parsing the line again."""
    if err.ctx is None or err.param is None:
        return None
    parsed = _reparse(err.ctx, args)
    if parsed is None:
        return None
    value = parsed[0].get(err.param.name)
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    return value


def _param_help(param) -> str:
    text = " ".join((getattr(param, "help", None) or "").split())
    return text.rstrip(".") if text else "?"


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


def _command_names(command) -> str:
    return ", ".join(name for name, cmd in getattr(command, "commands", {}).items() if not cmd.hidden)


def _command_at(root, args: Sequence[str]):
    """The (sub)command ``args`` name and its path, following command names down from ``root``."""
    command, path = root, [root.name or "convtrace"]
    for arg in args:
        sub = getattr(command, "commands", {}).get(arg)
        if sub is None:
            if hasattr(command, "commands") and not arg.startswith("-"):
                break
            continue
        command, path = sub, [*path, arg]
    return command, " ".join(path)


def usage_message(err: click_exceptions.UsageError, args: Sequence[str], lang: str, root=None) -> str:
    """The usage error ``err`` (raised while parsing ``args``) as one line in ``lang``, without the prefix."""
    ctx = err.ctx
    if ctx is not None:
        command, where = ctx.command, ctx.command_path
    elif root is not None:  # the parser raises some errors without a context: find the command again
        command, where = _command_at(root, args)
    else:
        command, where = None, "convtrace"
    if isinstance(err, click_exceptions.NoSuchOption):
        candidates = [o for p in getattr(command, "params", []) for o in
                      (*(getattr(p, "opts", []) or []), *(getattr(p, "secondary_opts", []) or []))
                      if o.startswith("-")]
        close = list(err.possibilities or []) or get_close_matches(err.option_name, candidates, n=3)
        hint = translate(USAGE_DID_YOU_MEAN, lang, names=", ".join(sorted(close))) if close else ""
        message = translate(USAGE_NO_SUCH_OPTION, lang, option=err.option_name, hint=hint)
    elif isinstance(err, click_exceptions.BadOptionUsage):
        param = _find_param(command, err.option_name)
        if param is not None and getattr(param, "is_flag", False):
            message = translate(USAGE_TAKES_NO_VALUE, lang, option=err.option_name)
        else:
            metavar = _metavar(param) if param is not None else "VALUE"
            message = translate(USAGE_NEEDS_VALUE, lang, option=err.option_name, metavar=metavar)
    elif isinstance(err, click_exceptions.MissingParameter) and err.param is not None:
        key = USAGE_MISSING_ARGUMENT if err.param.param_type_name == "argument" else USAGE_MISSING_OPTION
        message = translate(key, lang, name=_option_name(err.param), help=_param_help(err.param))
    elif isinstance(err, click_exceptions.BadParameter) and err.param is not None:
        message = _bad_value(err, _value_of(err, args), lang)
    else:
        message = _unexpected(err, args, lang)
    return translate(USAGE_SEE_HELP, lang, message=message, command=where)


def _unexpected(err, args: Sequence[str], lang: str) -> str:
    """A plain usage error: a missing or unknown command, or extra arguments."""
    ctx = err.ctx
    parsed = _reparse(ctx, args) if ctx is not None else None
    if ctx is not None and parsed is not None:
        command = ctx.command
        _, largs = parsed
        if hasattr(command, "commands"):
            if not largs:
                return translate(USAGE_MISSING_COMMAND, lang, names=_command_names(command))
            if largs[0] not in command.commands:
                return translate(USAGE_NO_SUCH_COMMAND, lang, name=largs[0],
                                 hint=_suggestion(largs[0], list(command.commands), lang),
                                 names=_command_names(command))
        else:
            extra = largs  # what the command's arguments left over
            if extra:
                takes_input = any(p.name == "input" for p in command.params)
                return translate(USAGE_EXTRA_ARGS, lang, n=len(extra), args=" ".join(repr(a) for a in extra),
                                 hint=Term(USAGE_QUOTE_MATRIX) if takes_input else "")
    return translate(USAGE_OTHER, lang, message=err.format_message())


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
        localize(self, lang_of_args(args))
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
