"""Tests of the built book, in the browser and in the PDF (markers book, browser, pdf): they
need `make book` (and `make pdf`) first, so `make test` runs them and `make unit` does not."""
