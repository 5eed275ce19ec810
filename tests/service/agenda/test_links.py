"""Personal form links: they round-trip, and a tampered or foreign token is refused."""

from service import tokens
from service.access import sign_in
from service.agenda import links

KEY = "test-key"


def test_token_round_trips_to_its_call_and_person() -> None:
    token = links.make_token(call_id=12, person_id=345, key=KEY)
    assert links.read_token(token, key=KEY) == links.FormGrant(call_id=12, person_id=345)


def test_tampered_token_and_other_key_are_refused() -> None:
    token = links.make_token(call_id=12, person_id=345, key=KEY)
    assert links.read_token(token[:-2] + "xx", key=KEY) is None
    assert links.read_token(token, key="another-key") is None


def test_token_made_for_another_purpose_is_refused() -> None:
    token = tokens.sign("12:345", key=KEY, purpose=sign_in.SIGN_IN_PURPOSE)
    assert links.read_token(token, key=KEY) is None


def test_url_carries_the_token_and_no_address() -> None:
    link = links.url(base_url="https://overleg.example/", call_id=1, person_id=2, key=KEY)
    assert link.startswith("https://overleg.example/input/")
    assert "@" not in link
    token = link.removeprefix("https://overleg.example/input/")
    assert links.read_token(token, key=KEY) == links.FormGrant(call_id=1, person_id=2)
