"""Minutes are written in Markdown and read as formatted text, never as markup someone typed."""

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.groups import WorkingGroup
from models.meetings import Meeting, MeetingStatus
from models.minutes import MinutesVersion
from tests.web.conftest import SignIn, csrf

NIS2_CHAIR = "pieter.claeys@gent.example"
NIS2_MEMBER = "sander.mertens@antwerpen.example"
BODY = (
    "## Aanwezig\n\n- Pieter Claeys (Stad Gent)\n- Sander Mertens (Stad Antwerpen)\n\n"
    "**Besluit**: de NIS2-lijst gaat naar de directies.\n\n"
    "<script>alert('x')</script> [klik](javascript:alert(1))\n"
)


def _last_held(db: Engine) -> Meeting:
    with Session(db) as session:
        group = session.exec(select(WorkingGroup).where(WorkingGroup.slug == "nis2")).one()
        found = session.exec(
            select(Meeting)
            .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.held)
            .order_by(col(Meeting.starts_at).desc())
        ).first()
        assert found is not None
        return found


async def test_minutes_read_as_formatted_text(sign_in: SignIn, db: Engine) -> None:
    meeting = _last_held(db)
    base = f"/groups/nis2/meetings/{meeting.id}/minutes"
    chair = await sign_in(NIS2_CHAIR)
    token = await csrf(chair)
    assert (await chair.post(base, data={"csrf_token": token})).status_code == 303
    with Session(db) as session:
        version = session.exec(
            select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id)
        ).one()
    edited = await chair.post(
        f"/groups/nis2/minutes/{version.id}/edit", data={"csrf_token": token, "body": BODY}
    )
    assert edited.status_code == 303
    page = (await (await sign_in(NIS2_MEMBER)).get(base)).text
    assert "<h2>Aanwezig</h2>" in page
    assert "<li>Sander Mertens (Stad Antwerpen)</li>" in page
    assert "<strong>Besluit</strong>" in page
    # What someone typed as markup is shown as text, and a script link is not a link.
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    assert 'href="javascript:' not in page
