"""Build the FastAPI application: migrations and demo data at start, then the routers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig
from starlette.types import Receive, Scope, Send

from service import bootstrap
from service.rendering import TEMPLATES_DIR
from service.settings import Settings, get_settings
from service.web import (
    admin,
    agenda_api,
    agenda_form,
    agenda_form_api,
    agenda_pages,
    api,
    api_followup,
    attendance,
    attendance_api,
    deliverables,
    directors,
    errors,
    feeds,
    health,
    late_input,
    late_input_api,
    meeting_page,
    meetings,
    meetings_api,
    minutes,
    pages,
    reports,
    signin,
    subscriptions,
)
from service.web.security import NotSignedIn, SecurityHeaders

# Mounted sub-apps serve files only; the authorisation test knows them by these names.
PUBLIC_MOUNTS = frozenset({"static"})


class OverlegApp(FastAPI):
    """The FastAPI app, with calendar feeds answered before FastAPI's own machinery.

    Feed polls are most of the traffic and almost all of them get a 304: FastAPI's call,
    Starlette's error middleware, our middleware and the router cost more than the answer
    (bench/results/feeds.md). Every other request goes the usual way.
    """

    feed_server = feeds.FeedServer()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hand feed requests to the feed server, everything else to FastAPI."""
        if scope["type"] == "http" and scope["path"].startswith(feeds.PREFIX):
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
    app.state.feed_cache = feeds.FeedCache()
    app.state.feed_access = feeds.AccessTally()
    app.add_middleware(SecurityHeaders)
    errors.install(app, not_signed_in=NotSignedIn)
    app.include_router(health.router)
    app.include_router(signin.router)
    app.include_router(pages.router)
    app.include_router(admin.router)
    app.include_router(meetings.router)
    app.include_router(meeting_page.router)
    app.include_router(subscriptions.router)
    app.include_router(api.router)
    app.include_router(meetings_api.router)
    app.include_router(agenda_pages.router)
    app.include_router(agenda_api.router)
    app.include_router(minutes.router)
    app.include_router(deliverables.router)
    app.include_router(directors.router)
    app.include_router(reports.router)
    app.include_router(api_followup.router)
    app.include_router(attendance.router)
    app.include_router(attendance_api.router)
    app.include_router(agenda_form.router)
    app.include_router(agenda_form_api.router)
    app.include_router(late_input.router)
    app.include_router(late_input_api.router)
    app.mount("/static", StaticFiles(directory=TEMPLATES_DIR / "static"), name="static")
    return app
