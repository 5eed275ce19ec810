"""A meeting's draft agenda, built once from its closed call, and its newest publication."""

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.agenda import (
    AgendaCall,
    AgendaItem,
    AgendaItemSource,
    AgendaItemStatus,
    AgendaVersion,
    AgendaVersionStatus,
    CallStatus,
    Submission,
    SubmissionStatus,
)
from models.errors import N_, DomainError, NotFound
from models.meetings import Meeting
from service import audit, db
from service.agenda import synthesis
from service.audit import Actor
from service.i18n import DEFAULT_LANGUAGE, translations
from service.meetings import meetings

DRAFT_NUMBER = 0
# Ids per IN list when reading many meetings' agendas: well under any driver's parameter limit.
BATCH = 5000

# Here, the lowest module of the call's chain, so that calls.get_call can name it too.
UNKNOWN_CALL = N_("Unknown call for input: %(id)s.")


def build_draft(session: Session, *, call_id: int, actor: Actor, now: datetime) -> AgendaVersion:
    """Turn a closed call's submissions into the meeting's draft agenda (version 0).

    Idempotent: when the meeting already has a draft or a publication, return the existing
    draft (or the newest version) unchanged, never a second draft. Refuses (DomainError) a call
    that is not closed.
    """
    call = db.get_or_refuse(session, AgendaCall, call_id, UNKNOWN_CALL, field="call")
    if call.status is not CallStatus.closed:
        raise DomainError(
            N_("The agenda can only be drafted once the call for input has closed."), field="call"
        )
    meeting = meetings.get(session, meeting_id=call.meeting_id)
    assert meeting.id is not None
    if found := existing(session, meeting_id=meeting.id):
        return found
    submissions = _pool(session, call=call, meeting=meeting)
    carried = _carried(session, meeting=meeting)
    known = {s.id for s in submissions}
    extra = {i for c in carried for i in c.question_ids} - known
    submissions += _submissions(session, {i for i in extra if i is not None})
    plan = synthesis.synthesise(
        questions(session, submissions), carried, budget_minutes=budget_minutes(meeting)
    )
    try:
        with session.begin_nested():  # all of the draft or none of it
            version = AgendaVersion(
                meeting_id=meeting.id,
                number=DRAFT_NUMBER,
                status=AgendaVersionStatus.draft,
                created_at=now,
            )
            audit.save(session, row=version, before=None, actor=actor, now=now)
            assert version.id is not None
            _write_items(session, version_id=version.id, plan=plan, actor=actor, now=now)
    except sa.exc.IntegrityError:
        # Another run built it at the same moment: theirs stands.
        found = existing(session, meeting_id=meeting.id)
        assert found is not None
        return found
    return version


def published(session: Session, *, meeting_id: int) -> AgendaVersion | None:
    """The newest published version of a meeting's agenda, if any."""
    return session.exec(
        select(AgendaVersion)
        .where(
            AgendaVersion.meeting_id == meeting_id,
            AgendaVersion.status == AgendaVersionStatus.published,
        )
        .order_by(col(AgendaVersion.number).desc())
    ).first()


def published_versions(session: Session, *, meeting_ids: Iterable[int]) -> dict[int, AgendaVersion]:
    """The newest published version of each of these meetings' agendas that has one.

    As `published`, a chunk of meetings per query instead of one query per meeting.
    """
    wanted = sorted(set(meeting_ids))
    newest: dict[int, AgendaVersion] = {}
    for start in range(0, len(wanted), BATCH):
        for version in session.exec(
            select(AgendaVersion).where(
                col(AgendaVersion.meeting_id).in_(wanted[start : start + BATCH]),
                AgendaVersion.status == AgendaVersionStatus.published,
            )
        ):
            current = newest.get(version.meeting_id)
            if current is None or version.number > current.number:
                newest[version.meeting_id] = version
    return newest


def draft(session: Session, *, meeting_id: int) -> AgendaVersion | None:
    """The meeting's draft (version 0), which the review edits, if it has been built."""
    return session.exec(
        select(AgendaVersion).where(
            AgendaVersion.meeting_id == meeting_id, AgendaVersion.number == DRAFT_NUMBER
        )
    ).first()


def items(session: Session, *, version_id: int) -> list[AgendaItem]:
    """A version's items in agenda order."""
    return list(
        session.exec(
            select(AgendaItem)
            .where(AgendaItem.version_id == version_id)
            .order_by(col(AgendaItem.position))
        )
    )


def sources(session: Session, *, item_ids: Iterable[int]) -> dict[int, list[Submission]]:
    """The submissions each item was built from, by item id, oldest first."""
    wanted = list(item_ids)
    found: dict[int, list[Submission]] = {i: [] for i in wanted}
    if not wanted:
        return found
    rows = session.exec(
        select(AgendaItemSource.item_id, Submission)
        .join(Submission, col(Submission.id) == AgendaItemSource.submission_id)
        .where(col(AgendaItemSource.item_id).in_(wanted))
        .order_by(col(Submission.id))
    )
    for item_id, submission in rows:
        found[item_id].append(submission)
    return found


def questions(session: Session, submissions: list[Submission]) -> list[synthesis.Question]:
    """Submissions as the synthesis sees them, with each call's number of questions."""
    calls = {s.call_id for s in submissions}
    max_rank = {
        c.id: c.max_questions
        for c in session.exec(select(AgendaCall).where(col(AgendaCall.id).in_(calls)))
    }
    result = []
    for s in submissions:
        assert s.id is not None
        result.append(
            synthesis.Question(
                id=s.id,
                text=s.question,
                rank=s.rank,
                max_rank=max_rank[s.call_id],
                # An erased member is no longer known: each of their questions counts apart.
                member=f"person:{s.person_id}" if s.person_id else f"submission:{s.id}",
                organisation=s.organisation_id,
            )
        )
    return result


def budget_minutes(meeting: Meeting) -> int:
    """The meeting's length in minutes: the time the agenda has to fit in."""
    if meeting.starts_at is None or meeting.ends_at is None:
        raise DomainError(
            N_("A call for input needs a meeting with a known date and time."), field="meeting"
        )
    return int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)


def standing_title(msgid: str) -> str:
    """A standing item's title in the groups' language (Dutch)."""
    return translations(DEFAULT_LANGUAGE).gettext(msgid)


def get_meeting_version(session: Session, *, meeting_id: int, number: int) -> AgendaVersion:
    """One version of a meeting's agenda, or refuse with a clear message."""
    version = session.exec(
        select(AgendaVersion).where(
            AgendaVersion.meeting_id == meeting_id, AgendaVersion.number == number
        )
    ).first()
    if version is None:
        raise NotFound(N_("This agenda version does not exist."), field="version")
    return version


def existing(session: Session, *, meeting_id: int) -> AgendaVersion | None:
    """The meeting's draft, else its newest agenda version; None when it has no agenda yet."""
    return (
        draft(session, meeting_id=meeting_id)
        or session.exec(
            select(AgendaVersion)
            .where(AgendaVersion.meeting_id == meeting_id)
            .order_by(col(AgendaVersion.number).desc())
        ).first()
    )


def _pool(session: Session, *, call: AgendaCall, meeting: Meeting) -> list[Submission]:
    """The call's active questions and the late ones parked for this meeting."""
    return list(
        session.exec(
            select(Submission)
            .where(
                sa.or_(
                    sa.and_(
                        col(Submission.call_id) == call.id,
                        col(Submission.status) == SubmissionStatus.active,
                    ),
                    sa.and_(
                        col(Submission.status) == SubmissionStatus.parked,
                        col(Submission.parked_for_meeting_id) == meeting.id,
                    ),
                )
            )
            .order_by(col(Submission.id))
        )
    )


def _submissions(session: Session, ids: set[int]) -> list[Submission]:
    if not ids:
        return []
    return list(
        session.exec(
            select(Submission).where(col(Submission.id).in_(ids)).order_by(col(Submission.id))
        )
    )


def previous_meeting(session: Session, *, meeting: Meeting) -> Meeting | None:
    """The group's meeting before this one that has an agenda."""
    earlier = []
    for other in meetings.for_group(session, group_id=meeting.group_id):
        if other.id == meeting.id:
            break
        earlier.append(other)
    with_agenda = set(
        session.exec(
            select(AgendaVersion.meeting_id).where(
                col(AgendaVersion.meeting_id).in_([m.id for m in earlier])
            )
        )
    )
    return next((m for m in reversed(earlier) if m.id in with_agenda), None)


def _carried(session: Session, *, meeting: Meeting) -> list[synthesis.Carried]:
    """Items the previous meeting's newest agenda moved to the next meeting."""
    previous = previous_meeting(session, meeting=meeting)
    if previous is None:
        return []
    newest = session.exec(
        select(AgendaVersion)
        .where(AgendaVersion.meeting_id == previous.id)
        .order_by(col(AgendaVersion.number).desc())
    ).first()
    assert newest is not None and newest.id is not None
    moved = [i for i in items(session, version_id=newest.id) if i.status is AgendaItemStatus.moved]
    linked = sources(session, item_ids=[i.id for i in moved if i.id is not None])
    return [
        synthesis.Carried(
            id=item.id,
            title=item.title,
            description=item.description,
            duration_minutes=item.duration_minutes,
            question_ids=tuple(s.id for s in linked[item.id] if s.id is not None),
        )
        for item in moved
        if item.id is not None
    ]


def _write_items(
    session: Session,
    *,
    version_id: int,
    plan: list[synthesis.Planned],
    actor: Actor,
    now: datetime,
) -> None:
    for number, planned in enumerate(plan, start=1):
        item = AgendaItem(
            version_id=version_id,
            position=number,
            item_key=number,
            title=standing_title(planned.title) if planned.translate_title else planned.title,
            description=planned.description,
            kind=planned.kind,
            status=planned.status,
            duration_minutes=planned.duration_minutes,
            score=planned.score,
        )
        audit.save(session, row=item, before=None, actor=actor, now=now)
        assert item.id is not None
        session.add_all(
            AgendaItemSource(item_id=item.id, submission_id=s) for s in planned.question_ids
        )
    session.flush()
