"""Tests of palermo/teaching/: one file per module, tests/teaching/test_<module>.py."""
