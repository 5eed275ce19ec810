"""Build the FastAPI application: migrations and demo data at start, then the routers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from starlette.types import Receive, Scope, Send

from service import bootstrap
from service.rendering import TEMPLATES_DIR
from service.settings import Settings, get_settings
from service.web import errors, health
from service.web.access import api as access_api
from service.web.access import keys_pages
from service.web.access import pages as access_pages
from service.web.agenda import (
    answers_api,
    answers_pages,
    calls_api,
    calls_pages,
    form_api,
    form_pages,
    late_input_api,
    late_input_pages,
    review_api,
    review_pages,
    submissions_api,
)
from service.web.audit import api as audit_api
from service.web.audit import pages as audit_pages
from service.web.deliverables import api as deliverables_api
from service.web.deliverables import pages as deliverables_pages
from service.web.directory import api as directory_api
from service.web.directory import (
    groups_api,
    groups_pages,
    import_api,
    import_pages,
    members_api,
    members_pages,
    organisations_api,
    organisations_pages,
    people_api,
    people_pages,
)
from service.web.directory import pages as directory_pages
from service.web.feeds import api as feeds_api
from service.web.feeds import pages as feeds_pages
from service.web.feeds import serving
from service.web.homework import api as homework_api
from service.web.homework import form_api as homework_form_api
from service.web.homework import form_pages as homework_form_pages
from service.web.homework import pages as homework_pages
from service.web.lifecycle import api as lifecycle_api
from service.web.lifecycle import pages as lifecycle_pages
from service.web.mail import pages as mail_pages
from service.web.materials import api as materials_api
from service.web.materials import library_api, library_pages
from service.web.materials import pages as materials_pages
from service.web.materials import public as public_materials
from service.web.meetings import api as meetings_api
from service.web.meetings import pages as meetings_pages
from service.web.minutes import api as minutes_api
from service.web.minutes import attendance_api, attendance_pages
from service.web.minutes import pages as minutes_pages
from service.web.questions import api as questions_api
from service.web.questions import pages as questions_pages
from service.web.replies import answer_api, answer_pages
from service.web.replies import api as replies_api
from service.web.replies import pages as replies_pages
from service.web.reports import api as reports_api
from service.web.reports import pages as reports_pages
from service.web.security import NotSignedIn, SecurityHeaders
from service.web.work import api as work_api

# Mounted sub-apps serve files only; the authorisation test knows them by these names.
PUBLIC_MOUNTS = frozenset({"static"})
# Every router, package by package: pages and API side by side.
ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    access_pages.router,
    access_api.router,
    directory_pages.router,
    directory_api.router,
    people_pages.router,
    people_api.router,
    organisations_pages.router,
    organisations_api.router,
    keys_pages.router,
    groups_pages.router,
    groups_api.router,
    members_pages.router,
    members_api.router,
    import_pages.router,
    import_api.router,
    meetings_pages.router,
    meetings_api.router,
    lifecycle_pages.router,
    lifecycle_api.router,
    calls_pages.router,
    calls_api.router,
    form_pages.router,
    form_api.router,
    review_pages.router,
    review_api.router,
    late_input_pages.router,
    late_input_api.router,
    submissions_api.router,
    answers_pages.router,
    answers_api.router,
    minutes_pages.router,
    minutes_api.router,
    attendance_pages.router,
    attendance_api.router,
    questions_pages.router,
    questions_api.router,
    materials_pages.router,
    materials_api.router,
    library_pages.router,
    library_api.router,
    public_materials.router,
    homework_pages.router,
    homework_api.router,
    homework_form_pages.router,
    homework_form_api.router,
    deliverables_pages.router,
    deliverables_api.router,
    reports_pages.router,
    reports_api.router,
    feeds_pages.router,
    feeds_api.router,
    mail_pages.router,
    audit_pages.router,
    audit_api.router,
    work_api.router,
    replies_pages.router,
    replies_api.router,
    answer_pages.router,
    answer_api.router,
)


class OverlegApp(FastAPI):
    """The FastAPI app, with calendar feeds answered before FastAPI's own machinery.

    Feed polls are most of the traffic and almost all of them get a 304: FastAPI's call,
    Starlette's error middleware, our middleware and the router cost more than the answer
    (bench/results/feeds.md). Every other request goes the usual way.
    """

    feed_server = serving.FeedServer()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand feed requests to the feed server, everything else to FastAPI."""
        if scope["type"] == "http" and scope["path"].startswith(serving.PREFIX):
            scope["app"] = self
            await self.feed_server(scope, send)
            return
        await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Create the app for `settings` (the process settings by default)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = bootstrap.prepare_database(settings)
        yield
        app.state.feed_access.flush()
        app.state.engine.dispose()

    # No OpenTelemetry here: FastAPI would otherwise look for its providers on every request.
    no_telemetry: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
    app = OverlegApp(title="Overleg", version="0.1.0", lifespan=lifespan, telemetry=no_telemetry)
    app.state.settings = settings
    app.state.feed_cache = serving.FeedCache()
    app.state.feed_access = serving.AccessTally()
    app.add_middleware(SecurityHeaders)
    errors.install(app, not_signed_in=NotSignedIn)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=TEMPLATES_DIR / "static"), name="static")
    return app
