"""A stand-in reads the materials of the one meeting they stand in at, and nothing else."""

import io
import zipfile

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from models.notifications import Notification
from models.people import Person
from service.mail import links
from tests.web.conftest import SignIn, client_for, csrf
from tests.web.materials import files

SECRETARIAT = "griet.vanhoutte@kcvs.example"
MEMBER = "sander.mertens@antwerpen.example"  # NIS2 member of Stad Antwerpen
STAND_IN = "lotte.smet@antwerpen.example"
MEETING = {"field": "meeting"}


def _meetings(db: Engine) -> tuple[int, int, int]:
    """The NIS2 group's next planned meeting, its latest other meeting, and the member's id."""
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "nis2")).one()
        planned = session.exec(
            select(Meeting.id)
            .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.planned)
            .order_by(col(Meeting.starts_at))
        ).first()
        other = session.exec(
            select(Meeting.id)
            .where(Meeting.group_id == group.id, Meeting.id != planned)
            .order_by(col(Meeting.starts_at).desc())
        ).first()
        member = session.exec(select(Person.id).where(Person.email == MEMBER)).one()
        assert planned is not None and other is not None and member is not None
        return planned, other, member


async def _answer(app: FastAPI, meeting_id: int, person_id: int, form: dict[str, str]) -> None:
    """The member answers through their personal link."""
    token = links.answer_token(meeting_id=meeting_id, person_id=person_id, key="test-secret-key")
    async with client_for(app) as client:
        sent = await client.post(
            f"/answer/{token}", data={**form, "csrf_token": await csrf(client)}
        )
    assert sent.status_code == 303, sent.text


async def test_a_stand_in_reads_that_meetings_materials_and_nothing_else(
    app: FastAPI, db: Engine, sign_in: SignIn
) -> None:
    here, elsewhere, member_id = _meetings(db)
    secretariat = await sign_in(SECRETARIAT)
    content, other = files.pdf(), files.docx()
    added = {}
    for meeting_id, name, body in ((here, "stuk.pdf", content), (elsewhere, "ander.docx", other)):
        made = await secretariat.post(
            f"/api/groups/nis2/meetings/{meeting_id}/materials/files",
            data={"title": "Stuk"},
            files={"file": (name, body, "application/octet-stream")},
        )
        assert made.status_code == 201
        added[meeting_id] = made.json()["id"]
    library = await secretariat.post(
        "/api/groups/nis2/library/files",
        data={"title": "Model"},
        files={"file": ("model.docx", other, "application/octet-stream")},
    )
    assert library.status_code == 201
    await _answer(
        app,
        here,
        member_id,
        {"choice": "stand_in", "stand_in_name": "Lotte Smet", "stand_in_email": STAND_IN},
    )
    with Session(db) as session:
        lotte = session.exec(select(Person).where(Person.email == STAND_IN)).one()
        invited = session.exec(
            select(Notification).where(Notification.recipient_person_id == lotte.id)
        ).one()
    # The invitation carries the materials link, as members' invitations do, and its link to
    # Overleg is that page too: the group's pages would answer the stand-in 403.
    materials = f"{app.state.settings.public_url}/groups/nis2/meetings/{here}/materials"
    assert invited.context["materials_url"] == invited.context["url"] == materials
    stand_in = await sign_in(STAND_IN)
    page, api = f"/groups/nis2/meetings/{here}/materials", f"/api/groups/nis2/meetings/{here}"
    assert (await stand_in.get(page)).status_code == 200
    shown = await stand_in.get(page)
    assert shown.status_code == 200
    assert f'<a href="{page}/{added[here]}/file">stuk.pdf</a>' in shown.text
    # No way into the group's pages they may not open: the meeting's page, the library.
    assert f'href="/groups/nis2/meetings/{here}"' not in shown.text
    assert 'href="/groups/nis2/library"' not in shown.text
    assert "Voeg het bestand toe" not in shown.text  # reads, does not add
    listed = await stand_in.get(f"{api}/materials")
    assert [m["id"] for m in listed.json()] == [added[here]]
    for path in (f"{page}/{added[here]}/file", f"{api}/materials/{added[here]}/file"):
        fetched = await stand_in.get(path)
        assert fetched.status_code == 200 and fetched.content == content
        assert fetched.headers["content-disposition"].startswith("attachment;")
    for path in (f"{page}/pack", f"{api}/materials/pack"):
        packed = await stand_in.get(path)
        assert packed.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(packed.content))
        assert archive.namelist() == ["00-agenda.html", "00-01-stuk.pdf"]
        assert archive.read("00-01-stuk.pdf") == content
    refused = await stand_in.post(
        f"{api}/materials/links", json={"title": "X", "url": "https://example.org"}
    )
    assert refused.status_code == 403
    # Another meeting of the group: the same answer as a meeting that does not exist.
    other_api = f"/api/groups/nis2/meetings/{elsewhere}/materials"
    unknown_api = "/api/groups/nis2/meetings/999999/materials"
    for tail in ("", "/pack", f"/{added[elsewhere]}/file"):
        guessed, unknown = (
            await stand_in.get(other_api + tail),
            await stand_in.get(unknown_api + tail),
        )
        assert guessed.status_code == unknown.status_code == 404
        assert guessed.json() == {"detail": f"Onbekende vergadering: {elsewhere}.", **MEETING}
        assert unknown.json() == {"detail": "Onbekende vergadering: 999999.", **MEETING}
        assert (await stand_in.get(other_api.removeprefix("/api") + tail)).status_code == 404
    # The material of this meeting asked through the other meeting: unknown too.
    assert (await stand_in.get(f"{other_api}/{added[here]}/file")).status_code == 404
    # Nothing of the group beyond the meeting's materials: its library, its pages.
    assert (await stand_in.get("/api/groups/nis2/library")).status_code == 403
    assert (
        await stand_in.get(f"/api/groups/nis2/library/{library.json()['id']}/file")
    ).status_code == 403
    assert (await stand_in.get(f"/groups/nis2/meetings/{here}")).status_code == 403
    # The member answers again: the stand-in no longer holds, the meeting is unknown to them.
    await _answer(app, here, member_id, {"choice": "in_person"})
    gone = await stand_in.get(f"{api}/materials/{added[here]}/file")
    assert gone.status_code == 404
    assert gone.json() == {"detail": f"Onbekende vergadering: {here}.", **MEETING}
    assert (await stand_in.get(page)).status_code == 404


async def test_someone_who_stands_in_nowhere_is_refused_as_before(
    app: FastAPI, db: Engine, sign_in: SignIn
) -> None:
    here, _elsewhere, _member = _meetings(db)
    outsider = await sign_in("liesbeth.vanimpe@aalst.example")  # a GDPR member
    api = f"/api/groups/nis2/meetings/{here}/materials"
    for path in (api, f"{api}/pack", f"/groups/nis2/meetings/{here}/materials"):
        assert (await outsider.get(path)).status_code == 403
    assert (await outsider.get("/api/groups/nis2/meetings/999999/materials")).status_code == 404
