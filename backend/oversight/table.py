"""Bookings as columns: the one shape the figures are computed from, whether the rows come from the
backend's store (`from_facts`) or from a simulation (`backend.oversight.demo`, the benchmark)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from backend.oversight import groups, levels
from booking_station.quarters import Quarter


@dataclass
class Bookings:
    oris: list[str]  # the jurisdictions; `ori` indexes this
    quarters: list[Quarter]  # `quarter` indexes this
    ori: np.ndarray  # int
    quarter: np.ndarray  # int
    race: np.ndarray  # int, index into groups.RACES
    birth: np.ndarray  # int, index into groups.BIRTH_GROUPS
    level: np.ndarray  # int, index into levels.LEVELS
    searched: np.ndarray  # bool: answered with an SRE (an ERRT is not searched)
    identified: np.ndarray  # bool: NGI found an FBI record
    prior_conviction: np.ndarray  # bool
    matched: np.ndarray  # bool: IDENT match
    removable: np.ndarray  # bool: removal requested
    detainer: np.ndarray  # bool
    place_of_birth: np.ndarray | None = None  # str codes, for the place-of-birth table

    def __len__(self) -> int:
        return len(self.ori)

    @classmethod
    def from_facts(cls, rows: Sequence, quarters: Sequence[Quarter]) -> Bookings:
        """From `facts.Fact` rows; rows outside `quarters` are left out."""
        position = {q: i for i, q in enumerate(quarters)}
        kept = [r for r in rows if Quarter.of(r.received_at) in position]
        oris = sorted({r.ori for r in kept})
        ori_index = {o: i for i, o in enumerate(oris)}
        race_index = {c: i for i, c in enumerate(groups.RACES)}
        birth_index = {c: i for i, c in enumerate(groups.BIRTH_GROUPS)}
        level_index = {c: i for i, c in enumerate(levels.LEVELS)}

        def column(values, dtype=bool) -> np.ndarray:  # type: ignore[no-untyped-def]
            return np.fromiter(values, dtype=dtype, count=len(kept))

        return cls(
            oris=oris,
            quarters=list(quarters),
            ori=column((ori_index[r.ori] for r in kept), int),
            quarter=column((position[Quarter.of(r.received_at)] for r in kept), int),
            race=column((race_index.get(r.race, race_index["U"]) for r in kept), int),
            birth=column((birth_index.get(r.birth, birth_index[groups.UNKNOWN_BIRTH]) for r in kept), int),
            level=column((level_index.get(r.offense_level, 3) for r in kept), int),
            searched=column(r.answer == "SRE" for r in kept),
            identified=column(r.identified for r in kept),
            prior_conviction=column(r.prior_conviction for r in kept),
            matched=column(r.ident_match for r in kept),
            removable=column(r.removable for r in kept),
            detainer=column(r.detainer for r in kept),
            place_of_birth=np.array([r.place_of_birth for r in kept], dtype=object),
        )

    def where(self, mask: np.ndarray) -> Bookings:
        return Bookings(
            self.oris,
            self.quarters,
            *(getattr(self, name)[mask] for name in _COLUMNS),
            place_of_birth=None if self.place_of_birth is None else self.place_of_birth[mask],
        )


_COLUMNS = (
    "ori",
    "quarter",
    "race",
    "birth",
    "level",
    "searched",
    "identified",
    "prior_conviction",
    "matched",
    "removable",
    "detainer",
)
