"""Reviewing a draft agenda and publishing it as versions, with the mail about what changed."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from models.agenda import (
    AgendaCall,
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    AgendaVersion,
    AgendaVersionStatus,
)
from models.errors import DomainError
from models.notifications import Notification
from service.agenda import drafts, review
from tests.conftest import table_counts
from tests.factories import ACTOR, make_meeting


def _draft(session: Session, now: datetime, call: AgendaCall) -> tuple[int, list[AgendaItem]]:
    assert call.id is not None
    version = drafts.build_draft(session, call_id=call.id, actor=ACTOR, now=now)
    assert version.id is not None
    return version.meeting_id, drafts.items(session, version_id=version.id)


def _submitted(rows: list[AgendaItem]) -> list[AgendaItem]:
    return [r for r in rows if r.kind is AgendaItemKind.submitted]


def _titles(session: Session, meeting_id: int) -> list[str]:
    draft = drafts.draft(session, meeting_id=meeting_id)
    assert draft is not None and draft.id is not None
    return [r.title for r in drafts.items(session, version_id=draft.id)]


def test_rename_set_duration_and_reorder(
    session: Session, now: datetime, closed_call: AgendaCall
) -> None:
    meeting_id, rows = _draft(session, now, closed_call)
    entity = _submitted(rows)[0]
    assert entity.id is not None
    review.rename(
        session,
        meeting_id=meeting_id,
        item_id=entity.id,
        title="  Essentiële   of belangrijke entiteit? ",
        actor=ACTOR,
        now=now,
    )
    review.set_duration(
        session, meeting_id=meeting_id, item_id=entity.id, minutes=40, actor=ACTOR, now=now
    )
    review.move_to(
        session, meeting_id=meeting_id, item_id=entity.id, position=1, actor=ACTOR, now=now
    )
    titles = _titles(session, meeting_id)
    assert titles[:2] == ["Essentiële of belangrijke entiteit?", "Welkom"]
    assert session.get(AgendaItem, entity.id).duration_minutes == 40  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "   "}, "needs a title"),
        ({"title": "x" * 301}, "at most 300 characters"),
        ({"minutes": 601}, "between 0 and 600 minutes"),
        ({"position": 99}, "position must be between 1 and"),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(
    session: Session,
    now: datetime,
    closed_call: AgendaCall,
    change: dict[str, object],
    message: str,
) -> None:
    meeting_id, rows = _draft(session, now, closed_call)
    item_id = _submitted(rows)[0].id
    assert item_id is not None
    counts, before = table_counts(session), _titles(session, meeting_id)
    common = {"meeting_id": meeting_id, "item_id": item_id, "actor": ACTOR, "now": now}
    with pytest.raises(DomainError, match=message):
        if "title" in change:
            review.rename(session, title=str(change["title"]), **common)  # type: ignore[arg-type]
        elif "minutes" in change:
            review.set_duration(session, minutes=int(str(change["minutes"])), **common)  # type: ignore[arg-type]
        else:
            review.move_to(session, position=int(str(change["position"])), **common)  # type: ignore[arg-type]
    assert table_counts(session) == counts
    assert _titles(session, meeting_id) == before


def test_an_item_of_another_meeting_is_not_found(
    session: Session, now: datetime, closed_call: AgendaCall
) -> None:
    _, rows = _draft(session, now, closed_call)
    other = make_meeting(session, now=now)
    assert other.id is not None and rows[0].id is not None
    with pytest.raises(DomainError, match="no draft agenda yet"):
        review.rename(
            session, meeting_id=other.id, item_id=rows[0].id, title="X", actor=ACTOR, now=now
        )


def test_merge_moves_the_questions_and_rescores(
    session: Session, now: datetime, closed_call: AgendaCall
) -> None:
    meeting_id, rows = _draft(session, now, closed_call)
    entity, *others = _submitted(rows)
    assert entity.id is not None and others[0].id is not None
    merged = review.merge(
        session,
        meeting_id=meeting_id,
        item_id=others[0].id,
        into_id=entity.id,
        actor=ACTOR,
        now=now,
    )
    assert merged.id == entity.id
    assert session.get(AgendaItem, others[0].id) is None
    linked = drafts.sources(session, item_ids=[entity.id])[entity.id]
    assert len(linked) == 3
    assert merged.score is not None and merged.score > 4.5
    titles = _titles(session, meeting_id)
    assert len(titles) == len(rows) - 1


def test_standing_items_cannot_be_merged(
    session: Session, now: datetime, closed_call: AgendaCall
) -> None:
    meeting_id, rows = _draft(session, now, closed_call)
    welcome, entity = rows[0], _submitted(rows)[0]
    assert welcome.id is not None and entity.id is not None
    counts = table_counts(session)
    with pytest.raises(DomainError, match="Standing items"):
        review.merge(
            session,
            meeting_id=meeting_id,
            item_id=entity.id,
            into_id=welcome.id,
            actor=ACTOR,
            now=now,
        )
    assert table_counts(session) == counts


def test_split_takes_questions_into_a_new_item_after_the_first(
    session: Session, now: datetime, closed_call: AgendaCall
) -> None:
    meeting_id, rows = _draft(session, now, closed_call)
    entity = _submitted(rows)[0]
    assert entity.id is not None
    linked = drafts.sources(session, item_ids=[entity.id])[entity.id]
    counts = table_counts(session)
    with pytest.raises(DomainError, match="not all"):
        review.split(
            session,
            meeting_id=meeting_id,
            item_id=entity.id,
            submission_ids=[s.id for s in linked if s.id],
            actor=ACTOR,
            now=now,
        )
    assert table_counts(session) == counts
    taken = linked[1]
    assert taken.id is not None
    new = review.split(
        session,
        meeting_id=meeting_id,
        item_id=entity.id,
        submission_ids=[taken.id],
        actor=ACTOR,
        now=now,
    )
    assert new.title == taken.question and new.position == entity.position + 1
    assert new.id is not None
    assert [s.id for s in drafts.sources(session, item_ids=[new.id])[new.id]] == [taken.id]
    assert entity.score is not None and new.score is not None


def test_publishing_makes_versions_and_mails_members_what_changed(
    session: Session, now: datetime, closed_call: AgendaCall
) -> None:
    meeting_id, rows = _draft(session, now, closed_call)
    first = review.publish(session, meeting_id=meeting_id, note=None, actor=ACTOR, now=now)
    assert (first.number, first.status) == (1, AgendaVersionStatus.published)
    assert drafts.published(session, meeting_id=meeting_id) == first
    mails = select(Notification).where(Notification.kind == "agenda_changed")
    assert session.exec(mails).all() == []  # version 1 goes out with the invitations

    counts = table_counts(session)
    with pytest.raises(DomainError, match="Nothing on the agenda has changed since version 1"):
        review.publish(session, meeting_id=meeting_id, note=None, actor=ACTOR, now=now)
    assert table_counts(session) == counts

    entity, backups = _submitted(rows)[0], _submitted(rows)[-1]
    assert entity.id is not None and backups.id is not None
    later = now + timedelta(days=1)
    review.rename(
        session,
        meeting_id=meeting_id,
        item_id=entity.id,
        title="Entiteiten",
        actor=ACTOR,
        now=later,
    )
    review.set_status(
        session,
        meeting_id=meeting_id,
        item_id=backups.id,
        status=AgendaItemStatus.moved,
        actor=ACTOR,
        now=later,
    )
    second = review.publish(
        session, meeting_id=meeting_id, note="Op vraag van de voorzitter", actor=ACTOR, now=later
    )
    session.refresh(first)
    assert (second.number, second.change_summary) == (2, "Op vraag van de voorzitter")
    assert first.status is AgendaVersionStatus.superseded
    sent = session.exec(mails.order_by(col(Notification.id))).all()
    assert len(sent) == 3  # the three members of the group
    changes = sent[0].context["changes"]
    assert {(c["kind"], c["title"]) for c in changes} == {
        ("renamed", "Entiteiten"),
        ("moved_on", backups.title),
    }
    assert sent[0].context["version"] == 2
    assert sent[0].idempotency_key == (
        f"agenda-changed:meeting-{meeting_id}:version-2:person-{sent[0].recipient_person_id}"
    )


def test_items_set_aside_move_to_the_next_meeting_when_published(
    session: Session, now: datetime, closed_call: AgendaCall
) -> None:
    meeting_id, rows = _draft(session, now, closed_call)
    item = _submitted(rows)[0]
    assert item.id is not None
    review.set_status(
        session,
        meeting_id=meeting_id,
        item_id=item.id,
        status=AgendaItemStatus.proposed,
        actor=ACTOR,
        now=now,
    )
    version = review.publish(session, meeting_id=meeting_id, note=None, actor=ACTOR, now=now)
    assert version.id is not None
    published = drafts.items(session, version_id=version.id)
    assert next(r for r in published if r.item_key == item.item_key).status is (
        AgendaItemStatus.moved
    )


def test_changes_name_what_members_see() -> None:
    def row(key: int, title: str, minutes: int = 10, status: str = "accepted") -> AgendaItem:
        return AgendaItem(
            version_id=1,
            position=key,
            item_key=key,
            title=title,
            kind=AgendaItemKind.submitted,
            status=AgendaItemStatus(status),
            duration_minutes=minutes,
        )

    old = [row(1, "A"), row(2, "B"), row(3, "C"), row(4, "D"), row(5, "E")]
    new = [
        row(1, "A"),
        row(3, "C", 20),
        row(4, "D"),
        row(2, "B2"),
        row(6, "F"),
        row(5, "E", 0, "dropped"),
    ]
    found = [(c.kind, c.title) for c in review.changes(old, new)]
    assert sorted(found) == sorted(
        [
            ("duration", "C"),
            ("renamed", "B2"),
            ("reordered", "B2"),
            ("added", "F"),
            ("dropped", "E"),
        ]
    )


def test_review_needs_a_draft(session: Session, now: datetime) -> None:
    meeting = make_meeting(session, now=now)
    assert meeting.id is not None
    with pytest.raises(DomainError, match="no draft agenda yet"):
        review.publish(session, meeting_id=meeting.id, note=None, actor=ACTOR, now=now)
    assert (
        session.exec(select(AgendaVersion).where(AgendaVersion.meeting_id == meeting.id)).all()
        == []
    )


def test_an_item_added_by_hand_goes_before_the_closing_items_and_reaches_the_members(
    session: Session, now: datetime, closed_call: AgendaCall
) -> None:
    meeting_id, rows = _draft(session, now, closed_call)
    assert [r.title for r in rows if r.kind is AgendaItemKind.standing][-1] == "Praktische vragen"
    review.publish(session, meeting_id=meeting_id, note=None, actor=ACTOR, now=now)

    added = review.add(
        session,
        meeting_id=meeting_id,
        title="  Gastspreker:   CCB over  meldplicht ",
        minutes=20,
        actor=ACTOR,
        now=now,
    )
    assert (added.kind, added.status, added.title) == (
        AgendaItemKind.manual,
        AgendaItemStatus.accepted,
        "Gastspreker: CCB over meldplicht",
    )
    on_agenda = [
        r.title for r in review.on_agenda(drafts.items(session, version_id=added.version_id))
    ]
    assert on_agenda[-2:] == ["Gastspreker: CCB over meldplicht", "Praktische vragen"]

    version = review.publish(session, meeting_id=meeting_id, note=None, actor=ACTOR, now=now)
    assert version.number == 2
    mail = session.exec(select(Notification).where(Notification.kind == "agenda_changed")).first()
    assert mail is not None
    assert {"kind": "added", "title": "Gastspreker: CCB over meldplicht"}.items() <= next(
        c for c in mail.context["changes"] if c["kind"] == "added"
    ).items()


@pytest.mark.parametrize(
    ("title", "minutes", "message"),
    [("   ", 10, "needs a title"), ("x" * 301, 10, "at most 300"), ("Varia", 601, "600")],
)
def test_a_bad_item_is_refused_and_changes_nothing(
    session: Session,
    now: datetime,
    closed_call: AgendaCall,
    title: str,
    minutes: int,
    message: str,
) -> None:
    meeting_id, _ = _draft(session, now, closed_call)
    before = table_counts(session)
    with pytest.raises(DomainError, match=message):
        review.add(
            session, meeting_id=meeting_id, title=title, minutes=minutes, actor=ACTOR, now=now
        )
    assert table_counts(session) == before
