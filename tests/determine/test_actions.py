"""The 'what to do' box: one short, cited action per jurisdiction's answer."""

from __future__ import annotations

from chipexport.determine import Engine, memo
from chipexport.determine.actions import action, actions


def _check(**kw: object) -> dict:
    txn = {"id": "a", "date": "2024-06-01", "export_from": "US", "destination": "CN",
           "items": [{"product": "NVIDIA H100 SXM5 80GB"}], **kw}
    return Engine(None).check(txn)


def test_a_licence_under_a_denial_policy_says_do_not_ship() -> None:
    out = _check()
    todo = actions(out)["US"]
    assert out["jurisdictions"]["US"]["review_policy"] == "presumption of denial"
    assert todo["kind"] == "stop" and todo["title"].startswith("Do not ship")
    assert "unlikely" in todo["title"] and "742.6" in todo["cite"]
    assert "what to do: Do not ship: a licence is required and unlikely" in memo(out)


def test_review_lists_the_question_and_nlr_says_keep_the_record() -> None:
    gallium = Engine(None).check({"id": "g", "date": "2026-12-04", "export_from": "CN",
                                  "destination": "US",
                                  "items": [{"kind": "material", "material": "gallium"}]})
    todo = actions(gallium)["CN"]
    assert todo["kind"] == "review"
    assert todo["steps"][0].startswith("Check whether MOFCOM Announcement No. 46")
    free = actions(_check(destination="DE"))["US"]
    assert free["kind"] == "go" and free["cite"] == "15 CFR 762.6"


def test_an_sdn_block_says_no_dealings() -> None:
    jur = {"outcome": "PROHIBITED", "review_policy": None,
           "reasons": [{"outcome": "PROHIBITED", "rule": "31 CFR 501 (OFAC SDN)",
                        "citation": None,
                        "summary": "OFAC SDN: property blocked, US persons may not deal"}]}
    todo = action("US", jur)
    assert todo["title"] == "Blocked party: no dealings" and "31 CFR 501.603" in todo["cite"]
