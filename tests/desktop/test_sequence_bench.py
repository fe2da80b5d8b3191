"""`booking-station bench sequence`: its figures and JSON (the captures are replaced by markers: the
real run, with the virtual scanner and the matcher, is the benchmark itself)."""

from __future__ import annotations

import json

from booking_station import cli
from desktop import sequence_bench


def test_bench_sequence_counts_misses_and_false_alarms(tmp_path, monkeypatch):
    monkeypatch.setattr(
        sequence_bench, "_capture", lambda subject: (subject, {"who": subject}, {"who": subject})
    )

    def judge(subject, rolled, flats):
        # Subject 7's booking is wrongly blocked; another person's slaps pass once (subject 8's).
        same_person = rolled["who"] == flats["who"]
        blocked = (subject == 7) if same_person else (subject != 8)
        kinds = ("other-person",) if blocked else ()
        return sequence_bench._Verdict(subject, blocked, kinds, 10, 10 if same_person else 0, 0.01)

    monkeypatch.setattr(sequence_bench, "_judge", judge)
    monkeypatch.setattr(sequence_bench, "_swap_hands", lambda rolled: {"who": -1})
    out = tmp_path / "seq.json"
    assert cli.main(["bench", "sequence", "--cases", "4", "--first-subject", "5", "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert figures["cases"] == 4
    assert figures["other_person_detected_pct"] == 75.0  # 3 of 4
    assert figures["same_person_blocked_pct"] == 25.0  # 1 of 4
    assert [c["subject"] for c in figures["same_person_blocked"]] == [7]
    assert [c["subject"] for c in figures["other_person_missed"]] == [8]
    assert figures["targets"] == {"other_person_detected_pct": ">= 99.5", "same_person_blocked_pct": "<= 0.5"}


def test_bench_sequence_refuses_one_case(capsys):
    assert cli.main(["bench", "sequence", "--cases", "1"]) == 2
    assert "--cases must be at least 2" in capsys.readouterr().err
