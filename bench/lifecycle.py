"""Benchmark: one meeting's whole lifecycle through Prefect flow runs next to the same steps called
directly (the orchestration overhead), on the same simulated clock.

Each round makes two meetings like one another (a new group: a chair, three members, a
secretary) in the given database and takes each through: the call opens (its mails), every
member answers, the call closes at its deadline (the draft is built, the reviewers told), the
secretariat publishes, the invitations, the meeting marked held, the minutes reminder. One
meeting goes through real Prefect flow runs (`advance-meetings` for the meeting, `close-call`,
as the deployments run them), the other through the same use cases called in this process.
The answers and the publication are people's actions (web pages), the same direct call for
both. The Prefect server is `prefect_test_harness` (a real server in a subprocess, its own
SQLite), the flows run in this process: what is measured is Prefect's own work per flow and
task run (states, API calls, results), not a worker's process start per deployment run
(5 to 7 s each on a quiet machine, in ../shared/docs/prefect.md and results/flow_runs.md).

Prefect reads its settings at import, so this runs in a process of its own:

    .venv/bin/python bench/lifecycle.py --database-url URL [--rounds 3] [--now ISO]

It prints one JSON object (milliseconds per step and path, per round) as its last line.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.agenda import AgendaVersion, SubmissionCreate
from models.groups import GroupKind, WorkingGroup, WorkingGroupCreate
from models.meetings import Meeting, MeetingCreate
from models.memberships import MembershipCreate, MembershipRole
from models.notifications import Notification
from models.organisations import OrganisationCreate, OrganisationKind
from models.people import Person, PersonCreate
from service.agenda import calls, review, submissions
from service.audit import Actor
from service.clock import brussels
from service.db import session_scope
from service.directory import groups, memberships, organisations, people
from service.lifecycle import advance
from service.meetings import meetings
from service.settings import Settings

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # bench/generate.py's now
SECRET = "test-secret-key"
STEPS = ("call", "answers", "close + draft", "publish", "invitations", "held", "minutes reminder")
# The steps a flow run does; the answers and the publication are direct calls in both paths.
FLOW_STEPS = ("call", "close + draft", "invitations", "held", "minutes reminder")


@dataclass(frozen=True)
class Subject:
    """One meeting made for a round, and who acts on it."""

    meeting_id: int
    members: list[int]  # the chair and three members: the people asked for input
    secretary_id: int
    person_ids: list[int]  # everyone in the group


def make_meeting(engine: Engine, *, now: datetime, tag: str) -> Subject:
    """A new group (chair, three members, a secretary) and its meeting 30 days after `now`."""
    actor = Actor.system("bench-lifecycle")
    earlier = now - timedelta(days=90)
    day = (now + timedelta(days=30)).date()
    starts_at = brussels(datetime.combine(day, clock_time(10, 0)))
    with Session(engine) as session:
        organisation = organisations.create(
            session,
            organisation_in=OrganisationCreate(
                slug=f"bench-{tag}", name=f"Bench {tag}", kind=OrganisationKind.centre_city
            ),
            actor=actor,
            now=earlier,
        )
        group = groups.create(
            session,
            group_in=WorkingGroupCreate(
                slug=f"bench-{tag}", short_name=f"B{tag}"[:20], name=f"Bench {tag}",
                kind=GroupKind.werkgroep,
            ),
            actor=actor,
            now=earlier,
        )  # fmt: skip
        roles = [MembershipRole.chair, *[MembershipRole.member] * 3, MembershipRole.secretariat]
        person_ids = []
        for n, role in enumerate(roles):
            person = people.create(
                session,
                person_in=PersonCreate(
                    name=f"Bench {tag} {n}",
                    email=f"bench-{tag}-{n}@bench.example",
                    organisation=organisation.slug,
                ),
                actor=actor,
                now=earlier,
            )
            memberships.add(
                session,
                membership_in=MembershipCreate(
                    person_email=person.email,
                    group=group.slug,
                    role=role,
                    joined_on=earlier.date() - timedelta(days=365),
                ),
                actor=actor,
                now=earlier,
            )
            assert person.id is not None
            person_ids.append(person.id)
        meeting = meetings.schedule(
            session,
            meeting_in=MeetingCreate(
                group=group.slug,
                title=f"Overleg {tag}",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2),
            ),
            actor=actor,
            now=earlier,
        )
        assert meeting.id is not None
        session.commit()
        return Subject(meeting.id, person_ids[:4], person_ids[4], person_ids)


@dataclass(frozen=True)
class Clock:
    """The lifecycle's instants for one meeting, from its call window and the settings."""

    opens: datetime
    answers: datetime
    closes: datetime
    publishes: datetime
    invites: datetime
    ends: datetime
    reminds: datetime

    @classmethod
    def of(cls, engine: Engine, meeting_id: int, settings: Settings) -> "Clock":
        """The instants for this meeting: each a minute after its step falls due."""

        minute = timedelta(minutes=1)
        with Session(engine) as session:
            meeting = session.get(Meeting, meeting_id)
            assert meeting is not None and meeting.starts_at and meeting.ends_at
            group = session.get(WorkingGroup, meeting.group_id)
            assert group is not None
            opens_at, deadline = calls.window(meeting, group)
            reminds = advance.reminder_due(
                meeting, working_days=settings.minutes_reminder_working_days
            )
            return cls(
                opens=opens_at + minute,
                answers=opens_at + timedelta(hours=1),
                closes=deadline + minute,
                publishes=deadline + timedelta(minutes=5),
                invites=meeting.starts_at
                - timedelta(days=settings.invitation_days_before)
                + minute,
                ends=meeting.ends_at + minute,
                reminds=reminds + minute,
            )


def _direct_advance(engine: Engine, settings: Settings) -> Callable[[int, datetime], None]:
    def run(meeting_id: int, now: datetime) -> None:
        with session_scope(engine) as session:
            advance.advance_meeting(session, meeting_id=meeting_id, now=now, settings=settings)

    return run


def _direct_close(engine: Engine, settings: Settings) -> Callable[[int, datetime], None]:
    def run(call_id: int, now: datetime) -> None:
        with session_scope(engine) as session:
            calls.close(
                session,
                call_id=call_id,
                base_url=settings.public_url,
                actor=Actor.system("close-call"),
                now=now,
            )

    return run


def _answer(engine: Engine, subject: Subject, now: datetime) -> None:
    """Every member sends two questions (the use case behind the agenda form)."""
    with session_scope(engine) as session:
        call = calls.for_meeting(session, meeting_id=subject.meeting_id)
        assert call is not None and call.id is not None
        for n, person_id in enumerate(subject.members):
            person = session.get(Person, person_id)
            assert person is not None
            submissions.replace_submissions(
                session,
                call_id=call.id,
                person=person,
                entries=[
                    SubmissionCreate(rank=1, question=f"Hoe delen we de data van {n}?"),
                    SubmissionCreate(rank=2, question="Wie volgt de NIS2-registratie op?"),
                ],
                actor=Actor.of(person),
                now=now,
            )


def _publish(engine: Engine, subject: Subject, now: datetime) -> None:
    with session_scope(engine) as session:
        secretary = session.get(Person, subject.secretary_id)
        assert secretary is not None
        review.publish(
            session,
            meeting_id=subject.meeting_id,
            note=None,
            actor=Actor.of(secretary),
            now=now,
            accept_overrun=True,
        )


def _call_id(engine: Engine, meeting_id: int) -> int:

    with Session(engine) as session:
        call = calls.for_meeting(session, meeting_id=meeting_id)
        assert call is not None and call.id is not None
        return call.id


def lifecycle(
    engine: Engine,
    subject: Subject,
    clock: Clock,
    advance_step: Callable[[int, datetime], None],
    close_step: Callable[[int, datetime], None],
) -> dict[str, float]:
    """Take one meeting through its lifecycle; milliseconds per step."""
    timings: dict[str, float] = {}

    def step(name: str, call: Callable[[], None]) -> None:
        started = time.perf_counter()
        call()
        timings[name] = (time.perf_counter() - started) * 1000

    m = subject.meeting_id
    step("call", lambda: advance_step(m, clock.opens))
    step("answers", lambda: _answer(engine, subject, clock.answers))
    call_id = _call_id(engine, m)
    step("close + draft", lambda: close_step(call_id, clock.closes))
    step("publish", lambda: _publish(engine, subject, clock.publishes))
    step("invitations", lambda: advance_step(m, clock.invites))
    step("held", lambda: advance_step(m, clock.ends))
    step("minutes reminder", lambda: advance_step(m, clock.reminds))
    return timings


def outcome(engine: Engine, subject: Subject) -> dict[str, Any]:
    """What the lifecycle left: the meeting's and call's status, versions, mails by kind."""

    with Session(engine) as session:
        meeting = session.get(Meeting, subject.meeting_id)
        call = calls.for_meeting(session, meeting_id=subject.meeting_id)
        assert meeting is not None and call is not None
        versions = session.exec(
            select(AgendaVersion.status).where(AgendaVersion.meeting_id == subject.meeting_id)
        ).all()
        kinds = session.exec(
            select(Notification.kind).where(
                col(Notification.recipient_person_id).in_(subject.person_ids)
            )
        ).all()
        return {
            "meeting": str(meeting.status),
            "call": str(call.status),
            "versions": sorted(str(v) for v in versions),
            "mails": dict(sorted(Counter(kinds).items())),
        }


def _environment(url: str) -> None:
    """Prefect's home and the flows' database for this process (before Prefect is imported)."""
    home = tempfile.mkdtemp(prefix="overleg-bench-lifecycle-")
    os.environ.update(
        PREFECT_HOME=home,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DATABASE_URL=url,
        OVERLEG_SECRET_KEY=SECRET,
        OVERLEG_DATA_DIR=home,
    )


def advance_once(url: str, now: datetime) -> dict[str, Any]:
    """One `advance-meetings` flow run over every due meeting: its milliseconds and report."""
    _environment(url)
    from prefect.testing.utilities import prefect_test_harness

    from flows import calls as call_flows
    from flows import resources
    from flows.advance import advance_meetings

    with prefect_test_harness(server_startup_timeout=180):
        deployment = call_flows.close_call.to_deployment(name="close-call")
        assert not asyncio.iscoroutine(deployment)  # called from sync code: the deployment
        deployment.apply()
        resources.reset()
        resources.engine()  # connected and migrated before the clock starts
        started = time.perf_counter()
        report = advance_meetings(now=now)
        took = (time.perf_counter() - started) * 1000
        resources.reset()
    return {"ms": took, "report": report}


def child(url: str, rounds: int, now: datetime) -> dict[str, Any]:
    """Run the rounds in this process (Prefect set up here); the timings and outcomes."""
    _environment(url)
    # Imported here: Prefect reads its settings when it is imported.
    from prefect.testing.utilities import prefect_test_harness

    from flows import calls as call_flows
    from flows import resources
    from flows.advance import advance_meetings

    def through_prefect_advance(meeting_id: int, at: datetime) -> None:
        advance_meetings(now=at, meeting_id=meeting_id)

    def through_prefect_close(call_id: int, at: datetime) -> None:
        call_flows.close_call(call_id=call_id, now=at)

    results: dict[str, Any] = {"direct": [], "prefect": [], "outcomes": {}}
    with prefect_test_harness(server_startup_timeout=180):
        # advance-meetings books each opened call's closing as a run of this deployment.
        deployment = call_flows.close_call.to_deployment(name="close-call")
        assert not asyncio.iscoroutine(deployment)  # called from sync code: the deployment
        deployment.apply()
        resources.reset()
        engine, settings = resources.engine(), resources.settings()
        paths = {
            "direct": (_direct_advance(engine, settings), _direct_close(engine, settings)),
            "prefect": (through_prefect_advance, through_prefect_close),
        }
        for n in range(rounds + 1):  # the first round of each path is the cold one
            for path, (advance_step, close_step) in paths.items():
                tag = f"{path[0]}{n}-{uuid.uuid4().hex[:6]}"
                subject = make_meeting(engine, now=now, tag=tag)
                clock = Clock.of(engine, subject.meeting_id, settings)
                results[path].append(lifecycle(engine, subject, clock, advance_step, close_step))
                results["outcomes"].setdefault(path, outcome(engine, subject))
                sys.stderr.write(f"lifecycle: round {n} {path} done\n")
        resources.reset()
    return results


def table(results: dict[str, Any]) -> list[str]:
    """A Markdown table: median ms per step (warm rounds), each path, and the ratio."""
    warm = {path: results[path][1:] or results[path] for path in ("direct", "prefect")}
    lines = [
        "| step | direct | through Prefect | Prefect / direct |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name in [*STEPS, "whole lifecycle"]:
        medians = []
        for path in ("direct", "prefect"):
            values = [sum(r.values()) if name == "whole lifecycle" else r[name] for r in warm[path]]
            medians.append(statistics.median(values))
        lines.append(
            f"| {name} | {medians[0]:.1f} | {medians[1]:.1f} | {medians[1] / medians[0]:.1f} |"
        )
    return lines


def main() -> None:
    """Run in a process of its own; print the table and the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--now", default=NOW.isoformat())
    parser.add_argument(
        "--advance-once",
        action="store_true",
        help="instead: one advance-meetings flow run over every due meeting, timed",
    )
    args = parser.parse_args()
    if args.advance_once:
        once = advance_once(args.database_url, datetime.fromisoformat(args.now))
        print(json.dumps(once))  # noqa: T201 - the runner reads the last line
        return
    results = child(args.database_url, args.rounds, datetime.fromisoformat(args.now))
    same = results["outcomes"]["direct"] == results["outcomes"]["prefect"]
    results["same_outcome"] = same
    print("\n".join(table(results)))  # noqa: T201 - a benchmark prints its table
    print(json.dumps(results, default=str))  # noqa: T201 - the runner reads the last line


if __name__ == "__main__":
    main()
