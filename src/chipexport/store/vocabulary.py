"""The fixed words of the store (case statuses, analyst decisions, API key roles), import-free.

The CLI declares its options with these at import time; keeping them out of the modules that
import SQLAlchemy lets ``chipexport --help`` and every command that never opens the database
start without loading it (a quarter of a second of each CLI start).
"""

from __future__ import annotations

STATUSES = ("open", "true_match", "false_positive", "escalated")
# The decision an analyst records -> the status it leaves the case in.
DECISIONS = {
    "true_match": "true_match",
    "false_positive": "false_positive",
    "escalate": "escalated",
}
ROLES = ("viewer", "analyst", "admin")
# Kinds of audit record (docs/service.md).
KINDS = (
    "screen", "check", "rescreen", "case_opened", "case_reopened", "case_changed",
    "disposition", "list_change", "key_created", "key_revoked",
    "ownership.load", "red_flag.resolved",
)
# An analyst's reason is what an auditor reads: "x" is not one. The same bounds in the API,
# the web form and ``chipexport cases dispose``.
MIN_REASON_CHARS = 3
MAX_REASON_CHARS = 4000
