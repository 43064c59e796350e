"""Stage 3, rendering: charts, tables, text helpers (dates, consent brackets, plurals,
coverage notes) and glue. Chapters call these; nothing here reads files directly."""
