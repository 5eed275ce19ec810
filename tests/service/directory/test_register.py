"""Managing the register: people, organisations and memberships, with every refusal."""

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from models.access import FeedScope
from models.errors import DomainError
from models.memberships import Membership, MembershipRole
from models.notifications import Notification, NotificationStatus
from models.organisations import OrganisationCreate, OrganisationKind
from models.people import Language, PersonCreate
from service import tokens
from service.audit import Actor
from service.clock import local_today
from service.directory import leaving, memberships, organisations, people, privacy
from service.feeds import subscriptions
from service.i18n import error_message
from service.mail import outbox
from tests.conftest import table_counts
from tests.factories import ACTOR, join, make_group, make_organisation, make_person


def details(slug: str, **changes: object) -> PersonCreate:
    """A valid person in the organisation `slug`, with some fields changed."""
    base = {"name": "Fien Declercq", "email": "fien.declercq@gent.example", "organisation": slug}
    return PersonCreate.model_validate({**base, **changes})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "Vul de naam van de persoon in."),
        ({"name": "x" * 201}, "De naam is te lang: hoogstens 200 tekens."),
        ({"email": ""}, "Vul een e-mailadres in."),
        ({"email": "fien.gent.example"}, "Dit is geen geldig e-mailadres."),
        ({"email": "fien@"}, "Dit is geen geldig e-mailadres."),
        ({"email": "a" * 250 + "@x.example"}, "Het e-mailadres is te lang: hoogstens 254 tekens."),
        ({"organisation": "stad-nergens"}, "Onbekende organisatie: stad-nergens."),
        ({"job_title": "x" * 201}, "De functie is te lang: hoogstens 200 tekens."),
        ({"name": "Fien\x00"}, "Deze tekst bevat tekens die niet getoond kunnen worden."),
        ({"email": "fien\x00@gent.example"}, "Dit is geen geldig e-mailadres."),
    ],
)
def test_bad_details_are_refused_in_dutch_and_nothing_is_stored(
    session: Session, now: datetime, changes: dict[str, object], message: str
) -> None:
    organisation = make_organisation(session, now=now)
    counts = table_counts(session)
    with pytest.raises(DomainError) as refused:
        people.create(
            session, person_in=details(organisation.slug, **changes), actor=ACTOR, now=now
        )
    assert error_message(refused.value, "nl") == message
    assert table_counts(session) == counts


def test_a_duplicate_address_is_refused_on_add_and_on_change(
    session: Session, now: datetime
) -> None:
    organisation = make_organisation(session, now=now)
    fien = people.create(session, person_in=details(organisation.slug), actor=ACTOR, now=now)
    other = make_person(session, now=now, organisation=organisation)
    with pytest.raises(DomainError, match="already exists"):
        people.create(
            session,
            person_in=details(organisation.slug, email="FIEN.Declercq@gent.example "),
            actor=ACTOR,
            now=now,
        )
    assert other.id is not None
    with pytest.raises(DomainError, match="already exists"):
        people.update(
            session,
            person_id=other.id,
            person_in=details(organisation.slug, name=other.name),
            actor=ACTOR,
            now=now,
        )
    session.refresh(other)
    assert other.email != fien.email


def test_changing_a_person_keeps_them_and_audits_the_change(
    session: Session, now: datetime
) -> None:
    gent, leuven = make_organisation(session, now=now), make_organisation(session, now=now)
    fien = people.create(session, person_in=details(gent.slug), actor=ACTOR, now=now)
    assert fien.id is not None
    changed = people.update(
        session,
        person_id=fien.id,
        person_in=details(
            leuven.slug, name=" Fien  De Clercq ", job_title="DPO", language=Language.fr
        ),
        actor=ACTOR,
        now=now,
    )
    assert (changed.name, changed.organisation_id, changed.job_title, changed.language) == (
        "Fien De Clercq",
        leuven.id,
        "DPO",
        Language.fr,
    )
    assert changed.email == "fien.declercq@gent.example"  # its own address is not a duplicate


def test_nobody_joins_a_deactivated_organisation(session: Session, now: datetime) -> None:
    organisation = make_organisation(session, now=now)
    assert organisation.id is not None
    organisations.set_active(
        session, organisation_id=organisation.id, active=False, actor=ACTOR, now=now
    )
    with pytest.raises(DomainError) as refused:
        people.create(session, person_in=details(organisation.slug), actor=ACTOR, now=now)
    assert "gedeactiveerd" in error_message(refused.value, "nl")
    again = organisations.set_active(
        session, organisation_id=organisation.id, active=True, actor=ACTOR, now=now
    )
    assert again.deactivated_at is None
    assert people.create(session, person_in=details(organisation.slug), actor=ACTOR, now=now)


@pytest.mark.parametrize(
    ("slug", "name", "field"),
    [("", "Stad Gent", "slug"), ("Stad Gent!", "Stad Gent", "slug"), ("gent", " ", "name")],
)
def test_bad_organisations_are_refused(
    session: Session, now: datetime, slug: str, name: str, field: str
) -> None:
    counts = table_counts(session)
    with pytest.raises(DomainError) as refused:
        organisations.create(
            session,
            organisation_in=OrganisationCreate(
                slug=slug, name=name, kind=OrganisationKind.centre_city
            ),
            actor=ACTOR,
            now=now,
        )
    assert refused.value.field == field
    assert table_counts(session) == counts


def test_an_organisation_code_stays_unique_on_change(session: Session, now: datetime) -> None:
    first, second = make_organisation(session, now=now), make_organisation(session, now=now)
    assert second.id is not None
    with pytest.raises(DomainError, match="already exists"):
        organisations.update(
            session,
            organisation_id=second.id,
            organisation_in=OrganisationCreate(
                slug=first.slug, name="Andere", kind=OrganisationKind.company
            ),
            actor=ACTOR,
            now=now,
        )
    renamed = organisations.update(
        session,
        organisation_id=second.id,
        organisation_in=OrganisationCreate(
            slug="stad-brugge", name="Stad Brugge", kind=OrganisationKind.centre_city
        ),
        actor=ACTOR,
        now=now,
    )
    assert (renamed.slug, renamed.name) == ("stad-brugge", "Stad Brugge")


def _membership(session: Session, person_id: int) -> Membership:
    return session.exec(select(Membership).where(Membership.person_id == person_id)).one()


def test_a_new_role_ends_the_old_one_the_day_before(session: Session, now: datetime) -> None:
    group, person = make_group(session, now=now), make_person(session, now=now)
    join(session, person=person, group=group, now=now, joined_on=date(2025, 1, 1))
    assert person.id is not None and group.id is not None
    old = _membership(session, person.id)
    assert old.id is not None
    new = memberships.change_role(
        session,
        membership_id=old.id,
        role=MembershipRole.chair,
        on=date(2026, 3, 1),
        actor=ACTOR,
        now=now,
    )
    assert (old.role, old.joined_on, old.left_on) == (
        MembershipRole.member,
        date(2025, 1, 1),
        date(2026, 2, 28),
    )
    assert (new.role, new.joined_on, new.left_on) == (MembershipRole.chair, date(2026, 3, 1), None)
    # Who was what on a past day stays as it was.
    on_day = {m.role for m in memberships.current(session, group_id=group.id, on=date(2025, 6, 1))}
    assert on_day == {MembershipRole.member}
    today = {m.role for m in memberships.current(session, group_id=group.id, on=date(2026, 6, 1))}
    assert today == {MembershipRole.chair}


def test_a_role_given_on_the_first_day_is_corrected_in_place(
    session: Session, now: datetime
) -> None:
    group, person = make_group(session, now=now), make_person(session, now=now)
    join(session, person=person, group=group, now=now, joined_on=date(2026, 1, 5))
    assert person.id is not None
    row = _membership(session, person.id)
    assert row.id is not None
    changed = memberships.change_role(
        session,
        membership_id=row.id,
        role=MembershipRole.observer,
        on=date(2026, 1, 5),
        actor=ACTOR,
        now=now,
    )
    assert changed.id == row.id and changed.role is MembershipRole.observer


def test_ending_a_membership_keeps_it_and_refuses_a_day_before_joining(
    session: Session, now: datetime
) -> None:
    group, person = make_group(session, now=now), make_person(session, now=now)
    join(session, person=person, group=group, now=now, joined_on=date(2025, 1, 1))
    assert person.id is not None and group.id is not None
    row = _membership(session, person.id)
    assert row.id is not None
    with pytest.raises(DomainError, match="leave before joining"):
        memberships.end(session, membership_id=row.id, on=date(2024, 12, 1), actor=ACTOR, now=now)
    memberships.end(session, membership_id=row.id, on=date(2026, 6, 30), actor=ACTOR, now=now)
    memberships.end(session, membership_id=row.id, on=date(2026, 9, 30), actor=ACTOR, now=now)
    assert row.left_on == date(2026, 6, 30)  # ending it later again changes nothing
    assert memberships.is_member(
        session, person_id=person.id, group_id=group.id, on=date(2026, 6, 30)
    )
    assert not memberships.is_member(
        session, person_id=person.id, group_id=group.id, on=date(2026, 7, 1)
    )
    with pytest.raises(DomainError, match="has ended"):
        memberships.change_role(
            session,
            membership_id=row.id,
            role=MembershipRole.chair,
            on=date(2026, 8, 1),
            actor=ACTOR,
            now=now,
        )


def test_a_membership_of_another_person_is_unknown(session: Session, now: datetime) -> None:
    group, person, other = (
        make_group(session, now=now),
        *(make_person(session, now=now) for _ in "ab"),
    )
    join(session, person=person, group=group, now=now)
    assert person.id is not None and other.id is not None
    row = _membership(session, person.id)
    assert row.id is not None
    with pytest.raises(DomainError, match="Unknown membership"):
        memberships.end(
            session, membership_id=row.id, person_id=other.id, on=now.date(), actor=ACTOR, now=now
        )


def test_deactivating_stops_mail_feeds_and_memberships_and_keeps_history(
    session: Session, now: datetime
) -> None:
    group, person = make_group(session, now=now), make_person(session, now=now)
    join(session, person=person, group=group, now=now, joined_on=date(2025, 1, 1))
    assert person.id is not None and group.id is not None
    future = make_group(session, now=now)
    join(session, person=person, group=future, now=now, joined_on=now.date() + timedelta(days=30))
    outbox.queue(session, key="before", kind="sign_in", recipient=person, context={}, now=now)
    feed = subscriptions.create(
        session, person=person, scope=FeedScope.person, scope_id=None, actor=ACTOR, now=now
    )
    assert subscriptions.find(session, token_hash=tokens.digest(feed.secret)) is not None

    leaving.deactivate(session, person_id=person.id, actor=ACTOR, now=now)
    again = leaving.deactivate(session, person_id=person.id, actor=ACTOR, now=now)

    assert again.deactivated_at == now and not again.active
    assert subscriptions.find(session, token_hash=tokens.digest(feed.secret)) is None
    pending = session.exec(select(Notification).where(Notification.idempotency_key == "before"))
    assert pending.one().status is NotificationStatus.cancelled
    assert not outbox.queue(
        session, key="after", kind="sign_in", recipient=person, context={}, now=now
    )
    rows = session.exec(select(Membership).where(Membership.person_id == person.id)).all()
    # The running membership ends today and stays; the one not yet begun is gone.
    assert [(r.group_id, r.joined_on, r.left_on) for r in rows] == [
        (group.id, date(2025, 1, 1), local_today(now))
    ]
    assert memberships.is_member(
        session, person_id=person.id, group_id=group.id, on=date(2025, 6, 1)
    )
    assert people.names(session, ids=[person.id]) == {person.id: person.name}  # history reads on
    with pytest.raises(DomainError, match="deactivated"):
        memberships.join(
            session,
            person_id=person.id,
            group=group.slug,
            role=MembershipRole.member,
            joined_on=now.date() + timedelta(days=1),
            actor=ACTOR,
            now=now,
        )
    people.reactivate(session, person_id=person.id, actor=ACTOR, now=now)
    assert subscriptions.find(session, token_hash=tokens.digest(feed.secret)) is not None


def test_nobody_deactivates_themselves(session: Session, now: datetime) -> None:
    person = make_person(session, now=now)
    assert person.id is not None
    with pytest.raises(DomainError, match="yourself"):
        leaving.deactivate(session, person_id=person.id, actor=Actor.of(person), now=now)


def test_the_erasure_preview_counts_what_erasing_would_do(session: Session, now: datetime) -> None:
    group, person = make_group(session, now=now), make_person(session, now=now)
    join(session, person=person, group=group, now=now)
    assert person.id is not None
    subscriptions.create(
        session, person=person, scope=FeedScope.person, scope_id=None, actor=ACTOR, now=now
    )
    outbox.queue(session, key="mail", kind="sign_in", recipient=person, context={}, now=now)
    counts = table_counts(session)
    preview = privacy.erasure_preview(session, person_id=person.id)
    assert preview.removed == {"feed_token": 1}
    assert preview.anonymised == {"notification": 1}
    assert preview.kept == {"membership": 1}
    assert table_counts(session) == counts
    erased = privacy.erase(session, person_id=person.id, actor=ACTOR, now=now)
    assert erased.erased_at is not None
    after = privacy.erasure_preview(session, person_id=person.id)
    assert after.removed == {} and after.kept == {"membership": 1}


def test_an_address_with_a_nul_finds_nobody(session: Session) -> None:
    # PostgreSQL refuses NUL in text: looking it up must not reach the database (a 500 before).
    assert people.find_by_email(session, email="\x00") is None
