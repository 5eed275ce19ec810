"""The secretariat's pages: audit log, people register with erasure, and one's own data."""

import re
from datetime import datetime

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.groups import WorkingGroup
from models.people import Person
from service.mail import delivery, outbox
from service.mail.mailer import MailboxMailer
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"
MEMBER = "sander.mertens@antwerpen.example"


async def test_changes_by_a_person_show_in_the_audit_log(sign_in: SignIn) -> None:
    secretariat = await sign_in(SECRETARIAT)
    created = await secretariat.post(
        "/api/groups/nis2/meetings",
        json={
            "title": "Extra sessie NIS2-audit",
            "starts_at": "2027-03-02T13:00:00Z",
            "ends_at": "2027-03-02T15:00:00Z",
        },
    )
    assert created.status_code == 201
    page = await secretariat.get("/audit")
    assert page.status_code == 200
    assert "Extra sessie NIS2-audit" in page.text
    # The actor is named: the secretariat member who made the change.
    assert re.search(r"<td>[^<]*Griet[^<]*</td>\s*<td[^>]*>aangemaakt: vergadering #\d+", page.text)


async def test_the_audit_log_says_in_words_what_changed(sign_in: SignIn) -> None:
    secretariat = await sign_in(SECRETARIAT)
    created = await secretariat.post(
        "/api/groups/nis2/meetings",
        json={
            "title": "Extra sessie NIS2",
            "starts_at": "2027-03-02T13:00:00Z",
            "ends_at": "2027-03-02T15:00:00Z",
        },
    )
    meeting_id = created.json()["id"]
    cancelled = await secretariat.post(
        f"/api/groups/nis2/meetings/{meeting_id}/cancel", json={"reason": "Spreker ziek"}
    )
    assert cancelled.status_code == 200, cancelled.text
    page = (await secretariat.get("/audit")).text
    assert f"gewijzigd: vergadering #{meeting_id}" in page
    assert "<strong>status</strong>: gepland → geannuleerd" in page
    assert "<strong>reden</strong>: — → Spreker ziek" in page
    # Fields in words; the row's own id and its links to other rows are not listed when made.
    made = page[page.index(f"aangemaakt: vergadering #{meeting_id}") :].split("</tr>")[0]
    assert "<strong>titel</strong>: — → Extra sessie NIS2" in made
    assert "<strong>id</strong>" not in made and "group" not in made and "_" not in made
    # Instants are written in Brussels time, in words, not as stored.
    assert "2027-03-02T13:00" not in page and "2 maart 2027" in page


async def test_members_do_not_see_the_audit_log(sign_in: SignIn) -> None:
    member = await sign_in(MEMBER)
    assert (await member.get("/audit")).status_code == 403


async def test_erasing_from_the_register(sign_in: SignIn, db: Engine) -> None:
    secretariat = await sign_in(SECRETARIAT)
    with Session(db) as session:
        target = session.exec(select(Person).where(Person.email == MEMBER)).one()
    token = await csrf(secretariat)
    erased = await secretariat.post(f"/people/{target.id}/erase", data={"csrf_token": token})
    assert erased.status_code == 303
    register = await secretariat.get("/people?erased=true")
    assert target.name not in register.text
    with Session(db) as session:
        again = session.get(Person, target.id)
        assert again is not None and again.erased_at is not None


async def test_a_member_downloads_their_own_data(sign_in: SignIn, db: Engine) -> None:
    member = await sign_in(MEMBER)
    page = await member.get("/me")
    assert page.status_code == 200 and "/api/me/export" in page.text
    exported = (await member.get("/api/me/export")).json()
    assert exported["person"][0]["email"] == MEMBER
    with Session(db) as session:
        nis2 = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "nis2")).one()
    assert [m["group_id"] for m in exported["membership"]] == [nis2.id]


async def test_mail_page_shows_the_local_mailbox_and_failures(
    app: FastAPI, sign_in: SignIn, db: Engine, now: datetime
) -> None:
    settings = app.state.settings
    secretariat = await sign_in(SECRETARIAT)  # queues a sign-in mail for the secretariat
    with Session(db) as session:
        member = session.exec(select(Person).where(Person.email == MEMBER)).one()
        outbox.queue(
            session, key="test:broken", kind="sign_in", recipient=member, now=now, context={}
        )  # no url: the template cannot use it
        session.commit()
    report = await delivery.deliver_due(
        db, mailer=MailboxMailer(settings.mailbox_dir), settings=settings, now=now
    )
    # The secretariat's sign-in link goes out; the broken message fails with its reason.
    assert (report.sent, report.retried, report.failed) == (1, 0, 1)
    page = await secretariat.get("/mailbox")
    assert page.status_code == 200
    assert "Je aanmeldlink voor Overleg" in page.text
    # The broken message is listed with its reason instead of stopping delivery.
    assert "emails/sign_in" in page.text and "is undefined" in page.text


async def test_preview_shows_every_kind_in_every_language(sign_in: SignIn) -> None:
    secretariat = await sign_in(SECRETARIAT)
    page = await secretariat.get("/emails/preview")
    assert page.status_code == 200
    for subject in (
        "Je aanmeldlink voor Overleg",
        "Your sign-in link for Overleg",
        "Votre lien de connexion à Overleg",
    ):
        assert subject in page.text
