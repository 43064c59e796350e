"""Tests of palermo/pipeline/: one file per module, tests/pipeline/test_<module>.py."""
