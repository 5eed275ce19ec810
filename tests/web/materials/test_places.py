"""Materials on agenda items (the presenter adds), in a group's library, public ones, the pack."""

import hashlib
import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.materials import Material
from models.meetings import Meeting, MeetingStatus
from models.people import Person
from tests.conftest import table_counts
from tests.web.agenda.test_review import closed_call_for_next_meeting
from tests.web.conftest import SignIn, client_for, csrf
from tests.web.materials import files

CHAIR = "pieter.claeys@gent.example"
MEMBER = "sander.mertens@antwerpen.example"
OTHER_MEMBER = "evelien.janssens@leuven.example"
OUTSIDER = "liesbeth.vanimpe@aalst.example"  # a GDPR member, not in NIS2
SECRETARIAT = "griet.vanhoutte@kcvs.example"


def _person_id(db: Engine, email: str) -> int:
    with Session(db) as session:
        person = session.exec(select(Person).where(Person.email == email)).one()
        assert person.id is not None
        return person.id


async def _published(
    db: Engine, now: datetime, sign_in: SignIn
) -> tuple[int, list[dict[str, Any]]]:
    """The next NIS2 meeting with a published agenda, and the items on it, in order."""
    meeting_id = closed_call_for_next_meeting(db, now)
    chair = await sign_in(CHAIR)
    base = f"/api/groups/nis2/meetings/{meeting_id}/agenda"
    assert (await chair.post(f"{base}/draft", json={})).status_code == 201
    published = (await chair.post(f"{base}/publish", json={})).json()
    items = [i for i in published["items"] if i["status"] == "accepted"]
    assert len(items) >= 3
    return meeting_id, sorted(items, key=lambda i: i["position"])


async def test_a_presenter_adds_to_their_item_and_the_pack_follows_the_agenda(
    app: FastAPI, db: Engine, now: datetime, sign_in: SignIn
) -> None:
    meeting_id, items = await _published(db, now, sign_in)
    api = f"/api/groups/nis2/meetings/{meeting_id}/materials"
    page = f"/groups/nis2/meetings/{meeting_id}/materials"
    chair, member = await sign_in(CHAIR), await sign_in(MEMBER)
    other = await sign_in(OTHER_MEMBER)
    second, third = items[1]["item_key"], items[2]["item_key"]
    named = await chair.put(
        f"{api}/presenters", json={"item_key": second, "person_id": _person_id(db, MEMBER)}
    )
    assert named.status_code == 200
    # The member presents the second item: they add to it, and nowhere else.
    slides = files.pptx("NIS2 incidentmelding")
    added = await member.post(
        f"{api}/files",
        data={"title": "Presentatie", "item_key": str(second)},
        files={"file": ("melding.pptx", slides, "application/octet-stream")},
    )
    assert added.status_code == 201, added.text
    assert added.json()["item_key"] == second
    with Session(db) as session:
        before = table_counts(session)
    for client, item in ((member, third), (member, None), (other, second)):
        refused = await client.post(
            f"{api}/links",
            json={"title": "X", "url": "https://example.org/x", "item_key": item},
        )
        assert refused.status_code == 403, (item, refused.text)
        assert refused.json()["detail"] == (
            "Alleen de voorzitter, het secretariaat en wie het punt voorstelt,"
            " kunnen hier materiaal toevoegen."
        )
    unknown_item = await chair.post(
        f"{api}/links", json={"title": "X", "url": "https://example.org/x", "item_key": 999}
    )
    assert unknown_item.status_code == 404
    with Session(db) as session:
        assert table_counts(session) == before
    # On the page: the presenter's form offers only their item; the chair adds to the meeting.
    shown = await member.get(page)
    assert f'<option value="{second}">2. {items[1]["title"]}</option>' in shown.text
    assert f'<option value="{third}">' not in shown.text
    token = await csrf(member)
    by_page = await member.post(
        f"{page}/files",
        data={"title": "Cijfers", "item": str(second), "csrf_token": token},
        files={"file": ("cijfers.xlsx", files.xlsx(), "application/octet-stream")},
    )
    assert by_page.status_code == 303
    agenda_pdf = files.pdf()
    await chair.post(
        f"{api}/files",
        data={"title": "Toelichting"},
        files={"file": ("toelichting.pdf", agenda_pdf, "application/pdf")},
    )
    await chair.post(
        f"{api}/files",
        data={"title": "Achtergrond", "item_key": str(items[0]["item_key"])},
        files={"file": ("achtergrond.docx", files.docx(), "application/octet-stream")},
    )
    await chair.post(
        f"{api}/links",
        json={"title": "Map", "url": "https://share.kcvs.example/nis2", "item_key": third},
    )
    # The pack: the agenda, then the meeting's own files, then item by item.
    packed = await member.get(f"{page}/pack")
    assert packed.status_code == 200
    assert packed.headers["content-type"] == "application/zip"
    assert packed.headers["content-disposition"].startswith("attachment;")
    assert packed.headers["x-content-type-options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(packed.content))
    assert archive.namelist() == [
        "00-agenda.html",
        "00-01-toelichting.pdf",
        "01-01-achtergrond.docx",
        "02-01-melding.pptx",
        "02-02-cijfers.xlsx",
    ]
    assert archive.read("02-01-melding.pptx") == slides
    assert archive.read("00-01-toelichting.pdf") == agenda_pdf
    agenda = archive.read("00-agenda.html").decode()
    assert "https://share.kcvs.example/nis2" in agenda
    assert agenda.index(items[0]["title"]) < agenda.index(items[1]["title"])
    # Built once per content: the same zip again (the API's too), a 304 for a reader who has it.
    cache: Path = app.state.settings.data_dir / "packs"
    assert _zips(cache) == 1
    again = await chair.get(f"{api}/pack")
    assert again.content == packed.content and again.headers["etag"] == packed.headers["etag"]
    held = await member.get(f"{page}/pack", headers={"If-None-Match": packed.headers["etag"]})
    assert held.status_code == 304 and held.content == b""
    assert _zips(cache) == 1
    # The minutes page shows the materials beside the text.
    shown = await member.get(f"/groups/nis2/meetings/{meeting_id}/minutes")
    assert 'aria-labelledby="materials-heading"' in shown.text
    assert f'<a href="{page}/{added.json()["id"]}/file">Presentatie</a>' in shown.text
    assert f'<a href="{page}/pack">' in shown.text
    # A new version changes the pack.
    material_id = added.json()["id"]
    newer = files.pptx("NIS2 incidentmelding v2")
    replaced = await member.post(
        f"{api}/{material_id}/versions",
        files={"file": ("melding.pptx", newer, "application/octet-stream")},
    )
    assert replaced.status_code == 201
    rebuilt = zipfile.ZipFile(io.BytesIO((await member.get(f"{page}/pack")).content))
    assert rebuilt.read("02-01-melding.pptx") == newer
    assert _zips(cache) == 2


async def test_a_download_answers_304_to_a_reader_who_has_it(
    app: FastAPI, db: Engine, sign_in: SignIn
) -> None:
    chair = await sign_in(SECRETARIAT)
    library = "/api/groups/gdpr/library"
    content = files.odt()
    added = await chair.post(
        f"{library}/files",
        data={"title": "Jaaroverzicht"},
        files={"file": ("overzicht.odt", content, "application/octet-stream")},
    )
    url = f"{library}/{added.json()['id']}/file"
    first = await chair.get(url)
    assert first.content == content
    held = await chair.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert held.status_code == 304
    assert held.headers["etag"] == first.headers["etag"]
    other = await chair.get(url, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == content


async def test_the_library_is_the_groups_own(app: FastAPI, db: Engine, sign_in: SignIn) -> None:
    chair, member = await sign_in(CHAIR), await sign_in(MEMBER)
    page, api = "/groups/nis2/library", "/api/groups/nis2/library"
    token = await csrf(chair)
    model = files.docx("Model verwerkersovereenkomst")
    added = await chair.post(
        f"{page}/files",
        data={"title": "Modelovereenkomst", "csrf_token": token},
        files={"file": ("model.docx", model, "application/octet-stream")},
    )
    assert added.status_code == 303
    shown = await member.get(added.headers["location"])
    assert "Het materiaal is aan de bibliotheek toegevoegd." in shown.text
    listed = (await member.get(api)).json()
    assert [(m["title"], m["item_key"]) for m in listed] == [("Modelovereenkomst", None)]
    material_id = listed[0]["id"]
    fetched = await member.get(f"{page}/{material_id}/file")
    assert fetched.content == model
    assert fetched.headers["content-disposition"] == 'attachment; filename="model.docx"'
    assert fetched.headers["content-security-policy"] == "sandbox; default-src 'none'"
    # A library file is no meeting's material, and a member does not add to the library.
    with Session(db) as session:
        assert session.get(Material, material_id).meeting_id is None  # type: ignore[union-attr]
    denied = await member.post(f"{api}/links", json={"title": "X", "url": "https://example.org"})
    assert denied.status_code == 403
    # Another group's member guessing the address: the same answer as an unknown one.
    outsider = await sign_in(OUTSIDER)
    guessed = await outsider.get(f"/api/groups/gdpr/library/{material_id}/file")
    unknown = await outsider.get("/api/groups/gdpr/library/999999/file")
    assert guessed.status_code == unknown.status_code == 404
    assert guessed.json() == unknown.json()
    guessed_page = await outsider.get(f"/groups/gdpr/library/{material_id}/file")
    assert guessed_page.status_code == 404
    assert (await outsider.get(f"{api}/{material_id}/file")).status_code == 403
    # Archiving a group keeps its materials readable for the secretariat.
    secretariat = await sign_in(SECRETARIAT)
    started = await secretariat.post(
        "/api/groups",
        json={"slug": "energie", "short_name": "Energie", "name": "Werkgroep Energie"},
    )
    assert started.status_code == 201
    overview = files.pdf()
    kept = await secretariat.post(
        "/api/groups/energie/library/files",
        data={"title": "Jaaroverzicht"},
        files={"file": ("jaaroverzicht.pdf", overview, "application/pdf")},
    )
    archived = await secretariat.post("/api/groups/energie/archive", json={})
    assert archived.status_code == 200, archived.text
    read = await secretariat.get(f"/api/groups/energie/library/{kept.json()['id']}/file")
    assert read.status_code == 200 and read.content == overview
    removed = await chair.delete(f"{api}/{material_id}")
    assert removed.status_code == 200
    assert (await member.get(api)).json() == []


async def test_a_public_meeting_may_open_single_materials(
    app: FastAPI, db: Engine, sign_in: SignIn
) -> None:
    meeting_id = _meeting(db)
    api = f"/api/groups/nis2/meetings/{meeting_id}/materials"
    public = f"/public/groups/nis2/meetings/{meeting_id}/materials"
    chair = await sign_in(CHAIR)
    content = files.pdf()
    made = [
        (
            await chair.post(
                f"{api}/files",
                data={"title": title},
                files={"file": (f"{title}.pdf", content, "application/pdf")},
            )
        ).json()["id"]
        for title in ("open", "intern")
    ]
    refused = await chair.put(f"{api}/{made[0]}/public", json={"public": True})
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        "Alleen materiaal van een openbare vergadering kan openbaar worden gemaakt."
    )
    with Session(db) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        meeting.is_public = True
        session.add(meeting)
        session.commit()
    opened = await chair.put(f"{api}/{made[0]}/public", json={"public": True})
    assert opened.status_code == 200 and opened.json()["public"] is True
    shown = await chair.get(f"/groups/nis2/meetings/{meeting_id}/materials")
    assert f'<a href="{public}/{made[0]}/file">openbaar adres</a>' in shown.text
    assert f"{public}/{made[1]}/file" not in shown.text
    anonymous = client_for(app)
    fetched = await anonymous.get(f"{public}/{made[0]}/file")
    assert fetched.status_code == 200 and fetched.content == content
    assert fetched.headers["x-content-type-options"] == "nosniff"
    closed = await anonymous.get(f"{public}/{made[1]}/file")
    unknown = await anonymous.get(f"{public}/999999/file")
    assert closed.status_code == unknown.status_code == 404
    assert closed.json() == unknown.json()
    # The group's own pages stay closed to someone not signed in.
    assert (await anonymous.get(f"{api}/{made[0]}/file")).status_code == 401
    # Taken back on the page: no longer readable without signing in.
    token = await csrf(chair)
    back = await chair.post(
        f"/groups/nis2/meetings/{meeting_id}/materials/{made[0]}/public",
        data={"csrf_token": token},
    )
    assert back.status_code == 303
    assert (await anonymous.get(f"{public}/{made[0]}/file")).status_code == 404


def _zips(cache: Path) -> int:
    """How many packs the cache holds."""
    return len(list(cache.glob("*.zip")))


def _meeting(db: Engine) -> int:
    """The NIS2 group's next planned meeting."""
    with Session(db) as session:
        found = session.exec(
            select(Meeting)
            .where(col(Meeting.title).startswith("Werkgroep NIS2"))
            .where(Meeting.status == MeetingStatus.planned)
            .order_by(col(Meeting.starts_at))
        ).first()
        assert found is not None and found.id is not None
        return found.id


async def test_a_meeting_and_a_library_each_have_a_total(
    app: FastAPI, db: Engine, sign_in: SignIn
) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={"material_max_megabytes": 1, "meeting_materials_max_megabytes": 1}
    )
    meeting_id = _meeting(db)
    api = f"/api/groups/nis2/meetings/{meeting_id}/materials"
    chair = await sign_in(CHAIR)
    half = b"a" * (600 * 1024)
    first = await chair.post(
        f"{api}/files", data={"title": "Eerste"}, files={"file": ("een.txt", half, "text/plain")}
    )
    assert first.status_code == 201
    with Session(db) as session:
        before = table_counts(session)
    second = await chair.post(
        f"{api}/files", data={"title": "Tweede"}, files={"file": ("twee.txt", half, "text/plain")}
    )
    assert second.status_code == 422
    assert second.json()["detail"] == (
        "Het materiaal van deze vergadering zou samen meer dan 1 MB worden."
    )
    with Session(db) as session:
        assert table_counts(session) == before
    # The library counts apart from the meeting.
    kept = await chair.post(
        "/api/groups/nis2/library/files",
        data={"title": "Tweede"},
        files={"file": ("twee.txt", half, "text/plain")},
    )
    assert kept.status_code == 201


async def test_every_kind_of_file_through_the_library_page(
    app: FastAPI, db: Engine, sign_in: SignIn
) -> None:
    chair, member = await sign_in(CHAIR), await sign_in(MEMBER)
    token = await csrf(chair)
    sent = {name: make() for name, (make, _media) in files.KINDS.items()}
    for name, content in sent.items():
        added = await chair.post(
            "/groups/nis2/library/files",
            data={"title": name, "csrf_token": token},
            files={"file": (name, content, "application/octet-stream")},
        )
        assert added.status_code == 303, name
    listed = (await member.get("/api/groups/nis2/library")).json()
    assert [m["title"] for m in listed] == list(files.KINDS)
    for entry in listed:
        media = files.KINDS[entry["title"]][1]
        fetched = await member.get(f"/groups/nis2/library/{entry['id']}/file")
        assert fetched.headers["content-type"].startswith(media)
        assert fetched.headers["content-disposition"] == (
            f'attachment; filename="{entry["versions"][0]["file_name"]}"'
        )
        assert fetched.headers["x-content-type-options"] == "nosniff"
        assert fetched.content == sent[entry["title"]]
        assert hashlib.sha256(fetched.content).hexdigest() == entry["versions"][0]["content_hash"]
