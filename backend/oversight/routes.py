"""The admin page's oversight review: the same figures as `booking-station report oversight`, per quarter.

    GET  /admin/oversight?quarter=2026Q3&state=TX   HTML: flagged jurisdictions, funnel plots, every jurisdiction
    GET  /admin/oversight/report.pdf?quarter=...     the report's PDF
    GET  /admin/oversight/tests.csv?quarter=...      every test (the report's *-tests.csv)
    GET  /admin/oversight/baseline                   the arrest-rate baseline in force (CSV)
    PUT  /admin/oversight/baseline                   load a new one (text/csv body); 422 names each problem

Kept in its own router; the app gives it the admin pages' access check (an administrator's
certificate), as the rest of /admin.
"""

from __future__ import annotations

import base64
import io
from html import escape
from typing import TYPE_CHECKING

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from backend.oversight import baseline, method, plots, report
from backend.oversight.figures import INDICATORS
from booking_station.quarters import Quarter

if TYPE_CHECKING:
    from backend.service import Service

_QUARTER = Query(
    None, pattern=r"^\d{4}-?[Qq][1-4]$", description="e.g. 2026Q3 (default: the current quarter)"
)
_STATE = Query(None, pattern=r"^[A-Za-z]{2}$", description="only this state's jurisdictions")
_MAX_CSV = 5 * 1024 * 1024


def router(service: Service, dependencies: list | None = None, responses: dict | None = None) -> APIRouter:
    """The routes, behind `dependencies` (the admin pages' access check) with its `responses` documented."""
    api = APIRouter(
        prefix="/admin/oversight",
        dependencies=dependencies or [],
        responses=responses or {},
        tags=["oversight"],
    )

    def gather(quarter: str | None, state: str | None) -> report.OversightData:
        from backend._db import utcnow

        try:
            chosen = Quarter.parse(quarter) if quarter else Quarter.of(utcnow())
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        return report.gather(service.store, service.policy, chosen, state)

    bad_quarter = {422: {"description": "the quarter or the state is not one (e.g. 2026Q3, TX)"}}

    @api.get("", response_class=HTMLResponse, responses=bad_quarter)
    async def page(quarter: str | None = _QUARTER, state: str | None = _STATE) -> str:
        """The review for a quarter, as the report's PDF shows it."""
        data = await run_in_threadpool(gather, quarter, state)
        return await run_in_threadpool(html, data)

    @api.get(
        "/report.pdf",
        response_class=Response,
        responses={
            200: {"content": {"application/pdf": {}}, "description": "the report's PDF"},
            **bad_quarter,
        },
    )
    async def pdf(quarter: str | None = _QUARTER, state: str | None = _STATE) -> Response:
        from backend.oversight.pdf import render

        data = await run_in_threadpool(gather, quarter, state)
        body = await run_in_threadpool(render, data)
        return Response(body, media_type="application/pdf",
                        headers={"content-disposition": f'attachment; filename="{data.name}.pdf"'})  # fmt: skip

    @api.get(
        "/tests.csv",
        response_class=Response,
        responses={
            200: {"content": {"text/csv": {}}, "description": "every test of the quarter"},
            **bad_quarter,
        },
    )
    async def tests_csv(quarter: str | None = _QUARTER, state: str | None = _STATE) -> Response:
        data = await run_in_threadpool(gather, quarter, state)
        return Response(_csv(report.TEST_COLUMNS, report.test_rows(data)), media_type="text/csv")

    @api.get(
        "/baseline",
        response_class=Response,
        responses={
            200: {"content": {"text/csv": {}}, "description": "the baseline in force"},
            404: {"description": "no baseline has been loaded"},
        },
    )
    def get_baseline() -> Response:
        rows, _ = baseline.load(service.store)
        if not rows:
            raise HTTPException(404, "no arrest-rate baseline has been loaded (PUT one here as CSV)")
        return Response(baseline.to_csv(rows), media_type="text/csv")

    @api.put(
        "/baseline",
        responses={
            413: {"description": f"a body over {_MAX_CSV} bytes"},
            422: {"description": "not a usable baseline CSV: every problem named by line and column"},
        },
        openapi_extra={
            "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}
        },
    )
    async def put_baseline(request: Request) -> dict:
        """Load the arrest-rate baseline (the CSV itself as the body); the one before is replaced."""
        body = await request.body()
        if len(body) > _MAX_CSV:
            raise HTTPException(413, f"a baseline of {len(body)} bytes is over the {_MAX_CSV} byte limit")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPException(422, "the baseline CSV must be UTF-8 text") from None
        try:
            rows = await run_in_threadpool(baseline.save, service.store, text)
        except baseline.BaselineError as exc:
            raise HTTPException(422, str(exc)) from None
        return {"jurisdictions": len(rows)}

    return api


def _csv(columns, rows) -> str:  # type: ignore[no-untyped-def]
    import csv

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _png(figure) -> str:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _pct(value: float | None) -> str:
    return "" if value is None or value != value else f"{100 * value:.1f}%"


def _table(headers: list[str], rows: list[list[str]], marked: list[bool] | None = None) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        f"<tr{' class=flag' if marked and marked[i] else ''}>"
        + "".join(f"<td>{c}</td>" for c in row)
        + "</tr>"
        for i, row in enumerate(rows)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body or '<tr><td colspan=99>none</td></tr>'}</tbody></table>"


def html(data: report.OversightData) -> str:
    from backend.oversight.pdf import _BASELINE_FAMILIES, _MATCH_FAMILIES

    e = escape
    figs = data.figures
    query = f"quarter={data.quarter}" + (f"&state={data.state}" if data.state else "")
    flagged_rows = report.test_rows(data, only_flagged=True)
    flag_table = _table(
        ["ORI", "county", "state", "measure", "against", "x / n", "observed", "reference", "ratio", "p", "q (BH)",
         "earlier quarters"],
        [[e(r["ori"]), e(r["county"]), e(r["state"]), e(r["measures"]), e(r["reference"]), f"{r['x']} / {r['n']}",
          _pct(r["observed_share"]), _pct(r["reference_share"]), f"{r['ratio']:.2f}", f"{r['p_value']:.1e}",
          f"{r['q_value']:.1e}", f"{_pct(r['share_before'])} of {r['n_before']}" if r["n_before"] else "-"]
         for r in flagged_rows],
    )  # fmt: skip
    jrows = report.jurisdiction_rows(data)
    all_table = _table(
        ["ORI", "county", "state", "submissions", "rejected", "IDENT matches", "removals requested", "detainers",
         "match rate", "detainer rate", "baseline", "flagged"],
        [[e(r["ori"]), e(r["county"]), e(r["state"]), str(r["submissions"]), str(r["rejected"]), str(r["ident_matches"]),
          str(r["removals_requested"]), str(r["detainers"]), _pct(r["match_rate"]), _pct(r["detainer_rate"]),
          "yes" if r["baseline"] else "no", "FLAGGED" if r["flagged"] else ""] for r in jrows],
        [r["flagged"] for r in jrows],
    )  # fmt: skip
    funnels = (
        f'<img alt="funnel plots: race and birthplace against the baseline" '
        f'src="data:image/png;base64,{_png(plots.funnels(figs, _BASELINE_FAMILIES, 3))}">'
        f'<img alt="funnel plots: IDENT matches against the state and the country" '
        f'src="data:image/png;base64,{_png(plots.funnels(figs, _MATCH_FAMILIES, 3))}">'
    )
    sources = ", ".join(
        f"{n} {'demo (synthetic)' if s == 'demo' else 'CARs received'}" for s, n in data.sources.items()
    )
    tau = "; ".join(
        f"{e(INDICATORS[i])} vs {r}: {t:.4f}" for (i, r), t in sorted(figs.assessment.tau2.items())
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(data.title)}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }} table {{ border-collapse: collapse; margin-bottom: 1.5em; }}
td, th {{ border: 1px solid #bbb; padding: 2px 6px; font-size: 13px; text-align: left; vertical-align: top; }}
th {{ background: #eee; }} tr.flag td {{ background: #ffecd6; }} img {{ max-width: 100%; display: block; margin: 1em 0; }}
</style></head><body>
<p><a href="/admin">&larr; admin</a></p>
<h1>{e(data.title)}</h1>
<form method="get"><label>Quarter <input name="quarter" value="{data.quarter}" size="7"></label>
<label>State <input name="state" value="{e(data.state or "")}" size="2" maxlength="2"></label>
<button>Show</button> &middot; <a href="/admin/oversight/report.pdf?{query}">PDF</a> &middot;
<a href="/admin/oversight/tests.csv?{query}">every test (CSV)</a> &middot; <a href="/admin/oversight/baseline">baseline (CSV)</a></form>
<p>{len(figs.jurisdictions)} jurisdictions; submissions: {sources or "none"}. Baseline
{"loaded " + e(data.baseline_loaded_at) if data.baseline_loaded_at else "<b>not loaded</b>: race and birthplace shares are not tested"}.
Trend against {", ".join(str(q) for q in figs.previous) or "no earlier quarter"}.
Method: binomial and over-dispersion-adjusted tests against each reference, Benjamini-Hochberg at
{method.FDR:.0%} across all tests, flagged when significant, at least {method.MIN_RATIO:g} times the reference
and at least {method.MIN_COUNT} people
(docs/oversight.md). A flag is a reason for an in-depth review, not a finding of profiling.</p>
<h2>Flagged jurisdictions and the figures that flagged them</h2>
{flag_table}
<h2>Funnel plots</h2>
{funnels}
<p>Over-dispersion (tau&sup2;): {tau or "none estimated"}.</p>
<h2>Every jurisdiction</h2>
{all_table}
</body></html>"""
