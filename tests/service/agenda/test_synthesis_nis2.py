"""The synthesis on realistic Dutch input: 14 organisations, 40 members, 120 NIS2 questions."""

import random

from models.agenda import AgendaItemKind
from service.agenda import synthesis
from tests.service.agenda.nis2_questions import NEAR_DUPLICATES, SEPARATE, TOPICS, questions


def _input() -> list[synthesis.Question]:
    return [
        synthesis.Question(
            id=q.id,
            text=q.text,
            rank=q.rank,
            max_rank=3,
            member=f"member:{q.member}",
            organisation=q.organisation,
        )
        for q in questions()
    ]


def _groups(plan: list[synthesis.Planned]) -> list[set[str]]:
    text = {q.id: q.text for q in _input()}
    return [{text[i] for i in p.question_ids} for p in plan if p.question_ids]


def test_the_input_is_what_the_issue_describes() -> None:
    sent = questions()
    assert len(sent) == 120
    assert len({q.member for q in sent}) == 40 and len({q.organisation for q in sent}) == 14


def test_near_duplicates_are_grouped() -> None:
    groups = _groups(synthesis.synthesise(_input(), budget_minutes=120))
    for duplicates in NEAR_DUPLICATES:
        holding = [g for g in groups if g & set(duplicates)]
        assert len(holding) == 1, f"split over {len(holding)} items: {duplicates[0]}"
    essential = next(g for g in groups if "Wat valt onder 'essentiële entiteit'?" in g)
    assert "Zijn wij een essentiële of belangrijke entiteit onder NIS2?" in essential


def test_different_questions_that_share_words_stay_apart() -> None:
    groups = _groups(synthesis.synthesise(_input(), budget_minutes=120))
    for left, right in SEPARATE:
        for group in groups:
            assert not (group & set(TOPICS[left]) and group & set(TOPICS[right])), (left, right)
    # Nothing is lost: every question is in exactly one item.
    assert sum(len(g) for g in groups) == len(set().union(*groups)) == 120


def test_the_most_asked_topics_lead_and_the_order_is_stable_under_shuffling() -> None:
    plan = synthesis.synthesise(_input(), budget_minutes=120)
    topics = [p for p in plan if p.kind is not AgendaItemKind.standing]
    leading = [set(_groups([t])[0]) for t in topics[:3]]
    for topic, group in zip(("entity", "incident_reporting", "registration"), leading, strict=True):
        assert len(group & set(TOPICS[topic])) > len(group) / 2, topic
    for seed in range(5):
        shuffled = _input()
        random.Random(seed).shuffle(shuffled)
        assert synthesis.synthesise(shuffled, budget_minutes=120) == plan
    assert synthesis.synthesise(_input(), budget_minutes=120) == plan
