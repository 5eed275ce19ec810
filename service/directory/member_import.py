"""Import a group's members from a list a city sends: first what would happen, then do it.

`preview` reads the file and says, per row, what importing it would do or why the row is
refused; it writes nothing. `confirm` reads the same file again, checks every row again against
the register as it is now, and does what the preview said, through the same use cases as the
people and membership pages (so each person and membership made is audited). A file imported
twice changes nothing the second time.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from models.errors import N_, DomainError
from models.groups import GroupStatus, WorkingGroup
from models.memberships import Membership, MembershipRole
from models.organisations import Organisation
from models.people import Language, Person, PersonCreate
from service.audit import Actor
from service.clock import local_today
from service.directory import groups, member_files, memberships, organisations, people
from service.directory.member_files import Row
from service.directory.member_files import comparable as _key


class Outcome(StrEnum):
    """What importing one row does."""

    new_person = "new_person"  # a person added to the register, and to the group
    new_membership = "new_membership"  # a known person added to the group
    role_change = "role_change"  # a member of the group who gets another role from today
    already_there = "already_there"  # nothing to do
    refused = "refused"


CHANGES = (Outcome.new_person, Outcome.new_membership, Outcome.role_change)

# How a role may be written in the file: in Dutch, English or French (compared as `_key`).
ROLE_WORDS: dict[str, MembershipRole] = {
    _key(word): role
    for role, words in {
        MembershipRole.chair: ("chair", "voorzitter", "president", "présidente"),
        MembershipRole.member: ("member", "lid", "membre"),
        MembershipRole.observer: ("observer", "waarnemer", "observateur", "observatrice"),
        MembershipRole.external_expert: (
            "external_expert",
            "expert",
            "external expert",
            "externe expert",
            "expert externe",
            "experte",
        ),
        MembershipRole.secretariat: ("secretariat", "secretariaat", "secrétariat"),
    }.items()
    for word in words
}


@dataclass(frozen=True)
class Line:
    """One row of the file and what importing it does (or why it is refused)."""

    line: int
    name: str
    email: str
    organisation: str
    role: MembershipRole | None
    outcome: Outcome
    reason: DomainError | None = None
    previous_role: MembershipRole | None = None
    person_id: int | None = None
    membership_id: int | None = None
    organisation_slug: str | None = None
    language: Language = Language.nl
    job_title: str | None = None


@dataclass(frozen=True)
class Plan:
    """What importing a file into a group does, row by row."""

    group: WorkingGroup
    file_name: str
    content_digest: str
    lines: list[Line] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        """How many rows end in this outcome."""
        return sum(1 for line in self.lines if line.outcome is outcome)

    @property
    def counts(self) -> dict[str, int]:
        """The number of rows per outcome, every outcome named."""
        return {outcome.value: self.count(outcome) for outcome in Outcome}

    @property
    def changes(self) -> int:
        """How many rows change something."""
        return sum(1 for line in self.lines if line.outcome in CHANGES)

    @property
    def fingerprint(self) -> str:
        """A digest of the file and of what importing it does: a confirmation names it, so
        what is done is what was shown."""
        said = [(x.line, x.email, x.outcome.value, x.role and x.role.value) for x in self.lines]
        text = json.dumps([self.group.slug, self.content_digest, said])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _refused(row: Row, error: DomainError, role: MembershipRole | None = None) -> Line:
    return Line(
        line=row.line,
        name=row.get("name"),
        email=row.get("email"),
        organisation=row.get("organisation"),
        role=role,
        outcome=Outcome.refused,
        reason=error,
    )


def _role(text: str) -> MembershipRole | None:
    if not text:
        return None
    role = ROLE_WORDS.get(_key(text))
    if role is None:
        raise DomainError(N_("Unknown role: %(role)s."), field="role", role=text[:60])
    return role


def _language(text: str) -> Language:
    if not text:
        return Language.nl
    words = {"nl": Language.nl, "nederlands": Language.nl, "dutch": Language.nl}
    words |= {"en": Language.en, "english": Language.en, "engels": Language.en}
    words |= {"fr": Language.fr, "francais": Language.fr, "frans": Language.fr}
    found = words.get(_key(text))
    if found is None:
        raise DomainError(
            N_("Unknown language: %(language)s. Use nl, en or fr."),
            field="language",
            language=text[:60],
        )
    return found


def _organisation(by_name: dict[str, Organisation], text: str) -> Organisation:
    """The organisation named by its code or its name, as a person would write either."""
    return organisations.joinable(by_name.get(_key(text)), named=text[:60])


def _line(
    session: Session,
    row: Row,
    *,
    group: WorkingGroup,
    by_name: dict[str, Organisation],
    seen: dict[str, int],
    on: date,
) -> Line:
    """What importing one row does, every check made in the order a person would fix them."""
    role: MembershipRole | None = None
    try:
        name = people.checked_name(row.get("name"))
        email = people.checked_email(row.get("email"))
        if email in seen:
            raise DomainError(
                N_("This address is already on line %(line)s of the file."),
                field="email",
                line=seen[email],
            )
        seen[email] = row.line
        organisation = _organisation(by_name, row.get("organisation"))
        role = _role(row.get("role"))
        language = _language(row.get("language"))
        job_title = people.checked_job_title(row.get("job_title"))
    except DomainError as error:
        return _refused(row, error, role)
    common: dict[str, Any] = {
        "line": row.line,
        "name": name,
        "email": email,
        "organisation": organisation.name,
        "organisation_slug": organisation.slug,
        "language": language,
        "job_title": job_title,
    }
    person = people.find_by_email(session, email=email)
    if person is None:
        return Line(**common, role=role or MembershipRole.member, outcome=Outcome.new_person)
    if not person.active:
        refusal = DomainError(
            N_("This person has been deactivated: reactivate them on their page first."),
            field="email",
        )
        return Line(**common, role=role, outcome=Outcome.refused, reason=refusal)
    return _known(session, common, person=person, group=group, role=role, on=on)


def _known(
    session: Session,
    common: dict[str, Any],
    *,
    person: Person,
    group: WorkingGroup,
    role: MembershipRole | None,
    on: date,
) -> Line:
    """A row for someone already in the register: in the group or not, in this role or not."""
    assert person.id is not None and group.id is not None
    found: Membership | None = next(
        (
            m
            for m in memberships.of_person(session, person_id=person.id, on=on)
            if m.group_id == group.id
        ),
        None,
    )
    common |= {"person_id": person.id}
    if found is None:
        return Line(**common, role=role or MembershipRole.member, outcome=Outcome.new_membership)
    common |= {"membership_id": found.id, "previous_role": found.role}
    if role is None or role is found.role:
        return Line(**common, role=found.role, outcome=Outcome.already_there)
    return Line(**common, role=role, outcome=Outcome.role_change)


def _open_group(session: Session, slug: str) -> WorkingGroup:
    group = groups.get_by_slug(session, slug=slug)
    if group.status is GroupStatus.closed:
        raise DomainError(
            N_("This group has been archived: nobody can join it any more."), field="group"
        )
    return group


def preview(session: Session, *, group: str, content: bytes, file_name: str, now: datetime) -> Plan:
    """What importing the file into the group would do, row by row; writes nothing."""
    found = _open_group(session, group)
    rows = member_files.read(content, file_name=file_name)
    by_name: dict[str, Organisation] = {}
    for organisation in organisations.list_all(session):
        by_name.setdefault(_key(organisation.name), organisation)
        by_name[_key(organisation.slug)] = organisation  # the code wins over a same name
    seen: dict[str, int] = {}
    on = local_today(now)
    lines = [_line(session, row, group=found, by_name=by_name, seen=seen, on=on) for row in rows]
    digest = hashlib.sha256(content).hexdigest()
    return Plan(group=found, file_name=file_name[:200], content_digest=digest, lines=lines)


def confirm(
    session: Session,
    *,
    group: str,
    content: bytes,
    file_name: str,
    expected: str | None = None,
    actor: Actor,
    now: datetime,
) -> Plan:
    """Import the file: every row checked again now, then done as the preview said.

    `expected` is the fingerprint of the preview the person confirmed: when the register has
    changed since (so the same file would now do something else), nothing is done and the
    person is asked to look again. Refused rows are left out; the others are all done or,
    on any refusal, none.
    """
    plan = preview(session, group=group, content=content, file_name=file_name, now=now)
    if plan.changes == 0:
        return plan  # imported before: nothing to do, and saying so is the answer
    if expected is not None and expected != plan.fingerprint:
        raise DomainError(
            N_(
                "The register has changed since the preview: look at the new preview and"
                " confirm again."
            ),
            field="file",
        )
    on = local_today(now)
    with session.begin_nested():
        for line in plan.lines:
            _do(session, line, group=plan.group.slug, on=on, actor=actor, now=now)
    return plan


def _new_person(session: Session, line: Line, *, actor: Actor, now: datetime) -> int:
    """Add the person a row names to the register; return their id."""
    assert line.organisation_slug is not None
    person = people.create(
        session,
        person_in=PersonCreate(
            name=line.name,
            email=line.email,
            organisation=line.organisation_slug,
            language=line.language,
            job_title=line.job_title,
        ),
        actor=actor,
        now=now,
    )
    assert person.id is not None
    return person.id


def _do(session: Session, line: Line, *, group: str, on: date, actor: Actor, now: datetime) -> None:
    """Do one row of a plan through the register's own use cases (which audit each change)."""
    if line.outcome in (Outcome.new_person, Outcome.new_membership):
        assert line.role is not None
        if line.outcome is Outcome.new_person:
            person_id = _new_person(session, line, actor=actor, now=now)
        else:
            assert line.person_id is not None
            person_id = line.person_id
        memberships.join(
            session,
            person_id=person_id,
            group=group,
            role=line.role,
            joined_on=on,
            actor=actor,
            now=now,
        )
    elif line.outcome is Outcome.role_change:
        assert line.membership_id is not None and line.role is not None
        memberships.change_role(
            session, membership_id=line.membership_id, role=line.role, on=on, actor=actor, now=now
        )
