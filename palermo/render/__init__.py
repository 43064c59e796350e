"""Stage 3, rendering: charts, tables, text helpers (dates, consent brackets, plurals,
coverage notes), glue, and what a notebook's outputs carry for the book engine (``myst``).
Chapters call these; nothing here reads files directly."""
