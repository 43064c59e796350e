"""Tests of palermo/chapters/: one file per module, tests/chapters/test_<module>.py."""
