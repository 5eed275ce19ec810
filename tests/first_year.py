"""The first year of a real installation, shared by its browser and API tests.

An empty database with only the secretariat's account (made by `overleg create-secretariat`,
as on a real installation), and the member list a city sends: twelve members and two rows
that are refused.
"""

import os
import subprocess
import sys
from pathlib import Path

SECRETARIAT = "griet.vanhoutte@kcvs.example"
CHAIR = "pieter.claeys@gent.example"
CHAIR_NAME = "Pieter Claeys"
REFUSED = {
    14: "Dit is geen geldig e-mailadres.",
    15: "Onbekende organisatie: Stad Nergens.",
}
_MEMBERS = [
    ("Pieter Claeys", "pieter.claeys@gent.example", "gent", "lid"),
    ("An Van den Broeck", "an.vandenbroeck@gent.example", "Stad Gent", "lid"),
    ("Bart De Smet", "bart.desmet@gent.example", "gent", "lid"),
    ("Chloé Dubois", "chloe.dubois@gent.example", "gent", "waarnemer"),
    ("Dirk Maes", "dirk.maes@gent.example", "gent", ""),
    ("Els Willems", "els.willems@gent.example", "Stad Gent", "lid"),
    ("Filip Jacobs", "filip.jacobs@gent.example", "gent", "lid"),
    ("Griet Mertens", "griet.mertens@gent.example", "gent", "expert"),
    ("Hilde Peeters", "hilde.peeters@gent.example", "gent", "lid"),
    ("Ides Goossens", "ides.goossens@gent.example", "gent", "lid"),
    ("Jana Wouters", "jana.wouters@gent.example", "gent", "lid"),
    ("Kris Hermans", "kris.hermans@gent.example", "gent", "lid"),
    ("Lotte Zonder Adres", "lotte.gent.example", "gent", "lid"),
    ("Marc Nergens", "marc@nergens.example", "Stad Nergens", "lid"),
]
# As Belgian Excel saves it: semicolons, UTF-8 with a byte-order mark, CRLF.
MEMBER_LIST = (
    "Naam;E-mail;Organisatie;Rol\r\n" + "".join(";".join(row) + "\r\n" for row in _MEMBERS)
).encode("utf-8-sig")


def create_secretariat(database_url: str) -> None:
    """The secretariat's own account on an empty database, as a real installation makes it."""
    overleg = str(Path(sys.executable).with_name("overleg"))
    done = subprocess.run(
        [overleg, "create-secretariat", "--name", "Griet Van Houtte", "--email", SECRETARIAT],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DATABASE_URL": database_url},
        check=False,
    )
    assert done.returncode == 0, done.stderr
