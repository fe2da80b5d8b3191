from __future__ import annotations

import json

import pytest

from backend.policy import IcePolicy


def _offense(level: str, disposition: str = "convicted") -> dict:
    return {"date": "2020-01-02", "offense": "X", "level": level, "disposition": disposition}


def test_citizens_never_get_a_detainer_whatever_their_record() -> None:
    decision = IcePolicy().decide("US_CITIZEN", [_offense("aggravated-felony")])
    assert not decision.lodge
    assert "citizen" in decision.reasons[0].lower()


def test_prior_removal_gets_a_detainer_without_convictions() -> None:
    assert IcePolicy().decide("PREVIOUSLY_REMOVED", []).lodge


def test_removable_person_needs_a_conviction_at_the_policy_level() -> None:
    policy = IcePolicy()
    assert policy.decide("NONIMMIGRANT_OVERSTAY", [_offense("felony")]).lodge
    assert not policy.decide("NONIMMIGRANT_OVERSTAY", [_offense("misdemeanor")]).lodge
    # Arrests that did not end in a conviction do not count.
    assert not policy.decide("UNLAWFULLY_PRESENT", [_offense("felony", "dismissed")]).lodge


def test_permanent_residents_only_for_the_gravest_convictions() -> None:
    policy = IcePolicy()
    assert not policy.decide("LPR", [_offense("felony")]).lodge
    assert policy.decide("LPR", [_offense("aggravated-felony")]).lodge


def test_policy_file_overrides_and_rejects_unknown_keys(tmp_path) -> None:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps({"min_conviction_level": "misdemeanor", "lodge_without_conviction": []}))
    policy = IcePolicy.load(path)
    assert policy.decide("NONIMMIGRANT_OVERSTAY", [_offense("misdemeanor")]).lodge
    assert not policy.decide("PREVIOUSLY_REMOVED", []).lodge
    path.write_text(json.dumps({"min_level": "felony"}))
    with pytest.raises(ValueError, match="unknown keys.*min_level"):
        IcePolicy.load(path)
    path.write_text(json.dumps({"min_conviction_level": "capital"}))
    with pytest.raises(ValueError, match="min_conviction_level must be one of"):
        IcePolicy.load(path)
