"""Build the FastAPI application: migrations and demo data at start, then the routers."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from service import bootstrap
from service.settings import Settings, get_settings
from service.web import health, pages


def create_app(settings: Settings | None = None) -> FastAPI:
    """Create the app for `settings` (the process settings by default)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = bootstrap.prepare_database(settings)
        yield
        app.state.engine.dispose()

    app = FastAPI(title="Overleg", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.include_router(health.router)
    app.include_router(pages.router)
    return app
