"""Building a meeting's draft agenda from its closed call, once."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select

from models.agenda import (
    AgendaCall,
    AgendaItemKind,
    AgendaItemStatus,
    AgendaVersion,
    AgendaVersionStatus,
    SubmissionStatus,
)
from models.errors import DomainError
from service.agenda import drafts
from tests.conftest import table_counts
from tests.factories import ACTOR, make_group, make_meeting, make_organisation
from tests.service.agenda.agenda_helpers import close, member, open_call, send


def test_an_open_call_is_refused_and_nothing_is_written(session: Session, now: datetime) -> None:
    call = open_call(session, now=now, meeting=make_meeting(session, now=now))
    assert call.id is not None
    counts = table_counts(session)
    with pytest.raises(DomainError, match="once the call for input has closed"):
        drafts.build_draft(session, call_id=call.id, actor=ACTOR, now=now)
    assert table_counts(session) == counts


def test_the_draft_groups_scores_and_fits_the_questions(
    session: Session, now: datetime, closed_call: AgendaCall
) -> None:
    assert closed_call.id is not None
    version = drafts.build_draft(session, call_id=closed_call.id, actor=ACTOR, now=now)
    assert version.number == 0 and version.status is AgendaVersionStatus.draft
    assert version.id is not None
    items = drafts.items(session, version_id=version.id)
    assert [i.title for i in items][:2] == [
        "Welkom",
        "Goedkeuring van het verslag van de vorige vergadering",
    ]
    assert items[-1].title == "Praktische vragen"
    assert [i.position for i in items] == list(range(1, len(items) + 1))
    assert sum(i.duration_minutes for i in items) <= 120
    submitted = [i for i in items if i.kind is AgendaItemKind.submitted]
    assert len(submitted) == 3
    linked = drafts.sources(session, item_ids=[i.id for i in submitted if i.id])
    entity = next(i for i in submitted if "entiteit" in i.title)
    assert entity.id is not None
    assert {s.question for s in linked[entity.id]} == {
        "Wat valt onder 'essentiële entiteit'?",
        "Zijn wij een essentiële of belangrijke entiteit onder NIS2?",
    }
    # Gent's two members share one vote: 3/2 + 3/2 from Gent would double it; here Gent's
    # member gives 3 x 1/2 and Leuven's only member 3 x 1.
    assert entity.score == 4.5
    assert submitted[0] == entity


def test_building_twice_returns_the_same_draft_and_writes_nothing(
    session: Session, now: datetime, closed_call: AgendaCall
) -> None:
    assert closed_call.id is not None
    first = drafts.build_draft(session, call_id=closed_call.id, actor=ACTOR, now=now)
    counts = table_counts(session)
    again = drafts.build_draft(
        session, call_id=closed_call.id, actor=ACTOR, now=now + timedelta(hours=1)
    )
    assert again.id == first.id
    assert table_counts(session) == counts


def test_withdrawn_questions_are_left_out_and_parked_ones_come_in(
    session: Session, now: datetime
) -> None:
    group = make_group(session, now=now)
    earlier = make_meeting(session, now=now, group=group, starts_in=timedelta(days=10))
    meeting = make_meeting(session, now=now, group=group, starts_in=timedelta(days=40))
    city = make_organisation(session, now=now)
    late_call = open_call(session, now=now, meeting=earlier)
    late = member(session, now=now, group=group, organisation=city)
    (parked,) = send(
        session, now=now, call=late_call, person=late, questions=["Wie betaalt de CISO?"]
    )
    parked.status, parked.parked_for_meeting_id = SubmissionStatus.parked, meeting.id
    call = open_call(session, now=now, meeting=meeting)
    author = member(session, now=now, group=group, organisation=city)
    send(session, now=now, call=call, person=author, questions=["Eerste", "Tweede"])
    send(session, now=now, call=call, person=author, questions=["Eerste"])  # withdraws "Tweede"
    close(session, call)
    assert call.id is not None
    version = drafts.build_draft(session, call_id=call.id, actor=ACTOR, now=now)
    assert version.id is not None
    titles = {i.title for i in drafts.items(session, version_id=version.id)}
    assert {"Eerste", "Wie betaalt de CISO?"} <= titles
    assert "Tweede" not in titles


def test_items_moved_by_the_previous_meeting_are_carried_over(
    session: Session, now: datetime
) -> None:
    group = make_group(session, now=now)
    first = make_meeting(session, now=now, group=group, starts_in=timedelta(days=10))
    second = make_meeting(session, now=now, group=group, starts_in=timedelta(days=40))
    city = make_organisation(session, now=now)
    person = member(session, now=now, group=group, organisation=city)
    first_call = open_call(session, now=now, meeting=first)
    send(session, now=now, call=first_call, person=person, questions=["Hoe testen we back-ups?"])
    close(session, first_call)
    assert first_call.id is not None
    old = drafts.build_draft(session, call_id=first_call.id, actor=ACTOR, now=now)
    assert old.id is not None
    backups = next(i for i in drafts.items(session, version_id=old.id) if i.title.startswith("Hoe"))
    backups.status, backups.title = AgendaItemStatus.moved, "Back-ups testen"
    session.add(backups)
    second_call = open_call(session, now=now, meeting=second)
    close(session, second_call)
    assert second_call.id is not None
    new = drafts.build_draft(session, call_id=second_call.id, actor=ACTOR, now=now)
    assert new.id is not None
    items = drafts.items(session, version_id=new.id)
    carried = next(i for i in items if i.title == "Back-ups testen")
    assert carried.position == 3  # right after the opening items: it waited a meeting
    assert carried.id is not None
    linked = drafts.sources(session, item_ids=[carried.id])[carried.id]
    assert [s.question for s in linked] == ["Hoe testen we back-ups?"]


def test_published_is_none_until_a_version_is_published(
    session: Session, now: datetime, closed_call: AgendaCall
) -> None:
    assert closed_call.id is not None
    version = drafts.build_draft(session, call_id=closed_call.id, actor=ACTOR, now=now)
    assert drafts.published(session, meeting_id=version.meeting_id) is None
    for number in (1, 2):
        session.add(
            AgendaVersion(
                meeting_id=version.meeting_id,
                number=number,
                status=AgendaVersionStatus.published,
                created_at=now,
                published_at=now,
            )
        )
    session.flush()
    newest = drafts.published(session, meeting_id=version.meeting_id)
    assert newest is not None and newest.number == 2
    # The draft is still what build_draft returns.
    again = drafts.build_draft(session, call_id=closed_call.id, actor=ACTOR, now=now)
    assert again.id == version.id
    assert session.exec(select(AgendaVersion).where(AgendaVersion.number == 0)).first()
