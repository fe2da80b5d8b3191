"""The rights-notice texts: one TOML file per language in `resources/rights/`.

Every file has the same keys and carries the same facts (checked by tests); the deadline is written
with the language's own date format, given in the file, so no locale data is needed at run time.
"""

from __future__ import annotations

import functools
import importlib.resources
import tomllib
from dataclasses import dataclass
from datetime import datetime

# Paragraphs of the notice, in the order they are printed. "limit" states the detainer form's rule
# (Saturdays, Sundays and Federal holidays not counted); where the agency also skips the state's
# holidays, "limit_state" is printed in its place.
PARAGRAPHS = ("held", "limit", "deadline", "tell_jail", "citizen_or_victim", "complaint", "address")
ALTERNATIVES = {"limit": "limit_state"}
LABELS = ("name", "booking", "detainer", "deadline", "served")
FONTS = (
    "sans", "arabic", "urdu", "gurmukhi", "devanagari", "bengali", "gujarati", "ethiopic", "cjk-sc", "cjk-tc", "cjk-kr"
)  # fmt: skip
_DATE_FIELDS = ("weekday", "day", "month", "month_num", "year", "hour", "hour12", "minute", "ampm", "tz")


@dataclass(frozen=True)
class RightsText:
    code: str
    own_name: str
    english_name: str
    direction: str  # "ltr" | "rtl"
    font: str  # one of FONTS
    weekdays: tuple[str, ...]  # Monday first
    months: tuple[str, ...]
    am_pm: tuple[str, str]
    date_format: str
    labels: dict[str, str]
    title: str
    paragraphs: dict[str, str]  # every key of PARAGRAPHS and ALTERNATIVES
    reviewed: bool  # checked by a qualified translator (the file's [review] table)
    review_note: str  # who reviewed it and when, or why it has not been

    def format_date(self, moment: datetime) -> str:
        """`moment` (aware, already in the jail's zone) in this language's own date format."""
        hour12 = moment.hour % 12 or 12
        return self.date_format.format(
            weekday=self.weekdays[moment.weekday()],
            day=moment.day,
            month=self.months[moment.month - 1],
            month_num=moment.month,
            year=moment.year,
            hour=f"{moment.hour:02d}",
            hour12=hour12,
            minute=f"{moment.minute:02d}",
            ampm=self.am_pm[moment.hour >= 12],
            tz=moment.tzname() or "",
        )

    def paragraph(self, key: str, deadline: datetime, *, state_holidays: bool = False) -> str:
        """Paragraph `key` as printed; `state_holidays` picks the wording of the agency's rule."""
        if state_holidays and key in ALTERNATIVES:
            key = ALTERNATIVES[key]
        text = self.paragraphs[key]
        return text.format(deadline=self.format_date(deadline)) if key == "deadline" else text


def _folder() -> importlib.resources.abc.Traversable:
    return importlib.resources.files("resources") / "rights"


@functools.cache
def language_codes() -> list[str]:
    """Codes of every language with a file, English first, then by English name."""
    texts = [load(p.name.removesuffix(".toml")) for p in _folder().iterdir() if p.name.endswith(".toml")]
    texts.sort(key=lambda t: (t.code != "en", t.english_name))
    return [t.code for t in texts]


def languages() -> list[RightsText]:
    return [load(code) for code in language_codes()]


def find(query: str) -> list[RightsText]:
    """Languages whose code, own name or English name contains `query` (case-insensitive)."""
    q = query.strip().casefold()
    return [
        t
        for t in languages()
        if q in t.code.casefold() or q in t.own_name.casefold() or q in t.english_name.casefold()
    ]


# Other spellings of our codes (the backend's detainer lists ISO 639-1 codes such as "zh").
_ALIASES = {
    "zh": "zh-Hans", "zh-cn": "zh-Hans", "zh-hans": "zh-Hans", "zh-sg": "zh-Hans",
    "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-hant": "zh-Hant", "zh-mo": "zh-Hant",
    "pan": "pa", "fil": "tl", "fas": "fa", "per": "fa", "pus": "ps", "pbt": "ps", "pbu": "ps",
    "amh": "am", "tir": "ti", "tur": "tr", "ron": "ro", "rum": "ro", "mo": "ro", "ukr": "uk",
    "urd": "ur", "ben": "bn", "nep": "ne", "npi": "ne", "hin": "hi", "guj": "gu",
}  # fmt: skip


def resolve(code: str) -> str | None:
    """Our code for a language code from elsewhere (e.g. "zh" -> "zh-Hans"), or None if we have no text."""
    code = _ALIASES.get(code.strip().lower(), code.strip())
    return code if code in language_codes() else None


@functools.cache
def load(code: str) -> RightsText:
    """The text for `code`, or a ValueError that lists the languages there are."""
    code = _ALIASES.get(code.lower(), code)
    path = _folder() / f"{code}.toml"
    if "/" in code or not path.is_file():
        known = ", ".join(
            sorted(p.name.removesuffix(".toml") for p in _folder().iterdir() if p.name.endswith(".toml"))
        )
        raise ValueError(f"no rights notice in language {code!r}; there are: {known}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return _from_data(code, data)
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"rights notice file {code}.toml is malformed: {exc}") from exc


def _from_data(code: str, data: dict) -> RightsText:
    if data["code"] != code:
        raise ValueError(f"its code is {data['code']!r}, not {code!r}")
    if data["direction"] not in ("ltr", "rtl"):
        raise ValueError(f"direction must be ltr or rtl, not {data['direction']!r}")
    if data["font"] not in FONTS:
        raise ValueError(f"font must be one of {', '.join(FONTS)}, not {data['font']!r}")
    date = data["date"]
    if len(date["weekdays"]) != 7 or len(date["months"]) != 12 or len(date["am_pm"]) != 2:
        raise ValueError("[date] needs 7 weekdays, 12 months and 2 am/pm markers")
    text = data["text"]
    review = data["review"]
    if not isinstance(review.get("reviewed"), bool):
        raise ValueError("[review] reviewed must be true or false")
    if review["reviewed"] and not (review.get("by") and review.get("date")):
        raise ValueError("[review] a reviewed text names its reviewer (by) and the date")
    missing = [k for k in (*PARAGRAPHS, *ALTERNATIVES.values(), "title") if k not in text] + [
        f"labels.{k}" for k in LABELS if k not in data["labels"]
    ]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    result = RightsText(
        code=code,
        own_name=data["own_name"],
        english_name=data["english_name"],
        direction=data["direction"],
        font=data["font"],
        weekdays=tuple(date["weekdays"]),
        months=tuple(date["months"]),
        am_pm=(date["am_pm"][0], date["am_pm"][1]),
        date_format=date["format"],
        labels={k: data["labels"][k] for k in LABELS},
        title=text["title"],
        paragraphs={k: text[k] for k in (*PARAGRAPHS, *ALTERNATIVES.values())},
        reviewed=review["reviewed"],
        review_note=f"reviewed by {review['by']} on {review['date']}"
        if review["reviewed"]
        else review.get("note", ""),
    )
    # Fail on a bad date pattern now, not when a clerk is serving a copy.
    try:
        result.format_date(datetime(2000, 1, 1))
    except (KeyError, IndexError) as exc:
        raise ValueError(
            f"[date] format uses an unknown field {exc}; known: {', '.join(_DATE_FIELDS)}"
        ) from exc
    return result
