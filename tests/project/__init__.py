"""Tests of the repository as a whole rather than of one module: the stages' architecture, the
environment and its lock, the workflows, the notebooks' twins and glued facts, the citation
and licences, and the curated files' content against the paper."""
