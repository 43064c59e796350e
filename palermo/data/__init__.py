"""Stage 1, the data: the raw-file registry and locator, the UNTC parsers, the curated
records with their schemas, vocabularies, countries, and the treaties with their groups."""
