"""Standalone HTML: one executed notebook as a single file that reads offline."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from pathlib import Path

from .. import config

HIDDEN_TAGS = {"parameters", "injected-parameters", "remove-cell"}


def notebook_to_html(notebook: Path, title: str) -> str:
    """Code hidden, the book's CSS and the Vega libraries inline, no outside script, font or
    stylesheet. Inline scripts cannot be closed early by data: charts escape ``</``."""
    import nbformat
    from nbconvert import HTMLExporter

    from ..render.charts import vega_bundle
    from ..render.page import page

    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells = [c for c in nb.cells if not HIDDEN_TAGS & set(c.metadata.get("tags", []))]
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb)
    return stamp(page(title, body, before=BODY_CSS, script=vega_bundle()))


# A page palermo exports carries a generator meta tag right after <head>, and ends in a stamp
# with the sha256 of what it wrote: "ours" (replaced without --force) is a file whose whole
# content is still what palermo wrote, never a file that merely mentions the marker (a user's
# notes, or an annotated copy of an earlier page).
MARK = '<meta name="generator" content="palermo-export">'
_STAMP = re.compile(r"<!-- palermo-export sha256:([0-9a-f]{64}) -->\n\Z")
STAMPED_MAX = 200 * 1024 * 1024  # a larger file is no page of ours (and is not read whole)


def _page_digest(text: str) -> str:
    """The sha256 of a page without its stamp, and without the marker where palermo puts it
    (right after ``<head>``), so the marker may be added before or after stamping."""
    return hashlib.sha256(text.replace("<head>" + MARK, "<head>", 1).encode("utf-8")).hexdigest()


def stamp(text: str) -> str:
    """``text`` (a whole page) with the stamp that lets palermo know it again as its own."""
    return f"{text}<!-- palermo-export sha256:{_page_digest(text)} -->\n"


def stamped(text: str) -> bool:
    """Whether ``text`` is a page exactly as palermo wrote it: it ends in its stamp, and the
    rest hashes to the stamp's sha256."""
    m = _STAMP.search(text)
    return m is not None and _page_digest(text[: m.start()]) == m.group(1)


NOTEBOOK_DIGEST = "content_sha256"


def notebook_digest(nb: dict) -> str:
    """The sha256 of a notebook's cells (sources and outputs) as stored (the JSON of the file,
    ``json.loads(nbformat.writes(nb))``), recorded in its metadata when palermo writes it: a
    notebook edited since no longer matches."""
    cells = json.dumps(nb.get("cells", []), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(cells.encode("utf-8")).hexdigest()


BODY_CSS = (
    "body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:54em;"
    "margin:2em auto;padding:0 1em;line-height:1.5;color:#222}"
)


FORMATS = {"csv": ".csv", "parquet": ".parquet"}


def _outside_sources(out: Path, flag: str) -> None:
    """Never among the project's sources, and into a folder that exists."""
    from ..errors import UsageError

    for folder, what in (
        (config.NOTEBOOKS, "notebooks/, the chapters' sources"),
        (config.CURATED, "data/curated/, the curated records"),
    ):
        if out == folder or folder in out.parents:
            raise UsageError(f"{flag} {out}: that is under {what}; write the output somewhere else")
    if not out.parent.is_dir():
        raise UsageError(f"{flag} {out}: the folder {out.parent} does not exist; create it first")


def output_path(
    path, suffix: str, force: bool, default: Path | None = None, ours=lambda p: False
) -> Path:
    """Where a command writes: a file with the right suffix in a folder that exists, never
    among the project's sources (notebooks/, data/curated/), never over an existing file
    unless ``ours(file)`` says palermo wrote it or ``force`` is given."""
    from ..errors import UsageError

    if path:
        out = Path(path).expanduser().resolve()
    elif default is not None:
        out = Path(default).resolve()
    else:
        raise UsageError(f"-o: give a file name ending in {suffix}")
    if out.is_dir():
        raise UsageError(f"-o {out}: that is a folder; give a file name ending in {suffix}")
    if out.suffix != suffix:
        raise UsageError(f"-o {out}: the output must end in {suffix}")
    _outside_sources(out, "-o")
    if out.exists() and not out.is_file():
        raise UsageError(f"-o {out}: that is not a regular file (a device, pipe or socket)")
    if out.exists() and not force and not ours(out):
        raise UsageError(f"-o {out}: the file exists; give --force to replace it")
    return out


def output_folder(path, force: bool, ours=lambda p: False) -> Path:
    """Where a command writes a set of files (the seminar pack): a new or empty folder, or one
    ``ours(folder)`` says palermo filled, in a folder that exists and outside the sources;
    ``force`` to write into a folder that holds other files."""
    from ..errors import UsageError

    out = Path(path).expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"-o {out}: that is a file; give a folder")
    _outside_sources(out, "-o")
    if out.is_dir() and any(out.iterdir()) and not force and not ours(out):
        raise UsageError(
            f"-o {out}: the folder holds files palermo did not write; give --force to write "
            "into it (files of the same name are replaced)"
        )
    return out


def written_by_palermo(path: Path) -> bool:
    """A file palermo wrote and nobody changed since: an executed notebook whose cells still
    hash to the digest palermo recorded in its metadata, or a page whose content still hashes
    to its stamp. A file that merely contains palermo's marker or metadata is not ours."""
    try:
        if path.stat().st_size > STAMPED_MAX:
            return False
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if path.suffix != ".ipynb":
        return stamped(text)
    try:
        nb = json.loads(text)
    except ValueError:
        return False
    meta = nb.get("metadata") if isinstance(nb, dict) else None
    recorded = meta.get("palermo") if isinstance(meta, dict) else None
    return isinstance(recorded, dict) and recorded.get(NOTEBOOK_DIGEST) == notebook_digest(nb)


def table_output(path: Path, fmt: str, force: bool) -> Path:
    """Where an export goes (see :func:`output_path`); parquet needs pyarrow."""
    from ..errors import UsageError

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}; allowed: {', '.join(FORMATS)}")
    out = output_path(path, FORMATS[fmt], force)
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise UsageError(
                "--format parquet needs pyarrow, which the book does not install "
                "(pip install pyarrow); --format csv needs nothing"
            ) from None
    return out


CHUNK = 250_000  # rows per progress line of a large CSV


def write_table(
    df, out: Path, fmt: str, dictionary: dict | None = None, log=lambda line: None
) -> None:
    """The table and its data dictionary beside it (<name>.dictionary.csv), both or neither:
    each is written to a temporary file first, and they are renamed into place only when both
    are whole (a full disk leaves neither, so a rerun is not refused). A CSV of more than CHUNK
    rows is written in chunks, a progress line each. An error names the file being written."""
    import pandas as pd

    from ..files import atomic_path

    side = out.with_name(out.stem + ".dictionary.csv")
    new_side = dictionary and not side.exists()
    try:
        with atomic_path(out) as tmp:
            if fmt == "csv" and len(df) > CHUNK:
                with open(tmp, "w", encoding="utf-8", newline="") as f:
                    for at in range(0, len(df), CHUNK):
                        part = df.iloc[at : at + CHUNK]
                        part.to_csv(f, index=False, header=at == 0, date_format="%Y-%m-%d")
                        done = at + len(part)
                        log(f"    {done:,} of {len(df):,} rows written ({done / len(df):.0%})")
            elif fmt == "csv":
                df.to_csv(tmp, index=False, date_format="%Y-%m-%d")
            else:
                df.to_parquet(tmp, index=False)
            if dictionary:  # inside the table's block: renamed first, and only if both are whole
                text = pd.DataFrame(list(dictionary.items()), columns=["column", "meaning"])
                with atomic_path(side) as side_tmp:
                    side_tmp.write_text(text.to_csv(index=False), encoding="utf-8")
    except BaseException:
        if new_side and not out.exists():  # the table could not be renamed after its dictionary
            with contextlib.suppress(OSError):
                side.unlink()
        raise
