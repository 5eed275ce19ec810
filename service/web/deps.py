"""The web composition root: settings, database sessions and the clock, as dependencies."""

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.clock import utcnow
from service.settings import Settings


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    """The engine the app was built with."""
    engine: Engine = request.app.state.engine
    return engine


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    """A session per request, committed when the handler returns without error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def get_now() -> datetime:
    """The request's clock; tests override it to pin time."""
    return utcnow()


SettingsDep = Annotated[Settings, Depends(get_settings)]
# scope="function": commit before the response is sent, so background work sees the change.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
NowDep = Annotated[datetime, Depends(get_now)]

# Database ids are 32-bit on both backends; larger numbers are refused as bad input, not 500.
IdPath = Annotated[int, Path(ge=1, le=2_147_483_647)]
