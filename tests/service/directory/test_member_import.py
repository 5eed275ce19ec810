"""Importing a group's members from a CSV or Excel file: the preview, the import, the refusals."""

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import Workbook
from sqlmodel import Session, col, select

from models.audit import AuditEntry
from models.errors import DomainError
from models.memberships import Membership, MembershipRole
from models.people import Language, Person
from service.audit import Actor
from service.clock import local_today
from service.directory import leaving, member_files, member_import
from service.directory.member_import import Outcome
from service.i18n import error_message
from tests.conftest import table_counts
from tests.factories import ACTOR, join, make_group, make_organisation, make_person


def csv_bytes(rows: list[list[str]], *, separator: str = ";", bom: bool = True) -> bytes:
    """A member list as Belgian Excel saves it (semicolons, UTF-8 with a byte-order mark)."""
    text = "\r\n".join(separator.join(row) for row in rows) + "\r\n"
    return text.encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(rows: list[list[str | None]]) -> bytes:
    """A member list as an Excel workbook, as a city saves it."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_preview_says_per_row_what_happens_and_writes_nothing(
    session: Session, now: datetime
) -> None:
    gent = make_organisation(session, now=now, name="Stad Gent")
    group = make_group(session, now=now)
    member = make_person(session, now=now, organisation=gent, name="An Member")
    join(session, person=member, group=group, now=now)
    becomes_chair = make_person(session, now=now, organisation=gent)
    join(session, person=becomes_chair, group=group, now=now)
    outsider = make_person(session, now=now, organisation=gent)
    gone = make_person(session, now=now, organisation=gent)
    leaving.deactivate(session, person_id=gone.id or 0, actor=ACTOR, now=now)
    content = csv_bytes(
        [
            ["Naam", "E-mail", "Organisatie", "Rol", "Taal", "Functie"],
            ["Fien Declercq", "Fien.Declercq@gent.example", gent.slug, "lid", "fr", "DPO"],
            ["Bart Peeters", "bart@gent.example", "stad gent", "Voorzitter", "", ""],
            [member.name, member.email, gent.slug, "", "", ""],
            ["Xavier Chair", becomes_chair.email, gent.slug, "voorzitter", "", ""],
            ["Yves Outsider", outsider.email, gent.slug, "waarnemer", "", ""],
            ["", "leeg@gent.example", gent.slug, "", "", ""],
            ["Geen Adres", "geen-adres", gent.slug, "", "", ""],
            ["Dubbel", "fien.declercq@gent.example", gent.slug, "", "", ""],
            ["Nergens", "nergens@x.example", "Stad Nergens", "", "", ""],
            ["Rol Fout", "rol@gent.example", gent.slug, "koning", "", ""],
            ["Weg", gone.email, gent.slug, "", "", ""],
        ]
    )
    counts = table_counts(session)
    plan = member_import.preview(
        session, group=group.slug, content=content, file_name="leden.csv", now=now
    )
    assert table_counts(session) == counts
    said = [
        (x.line, x.outcome, x.role, x.reason and error_message(x.reason, "nl")) for x in plan.lines
    ]
    assert said == [
        (2, Outcome.new_person, MembershipRole.member, None),
        (3, Outcome.new_person, MembershipRole.chair, None),
        (4, Outcome.already_there, MembershipRole.member, None),
        (5, Outcome.role_change, MembershipRole.chair, None),
        (6, Outcome.new_membership, MembershipRole.observer, None),
        (7, Outcome.refused, None, "Vul de naam van de persoon in."),
        (8, Outcome.refused, None, "Dit is geen geldig e-mailadres."),
        (9, Outcome.refused, None, "Dit adres staat al op regel 2 van het bestand."),
        (10, Outcome.refused, None, "Onbekende organisatie: Stad Nergens."),
        (11, Outcome.refused, None, "Onbekende rol: koning."),
        (
            12,
            Outcome.refused,
            None,
            "Deze persoon is gedeactiveerd: activeer hem of haar eerst opnieuw op de"
            " persoonspagina.",
        ),
    ]
    assert plan.counts == {
        "new_person": 2,
        "new_membership": 1,
        "role_change": 1,
        "already_there": 1,
        "refused": 6,
    }
    assert (plan.lines[0].email, plan.lines[0].language, plan.lines[0].job_title) == (
        "fien.declercq@gent.example",
        Language.fr,
        "DPO",
    )


def test_confirming_imports_and_a_second_import_changes_nothing(
    session: Session, now: datetime
) -> None:
    gent = make_organisation(session, now=now)
    group = make_group(session, now=now)
    known = make_person(session, now=now, organisation=gent)
    content = csv_bytes(
        [
            ["name", "email", "organisation", "role"],
            ["Fien Declercq", "fien@gent.example", gent.slug, "chair"],
            [known.name, known.email, gent.slug, "member"],
            ["", "leeg@gent.example", gent.slug, ""],
        ],
        separator=",",
        bom=False,
    )
    secretariat = make_person(session, now=now)
    actor = Actor.of(secretariat)
    plan = member_import.preview(
        session, group=group.slug, content=content, file_name="leden.csv", now=now
    )
    first_audit = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
    assert first_audit is not None
    done = member_import.confirm(
        session,
        group=group.slug,
        content=content,
        file_name="leden.csv",
        expected=plan.fingerprint,
        actor=actor,
        now=now,
    )
    assert done.changes == 2
    fien = session.exec(select(Person).where(Person.email == "fien@gent.example")).one()
    rows = session.exec(select(Membership).where(Membership.group_id == group.id)).all()
    assert sorted((m.person_id or 0, m.role, m.joined_on) for m in rows) == sorted(
        [
            (fien.id or 0, MembershipRole.chair, local_today(now)),
            (known.id or 0, MembershipRole.member, local_today(now)),
        ]
    )
    audited = session.exec(
        select(AuditEntry).where(col(AuditEntry.id) > (first_audit.id or 0))
    ).all()
    assert sorted((e.entity, e.action.value, e.actor_label) for e in audited) == [
        ("membership", "create", f"person:{secretariat.id}"),
        ("membership", "create", f"person:{secretariat.id}"),
        ("person", "create", f"person:{secretariat.id}"),
    ]
    counts = table_counts(session)
    again = member_import.confirm(
        session, group=group.slug, content=content, file_name="leden.csv", actor=actor, now=now
    )
    assert (again.changes, again.count(Outcome.already_there), again.count(Outcome.refused)) == (
        0,
        2,
        1,
    )
    assert table_counts(session) == counts


def test_a_confirmation_of_a_preview_that_no_longer_holds_changes_nothing(
    session: Session, now: datetime
) -> None:
    gent = make_organisation(session, now=now)
    group = make_group(session, now=now)
    content = csv_bytes(
        [["naam", "email", "organisatie"], ["Fien Declercq", "fien@gent.example", gent.slug]]
    )
    plan = member_import.preview(
        session, group=group.slug, content=content, file_name="a.csv", now=now
    )
    # Meanwhile someone else adds a second person to the file's list, as a new file.
    other = csv_bytes(
        [
            ["naam", "email", "organisatie"],
            ["Fien Declercq", "fien@gent.example", gent.slug],
            ["Bart Peeters", "bart@gent.example", gent.slug],
        ]
    )
    counts = table_counts(session)
    with pytest.raises(DomainError) as refused:
        member_import.confirm(
            session,
            group=group.slug,
            content=other,
            file_name="a.csv",
            expected=plan.fingerprint,
            actor=ACTOR,
            now=now,
        )
    assert error_message(refused.value, "en") == (
        "The register has changed since the preview: look at the new preview and confirm again."
    )
    assert table_counts(session) == counts


def test_an_excel_workbook_imports_like_the_csv(session: Session, now: datetime) -> None:
    gent = make_organisation(session, now=now)
    group = make_group(session, now=now)
    workbook = xlsx_bytes(
        [
            ["Nom", "Courriel", "Organisation", "Rôle", None],
            [None, None, None, None, None],  # an empty row Excel kept
            ["Julie Dupont", "julie@vgc.example", gent.slug, "Présidente", None],
        ]
    )
    plan = member_import.preview(
        session, group=group.slug, content=workbook, file_name="membres.xlsx", now=now
    )
    assert [(x.name, x.email, x.outcome, x.role) for x in plan.lines] == [
        ("Julie Dupont", "julie@vgc.example", Outcome.new_person, MembershipRole.chair)
    ]


@pytest.mark.parametrize(
    ("content", "file_name", "message"),
    [
        (b"", "leden.csv", "Het bestand is leeg."),
        (b" \r\n\r\n", "leden.csv", "Het bestand is leeg."),
        (
            "naam;e-mail;organisatie\r\nJosé Peña;jose@gent.example;gent\r\n".encode("cp1252"),
            "leden.csv",
            "Het bestand is niet in UTF-8. Bewaar het in Excel als \u201cCSV UTF-8\u201d of als"
            " Excel-werkmap (.xlsx) en laad het opnieuw op.",
        ),
        (
            b"naam;e-mail;stad;gsm\r\n",
            "leden.csv",
            "Onbekende kolom: gsm. De kolommen zijn: naam, e-mail, organisatie, en eventueel"
            " rol, taal en functie.",
        ),
        (
            b"naam;organisatie\r\nFien;gent\r\n",
            "leden.csv",
            "Het bestand heeft geen kolom voor het e-mailadres.",
        ),
        (b"naam;naam;email;stad\r\n", "leden.csv", "De kolom naam staat er twee keer in."),
        (b"naam;email;stad\r\n", "leden.csv", "Het bestand heeft een kopregel maar geen leden."),
        (
            b"naam;email;stad\r\n" + b"a;b;c\r\n" * 100_000,
            "leden.csv",
            "Het bestand is te groot: hoogstens 512 kB.",
        ),
        (
            b"naam;email;stad\r\n" + b"a;b;c\r\n" * 1001,
            "leden.csv",
            "Het bestand bevat meer dan 1000 leden: splits het op.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "leden.xls",
            "Oude Excel-bestanden (.xls) kunnen niet gelezen worden: bewaar het bestand als"
            " .xlsx of als CSV UTF-8.",
        ),
        (
            b"PK\x03\x04 not a real workbook",
            "leden.xlsx",
            "Het bestand kon niet gelezen worden als Excel-werkmap (.xlsx).",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_and_nothing_changes(
    session: Session, now: datetime, content: bytes, file_name: str, message: str
) -> None:
    group = make_group(session, now=now)
    counts = table_counts(session)
    with pytest.raises(DomainError) as refused:
        member_import.confirm(
            session, group=group.slug, content=content, file_name=file_name, actor=ACTOR, now=now
        )
    assert error_message(refused.value, "nl") == message
    assert table_counts(session) == counts


def test_the_separator_is_the_one_the_header_holds(session: Session, now: datetime) -> None:
    rows = member_files.read(
        b'name,email,organisation\r\n"Peeters; Bart",bart@gent.example,gent\r\n',
        file_name="x.csv",
    )
    assert [(r.line, r.values) for r in rows] == [
        (2, {"name": "Peeters; Bart", "email": "bart@gent.example", "organisation": "gent"})
    ]


def test_an_archived_group_takes_no_members(session: Session, now: datetime) -> None:
    from service.directory import group_settings

    group = make_group(session, now=now)
    group_settings.archive(session, slug=group.slug, actor=ACTOR, now=now + timedelta(days=1))
    with pytest.raises(DomainError) as refused:
        member_import.preview(
            session, group=group.slug, content=b"naam;email;stad\r\n", file_name="a.csv", now=now
        )
    assert error_message(refused.value, "en") == (
        "This group has been archived: nobody can join it any more."
    )
