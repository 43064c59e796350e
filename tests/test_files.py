"""The one way to write a file (palermo.files): atomic writes, the lock and reading YAML."""

import errno
import os

import pytest

from palermo.files import atomic_path, write_atomic
from tests.conftest import edit, one_line_error, run

pytestmark = pytest.mark.unit


# D6: malformed inputs
@pytest.mark.review("reliability-2026-11", "D6")
def test_a_yaml_syntax_error_names_the_file_and_line(data_copy):
    claims = data_copy / "curated" / "claims.yml"
    claims.write_text(claims.read_text() + "  - id: [unclosed\n")
    err = one_line_error(run("claims"), 1)
    assert "claims.yml, line" in err and "not valid YAML" in err


@pytest.mark.review("reliability-2026-11", "D6")
def test_an_impossible_unquoted_date_in_yaml_is_one_line(data_copy):
    edit(data_copy / "curated" / "claims.yml", "as_of: 2020-12-23}", "as_of: 2020-13-23}")
    assert "claims.yml: a value is not valid" in one_line_error(run("claims"), 1)


# R1, R10: `sources record -o` goes through the one output rule, checked first
@pytest.mark.review("reliability-2026-12", "R1")
def test_nothing_replaces_a_device_or_a_pipe(tmp_path):
    from palermo.files import write_atomic

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        write_atomic(fifo, "x")
    assert fifo.exists() and not fifo.is_file()
    r = run("export", "actions", "-o", str(fifo), "--force")
    assert r.exit_code == 2 and "not a regular file" in r.stderr
    assert not fifo.is_file()


# S13: the "ours" test, a full disk, a read-only folder
@pytest.mark.review("reliability-2026-12b", "S13")
def test_a_read_only_folder_is_named_not_a_temporary_file(tmp_path, monkeypatch):
    import tempfile

    def read_only(prefix="", suffix="", dir=None, **k):
        raise OSError(
            errno.EROFS, "Read-only file system", os.path.join(dir, prefix + "x" + suffix)
        )

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(OSError) as e:
        write_atomic(tmp_path / "deposit.zip", b"zip")
    assert e.value.filename == str(tmp_path) and ".tmp" not in str(e.value)


@pytest.mark.review("reliability-2026-12b", "S13")
def test_a_write_error_inside_the_block_names_the_output(tmp_path):
    with pytest.raises(OSError) as e, atomic_path(tmp_path / "deposit.zip"):
        raise OSError(errno.EFBIG, "File too large")
    assert e.value.filename == str(tmp_path / "deposit.zip")
    assert list(tmp_path.iterdir()) == []
