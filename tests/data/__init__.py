"""Tests of palermo/data/: one file per module, tests/data/test_<module>.py."""
