"""Fill an empty database with a realistic organisation at a scale, the same from the same seed.

At 1x about the demo's size (14 organisations, 20 groups, 100 people); at 100x and 1000x a
hundred and a thousand times that (1000x: 10,010 groups, 100,000 people), each with ten years
of meetings: calls, submissions, agendas, minutes, attendance, decisions, deliverables with
their history, outbox rows and feed tokens. Rows go in by bulk (SQLAlchemy Core executemany on
SQLite, COPY on PostgreSQL) with ids assigned here, never through the use cases one by one.

    .venv/bin/python bench/generate.py --scale 100 --seed 1 --database-url postgresql://...
"""

import argparse
import functools
import hashlib
import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import models  # every table on the metadata
from service import migrate
from service.db import create_engine
from service.reports import held_tally, tally

assert models  # imported for its tables

# The generated organisation's "now": fixed, so the same seed gives the same rows.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CHUNK = 5_000
# Held meetings older than this have approved minutes.
MINUTES_AFTER = timedelta(days=14)
THEMES = (
    "Cyberweerbaarheid",
    "Risicobeheer",
    "Digitale inclusie",
    "Wonen",
    "Klimaatadaptatie",
    "Mobiliteit",
    "Armoedebestrijding",
    "Data en AI",
    "Publieke ruimte",
    "Onderwijs",
)
QUESTION_WORDS = (
    "audit",
    "budget",
    "leveranciers",
    "NIS2",
    "incidentmelding",
    "opleiding",
    "beleidsplan",
    "samenwerking",
    "subsidies",
    "rapportering",
    "privacy",
    "cloud",
)


@dataclass
class Plan:
    """How many of each thing a scale gives."""

    scale: int
    years: int = 10
    now: datetime = NOW

    @property
    def organisations(self) -> int:
        return 14 * self.scale

    @property
    def groups(self) -> int:
        return 10 * self.scale + 10

    @property
    def people(self) -> int:
        return 100 * self.scale


# Rows held before they are written out: 1000x (21 million rows) does not fit in memory at once.
FLUSH_ROWS = 1_000_000
# Tables the building reads back (by id): kept whole in memory, written as they grow.
KEPT = frozenset({"organisation", "programme", "person", "working_group"})


@dataclass
class Rows:
    """Rows per table not yet written, in insertion order, with the ids handed out so far."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)  # of the KEPT tables
    flush: Callable[["Rows"], object] | None = None
    buffered: int = 0

    def add(self, table: str, row: dict[str, Any]) -> int:
        rows = self.tables.setdefault(table, [])
        self.counts[table] = self.counts.get(table, 0) + 1
        row["id"] = self.counts[table]
        rows.append(row)
        self.buffered += 1
        if self.flush is not None and self.buffered >= FLUSH_ROWS:
            self.flush(self)
        return int(row["id"])

    def take(self, table: str) -> list[dict[str, Any]]:
        """The rows of a table not written yet, now counted as written."""
        found = self.tables.get(table, [])
        if table in KEPT:
            done, self.written[table] = self.written.get(table, 0), len(found)
            return found[done:]
        self.tables[table] = []
        return found


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _directory(rng: random.Random, plan: Plan, rows: Rows) -> tuple[list[int], list[int]]:
    """Organisations, programmes, people, groups and their themes; (person ids, group ids)."""
    orgs = [
        rows.add(
            "organisation",
            {
                "slug": f"org-{i}",
                "name": f"Stad {i}",
                "kind": "centre_city" if i <= 13 else "local_government",
            },
        )
        for i in range(1, plan.organisations + 1)
    ]
    programmes = [
        rows.add(
            "programme",
            {
                "slug": f"prog-{i}",
                "name": f"Programma {i}",
                "first_year": plan.now.year - plan.years,
                "last_year": None,
            },
        )
        for i in range(1, max(2, plan.scale // 10) + 2)
    ]
    people = []
    for i in range(1, plan.people + 1):
        staff = "secretariat" if i <= 3 else "director" if i <= 5 else "none"
        people.append(
            rows.add(
                "person",
                {
                    "name": f"Persoon {i}",
                    "email": f"persoon{i}@org{i % plan.organisations}.example",
                    "job_title": None,
                    "language": rng.choice(("nl", "nl", "nl", "fr", "en")),
                    "staff_role": staff,
                    "organisation_id": orgs[i % len(orgs)],
                    "created_at": plan.now - timedelta(days=365 * plan.years),
                    "erased_at": None,
                },
            )
        )
    groups = []
    for i in range(1, plan.groups + 1):
        groups.append(
            rows.add(
                "working_group",
                {
                    "slug": f"groep-{i}",
                    "short_name": f"G{i}",
                    "name": f"Werkgroep {i}",
                    "description": None,
                    "kind": "werkgroep",
                    "status": "active",
                    "started_on": (plan.now - timedelta(days=365 * plan.years)).date(),
                    "ended_on": None,
                    "cadence_rrule": None,
                    "meetings_per_year": rng.choice((4, 6, 6, 10)),
                    "preferred_weekday": rng.randrange(5),
                    "preferred_start_time": None,
                    "default_duration_minutes": 120,
                    "default_format": "online",
                    "default_location": None,
                    "call_opens_days_before": 21,
                    "call_closes_days_before": 7,
                    "programme_id": rng.choice(programmes),
                    "parent_id": None,
                },
            )
        )
        for year in range(plan.now.year - plan.years, plan.now.year + 1):
            rows.add(
                "group_theme", {"group_id": groups[-1], "year": year, "theme": rng.choice(THEMES)}
            )
    return people, groups


def _memberships(
    rng: random.Random, plan: Plan, rows: Rows, people: list[int], groups: list[int]
) -> dict[int, list[tuple[int, str]]]:
    """About ten people per group: a chair, the secretariat, members; {group: [(person, role)]}."""
    joined = (plan.now - timedelta(days=365 * plan.years)).date()
    members: dict[int, list[tuple[int, str]]] = {}
    ordinary = people[5:]
    for group in groups:
        chosen = rng.sample(ordinary, k=min(len(ordinary), rng.randint(6, 14)))
        roles = [(people[rng.randrange(3)], "secretariat"), (chosen[0], "chair")]
        roles += [(p, "member") for p in chosen[1:]]
        members[group] = roles
        for person, role in roles:
            rows.add(
                "membership",
                {
                    "person_id": person,
                    "group_id": group,
                    "role": role,
                    "joined_on": joined,
                    "left_on": None,
                },
            )
    return members


def _meeting_days(rng: random.Random, plan: Plan, per_year: int) -> Iterator[datetime]:
    """Meeting starts over the years behind and the year ahead, 13:00 UTC on working days."""
    first = plan.now - timedelta(days=365 * plan.years)
    step = timedelta(days=365 / per_year)
    at = first + timedelta(days=rng.randrange(30))
    while at < plan.now + timedelta(days=365):
        day = at.date()
        while day.weekday() >= 5:
            day += timedelta(days=1)
        yield datetime(day.year, day.month, day.day, 13, 0, tzinfo=UTC)
        at += step


def _meetings(
    rng: random.Random,
    plan: Plan,
    rows: Rows,
    members: dict[int, list[tuple[int, str]]],
    orgs_of: dict[int, int],
) -> None:
    """Every group's meetings with their call, questions, agenda, minutes and attendance."""
    for group, roster in members.items():
        per_year = rows.tables["working_group"][group - 1]["meetings_per_year"]
        for starts_at in _meeting_days(rng, plan, per_year):
            _one_meeting(rng, plan, rows, group, roster, orgs_of, starts_at)


def _one_meeting(
    rng: random.Random,
    plan: Plan,
    rows: Rows,
    group: int,
    roster: list[tuple[int, str]],
    orgs_of: dict[int, int],
    starts_at: datetime,
) -> None:
    past = starts_at < plan.now
    cancelled = rng.random() < 0.04
    status = "cancelled" if cancelled else "held" if past else "planned"
    meeting = rows.add(
        "meeting",
        {
            "title": f"Vergadering {starts_at:%Y-%m-%d}",
            "kind": "meeting",
            "description": None,
            "format": "online",
            "location": None,
            "join_url": None,
            "is_public": False,
            "group_id": group,
            "series_id": None,
            "occurrence_date": None,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=2),
            "date_precision": "day",
            "period_start": None,
            "status": status,
            "status_reason": "Te weinig agendapunten" if cancelled else None,
            "revision": 1 if cancelled else 0,
            # Held meetings get their minutes (in _held) once MINUTES_AFTER has passed.
            "minutes_written": past and not cancelled and starts_at < plan.now - MINUTES_AFTER,
            "created_at": starts_at - timedelta(days=200),
            "updated_at": starts_at - timedelta(days=30),
            "flow_run_id": None,
            "step_error": None,
            "step_failed_at": None,
            # Not known yet: the first advance-meetings run looks at each meeting in play once
            # (the due look-up's clauses), as after migration 0121; history stays NULL.
            "next_step_at": None,
        },
    )
    opens_at, deadline = starts_at - timedelta(days=21), starts_at - timedelta(days=7)
    if cancelled or opens_at > plan.now:
        return
    open_now = deadline > plan.now
    call = rows.add(
        "agenda_call",
        {
            "meeting_id": meeting,
            "opens_at": opens_at,
            "deadline": deadline,
            "max_questions": 3,
            "guidance": None,
            "status": "open" if open_now else "closed",
            "opened_at": opens_at,
            "closed_at": None if open_now else deadline,
            "close_flow_run_id": None,
        },
    )
    old = starts_at < plan.now - timedelta(days=730)  # detached from their authors after two years
    asked: list[tuple[int, int | None]] = []
    if rng.random() < 0.25:
        _homework(rng, rows, meeting, roster, orgs_of, deadline=deadline, old=old)
    for person, role in roster:
        if role == "secretariat" or rng.random() < 0.5:
            continue
        for rank in range(1, rng.randint(1, 3) + 1):
            words = " ".join(rng.sample(QUESTION_WORDS, 3))
            submission = rows.add(
                "submission",
                {
                    "call_id": call,
                    "person_id": None if old else person,
                    "organisation_id": orgs_of[person],
                    "rank": rank,
                    "question": f"Hoe pakken jullie {words} aan?",
                    "context": None,
                    "status": "active",
                    "submitted_at": opens_at + timedelta(days=2),
                    "updated_at": opens_at + timedelta(days=2),
                    "received_late": False,
                    "parked_for_meeting_id": None,
                    "anonymised_at": plan.now - timedelta(days=1) if old else None,
                },
            )
            asked.append((submission, None if old else person))
    if open_now:
        return
    version = rows.add(
        "agenda_version",
        {
            "meeting_id": meeting,
            "number": 1,
            "status": "published",
            "created_at": deadline,
            "published_at": deadline + timedelta(days=1),
            "published_by_id": roster[0][0],
            "change_summary": None,
        },
    )
    items = []
    for position in range(1, rng.randint(4, 7) + 1):
        item = rows.add(
            "agenda_item",
            {
                "version_id": version,
                "item_key": position,
                "position": position,
                "title": f"Agendapunt {position}",
                "description": None,
                "kind": "standing" if position == 1 else "submitted",
                "status": "accepted",
                "duration_minutes": 20,
                "score": None,
                # The second item is presented by a member, who has shared a link for it.
                "presenter_id": roster[-1][0] if position == 2 else None,
            },
        )
        items.append(item)
    rows.add(
        "material",
        {
            "group_id": group,
            "meeting_id": meeting,
            "item_key": 2,
            "public": False,
            "title": "Presentatie",
            "kind": "link",
            "url": f"https://share.kcvs.example/{meeting}/presentatie",
            "added_by_id": roster[-1][0],
            "added_at": deadline + timedelta(days=2),
            "removed_at": None,
            "removed_by_id": None,
        },
    )
    if not past:
        return
    _held(rng, plan, rows, meeting, roster, orgs_of, starts_at)
    if starts_at < plan.now - MINUTES_AFTER:  # the minutes are approved: every question's fate
        _fates(rng, rows, meeting, asked, items[1:], roster[0][0], starts_at)


def _fates(
    rng: random.Random,
    rows: Rows,
    meeting: int,
    asked: list[tuple[int, int | None]],
    items: list[int],
    secretary: int,
    starts_at: datetime,
) -> None:
    """The outcome the minutes recorded for each question of a held meeting."""
    outcomes = ("answered", "decision", "carried_over", "not_handled")
    for submission, person in asked:
        status = rng.choice(outcomes)
        rows.add(
            "question_fate",
            {
                "submission_id": submission,
                "asker_id": person,
                "meeting_id": meeting,
                "agenda_item_id": rng.choice(items) if items else None,
                "status": status,
                "note": "Zie de nota in het verslag."
                if status in ("answered", "not_handled")
                else None,
                "deliverable_id": None,
                "automatic": False,
                "recorded_at": starts_at + timedelta(days=3),
                "recorded_by_id": secretary,
            },
        )


def _homework(
    rng: random.Random,
    rows: Rows,
    meeting: int,
    roster: list[tuple[int, str]],
    orgs_of: dict[int, int],
    *,
    deadline: datetime,
    old: bool,
) -> None:
    """Homework before one meeting in four: three questions, one answer per organisation."""
    set_at = deadline - timedelta(days=14)
    assignment = rows.add(
        "homework_assignment",
        {
            "meeting_id": meeting, "title": "Stand van zaken", "introduction": "",
            "mode": "organisation", "deadline": deadline, "set_by_id": roster[0][0],
            "set_at": set_at, "summarised_at": deadline, "feedback_placed_at": deadline,
        },
    )  # fmt: skip
    questions = []
    for position, kind in enumerate(("text", "yes_no", "number"), start=1):
        questions.append(
            rows.add(
                "homework_question",
                {
                    "assignment_id": assignment,
                    "position": position,
                    "kind": kind,
                    "prompt": f"Vraag {position}",
                    "choices": [],
                },
            )
        )
    by_organisation: dict[int, list[int]] = {}
    for person, role in roster:
        if role != "secretariat":
            by_organisation.setdefault(orgs_of[person], []).append(person)
    for organisation, authors in sorted(by_organisation.items()):
        if rng.random() < 0.2:
            continue  # silent
        answer = rows.add(
            "homework_answer",
            {
                "assignment_id": assignment, "organisation_id": organisation,
                "answerer_key": f"organisation-{organisation}", "person_id": None,
                "created_at": set_at + timedelta(days=2),
            },
        )  # fmt: skip
        for edit in range(rng.randint(1, 2)):
            words = " ".join(rng.sample(QUESTION_WORDS, 3))
            rows.add(
                "homework_revision",
                {
                    "answer_id": answer,
                    "author_id": None if old else rng.choice(authors),
                    "saved_at": set_at + timedelta(days=2 + edit),
                    "status": "on_time",
                    "answers": {
                        str(questions[0]): f"Wij werken aan {words}.",
                        str(questions[1]): rng.random() < 0.6,
                        str(questions[2]): rng.randint(0, 12),
                    },
                    "decided_at": None,
                },
            )


def _held(
    rng: random.Random,
    plan: Plan,
    rows: Rows,
    meeting: int,
    roster: list[tuple[int, str]],
    orgs_of: dict[int, int],
    starts_at: datetime,
) -> None:
    """A held meeting's answers, attendance, minutes, decisions and the invitations sent."""
    for person, _role in roster:
        # Most answer, through the calendar or the answer links; the answer that counts is
        # the last one, so some answer twice.
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            link = rng.random() < 0.5
            answer = rng.choice(("accepted", "accepted", "accepted", "declined", "tentative"))
            answer = "accepted" if link and answer == "tentative" else answer
            rows.add(
                "meeting_reply",
                {
                    "meeting_id": meeting,
                    "person_id": person,
                    "organisation_id": orgs_of[person],
                    "answer": answer,
                    "comment": None,
                    "sequence": 0,
                    "counts": True,
                    "mode": rng.choice(("in_person", "online"))
                    if link and answer == "accepted"
                    else None,
                    "stand_in_id": None,
                    "source": "link" if link else "calendar",
                    "message_id": None,
                    "received_at": starts_at - timedelta(days=rng.randint(1, 20)),
                    "recorded_at": starts_at - timedelta(days=1),
                },
            )
        rows.add(
            "attendance",
            {
                "meeting_id": meeting,
                "person_id": person,
                "organisation_id": orgs_of[person],
                "status": rng.choice(("present", "present", "present", "excused", "absent")),
            },
        )
    if starts_at < plan.now - MINUTES_AFTER:
        body = f"Verslag van de vergadering van {starts_at:%d/%m/%Y}."
        rows.add(
            "minutes_version",
            {
                "meeting_id": meeting,
                "number": 1,
                "status": "approved",
                "body": body,
                "created_at": starts_at + timedelta(days=2),
                "created_by_id": roster[0][0],
                "review_deadline": starts_at + timedelta(days=9),
                "approved_at": starts_at + timedelta(days=10),
                "approved_by_id": roster[1][0],
                "approval_mode": "chair",
                "content_hash": _digest(body),
                "correction_reason": None,
            },
        )
    if starts_at > plan.now - timedelta(days=365):  # the outbox keeps the last year's invitations
        for person, _role in roster:
            rows.add(
                "notification",
                {
                    "idempotency_key": f"invitation:meeting-{meeting}:rev-0:person-{person}",
                    "kind": "meeting_invitation",
                    "recipient_person_id": person,
                    "recipient_email": None,
                    "language": "nl",
                    "context": {"meeting_id": meeting},
                    "status": "sent",
                    "attempts": 1,
                    "created_at": starts_at - timedelta(days=5),
                    "next_attempt_at": starts_at - timedelta(days=5),
                    "sent_at": starts_at - timedelta(days=5),
                    "last_error": None,
                },
            )


def _deliverables(
    rng: random.Random,
    plan: Plan,
    rows: Rows,
    members: dict[int, list[tuple[int, str]]],
    orgs_of: dict[int, int],
) -> None:
    """Three decisions and deliverables a year per group, each with a history of changes."""
    for group, roster in members.items():
        for year in range(plan.now.year - plan.years, plan.now.year + 1):
            for n in range(1, 4):
                decided = date(year, rng.randint(1, 12), rng.randint(1, 28))
                decision = rows.add(
                    "decision",
                    {
                        "group_id": group,
                        "meeting_id": None,
                        "agenda_item_id": None,
                        "text": f"Besluit {year}-{n}",
                        "decided_on": decided,
                        "created_at": datetime(year, decided.month, decided.day, 15, tzinfo=UTC),
                    },
                )
                due = decided + timedelta(days=rng.randint(60, 400))
                done = due < plan.now.date() and rng.random() < 0.8
                owner = rng.choice(roster)[0]
                created = datetime(year, decided.month, decided.day, 16, tzinfo=UTC)
                deliverable = rows.add(
                    "deliverable",
                    {
                        "group_id": group,
                        "title": f"Opdracht {year}-{n}",
                        "description": None,
                        "accountable_person_id": owner,
                        "accountable_organisation_id": orgs_of[owner],
                        "due_on": due,
                        "due_precision": "day",
                        "due_day": due,  # the period's last day: the day itself
                        "status": "delivered" if done else rng.choice(("planned", "in_progress")),
                        "status_reason": None,
                        "progress": 100 if done else rng.randrange(0, 90, 10),
                        "delivered_on": due if done else None,
                        "decision_id": decision,
                        "meeting_id": None,
                        "agenda_item_id": None,
                        "created_at": created,
                        "updated_at": created + timedelta(days=30),
                    },
                )
                for k, (name, old, new) in enumerate(
                    (("progress", "0", "50"), ("status", "planned", "in_progress"))
                ):
                    rows.add(
                        "deliverable_change",
                        {
                            "deliverable_id": deliverable,
                            "field": name,
                            "old_value": old,
                            "new_value": new,
                            "reason": None,
                            "changed_at": created + timedelta(days=10 * (k + 1)),
                            "changed_by_id": owner,
                        },
                    )


def _feed_tokens(
    rng: random.Random, plan: Plan, rows: Rows, people: list[int], groups: list[int]
) -> None:
    """A personal feed for a third of the people, a group feed for some groups."""
    for person in people:
        if rng.random() < 0.3:
            rows.add(
                "feed_token",
                {
                    "person_id": person,
                    "scope": "person",
                    "scope_id": None,
                    "label": None,
                    "token_hash": _digest(f"person-{person}-{rng.random()}"),
                    "created_at": plan.now - timedelta(days=100),
                    "last_used_at": None,
                    "revoked_at": None,
                    "etag": None,
                    "content_changed_at": None,
                },
            )
    for group in groups[::3]:
        rows.add(
            "feed_token",
            {
                "person_id": people[0],
                "scope": "group",
                "scope_id": group,
                "label": None,
                "token_hash": _digest(f"group-{group}-{rng.random()}"),
                "created_at": plan.now - timedelta(days=100),
                "last_used_at": None,
                "revoked_at": None,
                "etag": None,
                "content_changed_at": None,
            },
        )


def build(
    scale: int,
    seed: int,
    years: int = 10,
    now: datetime = NOW,
    flush: Callable[[Rows], object] | None = None,
) -> Rows:
    """Every row of the organisation at this scale, from this seed (`flush` writes some out)."""
    rng, plan, rows = random.Random(seed), Plan(scale, years, now), Rows(flush=flush)
    people, groups = _directory(rng, plan, rows)
    orgs_of = {row["id"]: row["organisation_id"] for row in rows.tables["person"]}
    members = _memberships(rng, plan, rows, people, groups)
    _meetings(rng, plan, rows, members, orgs_of)
    _deliverables(rng, plan, rows, members, orgs_of)
    _feed_tokens(rng, plan, rows, people, groups)
    return rows


def _default(column: sa.Column[Any]) -> Any:
    """A column's scalar default, for a column the generator leaves out."""
    default = column.default
    if isinstance(default, sa.ColumnDefault) and default.is_scalar:
        return default.arg
    return None


def _superuser(cursor: Any) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    found = cursor.fetchone()
    return bool(found and found[0])


def _copy(
    engine: Engine,
    table: sa.Table,
    rows: list[dict[str, Any]],
    advance: Callable[[int], None],
    total: int,
) -> None:
    """PostgreSQL: COPY, the fastest way in."""
    from psycopg.types.json import Json

    names = [c.name for c in table.columns]
    fallback = {c.name: _default(c) for c in table.columns}
    json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if _superuser(cursor):
            # The rows are consistent by construction: skip the per-row foreign-key triggers.
            cursor.execute("SET session_replication_role = replica")
        quoted = ", ".join(f'"{n}"' for n in names)
        with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for i, row in enumerate(rows, 1):
                values = [row.get(n, fallback[n]) for n in names]
                copy.write_row(
                    [
                        Json(v) if n in json_columns else v
                        for n, v in zip(names, values, strict=True)
                    ]
                )
                if i % CHUNK == 0:
                    advance(CHUNK)
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), {total})")
        raw.commit()
    finally:
        raw.close()
    advance(len(rows) % CHUNK)


def _executemany(
    engine: Engine,
    table: sa.Table,
    rows: list[dict[str, Any]],
    advance: Callable[[int], None],
    _total: int,
) -> None:
    """SQLite: Core executemany in chunks, one transaction (no sequence to set)."""
    with engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            connection.execute(table.insert(), chunk)
            advance(len(chunk))


def load(engine: Engine, rows: Rows, *, show: bool = True) -> dict[str, int]:
    """Insert the rows not written yet, table by table in dependency order (so a part written
    early never points at a row still to come); return the count per table so far."""
    write = _copy if engine.dialect.name == "postgresql" else _executemany
    columns = TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn()
    with Progress(*columns, TimeElapsedColumn(), disable=not show) as progress:
        for table in SQLModel.metadata.sorted_tables:
            found = rows.take(table.name)
            if not found:
                continue
            task = progress.add_task(table.name, total=len(found))
            advance = functools.partial(progress.advance, task)
            write(engine, table, found, advance, rows.counts[table.name])
    rows.buffered = 0
    return dict(rows.counts)


def generate(
    url: str, *, scale: int, seed: int, years: int = 10, now: datetime = NOW, show: bool = True
) -> dict[str, int]:
    """Migrate an empty database at `url` and fill it; return the count per table."""
    engine = create_engine(url)
    migrate.upgrade(engine)
    with engine.connect() as connection:
        if connection.execute(sa.text("SELECT count(*) FROM person")).scalar_one():
            raise SystemExit("the database is not empty: generate into a fresh one")
    # Written out a million rows at a time while building, the rest at the end.
    rows = build(scale, seed, years, now, flush=lambda made: load(engine, made, show=False))
    counts = load(engine, rows, show=show)
    # The directors' roll-ups are kept by the ORM's writes; COPY went around them: count once.
    with engine.begin() as connection:
        tally.rebuild(connection)
        held_tally.rebuild(connection)
        for table in ("deliverable_tally", "meeting_tally"):
            counts[table] = connection.execute(
                sa.text(f"SELECT count(*) FROM {table}")
            ).scalar_one()
    engine.dispose()
    return counts


def main() -> None:
    """Parse the command line, generate, and print the counts and the time it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.database_url, scale=args.scale, seed=args.seed, years=args.years)
    seconds = time.perf_counter() - started
    print(json.dumps({"scale": args.scale, "seconds": round(seconds, 1), "rows": counts}))  # noqa: T201


if __name__ == "__main__":
    main()


@dataclass(frozen=True)
class SamplePages:
    """The records behind the pages the scale runner and the statement-count test request."""

    meeting_id: int | None  # group 1's latest held meeting
    feed_secret: str  # a new personal feed of a member accountable for a deliverable
    form_token: str  # that member's agenda form for the first open call of their group


def sample_pages(engine: Engine, *, now: datetime, key: str, actor: str) -> SamplePages:
    """Pick group 1's latest held meeting and a member with a feed and an open form."""
    # Imported here: the generator itself writes rows in bulk and needs none of the service.
    from sqlmodel import Session, col, select

    from models.access import FeedScope
    from models.agenda import AgendaCall, CallStatus
    from models.deliverables import Deliverable
    from models.groups import WorkingGroup
    from models.meetings import Meeting, MeetingStatus
    from models.memberships import Membership, MembershipRole
    from models.people import Person
    from service.agenda import links
    from service.audit import Actor
    from service.feeds import subscriptions

    with Session(engine) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "groep-1")).one()
        meeting_id = session.exec(
            select(Meeting.id)
            .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.held)
            .order_by(col(Meeting.starts_at).desc())
        ).first()
        call = session.exec(
            select(AgendaCall)
            .where(AgendaCall.status == CallStatus.open, col(AgendaCall.opens_at) <= now)
            .order_by(col(AgendaCall.id))
        ).first()
        assert call is not None and call.id is not None
        call_group = session.exec(
            select(Meeting.group_id).where(Meeting.id == call.meeting_id)
        ).one()
        # A member accountable for a deliverable, so both feeds hold every kind of event.
        member_id = session.exec(
            select(Membership.person_id)
            .join(Deliverable, col(Deliverable.accountable_person_id) == Membership.person_id)
            .where(Membership.group_id == call_group, Membership.role == MembershipRole.member)
            .order_by(col(Deliverable.id))
        ).first()
        member = session.get(Person, member_id)
        assert member is not None and member.id is not None
        feed = subscriptions.create(
            session,
            person=member,
            scope=FeedScope.person,
            scope_id=None,
            actor=Actor.system(actor),
            now=now,
        )
        session.commit()
        form = links.make_token(call_id=call.id, person_id=member.id, key=key)
        return SamplePages(meeting_id=meeting_id, feed_secret=feed.secret, form_token=form)
