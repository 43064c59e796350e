"""The Palermo companion: treaty status from raw UN Treaty Collection records.

The package's folders are the pipeline's stages; each imports only from those above it in
this list (tests/project/test_architecture.py checks it):

* ``errors``, ``config``, ``files`` - error types, paths and dates, the one atomic writer;
* ``data`` - the raw-file registry and locator, UNTC parsers, curated loaders and schemas,
  vocabularies, countries, treaties and their groups;
* ``model`` - the merge, status, counts, series, curves, coverage, entry into force, the
  claims, and the chapters' parameters checked into their values (``model.params``);
* ``render`` - charts, tables, text helpers, glue, the MyST a notebook's outputs carry;
* ``chapters`` - one module per chapter notebook, each with ``facts(params) -> dict``;
* ``pipeline`` - the run plan, the cache key, papermill, exports; Jupyter Book in ``book/``;
* ``teaching`` - seminar packs and exercise self-checks;
* ``cli`` - the ``palermo`` command.
"""

__version__ = "0.2.0"
