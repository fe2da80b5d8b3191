"""The admin view: who is in the population, what came in, what was answered, what was done.

It is a mock's convenience for demos and end-to-end tests (pick a subject with a record, cancel a
detainer); searching never looks at it.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy import case, func, select

from backend._db import Action, Agency, Detainer, Message, PersonRow, Transaction, iso

if TYPE_CHECKING:
    from backend.service import Service


def population(service: Service, record: str | None = None) -> list[dict]:
    """Every person with their records and what the ICE policy would do, optionally only those with `record`."""
    with service.store.session() as s:
        rows = [r.record for r in s.scalars(select(PersonRow).order_by(PersonRow.subject_id))]
    found = []
    for person in rows:
        status = person["immigration_status"]
        expected = service.policy.decide(status, person["offenses"]).lodge if status else False
        person = {**person, "detainer_expected": expected}
        wanted = {
            None: True,
            "fbi": bool(person["fbi_number"]),
            "ident": bool(person["fin"]),
            "detainer": expected,
            "none": not person["fbi_number"] and not person["fin"],
        }[record]
        if wanted:
            found.append(person)
    return found


def transactions(service: Service, limit: int = 100) -> list[dict]:
    with service.store.session() as s:
        rows = s.scalars(select(Transaction).order_by(Transaction.id.desc()).limit(limit)).all()
        return [
            {
                "tcn": t.tcn,
                "ori": t.ori,
                "tot": t.tot,
                "received_at": iso(t.received_at),
                "status": t.status,
                "outcome": t.outcome,
                "finished_at": iso(t.finished_at) if t.finished_at else None,
            }
            for t in rows
        ]


def detainers(service: Service) -> list[dict]:
    with service.store.session() as s:
        return [
            {
                "id": d.id,
                "tcn": d.tcn,
                "ori": d.ori,
                "subject_id": d.subject_id,
                "lodged_at": iso(d.lodged_at),
                "office": d.office,
                "status": d.status,
                "cancelled_at": iso(d.cancelled_at) if d.cancelled_at else None,
                "cancel_reason": d.cancel_reason,
            }
            for d in s.scalars(select(Detainer).order_by(Detainer.lodged_at.desc()))
        ]


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body or '<tr><td colspan=99>none</td></tr>'}</tbody></table>"


def html(service: Service) -> str:
    state, config = service.state, service.config
    people = population(service)
    with service.store.session() as s:
        agencies = s.scalars(select(Agency).order_by(Agency.ori)).all()
        mailboxes = s.execute(
            select(Message.ori, func.count(), func.sum(case((Message.acked, 1), else_=0)))
            .group_by(Message.ori)
            .order_by(Message.ori)
        ).all()
        actions = s.scalars(select(Action).order_by(Action.id.desc()).limit(200)).all()
    e = escape
    people_rows = [
        [
            str(p["subject_id"]),
            e(f"{p['family_name']}, {p['given_name']}"),
            e(p["sex"]),
            e(p["dob"]),
            e(p["birth_country"]),
            e(", ".join(p["languages"])),
            e(p["fbi_number"] or ""),
            e(
                "; ".join(
                    f"{o['date']} {o['offense']} ({o['level']}, {o['disposition']})" for o in p["offenses"]
                )
            ),
            e(p["fin"] or ""),
            e(p["immigration_status"] or ""),
            "yes" if p["detainer_expected"] else "",
        ]
        for p in people
    ]
    tx_rows = [
        [
            f'<a href="/admin/transactions/{e(quote(t["tcn"], safe=""))}">{e(t["tcn"])}</a>',
            e(t["ori"]),
            e(t["received_at"]),
            e(t["status"]),
            e(_outcome(t["outcome"])),
        ]
        for t in transactions(service, 200)
    ]
    det_rows = [
        [
            e(d["id"]),
            e(d["tcn"]),
            e(d["ori"]),
            str(d["subject_id"]),
            e(d["lodged_at"]),
            e(d["office"]),
            e(d["status"] + (f" ({d['cancel_reason']})" if d["cancel_reason"] else "")),
            ""
            if d["status"] != "lodged"
            else f"<button onclick=\"cancelDetainer('{e(d['id'])}')\">cancel</button>",
        ]
        for d in detainers(service)
    ]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mock FBI/DHS backend</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }} table {{ border-collapse: collapse; margin-bottom: 1.5em; }}
td, th {{ border: 1px solid #bbb; padding: 2px 6px; font-size: 13px; text-align: left; vertical-align: top; }}
th {{ background: #eee; }}
</style>
<script>
async function cancelDetainer(id) {{
  const reason = prompt("Reason for cancelling detainer " + id);
  if (!reason) return;
  const r = await fetch("/admin/detainers/" + id + "/cancel", {{method: "POST",
    headers: {{"content-type": "application/json"}}, body: JSON.stringify({{reason}})}});
  if (!r.ok) alert((await r.json()).detail); location.reload();
}}
</script></head><body>
<h1>Mock FBI NGI / DHS IDENT / ICE LESC</h1>
<p>Status: <b>{e(state.status)}</b> ({state.progress:.0%}) &mdash; {e(state.message)}.
Population seed {config.seed}, {len(people)} people. Demo delays {"on" if config.demo_delays else "off"};
faults {e(str(config.faults.as_dict()))}. JSON: <a href="/admin/population">population</a>,
<a href="/admin/transactions">transactions</a>, <a href="/admin/detainers">detainers</a>,
<a href="/admin/settings">settings</a>; <a href="/docs">API</a>.
<a href="/admin/oversight">Oversight review by jurisdiction and quarter</a>.</p>
<h2>Detainers</h2>
{_table(["id", "TCN", "ORI", "subject", "lodged", "office", "status", ""], det_rows)}
<h2>Transactions</h2>
{_table(["TCN", "ORI", "received", "status", "outcome"], tx_rows)}
<h2>Agencies and mailboxes</h2>
{_table(["ORI", "name", "immigration responses"], [[e(a.ori), e(a.name), "yes" if a.immigration_responses else "declined"] for a in agencies])}
{_table(["ORI", "messages", "acknowledged"], [[e(m[0]), str(m[1]), str(m[2] or 0)] for m in mailboxes])}
<h2>Population</h2>
<p>The records searching finds by fingerprints; subject numbers are the virtual scanner's.</p>
{_table(["subject", "name", "sex", "DOB", "born", "reads", "FBI number", "criminal history", "IDENT FIN", "status", "detainer expected"], people_rows)}
<h2>Actions (latest 200)</h2>
{_table(["time", "action", "TCN", "ORI", "details"], [[e(iso(a.at)), e(a.kind), e(a.tcn or ""), e(a.ori or ""), e(a.details)] for a in actions])}
</body></html>"""


def _outcome(outcome: dict | None) -> str:
    if not outcome:
        return ""
    return ", ".join(
        f"{k}={'; '.join(map(str, v)) if isinstance(v, list) else v}"
        for k, v in outcome.items()
        if v is not None and v != []
    )
