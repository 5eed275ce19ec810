"""Feeds over HTTP: the subscription page, conditional requests, revocation, logs, privacy."""

import gzip
import logging
import re
from collections import OrderedDict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.dates import DatePrecision
from models.deliverables import DeliverableCreate
from models.groups import WorkingGroup
from models.meetings import Meeting
from models.memberships import Membership
from models.people import Person
from service.audit import Actor
from service.deliverables import deliverables
from service.feeds import content
from service.lifecycle import changes
from service.web.feeds import serving as web_feeds
from tests.calendars.conformance import Recorder, read_everywhere
from tests.web.conftest import SignIn, csrf

MEMBER = "sander.mertens@antwerpen.example"  # NIS2
OUTSIDER = "liesbeth.vanimpe@aalst.example"  # GDPR, not NIS2
ACTOR = Actor.system("tests")


@pytest.fixture(autouse=True)
def every_feed_is_read_by_four_parsers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every feed the app serves in these tests is also read by the four parsers."""
    recorder = Recorder()
    answer = web_feeds._answer

    def recording(served: content.Served) -> web_feeds.Answer:
        recorder.bodies.append(served.body)
        return answer(served)

    monkeypatch.setattr(web_feeds, "_answer", recording)
    yield
    recorder.check()


@pytest.fixture
def fresh(app: FastAPI) -> FastAPI:
    """The app checking the database on every feed request (no answer from memory)."""
    app.state.settings.feed_recheck_seconds = 0
    return app


async def _make_feed(client: httpx.AsyncClient, target: str) -> tuple[str, str]:
    """Make a feed on the page; return the page and the feed's path."""
    page = await client.post(
        "/me/calendars", data={"csrf_token": await csrf(client), "target": target}
    )
    assert page.status_code == 200, page.text
    match = re.search(r'readonly value="http://[^/]+(/feeds/[^"]+)"', page.text)
    assert match, page.text
    return page.text, match.group(1)


def _person(db: Engine, email: str) -> Person:
    with Session(db) as session:
        person = session.exec(select(Person).where(Person.email == email)).one()
        session.expunge(person)
        return person


def _group_id(db: Engine, slug: str) -> int:
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == slug)).one()
        assert group.id is not None
        return group.id


async def test_subscription_page_gives_every_kind_of_link(sign_in: SignIn) -> None:
    client = await sign_in(MEMBER)
    page = await client.get("/me/calendars")
    assert page.status_code == 200
    assert "Abonneer je, importeer niet" in page.text
    text, path = await _make_feed(client, "person")
    secret = path.removeprefix("/feeds/").removesuffix(".ics")
    assert len(secret) >= 43  # 256 random bits, URL-safe base64
    assert f'href="webcal://test/feeds/{secret}.ics"' in text or "webcal://" in text
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F" in text
    assert "https://outlook.office.com/calendar/0/addfromweb?url=http%3A%2F%2F" in text
    listed = await client.get("/me/calendars")
    assert secret not in listed.text  # shown once, when made
    assert "Mijn vergaderingen, deadlines en opleverdata" in listed.text


async def test_200_then_304_head_and_headers(sign_in: SignIn, fresh: FastAPI) -> None:
    client = await sign_in(MEMBER)
    _, path = await _make_feed(client, "person")
    client.headers["accept-encoding"] = "identity"  # httpx asks for gzip unless told not to
    first = await client.get(path)
    assert first.status_code == 200
    assert first.headers["content-type"] == "text/calendar; charset=utf-8"
    assert int(first.headers["content-length"]) == len(first.content)
    assert "content-encoding" not in first.headers and "set-cookie" not in first.headers
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert re.fullmatch(r'"[0-9a-f]{64}"', etag)
    assert first.headers["vary"] == "Accept-Encoding"
    (events,) = read_everywhere([first.text])
    assert any("NIS2" in e.summary for e in events)
    again = await client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert again.headers["vary"] == "Accept-Encoding"
    since = await client.get(path, headers={"if-modified-since": modified})
    assert since.status_code == 304
    stale = await client.get(
        path, headers={"if-none-match": '"stale"', "if-modified-since": modified}
    )
    assert stale.status_code == 200  # If-None-Match decides when both are sent
    head = await client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == first.headers["content-length"]
    assert (await client.post(path)).status_code == 405


async def _raw(client: httpx.AsyncClient, method: str, path: str, **headers: str) -> httpx.Response:
    """A response with its body as sent (httpx would undo the gzip)."""
    async with client.stream(method, path, headers=headers) as response:
        response._content = b"".join([part async for part in response.aiter_raw()])
    return response


async def test_a_feed_is_gzip_compressed_once_when_the_client_accepts_it(
    sign_in: SignIn, fresh: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    compressed: list[int] = []
    compress = gzip.compress

    def counting(data: bytes, compresslevel: int, mtime: float) -> bytes:
        compressed.append(len(data))
        return compress(data, compresslevel=compresslevel, mtime=mtime)

    monkeypatch.setattr(gzip, "compress", counting)
    monkeypatch.setattr(content.RENDERS, "items", OrderedDict())  # nothing rendered before
    client = await sign_in(MEMBER)
    _, path = await _make_feed(client, "person")
    plain = await _raw(client, "GET", path, **{"accept-encoding": "identity"})
    zipped = await _raw(client, "GET", path, **{"accept-encoding": "deflate, gzip;q=0.8"})
    assert zipped.status_code == 200 and zipped.headers["content-encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert int(zipped.headers["content-length"]) == len(zipped.content) < len(plain.content)
    assert zipped.headers["vary"] == plain.headers["vary"] == "Accept-Encoding"
    assert zipped.headers["etag"] == plain.headers["etag"][:-1] + '-gzip"'
    assert zipped.headers["last-modified"] == plain.headers["last-modified"]
    assert zipped.headers["content-type"] == plain.headers["content-type"]
    assert "content-encoding" not in plain.headers
    # The same bytes again, from the one compression made for this content.
    again = await _raw(client, "GET", path, **{"accept-encoding": "gzip"})
    assert again.content == zipped.content and compressed == [len(plain.content)]
    head = await _raw(client, "HEAD", path, **{"accept-encoding": "gzip"})
    assert (
        head.content == b"" and head.headers["content-length"] == zipped.headers["content-length"]
    )


async def test_each_encoding_answers_304_to_its_own_etag(sign_in: SignIn, fresh: FastAPI) -> None:
    client = await sign_in(MEMBER)
    _, path = await _make_feed(client, "person")
    plain = await _raw(client, "GET", path, **{"accept-encoding": "identity"})
    zipped = await _raw(client, "GET", path, **{"accept-encoding": "gzip"})
    plain_tag, zipped_tag = plain.headers["etag"], zipped.headers["etag"]
    cases = [
        ("gzip", zipped_tag, 304, zipped_tag),
        ("gzip", f"W/{zipped_tag}", 304, zipped_tag),
        ("identity", plain_tag, 304, plain_tag),
        ("gzip", plain_tag, 200, zipped_tag),  # cached plain, now takes gzip: the gzip bytes
        ("identity", zipped_tag, 200, plain_tag),
        ("gzip;q=0", plain_tag, 304, plain_tag),
    ]
    for encoding, tag, status, answered in cases:
        answer = await _raw(
            client, "GET", path, **{"accept-encoding": encoding, "if-none-match": tag}
        )
        assert (answer.status_code, answer.headers["etag"]) == (status, answered), (encoding, tag)
        assert answer.headers["vary"] == "Accept-Encoding"
        expected = b"" if status == 304 else (plain if answered == plain_tag else zipped).content
        assert answer.content == expected


@pytest.mark.parametrize(
    ("header", "gzip_ok"),
    [
        (None, False),
        ("", False),
        ("identity", False),
        ("gzip", True),
        ("GZip", True),
        ("x-gzip", True),
        ("deflate, gzip;q=0.5", True),
        ("gzip;q=0", False),
        ("gzip; q=0.0, *", False),
        ("*", True),
        ("*;q=0", False),
        ("br, *;q=0.1", True),
        ("gzip;q=nonsense", False),
    ],
)
def test_which_accept_encoding_allows_gzip(header: str | None, gzip_ok: bool) -> None:
    assert web_feeds.accepts_gzip(None if header is None else header.encode()) is gzip_ok


async def test_a_change_gives_new_bytes_and_last_modified_never_goes_back(
    sign_in: SignIn, fresh: FastAPI, db: Engine, now: datetime
) -> None:
    client = await sign_in(MEMBER)
    nis2 = _group_id(db, "nis2")
    _, path = await _make_feed(client, f"group:{nis2}")
    first = await client.get(path)
    modified = first.headers["last-modified"]
    with Session(db) as session:
        meeting = session.exec(
            select(Meeting).where(Meeting.group_id == nis2).order_by(Meeting.starts_at.desc())  # type: ignore[union-attr]
        ).first()
        assert meeting is not None and meeting.starts_at is not None and meeting.ends_at
        moved = meeting.starts_at + timedelta(days=7)
        changes.reschedule(
            session,
            meeting_id=meeting.id or 0,
            starts_at=moved,
            ends_at=moved + (meeting.ends_at - meeting.starts_at),
            reason="Zaal niet vrij",
            actor=ACTOR,
            now=now,
        )
        session.commit()
        meeting_id = meeting.id
    changed = await client.get(path, headers={"if-modified-since": modified})
    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]
    assert parsedate_to_datetime(changed.headers["last-modified"]) > parsedate_to_datetime(modified)
    assert "SEQUENCE:1" in changed.text
    # The newest meeting leaves the feed (the member leaves NIS2): still later, never back.
    with Session(db) as session:
        person = session.exec(select(Person).where(Person.email == MEMBER)).one()
        membership = session.exec(
            select(Membership).where(Membership.person_id == person.id, Membership.group_id == nis2)
        ).one()
        membership.left_on = now.date() - timedelta(days=1)
        session.add(membership)
        session.commit()
    _, own = await _make_feed(client, "person")
    gone = await client.get(own)
    assert f"meeting-{meeting_id}@" not in gone.text  # a future meeting of a group left
    left = await client.get(path, headers={"if-modified-since": changed.headers["last-modified"]})
    assert left.status_code == 200 and f"meeting-{meeting_id}@" not in left.text
    later = parsedate_to_datetime(left.headers["last-modified"])
    assert later > parsedate_to_datetime(changed.headers["last-modified"])


async def test_revoked_rotated_and_unknown_tokens_get_the_same_404(
    sign_in: SignIn, db: Engine
) -> None:
    client = await sign_in(MEMBER)
    page, path = await _make_feed(client, "person")
    assert (await client.get(path)).status_code == 200  # answered and cached
    token_id = re.search(r'action="/me/calendars/(\d+)/revoke"', page)
    assert token_id
    rotated = await client.post(
        f"/me/calendars/{token_id.group(1)}/rotate", data={"csrf_token": await csrf(client)}
    )
    new_path = re.search(r'value="http://[^/]+(/feeds/[^"]+)"', rotated.text)
    assert new_path
    old = await client.get(path)
    unknown = await client.get("/feeds/" + "x" * 43 + ".ics")
    assert old.status_code == unknown.status_code == 404
    assert old.content == unknown.content and old.headers == unknown.headers
    assert (await client.get(new_path.group(1))).status_code == 200
    new_id = re.search(r'action="/me/calendars/(\d+)/revoke"', rotated.text)
    assert new_id
    revoked = await client.post(
        f"/me/calendars/{new_id.group(1)}/revoke", data={"csrf_token": await csrf(client)}
    )
    assert revoked.status_code == 303
    assert (await client.get(new_path.group(1))).status_code == 404
    # Someone else cannot stop or rotate my feeds.
    other = await sign_in(OUTSIDER)
    refused = await other.post(
        f"/me/calendars/{token_id.group(1)}/rotate", data={"csrf_token": await csrf(other)}
    )
    assert refused.status_code == 404


async def test_tokens_never_reach_the_log(
    app: FastAPI, sign_in: SignIn, caplog: pytest.LogCaptureFixture
) -> None:
    client = await sign_in(MEMBER)
    _, path = await _make_feed(client, "person")
    secret = path.removeprefix("/feeds/").removesuffix(".ics")
    with caplog.at_level(logging.DEBUG):
        await client.get(path)
        await client.get(path)
        await client.get("/feeds/" + "y" * 43 + ".ics")
        app.state.feed_access.flush()  # written every ten seconds, or now
    # Everything the app logged (httpx, the test's own client, logs the URLs it asked for).
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "httpx")
    assert "GET /feeds/{token}.ics 200 x2 in " in logged
    assert "GET /feeds/{token}.ics 404 x1 in " in logged
    assert secret not in logged and "y" * 43 not in logged


async def test_another_members_feed_never_shows_my_private_items(
    sign_in: SignIn, db: Engine, fresh: FastAPI, now: datetime
) -> None:
    member = _person(db, MEMBER)
    with Session(db) as session:
        due = deliverables.create(
            session,
            deliverable_in=DeliverableCreate(
                group="nis2",
                title="Risicoanalyse leveranciers",
                accountable_email=MEMBER,
                due_on=date(2027, 3, 1),
                due_precision=DatePrecision.month,
            ),
            actor=ACTOR,
            now=now,
        )
        session.commit()
        uid = f"deliverable-{due.id}@"
    mine = await sign_in(MEMBER)
    _, my_path = await _make_feed(mine, "person")
    assert uid in (await mine.get(my_path)).text
    theirs = await sign_in(OUTSIDER)
    _, their_path = await _make_feed(theirs, "person")
    text = (await theirs.get(their_path)).text
    assert uid not in text and "CATEGORIES:NIS2" not in text and member.name not in text
    # Nor can they make a feed of a group they are not in.
    nis2 = _group_id(db, "nis2")
    refused = await theirs.post(
        "/me/calendars", data={"csrf_token": await csrf(theirs), "target": f"group:{nis2}"}
    )
    assert refused.status_code == 422
    assert "Je kan enkel groepen volgen waar je lid van bent." in refused.text
