"""Calls larger than the realistic 120 NIS2 questions, for the benchmark and the reference test.

The first 120 are the realistic ones; the rest repeat their phrasings with a city, service or
year woven in, from more members and organisations, so near-duplicates stay as common as in a
real call (and far more common than in most).
"""

import random

from service.agenda import synthesis
from tests.service.agenda.nis2_questions import TOPICS, questions

CITIES = ["Aalst", "Antwerpen", "Brugge", "Genk", "Gent", "Hasselt", "Kortrijk", "Leuven"]
SERVICES = ["de ICT-dienst", "het OCMW", "de politiezone", "de brandweer", "het AGB", "de scholen"]
ASIDES = ["", " in {city}", " voor {service}", " tegen {year}", " bij {service} van {city}"]


def make_input(size: int, seed: int = 7) -> list[synthesis.Question]:
    """`size` questions: the 120 realistic ones, then variations of every topic's phrasings."""
    rng = random.Random(seed)
    result = [
        synthesis.Question(
            id=q.id,
            text=q.text,
            rank=q.rank,
            max_rank=3,
            member=f"m{q.member}",
            organisation=q.organisation,
        )
        for q in questions()
    ][:size]
    phrasings = [text for texts in TOPICS.values() for text in texts]
    while len(result) < size:
        n = len(result)
        aside = rng.choice(ASIDES).format(
            city=rng.choice(CITIES), service=rng.choice(SERVICES), year=rng.randint(2026, 2030)
        )
        text = rng.choice(phrasings).rstrip("?") + aside + "?"
        result.append(
            synthesis.Question(
                id=n + 1,
                text=text,
                rank=n % 3 + 1,
                max_rank=3,
                member=f"m{n // 3}",
                organisation=(n // 3) % max(14, size // 60),
            )
        )
    return result
