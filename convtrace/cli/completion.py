"""``convtrace completion SHELL``: the shell's completion script, printed, for the named shell.

Typer's own ``--install-completion`` guesses the shell from the parent process
and fails where it cannot (a container, a CI job, a shell started by an
editor); here the user names it.  The script calls ``convtrace`` back with
``_CONVTRACE_COMPLETE=complete_bash`` (or ``_zsh``, ``_fish``) and the words
typed so far; :class:`convtrace.cli.localize.LocalizedGroup` answers that.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from convtrace.cli.common import examples, h
from convtrace.messages.help import HELP_COMPLETION, HELP_SHELL

PROG_NAME = "convtrace"
COMPLETE_VAR = "_CONVTRACE_COMPLETE"


class Shell(str, Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def init_completion() -> None:
    """Register Typer's completion classes (its bash/zsh/fish protocol) with the framework."""
    from typer._completion_classes import completion_init

    completion_init()


def completion_script(shell: str) -> str:
    """The completion script for ``shell``, naming ``convtrace`` and ``_CONVTRACE_COMPLETE``."""
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name=PROG_NAME, complete_var=COMPLETE_VAR, shell=shell)


def register(app) -> None:
    app.command(
        "completion",
        help=h(HELP_COMPLETION),
        epilog=examples(
            "convtrace completion bash >> ~/.bashrc",
            "convtrace completion zsh > ~/.zfunc/_convtrace",
            "convtrace completion fish > ~/.config/fish/completions/convtrace.fish",
        ),
    )(completion)


def completion(
    shell: Annotated[Shell, typer.Argument(help=h(HELP_SHELL), metavar="SHELL", show_default=False)],
) -> None:
    sys.stdout.write(completion_script(shell.value) + "\n")
