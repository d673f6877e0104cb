"""``convtrace batch``: filter a folder of images into another, safely."""

from __future__ import annotations

import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from convtrace.cli.common import (
    DEFAULT_DEVICE,
    DeviceOpt,
    DilationOpt,
    FlipOpt,
    KernelsDirOpt,
    LangOpt,
    PadValueOpt,
    StrideOpt,
    err_console,
    examples,
    h,
    language,
    lines_above,
    load_kernel,
    say,
    user_errors,
)
from convtrace.errors import ConvtraceValueError
from convtrace.messages import translate
from convtrace.messages.batch import (
    BATCH_ALPHA_DROPPED,
    BATCH_DRY_RUN,
    BATCH_EMPTY_FOLDER,
    BATCH_FAILED_ITEM,
    BATCH_IGNORED,
    BATCH_INTERRUPTED,
    BATCH_NEEDS_STEP,
    BATCH_NO_IMAGES,
    BATCH_SUMMARY,
    BATCH_URL_NEEDS_SCHEDULER,
    HELP_CONNECT_TIMEOUT,
    HELP_SCHEDULER,
)
from convtrace.messages.help import (
    HELP_BATCH,
    HELP_BATCH_PAD_MODE,
    HELP_BATCH_PADDING,
    HELP_CHANNELS,
    HELP_CHECK_POOL,
    HELP_DRY_RUN,
    HELP_IN_DIR,
    HELP_JSON,
    HELP_KERNEL,
    HELP_OUT_DIR,
    HELP_OUT_FORMAT,
    HELP_OVERWRITE,
    HELP_PATTERN,
    HELP_POOL_STRIDE,
    HELP_QUIET,
    HELP_RANGE,
    HELP_RECURSIVE,
    HELP_WORKERS,
)
from convtrace.syntax import parse_number_option


class Channels(str, Enum):
    per = "per"
    sum = "sum"
    gray = "gray"


class RangeMode(str, Enum):
    clip = "clip"
    abs = "abs"
    normalize = "normalize"


class ImageFormat(str, Enum):
    same = "same"
    png = "png"
    jpg = "jpg"
    jpeg = "jpeg"  # the same as jpg (files named .jpg)


def register(app) -> None:
    app.command(
        help=h(HELP_BATCH),
        epilog=examples(
            "convtrace batch photos/ sharpened/ -k sharpen",
            "convtrace batch dataset/ edges/ -k sobel-x --range abs --recursive --pattern '*.png'",
            "convtrace batch photos/ thumbs/ --pool avg:4 --format jpg",
            "convtrace batch photos/ out/ -k gaussian-5 --pool max:2 --dry-run",
            "convtrace batch /shared/scans/ /shared/edges/ -k sobel-x --scheduler tcp://head:8786",
        ),
    )(batch)


def remember_order(ctx: typer.Context, param, value):
    """Click runs callbacks in command-line order: remember whether -k or --pool came first."""
    if value is not None:
        ctx.meta.setdefault("convtrace_step_order", []).append(param.name)
    return value


def batch(
    ctx: typer.Context,
    in_dir: Annotated[str, typer.Argument(help=h(HELP_IN_DIR), metavar="IN", show_default=False)],
    out_dir: Annotated[str, typer.Argument(help=h(HELP_OUT_DIR), metavar="OUT", show_default=False)],
    kernel: Annotated[str | None, typer.Option("--kernel", "-k", help=h(HELP_KERNEL), show_default=False,
                                               callback=remember_order)] = None,
    pool: Annotated[str | None, typer.Option("--pool", help=h(HELP_CHECK_POOL), metavar="MODE:SIZE",
                                             show_default=False, callback=remember_order)] = None,
    padding: Annotated[str, typer.Option("--padding", "-p", help=h(HELP_BATCH_PADDING))] = "same",
    pad_mode: Annotated[str, typer.Option("--pad-mode", "-m", help=h(HELP_BATCH_PAD_MODE))] = "replicate",
    pad_value: PadValueOpt = "0",
    stride: StrideOpt = "1",
    dilation: DilationOpt = "1",
    flip: FlipOpt = False,
    pool_stride: Annotated[str | None, typer.Option("--pool-stride", help=h(HELP_POOL_STRIDE),
                                                    show_default=False)] = None,
    recursive: Annotated[bool, typer.Option("--recursive", "-r", help=h(HELP_RECURSIVE))] = False,
    pattern: Annotated[str | None, typer.Option("--pattern", help=h(HELP_PATTERN), show_default=False)] = None,
    channels: Annotated[Channels, typer.Option("--channels", help=h(HELP_CHANNELS), case_sensitive=False)] = Channels.per,
    range_mode: Annotated[RangeMode, typer.Option("--range", help=h(HELP_RANGE), case_sensitive=False)] = RangeMode.clip,
    format: Annotated[ImageFormat, typer.Option("--format", "-f", help=h(HELP_OUT_FORMAT), case_sensitive=False)] = ImageFormat.same,
    workers: Annotated[int, typer.Option("--workers", "-j", min=0, help=h(HELP_WORKERS))] = 0,
    device: DeviceOpt = DEFAULT_DEVICE,
    overwrite: Annotated[bool, typer.Option("--overwrite", help=h(HELP_OVERWRITE))] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=h(HELP_DRY_RUN))] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=h(HELP_QUIET))] = False,
    json_summary: Annotated[bool, typer.Option("--json", help=h(HELP_JSON))] = False,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help=h(HELP_SCHEDULER), metavar="ADDRESS",
                                                  show_default=False)] = None,
    connect_timeout: Annotated[float, typer.Option("--connect-timeout", min=0.1, metavar="SECONDS",
                                                   help=h(HELP_CONNECT_TIMEOUT))] = 10.0,
    lang: LangOpt = None,
    kernels_dir: KernelsDirOpt = None,
) -> None:
    lang_code = language(lang)
    if format is ImageFormat.jpeg:
        format = ImageFormat.jpg
    with user_errors(lang_code, quiet=quiet or json_summary):
        from convtrace import batch as batching
        from convtrace.spec import ConvSpec, PoolSpec
        from convtrace.syntax import parse_pool_step

        for name, folder in (("IN", in_dir), ("OUT", out_dir)):
            if not folder.strip():  # "$OUT" unset: '' would be the current folder
                raise ConvtraceValueError(BATCH_EMPTY_FOLDER, name=name, shown=repr(folder))
        if kernel is None and pool is None:
            raise ConvtraceValueError(BATCH_NEEDS_STEP)
        if device.value == "cuda":
            from convtrace.arrays import resolve_device

            resolve_device("cuda", 0)  # a clear error now, not one per image
        steps = {}
        if kernel is not None:
            spec = ConvSpec(padding=padding, pad_mode=pad_mode, pad_value=parse_number_option(pad_value, "--pad-value"), stride=stride,
                            dilation=dilation, flip=flip)
            steps["kernel"] = batching.KernelStep(load_kernel(kernel, kernels_dir), spec)
        if pool is not None:
            mode, size = parse_pool_step(pool)
            steps["pool"] = PoolSpec(size=size, mode=mode, stride=pool_stride)
        order = [name for name in ctx.meta.get("convtrace_step_order", []) if name in steps]
        plan = batching.BatchPlan(steps=tuple(steps[name] for name in order), channels=channels.value,
                                  range_mode=range_mode.value, out_format=format.value, overwrite=overwrite,
                                  device=device.value)
        if scheduler is not None:
            summary, folder_errors, ignored = on_cluster(batching, in_dir, out_dir, plan, recursive, pattern,
                                                         format.value, dry_run, quiet or json_summary, lang_code,
                                                         scheduler, connect_timeout)
        else:
            from convtrace.cluster import is_url

            for folder in (in_dir, out_dir):
                if is_url(folder):
                    raise ConvtraceValueError(BATCH_URL_NEEDS_SCHEDULER, where=batching.shown(folder))
            summary, folder_errors, ignored = on_this_machine(batching, Path(in_dir), Path(out_dir), plan,
                                                              recursive, pattern, format.value, workers, dry_run,
                                                              quiet or json_summary, lang_code)
        summary.outcomes[:0] = folder_errors
        summary.ignored = ignored
        report(summary, dry_run, quiet, json_summary, lang_code)
        raise typer.Exit(1 if summary.count("failed") else 0)


def on_this_machine(batching, in_dir, out_dir, plan, recursive, pattern, out_format, workers, dry_run, quiet, lang):
    # Everything that can be checked without the images is checked once, before any is read
    # and before anything is written: folders, settings, OUT's record of an earlier run, OUT itself.
    batching.check_folders(in_dir, out_dir, recursive)
    batching.check_plan(plan)
    folder_errors: list = []
    ignored: list = []
    found = batching.find_images(in_dir, recursive, pattern, folder_errors, ignored)
    if not found and not folder_errors:
        raise ConvtraceValueError(BATCH_NO_IMAGES, where=batching.shown(in_dir),
                                  pattern=f" ({batching.shown(pattern)})" if pattern else "")
    jobs = [(src, batching.target_for(rel, out_dir, out_format)) for src, rel in found]
    batching.check_distinct_targets(jobs)
    record = batching.check_manifest(out_dir, plan) if out_dir.is_dir() else True
    batching.prepare_out(out_dir, dry_run)
    if record and not dry_run:
        batching.write_manifest(out_dir, plan)
    runner = lambda advance: batching.run(jobs, plan, workers, progress=advance, dry_run=dry_run,  # noqa: E731
                                          forbidden=in_dir.resolve())
    return run_with_progress(runner, len(jobs), dry_run, quiet, lang), folder_errors, ignored


def on_cluster(batching, in_arg, out_arg, plan, recursive, pattern, out_format, dry_run, quiet, lang,
               scheduler, timeout):
    """The same checks as on one machine, from the client; then one Dask task per image."""
    from convtrace import cluster

    cluster.parse_scheduler(scheduler)  # a wrong address is wrong with or without Dask
    cluster.require_dask()
    urls = cluster.is_url(in_arg) or cluster.is_url(out_arg)
    in_dir = in_arg if cluster.is_url(in_arg) else cluster.local_path(in_arg)
    out_dir = out_arg if cluster.is_url(out_arg) else cluster.local_path(out_arg)
    folder_errors: list = []
    ignored: list = []  # files of a local IN only
    forbidden = None
    if urls:
        cluster.check_url_folders(str(in_dir), str(out_dir))
        batching.check_plan(plan)
        if cluster.is_url(in_arg):
            found = cluster.find_url_images(in_dir, recursive, pattern, folder_errors)
        else:
            found = [(str(src), rel.as_posix()) for src, rel in batching.find_images(in_dir, recursive, pattern,
                                                                                     folder_errors, ignored)]
    else:
        batching.check_folders(in_dir, out_dir, recursive)
        batching.check_plan(plan)
        found = batching.find_images(in_dir, recursive, pattern, folder_errors, ignored)
        forbidden = in_dir.resolve()
    if not found and not folder_errors:
        raise ConvtraceValueError(BATCH_NO_IMAGES, where=batching.shown(in_arg),
                                  pattern=f" ({batching.shown(pattern)})" if pattern else "")
    if urls:
        jobs = [(src, cluster.url_target(str(rel), str(out_dir), out_format)) for src, rel in found]
    else:
        jobs = [(src, batching.target_for(rel, out_dir, out_format)) for src, rel in found]
    batching.check_distinct_targets(jobs)
    if dry_run:
        if urls:
            cluster.prepare_url_out(str(out_dir), plan, dry_run=True)
        else:
            if out_dir.is_dir():
                batching.check_manifest(out_dir, plan)
            batching.prepare_out(out_dir, dry_run=True)
        return cluster.dry_run(jobs, plan, forbidden), folder_errors, ignored
    # Refuse other settings before connecting; write the record only once a scheduler answers.
    record = (not urls) and (batching.check_manifest(out_dir, plan) if out_dir.is_dir() else True)
    client, local = cluster.connect(scheduler, timeout)
    run_id = cluster.new_run_id()
    try:
        if not urls:
            batching.prepare_out(out_dir)
        if urls:
            cluster.prepare_url_out(str(out_dir), plan)
        elif record:
            batching.write_manifest(out_dir, plan)
        runner = lambda advance: cluster.run(jobs, plan, client, progress=advance,  # noqa: E731
                                             forbidden=forbidden, run_id=run_id)
        return run_with_progress(runner, len(jobs), dry_run, quiet, lang), folder_errors, ignored
    finally:
        cluster.close(client, local)
        # A local cluster's workers stopped mid-write (Ctrl-C) leave temporary files: this run's go.
        cluster.remove_temps([t for _, t in jobs], run_id)


def run_with_progress(runner, total, dry_run, quiet, lang):
    """``runner(advance)`` (one machine or a cluster) with the Rich progress bar fed as images finish."""
    errors = err_console()
    show = not quiet and not dry_run and errors.is_terminal
    try:
        if not show:  # no bar to draw (quiet, piped): Rich's progress module is not even imported
            return runner(lambda outcome: None)
        return _run_with_bar(runner, total, errors)
    except KeyboardInterrupt:
        errors.print(translate(BATCH_INTERRUPTED, lang), markup=False)
        raise typer.Exit(130) from None


def _run_with_bar(runner, total, errors):
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} img/s"), TimeRemainingColumn()]
    with Progress(*columns, console=errors, transient=False) as bar, lines_above(errors):
        task = bar.add_task("convtrace batch", total=total, rate="—")
        started = time.perf_counter()

        def advance(outcome):
            elapsed = time.perf_counter() - started
            done = bar.tasks[0].completed + 1
            bar.update(task, advance=1, rate=f"{done / elapsed:.1f}" if elapsed > 0 else "—")

        return runner(advance)


#: Files a summary line names (then a count of the others).
NAMES_SHOWN = 3


def _some_names(paths) -> str:
    from convtrace.batch import shown

    more = len(paths) - NAMES_SHOWN
    return ", ".join(shown(path) for path in paths[:NAMES_SHOWN]) + (f" (+{more})" if more > 0 else "")


def report(summary, dry_run, quiet, json_summary, lang):
    from convtrace.batch import shown

    if json_summary:
        text = json.dumps(summary.as_dict(), ensure_ascii=False, indent=2)
        try:
            text.encode(sys.stdout.encoding or "utf-8")
        except (UnicodeEncodeError, LookupError):  # names that are not valid text: JSON escapes
            text = json.dumps(summary.as_dict(), ensure_ascii=True, indent=2)
        sys.stdout.write(text + "\n")
        return
    for outcome in summary.outcomes:
        if outcome.status == "failed":
            say(translate(BATCH_FAILED_ITEM, lang, file=shown(outcome.source), reason=shown(outcome.message(lang))))
    if quiet:
        return
    if summary.ignored:
        say(translate(BATCH_IGNORED, lang, count=len(summary.ignored), names=_some_names(summary.ignored)))
    flattened = sorted(o.source for o in summary.outcomes if o.dropped_alpha)
    if flattened:
        suffix = next(o.target.suffix.lower() for o in summary.outcomes if o.dropped_alpha)
        say(translate(BATCH_ALPHA_DROPPED, lang, count=len(flattened), names=_some_names(flattened),
                      fmt="JPEG" if suffix in (".jpg", ".jpeg") else suffix[1:].upper()))
    if dry_run:
        from rich.console import Console

        out = Console(highlight=False, soft_wrap=True, emoji=False)
        for outcome in summary.outcomes:
            if outcome.status == "planned":
                out.print(f"{shown(outcome.source)} → {shown(outcome.target)}", markup=False)
        out.print(translate(BATCH_DRY_RUN, lang, planned=summary.count("planned"),
                            skipped=summary.count("skipped")), markup=False)
        return
    stats = summary.as_dict()

    def decimal(value: float) -> str:  # "en 2,5 s (80,4 imágenes/s)" in Spanish
        text = f"{value:.1f}"
        return text.replace(".", ",") if lang == "es" else text

    rate = stats["images_per_second"]  # None when nothing was made (a resumed batch): no rate to give
    say(translate(BATCH_SUMMARY, lang, done=stats["done"], skipped=stats["skipped"], failed=stats["failed"],
                  seconds=decimal(stats["seconds"]), rate="—" if rate is None else decimal(rate)))
