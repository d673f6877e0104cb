"""The command-line framework's usage errors as one line in the language of the invocation.

An unknown option, a bad choice, a missing argument …: :func:`usage_message` builds the line
from the exception's attributes (the option, the parameter, the value found by parsing the
command line again), never from the framework's English text.
:class:`convtrace.cli.localize.LocalizedGroup` catches the errors and writes the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import get_close_matches

from typer._click import exceptions as click_exceptions

from convtrace.cli.common import EmptyOptionValue
from convtrace.cli.localize import _base_type, _choices, _metavar
from convtrace.messages import Term, translate
from convtrace.messages.options import (
    USAGE_BAD_CHOICE,
    USAGE_BAD_VALUE,
    USAGE_DID_YOU_MEAN,
    USAGE_EMPTY_VALUE,
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


def _suggestion(word: str, candidates: Sequence[str], lang: str) -> str:
    by_lower = {c.lower(): c for c in candidates}  # "Jsn" is as close to "json" as "jsn" is
    close = [by_lower[c] for c in get_close_matches(word.lower(), list(by_lower), n=3)]
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
        # Closest first: click lists its guesses alphabetically (--strid → "--lang, --padding, --stride").
        close = get_close_matches(err.option_name, list(err.possibilities or []) or candidates, n=3, cutoff=0.7)
        hint = translate(USAGE_DID_YOU_MEAN, lang, names=", ".join(close)) if close else ""
        message = translate(USAGE_NO_SUCH_OPTION, lang, option=err.option_name, hint=hint)
    elif isinstance(err, EmptyOptionValue):
        param = _find_param(command, err.option_name)
        metavar = _metavar(param) if param is not None else "VALUE"
        message = translate(USAGE_EMPTY_VALUE, lang, option=err.option_name, metavar=metavar, shown=repr(err.value))
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

