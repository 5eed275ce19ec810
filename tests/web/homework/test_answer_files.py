"""A file answer over real HTTP: the chair, the secretariat and the answering organisation
download it (page and API) as an attachment no browser runs; anyone else gets the very 404 of
an unknown file; the summary links it only for those who may have it, the workbook for all."""

import re
from collections.abc import AsyncIterator
from io import BytesIO

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.homework import HomeworkAnswer, HomeworkQuestion, QuestionKind
from tests.web.conftest import SignIn, client_for
from tests.web.homework.test_homework_pages import MEMBER, _assignment, _form_token, _link, _set
from tests.web.meetings.test_pages import SECRETARIAT

CHAIR = "pieter.claeys@gent.example"
OBSERVER = "ellen.vercammen@abb.example"  # reads the group, of another organisation
DIRECTOR = "koenraad.despriet@kortrijk.example"  # reads everything, changes nothing
PLAN = b"Actieplan NIS2\nStap 1: registreren.\n"


@pytest.fixture
async def member(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A browser with no account, only the link from the mail."""
    async with client_for(app) as client:
        yield client


async def _answered_with_a_file(
    sign_in: SignIn, db: Engine, member: httpx.AsyncClient
) -> tuple[str, str]:
    """Antwerpen answers with a file; the summary's path and the file's path part."""
    await _set(sign_in)
    assignment = _assignment(db)
    path = _link(db, MEMBER, assignment)
    page = await member.get(path)
    sent = await member.post(
        path,
        data={"csrf_token": _form_token(page), "answer_1": "Budget"},
        files={"answer_6": ("Plan NIS2 <v2>;.txt", BytesIO(PLAN), "text/plain")},
    )
    assert sent.status_code == 303
    with Session(db) as session:
        answer = session.exec(
            select(HomeworkAnswer).where(HomeworkAnswer.assignment_id == assignment.id)
        ).one()
        question = session.exec(
            select(HomeworkQuestion).where(
                HomeworkQuestion.assignment_id == assignment.id,
                col(HomeworkQuestion.kind) == QuestionKind.file,
            )
        ).one()
    base = f"/groups/nis2/homework/{assignment.id}"
    return base, f"/files/{answer.id}/{question.id}"


async def test_those_who_may_download_the_file_on_both_doors(
    sign_in: SignIn, db: Engine, member: httpx.AsyncClient
) -> None:
    base, file = await _answered_with_a_file(sign_in, db, member)
    for email in (SECRETARIAT, CHAIR, MEMBER):
        client = await sign_in(email)
        for prefix in ("", "/api"):
            got = await client.get(prefix + base + file)
            assert got.status_code == 200, (email, prefix)
            assert got.content == PLAN
            assert got.headers["content-type"].startswith("text/plain")
            assert got.headers["content-disposition"] == 'attachment; filename="Plan-NIS2-v2.txt"'
            assert got.headers["x-content-type-options"] == "nosniff"
            assert got.headers["content-security-policy"] == "sandbox; default-src 'none'"
        summary = await client.get(base)
        assert f'<a href="{base}{file}" download>Plan-NIS2-v2.txt</a>' in summary.text


async def test_anyone_else_gets_the_404_of_an_unknown_file(
    sign_in: SignIn, db: Engine, member: httpx.AsyncClient
) -> None:
    base, file = await _answered_with_a_file(sign_in, db, member)
    answer_id, question_id = (int(part) for part in file.split("/")[2:])
    secretariat = await sign_in(SECRETARIAT)
    unknown = [
        f"/files/{answer_id + 1000}/{question_id}",  # no such answer
        f"/files/{answer_id}/{question_id - 1}",  # a question that is not a file
        f"/files/{answer_id}/{question_id + 1000}",  # no such question
    ]
    for path in unknown:
        for prefix in ("", "/api"):
            assert (await secretariat.get(prefix + base + path)).status_code == 404
    other_group = re.sub(r"^/groups/nis2/", "/groups/gdpr/", base)
    assert (await secretariat.get(other_group + file)).status_code == 404
    refused = await secretariat.get("/api" + base + unknown[0])
    for email in (OBSERVER, DIRECTOR):
        client = await sign_in(email)
        api = await client.get("/api" + base + file)
        assert (api.status_code, api.json()) == (404, refused.json())
        page = await client.get(base + file)
        assert page.status_code == 404
        assert PLAN not in page.content
        summary = await client.get(base)
        assert "Plan-NIS2-v2.txt" in summary.text and f"{base}{file}" not in summary.text


@pytest.mark.parametrize("email", [SECRETARIAT, OBSERVER])
async def test_the_workbook_links_each_file_to_its_download(
    app: FastAPI, sign_in: SignIn, db: Engine, member: httpx.AsyncClient, email: str
) -> None:
    base, file = await _answered_with_a_file(sign_in, db, member)
    client = await sign_in(email)
    sheet = await client.get(base + "/summary.xlsx")
    rows = list(load_workbook(BytesIO(sheet.content))["Antwoorden"].iter_rows())
    linked = [(c.value, c.hyperlink.target) for r in rows for c in r if c.hyperlink is not None]
    public = app.state.settings.public_url.rstrip("/")
    assert linked == [("Plan-NIS2-v2.txt", public + base + file)]
