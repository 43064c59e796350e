"""The deposit, to the data editors' checklist (issue 39, section 3): no empty file, no two
files with the same bytes (a built page's copy of a source file is the book's own), no archive
inside, no path of the machine that made it; and the package read back agrees with its
SHA256SUMS. Each check is shown to catch a planted fault."""

import hashlib
import io
import zipfile

import pytest

from palermo import config
from palermo.pipeline import replication


def _files(tmp_path, **named: bytes) -> list:
    out = []
    for name, data in named.items():
        p = tmp_path / name.replace("/", "__")
        p.write_bytes(data)
        out.append((name.replace("__", "/"), p, 0o644))
    return out


@pytest.mark.unit
def test_clean_files_pass(tmp_path):
    files = _files(tmp_path, **{"a.py": b"print(1)\n", "b.csv": b"x\n1\n"})
    assert replication.deposit_faults(files) == []


@pytest.mark.unit
def test_a_planted_empty_file_duplicate_archive_and_machine_path_are_each_caught(tmp_path):
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("inner.txt", "x")
    files = _files(
        tmp_path,
        **{
            "empty.txt": b"",
            "data/one.csv": b"x\n1\n",
            "data/two.csv": b"x\n1\n",
            "bundle.zip": zipped.getvalue(),
            "notes.md": f"made in {config.ROOT}/book\n".encode(),
        },
    )
    faults = " | ".join(replication.deposit_faults(files))
    assert "empty.txt: an empty file" in faults
    assert "data/one.csv: the same bytes as data/two.csv" in faults
    assert "bundle.zip: a zip archive inside the deposit" in faults
    assert "notes.md: holds a path of this machine" in faults


@pytest.mark.unit
def test_a_built_pages_copy_of_a_source_file_is_not_a_duplicate(tmp_path):
    files = _files(
        tmp_path, **{"_static/palermo.css": b"body{}", "_build/html/_static/palermo.css": b"body{}"}
    )
    assert replication.deposit_faults(files) == []


@pytest.mark.unit
def test_a_package_that_disagrees_with_its_sha256sums_is_caught(tmp_path):
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    data = b"1\n"
    sums = f"{hashlib.sha256(data).hexdigest()}  a.txt\n"
    with zipfile.ZipFile(good, "w") as z:
        z.writestr("a.txt", data)
        z.writestr("SHA256SUMS", sums)
    assert replication.verify_package(good) == []
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("a.txt", b"tampered\n")  # a tampered output file
        z.writestr("b.txt", b"unlisted\n")
        z.writestr("SHA256SUMS", sums + f"{'0' * 64}  gone.txt\n")
    said = " | ".join(replication.verify_package(bad))
    assert "a.txt: its bytes differ" in said
    assert "b.txt: in the deposit, not in SHA256SUMS" in said
    assert "gone.txt: in SHA256SUMS, not in the deposit" in said


@pytest.mark.book
def test_the_real_deposit_passes_the_data_editors_checks():
    assert replication.deposit_faults(replication.contents()) == []


@pytest.mark.unit
def test_replication_md_cites_every_source_apart_and_describes_the_deposit():
    """Data citations apart from the availability statement, one per source; the deposit's
    coverage, period and unit of observation (the data editors' README template)."""
    from palermo.data import registry
    from palermo.model.dates import latest_record_date

    text = (config.ROOT / "REPLICATION.md").read_text(encoding="utf-8")
    cites = text.split("### Data citations", 1)[1].split("###", 1)[0]
    reg = registry.load(config.SOURCES_YML)
    for s in reg.sources:
        assert f"{s.repository_url}, commit {s.commit}" in cites, s.id
    for g in reg.geometry:
        assert f"{g.package} {g.version}" in cites
    assert "doi.org/10.31389/jied.90" in cites
    meta = text.split("### Deposit metadata", 1)[1].split("##", 1)[0]
    for field in ("Geographic coverage:", "Period:", "Unit of observation:"):
        assert field in meta, field
    assert latest_record_date().isoformat() in meta and "European Union" in meta
