"""Bring a database to a usable state: migrations first, then the demo data if asked."""

import logging

from sqlalchemy.engine import Engine

from service import demo, migrate
from service.clock import utcnow
from service.db import create_engine, session_scope
from service.settings import Settings

log = logging.getLogger(__name__)


def prepare_database(settings: Settings) -> Engine:
    """Create the engine, apply migrations and, when configured, load the demo data."""
    engine = create_engine(settings.resolved_database_url())
    migrate.upgrade(engine)
    if settings.load_demo_data:
        with session_scope(engine) as session:
            report = demo.load(session, now=utcnow())
        log.info("demo data: %s rows added", report.total)
    return engine
