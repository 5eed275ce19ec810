"""Homework over real HTTP: the chair sets it on the page and by API, a member answers with the
personal link (page and API), and every bad input gets the agenda form's treatment: a clear
message, what was typed kept, nothing stored."""

import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from io import BytesIO

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook
from pptx import Presentation
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.homework import HomeworkAssignment, HomeworkRevision, RevisionStatus
from models.people import Person
from service.mail import links as mail_links
from service.web.deps import get_now
from service.web.triggers import get_triggers
from tests.conftest import table_counts
from tests.web.conftest import SignIn, client_for, csrf
from tests.web.meetings.test_pages import SECRETARIAT
from tests.web.offline_triggers import OfflineTriggers

MEMBER = "sander.mertens@antwerpen.example"
QUESTIONS = {
    "title": "Stand van zaken NIS2",
    "introduction": "Kort per stad.",
    "mode": "organisation",
    "kind_1": "text", "prompt_1": "Grootste uitdaging?",
    "kind_2": "yes_no", "prompt_2": "Geregistreerd?",
    "kind_3": "one_choice", "prompt_3": "Wie is verantwoordelijk?", "choices_3": "CISO\nDPO",
    "kind_4": "several_choices", "prompt_4": "Welke maatregelen?", "choices_4": "MFA\nBack-ups",
    "kind_5": "number", "prompt_5": "Hoeveel VTE?",
    "kind_6": "file", "prompt_6": "Actieplan?",
}  # fmt: skip


def _form_token(page: httpx.Response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def _counts(db: Engine) -> dict[str, int]:
    with Session(db) as session:
        return table_counts(session)


def _assignment(db: Engine) -> HomeworkAssignment:
    with Session(db) as session:
        return session.exec(
            select(HomeworkAssignment).order_by(col(HomeworkAssignment.id).desc())
        ).first() or pytest.fail("no homework")


def _link(db: Engine, email: str, assignment: HomeworkAssignment) -> str:
    with Session(db) as session:
        person = session.exec(select(Person).where(Person.email == email)).one()
    assert assignment.id is not None and person.id is not None
    token = mail_links.homework_token(
        assignment_id=assignment.id, person_id=person.id, key="test-secret-key"
    )
    return f"/homework/{token}"


def _revisions(db: Engine) -> list[HomeworkRevision]:
    with Session(db) as session:
        return list(session.exec(select(HomeworkRevision).order_by(col(HomeworkRevision.id))))


@pytest.fixture
async def member(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A browser with no account, only the link from the mail."""
    async with client_for(app) as client:
        yield client


async def _set(sign_in: SignIn | httpx.AsyncClient, **changes: str) -> httpx.Response:
    client = sign_in if isinstance(sign_in, httpx.AsyncClient) else await sign_in(SECRETARIAT)
    return await client.post(
        "/groups/nis2/homework", data={**QUESTIONS, **changes, "csrf_token": await csrf(client)}
    )


async def test_the_chair_sets_homework_and_a_refusal_keeps_what_was_typed(
    sign_in: SignIn, db: Engine
) -> None:
    client = await sign_in(SECRETARIAT)
    await csrf(client)
    before = _counts(db)
    refused = await _set(client, choices_3="Alleen CISO")
    assert refused.status_code == 422
    assert "Geef tussen 2 en 12 keuzes, één per regel." in refused.text
    assert 'href="#choices_3"' in refused.text
    assert ">Alleen CISO</textarea>" in refused.text and 'value="Hoeveel VTE?"' in refused.text
    assert _counts(db) == before

    made = await _set(sign_in)
    assert made.status_code == 303
    assert made.headers["location"] == "/groups/nis2/homework?done=homework_set"
    assignment = _assignment(db)
    assert assignment.title == "Stand van zaken NIS2" and assignment.mode.value == "organisation"
    client = await sign_in(SECRETARIAT)
    page = await client.get(made.headers["location"])
    assert "De thuisopdracht is uitgezet" in page.text
    assert "Stand van zaken NIS2" in page.text and "(Brussel)" in page.text


async def test_setting_homework_starts_its_flow_after_the_commit(
    app: FastAPI, sign_in: SignIn, db: Engine
) -> None:
    started: list[tuple[int | None, str]] = []

    class RecordingTriggers(OfflineTriggers):
        async def advance_homework(self, *, assignment_id: int) -> str | None:
            # Read from a separate connection: the assignment must already be committed.
            with Session(db) as session:
                found = session.get(HomeworkAssignment, assignment_id)
            started.append((assignment_id, found.title if found else "not committed"))
            return "run-id"

    app.dependency_overrides[get_triggers] = lambda: RecordingTriggers()
    refused = await _set(sign_in, title=" ")
    assert refused.status_code == 422
    assert started == []
    made = await _set(sign_in)
    assert made.status_code == 303
    first = _assignment(db)
    assert started == [(first.id, "Stand van zaken NIS2")]
    client = await sign_in(SECRETARIAT)
    body = {"title": "Via de API", "questions": [{"kind": "text", "prompt": "Wie?"}]}
    assert (await client.post("/api/groups/nis2/homework", json=body)).status_code == 201
    second = _assignment(db)
    assert started[1:] == [(second.id, "Via de API")]


async def test_the_api_sets_homework_with_the_same_rules(sign_in: SignIn, db: Engine) -> None:
    client = await sign_in(SECRETARIAT)
    body = {
        "title": "Via de API",
        "questions": [
            {"kind": "one_choice", "prompt": "Wie?", "choices": ["CISO"]},
        ],
    }
    before = _counts(db)
    refused = await client.post("/api/groups/nis2/homework", json=body)
    assert refused.status_code == 422
    assert refused.json()["field"] == "choices_1"
    assert _counts(db) == before
    body["questions"][0]["choices"] = ["CISO", "DPO"]  # type: ignore[index]
    made = await client.post("/api/groups/nis2/homework", json=body)
    assert made.status_code == 201, made.text
    assert made.json()["title"] == "Via de API" and made.json()["mode"] == "organisation"
    listed = await client.get("/api/groups/nis2/homework")
    # Newest first; the demo's own homework for NIS2 comes after.
    assert [row["title"] for row in listed.json()] == [
        "Via de API",
        "Stand van de NIS2-registratie",
    ]


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"answer_5": "veel"}, "Geef een getal, bijvoorbeeld 12 of 3,5.", "answer_5"),
        ({"answer_3": "Burgemeester"}, "Kies een van de aangeboden keuzes.", "answer_3"),
        ({"answer_4": ["MFA", "Firewall"]}, "Kies uit de aangeboden keuzes.", "answer_4"),
        ({"answer_2": "misschien"}, "Antwoord ja of nee.", "answer_2"),
    ],
)
async def test_bad_answers_are_refused_with_the_typed_text_kept(
    sign_in: SignIn,
    db: Engine,
    member: httpx.AsyncClient,
    fields: dict[str, object],
    message: str,
    field: str,
) -> None:
    await _set(sign_in)
    path = _link(db, MEMBER, _assignment(db))
    page = await member.get(path)
    before = _counts(db)
    typed = {"answer_1": "Te weinig mensen <b>echt</b>", "answer_5": "2", **fields}
    sent = await member.post(path, data={"csrf_token": _form_token(page), **typed})
    assert sent.status_code == 422
    assert message in sent.text
    assert f'href="#{field}"' in sent.text and f'id="{field}-error"' in sent.text
    assert ">Te weinig mensen &lt;b&gt;echt&lt;/b&gt;</textarea>" in sent.text
    assert _counts(db) == before


async def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(
    sign_in: SignIn, db: Engine, member: httpx.AsyncClient, app: FastAPI
) -> None:
    await _set(sign_in)
    path = _link(db, MEMBER, _assignment(db))
    page = await member.get(path)
    store = app.state.settings.materials_store
    before = _counts(db)
    too_big = b"a" * (app.state.settings.material_max_megabytes * 1024 * 1024 + 1)
    sent = await member.post(
        path,
        data={"csrf_token": _form_token(page), "answer_1": "Mijn tekst"},
        files={"answer_6": ("plan.txt", BytesIO(too_big), "text/plain")},
    )
    assert sent.status_code == 422
    assert "Dit bestand is te groot: hoogstens 25 MB." in sent.text
    assert ">Mijn tekst</textarea>" in sent.text
    assert _counts(db) == before
    assert [p for p in store.rglob("*") if p.is_file()] == []


async def test_a_tampered_link_opens_nothing(
    sign_in: SignIn, db: Engine, member: httpx.AsyncClient
) -> None:
    await _set(sign_in)
    path = _link(db, MEMBER, _assignment(db))
    tampered = path[:-2] + ("AA" if not path.endswith("AA") else "BB")
    page = await member.get(tampered)
    assert page.status_code == 404
    assert "Deze link is niet geldig" in page.text
    api = await member.get("/api" + tampered)
    assert api.status_code == 404


async def test_a_member_answers_colleagues_edit_and_late_input_is_kept_apart(
    sign_in: SignIn, db: Engine, member: httpx.AsyncClient, app: FastAPI, now: datetime
) -> None:
    await _set(sign_in)
    assignment = _assignment(db)
    path = _link(db, MEMBER, assignment)
    page = await member.get(path)
    assert page.status_code == 200 and 'lang="nl"' in page.text
    assert "Eén antwoord voor Stad Antwerpen" in page.text
    answer = {
        "answer_1": "Te weinig personeel",
        "answer_2": "yes",
        "answer_3": "CISO",
        "answer_4": ["MFA", "Back-ups"],
        "answer_5": "2,5",
    }
    saved = await member.post(
        path,
        data={"csrf_token": _form_token(page), **answer},
        files={"answer_6": ("plan.txt", BytesIO(b"Actieplan\n"), "text/plain")},
    )
    assert saved.status_code == 303
    shown = await member.get(saved.headers["location"])
    assert "Je antwoord is bewaard" in shown.text
    assert 'value="2,5"' in shown.text and "Bestand verstuurd: plan.txt" in shown.text
    (first,) = _revisions(db)
    assert first.status is RevisionStatus.on_time
    assert sorted(first.answers.values(), key=str)[0] is not None

    # The API twin edits the same answer; the file is kept.
    edited = await member.put(
        "/api" + path, json={"answers": {"1": "Te weinig personeel en budget", "5": 3}}
    )
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert body["answers"]["1"] == "Te weinig personeel en budget"
    assert body["answers"]["5"] == 3.0
    assert body["answers"]["6"]["file_name"] == "plan.txt"
    assert [e["status"] for e in body["edits"]] == ["on_time", "on_time"]
    wrong = await member.put("/api" + path, json={"answers": {"5": "veel"}})
    assert wrong.status_code == 422 and wrong.json()["field"] == "answer_5"

    # After the deadline: kept as late input, said so, and the typed text stays on the page.
    app.dependency_overrides[get_now] = lambda: assignment.deadline + timedelta(minutes=1)
    page = await member.get(path)
    assert "De deadline is voorbij. Je kunt nog antwoorden" in page.text
    late = await member.post(
        path, data={"csrf_token": _form_token(page), "answer_1": "Te laat maar toch"}
    )
    assert late.status_code == 409
    assert "bewaard als late inbreng" in late.text and ">Te laat maar toch</textarea>" in late.text
    assert [r.status for r in _revisions(db)] == [
        RevisionStatus.on_time, RevisionStatus.on_time, RevisionStatus.late
    ]  # fmt: skip
    app.dependency_overrides[get_now] = lambda: now


async def test_the_summary_page_and_its_downloads(
    sign_in: SignIn, db: Engine, member: httpx.AsyncClient
) -> None:
    await _set(sign_in)
    assignment = _assignment(db)
    path = _link(db, MEMBER, assignment)
    page = await member.get(path)
    await member.post(
        path,
        data={"csrf_token": _form_token(page), "answer_1": "Budget", "answer_2": "no",
              "answer_5": "4"},
    )  # fmt: skip
    client = await sign_in(SECRETARIAT)
    base = f"/groups/nis2/homework/{assignment.id}"
    summary = await client.get(base)
    assert summary.status_code == 200
    assert "Stad Antwerpen" in summary.text and "Budget" in summary.text
    assert "dit is de samenvatting zoals de antwoorden nu staan" in summary.text
    sheet = await client.get(base + "/summary.xlsx")
    assert sheet.status_code == 200
    rows = list(load_workbook(BytesIO(sheet.content))["Antwoorden"].iter_rows(values_only=True))
    assert rows[1][:3] == ("Stad Antwerpen", "Budget", "nee")
    deck = await client.get(base + "/summary.pptx")
    assert deck.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert len(Presentation(BytesIO(deck.content)).slides) == 7
    api = await client.get(f"/api/groups/nis2/homework/{assignment.id}")
    assert api.json()["answered"] == ["Stad Antwerpen"]
    assert api.json()["questions"][1]["counts"] == {"yes": 0.0, "no": 1.0}
