"""Stage 2, the model: the merged records, status on any date, counts, series, coverage,
entry into force and the claims ledger's computations. No HTML, no prose for pages."""
