"""Every command's --help at 80 columns, in English and Spanish: no type names, nothing cut or swallowed,
the framework's words in the invocation's language, each option's text right for its command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = [[], ["conv"], ["pool"], ["tconv"], ["check"], ["quiz"], ["net"], ["relu"], ["softmax"], ["flatten"],
            ["batch"], ["kernels"], ["kernels", "show"], ["modes"], ["completion"], ["gallery"]]
HELP_ENV = {"NO_COLOR": "1", "COLUMNS": "80", "TERMINAL_WIDTH": "80", "LC_ALL": "", "CONVTRACE_KERNELS": ""}


def _help(run, command, lang):
    result = run(*command, "--help", env={**HELP_ENV, "LANG": "es_ES.UTF-8" if lang == "es" else "en_US.UTF-8"})
    assert result.exit_code == 0, result.output
    return result.output


def _flat(text: str) -> str:
    """The help's words with the panels' borders and line breaks taken out."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def _option_text(text: str, option: str) -> str:
    """The help of ``option`` in a Rich options panel: its row and the rows after it, up to the next option."""
    rows = [line.strip("│ ").rstrip() for line in text.splitlines()]
    start = next(n for n, row in enumerate(rows) if re.match(rf"^\*?\s*{re.escape(option)}(\s|$)", row))
    chunk = [rows[start]]
    for row in rows[start + 1:]:
        if re.match(r"^\*?\s*--", row) or row.startswith("╰"):
            break
        chunk.append(row)
    return " ".join(" ".join(chunk).split())


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "convtrace")
def test_help_fits_80_columns_without_type_names(run, command, lang):
    text = _help(run, command, lang)
    for bad in ("<str>", "<bool>", "<int", "<float", "<list", "<path>", "list[", "<Path"):
        assert bad not in text, (bad, text)
    assert max(len(line) for line in text.splitlines()) <= 80


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "convtrace")
def test_spanish_help_has_spanish_framework_words(run, command):
    text = _flat(_help(run, command, "es"))
    assert "Uso: convtrace" in text and "Usage" not in text
    assert "Muestra este mensaje y sale." in text and "Show this message" not in text
    assert "Options" not in text and "Opciones" in text
    for english in ("[default:", "[required]", "[OPTIONS]", "Arguments", "Commands"):
        assert english not in text, english


@pytest.mark.parametrize("command", [["conv"], ["pool"], ["check"], ["quiz"], ["batch"]])
def test_defaults_and_required_in_spanish(run, command):
    text = _flat(_help(run, command, "es"))
    assert "[por defecto:" in text
    if command in (["conv"], ["pool"], ["batch"]):
        assert "[obligatorio]" in text


def test_english_help_words(run):
    text = _flat(_help(run, ["conv"], "en"))
    assert "Usage: convtrace conv [OPTIONS]" in text
    assert "[default: 0]" in text and "[required]" in text and "Show this message and exit." in text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("command", [["conv"], ["pool"], ["batch"]])
def test_extras_in_brackets_are_printed_literally(run, command, lang):
    text = _flat(_help(run, command, lang))
    assert "convtrace[cuda]" in text
    assert "convtrace)" not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_metavars_say_what_the_value_is(run, lang):
    conv = _help(run, ["conv"], lang)
    file_word = "FILE" if lang == "en" else "ARCHIVO"
    assert re.search(rf"--output\s+-o\s+{file_word}\b", conv)
    assert re.search(r"--at\s+I,J\b", conv)
    assert re.search(r"--max-steps\s+N\b", conv)
    rows = [line.strip("│ ") for line in conv.splitlines()]
    for flag in ("--flip", "--trace", "--force", "--no-index", "--standalone"):
        row = next(r for r in rows if r.split()[:1] == [flag] or r.split()[:2] == ["*", flag])
        after = row.split(flag, 1)[1].split()
        assert after and re.fullmatch(r"[A-Z][A-Z0-9,:|._-]+|<.*>", after[0]) is None, row  # no type after a switch
        assert re.match(rf"^{flag}\s{{8,}}\S", row), row
    assert re.search(r"--range\s+clip\|abs\|normalize", conv)


@pytest.mark.parametrize("lang, metavar, words", [("en", "FORMAT", "Output format: table, json"),
                                                   ("es", "FORMATO", "Formato de salida: table, json")])
@pytest.mark.parametrize("command", [["conv"], ["pool"]])
def test_the_formats_are_listed_whole_at_80_columns(run, command, lang, metavar, words):
    """--format's choices are words in its help, not a metavar column that a narrow terminal cuts
    inside a word ("…|gif|ht" / "ml")."""
    text = _help(run, command, lang)
    assert re.search(rf"--format\s+-f\s+{metavar}\s", text)
    described = _option_text(text, "--format")
    assert words in described
    for name in ("table", "json", "csv", "markdown", "latex", "npy", "png", "jpg", "gif", "html"):
        assert re.search(rf"\b{name}\b", described), name


def test_force_and_stride_texts_fit_each_command(run):
    assert "Overwrite the -o file" in _option_text(_help(run, ["conv"], "en"), "--force")
    assert "Overwrite the -o file" in _option_text(_help(run, ["pool"], "en"), "--force")
    assert "window size" in _option_text(_help(run, ["pool"], "en"), "--stride")
    assert "window size" not in _option_text(_help(run, ["conv"], "en"), "--stride")
    assert "[default: 1]" in _option_text(_help(run, ["conv"], "en"), "--stride")

def test_force_and_stride_texts_of_exercises(run):
    """check's --force overwrites the --report file, quiz's the files in the -o folder; their --stride
    defaults to 1 with a kernel and to the window with --pool."""
    check = _help(run, ["check"], "en")
    quiz = _help(run, ["quiz"], "en")
    assert "--report" in _option_text(check, "--force")
    assert "folder" in _option_text(quiz, "--force")
    for text in (check, quiz):
        stride = _option_text(text, "--stride")
        assert "1 with a kernel" in stride and "window size with --pool" in stride


def test_conv_and_pool_range_default_is_batch_s(run):
    for command in (["conv"], ["pool"], ["batch"]):
        assert "[default: clip]" in _option_text(_help(run, command, "en"), "--range")


def test_completion_script_names_the_program():
    from convtrace.cli.completion import completion_script

    for shell in ("bash", "zsh", "fish"):
        script = completion_script(shell)
        assert "convtrace" in script and "_CONVTRACE_COMPLETE" in script


def test_completion_command_prints_the_script(run):
    result = run("completion", "bash")
    assert result.exit_code == 0
    assert "_CONVTRACE_COMPLETE=complete_bash" in result.output and "complete " in result.output
    assert run("completion", "tcsh").exit_code == 2


@pytest.mark.parametrize("instruction", ["complete_bash", "bash_complete"])
def test_completing_a_command_name(instruction):
    env = {**os.environ, "_CONVTRACE_COMPLETE": instruction, "COMP_WORDS": "convtrace co", "COMP_CWORD": "1"}
    out = subprocess.run([str(Path(sys.executable).parent / "convtrace")], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    offered = out.stdout.split()
    assert "conv" in offered and "completion" in offered and "pool" not in offered


def test_completing_an_option():
    env = {**os.environ, "_CONVTRACE_COMPLETE": "complete_bash", "COMP_WORDS": "convtrace pool x --ce",
           "COMP_CWORD": "3"}
    out = subprocess.run([str(Path(sys.executable).parent / "convtrace")], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["--ceil"]
