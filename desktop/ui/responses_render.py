"""How each kind of response reads on the Responses page: one line for the list, HTML for the
detail. Qt-free apart from translation; every value from outside is HTML-escaped. The FBI's and
ICE's own words (an ERRT's message, a rap sheet) are shown as received; where to fix an ERRT line
comes from the core (`responses.fix_place`), worded here."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.station.messages import Recorded
from desktop.station.responses import ResponseView, fix_place
from desktop.ui.code_text import code_table
from desktop.ui.message_text import recorded_text

# ERRT Type-2 field -> where the clerk fixes it.
_WHERE = {
    "2.018": QT_TRANSLATE_NOOP("Responses", "Name (Details page)"),
    "2.019": QT_TRANSLATE_NOOP("Responses", "Aliases (Details page)"),
    "2.020": QT_TRANSLATE_NOOP("Responses", "Place of birth (Details page)"),
    "2.022": QT_TRANSLATE_NOOP("Responses", "Date of birth (Details page)"),
    "2.024": QT_TRANSLATE_NOOP("Responses", "Sex (Details page)"),
    "2.025": QT_TRANSLATE_NOOP("Responses", "Race (Details page)"),
    "2.027": QT_TRANSLATE_NOOP("Responses", "Height (Details page)"),
    "2.029": QT_TRANSLATE_NOOP("Responses", "Weight (Details page)"),
    "2.031": QT_TRANSLATE_NOOP("Responses", "Eye colour (Details page)"),
    "2.032": QT_TRANSLATE_NOOP("Responses", "Hair colour (Details page)"),
    "2.045": QT_TRANSLATE_NOOP("Responses", "Arrest date (Details page)"),
    "2.047": QT_TRANSLATE_NOOP("Responses", "Charges (Details page)"),
}
_EXCLUDED = {
    "saturday": QT_TRANSLATE_NOOP("Responses", "Saturdays"),
    "sunday": QT_TRANSLATE_NOOP("Responses", "Sundays"),
    "holiday": QT_TRANSLATE_NOOP("Responses", "holidays"),
}


_CLAIM_OUTCOMES = {
    "withdrawn": QT_TRANSLATE_NOOP("Responses", "detainer withdrawn"),
    "refused": QT_TRANSLATE_NOOP("Responses", "refused, the detainer stands"),
    "pending": QT_TRANSLATE_NOOP("Responses", "pending, the detainer stands"),
}
_CLAIM_KINDS = {
    "citizen": QT_TRANSLATE_NOOP("Responses", "U.S. citizen"),
    "victim": QT_TRANSLATE_NOOP("Responses", "victim of a crime"),
}


def tr(text: str) -> str:
    return QCoreApplication.translate("Responses", text)


def title(view: ResponseView) -> str:
    s = view.summary
    if "unreadable" in s:
        return QCoreApplication.translate("Responses", "{kind}: cannot be read").format(kind=view.kind)
    if view.kind == "SRE":
        if s.get("identified"):
            return QCoreApplication.translate("Responses", "FBI: identified, FBI number {fbi}").format(
                fbi=s.get("fbi_number", "")
            )
        return QCoreApplication.translate("Responses", "FBI: no record (non-identification)")
    if view.kind == "ERRT":
        return QCoreApplication.translate(
            "Responses", "FBI: rejected, %n error(s) to fix", None, len(s.get("errors", []))
        )
    if view.kind == "IAR":
        status = (s.get("status_determination") or {}).get("text", "")
        return QCoreApplication.translate("Responses", "DHS/ICE: immigration response, {status}").format(
            status=status
        )
    if view.kind == "DETAINER":
        # The form is I-247 in the station's words; its version (I-247A) is data, shown in the detail.
        return QCoreApplication.translate("Responses", "ICE: detainer lodged (Form {form})").format(
            form=s.get("form", "I-247")
        )
    if view.kind == "DETAINER_CANCEL":
        return QCoreApplication.translate("Responses", "ICE: detainer cancelled")
    if view.kind in ("CLAIM_CITIZEN", "CLAIM_VICTIM"):
        return QCoreApplication.translate("Responses", "ICE: decision on the claim: {outcome}").format(
            outcome=tr(_CLAIM_OUTCOMES.get(s.get("outcome", ""), s.get("outcome", "")))
        )
    return view.kind


def where_to_fix(field: str, message: str) -> str:
    """Where the clerk corrects what an ERRT line names."""
    place = fix_place(field, message)
    if place.page == "details":
        return tr(_WHERE[place.field])
    if place.page == "capture":
        if place.field == "2.084":
            return QCoreApplication.translate("Responses", "Amputated / unable to print (Capture page)")
        if len(place.fingers) > 1:
            return QCoreApplication.translate(
                "Responses", "Fingerprints (Capture page): retake fingers {n}"
            ).format(n=", ".join(map(str, place.fingers)))
        if place.fingers:
            return QCoreApplication.translate(
                "Responses", "Fingerprints (Capture page): retake finger {n}"
            ).format(n=place.fingers[0])
        return QCoreApplication.translate("Responses", "Fingerprints (Capture page)")
    if place.page == "settings":
        return QCoreApplication.translate(
            "Responses", "Station settings (agency ORI) or the station itself: tell your supervisor"
        )
    return QCoreApplication.translate("Responses", "See the message")


def detail_html(view: ResponseView, zone) -> str:
    s = view.summary
    received = view.received_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    received_label = QCoreApplication.translate("Responses", "Received")
    head = (
        f"<h3>{escape(title(view))}</h3><p>{escape(received_label)} {received} · TCN {escape(view.tcn)}</p>"
    )
    if "unreadable" in s:
        why = Recorded.of(s.get("problem"), s["unreadable"])
        return head + f"<p>{escape(recorded_text(why) if why else '')}</p>"
    body = {
        "SRE": _sre,
        "ERRT": _errt,
        "IAR": _iar,
        "DETAINER": _detainer,
        "DETAINER_CANCEL": _cancel,
        "CLAIM_CITIZEN": _claim,
        "CLAIM_VICTIM": _claim,
    }.get(view.kind, _raw)(s, zone)
    return head + body


def _rows(pairs: list[tuple[str, object]]) -> str:
    cells = "".join(
        f"<tr><td><b>{escape(tr(k))}</b></td><td>{escape(str(v))}</td></tr>"
        for k, v in pairs
        if v not in (None, "")
    )
    return f"<table cellspacing='4'>{cells}</table>"


def _lines(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(str(i))}</li>" for i in items) + "</ul>" if items else ""


def _sre(s: dict, zone) -> str:
    out = _rows(
        [
            (QT_TRANSLATE_NOOP("Responses", "Name on file"), s.get("name")),
            (QT_TRANSLATE_NOOP("Responses", "FBI number"), s.get("fbi_number")),
        ]
    )
    if s.get("rap_sheet"):
        heading = QCoreApplication.translate("Responses", "Criminal history")
        out += f"<h4>{escape(heading)}</h4><pre>{escape(chr(10).join(s['rap_sheet']))}</pre>"
    return out + _lines(s.get("messages", []))


def _errt(s: dict, zone) -> str:
    fix = QCoreApplication.translate("Responses", "Fix these, then press “Resubmit corrected”.")
    out = f"<p><b>{escape(fix)}</b></p>"
    out += "<table border='1' cellspacing='0' cellpadding='4'><tr>"
    out += "".join(
        f"<th>{escape(tr(h))}</th>"
        for h in (
            QT_TRANSLATE_NOOP("Responses", "Where to fix"),
            QT_TRANSLATE_NOOP("Responses", "Problem"),
            QT_TRANSLATE_NOOP("Responses", "Code"),
        )
    )
    out += "</tr>"
    for e in s.get("errors", []):
        problem = e.get("message", "")
        meaning = code_table("ERROR_CODES").get(e.get("code", ""), e.get("meaning", ""))
        out += (
            f"<tr><td>{escape(where_to_fix(e.get('field', ''), problem))}</td>"
            f"<td>{escape(problem)}<br><small>{escape(e.get('field', ''))}</small></td>"
            f"<td>{escape(e.get('code', ''))}<br><small>{escape(meaning)}</small></td></tr>"
        )
    return out + "</table>"


def _iar(s: dict, zone) -> str:
    subject = s.get("subject") or {}
    status = s.get("status_determination") or {}
    out = _rows([
        (QT_TRANSLATE_NOOP("Responses", "Status"), f"{status.get('text', '')} ({status.get('code', '')})"),
        (QT_TRANSLATE_NOOP("Responses", "Name in IDENT"), subject.get("name")),
        (QT_TRANSLATE_NOOP("Responses", "Country of birth"), subject.get("country_of_birth")),
        (QT_TRANSLATE_NOOP("Responses", "Date of birth"), subject.get("dob")),
        (QT_TRANSLATE_NOOP("Responses", "Removable"), QCoreApplication.translate("Responses", "yes") if s.get("removable") else QCoreApplication.translate("Responses", "no")),
        (QT_TRANSLATE_NOOP("Responses", "Detainer lodged"), QCoreApplication.translate("Responses", "yes") if s.get("detainer_lodged") else QCoreApplication.translate("Responses", "no")),
        (QT_TRANSLATE_NOOP("Responses", "LESC case"), s.get("lesc_case")),
    ])  # fmt: skip
    encounters = [f"{e.get('date', '')}  {e.get('kind', '')}  {e.get('place', '')}  {e.get('detail', '')}"
                  for e in s.get("encounters", [])]  # fmt: skip
    if encounters:
        heading = QCoreApplication.translate("Responses", "Encounters")
        out += f"<h4>{escape(heading)}</h4>" + _lines(encounters)
    return out + _lines(s.get("reasons", []))


def _detainer(s: dict, zone) -> str:
    office = s.get("issuing_office") or {}
    subject = s.get("subject") or {}
    days = [tr(_EXCLUDED.get(d, d)) for d in s.get("hold_limit_excludes", [])]
    limit = QCoreApplication.translate("Responses", "{h} hours, not counting {days}").format(
        h=s.get("hold_limit_hours", 48), days=", ".join(days)
    )
    out = _rows([
        (QT_TRANSLATE_NOOP("Responses", "Detainer"), s.get("detainer_id")),
        (QT_TRANSLATE_NOOP("Responses", "Form"), " ".join(str(v) for v in (s.get("form"), s.get("form_version") and f"({s['form_version']})") if v)),
        (QT_TRANSLATE_NOOP("Responses", "Lodged"), _local(s.get("lodged_at"), zone)),
        (QT_TRANSLATE_NOOP("Responses", "Subject"), subject.get("name")),
        (QT_TRANSLATE_NOOP("Responses", "Issuing office"), f"{office.get('name', '')}, {office.get('address', '')}, {office.get('phone', '')}"),
        (QT_TRANSLATE_NOOP("Responses", "Hold limit"), limit),
        (QT_TRANSLATE_NOOP("Responses", "Notice languages"), ", ".join(s.get("notice_languages", []))),
    ])  # fmt: skip
    return (
        out
        + "<p>"
        + escape(
            QCoreApplication.translate(
                "Responses", "The 48-hour clock and the detainee’s copy are on the Detainer page."
            )
        )
        + "</p>"
    )


def _cancel(s: dict, zone) -> str:
    return _rows(
        [
            (QT_TRANSLATE_NOOP("Responses", "Detainer"), s.get("detainer_id")),
            (QT_TRANSLATE_NOOP("Responses", "Cancelled"), _local(s.get("cancelled_at"), zone)),
            (QT_TRANSLATE_NOOP("Responses", "Reason"), s.get("reason")),
        ]
    )


def _claim(s: dict, zone) -> str:
    return _rows(
        [
            (QT_TRANSLATE_NOOP("Responses", "Detainer"), s.get("detainer_id")),
            (
                QT_TRANSLATE_NOOP("Responses", "Claim"),
                tr(_CLAIM_KINDS.get(s.get("kind", ""), s.get("kind", ""))),
            ),
            (QT_TRANSLATE_NOOP("Responses", "Decided"), _local(s.get("decided_at"), zone)),
            (QT_TRANSLATE_NOOP("Responses", "Reason"), s.get("reason")),
            (QT_TRANSLATE_NOOP("Responses", "LESC"), s.get("lesc_phone")),
        ]
    )


def _raw(s: dict, zone) -> str:
    return f"<pre>{escape(str(s))}</pre>"


def _local(iso: str | None, zone) -> str:
    """An ISO time from the backend in the jail's time zone (as sent when it cannot be read)."""
    from datetime import datetime

    if not iso:
        return ""
    try:
        return (
            datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        )
    except ValueError:
        return iso
