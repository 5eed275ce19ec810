"""200 members answer the call at the same moment, against the app running in uvicorn."""

import asyncio
import re
import ssl
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, col, select

from models.agenda import Submission
from service.db import create_engine
from tests.live import app_log, open_call

pytestmark = pytest.mark.load
MEMBERS = 200
QUESTIONS = 3
RANKS = range(1, QUESTIONS + 1)


def _questions(person_id: int) -> list[str]:
    return [
        f"Vraag {rank} van lid {person_id}: wat is een “essentiële entiteit”?" for rank in RANKS
    ]


async def _answer(link: str, person_id: int, tls: ssl.SSLContext) -> tuple[int, int, str]:
    """One member in a browser of their own: load the form, then save three questions."""
    async with httpx.AsyncClient(verify=tls, timeout=120) as client:
        page = await client.get(link)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        if page.status_code != 200 or match is None:
            return page.status_code, 0, page.text[:500]
        data = {"csrf_token": match.group(1)}
        data |= {f"question_{n}": q for n, q in enumerate(_questions(person_id), start=1)}
        saved = await client.post(link, data=data)
        return page.status_code, saved.status_code, saved.headers.get("location", saved.text[:500])


async def test_200_members_save_their_questions_at_once(
    live_app: tuple[str, Path], empty_database_url: str, backend: str
) -> None:
    url, data_dir = live_app
    opened = open_call(
        empty_database_url, base_url=url, members=MEMBERS, title="Drukke vergadering"
    )
    assert len(opened.links) == MEMBERS

    # One TLS context for all: making 200 (4 s here, blocking the event loop) would stagger the
    # members. Each still has a client, connections and cookies of its own.
    tls = ssl.create_default_context()
    started = time.perf_counter()
    outcomes = await asyncio.gather(
        *(_answer(opened.links[person], person, tls) for person in opened.members)
    )
    took = time.perf_counter() - started
    # Reported, not asserted: run with -s to see it.
    print(f"\n{MEMBERS} members saved on {backend} in {took:.2f}s")  # noqa: T201 - the timing

    failed = [
        (person, o)
        for person, o in zip(opened.members, outcomes, strict=True)
        if o[:2] != (200, 303)
    ]
    assert failed == [], f"{len(failed)} failed, e.g. {failed[:3]}\n{app_log(data_dir)[-3000:]}"
    for person, (_, _, location) in zip(opened.members, outcomes, strict=True):
        assert location == opened.links[person].removeprefix(url) + "?saved=true"

    engine = create_engine(empty_database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(Submission)
                .where(Submission.call_id == opened.call_id)
                .order_by(col(Submission.person_id), col(Submission.rank))
            ).all()
    finally:
        engine.dispose()
    assert len(rows) == MEMBERS * QUESTIONS
    assert {(r.status.value, r.received_late) for r in rows} == {("active", False)}
    assert Counter(r.person_id for r in rows) == dict.fromkeys(opened.members, QUESTIONS)
    stored: dict[int | None, list[str]] = {}
    for row in rows:  # ordered by person, then rank
        stored.setdefault(row.person_id, []).append(row.question)
    assert stored == {person: _questions(person) for person in opened.members}
    assert "Traceback" not in app_log(data_dir)
