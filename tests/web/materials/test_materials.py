"""Meeting materials through the real app: every kind of file in and out byte for byte, on the
page and by API; refused files leave nothing behind; versions; removal; who may read."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.groups import WorkingGroup
from models.materials import Material, MaterialVersion
from models.meetings import Meeting, MeetingStatus
from models.people import Person
from service.audit import Actor
from service.directory import privacy
from tests.conftest import table_counts
from tests.web.conftest import SignIn, csrf
from tests.web.materials import files

NIS2_CHAIR = "pieter.claeys@gent.example"
NIS2_MEMBER = "sander.mertens@antwerpen.example"
GDPR_MEMBER = "liesbeth.vanimpe@aalst.example"  # not in NIS2
SECRETARIAT = "griet.vanhoutte@kcvs.example"


def _meeting(db: Engine, slug: str) -> int:
    """The group's next planned meeting."""
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == slug)).one()
        found = session.exec(
            select(Meeting)
            .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.planned)
            .order_by(col(Meeting.starts_at))
        ).first()
        assert found is not None and found.id is not None
        return found.id


def _stored(app: FastAPI) -> list[Path]:
    """Every file in the materials folder, the temporary ones included."""
    root: Path = app.state.settings.materials_store
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _api(meeting_id: int, slug: str = "nis2") -> str:
    return f"/api/groups/{slug}/meetings/{meeting_id}/materials"


async def test_every_kind_of_file_goes_in_and_comes_out_byte_for_byte(
    app: FastAPI, db: Engine, sign_in: SignIn
) -> None:
    meeting_id = _meeting(db, "nis2")
    chair, member = await sign_in(NIS2_CHAIR), await sign_in(NIS2_MEMBER)
    for name, (make, media) in files.KINDS.items():
        content = make()
        added = await chair.post(
            f"{_api(meeting_id)}/files",
            data={"title": f"Bijlage {name}"},
            files={"file": (name, content, "application/octet-stream")},
        )
        assert added.status_code == 201, (name, added.text)
        version = added.json()["versions"][0]
        assert version["media_type"] == media
        assert version["size"] == len(content)
        fetched = await member.get(f"{_api(meeting_id)}/{added.json()['id']}/file")
        assert fetched.status_code == 200
        assert fetched.content == content
        assert fetched.headers["content-type"].startswith(media)
        assert fetched.headers["x-content-type-options"] == "nosniff"
        assert fetched.headers["content-security-policy"].startswith("sandbox")
        assert fetched.headers["content-disposition"].startswith("attachment;")
        assert version["file_name"] in fetched.headers["content-disposition"]
    listed = (await member.get(_api(meeting_id))).json()
    assert [m["title"] for m in listed] == [f"Bijlage {name}" for name in files.KINDS]
    # The text of office files is read once, for the search to come.
    with Session(db) as session:
        texts = {v.file_name: v.text for v in session.exec(select(MaterialVersion))}
    assert "Model verwerkersovereenkomst" in (texts["overeenkomst.docx"] or "")
    assert "ORBA demo" in (texts["demo.pptx"] or "")
    assert "Jaaroverzicht GDPR" in (texts["overzicht.odt"] or "")


async def test_a_download_answers_a_range_with_206(
    app: FastAPI, db: Engine, sign_in: SignIn
) -> None:
    meeting_id = _meeting(db, "nis2")
    chair = await sign_in(NIS2_CHAIR)
    content = files.pdf()
    added = await chair.post(
        f"{_api(meeting_id)}/files",
        data={"title": "Verslag"},
        files={"file": ("verslag.pdf", content, "application/pdf")},
    )
    part = await chair.get(
        f"{_api(meeting_id)}/{added.json()['id']}/file", headers={"Range": "bytes=0-9"}
    )
    assert part.status_code == 206
    assert part.content == content[:10]


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("programma.pdf", files.executable, "Dit soort bestand kan niet worden toegevoegd"),
        ("pagina.html", lambda: b"<html><script>alert(1)</script></html>", "Dit soort bestand"),
        ("bom.docx", files.zip_bomb, "pakt uit tot veel meer dan zijn grootte"),
        ("leeg.txt", lambda: b"", "Dit bestand is leeg."),
        ("groot.txt", lambda: b"a" * (1024 * 1024 + 1), "Dit bestand is te groot: hoogstens 1 MB."),
    ],
)
async def test_a_refused_file_leaves_nothing_behind(
    app: FastAPI,
    db: Engine,
    sign_in: SignIn,
    name: str,
    make: Callable[[], bytes],
    message: str,
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"material_max_megabytes": 1})
    meeting_id = _meeting(db, "nis2")
    chair = await sign_in(NIS2_CHAIR)
    with Session(db) as session:
        before = table_counts(session)
    answer = await chair.post(
        f"{_api(meeting_id)}/files",
        data={"title": "Iets"},
        files={"file": (name, make(), "application/pdf")},
    )
    assert answer.status_code == 422
    assert message in answer.json()["detail"]
    # And on the page: the same refusal, the page again, nothing kept.
    page = f"/groups/nis2/meetings/{meeting_id}/materials"
    token = await csrf(chair)
    shown = await chair.post(
        f"{page}/files",
        data={"title": "Iets", "csrf_token": token},
        files={"file": (name, make(), "application/pdf")},
    )
    assert shown.status_code == 422
    assert message in shown.text
    with Session(db) as session:
        assert table_counts(session) == before
    assert _stored(app) == []


async def test_a_new_version_keeps_the_old_one_and_removal_keeps_a_record(
    app: FastAPI, db: Engine, sign_in: SignIn
) -> None:
    meeting_id = _meeting(db, "nis2")
    chair, member = await sign_in(NIS2_CHAIR), await sign_in(NIS2_MEMBER)
    page = f"/groups/nis2/meetings/{meeting_id}/materials"
    token = await csrf(chair)
    first, second = files.docx("Versie een"), files.docx("Versie twee")
    added = await chair.post(
        f"{page}/files",
        data={"title": "Modelovereenkomst", "csrf_token": token},
        files={"file": ("model.docx", first, "application/octet-stream")},
    )
    assert added.status_code == 303
    shown = await chair.get(added.headers["location"])
    assert "Het materiaal is aan de vergadering toegevoegd." in shown.text
    (material_id,) = {int(i) for i in re.findall(r"/materials/(\d+)/file", shown.text)}
    replaced = await chair.post(
        f"{page}/{material_id}/versions",
        data={"csrf_token": token},
        files={"file": ("model-v2.docx", second, "application/octet-stream")},
    )
    assert replaced.status_code == 303
    assert (await member.get(f"{page}/{material_id}/file")).content == second
    assert (await member.get(f"{page}/{material_id}/file?version=1")).content == first
    assert (await member.get(f"{page}/{material_id}/file?version=3")).status_code == 404
    listing = (await member.get(_api(meeting_id))).json()
    assert [v["number"] for v in listing[0]["versions"]] == [2, 1]

    removed = await chair.post(f"{page}/{material_id}/remove", data={"csrf_token": token})
    assert removed.status_code == 303
    assert (await member.get(_api(meeting_id))).json() == []
    assert (await member.get(f"{page}/{material_id}/file")).status_code == 404
    with Session(db) as session:
        row = session.get(Material, material_id)
        assert row is not None and row.removed_at is not None


async def test_links_only_https_and_members_only_read(
    app: FastAPI, db: Engine, sign_in: SignIn
) -> None:
    meeting_id = _meeting(db, "nis2")
    chair, member = await sign_in(NIS2_CHAIR), await sign_in(NIS2_MEMBER)
    for bad in ("javascript:alert(1)", "data:text/html,x", "http://example.org/x", "map"):
        refused = await chair.post(f"{_api(meeting_id)}/links", json={"title": "X", "url": bad})
        assert refused.status_code == 422, bad
        assert refused.json()["detail"] == "Een link moet een volledig https://-adres zijn."
    made = await chair.post(
        f"{_api(meeting_id)}/links",
        json={"title": "Gedeelde map", "url": "https://share.kcvs.example/nis2"},
    )
    assert made.status_code == 201
    assert made.json()["kind"] == "link" and made.json()["versions"] == []
    # A member reads but does not add.
    denied = await member.post(
        f"{_api(meeting_id)}/links", json={"title": "X", "url": "https://example.org"}
    )
    assert denied.status_code == 403
    page = await member.get(f"/groups/nis2/meetings/{meeting_id}/materials")
    assert "https://share.kcvs.example/nis2" in page.text
    assert "Voeg het bestand toe" not in page.text


async def test_a_material_cannot_be_reached_through_another_meeting(
    app: FastAPI, db: Engine, sign_in: SignIn
) -> None:
    nis2, gdpr = _meeting(db, "nis2"), _meeting(db, "gdpr")
    secretariat = await sign_in(SECRETARIAT)
    added = await secretariat.post(
        f"{_api(nis2)}/files",
        data={"title": "Intern"},
        files={"file": ("intern.pdf", files.pdf(), "application/pdf")},
    )
    material_id = added.json()["id"]
    outsider = await sign_in(GDPR_MEMBER)
    guessed = await outsider.get(f"{_api(gdpr, 'gdpr')}/{material_id}/file")
    unknown = await outsider.get(f"{_api(gdpr, 'gdpr')}/999999/file")
    assert guessed.status_code == unknown.status_code == 404
    assert guessed.json() == unknown.json()
    assert (await outsider.get(f"{_api(nis2)}/{material_id}/file")).status_code == 403


async def test_an_erasure_keeps_the_file_and_forgets_who_added_it(
    app: FastAPI, db: Engine, sign_in: SignIn
) -> None:
    meeting_id = _meeting(db, "nis2")
    chair, secretariat = await sign_in(NIS2_CHAIR), await sign_in(SECRETARIAT)
    added = await chair.post(
        f"{_api(meeting_id)}/files",
        data={"title": "Slides"},
        files={"file": ("slides.pptx", files.pptx(), "application/octet-stream")},
    )
    with Session(db) as session:
        person = session.exec(select(Person).where(Person.email == NIS2_CHAIR)).one()
        assert person.id is not None
        exported = privacy.export(session, person_id=person.id)
        assert [m["title"] for m in exported["material"]] == ["Slides"]
        assert len(exported["material_version"]) == 1
        privacy.erase(
            session, person_id=person.id, actor=Actor.system("test"), now=person.created_at
        )
        session.commit()
        material = session.get(Material, added.json()["id"])
        assert material is not None and material.added_by_id is None
    fetched = await secretariat.get(f"{_api(meeting_id)}/{added.json()['id']}/file")
    assert fetched.status_code == 200
