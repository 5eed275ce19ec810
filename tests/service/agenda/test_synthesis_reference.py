"""The vectorised synthesis gives the very same drafts as the pair-by-pair algorithm it replaced."""

import random

import pytest

from service.agenda import synthesis
from tests.service.agenda import synthesis_reference
from tests.service.agenda.larger_calls import make_input


def _both(
    questions: list[synthesis.Question], carried: list[synthesis.Carried], minutes: int = 120
) -> tuple[list[synthesis.Planned], list[synthesis.Planned]]:
    return (
        synthesis.synthesise(questions, carried, budget_minutes=minutes),
        synthesis_reference.synthesise(questions, carried, budget_minutes=minutes),
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_120_realistic_questions_give_the_same_draft_in_any_order(seed: int) -> None:
    questions = make_input(120)
    random.Random(seed).shuffle(questions)
    new, old = _both(questions, [])
    assert new == old
    assert sum(len(p.question_ids) for p in new) == 120


def test_the_realistic_questions_with_carried_items_give_the_same_draft() -> None:
    questions = make_input(120)
    carried = [
        synthesis.Carried(
            id=4,
            title="Meldplicht",
            description="Uitgesteld",
            duration_minutes=25,
            question_ids=(3, 17, 40),
        ),
        synthesis.Carried(
            id=7, title="Budget", description=None, duration_minutes=0, question_ids=(55, 56)
        ),
        synthesis.Carried(id=9, title="Zonder vragen", description=None, duration_minutes=10),
    ]
    new, old = _both(questions, carried, minutes=90)
    assert new == old
    assert [p.carried_from for p in new if p.carried_from] == [4, 7, 9]


@pytest.mark.parametrize(("size", "seed"), [(400, 3), (1000, 7), (1500, 11)])
def test_larger_calls_give_the_same_draft(size: int, seed: int) -> None:
    questions = make_input(size, seed)
    new, old = _both(questions, [])
    assert new == old
    assert sum(len(p.question_ids) for p in new) == size


def test_one_member_asking_everything_keeps_their_questions_apart_in_both() -> None:
    questions = [
        synthesis.Question(id=q.id, text=q.text, rank=1, max_rank=3, member="alone", organisation=1)
        for q in make_input(200, 5)
    ]
    new, old = _both(questions, [])
    assert new == old
    assert all(len(p.question_ids) <= 1 for p in new)
