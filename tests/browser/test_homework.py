"""Members answer homework on a phone with JavaScript off, in Dutch and in French; the
secretariat reads the summary. axe-core finds no WCAG 2.1 A/AA violation on either page."""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlmodel import Session, select

from models.homework import HomeworkRevision
from models.meetings import MeetingCreate
from models.people import Language
from service.clock import utcnow
from service.db import create_engine, session_scope
from service.homework import assignments
from service.homework.assignments import AssignmentIn
from service.mail import links as mail_links
from service.meetings import meetings
from tests.browser.accessibility import violations
from tests.browser.layout import page_width, styled
from tests.factories import ACTOR, join, make_group, make_organisation, make_person
from tests.homework_scenario import QUESTIONS
from tests.live import SECRET_KEY, deliver, sign_in_link

PHONE: ViewportSize = {"width": 390, "height": 844}
# The summary's grids whose columns do not fit their scrolling region (by question id).
_CUT_OFF_GRIDS = """[...document.querySelectorAll('.homework-question .table-wrap')]
    .filter(wrap => wrap.scrollWidth > wrap.clientWidth)
    .map(wrap => wrap.closest('section').id)"""


@dataclass(frozen=True)
class Homework:
    """The homework committed for the test: its summary path and the two members' links."""

    summary: str
    dutch: str
    french: str


def _homework(database_url: str, base_url: str) -> Homework:
    """A group of two cities (a Dutch-speaking and a French-speaking member), homework set."""
    engine = create_engine(database_url)
    now = utcnow()
    try:
        with session_scope(engine) as session:
            group = make_group(session, now=now)
            people = []
            for city, language in (("Gent", Language.nl), ("Brussel", Language.fr)):
                organisation = make_organisation(session, now=now, name=f"Stad {city} {group.id}")
                person = make_person(session, now=now, organisation=organisation)
                person.language = language
                join(session, person=person, group=group, now=now)
                people.append(person)
            starts_at = now + timedelta(days=30)
            meetings.schedule(
                session,
                meeting_in=MeetingCreate(
                    group=group.slug, title="Vergadering na de thuisopdracht",
                    starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
                ),
                actor=ACTOR, now=now,
            )  # fmt: skip
            assert group.id is not None
            made = assignments.set_assignment(
                session,
                group_id=group.id,
                assignment_in=AssignmentIn(
                    title="Stand van zaken", introduction="Kort.", questions=QUESTIONS
                ),
                actor=ACTOR,
                now=now,
            )
            assert made.id is not None
            links = [
                f"{base_url}{mail_links.HOMEWORK_PATH}"
                + mail_links.homework_token(
                    assignment_id=made.id, person_id=p.id or 0, key=SECRET_KEY
                )
                for p in people
            ]
            return Homework(f"{base_url}/groups/{group.slug}/homework/{made.id}", *links)
    finally:
        engine.dispose()


def _no_script_phone(browser: Browser, locale: str) -> Page:
    context = browser.new_context(viewport=PHONE, locale=locale, java_script_enabled=False)
    return context.new_page()


def _revisions(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            return len(session.exec(select(HomeworkRevision)).all())
    finally:
        engine.dispose()


def test_members_answer_on_a_phone_without_javascript_in_dutch_and_french(
    browser: Browser, page: Page, live_app: tuple[str, Path], empty_database_url: str
) -> None:
    url, data_dir = live_app
    homework = _homework(empty_database_url, url)
    plan = data_dir / "actieplan.txt"
    plan.write_text("Actieplan NIS2\n", encoding="utf-8")

    dutch = _no_script_phone(browser, "nl-BE")
    dutch.goto(homework.dutch)
    expect(dutch.get_by_role("heading", level=1)).to_have_text("Thuisopdracht: Stand van zaken")
    dutch.get_by_label("Je antwoord").fill("Te weinig personeel voor informatieveiligheid.")
    dutch.get_by_role("group", name="2. ").get_by_label("ja").check()
    dutch.get_by_label("CISO").check()
    dutch.get_by_label("MFA").check()
    dutch.get_by_label("Incidentplan").check()
    dutch.get_by_label("Een getal").fill("veel")
    dutch.get_by_label("Kies een bestand").set_input_files(plan)
    dutch.get_by_role("button", name="Antwoord bewaren").click()
    # A wrong number: said at the question, everything typed still there, nothing stored.
    expect(dutch.locator("#form-error")).to_contain_text("Geef een getal, bijvoorbeeld 12 of 3,5.")
    expect(dutch.get_by_label("Je antwoord")).to_have_value(
        "Te weinig personeel voor informatieveiligheid."
    )
    expect(dutch.get_by_label("Een getal")).to_have_value("veel")
    expect(dutch.get_by_label("Incidentplan")).to_be_checked()
    assert _revisions(empty_database_url) == 0
    dutch.get_by_label("Een getal").fill("2,5")
    dutch.get_by_label("Kies een bestand").set_input_files(plan)
    dutch.get_by_role("button", name="Antwoord bewaren").click()
    expect(dutch.get_by_role("status")).to_have_text(
        "Je antwoord is bewaard. Je kunt het wijzigen tot de deadline."
    )
    expect(dutch.get_by_label("Een getal")).to_have_value("2,5")
    expect(dutch.locator("#answer_6-kept")).to_have_text("Bestand verstuurd: actieplan.txt")
    assert page_width(dutch) <= PHONE["width"]
    dutch.screenshot(path=str(data_dir / "homework-form-nl.png"), full_page=True)

    french = _no_script_phone(browser, "fr-BE")
    french.goto(homework.french)
    expect(french.get_by_role("heading", level=1)).to_have_text("Devoir : Stand van zaken")
    french.get_by_label("Votre réponse").fill("Le budget.")
    french.get_by_role("group", name="2. ").get_by_label("non").check()
    french.get_by_label("DPO").check()
    french.get_by_label("Un nombre").fill("1")
    french.get_by_role("button", name="Enregistrer la réponse").click()
    expect(french.get_by_role("status")).to_have_text(
        "Votre réponse est enregistrée. Vous pouvez la modifier jusqu'au délai."
    )
    assert _revisions(empty_database_url) == 2

    # axe-core runs as a script, so it checks the same pages in a context with JavaScript on:
    # the form as it opens, with a refusal on it, and the summary.
    page.goto(homework.dutch)
    assert violations(page) == [], "the homework form"
    page.get_by_label("Een getal").fill("veel")
    page.get_by_role("button", name="Antwoord bewaren").click()
    expect(page.locator("#form-error")).to_contain_text("Geef een getal")
    assert violations(page) == [], "the homework form with a refusal"

    page.goto(f"{url}/sign-in")
    page.get_by_label("E-mailadres").fill("griet.vanhoutte@kcvs.example")
    page.get_by_role("button", name="Stuur me een aanmeldlink").click()
    deliver(empty_database_url, data_dir)
    page.goto(sign_in_link(data_dir, "griet.vanhoutte@kcvs.example"))
    page.get_by_role("button", name="Aanmelden bij Overleg").click()
    page.goto(homework.summary)
    expect(page.locator("#answered-count")).to_have_text("2 van 2")
    expect(page.locator("#question-1")).to_contain_text("Te weinig personeel")
    expect(page.locator("#question-2 svg")).to_have_count(1)
    # The secretariat downloads the file answer from the grid.
    file_link = page.locator("#question-6").get_by_role("link", name="actieplan.txt")
    with page.expect_download() as downloaded:
        file_link.click()
    assert downloaded.value.suggested_filename == "actieplan.txt"
    assert Path(downloaded.value.path()).read_text(encoding="utf-8") == "Actieplan NIS2\n"
    # On a phone: nothing wider than the screen, every answer column whole in its region.
    assert page_width(page) <= PHONE["width"]
    assert styled(page).evaluate(_CUT_OFF_GRIDS) == []
    assert violations(page) == [], "the summary page"
    page.screenshot(path=str(data_dir / "homework-summary.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert styled(page).evaluate(_CUT_OFF_GRIDS) == []
    assert violations(page) == [], "the summary page on a wide screen"
    page.screenshot(path=str(data_dir / "homework-summary-wide.png"), full_page=True)
