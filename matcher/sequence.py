"""Sequence check: do the rolled prints sit at the positions their slap (flat) fingers say?

Every rolled print is compared with every flat finger, and the rolled prints with each other.
A rolled print that matches its own flat finger is confirmed. Otherwise the pattern of matches
says what went wrong: two rolled prints that each match the other's flat finger were swapped;
the rolled prints of one hand that match the other hand's flats were taken from the wrong hand;
two rolled prints that match each other are the same finger captured twice; a rolled print that
matches some other flat finger is misplaced; one that matches nothing cannot be confirmed
(often just a poor print, so it is a warning, not an error).

Many rolled prints that match nothing are not poor prints: the slaps and the rolled prints are of
two different people (a mix-up at the platen, another person's card), and that is an error
(`OTHER_PERSON`). The evidence is counted against each booking's own scores, not a fixed
threshold: a rolled print *matches* its flat finger when that score is the best of its row and
`_MATCH_RATIO` times the booking's noise floor (the median of its scores, nearly all comparisons of
different fingers). When fewer than half of the fingers judged match, or none of a flat capture's
fingers (two or more judged) match, those fingers are flagged as another person's.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from booking_station.fingers import SLAP_FINGERS, finger_name

if TYPE_CHECKING:
    from matcher import Template

__all__ = ["Finding", "FindingKind", "SequenceReport", "check_sequence"]


def _mirror(fgp: int) -> int:
    """The same finger of the other hand."""
    return fgp + 5 if fgp <= 5 else fgp - 5


class FindingKind(enum.StrEnum):
    SWAPPED = "swapped"
    WRONG_HAND = "wrong-hand"
    DUPLICATE = "duplicate"
    MISPLACED = "misplaced"
    OTHER_PERSON = "other-person"
    UNCONFIRMED = "unconfirmed"


_ERRORS = {
    FindingKind.SWAPPED,
    FindingKind.WRONG_HAND,
    FindingKind.DUPLICATE,
    FindingKind.MISPLACED,
    FindingKind.OTHER_PERSON,
}


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    fingers: tuple[int, ...]  # the rolled positions concerned (FGP codes)
    message: str

    @property
    def is_error(self) -> bool:
        return self.kind in _ERRORS


@dataclass(frozen=True)
class SequenceReport:
    findings: tuple[Finding, ...]
    confirmed: frozenset[int]  # rolled positions that match their own flat finger
    scores: Mapping[tuple[int, int], float] = field(repr=False)  # (rolled, flat) -> similarity
    threshold: float = 0.0
    floor: float = 0.0  # the booking's noise floor: the median of its rolled-against-flat scores
    judged: frozenset[int] = frozenset()  # rolled positions whose own flat finger was there to compare
    matched: frozenset[int] = frozenset()  # of those, the ones that clearly match it (`_MATCH_RATIO`)

    @property
    def ok(self) -> bool:
        """No errors (unconfirmed fingers are warnings and do not block)."""
        return not any(f.is_error for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    def summary(self) -> str:
        if not self.findings:
            return f"sequence confirmed for {len(self.confirmed)} finger(s)"
        return "; ".join(f.message for f in self.findings)


# The check is closed-set: one person's rolled prints against the same person's flat fingers, so
# most of the 10 × 10 scores are impostor comparisons and their median is the card's noise floor
# (it depends on the matcher and on image resolution and quality: 0.0095 on the 250 ppi NBIS card
# with the texture-weighted score, 0.015 before). Decisions are made relative to it, not against
# the 1:1 threshold: different fingers of one person reach 2× the floor (above
# FINGER_MATCH_THRESHOLD on synthetic prints; 1.4× at most on the card), genuine rolled/flat pairs
# 2–12× on the card and more on 500 ppi prints, the same finger rolled twice 12× and more.
_CONFIRM_RATIO = 1.2  # own flat finger: the row's best score and this far above the floor
_STRONG_RATIO = 3.0  # another flat finger: this far above the floor
_TWIN_RATIO = 5.0  # another rolled print (the same finger captured twice): this far above their floor
_STRONG_MIN = 0.013  # and at least this score (0.02 before the texture weight scaled scores by ≈ 0.65), so a card of pure noise raises no errors
# A rolled print matches its own flat finger clearly (evidence it is the same person) at this ratio:
# genuine pairs reach 2.2× and more on the 250 ppi NBIS card and 10× and more on synthetic
# bookings; another person's finger in its place stays near the floor (see `bench sequence`).
_MATCH_RATIO = 1.8


def check_sequence(
    rolled: Mapping[int, Template],
    flats: Mapping[int, Template],
    score: Callable[[Template, Template], float] | None = None,
) -> SequenceReport:
    """Compare rolled prints (FGP 1–10) with flat fingers (FGP 1–10, segmented from the slaps).

    A rolled print is confirmed when its own flat finger is its best match and clearly above the
    card's noise floor; it is flagged when another finger matches it strongly (`_STRONG_RATIO`
    above the floor), or as part of a pattern (a mutual swap, a mirrored hand). Positions missing from
    either side are not judged. `score` replaces the matcher (for tests of the rules).
    """
    compare = score or _score
    bad = [k for k in (*rolled, *flats) if not 1 <= int(k) <= 10]
    if bad:
        raise ValueError(f"sequence check takes finger positions 1–10, not {sorted(set(bad))}")

    cross = {(r, f): compare(rolled[r], flats[f]) for r in rolled for f in flats}
    pairs = sorted(rolled)
    twin = {(a, b): compare(rolled[a], rolled[b]) for i, a in enumerate(pairs) for b in pairs[i + 1 :]}
    floor = _floor(cross)
    strong = max(_STRONG_MIN, _STRONG_RATIO * floor)
    return _judge(sorted(rolled), sorted(flats), cross, twin, floor, strong)


def _floor(scores: Mapping[tuple[int, int], float]) -> float:
    values = sorted(scores.values())
    return values[len(values) // 2] if values else 0.0


def _score(a: Template, b: Template) -> float:
    from matcher import Matcher

    # Symmetric: rolled and flat prints differ in area, so take the better direction.
    return max(Matcher(a).score(b), Matcher(b).score(a))


def _judge(
    rolled: list[int],
    flats: list[int],
    cross: Mapping[tuple[int, int], float],
    twin: Mapping[tuple[int, int], float],
    floor: float,
    t: float,
) -> SequenceReport:
    findings: list[Finding] = []

    def own_is_best(r: int) -> bool:
        own = cross.get((r, r))
        if own is None or own < _CONFIRM_RATIO * floor or own <= 0:
            return False
        return all(s <= own for (rr, _f), s in cross.items() if rr == r)

    confirmed = frozenset(r for r in rolled if own_is_best(r))
    judged = frozenset(r for r in rolled if (r, r) in cross)
    matched = frozenset(r for r in confirmed if cross[(r, r)] >= _MATCH_RATIO * floor)
    # For each rolled print not confirmed: the other flat finger it matches best, when that is the
    # best of its row and above the floor. Such a lead alone is weak evidence; a pattern of them
    # (a mutual swap, a whole hand mirrored) or a strong score (>= t) makes it an error.
    best_other: dict[int, tuple[int, float]] = {}
    for r in rolled:
        if r in confirmed:
            continue
        row = [(f, s) for (rr, f), s in cross.items() if rr == r]
        if not row:
            continue
        f, s = max(row, key=lambda fs: fs[1])
        if f != r and s >= _CONFIRM_RATIO * floor and s > cross.get((r, r), 0.0):
            best_other[r] = (f, s)
    explained: set[int] = set()

    # Wrong hand: most of one hand's unconfirmed rolled prints match the other hand's same finger.
    for hand, label, other in ((range(1, 6), "right", "left"), (range(6, 11), "left", "right")):
        comparable = [r for r in rolled if r in hand and _mirror(r) in flats]
        mirrored = [r for r in comparable if r in best_other and best_other[r][0] == _mirror(r)]
        if len(comparable) >= 2 and len(mirrored) >= max(2, (len(comparable) + 1) // 2):
            findings.append(
                Finding(
                    FindingKind.WRONG_HAND,
                    tuple(mirrored),
                    f"the {label}-hand rolled prints match the {other} hand's flat fingers "
                    f"({', '.join(finger_name(r) for r in mirrored)}): wrong hand rolled",
                )
            )
            explained.update(mirrored)

    # Swapped pairs: each matches the other's flat finger.
    for r in rolled:
        if r in explained or r not in best_other:
            continue
        f = best_other[r][0]
        if f in best_other and best_other[f][0] == r and f not in explained:
            findings.append(
                Finding(
                    FindingKind.SWAPPED,
                    (r, f),
                    f"rolled {finger_name(r)} and {finger_name(f)} appear swapped",
                )
            )
            explained.update((r, f))

    # The same finger rolled twice: far above the other rolled-against-rolled scores.
    twin_strong = max(_STRONG_MIN, _TWIN_RATIO * _floor(twin))
    for (a, b), s in sorted(twin.items()):
        if s >= twin_strong:
            findings.append(
                Finding(
                    FindingKind.DUPLICATE,
                    (a, b),
                    f"rolled {finger_name(a)} and {finger_name(b)} are the same finger captured twice",
                )
            )
            explained.update(x for x in (a, b) if x not in confirmed)

    for r in rolled:
        if r in confirmed or r in explained:
            continue
        if r not in flats and r in best_other and best_other[r][0] in matched:
            # Its own flat finger is missing (lost by segmentation, its fingertip often in the next
            # crop), and the flat finger it matches is already its own rolled print's: no evidence
            # of a misplaced finger. (Had the same finger been rolled twice, DUPLICATE says so.)
            continue
        if r in best_other and best_other[r][1] >= t:
            explained.add(r)
            f = best_other[r][0]
            findings.append(
                Finding(
                    FindingKind.MISPLACED,
                    (r,),
                    f"rolled {finger_name(r)} matches the flat {finger_name(f)}, not its own",
                )
            )

    other = _other_person(judged, matched, explained)
    if other:
        findings.append(
            Finding(
                FindingKind.OTHER_PERSON,
                other,
                f"rolled {', '.join(finger_name(r) for r in other)} match none of the slap fingers: "
                "the slaps and the rolled prints may be of different people",
            )
        )
        explained.update(other)
    for r in rolled:
        if r in confirmed or r in explained or r not in flats:
            continue
        findings.append(
            Finding(
                FindingKind.UNCONFIRMED,
                (r,),
                f"rolled {finger_name(r)} could not be confirmed against its flat finger",
            )
        )
    findings.sort(key=lambda f: (not f.is_error, f.fingers))
    return SequenceReport(tuple(findings), confirmed, dict(cross), t, floor, judged, matched)


def _other_person(judged: frozenset[int], matched: frozenset[int], explained: set[int]) -> tuple[int, ...]:
    """The rolled prints that look like another person's: every one judged when fewer than half of
    them match (a chance match among another person's fingers proves nothing), else those of a flat
    capture none of whose judged fingers match. Fingers another finding already explains (a swap, a
    wrong hand) are left to it."""
    unmatched = {r for r in judged - matched if r not in explained}
    if len(judged) >= 2 and len(matched) * 2 < len(judged):
        return tuple(sorted(r for r in judged if r not in explained))
    out: set[int] = set()
    for fingers in SLAP_FINGERS.values():
        group = judged & set(fingers)
        if len(group) >= 2 and not group & matched:
            out |= group & unmatched
    return tuple(sorted(out)) if len(out) >= 2 else ()
