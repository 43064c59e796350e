"""Tests of palermo/pipeline/book/, the book engine's adapter: tests/pipeline/book/test_<module>.py."""
