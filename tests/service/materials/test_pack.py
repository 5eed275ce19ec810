"""The pack cache: a rebuild removes the meeting's older packs, keeping the one before it."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from service.materials import materials, pack, places
from service.materials.storage import Store
from tests.factories import ACTOR, make_group, make_meeting


def test_a_rebuild_keeps_the_new_pack_and_the_one_before_it(
    session: Session, now: datetime, tmp_path: Path
) -> None:
    group = make_group(session, now=now)
    meeting = make_meeting(session, now=now, group=group, starts_in=timedelta(days=14))
    other = make_meeting(session, now=now, group=group, starts_in=timedelta(days=42))
    assert meeting.id is not None and other.id is not None
    store, cache = Store(tmp_path / "store"), tmp_path / "packs"

    def build(language: str = "nl") -> Path:
        return pack.build(session, meeting=meeting, store=store, cache=cache, language=language)

    def add_link(n: int) -> None:
        materials.add_link(
            session,
            place=places.of_meeting(meeting),
            title=f"Map {n}",
            url=f"https://share.example/{n}",
            actor=ACTOR,
            now=now,
        )

    first = build()
    english = build("en")
    elsewhere = pack.build(session, meeting=other, store=store, cache=cache, language="nl")
    outside = tmp_path / "outside.zip"
    outside.write_bytes(b"not ours")
    planted = cache / f"{first.name.rsplit('-', 1)[0]}-zzzz.zip"
    planted.symlink_to(outside)  # named like a pack of this meeting, pointing out of the folder
    assert first.name.startswith(f"meeting-{meeting.id}-nl-")
    held = first.open("rb")  # a download in progress on another worker
    add_link(1)
    second = build()
    assert second != first and first.exists()  # the one before it is kept
    add_link(2)
    third = build()
    assert not first.exists() and second.exists() and third.exists()
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        p.name for p in (second, third, english, elsewhere, planted)
    )
    assert outside.read_bytes() == b"not ours" and planted.is_symlink()
    # The removed pack is still whole for whoever had it open.
    with held:
        assert held.read()[:4] == b"PK\x03\x04"
    # Asking again for unchanged content builds nothing and removes nothing.
    assert build() == third and second.exists()
    # Only a plain language code becomes part of a file name.
    with pytest.raises(ValueError, match="not a language code"):
        build("../nl")
    assert sorted(p.name for p in cache.iterdir() if p.suffix == ".zip") == sorted(
        p.name for p in (second, third, english, elsewhere, planted)
    )
