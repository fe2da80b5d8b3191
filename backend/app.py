"""The HTTP face of the mock FBI/DHS backend (docs/backend-api.md), built on a `Service`."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Path, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from backend import mailbox
from backend._faults import FaultInjector
from backend.config import Faults
from backend.documents import DetainerCancelDocument
from backend.service import BadSubmission, Service

#: A tenprint CAR at 500 ppi is well under 5 MB; anything near this is not one.
MAX_SUBMISSION_BYTES = 64 * 1024 * 1024

ORI = Path(..., pattern=r"^[A-Za-z0-9]{9}$", description="the agency's 9-character ORI")


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
    through: int = Field(ge=0, description="acknowledge every message up to and including this cursor")


class AgencyIn(BaseModel):
    name: str = Field(max_length=200)
    immigration_responses: bool = True


class Agency(AgencyIn):
    ori: str


class Health(BaseModel):
    status: str = Field(description="starting | ok | failed")
    progress: float
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

    app = FastAPI(
        title="Mock FBI NGI / DHS IDENT / ICE LESC",
        version="1",
        description="Receives EBTS criminal tenprint submissions, searches them and answers into ORI mailboxes.",
        lifespan=lifespan,
    )
    store = service.store

    @app.post("/v1/transactions", status_code=202, response_model=SubmitAnswer)
    async def submit(request: Request) -> SubmitAnswer:
        """Submit an EBTS transaction (the raw bytes, application/octet-stream)."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_SUBMISSION_BYTES:
            raise HTTPException(
                413, f"submission of {declared} bytes is over the {MAX_SUBMISSION_BYTES} byte limit"
            )
        body = await request.body()
        if len(body) > MAX_SUBMISSION_BYTES:
            raise HTTPException(
                413, f"submission of {len(body)} bytes is over the {MAX_SUBMISSION_BYTES} byte limit"
            )
        try:
            tcn, duplicate = await run_in_threadpool(service.receive, body)
        except BadSubmission as exc:
            raise HTTPException(400, str(exc)) from None
        return SubmitAnswer(tcn=tcn, duplicate=duplicate)

    @app.get("/v1/mailbox/{ori}", response_model=MailboxPage)
    def read_mailbox(
        ori: str = ORI, after: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=1000)
    ) -> dict:
        """Unacknowledged messages with cursor > `after`, oldest first."""
        return mailbox.read(store, ori.upper(), after, limit)

    @app.post("/v1/mailbox/{ori}/ack", status_code=204)
    def ack(body: AckRequest, ori: str = ORI) -> Response:
        mailbox.ack(store, ori.upper(), body.through)
        return Response(status_code=204)

    @app.put("/v1/agencies/{ori}", response_model=Agency)
    def put_agency(body: AgencyIn, ori: str = ORI) -> dict:
        return mailbox.put_agency(store, ori.upper(), body.name, body.immigration_responses)

    @app.get("/health", response_model=Health)
    def health() -> dict:
        state = service.state
        return {
            "status": state.status,
            "progress": round(state.progress, 3),
            "population": state.summary(service.config),
        }

    # --- admin (a mock's conveniences for demos and tests; never used for matching) -----------
    from backend import admin

    @app.get("/admin", response_class=HTMLResponse)
    def admin_page() -> str:
        return admin.html(service)

    @app.get("/admin/population")
    def admin_population(
        record: str | None = Query(
            None, pattern="^(fbi|ident|detainer|none)$", description="only people with this"
        ),
    ) -> list[dict]:
        """Who is in the population and what the FBI and DHS hold about them."""
        return admin.population(service, record)

    @app.get("/admin/transactions")
    def admin_transactions(limit: int = Query(100, ge=1, le=10000)) -> list[dict]:
        return admin.transactions(service, limit)

    @app.get("/admin/transactions/{tcn}", response_class=HTMLResponse)
    def admin_transaction_page(tcn: str) -> str:
        """One submission: every record it carried, how it was used, and its pictures."""
        from backend import admin_records

        try:
            return admin_records.html(service, tcn)
        except KeyError as exc:
            raise HTTPException(404, str(exc.args[0])) from None

    @app.get("/admin/transactions/{tcn}/records")
    def admin_transaction_records(tcn: str) -> dict:
        from backend import admin_records

        try:
            return admin_records.records(service, tcn)
        except KeyError as exc:
            raise HTTPException(404, str(exc.args[0])) from None

    @app.get(
        "/admin/transactions/{tcn}/records/{index}/image",
        response_class=Response,
        responses={200: {"content": {"image/png": {}}, "description": "a PNG thumbnail"}},
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

    @app.get("/admin/detainers")
    def admin_detainers() -> list[dict]:
        return admin.detainers(service)

    @app.post("/admin/detainers/{detainer_id}/cancel", response_model=DetainerCancelDocument)
    def admin_cancel(detainer_id: str, body: CancelRequest) -> dict:
        """Cancel a lodged detainer; the jail receives a DETAINER_CANCEL."""
        from backend._process import cancel_detainer

        try:
            return cancel_detainer(service, detainer_id, body.reason)
        except KeyError as exc:
            raise HTTPException(404, str(exc.args[0])) from None
        except ValueError as exc:
            raise HTTPException(409, str(exc)) from None

    @app.get("/admin/settings", response_model=Settings)
    def get_settings() -> dict:
        return {"demo_delays": service.config.demo_delays, "faults": service.config.faults.as_dict()}

    @app.put("/admin/settings", response_model=Settings)
    def put_settings(body: SettingsIn) -> dict:
        """Switch demo delays and faults at run time."""
        if body.faults is not None:
            unknown = set(body.faults) - set(Faults().as_dict())
            if unknown:
                raise HTTPException(
                    422, f"unknown fault(s) {sorted(unknown)}; known: {sorted(Faults().as_dict())}"
                )
            current = service.config.faults
            wanted = Faults(**{**current.as_dict(), **body.faults})
            try:
                wanted.check()
            except ValueError as exc:
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

    app.include_router(oversight_router(service))  # the quarterly oversight review (admin)
    app.add_middleware(FaultInjector, faults=service.config.faults, seed=service.config.seed)
    _publish_documents(app)
    return app


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
