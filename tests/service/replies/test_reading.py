"""Reading REPLY messages as each calendar client shapes them (calendars/replies.py)."""

import pytest

from calendars.replies import Answer, Problem, read
from tests.service.replies import shapes

UID = "meeting-5@overleg.example"
WHO = "an.peeters@gent.example"


@pytest.mark.parametrize(
    ("build", "answer", "comment"),
    [
        (
            shapes.outlook,
            "tentative",
            "Ik stel een later uur voor, ik kom uit een andere vergadering.",
        ),
        (shapes.gmail, "accepted", "Graag, ik breng de cijfers mee"),
        (shapes.apple, "declined", None),
        (shapes.thunderbird, "accepted", None),
    ],
)
def test_each_client_shape_gives_one_answer(
    build: shapes.Builder, answer: str, comment: str | None
) -> None:
    # Gmail and Thunderbird send the calendar twice (inline and invite.ics): one answer.
    reading = read(build(UID, 3, WHO, tag="t"))
    assert reading.answers == (Answer(UID, 3, WHO, answer, comment),)
    assert reading.problem is None


def test_the_address_is_read_whatever_its_case() -> None:
    reading = read(shapes.outlook(UID, 0, WHO, tag="t"))  # Outlook writes MAILTO:AN.PEETERS@...
    assert [a.attendee for a in reading.answers] == [WHO]


def test_a_proposed_new_time_is_tentative() -> None:
    counter = shapes.minimal(UID, 1, WHO).replace("METHOD:REPLY", "METHOD:COUNTER")
    assert [a.answer for a in read(shapes.bare(counter, sender=WHO, tag="c")).answers] == [
        "tentative"
    ]


@pytest.mark.parametrize(
    ("ics", "problem"),
    [
        (shapes.minimal(UID, 1, None), Problem.no_attendee),
        (shapes.minimal(UID, 1, WHO, "NEEDS-ACTION"), Problem.no_answer),
        (shapes.minimal(UID, 1, WHO).replace("SEQUENCE:1", "SEQUENCE:eerste"), Problem.malformed),
        ("BEGIN:VCALENDAR\nMETHOD:REPLY\nBEGIN:VEVENT\nUID:x\n", Problem.malformed),
        (shapes.minimal(UID, 1, WHO).replace("METHOD:REPLY", "METHOD:REQUEST"), Problem.no_reply),
    ],
)
def test_a_message_without_a_usable_answer_says_why(ics: str, problem: Problem) -> None:
    reading = read(shapes.bare(ics, sender=WHO, tag="b"))
    assert reading.answers == () and reading.problem is problem


def test_a_mail_without_a_calendar_is_no_reply() -> None:
    assert read(shapes.large("l", size=1000)).problem is Problem.no_reply


def test_a_calendar_in_windows_1252_keeps_its_accents() -> None:
    ics = shapes.minimal(UID, 1, WHO).replace("END:VEVENT", "COMMENT:Désolé\nEND:VEVENT")
    head = "Message-ID: <cp@test.example>\nContent-Type: text/calendar; method=REPLY;"
    message = (head + ' charset="windows-1252"\n\n').encode() + ics.encode("cp1252")
    assert [a.comment for a in read(message).answers] == ["Désolé"]
