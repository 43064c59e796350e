"""The book engine's adapter: everything that knows Jupyter Book 1, Sphinx, docutils, myst-nb or
the theme (sphinx-book-theme) is in this folder, and only ``pipeline.build`` enters it.

- ``jupyterbook``: the one runner (``jupyter-book build``) for the HTML book and the PDF edition;
- ``sphinx_ext``: the book's Sphinx extension (listed in ``_config.yml``), with ``sphinx_nav``
  (the sidebar kept per group of sibling pages) and ``templates/`` (the theme's template it
  works through).

A move to another engine replaces this folder (``decisions/0001-book-engine.md``).
"""
