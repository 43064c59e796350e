"""The project's controlled vocabularies, in one place."""

SIGNATURE = "signature"
CONSENT_ACTIONS = (
    "ratification",
    "acceptance",
    "approval",
    "accession",
    "succession",
    "formal_confirmation",
)
# a withdrawal (denunciation) is dated by when it takes effect; the tables do not list them, so
# only a cited curated row gives one
WITHDRAWAL = "withdrawal"
ACTIONS = (SIGNATURE, *CONSENT_ACTIONS)
CURATED_ACTIONS = (*ACTIONS, WITHDRAWAL)
# Instruments that count towards a treaty's entry into force (successions and formal
# confirmations are not named in the final clauses of these treaties).
QUALIFYING = ("ratification", "acceptance", "approval", "accession")
RATIFY_LIKE = ("ratification", "acceptance", "approval")  # need a prior signature

# how a curated treaty action is dated, and how its date is known
ACTION_PRECISIONS = ("day", "year", "range")
BRACKETED = ("year", "range")
EVIDENCE = (
    "stated",
    "inferred-entry-into-force",
    "inferred-same-day-protocols",
    "inferred-action-type",
    "unverified",
)
SNAPSHOT_EVIDENCE = "depositary-record"

# a count of parties an official source states for a day (count_statements.csv): a count, or an
# ordinal ("the 179th State Party") naming the participant that reached it
STATEMENT_KINDS = ("count", "ordinal")

# a participant's status on a date
STATUSES = ("party", "possibly_party", "signatory", "withdrawn", "none")

# the chronology (events.csv)
EVENT_PRECISIONS = ("day", "month", "year", "range")
# The design's nine categories, plus "institution" for the offices and bodies that carried the
# Convention (the CCPCJ, ODCCP/UNODC, WACAP), which fit none of the nine.
CATEGORIES = (
    "congress",
    "negotiation",
    "adoption",
    "signature",
    "entry into force",
    "conference of the parties",
    "review mechanism",
    "peer treaty",
    "geopolitics",
    "institution",
)
CONFIDENCE = ("confirmed", "likely", "unconfirmed")

# the who's who (people.csv): the part each person plays in the paper's story
PEOPLE_GROUPS = (
    "polish-actors",
    "chair",
    "secretariat",
    "review-brokers",
    "naples",
    "leaders",
    "interviewee",
    "other",
)

# the claims ledger
NOT_CHECKABLE = "not checkable with these records"
# a causal claim (why something happened): dated treaty records cannot decide it
NOT_TESTABLE = "not testable with treaty records"
# a match that confirms only part of a claim (its year, its place): the verdict is "match: "
# and what it confirms ("match: year only"); it is counted apart from a full match
PARTIAL_MATCH = "partial match"
PARTIAL_PREFIX = "match: "
# the kinds of verdict, in the order the ledger counts them
VERDICTS = ("match", PARTIAL_MATCH, "differs", NOT_CHECKABLE, NOT_TESTABLE)


def verdict_kind(verdict: str) -> str:
    """The kind of a verdict: "match: year only" is a partial match, any other is its own."""
    return PARTIAL_MATCH if verdict.startswith(PARTIAL_PREFIX) else verdict


COMPARES = ("equal", "count", "fraction", "none", "causal")

TREATY_NUMBER = r"^[IVX]+-\d+(-[a-z])?$"
