"""Stage 5, the pipeline: parameters and their validators, the run plan (which also writes
``_toc.yml``), the cache key, papermill execution, one Jupyter Book runner for HTML and PDF,
and standalone HTML exports."""
