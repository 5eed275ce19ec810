"""The secretariat's and chair's review of a draft agenda, and its publication as versions.

Every change edits the draft (version 0). Publishing copies it as the next version: version 1 on
approval, later versions after changes, each superseding the one before. Members get an email
listing what changed from version 2 on (version 1 goes out with the invitations).
"""

import difflib
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select, update

from models.agenda import (
    AgendaCall,
    AgendaItem,
    AgendaItemKind,
    AgendaItemSource,
    AgendaItemStatus,
    AgendaVersion,
    AgendaVersionStatus,
    Submission,
)
from models.audit import AuditAction
from models.errors import N_, DomainError, NotFound, at_most
from models.meetings import Meeting
from models.people import Person
from service import audit
from service.agenda import drafts, synthesis
from service.audit import Actor
from service.directory import memberships, organisations
from service.followups import AdvanceMeeting, FollowUps
from service.mail import outbox
from service.meetings import meetings

ON_AGENDA = AgendaItemStatus.accepted
TITLE_MAX = 300
NOTE_MAX = 4000

_TITLE_TOO_LONG = N_("A title can be at most %(max_length)s characters long.")
_NOTE_TOO_LONG = N_("A note can be at most %(max_length)s characters long.")


@dataclass(frozen=True)
class Change:
    """One thing members see changed between two published versions."""

    kind: str  # added, removed, moved_on, dropped, renamed, reordered, duration
    title: str
    old_title: str | None = None
    minutes: int | None = None
    old_minutes: int | None = None


@dataclass(frozen=True)
class VersionView:
    """A version of the agenda with its items, the questions behind them and their cities."""

    version: AgendaVersion
    rows: list[AgendaItem]
    sources: dict[int, list[Submission]]
    organisations: dict[int, str]

    @property
    def total_minutes(self) -> int:
        """The minutes of the items on the agenda."""
        return sum(r.duration_minutes for r in on_agenda(self.rows))


@dataclass(frozen=True)
class Overrun:
    """An agenda that does not fit its meeting: the items' minutes against the meeting's."""

    total: int
    budget: int


def overrun(session: Session, *, version: AgendaVersion) -> Overrun | None:
    """How far a version's agenda runs over its meeting's length; None when it fits."""
    assert version.id is not None
    meeting = meetings.get(session, meeting_id=version.meeting_id)
    if meeting.starts_at is None or meeting.ends_at is None:
        return None
    total = sum(r.duration_minutes for r in on_agenda(drafts.items(session, version_id=version.id)))
    budget = drafts.budget_minutes(meeting)
    return Overrun(total=total, budget=budget) if total > budget else None


def view(session: Session, *, version: AgendaVersion) -> VersionView:
    """A version with its items and where each came from, in three queries."""
    assert version.id is not None
    rows = drafts.items(session, version_id=version.id)
    linked = drafts.sources(session, item_ids=[r.id for r in rows if r.id is not None])
    wanted = {s.organisation_id for found in linked.values() for s in found}
    return VersionView(version, rows, linked, organisations.names(session, ids=wanted))


def build(session: Session, *, meeting_id: int, actor: Actor, now: datetime) -> AgendaVersion:
    """Draft the agenda from the meeting's closed call (again: the same draft)."""
    call = session.exec(select(AgendaCall).where(AgendaCall.meeting_id == meeting_id)).first()
    if call is None or call.id is None:
        raise DomainError(N_("This meeting has no call for input."), field="meeting")
    return drafts.build_draft(session, call_id=call.id, actor=actor, now=now)


def change_item(
    session: Session,
    *,
    meeting_id: int,
    item_id: int,
    title: str | None = None,
    minutes: int | None = None,
    status: AgendaItemStatus | None = None,
    position: int | None = None,
    actor: Actor,
    now: datetime,
) -> AgendaItem:
    """Change an item's title, minutes, status and place: all of it or, refused, none of it.

    The status comes after the minutes, so an item put on the agenda with no time (as a set-aside
    item has) gets the default time whichever door the change came through.
    """
    ids = {"meeting_id": meeting_id, "item_id": item_id}
    with session.begin_nested():
        _, item = _item(session, **ids)
        if title is not None:
            rename(session, **ids, title=title, actor=actor, now=now)
        if minutes is not None:
            set_duration(session, **ids, minutes=minutes, actor=actor, now=now)
        if status is not None:
            set_status(session, **ids, status=status, actor=actor, now=now)
        if position is not None:
            move_to(session, **ids, position=position, actor=actor, now=now)
    return item


def require_draft(session: Session, *, meeting_id: int) -> AgendaVersion:
    """The meeting's draft, or refuse: the agenda is drafted when the call closes."""
    meetings.get(session, meeting_id=meeting_id)
    found = drafts.draft(session, meeting_id=meeting_id)
    if found is None:
        raise DomainError(N_("This meeting has no draft agenda yet."), field="meeting")
    return found


def _item(session: Session, *, meeting_id: int, item_id: int) -> tuple[AgendaVersion, AgendaItem]:
    version = require_draft(session, meeting_id=meeting_id)
    item = session.get(AgendaItem, item_id)
    if item is None or item.version_id != version.id:
        raise NotFound(N_("Unknown agenda item: %(id)s."), field="item", id=item_id)
    return version, item


def rename(
    session: Session, *, meeting_id: int, item_id: int, title: str, actor: Actor, now: datetime
) -> AgendaItem:
    """Give an item a new title."""
    _, item = _item(session, meeting_id=meeting_id, item_id=item_id)
    title = checked_title(title)
    with audit.changing(session, item, actor=actor, now=now):
        item.title = title
    return item


def checked_title(title: str) -> str:
    """The title with its spaces tidied, or a refusal when it is empty or too long."""
    title = " ".join(title.split())
    if not title:
        raise DomainError(N_("An agenda item needs a title."), field="title")
    return at_most(title, TITLE_MAX, field="title", message=_TITLE_TOO_LONG)


def check_minutes(minutes: int) -> None:
    """Refuse a duration outside 0-600 minutes."""
    if not 0 <= minutes <= 600:
        raise DomainError(
            N_("A duration must be between 0 and 600 minutes."), field="duration_minutes"
        )


def add(
    session: Session, *, meeting_id: int, title: str, minutes: int, actor: Actor, now: datetime
) -> AgendaItem:
    """Add an item by hand (a guest speaker, a point of the chair's), before the closing items."""
    version = require_draft(session, meeting_id=meeting_id)
    assert version.id is not None
    title = checked_title(title)
    check_minutes(minutes)
    rows = drafts.items(session, version_id=version.id)
    with session.begin_nested():
        new = AgendaItem(
            version_id=version.id,
            position=len(rows) + 1,
            item_key=max((r.item_key for r in rows), default=0) + 1,
            title=title,
            kind=AgendaItemKind.manual,
            status=ON_AGENDA,
            duration_minutes=minutes,
        )
        audit.save(session, row=new, before=None, actor=actor, now=now)
        rows.insert(_before_closing(rows), new)
        renumber(session, rows, actor=actor, now=now)
    return new


def _before_closing(rows: list[AgendaItem]) -> int:
    """Where a new item goes: before the standing items that close the agenda, else last."""
    standing = [
        n for n, r in enumerate(rows) if r.kind is AgendaItemKind.standing and r.status is ON_AGENDA
    ]
    closing = [n for n in standing if n >= len(synthesis.OPENING)]
    return closing[0] if closing else len(rows)


def set_duration(
    session: Session, *, meeting_id: int, item_id: int, minutes: int, actor: Actor, now: datetime
) -> AgendaItem:
    """Set the minutes an item gets."""
    _, item = _item(session, meeting_id=meeting_id, item_id=item_id)
    check_minutes(minutes)
    with audit.changing(session, item, actor=actor, now=now):
        item.duration_minutes = minutes
    return item


def set_status(
    session: Session,
    *,
    meeting_id: int,
    item_id: int,
    status: AgendaItemStatus,
    actor: Actor,
    now: datetime,
) -> AgendaItem:
    """Put an item on the agenda, set it aside, move it to the next meeting, or drop it."""
    _, item = _item(session, meeting_id=meeting_id, item_id=item_id)
    with audit.changing(session, item, actor=actor, now=now):
        item.status = status
        if status is ON_AGENDA and item.duration_minutes == 0:
            item.duration_minutes = synthesis.topic_minutes(1)
    return item


def move_to(
    session: Session, *, meeting_id: int, item_id: int, position: int, actor: Actor, now: datetime
) -> AgendaItem:
    """Move an item to a position (1 is first); the others shift to make room."""
    version, item = _item(session, meeting_id=meeting_id, item_id=item_id)
    assert version.id is not None
    rows = drafts.items(session, version_id=version.id)
    if not 1 <= position <= len(rows):
        raise DomainError(
            N_("A position must be between 1 and %(max)s."), field="position", max=len(rows)
        )
    rows.remove(item)
    rows.insert(position - 1, item)
    with session.begin_nested():
        renumber(session, rows, actor=actor, now=now)
    return item


def merge(
    session: Session, *, meeting_id: int, item_id: int, into_id: int, actor: Actor, now: datetime
) -> AgendaItem:
    """Fold one item's questions into another item; the first leaves the draft."""
    version, item = _item(session, meeting_id=meeting_id, item_id=item_id)
    _, target = _item(session, meeting_id=meeting_id, item_id=into_id)
    if item.id == target.id:
        raise DomainError(N_("Choose two different items to merge."), field="into_item_id")
    if AgendaItemKind.standing in (item.kind, target.kind):
        raise DomainError(N_("Standing items cannot be merged."), field="item")
    assert version.id is not None and item.id is not None and target.id is not None
    with session.begin_nested():
        moved = list(
            session.exec(select(AgendaItemSource).where(AgendaItemSource.item_id == item.id))
        )
        for link in moved:
            session.delete(link)
        session.flush()
        session.add_all(
            AgendaItemSource(item_id=target.id, submission_id=link.submission_id) for link in moved
        )
        before = audit.snapshot(target)
        if target.kind is AgendaItemKind.manual and moved:
            target.kind = AgendaItemKind.submitted
        audit.save(session, row=target, before=before, actor=actor, now=now)
        audit.record(
            session,
            actor=actor,
            action=AuditAction.delete,
            row=item,
            before=audit.snapshot(item),
            now=now,
        )
        session.delete(item)
        session.flush()
        rows = drafts.items(session, version_id=version.id)
        renumber(session, rows, actor=actor, now=now)
        _rescore(session, version_id=version.id, actor=actor, now=now)
    return target


def split(
    session: Session,
    *,
    meeting_id: int,
    item_id: int,
    submission_ids: list[int],
    actor: Actor,
    now: datetime,
) -> AgendaItem:
    """Take some of an item's questions out into a new item placed right after it."""
    version, item = _item(session, meeting_id=meeting_id, item_id=item_id)
    assert version.id is not None and item.id is not None
    linked = drafts.sources(session, item_ids=[item.id])[item.id]
    chosen = [s for s in linked if s.id in set(submission_ids)]
    if not chosen or len(chosen) == len(linked) or len(chosen) != len(set(submission_ids)):
        raise DomainError(
            N_("Choose some, but not all, of the item's questions to split off."),
            field="submission_ids",
        )
    rows = drafts.items(session, version_id=version.id)
    with session.begin_nested():
        new = AgendaItem(
            version_id=version.id,
            position=len(rows) + 1,
            item_key=max(r.item_key for r in rows) + 1,
            title=synthesis.shorten(chosen[0].question),
            kind=AgendaItemKind.submitted,
            status=item.status,
            duration_minutes=item.duration_minutes and synthesis.topic_minutes(1),
        )
        audit.save(session, row=new, before=None, actor=actor, now=now)
        assert new.id is not None
        for submission in chosen:
            link = session.get(AgendaItemSource, (item.id, submission.id))
            session.delete(link)
        session.flush()
        session.add_all(
            AgendaItemSource(item_id=new.id, submission_id=s.id) for s in chosen if s.id
        )
        rows.insert(rows.index(item) + 1, new)
        renumber(session, rows, actor=actor, now=now)
        _rescore(session, version_id=version.id, actor=actor, now=now)
    return new


def publish(
    session: Session,
    *,
    meeting_id: int,
    note: str | None,
    actor: Actor,
    now: datetime,
    after: FollowUps | None = None,
    accept_overrun: bool = False,
) -> AgendaVersion:
    """Publish the draft as the next version; from version 2 on, mail members what changed.

    Items still set aside (neither on the agenda, moved nor dropped) move to the next meeting,
    so nothing is lost. The meeting's steps run at once: a published agenda is what sends the
    invitations. An agenda longer than the meeting is published only when that is accepted.
    """
    version = require_draft(session, meeting_id=meeting_id)
    assert version.id is not None
    over = overrun(session, version=version)
    if over is not None and not accept_overrun:
        raise DomainError(
            N_(
                "The agenda takes %(total)s minutes, %(over)s more than the meeting's "
                "%(budget)s. Shorten it, or confirm that you publish it anyway."
            ),
            field="accept_overrun",
            total=over.total,
            over=over.total - over.budget,
            budget=over.budget,
        )
    note = (note or "").strip() or None
    if note is not None:
        at_most(note, NOTE_MAX, field="note", message=_NOTE_TOO_LONG)
    previous = drafts.published(session, meeting_id=meeting_id)
    with session.begin_nested():
        rows = drafts.items(session, version_id=version.id)
        for row in rows:
            if row.status is AgendaItemStatus.proposed:
                with audit.changing(session, row, actor=actor, now=now):
                    row.status = AgendaItemStatus.moved
        old_rows = (
            drafts.items(session, version_id=previous.id)
            if previous is not None and previous.id is not None
            else []
        )
        found = changes(old_rows, rows)
        if previous is not None and not found:
            raise DomainError(
                N_("Nothing on the agenda has changed since version %(number)s."),
                field="version",
                number=previous.number,
            )
        number = previous.number + 1 if previous else 1
        if previous is not None:
            superseded = session.exec(
                update(AgendaVersion)
                .where(
                    col(AgendaVersion.id) == previous.id,
                    col(AgendaVersion.status) == AgendaVersionStatus.published,
                )
                .values(status=AgendaVersionStatus.superseded)
            )
            if superseded.rowcount != 1:
                raise DomainError(
                    N_("Someone else published this agenda at the same time. Reload and retry."),
                    field="version",
                )
            session.refresh(previous)
        copy = AgendaVersion(
            meeting_id=meeting_id,
            number=number,
            status=AgendaVersionStatus.published,
            created_at=now,
            published_at=now,
            published_by_id=actor.person_id,
            change_summary=note,
        )
        audit.save(session, row=copy, before=None, actor=actor, now=now)
        assert copy.id is not None
        _copy_items(session, rows, version_id=copy.id, actor=actor, now=now)
        if previous is not None:
            _mail_members(session, meeting_id=meeting_id, version=copy, found=found, now=now)
    if after is not None:
        meeting = meetings.get(session, meeting_id=meeting_id)
        after.add(AdvanceMeeting(meeting_id, meeting.revision, cause=f"agenda-v{copy.number}"))
    return copy


def on_agenda(rows: list[AgendaItem]) -> list[AgendaItem]:
    """The items members see in a version: those on the agenda, in order."""
    return [r for r in rows if r.status is ON_AGENDA]


def changes(old: list[AgendaItem], new: list[AgendaItem]) -> list[Change]:
    """What members see changed from one version's agenda to the next, in the new order."""
    before = {r.item_key: r for r in on_agenda(old)}
    after = {r.item_key: r for r in on_agenda(new)}
    status_now = {r.item_key: r.status for r in new}
    common_old = [k for k in before if k in after]
    common_new = [k for k in after if k in before]
    matcher = difflib.SequenceMatcher(a=common_old, b=common_new, autojunk=False)
    # Items outside the longest common order are the ones that were moved up or down.
    kept_in_order = {
        key
        for block in matcher.get_matching_blocks()
        for key in common_new[block.b : block.b + block.size]
    }
    found: list[Change] = []
    for key, row in after.items():
        if key not in before:
            found.append(Change("added", row.title, minutes=row.duration_minutes))
            continue
        was = before[key]
        if was.title != row.title:
            found.append(Change("renamed", row.title, old_title=was.title))
        if key not in kept_in_order:
            found.append(Change("reordered", row.title))
        if was.duration_minutes != row.duration_minutes:
            found.append(
                Change(
                    "duration",
                    row.title,
                    minutes=row.duration_minutes,
                    old_minutes=was.duration_minutes,
                )
            )
    for key, gone in before.items():
        if key not in after:
            kind = {
                AgendaItemStatus.moved: "moved_on",
                AgendaItemStatus.dropped: "dropped",
            }.get(status_now.get(key, AgendaItemStatus.dropped), "removed")
            found.append(Change(kind, gone.title))
    return found


def renumber(session: Session, rows: list[AgendaItem], *, actor: Actor, now: datetime) -> None:
    """Give rows positions 1..n in this order, without breaking the unique positions on the way."""
    changed = [(row, n) for n, row in enumerate(rows, start=1) if row.position != n]
    if not changed:
        return
    befores = {id(row): audit.snapshot(row) for row, _ in changed}
    offset = max(r.position for r in rows) + len(rows) + 1
    for row, _ in changed:  # first out of the way, then into place
        row.position += offset
        session.add(row)
    session.flush()
    for row, n in changed:
        row.position = n
        audit.save(session, row=row, before=befores[id(row)], actor=actor, now=now)


def _rescore(session: Session, *, version_id: int, actor: Actor, now: datetime) -> None:
    """Recompute every item's score from its questions, weighted over all questions of the draft."""
    rows = drafts.items(session, version_id=version_id)
    linked = drafts.sources(session, item_ids=[r.id for r in rows if r.id is not None])
    pool = [s for submissions in linked.values() for s in submissions]
    questions = {q.id: q for q in drafts.questions(session, pool)}
    weights = synthesis.weights(questions.values())
    for row in rows:
        assert row.id is not None
        mine = [questions[s.id] for s in linked[row.id] if s.id is not None]
        new_score = synthesis.score(mine, weights) if mine else None
        if row.kind is not AgendaItemKind.standing and new_score != row.score:
            with audit.changing(session, row, actor=actor, now=now):
                row.score = new_score


def _copy_items(
    session: Session, rows: list[AgendaItem], *, version_id: int, actor: Actor, now: datetime
) -> None:
    linked = drafts.sources(session, item_ids=[r.id for r in rows if r.id is not None])
    for row in rows:
        assert row.id is not None
        copy = AgendaItem.model_validate(
            row.model_dump(exclude={"id"}), update={"version_id": version_id}
        )
        audit.save(session, row=copy, before=None, actor=actor, now=now)
        assert copy.id is not None
        session.add_all(
            AgendaItemSource(item_id=copy.id, submission_id=s.id)
            for s in linked[row.id]
            if s.id is not None
        )
    session.flush()


def _mail_members(
    session: Session,
    *,
    meeting_id: int,
    version: AgendaVersion,
    found: list[Change],
    now: datetime,
) -> None:
    meeting: Meeting = meetings.get(session, meeting_id=meeting_id)
    assert version.id is not None
    agenda = [
        {"position": n, "title": r.title, "minutes": r.duration_minutes}
        for n, r in enumerate(on_agenda(drafts.items(session, version_id=version.id)), 1)
    ]
    context = {
        "meeting_title": meeting.title,
        "meeting_at": meeting.starts_at.isoformat() if meeting.starts_at else None,
        "version": version.number,
        "note": version.change_summary,
        "changes": [change.__dict__ for change in found],
        "agenda": agenda,
    }
    ids = sorted(
        {
            m.person_id
            for m in memberships.current(session, group_id=meeting.group_id, on=now.date())
        }
    )
    people = session.exec(select(Person).where(col(Person.id).in_(ids)).order_by(col(Person.id)))
    for person in people:
        if person.erased_at is not None:
            continue
        outbox.queue(
            session,
            key=f"agenda-changed:meeting-{meeting_id}:version-{version.number}:person-{person.id}",
            kind="agenda_changed",
            recipient=person,
            context=context,
            now=now,
        )
