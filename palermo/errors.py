"""Errors the library raises on purpose. Each message names the file, row or parameter
and what is allowed, so the command line prints it as one line."""


class PalermoError(Exception):
    """Base class for the project's own errors."""


class DataError(PalermoError):
    """A raw or curated input is missing, altered, or holds something the parser does not know."""


class UsageError(PalermoError, ValueError):
    """A parameter (treaty, date, participant, path) is not one of the allowed values."""


class BuildError(PalermoError):
    """A build step (Jupyter Book, LaTeX, a notebook run) failed."""
