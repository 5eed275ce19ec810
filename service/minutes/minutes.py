"""Minutes of a meeting: a draft, a review with comments, approval, a lock, and corrections.

draft -> in_review -> approved; an approved version is locked (its SHA-256 recorded) and a
correction starts a new version, which replaces the old one (then `corrected`) once approved.
Every step is a guarded update on the status it expects, so a repeated or concurrent step
changes nothing twice. Members are told by email when minutes go round and when approved.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import Session, col, select

from models.agenda import AgendaItem, AgendaItemStatus
from models.errors import N_, DomainError, NotFound
from models.groups import WorkingGroup
from models.meetings import Attendance, AttendanceStatus, Meeting, MeetingStatus
from models.memberships import MembershipRole
from models.minutes import ApprovalMode, MinutesComment, MinutesStatus, MinutesVersion
from models.organisations import Organisation
from models.people import Person, StaffRole
from service import audit, db
from service.agenda import drafts
from service.audit import Actor
from service.clock import BRUSSELS, brussels
from service.directory import groups, memberships, people
from service.mail import outbox
from service.materials import mentions
from service.meetings import meetings
from service.questions import telling
from service.rendering import environment

REVIEW_ENDS_AT = time(17, 0)
LOCKED = (MinutesStatus.approved, MinutesStatus.corrected)
OPEN = (MinutesStatus.draft, MinutesStatus.in_review)
MAX_REVIEW = timedelta(days=60)
BODY_MAX_LENGTH = 200_000
_COMMENTERS = frozenset({MembershipRole.member, MembershipRole.chair, MembershipRole.secretariat})


def proposed_review_deadline(group: WorkingGroup, *, now: datetime) -> datetime:
    """The deadline the review form proposes: the group's review days from now, at 17:00."""
    day = now.astimezone(BRUSSELS).date() + timedelta(days=group.minutes_review_days)
    return brussels(datetime.combine(day, REVIEW_ENDS_AT))


def content_hash(body: str) -> str:
    """The SHA-256 of a body, as recorded when a version is approved."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def is_intact(version: MinutesVersion) -> bool | None:
    """Whether a locked version still matches its recorded hash (None while not locked)."""
    if version.status not in LOCKED:
        return None
    return version.content_hash == content_hash(version.body)


UNKNOWN_MINUTES = N_("Unknown minutes: %(id)s.")


def get_version(session: Session, *, version_id: int) -> MinutesVersion:
    """Return a version of minutes, or refuse with a clear message."""
    return db.get_or_refuse(session, MinutesVersion, version_id, UNKNOWN_MINUTES, field="minutes")


def in_group(session: Session, *, slug: str, version_id: int) -> MinutesVersion:
    """A version of minutes, refused as unknown when its meeting is of another group."""
    version = session.get(MinutesVersion, version_id)
    if version is None or meetings.get(session, meeting_id=version.meeting_id).group_id != (
        groups.get_by_slug(session, slug=slug).id
    ):
        raise NotFound(UNKNOWN_MINUTES, field="minutes", id=version_id)
    return version


@dataclass(frozen=True)
class MinutesView:
    """A meeting's minutes as its page shows them: every version, newest first, with comments."""

    versions: list[MinutesVersion]
    comments: dict[int, list[MinutesComment]]
    names: dict[int, str]
    awaiting: list[MinutesVersion]

    def intact(self, version: MinutesVersion) -> bool | None:
        """Whether a locked version still matches its recorded hash."""
        return is_intact(version)


def view(session: Session, *, meeting_id: int) -> MinutesView:
    """Every version of a meeting's minutes with its comments and the names behind them."""
    found = versions(session, meeting_id=meeting_id)
    said = {v.id or 0: comments(session, version_id=v.id or 0) for v in found}
    writers = {v.created_by_id for v in found} | {v.approved_by_id for v in found}
    writers |= {c.person_id for notes in said.values() for c in notes}
    return MinutesView(
        versions=list(reversed(found)),
        comments=said,
        names=people.names(session, ids=writers),
        awaiting=awaiting_next_meeting(session, meeting_id=meeting_id),
    )


def versions(session: Session, *, meeting_id: int) -> list[MinutesVersion]:
    """Every version of a meeting's minutes, oldest first; none is ever deleted."""
    return list(
        session.exec(
            select(MinutesVersion)
            .where(MinutesVersion.meeting_id == meeting_id)
            .order_by(col(MinutesVersion.number))
        )
    )


def comments(session: Session, *, version_id: int) -> list[MinutesComment]:
    """The comments on a version, oldest first."""
    return list(
        session.exec(
            select(MinutesComment)
            .where(MinutesComment.version_id == version_id)
            .order_by(col(MinutesComment.id))
        )
    )


@dataclass(frozen=True)
class AttendanceLine:
    """One line of the attendance list: the person (blank once erased) and organisation."""

    name: str | None
    organisation: str
    status: AttendanceStatus


def attendance(session: Session, *, meeting_id: int) -> list[AttendanceLine]:
    """Who was present, excused or absent, by organisation then name."""
    rows = session.exec(
        select(Attendance, Organisation)
        .join(Organisation, col(Organisation.id) == Attendance.organisation_id)
        .where(Attendance.meeting_id == meeting_id)
    ).all()
    lines = []
    for row, organisation in rows:
        person = session.get(Person, row.person_id) if row.person_id else None
        name = person.name if person is not None and person.erased_at is None else None
        lines.append(AttendanceLine(name, organisation.name, row.status))
    return sorted(lines, key=lambda line: (line.organisation, line.name or ""))


def published_agenda(session: Session, *, meeting_id: int) -> list[AgendaItem]:
    """The items of the newest published agenda of a meeting (none when nothing is published)."""
    version = drafts.published(session, meeting_id=meeting_id)
    if version is None:
        return []
    return list(
        session.exec(
            select(AgendaItem)
            .where(AgendaItem.version_id == version.id)
            .order_by(col(AgendaItem.position))
        )
    )


def published_agendas(
    session: Session, *, meeting_ids: Iterable[int]
) -> dict[int, list[AgendaItem]]:
    """As `published_agenda` for many meetings, in a few queries: meeting id -> its items.

    Meetings with nothing published are left out.
    """
    newest = drafts.published_versions(session, meeting_ids=meeting_ids)
    meeting_of = {v.id: meeting_id for meeting_id, v in newest.items() if v.id is not None}
    versions = sorted(meeting_of)
    agendas: dict[int, list[AgendaItem]] = {}
    for start in range(0, len(versions), drafts.BATCH):
        for item in session.exec(
            select(AgendaItem)
            .where(col(AgendaItem.version_id).in_(versions[start : start + drafts.BATCH]))
            .order_by(col(AgendaItem.version_id), col(AgendaItem.position))
        ):
            agendas.setdefault(meeting_of[item.version_id], []).append(item)
    return agendas


def prefill(session: Session, *, meeting: Meeting) -> str:
    """The first draft: the published agenda as headings and the attendance list, in Dutch.

    Minutes are the group's own record, written in Dutch like the annual report.
    """
    assert meeting.id is not None
    group = session.get(WorkingGroup, meeting.group_id)
    lines = attendance(session, meeting_id=meeting.id)
    items = [
        item
        for item in published_agenda(session, meeting_id=meeting.id)
        if item.status is not AgendaItemStatus.dropped
    ]
    return (
        environment("nl")
        .get_template("minutes/draft.txt")
        .render(
            meeting=meeting,
            group=group,
            present=[line for line in lines if line.status is AttendanceStatus.present],
            excused=[line for line in lines if line.status is AttendanceStatus.excused],
            absent=[line for line in lines if line.status is AttendanceStatus.absent],
            items=items,
        )
    )


def start_draft(
    session: Session, *, meeting_id: int, actor: Actor, now: datetime
) -> MinutesVersion:
    """Start the minutes of a meeting that took place, pre-filled from agenda and attendance."""
    meeting = meetings.get(session, meeting_id=meeting_id)
    if meeting.status in (MeetingStatus.cancelled, MeetingStatus.postponed) or (
        meeting.status is not MeetingStatus.held
        and (meeting.ends_at is None or meeting.ends_at > now)
    ):
        raise DomainError(
            N_("Minutes can only be written for a meeting that has taken place."), field="meeting"
        )
    if versions(session, meeting_id=meeting_id):
        raise DomainError(
            N_("This meeting already has minutes. Edit them, or make a correction."),
            field="meeting",
        )
    version = MinutesVersion(
        meeting_id=meeting_id,
        number=1,
        body=prefill(session, meeting=meeting),
        created_at=now,
        created_by_id=actor.person_id,
    )
    return audit.created(session, version, actor=actor, now=now)


def _refuse_locked(version: MinutesVersion) -> None:
    if version.status in LOCKED:
        raise DomainError(
            N_("These minutes are approved and locked. Make a correction instead."), field="body"
        )


def _guarded(
    session: Session,
    version: MinutesVersion,
    expected: tuple[MinutesStatus, ...],
    *,
    actor: Actor,
    now: datetime,
    **values: object,
) -> bool:
    """Change a version only if it still has an expected status, audited; tell whether it did."""
    return audit.save_if(
        session, version, col(MinutesVersion.status).in_(expected), actor=actor, now=now, **values
    )


def edit(
    session: Session, *, version_id: int, body: str, actor: Actor, now: datetime
) -> MinutesVersion:
    """Change the text of minutes that are not approved yet."""
    version = get_version(session, version_id=version_id)
    _refuse_locked(version)
    text = body.strip()
    if not text:
        raise DomainError(N_("The minutes cannot be empty."), field="body")
    if len(text) > BODY_MAX_LENGTH:
        raise DomainError(N_("The minutes are too long."), field="body")
    if not _guarded(session, version, OPEN, actor=actor, now=now, body=text):
        _refuse_locked(version)  # approved by someone else in the meantime
    return version


def _recipients(session: Session, *, group_id: int, now: datetime) -> list[Person]:
    ids = {m.person_id for m in memberships.current(session, group_id=group_id, on=now.date())}
    people = (session.get(Person, person_id) for person_id in sorted(ids))
    return [p for p in people if p is not None and p.erased_at is None]


def _circulate(
    session: Session,
    *,
    version: MinutesVersion,
    meeting: Meeting,
    kind: str,
    base_url: str,
    now: datetime,
) -> int:
    """Queue one message of `kind` about a version to every current member of the group.

    The message links to the version on the minutes page, under `base_url` (the public URL).
    """
    assert version.id is not None and meeting.id is not None
    group = session.get(WorkingGroup, meeting.group_id)
    assert group is not None
    extra: dict[str, object] = {}
    if kind == "minutes_approved":
        # Final minutes come with what the meeting worked from.
        extra["materials"] = mentions.for_mail(
            session, meeting_id=meeting.id, slug=group.slug, base_url=base_url
        )
    sent = 0
    for person in _recipients(session, group_id=meeting.group_id, now=now):
        sent += outbox.queue(
            session,
            key=f"{kind}:minutes-{version.id}:person-{person.id}",
            kind=kind,
            recipient=person,
            now=now,
            context={
                "group_name": group.short_name,
                "group_slug": group.slug,
                "meeting_id": meeting.id,
                "meeting_title": meeting.title,
                "meeting_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
                "version": version.number,
                "is_correction": version.number > 1,
                "review_deadline_at": version.review_deadline.isoformat()
                if version.review_deadline
                else None,
                "url": f"{base_url}/groups/{group.slug}/meetings/{meeting.id}/minutes"
                f"#version-{version.number}",
                **extra,
            },
        )
    return sent


def open_review(
    session: Session,
    *,
    version_id: int,
    deadline: datetime,
    base_url: str,
    actor: Actor,
    now: datetime,
) -> MinutesVersion:
    """Send a draft round to the members for comments until a deadline."""
    version = get_version(session, version_id=version_id)
    _refuse_locked(version)
    if version.status is MinutesStatus.in_review:
        raise DomainError(N_("These minutes are already in review."), field="status")
    if deadline.tzinfo is None:
        raise DomainError(N_("Times must carry their time zone."), field="review_deadline")
    if not now < deadline <= now + MAX_REVIEW:
        raise DomainError(
            N_("The review deadline must be in the future and at most 60 days away."),
            field="review_deadline",
        )
    meeting = meetings.get(session, meeting_id=version.meeting_id)
    with session.begin_nested():
        if not _guarded(
            session,
            version,
            (MinutesStatus.draft,),
            actor=actor,
            now=now,
            status=MinutesStatus.in_review,
            review_deadline=deadline,
        ):
            raise DomainError(N_("These minutes are already in review."), field="status")
        _circulate(
            session,
            version=version,
            meeting=meeting,
            kind="minutes_review",
            base_url=base_url,
            now=now,
        )
    return version


def may_comment(session: Session, *, person: Person, group_id: int, now: datetime) -> bool:
    """Members, chairs and the group's secretariat comment; so does the knowledge centre staff."""
    if person.staff_role is StaffRole.secretariat:
        return True
    return any(
        m.person_id == person.id and m.role in _COMMENTERS
        for m in memberships.current(session, group_id=group_id, on=now.date())
    )


def comment(
    session: Session, *, version_id: int, person: Person, body: str, now: datetime
) -> MinutesComment:
    """Add a member's comment to minutes in review, before the deadline."""
    version = get_version(session, version_id=version_id)
    if version.status is not MinutesStatus.in_review:
        raise DomainError(
            N_("Comments are only possible while minutes are in review."), field="status"
        )
    assert version.review_deadline is not None
    if now > version.review_deadline:
        raise DomainError(N_("The review period of these minutes has ended."), field="body")
    meeting = meetings.get(session, meeting_id=version.meeting_id)
    if not may_comment(session, person=person, group_id=meeting.group_id, now=now):
        raise DomainError(N_("Only members of this group can comment."), field="person")
    text = body.strip()
    if not text:
        raise DomainError(N_("A comment cannot be empty."), field="body")
    if len(text) > 8000:
        raise DomainError(N_("A comment can be at most 8000 characters long."), field="body")
    assert version.id is not None
    row = MinutesComment(
        version_id=version.id,
        person_id=person.id,
        organisation_id=person.organisation_id,
        body=text,
        created_at=now,
    )
    audit.save(session, row=row, before=None, actor=Actor.of(person), now=now)
    return row


def _next_meeting_held(session: Session, meeting: Meeting, now: datetime) -> Meeting | None:
    """The group's next meeting after this one, if it has started by `now`."""
    if meeting.starts_at is None:
        return None
    return session.exec(
        select(Meeting)
        .where(
            Meeting.group_id == meeting.group_id,
            col(Meeting.starts_at) > meeting.starts_at,
            col(Meeting.starts_at) <= now,
            col(Meeting.status).in_(
                [MeetingStatus.held, MeetingStatus.confirmed, MeetingStatus.planned]
            ),
        )
        .order_by(col(Meeting.starts_at))
    ).first()


def approve(
    session: Session,
    *,
    version_id: int,
    mode: ApprovalMode,
    base_url: str,
    actor: Actor,
    now: datetime,
) -> MinutesVersion:
    """Approve minutes after their review, by the chair or at the group's next meeting.

    The approved text is locked by recording its hash; an approved correction replaces the
    version before it, which stays readable as `corrected`.
    """
    version = get_version(session, version_id=version_id)
    if version.status in LOCKED:
        raise DomainError(N_("These minutes have already been approved."), field="status")
    if version.status is MinutesStatus.draft:
        raise DomainError(
            N_("Send the minutes round for review before approving them."), field="status"
        )
    assert version.review_deadline is not None
    if now < version.review_deadline:
        raise DomainError(
            N_("The review period has not ended yet; approve the minutes after it."),
            field="status",
        )
    meeting = meetings.get(session, meeting_id=version.meeting_id)
    if mode is ApprovalMode.next_meeting and _next_meeting_held(session, meeting, now) is None:
        raise DomainError(
            N_("The group's next meeting has not taken place yet."), field="approval_mode"
        )
    with session.begin_nested():
        replaced = session.exec(
            select(MinutesVersion).where(
                MinutesVersion.meeting_id == version.meeting_id,
                MinutesVersion.status == MinutesStatus.approved,
            )
        ).all()
        if not _guarded(
            session,
            version,
            (MinutesStatus.in_review,),
            actor=actor,
            now=now,
            status=MinutesStatus.approved,
            content_hash=content_hash(version.body),
            approved_at=now,
            approved_by_id=actor.person_id,
            approval_mode=mode,
        ):
            raise DomainError(N_("These minutes have already been approved."), field="status")
        for old in replaced:
            _guarded(
                session,
                old,
                (MinutesStatus.approved,),
                actor=actor,
                now=now,
                status=MinutesStatus.corrected,
            )
        _circulate(
            session,
            version=version,
            meeting=meeting,
            kind="minutes_approved",
            base_url=base_url,
            now=now,
        )
        telling.settle(session, meeting_id=version.meeting_id, actor=actor, now=now)
        telling.tell(session, meeting=meeting, base_url=base_url, now=now)
    return version


def correct(
    session: Session, *, version_id: int, reason: str, actor: Actor, now: datetime
) -> MinutesVersion:
    """Start a correction of approved minutes: a new draft; the approved text stays as it is."""
    version = get_version(session, version_id=version_id)
    if version.status is MinutesStatus.corrected:
        raise DomainError(N_("A newer version has replaced these minutes."), field="status")
    if version.status is not MinutesStatus.approved:
        raise DomainError(
            N_("These minutes are not approved yet; edit them instead."), field="status"
        )
    text = reason.strip()
    if not text:
        raise DomainError(N_("Say what the correction is for."), field="correction_reason")
    existing = versions(session, meeting_id=version.meeting_id)
    if any(v.status in OPEN for v in existing):
        raise DomainError(N_("A correction of these minutes is already under way."), field="status")
    correction = MinutesVersion(
        meeting_id=version.meeting_id,
        number=max(v.number for v in existing) + 1,
        body=version.body,
        created_at=now,
        created_by_id=actor.person_id,
        correction_reason=text[:2000],
    )
    return audit.created(session, correction, actor=actor, now=now)


def awaiting_next_meeting(session: Session, *, meeting_id: int) -> list[MinutesVersion]:
    """Minutes of the group's earlier meetings that wait for approval at this meeting.

    These belong under the standing item "approval of the previous minutes".
    """
    meeting = meetings.get(session, meeting_id=meeting_id)
    if meeting.starts_at is None:
        return []
    return list(
        session.exec(
            select(MinutesVersion)
            .join(Meeting, col(Meeting.id) == MinutesVersion.meeting_id)
            .where(
                Meeting.group_id == meeting.group_id,
                col(Meeting.starts_at) < meeting.starts_at,
                MinutesVersion.status == MinutesStatus.in_review,
            )
            .order_by(col(Meeting.starts_at))
        )
    )
