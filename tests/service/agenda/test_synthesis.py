"""The synthesis on plain data: grouping, scoring, tie-breaks and fitting into the time budget."""

import random

from models.agenda import AgendaItemKind, AgendaItemStatus
from service.agenda import synthesis
from service.agenda.synthesis import Carried, Question

_ids = iter(range(1, 1_000_000))


def q(text: str, *, member: str, organisation: int, rank: int = 1, max_rank: int = 3) -> Question:
    """A question with a fresh id."""
    return Question(
        id=next(_ids),
        text=text,
        rank=rank,
        max_rank=max_rank,
        member=member,
        organisation=organisation,
    )


def topics(plan: list[synthesis.Planned]) -> list[synthesis.Planned]:
    """The items that came from questions or were carried over (not the standing ones)."""
    return [p for p in plan if p.kind is not AgendaItemKind.standing]


def test_borda_points_follow_the_number_of_questions() -> None:
    assert [q("a", member="m", organisation=1, rank=r).points for r in (1, 2, 3)] == [3, 2, 1]
    assert q("a", member="m", organisation=1, rank=1, max_rank=5).points == 5


def test_a_city_that_sends_five_people_weighs_as_much_as_one_that_sends_one() -> None:
    crowd = [
        q("Hoe organiseren we de back-ups van de servers?", member=f"a{n}", organisation=1)
        for n in range(5)
    ]
    others = [
        q("Welke opleiding krijgen de nieuwe medewerkers?", member="b1", organisation=2),
        q("Welke opleiding krijgen nieuwe medewerkers?", member="c1", organisation=3),
    ]
    ranked = topics(synthesis.prioritise(crowd + others))
    assert [t.organisations for t in ranked] == [2, 1]
    assert [t.score for t in ranked] == [6.0, 3.0]
    assert len(ranked[1].question_ids) == 5


def test_a_members_alike_questions_count_once_and_stay_apart() -> None:
    own = [
        q("Wat valt onder essentiële entiteit?", member="m1", organisation=1, rank=1),
        q("Zijn wij een essentiële entiteit?", member="m1", organisation=1, rank=2),
    ]
    ranked = topics(synthesis.prioritise(own))
    assert len(ranked) == 2  # a member's own questions are never grouped with each other
    joined = topics(
        synthesis.prioritise(
            [*own, q("Wanneer is een stad een essentiële entiteit?", member="m2", organisation=2)]
        )
    )
    assert len(joined) == 1 and len(joined[0].question_ids) == 3
    # m1 counts with their best rank only: 3 points, plus 3 from m2.
    assert joined[0].score == 6.0


def test_near_duplicates_from_different_members_are_grouped() -> None:
    first = q("Wat valt onder 'essentiële entiteit'?", member="m1", organisation=1)
    second = q(
        "Zijn wij een essentiële of belangrijke entiteit onder NIS2?", member="m2", organisation=2
    )
    other = q("Hoe lang bewaren jullie de logbestanden?", member="m3", organisation=3)
    ranked = topics(synthesis.prioritise([first, second, other]))
    assert sorted(len(t.question_ids) for t in ranked) == [1, 2]
    grouped = next(t for t in ranked if len(t.question_ids) == 2)
    assert set(grouped.question_ids) == {first.id, second.id}


def test_ties_are_broken_by_organisations_then_first_choices_then_title() -> None:
    questions = [
        q("Zebra's op het zebrapad?", member="m1", organisation=1, rank=1),
        q("Appels met peren vergelijken?", member="m2", organisation=2, rank=1),
        q("Kabels in de kelder?", member="m3", organisation=3, rank=2),
        q("Kabels in de kelder nakijken?", member="m4", organisation=4, rank=3),
    ]
    ranked = topics(synthesis.prioritise(questions))
    # 3 points each; the cables come from two organisations, so they go first.
    assert [t.score for t in ranked] == [3.0, 3.0, 3.0]
    assert ranked[0].organisations == 2
    assert [t.title for t in ranked[1:]] == [
        "Appels met peren vergelijken?",
        "Zebra's op het zebrapad?",
    ]


def test_the_same_input_in_any_order_gives_the_same_agenda() -> None:
    questions = [
        q(text, member=f"m{n % 7}", organisation=n % 4, rank=n % 3 + 1)
        for n, text in enumerate(
            [
                "Hoe melden we een incident aan het CCB?",
                "Binnen welke termijn melden we een incident aan het CCB?",
                "Welke leveranciers vallen onder de toeleveringsketen?",
                "Hoe beoordelen we leveranciers in de toeleveringsketen?",
                "Wat kost een risicoanalyse?",
                "Wie doet de risicoanalyse?",
                "Hoe registreren we ons op Safeonweb@work?",
            ]
        )
    ]
    expected = synthesis.synthesise(questions, budget_minutes=90)
    for seed in range(5):
        shuffled = questions[:]
        random.Random(seed).shuffle(shuffled)
        assert synthesis.synthesise(shuffled, budget_minutes=90) == expected


def test_the_agenda_fits_the_budget_and_keeps_what_does_not_fit() -> None:
    questions = [
        q(text, member=f"m{n}", organisation=n, rank=1)
        for n, text in enumerate(
            [
                "Hoe lang bewaren jullie logbestanden?",
                "Welke firewall gebruiken jullie?",
                "Wie betaalt de opleiding?",
                "Mag Copilot op vertrouwelijke dossiers?",
                "Hoe scheiden jullie het schoolnetwerk?",
            ]
        )
    ]
    plan = synthesis.synthesise(questions, budget_minutes=60)
    titles = [p.title for p in plan]
    assert titles[:2] == [t for t, _ in synthesis.OPENING]
    closing = titles.index(synthesis.CLOSING[0][0])
    placed, rest = plan[2:closing], plan[closing + 1 :]
    # 60 minutes less 20 for the standing items leaves room for two topics of 15 minutes.
    assert [p.duration_minutes for p in placed] == [15, 15]
    assert all(p.status is AgendaItemStatus.accepted and p.fits for p in placed)
    assert len(rest) == 3
    assert all(
        p.status is AgendaItemStatus.proposed and p.duration_minutes == 0 and not p.fits
        for p in rest
    )
    assert sum(p.duration_minutes for p in plan) <= 60
    assert sorted(i for p in plan for i in p.question_ids) == sorted(x.id for x in questions)


def test_a_shorter_lower_topic_fills_the_time_a_longer_one_leaves() -> None:
    carried = Carried(id=7, title="Lang punt", description=None, duration_minutes=45)
    short = q("Kort punt van een lid?", member="m1", organisation=1)
    plan = synthesis.synthesise([short], [carried], budget_minutes=60)
    by_title = {p.title: p for p in plan}
    assert by_title["Lang punt"].fits is False
    assert by_title["Kort punt van een lid?"].fits is True


def test_carried_items_come_first_keep_their_title_and_gather_new_alike_questions() -> None:
    old = q("Hoe melden we een incident aan het CCB?", member="old", organisation=9, rank=3)
    carried = Carried(
        id=3,
        title="Meldplicht incidenten (uitgesteld)",
        description="Vorige keer geen tijd",
        duration_minutes=25,
        question_ids=(old.id,),
    )
    new = [
        q("Welke incidenten melden we aan het CCB?", member="m1", organisation=1, rank=3),
        q("Hoe organiseren we de back-ups?", member="m2", organisation=2, rank=1),
    ]
    ranked = topics(synthesis.prioritise([old, *new], [carried]))
    assert ranked[0].title == "Meldplicht incidenten (uitgesteld)"
    assert ranked[0].carried_from == 3 and ranked[0].duration_minutes == 25
    assert set(ranked[0].question_ids) == {old.id, new[0].id}
    assert ranked[0].score is not None and ranked[1].score is not None
    assert ranked[0].score < ranked[1].score  # first although it scores lower: it waited


def test_a_carried_item_without_questions_is_kept() -> None:
    carried = Carried(id=1, title="Afspraken met het VCDV", description=None, duration_minutes=20)
    plan = synthesis.synthesise([], [carried], budget_minutes=120)
    assert [p.title for p in topics(plan)] == ["Afspraken met het VCDV"]
    assert topics(plan)[0].kind is AgendaItemKind.manual


def test_no_questions_gives_the_standing_items() -> None:
    plan = synthesis.synthesise([], budget_minutes=120)
    assert [p.kind for p in plan] == [AgendaItemKind.standing] * 3
    assert all(p.translate_title for p in plan)


def test_long_questions_make_titles_that_fit_the_column() -> None:
    text = "Hoe " + "zeer lange vraag " * 40 + "?"
    title = synthesis.shorten(text)
    assert len(title) <= synthesis.TITLE_MAX_LENGTH and title.endswith("…")
    assert synthesis.shorten("  kort   en  goed ") == "kort en goed"
