"""The HTTP face of the mock FBI/DHS backend (docs/backend-api.md), built on a `Service`.

Every route answers with a status the contract names: a client never sees a 500. Failures inside
the service become 503 (try again later; the submission, if it was accepted, is answered in the
mailbox), bad requests 4xx with a `detail` that says what is wrong. Who may call what is decided by
the client certificate (backend._access).
"""

from __future__ import annotations

import logging
import uuid
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from backend import anchors, mailbox
from backend._access import Access, require_own_ori
from backend._faults import FaultInjector
from backend.config import Faults
from backend.documents import DetainerCancelDocument
from backend.service import BadSubmission, Service, TcnTaken
from booking_station.pki import Identity

log = logging.getLogger("backend.http")

#: A tenprint CAR at 500 ppi is well under 5 MB; anything near this is not one.
MAX_SUBMISSION_BYTES = 64 * 1024 * 1024
#: The largest cursor or sequence number the store holds (a signed 64-bit integer).
MAX_INT = 2**63 - 1

ORI = Path(..., pattern=r"^[A-Za-z0-9]{9}$", description="the agency's 9-character ORI")
#: Documented answers shared by the station API (the schema lists them; schemathesis checks them).
_STATION_ERRORS: dict[int | str, dict] = {
    401: {"description": "no client certificate"},
    403: {"description": "the certificate is revoked, not a station's, or for another ORI"},
    503: {"description": "unavailable now (injected fault or internal error): try again later"},
}
#: Routes with a JSON body: FastAPI answers 400 to one that is not JSON.
_JSON_BODY: dict[int | str, dict] = {400: {"description": "the body is not JSON"}}
_ADMIN_ERRORS: dict[int | str, dict] = {
    401: {"description": "no client certificate"},
    403: {"description": "not an administrator's certificate"},
    503: {"description": "internal error: try again later"},
}


class SubmitAnswer(BaseModel):
    tcn: str
    duplicate: bool = Field(description="true when this TCN was received before; nothing is searched twice")


class Message(BaseModel):
    cursor: int
    id: str
    tcn: str
    kind: str = Field(description="SRE | ERRT | IAR | DETAINER | DETAINER_CANCEL")
    created_at: str
    media_type: str = Field(description="application/x-ebts (SRE, ERRT) or application/json (the others)")
    body_b64: str


class MailboxPage(BaseModel):
    messages: list[Message]
    next_cursor: int


class AckRequest(BaseModel):
    through: int = Field(
        ge=0, le=MAX_INT, description="acknowledge every message up to and including this cursor"
    )


class AgencyIn(BaseModel):
    name: str = Field(max_length=200)
    immigration_responses: bool = True


class Agency(AgencyIn):
    ori: str


class AnchorIn(BaseModel):
    sequence: int = Field(ge=0, le=MAX_INT, description="how many events the station's audit chain holds")
    head: str = Field(pattern=anchors.HEAD_PATTERN, description="the chain's head: 64 lower-case hex digits")


class Anchor(AnchorIn):
    anchored_at: str
    tcn: str | None = Field(description="the submission that carried it (none when anchored on its own)")
    certificate: str = Field(description="serial (hex) of the station certificate that anchored it")
    regressed: bool = Field(description="true when the sequence is lower than one anchored before")


class AnchorList(BaseModel):
    anchors: list[Anchor] = Field(description="newest first")


class Health(BaseModel):
    status: str = Field(description="starting | ok | failed")
    activity: str = Field(
        description="starting | loading | enrolling | ready | failed: what the preparation does"
    )
    progress: float = Field(description="0-1, of the enrolment")
    done: int = Field(description="prints enrolled so far (of total)")
    total: int
    seconds_left: float | None = Field(description="time left of the enrolment at its rate so far")
    searchable: bool = Field(description="submissions are being searched (identifications answered)")
    population: dict


class CancelRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class Settings(BaseModel):
    demo_delays: bool
    faults: dict = Field(description="unavailable_rate (0-1), slow_seconds (0-600), drop_rate (0-1)")


class SettingsIn(BaseModel):
    demo_delays: bool | None = None
    faults: dict | None = None


def create_app(service: Service, start: bool = True) -> FastAPI:
    """The ASGI app; with `start`, the service's threads run for the app's lifetime."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        if start:
            service.start()
        try:
            yield
        finally:
            if start:
                await run_in_threadpool(service.stop)

    demo = service.config.demo
    app = FastAPI(
        title="Mock FBI NGI / DHS IDENT / ICE LESC",
        version="1",
        description="Receives EBTS criminal tenprint submissions, searches them and answers into ORI mailboxes.",
        lifespan=lifespan,
        # The interactive documentation only in a demo: it tells a stranger what to try.
        docs_url="/docs" if demo else None,
        redoc_url=None,
        openapi_url="/openapi.json" if demo else None,
    )
    store = service.store
    access = Access(service.config.pki_dir / "ca.pem", service.config.pki_dir / "crl.pem")
    as_station = Depends(access.station)
    admin_only = [Depends(access.administrator)]

    @app.post(
        "/v1/transactions",
        status_code=202,
        response_model=SubmitAnswer,
        responses={
            400: {"description": "no ORI or TCN can be read, or a malformed X-Audit-Head"},
            409: {"description": "another agency's submission already has this TCN"},
            413: {"description": f"body over {MAX_SUBMISSION_BYTES} bytes"},
            **_STATION_ERRORS,
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    )
    async def submit(
        request: Request,
        station: Identity = as_station,
        x_audit_head: str | None = Header(
            None,
            pattern=anchors.HEADER_PATTERN,
            description="the station's audit chain head, SEQUENCE:HEAD (see docs/backend-api.md)",
        ),
    ) -> SubmitAnswer:
        """Submit an EBTS transaction (the raw bytes, application/octet-stream)."""
        head = anchors.parse_header(x_audit_head) if x_audit_head is not None else None
        body = await _read_limited(request, MAX_SUBMISSION_BYTES)
        try:
            tcn, duplicate = await run_in_threadpool(service.receive, body, station.ori)
        except BadSubmission as exc:
            raise HTTPException(400, str(exc)) from None
        except TcnTaken as exc:
            raise HTTPException(409, str(exc)) from None
        if head is not None:
            await run_in_threadpool(anchors.anchor, store, station, head, tcn)
        return SubmitAnswer(tcn=tcn, duplicate=duplicate)

    @app.get("/v1/mailbox/{ori}", response_model=MailboxPage, responses=_STATION_ERRORS)
    def read_mailbox(
        ori: str = ORI,
        station: Identity = as_station,
        after: int = Query(0, ge=0, le=MAX_INT),
        limit: int = Query(100, ge=1, le=1000),
    ) -> dict:
        """Unacknowledged messages with cursor > `after`, oldest first."""
        return mailbox.read(store, require_own_ori(station, ori), after, limit)

    @app.post("/v1/mailbox/{ori}/ack", status_code=204, responses={**_JSON_BODY, **_STATION_ERRORS})
    def ack(body: AckRequest, ori: str = ORI, station: Identity = as_station) -> Response:
        mailbox.ack(store, require_own_ori(station, ori), body.through)
        return Response(status_code=204)

    @app.put("/v1/agencies/{ori}", response_model=Agency, responses={**_JSON_BODY, **_STATION_ERRORS})
    def put_agency(body: AgencyIn, ori: str = ORI, station: Identity = as_station) -> dict:
        return mailbox.put_agency(store, require_own_ori(station, ori), body.name, body.immigration_responses)

    @app.post(
        "/v1/audit-anchors/{ori}",
        status_code=201,
        response_model=Anchor,
        responses={**_JSON_BODY, **_STATION_ERRORS},
    )
    def put_anchor(body: AnchorIn, ori: str = ORI, station: Identity = as_station) -> dict:
        """Anchor the station's audit head without a submission (e.g. at the end of a shift)."""
        require_own_ori(station, ori)
        return anchors.anchor(store, station, anchors.Head(body.sequence, body.head), None)

    @app.get("/v1/audit-anchors/{ori}", response_model=AnchorList, responses=_STATION_ERRORS)
    def get_anchors(
        station: Identity = as_station, ori: str = ORI, limit: int = Query(100, ge=1, le=10000)
    ) -> dict:
        """The audit heads this agency's stations anchored, newest first."""
        return {"anchors": anchors.read(store, require_own_ori(station, ori), limit)}

    @app.get("/health", response_model=Health)
    def health() -> dict:
        state = service.state
        return {
            "status": state.status,
            "activity": state.activity,
            "progress": round(state.progress, 3),
            "done": state.done,
            "total": state.total,
            "seconds_left": None if state.seconds_left is None else round(state.seconds_left, 1),
            "searchable": state.searchable,
            "population": state.summary(service.config),
        }

    # --- admin (a mock's conveniences for demos and tests; never used for matching) -----------
    from backend import admin

    @app.get("/admin", response_class=HTMLResponse, dependencies=admin_only, responses=_ADMIN_ERRORS)
    def admin_page() -> str:
        return admin.html(service)

    @app.get("/admin/population", dependencies=admin_only, responses=_ADMIN_ERRORS)
    def admin_population(
        record: str | None = Query(
            None, pattern="^(fbi|ident|detainer|none)$", description="only people with this"
        ),
    ) -> list[dict]:
        """Who is in the population and what the FBI and DHS hold about them."""
        return admin.population(service, record)

    @app.get("/admin/transactions", dependencies=admin_only, responses=_ADMIN_ERRORS)
    def admin_transactions(limit: int = Query(100, ge=1, le=10000)) -> list[dict]:
        return admin.transactions(service, limit)

    _NOT_FOUND: dict[int | str, dict] = {404: {"description": "no such submission or record"}}

    @app.get(
        "/admin/transactions/{tcn}",
        response_class=HTMLResponse,
        dependencies=admin_only,
        responses={**_NOT_FOUND, **_ADMIN_ERRORS},
    )
    def admin_transaction_page(tcn: str) -> str:
        """One submission: every record it carried, how it was used, and its pictures."""
        from backend import admin_records

        try:
            return admin_records.html(service, tcn)
        except KeyError as exc:
            raise HTTPException(404, str(exc.args[0])) from None

    @app.get(
        "/admin/transactions/{tcn}/records",
        dependencies=admin_only,
        responses={**_NOT_FOUND, **_ADMIN_ERRORS},
    )
    def admin_transaction_records(tcn: str) -> dict:
        from backend import admin_records

        try:
            return admin_records.records(service, tcn)
        except KeyError as exc:
            raise HTTPException(404, str(exc.args[0])) from None

    @app.get(
        "/admin/transactions/{tcn}/records/{index}/image",
        response_class=Response,
        dependencies=admin_only,
        responses={
            200: {"content": {"image/png": {}}, "description": "a PNG thumbnail"},
            **_NOT_FOUND,
            **_ADMIN_ERRORS,
        },
    )
    async def admin_record_image(tcn: str, index: int = Path(..., ge=0, le=999)) -> Response:
        from backend import admin_records

        try:
            png = await run_in_threadpool(admin_records.record_image, service, tcn, index)
        except KeyError as exc:
            raise HTTPException(404, str(exc.args[0])) from None
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        return Response(png, media_type="image/png")

    @app.get("/admin/detainers", dependencies=admin_only, responses=_ADMIN_ERRORS)
    def admin_detainers() -> list[dict]:
        return admin.detainers(service)

    @app.post(
        "/admin/detainers/{detainer_id}/cancel",
        response_model=DetainerCancelDocument,
        dependencies=admin_only,
        responses={404: {"description": "no such detainer"}, 409: {"description": "already cancelled"},
                   **_JSON_BODY, **_ADMIN_ERRORS},
    )  # fmt: skip
    def admin_cancel(detainer_id: str, body: CancelRequest) -> dict:
        """Cancel a lodged detainer; the jail receives a DETAINER_CANCEL."""
        from backend._process import cancel_detainer

        try:
            return cancel_detainer(service, detainer_id, body.reason)
        except KeyError as exc:
            raise HTTPException(404, str(exc.args[0])) from None
        except ValueError as exc:
            raise HTTPException(409, str(exc)) from None

    @app.get("/admin/settings", response_model=Settings, dependencies=admin_only, responses=_ADMIN_ERRORS)
    def get_settings() -> dict:
        return {"demo_delays": service.config.demo_delays, "faults": service.config.faults.as_dict()}

    @app.put(
        "/admin/settings",
        response_model=Settings,
        dependencies=admin_only,
        responses={**_JSON_BODY, **_ADMIN_ERRORS},
    )
    def put_settings(body: SettingsIn) -> dict:
        """Switch demo delays and faults at run time."""
        if body.faults is not None:
            unknown = set(body.faults) - set(Faults().as_dict())
            if unknown:
                raise HTTPException(
                    422, f"unknown fault(s) {sorted(unknown)}; known: {sorted(Faults().as_dict())}"
                )
            current = service.config.faults
            try:
                wanted = Faults(**{**current.as_dict(), **body.faults})
                wanted.check()
            except (TypeError, ValueError) as exc:
                raise HTTPException(422, str(exc)) from None
            # Changed in place: the fault middleware holds this very object.
            current.unavailable_rate, current.slow_seconds, current.drop_rate = (
                wanted.unavailable_rate,
                wanted.slow_seconds,
                wanted.drop_rate,
            )
        if body.demo_delays is not None:
            service.config.demo_delays = body.demo_delays
        store.log(
            "settings", f"demo delays {service.config.demo_delays}; faults {service.config.faults.as_dict()}"
        )
        return get_settings()

    from backend.oversight.routes import router as oversight_router

    # The quarterly oversight review: administrators only, as the rest of /admin.
    app.include_router(oversight_router(service, admin_only, _ADMIN_ERRORS))
    _answer_every_failure(app)
    app.add_middleware(FaultInjector, faults=service.config.faults, seed=service.config.seed)
    _publish_documents(app)
    return app


async def _read_limited(request: Request, limit: int) -> bytes:
    """The body, read as it streams in and refused (413) as soon as it passes `limit`: a chunked
    upload of any size costs at most `limit` bytes of memory, not its whole length."""
    # "Connection: close" on the refusal: otherwise the server reads and discards the rest of the
    # body to keep the connection, i.e. takes the whole gigabyte after all.
    close = {"Connection": "close"}
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(
            413, f"submission of {declared} bytes is over the {limit} byte limit", headers=close
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            chunks.clear()
            raise HTTPException(
                413, f"submission is over the {limit} byte limit (stopped reading at {size})", headers=close
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _answer_every_failure(app: FastAPI) -> None:
    """No 500s: a failure inside the service is a 503 with a reference to the log entry."""

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        reference = uuid.uuid4().hex[:12]
        log.error("internal error %s on %s %s", reference, request.method, request.url.path, exc_info=exc)
        return JSONResponse(
            {
                "detail": f"the backend could not answer now (internal error, reference {reference}); try again later"
            },
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405:
            # A path served by several routes (GET and PUT apart) must name all their methods.
            methods = sorted({m for r in app.routes if r.matches(request.scope)[0] != Match.NONE
                              for m in getattr(r, "methods", ()) or ()})  # fmt: skip
            return JSONResponse(
                {"detail": exc.detail}, status_code=405, headers={"Allow": ", ".join(methods)}
            )
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own answer, but with errors that are always JSON-serialisable (a raw bytes
        # input or an exception in "ctx" made the default handler itself fail).
        problems = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": problems}, status_code=422)


def _publish_documents(app: FastAPI) -> None:
    """Put the message-body schemas (backend.documents) into the OpenAPI components."""
    from backend.documents import DetainerCancelDocument, DetainerDocument, IarDocument

    plain_openapi = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = plain_openapi()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in (IarDocument, DetainerDocument, DetainerCancelDocument):
                model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(model_schema.pop("$defs", {}))
                components[model.__name__] = model_schema
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
