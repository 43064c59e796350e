"""The Palermo companion: treaty status from raw UN Treaty Collection records.

Data flow (one direction): ``sources`` (locate and verify raw files) -> ``untc`` (parse
snapshots into one tidy table of actions) -> ``records`` (merge snapshots and curated
later actions) -> ``status`` (status of every participant on any date, series, coverage).
"""

__version__ = "0.1.0"
