"""Importing members through the pages (upload, preview, confirm) and the API (dry run)."""

import base64
import re

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from models.groups import WorkingGroup
from models.memberships import Membership, MembershipRole
from models.people import Person
from tests.service.directory.test_member_import import csv_bytes, xlsx_bytes
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"
CHAIR = "pieter.claeys@gent.example"  # chair of NIS2
HEADER = ["Naam", "E-mail", "Organisatie", "Rol"]
LIST = csv_bytes(
    [
        HEADER,
        ["Fien Declercq", "fien.declercq@gent.example", "gent", "lid"],
        ["Bart Peeters", "bart.peeters@leuven.example", "Leuven", "waarnemer"],
        ["", "leeg@gent.example", "gent", ""],
        ["Nergens Iemand", "iemand@nergens.example", "stad-nergens", ""],
    ]
)


def counts(db: Engine) -> tuple[int, int]:
    """People and memberships in the database."""
    with Session(db) as session:
        return (
            session.exec(select(func.count()).select_from(Person)).one(),
            session.exec(select(func.count()).select_from(Membership)).one(),
        )


def nis2_roles(db: Engine, *emails: str) -> dict[str, MembershipRole]:
    """The roles in NIS2 of these addresses (ended memberships too)."""
    with Session(db) as session:
        rows = session.exec(
            select(Person.email, Membership.role)
            .join(Membership)
            .join(WorkingGroup)
            .where(WorkingGroup.slug == "nis2", col(Person.email).in_(emails))
            .where(col(Membership.left_on).is_(None))
        )
        return {email: MembershipRole(role) for email, role in rows.all()}


def hidden(page: str, name: str) -> str:
    """The value of a hidden field of the preview's confirmation form."""
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, page
    return match.group(1)


async def upload(client: httpx.AsyncClient, content: bytes, name: str) -> httpx.Response:
    """Upload a member list on the import page."""
    token = await csrf(client)
    return await client.post(
        "/groups/nis2/members/import",
        data={"csrf_token": token},
        files={"file": (name, content, "text/csv")},
    )


async def test_upload_preview_confirm_and_a_second_import_changes_nothing(
    sign_in: SignIn, db: Engine
) -> None:
    secretariat = await sign_in(SECRETARIAT)
    page = await secretariat.get("/groups/nis2/members/import")
    assert page.status_code == 200 and "Leden importeren: NIS2" in page.text
    before = counts(db)
    preview = await upload(secretariat, LIST, "leden.csv")
    assert preview.status_code == 200, preview.text
    rows = re.findall(r'<tr class="outcome-(\w+)">\s*<td>(\d+)</td>', preview.text)
    assert rows == [("new_person", "2"), ("new_person", "3"), ("refused", "4"), ("refused", "5")]
    assert "Vul de naam van de persoon in." in preview.text
    assert "Onbekende organisatie: stad-nergens." in preview.text
    assert counts(db) == before  # nothing stored until confirmed

    token = await csrf(secretariat)
    form = {n: hidden(preview.text, n) for n in ("content", "file_name", "seal")}
    confirmed = await secretariat.post(
        "/groups/nis2/members/import/confirm",
        files={k: (None, v) for k, v in {**form, "csrf_token": token}.items()},
    )
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == "/groups/nis2/members?done=members_imported"
    assert counts(db) == (before[0] + 2, before[1] + 2)
    assert nis2_roles(db, "fien.declercq@gent.example", "bart.peeters@leuven.example") == {
        "fien.declercq@gent.example": MembershipRole.member,
        "bart.peeters@leuven.example": MembershipRole.observer,
    }
    members = await secretariat.get(confirmed.headers["location"])
    assert "De leden zijn geïmporteerd." in members.text and "Fien Declercq" in members.text

    # The same confirmation again (a double click), then the same file again: nothing changes.
    twice = await secretariat.post(
        "/groups/nis2/members/import/confirm",
        files={k: (None, v) for k, v in {**form, "csrf_token": token}.items()},
    )
    assert twice.headers["location"] == "/groups/nis2/members?done=import_unchanged"
    again = await upload(secretariat, LIST, "leden.csv")
    assert re.findall(r'<tr class="outcome-(\w+)">', again.text) == [
        "already_there",
        "already_there",
        "refused",
        "refused",
    ]
    assert "Niets te importeren" in again.text and "/import/confirm" not in again.text
    assert counts(db) == (before[0] + 2, before[1] + 2)


async def test_a_confirmation_with_another_file_than_previewed_is_refused(
    sign_in: SignIn, db: Engine
) -> None:
    secretariat = await sign_in(SECRETARIAT)
    preview = await upload(secretariat, LIST, "leden.csv")
    other = csv_bytes([HEADER, ["Eva Mallory", "eva@gent.example", "gent", "voorzitter"]])
    token = await csrf(secretariat)
    before = counts(db)
    forged = await secretariat.post(
        "/groups/nis2/members/import/confirm",
        files={
            "csrf_token": (None, token),
            "content": (None, base64.b64encode(other).decode()),
            "file_name": (None, "leden.csv"),
            "seal": (None, hidden(preview.text, "seal")),
        },
    )
    assert forged.status_code == 422
    assert "Dit voorbeeld is niet meer geldig: laad het bestand opnieuw op." in forged.text
    assert counts(db) == before


async def test_bad_files_on_the_page_are_refused_in_dutch(sign_in: SignIn, db: Engine) -> None:
    secretariat = await sign_in(SECRETARIAT)
    before = counts(db)
    for content, name, message in (
        (b"", "leden.csv", "Het bestand is leeg."),
        (b"naam;gsm;organisatie\r\n", "leden.csv", "Onbekende kolom: gsm."),
        (
            "naam;email;organisatie\r\nJosé;jose@gent.example;gent\r\n".encode("cp1252"),
            "leden.csv",
            "Het bestand is niet in UTF-8.",
        ),
        (b"x" * (600 * 1024), "leden.csv", "Het bestand is te groot: hoogstens 512 kB."),
    ):
        refused = await upload(secretariat, content, name)
        assert refused.status_code == 422
        assert message in refused.text, message
    assert counts(db) == before


async def test_the_api_previews_with_dry_run_then_imports_an_xlsx(
    sign_in: SignIn, db: Engine
) -> None:
    secretariat = await sign_in(SECRETARIAT)
    workbook = xlsx_bytes(
        [
            ["Nom", "Courriel", "Organisation", "Rôle", "Langue"],
            ["Julie Dupont", "julie.dupont@vgc.example", "vgc", "membre", "fr"],
            ["Julie Dupont", "JULIE.DUPONT@vgc.example", "vgc", "membre", "fr"],
        ]
    )
    files = {"file": ("membres.xlsx", workbook, "application/octet-stream")}
    before = counts(db)
    dry = await secretariat.post("/api/groups/nis2/members/import?dry_run=true", files=files)
    assert dry.status_code == 200, dry.text
    body = dry.json()
    assert (body["dry_run"], body["changes"], body["counts"]) == (
        True,
        1,
        {"new_person": 1, "new_membership": 0, "role_change": 0, "already_there": 0, "refused": 1},
    )
    assert [(x["line"], x["outcome"], x["reason"]) for x in body["lines"]] == [
        (2, "new_person", None),
        (3, "refused", "Dit adres staat al op regel 2 van het bestand."),
    ]
    assert counts(db) == before
    done = await secretariat.post("/api/groups/nis2/members/import", files=files)
    assert (done.status_code, done.json()["changes"]) == (200, 1)
    assert counts(db) == (before[0] + 1, before[1] + 1)
    again = await secretariat.post("/api/groups/nis2/members/import", files=files)
    assert (again.json()["changes"], again.json()["counts"]["already_there"]) == (0, 1)
    assert counts(db) == (before[0] + 1, before[1] + 1)


async def test_bad_files_through_the_api_are_refused_in_the_readers_language(
    sign_in: SignIn, db: Engine
) -> None:
    secretariat = await sign_in(SECRETARIAT)
    before = counts(db)
    refused = await secretariat.post(
        "/api/groups/nis2/members/import",
        files={"file": ("leden.csv", b"name,email\r\nFien,fien@gent.example\r\n", "text/csv")},
    )
    assert refused.status_code == 422
    assert refused.json() == {
        "detail": "Het bestand heeft geen kolom voor de organisatie.",
        "field": "file",
    }
    not_utf8 = await secretariat.post(
        "/api/groups/nis2/members/import",
        files={"file": ("l.csv", "naam;email;stad\r\nJosé;j@g.example;gent".encode("cp1252"))},
    )
    assert not_utf8.status_code == 422 and "niet in UTF-8" in not_utf8.json()["detail"]
    assert counts(db) == before


async def test_a_chair_may_not_import(sign_in: SignIn) -> None:
    chair = await sign_in(CHAIR)
    answer = await chair.post(
        "/api/groups/nis2/members/import", files={"file": ("leden.csv", LIST, "text/csv")}
    )
    assert answer.status_code == 403


async def test_a_preview_overtaken_by_a_change_in_the_register_is_shown_again(
    sign_in: SignIn, db: Engine
) -> None:
    secretariat = await sign_in(SECRETARIAT)
    preview = await upload(secretariat, LIST, "leden.csv")
    added = await secretariat.post(
        "/api/people",
        json={
            "name": "Fien Declercq",
            "email": "fien.declercq@gent.example",
            "organisation": "gent",
        },
    )
    assert added.status_code == 201, added.text
    before = counts(db)
    token = await csrf(secretariat)
    form = {n: hidden(preview.text, n) for n in ("content", "file_name", "seal")}
    overtaken = await secretariat.post(
        "/groups/nis2/members/import/confirm",
        files={k: (None, v) for k, v in {**form, "csrf_token": token}.items()},
    )
    assert overtaken.status_code == 422
    assert "Het register is gewijzigd sinds het voorbeeld" in overtaken.text
    # The new preview: Fien is now someone in the register who joins the group.
    assert re.findall(r'<tr class="outcome-(\w+)">', overtaken.text)[:2] == [
        "new_membership",
        "new_person",
    ]
    assert counts(db) == before
