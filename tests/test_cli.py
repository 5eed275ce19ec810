"""The `overleg` command, run as the installed script in a fresh process."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from models.meetings import Meeting
from models.organisations import Organisation
from models.people import Person, StaffRole
from service import migrate
from service.db import create_engine

# Every test starts the command in a process of its own.
pytestmark = pytest.mark.slow
OVERLEG = str(Path(sys.executable).with_name("overleg"))
SUBCOMMANDS = (
    "up",
    "serve",
    "migrate",
    "demo-data",
    "create-secretariat",
    "deliver",
    "annual-report",
)


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [OVERLEG, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_help_lists_every_subcommand() -> None:
    result = _run("--help")
    assert result.returncode == 0, result.stderr
    for name in SUBCOMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help(name: str) -> None:
    result = _run(name, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_migrate_then_demo_data_twice(empty_database_url: str) -> None:
    env = {"DATABASE_URL": empty_database_url}
    migrated = _run("migrate", env=env)
    assert migrated.returncode == 0, migrated.stderr
    head = migrate.head_revision()
    assert head is not None and head in migrated.stdout
    first = _run("demo-data", env=env)
    second = _run("demo-data", env=env)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    # ("370 rows added" contains "0 rows added": read the number itself.)
    added = re.search(r"demo data: (\d+) rows added", first.stdout)
    assert added is not None and int(added.group(1)) > 0, first.stdout
    assert "demo data: 0 rows added" in second.stdout
    engine = create_engine(empty_database_url)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Meeting)).one() > 50
    engine.dispose()


def test_the_first_secretariat_account_on_an_empty_database(empty_database_url: str) -> None:
    env = {"DATABASE_URL": empty_database_url}
    args = ("create-secretariat", "--name", "Griet Van Houtte", "--email", "Griet@KCVS.example")
    created = _run(*args, env=env)
    assert created.returncode == 0, created.stderr
    assert "Account voor het secretariaat aangemaakt voor Griet Van Houtte" in created.stdout
    again = _run(*args, env=env)
    assert again.returncode == 1
    assert "De databank bevat al personen" in again.stderr
    engine = create_engine(empty_database_url)
    with Session(engine) as session:
        (person,) = session.exec(select(Person)).all()
        assert (person.email, person.staff_role) == ("griet@kcvs.example", StaffRole.secretariat)
        assert session.exec(select(func.count()).select_from(Meeting)).one() == 0  # no demo
    engine.dispose()


def test_a_bad_first_account_is_refused_and_nothing_is_stored(empty_database_url: str) -> None:
    env = {"DATABASE_URL": empty_database_url}
    refused = _run("create-secretariat", "--name", "Griet", "--email", "geen-adres", env=env)
    assert refused.returncode == 1 and "Dit is geen geldig e-mailadres." in refused.stderr
    engine = create_engine(empty_database_url)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Organisation)).one() == 0
    engine.dispose()
