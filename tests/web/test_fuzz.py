"""Property-based fuzzing of the API from its own OpenAPI schema (schemathesis), time-bounded.

No generated request may produce a 5xx answer, and every answer must match the schema.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from sqlmodel import Session

from service import bootstrap
from service.access import api_keys
from service.audit import Actor
from service.clock import utcnow
from service.directory import people
from service.settings import Settings
from service.web.app import create_app

pytestmark = pytest.mark.fuzz
SECRETARIAT = "griet.vanhoutte@kcvs.example"


@pytest.fixture
def fuzzed_app(demo_database_url: str, tmp_path: Path) -> Iterator[tuple[FastAPI, str]]:
    """The app on a copy of the demo database, and a secretariat API key."""
    app = create_app(
        Settings(database_url=demo_database_url, data_dir=tmp_path, secret_key="fuzz-secret")
    )
    # Schemathesis calls the app without running its lifespan, so prepare it here.
    app.state.engine = bootstrap.prepare_database(app.state.settings)
    with Session(app.state.engine) as session:
        person = people.get_by_email(session, email=SECRETARIAT)
        key = api_keys.create(
            session, person=person, label="fuzz", actor=Actor.of(person), now=utcnow()
        )
        session.commit()
    yield app, key.secret
    app.state.engine.dispose()


def test_api_never_fails_and_keeps_its_schema(fuzzed_app: tuple[FastAPI, str]) -> None:
    app, secret = fuzzed_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/api/")
    headers = {"Authorization": f"Bearer {secret}"}
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 8

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            derandomize=True,  # the same cases every run: CI must not flip on chance
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: schemathesis.Case) -> None:  # type: ignore[type-arg]
            case.call_and_validate(headers=headers)

        fuzz()
