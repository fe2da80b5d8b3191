"""The arrest-rate baseline: for each jurisdiction, its arrests in a reference period by race and
the number of them born abroad (e.g. from the UCR's arrests by race and the jail's own records).

CSV, UTF-8, one row per ORI, a header naming the columns (any order; other columns are ignored):

    ori,county,state,period,arrests,white,black,asian,american_indian,born_abroad
    TX0570000,Dallas,TX,2025,4210,2350,1610,84,21,980

`arrests` is the total; the race columns are counts (their sum may be less than `arrests`: race
not recorded); `born_abroad` is a count. The share the review expects is count / arrests.
A bad file is refused whole, with one line per problem naming the line and the column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from booking_station.runtime import UserError

#: CSV column -> NCIC race code.
RACE_COLUMNS = {"white": "W", "black": "B", "asian": "A", "american_indian": "I"}
REQUIRED = ("ori", "county", "state", "arrests", *RACE_COLUMNS, "born_abroad")
COLUMNS = ("ori", "county", "state", "period", "arrests", *RACE_COLUMNS, "born_abroad")
_ORI = re.compile(r"^[A-Z0-9]{9}$")
_STATE = re.compile(r"^[A-Z]{2}$")
_MAX_PROBLEMS = 20


class BaselineError(UserError):
    """The CSV cannot be used; the message lists every problem found (up to 20)."""


@dataclass(frozen=True)
class Baseline:
    ori: str
    county: str
    state: str
    period: str
    arrests: int
    race: dict[str, int]  # NCIC code -> arrests
    born_abroad: int

    def race_share(self, code: str) -> float:
        return self.race.get(code, 0) / self.arrests

    @property
    def born_abroad_share(self) -> float:
        return self.born_abroad / self.arrests

    def as_row(self) -> dict[str, str | int]:
        return {
            "ori": self.ori,
            "county": self.county,
            "state": self.state,
            "period": self.period,
            "arrests": self.arrests,
            **{column: self.race[code] for column, code in RACE_COLUMNS.items()},
            "born_abroad": self.born_abroad,
        }


def parse(text: str, source: str = "baseline CSV") -> dict[str, Baseline]:
    """ORI -> Baseline. Raises BaselineError naming each problem (line numbers count the header as 1)."""
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark from a spreadsheet
    if not text.strip():
        raise BaselineError(
            f"{source} is empty: it needs a header line ({','.join(COLUMNS)}) and one row per ORI"
        )
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise BaselineError(
            f"{source}: the header lacks the column(s) {', '.join(missing)} "
            f"(found: {', '.join(h for h in header if h) or 'nothing'}); expected {','.join(COLUMNS)}"
        )
    reader.fieldnames = header
    problems: list[str] = []
    found: dict[str, Baseline] = {}
    for line, raw in enumerate(reader, start=2):
        if None in raw:
            problems.append(f"line {line}: more values than columns")
            continue
        row = {k: (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue  # a blank line
        here = len(problems)
        ori = row["ori"].upper()
        if not _ORI.match(ori):
            problems.append(f"line {line}: ori {row['ori']!r} is not a 9-character ORI")
        elif ori in found:
            problems.append(f"line {line}: ori {ori} appears twice")
        state = row["state"].upper()
        if not _STATE.match(state):
            problems.append(f"line {line}: state {row['state']!r} is not a two-letter state code")
        elif _ORI.match(ori) and ori[:2] != state:
            problems.append(f"line {line}: state {state} does not match the ORI's state {ori[:2]}")
        if not row["county"]:
            problems.append(f"line {line}: county is empty")
        numbers = {}
        for column in ("arrests", *RACE_COLUMNS, "born_abroad"):
            value = row[column].replace(",", "") if column != "arrests" else row[column]
            if not re.fullmatch(r"\d+", value):
                problems.append(f"line {line}: {column} {row[column]!r} is not a whole number of arrests")
            else:
                numbers[column] = int(value)
        if len(numbers) == len(RACE_COLUMNS) + 2:
            arrests = numbers["arrests"]
            race_sum = sum(numbers[c] for c in RACE_COLUMNS)
            if arrests == 0:
                problems.append(f"line {line}: arrests is 0: no share can be expected from it")
            elif race_sum > arrests:
                problems.append(
                    f"line {line}: the race columns add up to {race_sum}, more than arrests ({arrests})"
                )
            if numbers["born_abroad"] > arrests:
                problems.append(
                    f"line {line}: born_abroad ({numbers['born_abroad']}) is more than arrests ({arrests})"
                )
        if len(problems) == here:
            found[ori] = Baseline(
                ori=ori,
                county=row["county"],
                state=state,
                period=row.get("period", "") or "",
                arrests=numbers["arrests"],
                race={code: numbers[column] for column, code in RACE_COLUMNS.items()},
                born_abroad=numbers["born_abroad"],
            )
        if len(problems) >= _MAX_PROBLEMS:
            problems.append("(stopped after 20 problems)")
            break
    if problems:
        raise BaselineError(f"{source} cannot be used:\n  " + "\n  ".join(problems))
    if not found:
        raise BaselineError(f"{source} has a header but no rows")
    return found


def to_csv(rows: dict[str, Baseline]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for ori in sorted(rows):
        writer.writerow(rows[ori].as_row())
    return out.getvalue()


# --- kept in the backend's store ---------------------------------------------------------------------
_KEY = "oversight_baseline"


def save(store, text: str) -> dict[str, Baseline]:  # type: ignore[no-untyped-def]
    """Check `text` and keep it as the baseline in force (replacing the one before)."""
    from backend._db import Setting, utcnow

    rows = parse(text)
    with store.session() as s:
        s.merge(Setting(key=_KEY, value={"csv": to_csv(rows), "loaded_at": utcnow().isoformat()}))
    store.log("oversight", f"arrest-rate baseline loaded: {len(rows)} jurisdictions")
    return rows


def load(store) -> tuple[dict[str, Baseline], str | None]:  # type: ignore[no-untyped-def]
    """The baseline in force and when it was loaded; ({}, None) when none was."""
    from backend._db import Setting

    with store.session() as s:
        setting = s.get(Setting, _KEY)
        if setting is None:
            return {}, None
        return parse(setting.value["csv"], "the stored baseline"), setting.value.get("loaded_at")
