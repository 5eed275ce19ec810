"""The web composition root: settings, database sessions and the clock, as dependencies.

The one module of service/web that deals in sessions; routes get theirs from here and run no
queries of their own.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Path, Request
from pydantic import BeforeValidator

from service.clock import utcnow
from service.db import Engine, Session, session_scope

__all__ = ["Engine", "IdPath", "NowDep", "Session", "SessionDep", "SettingsDep"]
from service.settings import Settings


async def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_engine(request: Request) -> Engine:
    """The engine the app was built with."""
    engine: Engine = request.app.state.engine
    return engine


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    """A session per request, committed when the handler returns without error."""
    with session_scope(engine) as session:
        yield session


async def get_now() -> datetime:
    """The request's clock; tests override it to pin time."""
    return utcnow()


SettingsDep = Annotated[Settings, Depends(get_settings)]
# scope="function": commit before the response is sent, so background work sees the change.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
NowDep = Annotated[datetime, Depends(get_now)]

MAX_ID = 2_147_483_647


def strict_id(value: object) -> object:
    """Refuse an id written any other way than plain digits ("1.0", "+14" and "014" too)."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit() and value[0] != "0"):
        raise ValueError("an id is a whole number written in plain digits")
    return value


# Database ids are 32-bit on both backends; larger numbers are refused as bad input, not 500.
IdPath = Annotated[int, BeforeValidator(strict_id), Path(ge=1, le=MAX_ID)]
