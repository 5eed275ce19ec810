"""The catalogs cover every message in the code, in Dutch and French."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from models.errors import DomainError
from service.i18n import LOCALE_DIR, error_message
from tests.conftest import REPO_ROOT


def _message_ids(pot: Path) -> set[str]:
    with pot.open("rb") as source:
        return {str(message.id) for message in read_po(source) if message.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Extract the messages from the source tree as it is now."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(LOCALE_DIR / "babel.cfg"),
            "-k",
            "N_",
            "--no-location",
            "--omit-header",
            "-o",
            str(pot),
            ".",
        ],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    return _message_ids(pot)


def test_committed_template_is_up_to_date(extracted: set[str]) -> None:
    assert _message_ids(LOCALE_DIR / "messages.pot") == extracted


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_message_is_translated(extracted: set[str], language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale=language)
    translated = {str(m.id) for m in catalog if m.id and m.string}
    assert extracted - translated == set()


def test_refusals_are_dutch_first_and_keep_their_parameters() -> None:
    error = DomainError("You can send at most %(max)s questions.", max=3)
    assert error_message(error) == "Je kan hoogstens 3 vragen insturen."
    assert error_message(error, "fr") == "Vous pouvez envoyer au maximum 3 questions."
    assert error_message(error, "en") == "You can send at most 3 questions."


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_translations_keep_their_placeholders_and_none_is_fuzzy(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale=language)
    for message in catalog:
        if not message.id:
            continue
        assert "fuzzy" not in message.flags, message.id
        wanted = sorted(re.findall(r"%\(\w+\)s", str(message.id)))
        assert sorted(re.findall(r"%\(\w+\)s", str(message.string))) == wanted, message.id


def test_english_is_the_message_id_itself() -> None:
    with (LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale="en")
    assert [m.id for m in catalog if m.id and m.string and m.string != m.id] == []


# Words that are the same in Dutch and French (and differ from the English id).
SAME_IN_DUTCH_AND_FRENCH = {"director", "hybrid"}


def test_french_is_not_the_dutch_text() -> None:
    # A translation tool once copied the Dutch of a new message into the French catalog too.
    catalogs = {}
    for language in ("nl", "fr"):
        with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
            catalogs[language] = read_po(source, locale=language)
    dutch = {m.id: m.string for m in catalogs["nl"] if m.id}
    copied = {
        str(m.id)
        for m in catalogs["fr"]
        if m.id and m.string and m.string == dutch.get(m.id) and m.string != m.id
    }
    assert copied - SAME_IN_DUTCH_AND_FRENCH == set()
