"""Stage 5, the pipeline: the run plan (which also writes ``_toc.yml``), the cache key,
papermill execution, the book's record and editions, standalone HTML exports and the deposit;
the book engine's adapter (``book/``: the Jupyter Book runner for HTML and PDF, the Sphinx
extension, the MyST the library writes), which only ``build`` enters."""
