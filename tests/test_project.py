"""House rules: lazy imports, one-direction layers, cache location, lint."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "convtrace"


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_import_convtrace_loads_no_numba():
    code = "import sys, convtrace; print('numba' in sys.modules, convtrace.__version__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split()[0] == "False"


def test_engine_is_numpy_in_numpy_out():
    for path in (PACKAGE / "engine").glob("*.py"):
        for name in imports_of(path):
            top = name.split(".")[0]
            assert top not in {"rich", "typer", "click", "PIL"}, f"{path.name} imports {name}"
            if top == "convtrace":
                assert name.startswith("convtrace.engine"), f"{path.name} reaches up into {name}"


LIBRARY_MODULES = ["ops.py", "convolution.py", "pooling.py", "spec.py", "syntax.py", "arrays.py", *(f"grading/{f.name}" for f in sorted((PACKAGE / "grading").glob("*.py"))),
                   "quiz.py", "params.py", "errors.py", "i18n.py", "names.py", "activations.py", "kernel.py",
                   "__init__.py"]


@pytest.mark.parametrize("module", LIBRARY_MODULES)
def test_library_never_imports_the_cli_framework_or_rendering(module):
    for name in imports_of(PACKAGE / module):
        assert name.split(".")[0] not in {"rich", "typer", "click", "PIL"}, f"{module} imports {name}"


def test_numba_cache_falls_back_to_a_user_directory(tmp_path, monkeypatch):
    from convtrace.engine import config

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert config.choose_cache_dir(ROOT / "convtrace" / "engine", environ={}) is None
    monkeypatch.setattr(config.os, "access", lambda path, mode: False)
    chosen = config.choose_cache_dir(ROOT / "convtrace" / "engine", environ={})
    assert chosen == str(tmp_path / "cache" / "convtrace" / "numba")
    # A NUMBA_CACHE_DIR the user set always wins.
    assert config.choose_cache_dir(ROOT, environ={"NUMBA_CACHE_DIR": "/x"}) is None


def test_read_only_install_still_caches(tmp_path):
    """A copy of the package with its cache redirected works and writes the user cache."""
    env_cache = tmp_path / "user-cache"
    code = (
        "import os, numpy as np\n"
        "from convtrace.engine import config\n"
        "import convtrace\n"
        "print(convtrace.conv2d(np.eye(3, dtype=int), [[1, 1]]).sum())\n"
    )
    env = {"NUMBA_CACHE_DIR": str(env_cache), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "4"
    assert any(env_cache.rglob("*.nbi")), "no compiled code was cached"


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_ruff_is_clean():
    result = subprocess.run(["ruff", "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_wheel_ships_the_kernel_library(tmp_path):
    pytest.importorskip("hatchling")
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                          "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    import zipfile

    (wheel,) = tmp_path.glob("convtrace-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "convtrace/kernels/sharpen.txt" in names
    assert {f"convtrace/kernels/{p.name}" for p in (ROOT / "kernels").glob("*.txt")} <= names
    assert "convtrace/engine/_fused.py" in names


def test_import_layers_hold():
    """The import-linter contracts in pyproject.toml: cli -> render/io -> library -> engine."""
    pytest.importorskip("importlinter")
    from importlinter import cli as importlinter_cli

    config = str(ROOT / "pyproject.toml")
    assert importlinter_cli.lint_imports(config_filename=config, no_cache=True) == importlinter_cli.EXIT_STATUS_SUCCESS


def test_cli_help_loads_neither_numpy_nor_numba():
    code = "import sys, convtrace.cli; print('numpy' in sys.modules, 'numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False"]


def test_every_name_the_readme_calls_on_convtrace_exists():
    """``convtrace.conv_transpose2d(…)`` in the README was an AttributeError: each ``convtrace.NAME`` and
    ``from convtrace import NAME`` the README writes is an attribute or a module of the package."""
    import importlib
    import re

    import convtrace

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    names = set(re.findall(r"\bconvtrace\.([A-Za-z_]\w*)", text))
    for imported in re.findall(r"from convtrace import ([\w, ]+)", text):
        names |= {name.strip() for name in imported.split(",") if name.strip()}
    assert {"conv2d", "conv_transpose2d", "trace_conv2d"} <= names
    missing = []
    for name in sorted(names):
        if not hasattr(convtrace, name):
            try:
                importlib.import_module(f"convtrace.{name}")
            except ImportError:
                missing.append(name)
    assert missing == []
