"""Tests of palermo/model/: one file per module, tests/model/test_<module>.py."""
