"""Stage 6, teaching: seminar packs (worksheets per group) and the exercises' self-checks."""
