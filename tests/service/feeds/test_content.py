"""Feeds per group, member, organisation and public: what they show, read by four parsers."""

import os
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from calendars.events import Event
from models.access import FeedScope, FeedToken
from models.agenda import (
    AgendaCallCreate,
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    AgendaVersion,
    AgendaVersionStatus,
)
from models.dates import DatePrecision
from models.deliverables import DeliverableCreate
from models.groups import GroupKind, WorkingGroup, WorkingGroupCreate
from models.meetings import Meeting, MeetingCreate, MeetingStatus
from models.memberships import Membership, MembershipRole
from models.people import Person
from service import tokens
from service.agenda import calls
from service.clock import BRUSSELS
from service.deliverables import deliverables
from service.directory import groups
from service.feeds import content, subscriptions
from service.lifecycle import changes
from service.meetings import meetings
from service.settings import Settings
from tests.calendars.conformance import Recorder, Seen, read_everywhere, when
from tests.factories import ACTOR, join, make_person

SETTINGS = Settings(base_url="https://overleg.kcvs.example")
GOLDEN = Path(__file__).parents[2] / "calendars" / "snapshots"
DECIDED = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)  # the KBO netwerkdag was postponed that day


@pytest.fixture(autouse=True)
def every_feed_is_read_by_four_parsers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Whatever a test renders is also linted and read by ical, vobject, ical.js and libical."""
    recorder = Recorder()
    render = content.render

    def recording(feed: content.FeedContent) -> content.Rendered:
        rendered = render(feed)
        recorder.bodies.append(rendered.body)
        return rendered

    monkeypatch.setattr(content, "render", recording)
    yield
    recorder.check()


def _group(session: Session, now: datetime, slug: str, short: str, name: str) -> WorkingGroup:
    return groups.create(
        session,
        group_in=WorkingGroupCreate(
            slug=slug, short_name=short, name=name, kind=GroupKind.werkgroep
        ),
        actor=ACTOR,
        now=now,
    )


def _meeting(
    session: Session,
    group: WorkingGroup,
    *,
    title: str,
    local_start: datetime,
    hours: float = 2,
    now: datetime,
    **fields: object,
) -> Meeting:
    """A meeting at a Brussels wall-clock time (given naive, as people say it)."""
    start = local_start.replace(tzinfo=BRUSSELS).astimezone(UTC)
    return meetings.schedule(
        session,
        meeting_in=MeetingCreate.model_validate(
            {
                "group": group.slug,
                "title": title,
                "starts_at": start,
                "ends_at": start + timedelta(hours=hours),
                **fields,
            }
        ),
        actor=ACTOR,
        now=now,
    )


def _token(session: Session, person: Person, scope: FeedScope, scope_id: int | None) -> FeedToken:
    return subscriptions.create(
        session, person=person, scope=scope, scope_id=scope_id, actor=ACTOR, now=DECIDED
    ).token


def _seen(event: Event) -> Seen:
    return Seen(
        uid=event.uid,
        sequence=event.sequence,
        status=event.status.value,
        summary=event.summary,
        start=when(event.start),
        end=when(event.end),
        description=event.description,
        location=event.location,
    )


def _from_db(
    meeting: Meeting, *, status: str, summary: str, slot: tuple[datetime, datetime]
) -> Seen:
    """What a parser must read for a meeting, written from its row, not from our mapping."""
    return Seen(
        uid=f"meeting-{meeting.id}@overleg.kcvs.example",
        sequence=meeting.revision,
        status=status,
        summary=summary,
        start=when(slot[0]),
        end=when(slot[1]),
    )


def _bare(seen: Seen) -> Seen:
    return Seen(seen.uid, seen.sequence, seen.status, seen.summary, seen.start, seen.end)


def _golden(name: str, body: bytes, meeting_ids: list[int]) -> None:
    text = body.decode("utf-8")
    for stable, real in enumerate(meeting_ids, start=1):
        text = re.sub(rf"\bmeeting-{real}@", f"meeting-{stable}@", text)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"missing golden file {path.name}: run with UPDATE_GOLDEN=1 once"
    assert text.encode("utf-8") == path.read_bytes()


def _kbo(session: Session) -> tuple[WorkingGroup, dict[str, Meeting]]:
    """The KBO group on 1 December 2025: a DST-crossing series, a moved, a cancelled and the
    postponed netwerkdag, plus texts with commas, semicolons, newlines and accents."""
    now = DECIDED
    group = _group(session, now, "kbo", "KBO", "KBO – Kwaliteit, Beleid & Organisatiebeheersing")
    made: dict[str, Meeting] = {}
    made["network_day"] = _meeting(
        session,
        group,
        title="Netwerkdag Interne audit en continue verbetering",
        local_start=datetime(2025, 12, 18, 9, 30),
        hours=7,
        now=now - timedelta(days=60),
        location="Bischoffsheimlaan 1-8, 1000 Brussel",
    )
    # A weekly series at 14:00 Brussels time across the change to summer time (29 March 2026).
    for week, day in enumerate((17, 24, 31), start=1):
        made[f"series_{week}"] = _meeting(
            session,
            group,
            title=f"Traject risicomanagement, sessie {week}/3",
            local_start=datetime(2026, 3, day, 14, 0),
            now=now,
            join_url=f"https://meet.example/kbo-2026-03-{day}",
        )
    made["moved"] = _meeting(
        session,
        group,
        title="KBO-sessie 2026: procesmanagement",
        local_start=datetime(2026, 3, 12, 9, 30),
        hours=3,
        now=now,
        location="Stadhuis, Grote Markt 1; Antwerpen",
    )
    made["cancelled"] = _meeting(
        session,
        group,
        title="KBO-sessie 2026: interne controle",
        local_start=datetime(2026, 4, 23, 9, 30),
        hours=3,
        now=now,
    )
    made["texts"] = _meeting(
        session,
        group,
        title='Budget, "Q3"; review \\ draft: één, twee; drie',
        local_start=datetime(2026, 5, 21, 13, 0),
        now=now,
        description="Regel 1, met komma; en puntkomma\nRegel 2 — Brussel-Hoofdstad, Région",
        location="Zaal 3; verdieping 2, Stadhuis",
        status=MeetingStatus.confirmed,
    )
    ids = {name: m.id for name, m in made.items()}
    assert all(ids.values())
    changes.postpone(
        session,
        meeting_id=made["network_day"].id or 0,
        period_start=date(2026, 2, 1),
        precision=DatePrecision.month,
        reason="Verplaatst naar februari 2026 door onverwachte omstandigheden",
        actor=ACTOR,
        now=now,
    )
    moved_to = datetime(2026, 3, 19, 9, 30, tzinfo=BRUSSELS).astimezone(UTC)
    changes.reschedule(
        session,
        meeting_id=made["moved"].id or 0,
        starts_at=moved_to,
        ends_at=moved_to + timedelta(hours=3),
        reason="Zaal niet vrij",
        actor=ACTOR,
        now=now,
    )
    changes.cancel(
        session,
        meeting_id=made["cancelled"].id or 0,
        reason="Te weinig inschrijvingen",
        actor=ACTOR,
        now=now,
    )
    # The published agenda of the text meeting (read from the agenda tables).
    version = AgendaVersion(
        meeting_id=made["texts"].id or 0,
        number=1,
        status=AgendaVersionStatus.published,
        created_at=now,
        published_at=now,
    )
    session.add(version)
    session.flush()
    for position, (title, status) in enumerate(
        [
            ("Welkom; kennismaking", AgendaItemStatus.accepted),
            ("Risico's, kansen en maatregelen", AgendaItemStatus.accepted),
            ("Geschrapt punt", AgendaItemStatus.dropped),
        ],
        start=1,
    ):
        session.add(
            AgendaItem(
                version_id=version.id or 0,
                item_key=position,
                position=position,
                title=title,
                kind=AgendaItemKind.manual,
                status=status,
            )
        )
    session.flush()
    return group, made


def test_group_feed_golden_and_read_alike_by_four_parsers(session: Session) -> None:
    group, made = _kbo(session)
    person = make_person(session, now=DECIDED)
    join(session, person=person, group=group, now=DECIDED)
    token = _token(session, person, FeedScope.group, group.id)
    feed = content.content(session, token=token, settings=SETTINGS, now=DECIDED)
    body = content.render(feed).body
    (seen,) = read_everywhere([body.decode("utf-8")])
    brussels = BRUSSELS

    def slot(day: datetime, hours: float) -> tuple[datetime, datetime]:
        start = day.replace(tzinfo=brussels)
        return start, start + timedelta(hours=hours)

    expected = [
        _from_db(
            made["network_day"],
            status="CANCELLED",
            summary="Uitgesteld naar februari 2026: "
            "Netwerkdag Interne audit en continue verbetering",
            slot=slot(datetime(2025, 12, 18, 9, 30), 7),
        ),
        *(
            _from_db(
                made[f"series_{n}"],
                status="TENTATIVE",
                summary=f"Traject risicomanagement, sessie {n}/3",
                slot=slot(datetime(2026, 3, day, 14, 0), 2),
            )
            for n, day in ((1, 17), (2, 24))
        ),
        _from_db(
            made["moved"],
            status="TENTATIVE",
            summary="KBO-sessie 2026: procesmanagement",
            slot=slot(datetime(2026, 3, 19, 9, 30), 3),
        ),
        _from_db(
            made["series_3"],
            status="TENTATIVE",
            summary="Traject risicomanagement, sessie 3/3",
            slot=slot(datetime(2026, 3, 31, 14, 0), 2),
        ),
        _from_db(
            made["cancelled"],
            status="CANCELLED",
            summary="Geannuleerd: KBO-sessie 2026: interne controle",
            slot=slot(datetime(2026, 4, 23, 9, 30), 3),
        ),
        _from_db(
            made["texts"],
            status="CONFIRMED",
            summary='Budget, "Q3"; review \\ draft: één, twee; drie',
            slot=slot(datetime(2026, 5, 21, 13, 0), 2),
        ),
    ]
    assert [_bare(s) for s in seen] == sorted(expected, key=lambda s: s.start)
    # 14:00 in Brussels is 13:00 UTC before the change to summer time and 12:00 after it.
    assert [s.start[11:16] for s in seen if "Traject" in s.summary] == ["13:00", "13:00", "12:00"]
    texts = seen[-1]
    assert texts.location == "Zaal 3; verdieping 2, Stadhuis"
    assert texts.description == (
        "Regel 1, met komma; en puntkomma\nRegel 2 — Brussel-Hoofdstad, Région\n\n"
        "Agenda:\n1. Welkom; kennismaking\n2. Risico's, kansen en maatregelen\n\n"
        "Locatie: Zaal 3; verdieping 2, Stadhuis"
    )
    assert seen[2].sequence == 1 and seen[0].sequence == 1  # moved and postponed
    assert [_seen(e) for e in feed.events] == seen
    _golden("feed_kbo_group.ics", body, [made[k].id or 0 for k in made])


def test_an_unchanged_feed_is_byte_identical_and_cancelled_events_leave_after_their_day(
    session: Session,
) -> None:
    group, made = _kbo(session)
    person = make_person(session, now=DECIDED)
    join(session, person=person, group=group, now=DECIDED)
    token = _token(session, person, FeedScope.group, group.id)
    first = content.render(content.content(session, token=token, settings=SETTINGS, now=DECIDED))
    again = content.render(
        content.content(session, token=token, settings=SETTINGS, now=DECIDED + timedelta(hours=5))
    )
    assert first.body == again.body and first.etag == again.etag
    after_network_day = datetime(2025, 12, 18, 23, 30, tzinfo=UTC)  # 19 December in Brussels
    later = content.content(session, token=token, settings=SETTINGS, now=after_network_day)
    uids = {e.uid for e in later.events}
    assert f"meeting-{made['network_day'].id}@overleg.kcvs.example" not in uids
    assert f"meeting-{made['cancelled'].id}@overleg.kcvs.example" in uids


def test_the_window_keeps_feeds_small(session: Session, now: datetime) -> None:
    group = _group(session, now, "gdpr", "GDPR", "Werkgroep GDPR")
    old = _meeting(session, group, title="Oud", local_start=datetime(2025, 6, 1, 14), now=now)
    far = _meeting(session, group, title="Ver", local_start=datetime(2029, 6, 1, 14), now=now)
    near = _meeting(session, group, title="Nabij", local_start=datetime(2027, 6, 1, 14), now=now)
    person = make_person(session, now=now)
    join(session, person=person, group=group, now=now)
    token = _token(session, person, FeedScope.group, group.id)
    shown = {
        e.uid for e in content.content(session, token=token, settings=SETTINGS, now=now).events
    }
    assert shown == {f"meeting-{near.id}@overleg.kcvs.example"}
    assert old.id and far.id


def test_member_feed_has_current_groups_deadlines_and_due_dates(
    session: Session, now: datetime
) -> None:
    gdpr = _group(session, now, "gdpr", "GDPR", "Werkgroep GDPR")
    nis2 = _group(session, now, "nis2", "NIS2", "Werkgroep NIS2")
    member = make_person(session, now=now, name="An Peeters")
    other = make_person(session, now=now, name="Bart Claes")
    join(session, person=member, group=gdpr, now=now)
    join(session, person=member, group=nis2, now=now, joined_on=date(2025, 1, 1))
    join(session, person=other, group=gdpr, now=now)
    past = _meeting(
        session, nis2, title="NIS2 voorbij", local_start=datetime(2026, 6, 4, 10), now=now
    )
    future = _meeting(
        session, nis2, title="NIS2 later", local_start=datetime(2027, 2, 4, 10), now=now
    )
    gdpr_meeting = _meeting(
        session, gdpr, title="GDPR 1/2027", local_start=datetime(2027, 1, 14, 14), now=now
    )
    call = calls.create_call(
        session,
        meeting_id=gdpr_meeting.id or 0,
        call_in=AgendaCallCreate(
            opens_at=now, deadline=datetime(2027, 1, 7, 16, 0, tzinfo=UTC), max_questions=3
        ),
        actor=ACTOR,
        now=now,
    )
    due = deliverables.create(
        session,
        deliverable_in=DeliverableCreate(
            group="gdpr",
            title="Modelverwerkersovereenkomst, versie 2",
            accountable_email=member.email,
            due_on=date(2027, 2, 1),
            due_precision=DatePrecision.month,
        ),
        actor=ACTOR,
        now=now,
    )
    # The member leaves NIS2 today: its past meeting stays, its future one goes.
    membership = session.exec(
        select(Membership).where(Membership.person_id == member.id, Membership.group_id == nis2.id)
    ).one()
    membership.left_on = now.date()
    session.add(membership)
    session.flush()
    token = _token(session, member, FeedScope.person, None)
    feed = content.content(session, token=token, settings=SETTINGS, now=now + timedelta(days=1))
    (seen,) = read_everywhere([content.render(feed).body.decode("utf-8")])
    by_uid = {s.uid: s for s in seen}
    host = "overleg.kcvs.example"
    assert set(by_uid) == {
        f"meeting-{past.id}@{host}",
        f"meeting-{gdpr_meeting.id}@{host}",
        f"agenda-call-{call.id}@{host}",
        f"deliverable-{due.id}@{host}",
    }
    assert f"meeting-{future.id}@{host}" not in by_uid
    deadline = by_uid[f"agenda-call-{call.id}@{host}"]
    assert (deadline.summary, deadline.start) == (
        "Deadline agendapunten: GDPR 1/2027",
        "2027-01-07T16:00:00.000Z",
    )
    assert "donderdag 7 januari 2027, 17:00 (Brussel)" in (deadline.description or "")
    # A fuzzy due date ("February 2027") is an all-day event on the period's last day.
    deliverable = by_uid[f"deliverable-{due.id}@{host}"]
    assert (deliverable.start, deliverable.end) == ("2027-02-28", "2027-03-01")
    assert deliverable.summary == "Te leveren: Modelverwerkersovereenkomst, versie 2"
    # Another member's feed never shows this member's private items.
    other_token = _token(session, other, FeedScope.person, None)
    theirs = content.content(session, token=other_token, settings=SETTINGS, now=now)
    their_uids = {e.uid for e in theirs.events}
    assert f"deliverable-{due.id}@{host}" not in their_uids
    assert f"meeting-{past.id}@{host}" not in their_uids
    assert f"agenda-call-{call.id}@{host}" in their_uids  # they are a GDPR member too


def test_public_and_organisation_feeds(session: Session, now: datetime) -> None:
    group = _group(session, now, "orba", "ORBA", "Lerend netwerk ORBA")
    public = _meeting(
        session,
        group,
        title="Studiedag ORBA",
        local_start=datetime(2027, 3, 9, 9, 30),
        now=now,
        is_public=True,
        location="Provinciehuis, Antwerpen",
        join_url="https://meet.example/orba-geheim",
        description="Met sprekers van Stad Gent",
    )
    internal = _meeting(
        session, group, title="ORBA intern", local_start=datetime(2027, 3, 16, 14), now=now
    )
    chair = make_person(session, now=now, name="Pieter Claeys")
    join(session, person=chair, group=group, now=now, role=MembershipRole.chair)
    published = _token(session, chair, FeedScope.public_group, group.id)
    feed = content.content(session, token=published, settings=SETTINGS, now=now)
    text = content.render(feed).body.decode("utf-8")
    (seen,) = read_everywhere([text])
    assert [_bare(s) for s in seen] == [
        _from_db(
            public,
            status="TENTATIVE",
            summary="Studiedag ORBA",
            slot=(public.starts_at or now, public.ends_at or now),
        )
    ]
    assert "meet.example" not in text and "DESCRIPTION" not in text and "URL:" not in text
    assert chair.email not in text and "Pieter" not in text
    organisation_token = _token(session, chair, FeedScope.organisation, chair.organisation_id)
    of_city = content.content(session, token=organisation_token, settings=SETTINGS, now=now)
    assert {e.uid for e in of_city.events} == {
        f"meeting-{public.id}@overleg.kcvs.example",
        f"meeting-{internal.id}@overleg.kcvs.example",
    }


def test_serve_keeps_last_modified_going_forward(session: Session, now: datetime) -> None:
    group = _group(session, now, "gdpr", "GDPR", "Werkgroep GDPR")
    person = make_person(session, now=now)
    join(session, person=person, group=group, now=now)
    first = _meeting(session, group, title="Eerste", local_start=datetime(2027, 1, 5, 14), now=now)
    newest = _meeting(
        session, group, title="Nieuwste", local_start=datetime(2027, 2, 5, 14), now=now
    )
    made = subscriptions.create(
        session, person=person, scope=FeedScope.group, scope_id=group.id, actor=ACTOR, now=now
    )
    token_hash = tokens.digest(made.secret)
    served = content.serve(session, token_hash=token_hash, settings=SETTINGS, now=now)
    assert served is not None
    same = content.serve(session, token_hash=token_hash, settings=SETTINGS, now=now + timedelta(1))
    assert same is not None and same.last_modified == served.last_modified
    # The newest event goes (the member leaves): the feed changes and Last-Modified moves on,
    # even though every DTSTAMP left in the feed is older.
    membership = session.exec(select(Membership).where(Membership.person_id == person.id)).one()
    membership.left_on = now.date()
    session.add(membership)
    later = now + timedelta(days=2)
    changed = content.serve(session, token_hash=token_hash, settings=SETTINGS, now=later)
    assert changed is not None and changed.etag != served.etag
    assert changed.last_modified > served.last_modified
    assert first.id and newest.id
    subscriptions.revoke(
        session, person=person, token_id=made.token.id or 0, actor=ACTOR, now=later
    )
    assert content.serve(session, token_hash=token_hash, settings=SETTINGS, now=later) is None
    assert (
        content.serve(session, token_hash=tokens.digest("unknown"), settings=SETTINGS, now=later)
        is None
    )
