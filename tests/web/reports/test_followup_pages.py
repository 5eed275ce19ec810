"""Minutes, deliverables, the directors' overview and the annual report, through the real app."""

import csv
import io
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.deliverables import Deliverable, DeliverableChange, DeliverableStatus
from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from models.minutes import MinutesStatus, MinutesVersion
from models.notifications import Notification
from service.reports import portfolio
from tests.conftest import table_counts
from tests.web.conftest import SignIn, csrf

SECRETARIAT = "griet.vanhoutte@kcvs.example"
DIRECTOR = "koenraad.despriet@kortrijk.example"
NIS2_CHAIR = "pieter.claeys@gent.example"
NIS2_MEMBER = "sander.mertens@antwerpen.example"


class _Tables(HTMLParser):
    """The text of every cell of the table with a given id."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside = table_id, False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", self.table_id) in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table(html: str, table_id: str) -> list[list[str]]:
    parser = _Tables(table_id)
    parser.feed(html)
    return parser.rows


def _last_held(db: Engine, slug: str) -> Meeting:
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == slug)).one()
        return session.exec(
            select(Meeting)
            .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.held)
            .order_by(col(Meeting.starts_at).desc())
        ).first()  # type: ignore[return-value]


def _version(db: Engine, meeting_id: int | None) -> MinutesVersion:
    with Session(db) as session:
        return session.exec(
            select(MinutesVersion)
            .where(MinutesVersion.meeting_id == meeting_id)
            .order_by(col(MinutesVersion.number).desc())
        ).first()  # type: ignore[return-value]


async def test_minutes_from_draft_to_approval_in_the_browser_flow(
    sign_in: SignIn, db: Engine
) -> None:
    meeting = _last_held(db, "nis2")
    base = f"/groups/nis2/meetings/{meeting.id}/minutes"
    chair = await sign_in(NIS2_CHAIR)
    token = await csrf(chair)
    assert (await chair.post(base, data={"csrf_token": token})).status_code == 303
    version = _version(db, meeting.id)
    assert version.status is MinutesStatus.draft and "## Agenda" in version.body
    edited = await chair.post(
        f"/groups/nis2/minutes/{version.id}/edit",
        data={"csrf_token": token, "body": "Verslag van de vergadering.\n\nBesluit: NIS2-lijst."},
    )
    assert edited.status_code == 303
    sent = await chair.post(
        f"/groups/nis2/minutes/{version.id}/review",
        data={"csrf_token": token, "deadline": "2026-11-22T17:00"},  # 17:00 Brussels, today
    )
    assert sent.status_code == 303
    with Session(db) as session:
        links = {
            n.context["url"]
            for n in session.exec(select(Notification).where(Notification.kind == "minutes_review"))
        }
    assert links == {f"http://127.0.0.1:8000{base}#version-1"}  # the app's public URL
    member = await sign_in(NIS2_MEMBER)
    page = await member.get(base)
    assert "Verslag van de vergadering." in page.text and "ter nalezing" in page.text
    assert "<h1>Verslag: " in page.text  # the minutes, not "Minuten" (a duration)
    assert "Goedkeuren en vergrendelen" not in page.text  # members read and comment only
    commented = await member.post(
        f"/groups/nis2/minutes/{version.id}/comments",
        data={"csrf_token": await csrf(member), "body": "Graag ook de VCDV vermelden."},
    )
    assert commented.status_code == 303
    refused = await member.post(
        f"/groups/nis2/minutes/{version.id}/approve",
        data={"csrf_token": await csrf(member), "mode": "chair"},
    )
    assert refused.status_code == 403
    too_early = await chair.post(
        f"/groups/nis2/minutes/{version.id}/approve", data={"csrf_token": token, "mode": "chair"}
    )
    assert too_early.status_code == 422
    assert "De termijn voor opmerkingen loopt nog" in too_early.text
    assert _version(db, meeting.id).status is MinutesStatus.in_review
    page = await chair.get(base)
    assert "Graag ook de VCDV vermelden." in page.text and "Sander Mertens" in page.text


async def test_locked_minutes_refuse_editing_with_a_clear_message(
    sign_in: SignIn, db: Engine
) -> None:
    meeting = _last_held(db, "gdpr")
    with Session(db) as session:
        session.add(
            MinutesVersion(
                meeting_id=meeting.id or 0,
                number=1,
                status=MinutesStatus.approved,
                body="Goedgekeurde tekst",
                created_at=meeting.created_at,
                approved_at=meeting.created_at,
                content_hash="0" * 64,
            )
        )
        session.commit()
    version = _version(db, meeting.id)
    client = await sign_in(SECRETARIAT)
    response = await client.post(
        f"/groups/gdpr/minutes/{version.id}/edit",
        data={"csrf_token": await csrf(client), "body": "Stiekem gewijzigd"},
    )
    assert response.status_code == 422
    assert "Dit verslag is goedgekeurd en vergrendeld. Maak een correctie." in response.text
    assert _version(db, meeting.id).body == "Goedgekeurde tekst"
    page = await client.get(f"/groups/gdpr/meetings/{meeting.id}/minutes")
    assert "komt niet meer overeen met zijn vastgelegde vingerafdruk" in page.text


async def test_record_and_change_a_deliverable_from_the_group_page(
    sign_in: SignIn, db: Engine
) -> None:
    client = await sign_in(NIS2_CHAIR)
    token = await csrf(client)
    meeting = _last_held(db, "nis2")
    created = await client.post(
        "/groups/nis2/deliverables",
        data={
            "csrf_token": token,
            "title": "Modelbeleid leveranciersbeheer",
            "due": "2027-Q2",
            "accountable_email": NIS2_MEMBER,
            "contributors": "bert.goris@mechelen.example",
            "meeting_id": str(meeting.id),
        },
    )
    assert created.status_code == 303, created.text
    with Session(db) as session:
        item = session.exec(
            select(Deliverable).where(Deliverable.title == "Modelbeleid leveranciersbeheer")
        ).one()
    assert item.meeting_id == meeting.id and item.due_on == date(2027, 4, 1)
    moved = await client.post(
        f"/groups/nis2/deliverables/{item.id}/due",
        data={"csrf_token": token, "due": "2027-09", "reason": "Wacht op de Belgische wet"},
    )
    assert moved.status_code == 303
    page = await client.get("/groups/nis2/deliverables")
    assert "Eerst voorzien 2e kwartaal 2027, nu september 2027." in page.text
    assert "Wacht op de Belgische wet" in page.text


async def test_bad_input_is_refused_in_dutch_and_changes_nothing(
    sign_in: SignIn, db: Engine
) -> None:
    client = await sign_in(SECRETARIAT)
    token = await csrf(client)
    with Session(db) as session:
        before = table_counts(session)
        item = session.exec(
            select(Deliverable).where(Deliverable.title == "Beleidsrapport InnoFiNS")
        ).one()
    past = await client.post(
        "/groups/nis2/deliverables",
        data={
            "csrf_token": token,
            "title": "Te laat",
            "due": "2024-03",
            "accountable_organisation": "gent",
        },
    )
    assert past.status_code == 422
    assert "Een nieuw resultaat kan geen deadline in het verleden hebben." in past.text
    no_reason = await client.post(
        f"/groups/innofins/deliverables/{item.id}/status",
        data={"csrf_token": token, "status": "blocked", "reason": ""},
    )
    assert no_reason.status_code == 422
    api = await client.post(
        f"/api/groups/innofins/deliverables/{item.id}/status", json={"status": "dropped"}
    )
    assert api.status_code == 422 and api.json()["field"] == "status_reason"
    with Session(db) as session:
        assert table_counts(session) == before
        assert session.get(Deliverable, item.id).status is DeliverableStatus.at_risk  # type: ignore[union-attr]


async def test_directors_read_everything_and_change_nothing(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(DIRECTOR)
    assert (await client.get("/directors")).status_code == 200
    assert (await client.get("/groups/innofins/deliverables")).status_code == 200
    with Session(db) as session:
        before = table_counts(session)
        item = session.exec(
            select(Deliverable).where(Deliverable.title == "Beleidsrapport InnoFiNS")
        ).one()
    token = await csrf(client)
    for response in (
        await client.post(
            f"/groups/innofins/deliverables/{item.id}/status",
            data={"csrf_token": token, "status": "delivered"},
        ),
        await client.post(
            f"/api/groups/innofins/deliverables/{item.id}/progress", json={"progress": 90}
        ),
        await client.post(
            "/api/groups/innofins/decisions",
            json={"group": "innofins", "text": "Stop", "decided_on": "2026-11-20"},
        ),
    ):
        assert response.status_code == 403
        assert "geen toegang" in response.text
    with Session(db) as session:
        assert table_counts(session) == before
    assert (await client.get("/reports/annual")).status_code == 403


def _excel_csv(content: bytes) -> list[list[str]]:
    """A CSV download read as Excel set to Dutch (Belgium) reads it: ';' and UTF-8 with BOM."""
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


async def test_directors_page_shows_groups_charts_and_the_csv_matches_it(
    sign_in: SignIn,
) -> None:
    client = await sign_in(DIRECTOR)
    page = await client.get("/directors")
    assert page.status_code == 200
    html = page.text
    assert "Overzicht voor de directies" in html
    # Two charts (the legend's swatches are small svgs hidden from screen readers).
    assert html.count('<svg role="img"') == 2 and "<desc" in html
    assert html.count('<svg width="12" height="12" aria-hidden="true">') == 6
    assert "De cijfers van deze grafiek" in html  # the charts' text equivalent
    groups = {row[0]: row for row in table(html, "groups")[1:]}
    assert "NIS2" in groups and "KBO" in groups
    assert "1 rood" in groups["InnoFiNS"][3]
    shown = table(html, "deliverables")
    exported = _excel_csv((await client.get("/directors/export.csv")).content)
    assert exported == shown and len(shown) == 24
    assert shown[0][:3] == ["Programma", "Groep", "Deliverable"]
    filtered = await client.get("/directors?programme=klimaat&status=red")
    rows = table(filtered.text, "deliverables")[1:]
    assert [r[2] for r in rows] == ["Beleidsrapport InnoFiNS"]
    filtered_csv = await client.get("/directors/export.csv?programme=klimaat&status=red")
    assert _excel_csv(filtered_csv.content)[1:] == rows
    workbook = load_workbook(io.BytesIO((await client.get("/directors/export.xlsx")).content))
    sheet = workbook.active
    assert sheet is not None
    cells = [
        [str(c) if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells == shown


async def test_directors_filter_by_a_search_field_when_the_lists_grow_long(
    sign_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large organisation: more groups and organisations than a list can hold.
    monkeypatch.setattr(portfolio, "CHOICE_LIMIT", 2)
    client = await sign_in(DIRECTOR)
    html = (await client.get("/directors")).text
    for key in ("group", "organisation"):
        assert f'<input type="search" id="f-{key}" name="{key}" value=""' in html
        assert f'<select id="f-{key}"' not in html
    assert '<select id="f-programme"' in html  # three programmes: still a list
    filtered = await client.get("/directors?group=innofins&status=red")
    assert '<input type="search" id="f-group" name="group" value="innofins"' in filtered.text
    rows = table(filtered.text, "deliverables")[1:]
    assert [r[2] for r in rows] == ["Beleidsrapport InnoFiNS"]


async def test_overview_api_and_deliverable_history(sign_in: SignIn) -> None:
    client = await sign_in(DIRECTOR)
    overview = (await client.get("/api/overview?group=kbo")).json()
    assert [g["slug"] for g in overview["groups"]] == ["kbo"]
    (item,) = overview["deliverables"]
    assert item["colour"] == "red" and item["due_precision"] == "month"
    detail = await client.get(f"/api/groups/kbo/deliverables/{item['id']}")
    assert detail.status_code == 200 and detail.json()["history"] == []
    assert (await client.get("/api/overview?status=purple")).status_code == 422


async def test_annual_report_page_and_downloads(sign_in: SignIn) -> None:
    client = await sign_in(SECRETARIAT)
    page = await client.get("/reports/annual?year=2025")
    rows = {row[0]: row for row in table(page.text, "annual")[1:]}
    assert rows["GDPR"][1].startswith("4") and rows["OBMi"][1].startswith("7")
    assert rows["ORBA"][1].startswith("8") and rows["KBO"][1] == "4 (4 sessies)"
    assert rows["KBO"][2] == "1"
    markdown = await client.get("/reports/annual.md?year=2025")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "verplaatst naar februari 2026" in markdown.text
    annual = (await client.get("/reports/annual.csv?year=2025")).content
    data = list(csv.DictReader(io.StringIO(annual.decode("utf-8-sig")), delimiter=";"))
    assert {r["Groep"]: r["Vergaderingen gehouden"] for r in data}["OBMi-werkgroep"] == "7"
    assert re.search(
        r"jaarverslag-2025\.csv",
        (await client.get("/reports/annual.csv?year=2025")).headers["content-disposition"],
    )


async def test_history_rows_name_who_and_why(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    with Session(db) as session:
        item = session.exec(
            select(Deliverable).where(Deliverable.title == "Reeks instructievideo's ORBA")
        ).one()
    response = await client.post(
        f"/api/groups/orba/deliverables/{item.id}/due",
        json={"due_on": "2027-01-01", "precision": "quarter", "reason": "Montage loopt uit"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["first_due_on"] == "2026-10-01" and body["due_on"] == "2027-01-01"
    assert body["history"][0]["reason"] == "Montage loopt uit"
    with Session(db) as session:
        change = session.exec(select(DeliverableChange)).one()
    assert change.changed_by_id is not None


async def test_history_reads_as_people_write_it(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    with Session(db) as session:
        item = session.exec(
            select(Deliverable).where(Deliverable.title == "Reeks instructievideo's ORBA")
        ).one()
    base = f"/api/groups/orba/deliverables/{item.id}"
    for path, body in (
        ("/due", {"due_on": "2027-01-01", "precision": "quarter", "reason": "Montage loopt uit"}),
        ("/status", {"status": "blocked", "reason": "Wacht op de montagefirma"}),
        ("/progress", {"progress": 80}),
    ):
        assert (await client.post(base + path, json=body)).status_code == 200
    rows = table((await client.get("/groups/orba/deliverables")).text, f"history-{item.id}")
    assert [row[1] for row in rows[1:]] == [
        "Deadline: 4e kwartaal 2026 → 1e kwartaal 2027",
        "Status: lopend → geblokkeerd",
        "Voortgang: 75/100 → 80/100",
    ]
    assert rows[1][2] == "Griet Vanhoutte" and rows[2][3] == "Wacht op de montagefirma"
