"""Property-based fuzzing of the API from its own OpenAPI schema (schemathesis), time-bounded.

No generated request may produce a 5xx answer, and every answer must match the schema; times
without a zone, days alone, years 1 and 9999, and ids like "1.0" are refused, never a 5xx.
"""

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi import formats
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


# Times no client should send, mixed with good ones so that requests also get past them:
# no zone, a day alone, years 1 and 9999, and days outside the window people may name.
BAD_INSTANTS = [
    "2027-03-02T10:00:00",
    "2027-03-02",
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59Z",
    "1999-12-31T23:00:00+00:00",
    "2037-01-01T10:00:00+01:00",
]
BAD_DAYS = ["0001-01-01", "9999-12-31", "1999-12-31", "2037-01-01", "2027-02-29"]
GOOD_INSTANTS = st.datetimes(
    min_value=datetime(2026, 11, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
).map(datetime.isoformat)
GOOD_DAYS = st.dates(min_value=date(2026, 11, 1), max_value=date(2028, 12, 31)).map(date.isoformat)


@pytest.fixture
def bad_times() -> Iterator[None]:
    """Schemathesis generates the bad times above for every date and date-time in the schema."""
    schemathesis.openapi.format("date-time", st.sampled_from(BAD_INSTANTS) | GOOD_INSTANTS)
    schemathesis.openapi.format("date", st.sampled_from(BAD_DAYS) | GOOD_DAYS)
    yield
    for name in ("date-time", "date"):
        formats.unregister_string_format(name)


def _takes_times(definition: Any, components: dict[str, Any]) -> bool:
    """Whether an operation's parameters or body hold a date or date-time, through its refs."""
    seen: set[str] = set()
    pending = [json.dumps(definition)]
    while pending:
        text = pending.pop()
        if '"format": "date' in text:
            return True
        for name in re.findall(r"#/components/schemas/([\w.\-]+)", text):
            if name not in seen:
                seen.add(name)
                pending.append(json.dumps(components[name]))
    return False


def test_bad_times_never_fail(fuzzed_app: tuple[FastAPI, str], bad_times: None) -> None:
    app, secret = fuzzed_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/api/")
    headers = {"Authorization": f"Bearer {secret}"}
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    components = app.openapi()["components"]["schemas"]
    timed = [op for op in operations if _takes_times(op.definition.raw, components)]
    assert len(timed) >= 8

    for operation in timed:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: schemathesis.Case) -> None:  # type: ignore[type-arg]
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.path, case.body)

        fuzz()


async def test_ids_are_plain_whole_numbers(fuzzed_app: tuple[FastAPI, str]) -> None:
    """Every path id of the schema: "1.0", "+14", "014" and friends are refused, never read."""
    app, secret = fuzzed_app
    paths = app.openapi()["paths"]
    with_ids = {p: ops for p, ops in paths.items() if p.startswith("/api/") and "_id}" in p}
    assert len(with_ids) >= 20
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    headers = {"Authorization": f"Bearer {secret}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for path, methods in with_ids.items():
            for bad in ("1.0", "+14", "014", "1e0", "0x1", " 1", "1_000", "١"):
                url = re.sub(r"\{\w+_id\}", bad, path).replace("{slug}", "nis2")
                url = url.replace("{decision}", "park")
                for method in methods:
                    answer = await client.request(method, url, headers=headers, json={})
                    assert answer.status_code in (404, 422), (method, url, answer.status_code)
