"""Every message key used in the code exists, in both languages, with the same fields."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from convtrace.messages import DOMAINS, MESSAGES, PLURAL, Term, translate
from convtrace.names import PAD_MODES, POOL_MODES

PACKAGE = Path(__file__).resolve().parents[1] / "convtrace"
KEYED_CALLS = {"ConvtraceValueError", "ConvtraceTypeError", "translate", "Term"}
CONSTANTS = {name: getattr(m, name) for m in DOMAINS for name in vars(m) if name.isupper()}


def _fields(template: str) -> dict[str, str]:
    return {f: spec for _, f, spec, _ in string.Formatter().parse(template) if f}


def _key_arguments():
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in KEYED_CALLS or not node.args:
                continue
            arg = node.args[0]
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield where, arg.value
            elif isinstance(arg, ast.Name) and arg.id.isupper() and arg.id in CONSTANTS:
                yield where, CONSTANTS[arg.id]
            elif isinstance(arg, ast.Attribute) and arg.attr.isupper():
                assert arg.attr in CONSTANTS, f"{where}: {ast.unparse(arg)} is no message constant"
                yield where, CONSTANTS[arg.attr]


def test_every_key_used_in_the_code_exists():
    found = list(_key_arguments())
    assert len(found) > 100
    missing = [f"{where}: {key}" for where, key in found if key not in MESSAGES]
    assert not missing, missing


def test_keys_built_at_run_time_exist():
    for mode in POOL_MODES:
        assert f"mode_{mode}" in MESSAGES
    for mode in PAD_MODES:
        assert f"pad_mode_{mode}" in MESSAGES


def test_every_entry_has_both_languages_with_the_same_fields():
    for key, entry in MESSAGES.items():
        assert set(entry) == {"en", "es"}, key
        en, es = (_fields(entry[lang]) for lang in ("en", "es"))
        assert set(en) == set(es), key
        for lang in ("en", "es"):
            for field, spec in _fields(entry[lang]).items():
                if spec.startswith(PLURAL):
                    assert spec.count("|") == 1, f"{key} ({lang}): {field}:{spec}"


def test_every_constant_is_its_key_in_capitals():
    for module in DOMAINS:
        names = [name for name in vars(module) if name.isupper() and name != "MESSAGES"]
        for name in names:
            value = getattr(module, name)
            assert value == name.lower(), f"{module.__name__}.{name}"
            assert value in module.MESSAGES, f"{module.__name__}.{name}"
        assert sorted(module.MESSAGES) == sorted(getattr(module, n) for n in names), module.__name__


def test_unknown_key_fails_loudly():
    with pytest.raises(KeyError):
        translate("no_such_message")
    with pytest.raises(KeyError):
        translate("check_title", "en", source=Term("no_such_term"))


def test_singular_and_plural():
    assert translate("check_wrong", "es", n=1) == "1 incorrecta"
    assert translate("check_wrong", "es", n=3) == "3 incorrectas"
    assert translate("check_wrong", "es", n=0) == "0 incorrectas"
    assert translate("quiz_wrote", "en", n=1, where="out") == "wrote 1 exercise to out"
    assert translate("quiz_wrote", "es", n=2, where="out") == "escritos 2 ejercicios en out"
    text = translate("parse_ragged", "en", where="x", what="row", index=2, n=1, expected=2)
    assert text == "x: row 2 has 1 value but row 1 has 2; every row needs the same number"
    assert "canal;" in translate("channel_mismatch", "es", kc=3, c=1)
    assert "3 canales" in translate("channel_mismatch", "es", kc=1, c=3)


def test_spanish_wording():
    assert translate("param_too_small", "es", name=Term("param_stride"), minimum=1, value=0) == (
        "el paso (stride) debe ser al menos 1, se recibió 0")
    assert translate("label_params", "es", pads=0, mode=Term("pad_mode_zeros"), stride=1, dilation=1) == (
        "relleno 0 (ceros) · paso 1 · dilatación 1")


def test_messages_import_no_numpy():
    import subprocess
    import sys

    code = "import convtrace.messages, sys; assert 'numpy' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parent).returncode == 0
