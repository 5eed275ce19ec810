"""A member's homework form behind a personal link: open it, save an edit, keep it late.

In per-organisation mode colleagues of one city share one answer: each save is a new
revision with its author, and the newest one before the deadline counts. After the deadline
an edit is kept as late input, apart, for the chair or secretariat to accept or decline (as
late questions for the agenda are, service.agenda.late_input).
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.errors import N_, DomainError
from models.groups import WorkingGroup
from models.homework import (
    AnswerMode,
    HomeworkAnswer,
    HomeworkAssignment,
    HomeworkQuestion,
    HomeworkRevision,
    QuestionKind,
    RevisionStatus,
)
from models.meetings import Meeting
from models.organisations import Organisation
from models.people import Person
from service import audit
from service.agenda.calls import ASKED_ROLES
from service.agenda.member_form import check_meeting_ahead
from service.audit import Actor
from service.directory import memberships
from service.homework import assignments, values
from service.mail import links as mail_links
from service.mail.links import LinkRefused
from service.materials import content
from service.materials.materials import Shelf, Upload, safe_file_name
from service.meetings import meetings

LATE_NOTICE = N_(
    "The deadline has passed, so your answer was kept as late input: the chair or the"
    " secretariat decides whether it still counts."
)


@dataclass(frozen=True)
class Edit:
    """One revision of an answer, with who made it (none once erased)."""

    revision: HomeworkRevision
    author: str | None


@dataclass(frozen=True)
class Form:
    """Everything the homework form shows to one person."""

    assignment: HomeworkAssignment
    meeting: Meeting
    group: WorkingGroup
    person: Person
    organisation: Organisation
    questions: list[HomeworkQuestion]
    late: bool
    answer: HomeworkAnswer | None
    counted: HomeworkRevision | None  # the revision that counts now, if any
    newest: HomeworkRevision | None  # the newest revision (late input included)
    edits: list[Edit] = field(default_factory=list)  # newest first


def open_form(session: Session, *, token: str, key: str, now: datetime) -> Form:
    """The form a link opens now, or LinkRefused with the reason."""
    assignment, person = mail_links.open_link(
        session, token, key=key, purpose=mail_links.HOMEWORK_PURPOSE, kind=HomeworkAssignment
    )
    meeting = meetings.get(session, meeting_id=assignment.meeting_id)
    check_meeting_ahead(meeting, now=now)
    roles = {
        m.role
        for m in memberships.current(session, group_id=meeting.group_id, on=now.date())
        if m.person_id == person.id
    }
    if not roles & ASKED_ROLES:
        raise LinkRefused(
            N_("This link is for a working group you are not a member of."), reason="not_member"
        )
    group = session.get(WorkingGroup, meeting.group_id)
    organisation = session.get(Organisation, person.organisation_id)
    assert group is not None and organisation is not None and assignment.id is not None
    answer = _answer(session, assignment=assignment, person=person)
    revisions = _revisions(session, answer_id=answer.id) if answer and answer.id else []
    return Form(
        assignment=assignment,
        meeting=meeting,
        group=group,
        person=person,
        organisation=organisation,
        questions=assignments.questions(session, assignment_id=assignment.id),
        late=now >= assignment.deadline,
        answer=answer,
        counted=counting(revisions),
        newest=revisions[0] if revisions else None,
        edits=_named(session, revisions),
    )


def answerer_key(assignment: HomeworkAssignment, person: Person) -> str:
    """Whose answer a person edits: their organisation's, or their own in per-member mode."""
    if assignment.mode is AnswerMode.member:
        return f"person-{person.id}"
    return f"organisation-{person.organisation_id}"


def _answer(
    session: Session, *, assignment: HomeworkAssignment, person: Person
) -> HomeworkAnswer | None:
    return session.exec(
        select(HomeworkAnswer).where(
            HomeworkAnswer.assignment_id == assignment.id,
            HomeworkAnswer.answerer_key == answerer_key(assignment, person),
        )
    ).first()


def _revisions(session: Session, *, answer_id: int) -> list[HomeworkRevision]:
    """An answer's revisions, newest first."""
    return list(
        session.exec(
            select(HomeworkRevision)
            .where(HomeworkRevision.answer_id == answer_id)
            .order_by(col(HomeworkRevision.id).desc())
        )
    )


def counting(revisions: list[HomeworkRevision]) -> HomeworkRevision | None:
    """The revision that counts: the newest accepted late one, else the newest in time."""
    for status in (RevisionStatus.accepted, RevisionStatus.on_time):
        for revision in revisions:  # newest first
            if revision.status is status:
                return revision
    return None


def _named(session: Session, revisions: list[HomeworkRevision]) -> list[Edit]:
    ids = {r.author_id for r in revisions if r.author_id is not None}
    names = {p.id: p.name for p in session.exec(select(Person).where(col(Person.id).in_(ids)))}
    return [Edit(r, names.get(r.author_id) if r.author_id else None) for r in revisions]


def read_values(
    form: Form,
    typed: dict[str, Any],
    files: dict[str, Upload],
    shelf: Shelf,
    *,
    keep_others: bool = False,
) -> dict[str, Any]:
    """Every answer read and checked, files kept; keyed by question id as stored.

    `typed` maps a question's field (answer_N) to what was given; `files` its uploads. A file
    question without a new upload keeps the file of the newest revision; with `keep_others`
    (a file sent alone), so does every question not given.
    """
    previous = form.newest.answers if form.newest else {}
    read: dict[str, Any] = {}
    received = []
    try:
        for question in form.questions:
            name, key = values.field(question), str(question.id)
            if question.kind is QuestionKind.file:
                upload = files.get(name)
                if upload is None:
                    if previous.get(key) is not None and typed.get(f"{name}_remove") is None:
                        read[key] = previous[key]
                    continue
                kept = _receive(upload, shelf=shelf, field=name)
                received.append(kept)
                read[key] = kept[1].stored()
                continue
            if keep_others and name not in typed:
                if previous.get(key) is not None:
                    read[key] = previous[key]
                continue
            value = values.read(question, typed.get(name))
            if value is not None:
                read[key] = value
    except DomainError:
        for done, _ in received:
            shelf.store.discard(done)
        raise
    if not read:
        for done, _ in received:
            shelf.store.discard(done)
        raise DomainError(
            N_("Answer at least one question."),
            field=values.field(form.questions[0]),
        )
    for done, _ in received:
        shelf.store.keep(done)
    return read


def _receive(upload: Upload, *, shelf: Shelf, field: str) -> tuple[Any, values.KeptFile]:
    """An upload checked as materials are (size, kind by its bytes), not yet kept."""
    try:
        received = shelf.store.receive(upload.stream, max_bytes=shelf.sizes.file_bytes)
    except DomainError as refused:
        raise DomainError(refused.msgid, field=field, **refused.params) from refused
    try:
        if received.size == 0:
            raise DomainError(N_("This file is empty."), field=field)
        try:
            media = content.media_type(received.path)
        except DomainError as refused:
            raise DomainError(refused.msgid, field=field, **refused.params) from refused
    except DomainError:
        shelf.store.discard(received)
        raise
    name = safe_file_name(upload.file_name, "answer", content.extension(media))
    return received, values.KeptFile(received.content_hash, name, media, received.size)


@dataclass(frozen=True)
class Saved:
    """The outcome of a save: counted, or kept as late input."""

    revision: HomeworkRevision
    late: bool


def save(session: Session, *, form: Form, answers: dict[str, Any], now: datetime) -> Saved:
    """Keep an edit of the answer with its author; after the deadline, as late input."""
    assert form.assignment.id is not None and form.person.id is not None
    actor = Actor.of(form.person)
    answer = form.answer or _create_answer(session, form=form, actor=actor, now=now)
    assert answer.id is not None
    late = now >= form.assignment.deadline
    revision = HomeworkRevision(
        answer_id=answer.id,
        author_id=form.person.id,
        saved_at=now,
        status=RevisionStatus.late if late else RevisionStatus.on_time,
        answers=answers,
    )
    audit.save(session, row=revision, before=None, actor=actor, now=now)
    return Saved(revision=revision, late=late)


def _create_answer(session: Session, *, form: Form, actor: Actor, now: datetime) -> HomeworkAnswer:
    """The shared answer, made by the first colleague to save; of two at once, one is made."""
    assert form.assignment.id is not None
    key = answerer_key(form.assignment, form.person)
    per_member = form.assignment.mode is AnswerMode.member
    row = HomeworkAnswer(
        assignment_id=form.assignment.id,
        organisation_id=form.person.organisation_id,
        answerer_key=key,
        person_id=form.person.id if per_member else None,
        created_at=now,
    )
    try:
        with session.begin_nested():
            audit.save(session, row=row, before=None, actor=actor, now=now)
    except sa.exc.IntegrityError:
        found = _answer(session, assignment=form.assignment, person=form.person)
        assert found is not None
        return found
    return row


def submit(
    session: Session,
    *,
    form: Form,
    typed: dict[str, Any],
    files: dict[str, Upload],
    shelf: Shelf,
    now: datetime,
    keep_others: bool = False,
) -> Saved:
    """Read, check and keep one edit of the answer: the whole job of the form's save."""
    answers = read_values(form, typed, files, shelf, keep_others=keep_others)
    return save(session, form=form, answers=answers, now=now)
