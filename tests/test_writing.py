"""Writing files: atomic, never clobbering, with the permissions any other program would give them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from convtrace.errors import ConvtraceValueError
from convtrace.io.writers import TEMP_PREFIX, write_atomic


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_a_new_file_honours_the_umask(tmp_path, umask_022):
    write_atomic(tmp_path / "out.txt", b"data")
    assert mode(tmp_path / "out.txt") == 0o644
    assert (tmp_path / "out.txt").read_bytes() == b"data"
    os.umask(0o077)
    write_atomic(tmp_path / "private.txt", b"data")
    assert mode(tmp_path / "private.txt") == 0o600
    os.umask(0o002)
    write_atomic(tmp_path / "group.txt", b"data")
    assert mode(tmp_path / "group.txt") == 0o664
    assert leftovers(tmp_path) == []


def test_a_replaced_file_keeps_its_mode(tmp_path, umask_022):
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    write_atomic(target, b"new", overwrite=True)
    assert target.read_bytes() == b"new" and mode(target) == 0o640
    os.chmod(target, 0o604)
    write_atomic(target, b"newer", overwrite=True)
    assert mode(target) == 0o604
    assert leftovers(tmp_path) == []


def test_no_clobber_without_overwrite(tmp_path):
    target = tmp_path / "out.txt"
    target.write_bytes(b"mine")
    with pytest.raises(ConvtraceValueError, match="already exists; pass --force"):
        write_atomic(target, b"theirs")
    assert target.read_bytes() == b"mine"
    assert leftovers(tmp_path) == []


def test_missing_folder_is_a_clean_error(tmp_path):
    with pytest.raises(ConvtraceValueError, match=r"does not exist; create it first") as info:
        write_atomic(tmp_path / "nope" / "out.txt", b"x")
    assert str(tmp_path / "nope") in str(info.value)
    assert not (tmp_path / "nope").exists()


def test_folder_that_is_a_file(tmp_path):
    (tmp_path / "file.txt").write_bytes(b"keep")
    with pytest.raises(ConvtraceValueError, match="is a file, not a folder"):
        write_atomic(tmp_path / "file.txt" / "out.txt", b"x")
    assert (tmp_path / "file.txt").read_bytes() == b"keep"


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_directory_is_never_replaced(tmp_path, overwrite):
    folder = tmp_path / "results"
    folder.mkdir()
    (folder / "inside.txt").write_bytes(b"keep")
    with pytest.raises(ConvtraceValueError, match="is a folder; a folder is never replaced"):
        write_atomic(folder, b"x", overwrite=overwrite)
    assert (folder / "inside.txt").read_bytes() == b"keep"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_symlink_to_a_directory_is_never_replaced(tmp_path, overwrite):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(ConvtraceValueError, match="is a folder"):
        write_atomic(tmp_path / "link", b"x", overwrite=overwrite)
    assert (tmp_path / "link").is_symlink()


def test_a_fifo_is_never_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ConvtraceValueError, match="is not a regular file"):
        write_atomic(fifo, b"x", overwrite=True)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_permission_denied_names_the_file(tmp_path, monkeypatch):
    import tempfile

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(ConvtraceValueError, match=r"out\.txt: permission denied; choose a folder"):
        write_atomic(tmp_path / "out.txt", b"x")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_permission_denied_for_real(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    os.chmod(folder, 0o555)
    try:
        with pytest.raises(ConvtraceValueError, match="permission denied"):
            write_atomic(folder / "out.txt", b"x")
    finally:
        os.chmod(folder, 0o755)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ConvtraceValueError, match=r"out\.txt: cannot be written \(the disk is full; free some space\)") as err:
        write_atomic(target, b"new", overwrite=True)
    assert "el disco está lleno" in err.value.message("es")  # the system's reason in the user's language
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


# ----------------------------------------------------------------------------- through the command line


def one_clean_line(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.output.strip().count("\n") == 0, result.output
    return result.output


def test_cli_output_modes(run, tmp_path, umask_022):
    target = tmp_path / "out.json"
    assert run("conv", "1 2; 3 4", "-k", "1", "-f", "json", "-o", target).exit_code == 0
    assert mode(target) == 0o644
    os.chmod(target, 0o640)
    assert run("conv", "1 2; 3 4", "-k", "2", "-f", "json", "-o", target, "--force").exit_code == 0
    assert mode(target) == 0o640


def test_cli_output_into_a_missing_folder(run, tmp_path):
    out = one_clean_line(run("conv", "1 2; 3 4", "-k", "1", "-o", tmp_path / "missing" / "out.csv"))
    assert "does not exist; create it first" in out
    out = one_clean_line(run("conv", "1 2; 3 4", "-k", "1", "-o", tmp_path / "missing" / "out.csv", "--lang", "es"))
    assert "no existe; créala primero" in out


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_cli_output_onto_a_directory(run, tmp_path, force):
    folder = tmp_path / "results"
    folder.mkdir()
    (folder / "keep.txt").write_bytes(b"keep")
    out = one_clean_line(run("conv", "1 2; 3 4", "-k", "1", "-f", "csv", "-o", folder, *force))
    assert "is a folder" in out
    assert (folder / "keep.txt").read_bytes() == b"keep"


def test_a_writer_function_streams_into_the_file(tmp_path):
    write_atomic(tmp_path / "out.bin", lambda handle: handle.write(b"streamed"))
    assert (tmp_path / "out.bin").read_bytes() == b"streamed"


def test_a_writer_function_that_fails_leaves_nothing(tmp_path):
    def half(handle):
        handle.write(b"half")
        raise ValueError("encoder gave up")

    with pytest.raises(ValueError, match="encoder gave up"):
        write_atomic(tmp_path / "out.bin", half)
    assert list(tmp_path.iterdir()) == []


def test_an_input_of_the_command_is_never_written_over_even_with_force(run, tmp_path):
    matrix = tmp_path / "m.txt"
    matrix.write_text("1 2\n3 4\n")
    result = run("conv", matrix, "-k", "1", "-o", matrix, "--force")
    assert result.exit_code == 2 and "is one of this command's inputs" in result.output
    assert matrix.read_text() == "1 2\n3 4\n"
    link = tmp_path / "link.txt"
    link.symlink_to(matrix)
    assert run("conv", link, "-k", "1", "-o", matrix, "--force").exit_code == 2  # the same file by another name
    assert matrix.read_text() == "1 2\n3 4\n"


def test_a_class_report_never_replaces_a_students_answer(run, tmp_path):
    answers = tmp_path / "answers"
    answers.mkdir()
    (answers / "ana.txt").write_text("1 2\n3 4\n")
    (answers / "bob.txt").write_text("1 2\n3 5\n")
    result = run("check", "1 2; 3 4", "-k", "1", "--answers", answers, "--report", answers / "bob.txt", "--force")
    assert result.exit_code == 2 and "inputs" in result.output
    assert (answers / "bob.txt").read_text() == "1 2\n3 5\n"
