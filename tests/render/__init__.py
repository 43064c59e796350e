"""Tests of palermo/render/: one file per module, tests/render/test_<module>.py."""
