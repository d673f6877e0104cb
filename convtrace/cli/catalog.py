"""``convtrace kernels`` and ``convtrace modes``: what convtrace knows, to read before computing."""

from __future__ import annotations

from typing import Annotated

import typer

from convtrace.cli.common import (
    KernelsDirOpt,
    LangOpt,
    console,
    examples,
    h,
    language,
    say,
    user_errors,
)
from convtrace.messages import translate
from convtrace.messages.help import HELP_KERNEL_NAME, HELP_KERNELS, HELP_KERNELS_SHOW, HELP_MODES
from convtrace.messages.parsing import KERNEL_FILE_SKIPPED


def register(app) -> None:
    kernels_app = typer.Typer(help=h(HELP_KERNELS), no_args_is_help=False, rich_markup_mode="rich")
    app.add_typer(kernels_app, name="kernels")
    kernels_app.callback(invoke_without_command=True,
                         epilog=examples("convtrace kernels", "convtrace kernels show sobel-x",
                                         "convtrace kernels --lang es"))(kernels_list)
    kernels_app.command("show", help=h(HELP_KERNELS_SHOW),
                        epilog=examples("convtrace kernels show gaussian-3",
                                        "convtrace kernels show enfocar --lang es"))(kernels_show)
    app.command(help=h(HELP_MODES), epilog=examples("convtrace modes", "convtrace modes --lang es"))(modes)


def kernels_list(ctx: typer.Context, lang: LangOpt = None, kernels_dir: KernelsDirOpt = None) -> None:
    if ctx.invoked_subcommand is not None:
        return
    lang_code = language(lang)
    with user_errors(lang_code):
        from convtrace.kernels import KernelLibrary
        from convtrace.render.catalog import kernels_table

        library = KernelLibrary(kernels_dir)
        console().print(kernels_table(library, lang_code))
        for error in library.broken.values():  # the kernels that work are listed; these say why not
            say(translate(KERNEL_FILE_SKIPPED, lang_code, reason=error.message(lang_code)))


def kernels_show(
    name: Annotated[str, typer.Argument(help=h(HELP_KERNEL_NAME), metavar="NAME", show_default=False)],
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    lang_code = language(lang)
    with user_errors(lang_code):
        from convtrace.kernels import KernelLibrary
        from convtrace.render.catalog import kernel_panel

        console().print(kernel_panel(KernelLibrary(kernels_dir).get(name), lang_code))


def modes(lang: LangOpt = None) -> None:
    from convtrace.render.catalog import modes_tables

    console().print(*modes_tables(language(lang)))
