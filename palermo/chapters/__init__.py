"""Stage 4, the chapters: one module per chapter notebook, with the notebook's name. Each
exposes ``facts(params) -> dict`` (every value its prose glues) and the tables and charts the
notebook shows. Chapters do not import each other: shared pieces live in ``model``/``render``."""
