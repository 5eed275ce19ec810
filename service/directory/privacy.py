"""A person's own data: export it all (GDPR art. 15 and 20), erase it (art. 17), retention."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from models.access import ApiKey, FeedToken
from models.agenda import Submission
from models.audit import AuditAction, AuditEntry
from models.auth import SignInLink, WebSession
from models.notifications import Notification, NotificationStatus
from models.organisations import Organisation
from models.people import Person
from models.questions import QuestionFate
from models.replies import MeetingReply
from service import audit, db
from service.audit import Actor
from service.directory import people
from service.mail import mailbox

# Secrets are exported as the fact that they exist, never as their hashes.
_SECRET_COLUMNS = frozenset({"token_hash", "key_hash", "nonce_hash"})


def person_references() -> list[tuple[sa.Table, list[sa.Column[Any]]]]:
    """Every table with columns that point at a person, found from the schema itself."""
    person_id = Person.__table__.c.id  # type: ignore[attr-defined]
    found = []
    for table in SQLModel.metadata.sorted_tables:
        columns = [
            column
            for column in table.columns
            if any(fk.column is person_id for fk in column.foreign_keys)
        ]
        if columns:
            found.append((table, columns))
    return found


def _jsonable(row: sa.Row[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row._mapping.items():
        if key in _SECRET_COLUMNS:
            continue
        out[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def export(session: Session, *, person_id: int) -> dict[str, Any]:
    """Everything the database holds about a person, table by table, as JSON-ready values."""
    person_table = Person.__table__  # type: ignore[attr-defined]
    data: dict[str, Any] = {
        "person": [
            _jsonable(r)
            for r in session.execute(sa.select(person_table).where(person_table.c.id == person_id))
        ],
    }
    for table, columns in person_references():
        rows = session.execute(
            sa.select(table)
            .where(sa.or_(*(c == person_id for c in columns)))
            .order_by(*table.primary_key.columns)
        )
        data[table.name] = [_jsonable(r) for r in rows]
    about = session.exec(
        select(AuditEntry).where(
            AuditEntry.entity == "person",
            AuditEntry.entity_id == person_id,
            col(AuditEntry.actor_id).is_distinct_from(person_id),
        )
    )
    data["audit_entry"] = data.get("audit_entry", []) + [audit.snapshot(entry) for entry in about]
    return data


@dataclass(frozen=True)
class ErasurePreview:
    """What erasing a person would remove, anonymise and keep, counted before it is done."""

    person: Person
    organisation: Organisation | None
    # table name -> rows deleted (secrets that grant access)
    removed: dict[str, int]
    # table name -> rows kept but detached from the person (their questions, their mail)
    anonymised: dict[str, int]
    # table name -> rows kept as they are (memberships, attendance, accountable deliverables)
    kept: dict[str, int]
    audit_entries: int


def _count(session: Session, table: sa.Table, column: sa.Column[Any], person_id: int) -> int:
    found = session.execute(
        sa.select(sa.func.count()).select_from(table).where(column == person_id)
    )
    return int(found.scalar_one())


def erasure_preview(session: Session, *, person_id: int) -> ErasurePreview:
    """Count what `erase` would do to a person's data, without changing anything."""
    person = people.get(session, person_id=person_id)
    secrets = {s.__tablename__ for s in (FeedToken, ApiKey, WebSession, SignInLink)}
    removed: dict[str, int] = {}
    anonymised: dict[str, int] = {}
    kept: dict[str, int] = {}
    for table, columns in person_references():
        if table.name == "audit_entry":
            continue
        count = sum(_count(session, table, column, person_id) for column in columns)
        if not count:
            continue
        if table.name in secrets:
            removed[table.name] = count
        elif table.name in ("membership", "deliverable") or not all(c.nullable for c in columns):
            kept[table.name] = count
        else:
            anonymised[table.name] = count
    entries = _count(session, AuditEntry.__table__, AuditEntry.__table__.c.actor_id, person_id)  # type: ignore[attr-defined]
    return ErasurePreview(
        person=person,
        organisation=session.get(Organisation, person.organisation_id),
        removed=removed,
        anonymised=anonymised,
        kept=kept,
        audit_entries=entries,
    )


def erase(
    session: Session,
    *,
    person_id: int,
    actor: Actor,
    now: datetime,
    mailbox_dir: Path | None = None,
) -> Person:
    """Remove or anonymise a person's data everywhere, keeping the groups' history and counts.

    Everywhere includes the local mailbox (`mailbox_dir`: copies of the mail sent to them are
    dropped) and, on SQLite, the write-ahead log, emptied once the erasure commits.
    """
    person = people.get(session, person_id=person_id)
    if person.erased_at is not None:
        return person
    organisation = session.get(Organisation, person.organisation_id)
    label = f"lid van {organisation.name}" if organisation else "gewist lid"
    name, email = person.name, person.email
    db.zero_what_is_deleted(session)
    with session.begin_nested():
        # The outbox first: the generic pass below clears the recipient column it matches on.
        session.execute(
            sa.update(Notification)
            .where(col(Notification.recipient_person_id) == person_id)
            .values(
                recipient_email=None,
                context={},
                recipient_person_id=None,
                status=sa.case(
                    (
                        col(Notification.status) == NotificationStatus.pending,
                        NotificationStatus.cancelled.value,
                    ),
                    else_=col(Notification.status),
                ),
            )
        )
        # Input stays, as "a member of Stad Gent": the organisation is kept, the person is not.
        session.execute(
            sa.update(Submission)
            .where(col(Submission.person_id) == person_id)
            .values(person_id=None, anonymised_at=now)
        )
        _forget_reply_comments(session, person_id=person_id)
        for table, columns in person_references():
            if table.name in ("membership", "person", "deliverable"):
                continue
            for column in columns:
                if column.nullable:
                    session.execute(
                        sa.update(table).where(column == person_id).values({column.name: None})
                    )
        for secret in (FeedToken, ApiKey, WebSession, SignInLink):
            session.execute(sa.delete(secret).where(col(secret.person_id) == person_id))
        _scrub_audit(session, name=name, email=email)
        person.name = label
        person.email = f"gewist-{person_id}@invalid.example"
        person.job_title = None
        person.erased_at = now
        session.add(person)
        session.flush()
        audit.record(
            session, actor=actor, action=AuditAction.erase, row=person, before=None, now=now
        )
    if mailbox_dir is not None:
        mailbox.forget(mailbox_dir, words=(name, email))
    db.checkpoint_after_commit(session)
    return person


def _forget_reply_comments(session: Session, *, person_id: int) -> None:
    """Answers stay, counted for the organisation; the note the person wrote does not."""
    session.execute(
        sa.update(MeetingReply).where(col(MeetingReply.person_id) == person_id).values(comment=None)
    )
    for entry in session.exec(select(AuditEntry).where(AuditEntry.entity == "meeting_reply")):
        after = entry.after or {}
        if after.get("person_id") == person_id and after.get("comment"):
            entry.after = {**after, "comment": None}
            session.add(entry)


def _scrub_audit(session: Session, *, name: str, email: str) -> None:
    """Blank the person's name and address inside the audit log's before/after values."""
    for entry in session.exec(select(AuditEntry)):
        changed = False
        for attribute in ("before", "after"):
            value = getattr(entry, attribute)
            if value is None:
                continue
            scrubbed = {k: _scrub_value(v, name, email) for k, v in value.items()}
            if scrubbed != value:
                setattr(entry, attribute, scrubbed)
                changed = True
        if changed:
            session.add(entry)


def _scrub_value(value: Any, name: str, email: str) -> Any:
    if isinstance(value, str) and (value in (name, email) or email in value):
        return "[gewist]"
    return value


def anonymise_old_submissions(session: Session, *, retention: timedelta, now: datetime) -> int:
    """Detach submissions older than the retention period from their authors; return how many."""
    cutoff = now - retention
    old = sa.select(col(Submission.id)).where(
        col(Submission.submitted_at) < cutoff, col(Submission.anonymised_at).is_(None)
    )
    # The fate of a question is about the person who asked it: detached with it.
    session.execute(
        sa.update(QuestionFate)
        .where(col(QuestionFate.submission_id).in_(old))
        .values(asker_id=None)
    )
    result = session.execute(
        sa.update(Submission)
        .where(col(Submission.submitted_at) < cutoff, col(Submission.anonymised_at).is_(None))
        .values(person_id=None, anonymised_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
