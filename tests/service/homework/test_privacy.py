"""Homework joins a person's export and erasure: their edits are theirs, the answers stay."""

from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from models.homework import HomeworkAnswer, HomeworkAssignment, HomeworkRevision
from service.directory import privacy
from tests import homework_scenario as hw
from tests.factories import ACTOR


def test_export_lists_a_members_edits_and_erasure_keeps_the_answer_without_them(
    session: Session, tmp_path: Path
) -> None:
    world = hw.build(session)
    assignment = hw.set_homework(session, world)
    store = hw.shelf(tmp_path)
    first, second = world.people["Gent"]
    at = hw.SET_AT + timedelta(days=1)
    hw.answer(session, assignment, first, hw.GENT_FIRST, now=at, store=store)
    hw.answer(session, assignment, second, hw.GENT_SECOND, now=at + timedelta(hours=1), store=store)
    assert first.id is not None and second.id is not None

    exported = privacy.export(session, person_id=first.id)
    (mine,) = exported["homework_revision"]
    assert mine["author_id"] == first.id
    assert "Onduidelijk welke diensten van de stad onder NIS2 vallen." in mine["answers"].values()

    privacy.erase(session, person_id=first.id, actor=ACTOR, now=at + timedelta(days=1))
    revisions = session.exec(select(HomeworkRevision).order_by(col(HomeworkRevision.id))).all()
    assert [r.author_id for r in revisions] == [None, second.id]
    assert len(session.exec(select(HomeworkAnswer)).all()) == 1
    assert session.get(HomeworkAssignment, assignment.id) is not None
