"""A meeting's materials as mails and other pages name them: title, where, and an address."""

from dataclasses import dataclass

from sqlmodel import Session

from service.materials import pack


@dataclass(frozen=True)
class Mention:
    """One material: its title, the agenda item it belongs to (0: the meeting), its address."""

    title: str
    item: int
    url: str


def of_meeting(session: Session, *, meeting_id: int, slug: str, base_url: str) -> list[Mention]:
    """Every material of the meeting in agenda order; a file's address is its download page."""
    files = f"{base_url}/groups/{slug}/meetings/{meeting_id}/materials"
    return [
        Mention(
            title=entry.material.title,
            item=section.number,
            url=f"{files}/{entry.material.id}/file" if entry.latest else entry.material.url or "",
        )
        for section in pack.sections(session, meeting_id=meeting_id)
        for entry in section.listed
    ]


def for_mail(
    session: Session, *, meeting_id: int, slug: str, base_url: str
) -> list[dict[str, str]]:
    """The same, as JSON an outbox row keeps."""
    return [
        {"title": m.title, "item": str(m.item), "url": m.url}
        for m in of_meeting(session, meeting_id=meeting_id, slug=slug, base_url=base_url)
    ]
