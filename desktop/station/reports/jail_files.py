"""The jail's quarterly report as files: `jail-<quarter>.pdf` and one CSV per table."""

from __future__ import annotations

from pathlib import Path

from booking_station.reportkit import ReportPdf, new_figure, write_csv
from desktop.station.reports.jail import INPUTS, LABELS, JailReport


def _when(moment) -> str:  # type: ignore[no-untyped-def]
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def write(report: JailReport, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stem = report.name
    paths = {
        "summary": folder / f"{stem}-summary.csv",
        "past_deadline": folder / f"{stem}-past-deadline.csv",
        "copies": folder / f"{stem}-copies.csv",
        "claims": folder / f"{stem}-claims.csv",
        "audit_read": folder / f"{stem}-audit-read.csv",
    }
    q = str(report.quarter)
    write_csv(
        paths["summary"],
        ("quarter", "figure", "label", "value"),
        [(q, code, LABELS[code].strip(), value) for code, value in report.summary()],
    )
    write_csv(
        paths["past_deadline"],
        (
            "quarter",
            "detainer_id",
            "booking",
            "releasable_at",
            "deadline",
            "ended_at",
            "ended_how",
            "hours_over",
        ),
        [
            (
                q,
                h.detainer_id,
                h.booking_number,
                h.releasable_at.isoformat() if h.releasable_at else None,
                h.deadline.isoformat(),
                h.ended_at.isoformat() if h.ended_at else None,
                h.ended_how,
                h.hours_over,
            )
            for h in report.late
        ],
    )
    write_csv(
        paths["copies"],
        ("quarter", "language", "method", "interpreter", "copies"),
        [(q, *key, n) for key, n in sorted(report.copies.items())],
    )
    write_csv(
        paths["claims"],
        ("quarter", "kind", "outcome", "count"),
        [(q, kind, "recorded", n) for kind, n in sorted(report.claims.items())]
        + [(q, kind, outcome, n) for (kind, outcome), n in sorted(report.claim_outcomes.items())],
    )
    write_csv(paths["audit_read"], ("quarter", "action", "events", "counted_as"),
              [(q, action, report.read.get(action, 0), INPUTS[action][1]) for action in INPUTS])  # fmt: skip
    paths["pdf"] = folder / f"{stem}.pdf"
    paths["pdf"].write_bytes(render(report))
    return paths


def render(report: JailReport) -> bytes:
    title = f"Detainer report {report.quarter}: {report.agency} ({report.ori})"
    doc = ReportPdf(title, made_at=report.made_at)
    doc.heading(title, 0)
    v = report.verification
    doc.facts([
        ("Quarter", f"{report.since:%Y-%m-%d} to {report.until:%Y-%m-%d} (exclusive), {report.time_zone}"),
        ("Audit chain", f"verified: {v.count} events, head {v.head_hash[:16]}..." if v.ok
         else f"NOT VERIFIED: {v}. The figures below may not be what happened."),
        ("Audit events read", f"{sum(report.read.values())} in the quarter"
         + (f", sequence {report.seq_range[0]} to {report.seq_range[1]}" if report.seq_range else "")),
        ("Holds past their deadline", f"{len(report.late)} (the target is none)"),
    ])  # fmt: skip
    doc.heading("Figures", 1)
    summary = report.summary()
    doc.table(["figure", "count"], [[LABELS[code], value] for code, value in summary],
              widths=[140, 30], highlight=[code == "past_deadline" and value > 0 for code, value in summary])  # fmt: skip

    doc.heading("Every hold that went past its deadline", 1)
    doc.table(
        ["detainer", "booking", "releasable", "deadline", "ended", "how", "hours over"],
        [[h.detainer_id, h.booking_number, _when(h.releasable_at), _when(h.deadline),
          _when(h.ended_at) or "still held", h.ended_how if h.ended_at else "no outcome recorded", h.hours_over]
         for h in report.late],
        empty="none: every hold ended by its deadline",
    )  # fmt: skip

    doc.heading("Copies served, by language and by how they were given", 1)
    doc.table(["language", "how", "interpreter", "copies"],
              [[lang, method.replace("_", " "), interp, n] for (lang, method, interp), n in sorted(report.copies.items())],
              empty="no copy served this quarter")  # fmt: skip
    if report.copies:
        fig = new_figure(6.5, 2.0)
        ax = fig.subplots()
        languages = report.copies_by_language.most_common()
        ax.bar([lang for lang, _ in languages], [n for _, n in languages], color="#2e6da4")
        ax.set_ylabel("copies", fontsize=8)
        ax.set_title("Copies served by language", fontsize=8)
        ax.tick_params(labelsize=7)
        doc.figure(fig, width_mm=150)

    doc.heading("Citizenship and victim claims", 1)
    claim_rows = [[kind, "recorded", n] for kind, n in sorted(report.claims.items())]
    claim_rows += [[kind, outcome, n] for (kind, outcome), n in sorted(report.claim_outcomes.items())]
    doc.table(["kind", "outcome", "count"], claim_rows, empty="no claim recorded this quarter")

    doc.heading("Audit events read", 1)
    doc.paragraph(
        "The report counts these audit actions recorded in the quarter (the chain was verified first, from its "
        "first event); the holds past their deadline come from the detainers' deadlines and end times."
    )
    doc.table(["action", "events", "counted as"],
              [[action, report.read.get(action, 0), INPUTS[action][1]] for action in INPUTS])  # fmt: skip
    return bytes(doc.pdf.output())
