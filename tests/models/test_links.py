"""The rule for links people give: https to a named host, http only to this machine."""

import pytest

from models.errors import DomainError
from models.links import check_link


@pytest.mark.parametrize(
    "link",
    [
        "https://meet.example/nis2",
        "HTTPS://Meet.Example:8443/a?b=c#d",
        "http://127.0.0.1:8000/room",
        "http://localhost/room",
        "http://[::1]:8080/",
    ],
)
def test_accepted(link: str) -> None:
    check_link(link, field="join_url")


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript://%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://meet.example/nis2",
        "https://",
        "https:///path",
        "//meet.example/nis2",
        "ftp://meet.example/",
        "https://user:secret@meet.example/",
        "https://meet.example/a b",
        "https://meet.example/\x00",
        "https://meet.example:99999999/",
        "http://127.0.0.1.evil.example/",
        "vbscript:msgbox",
    ],
)
def test_refused(link: str) -> None:
    with pytest.raises(DomainError, match="https://") as refused:
        check_link(link, field="join_url")
    assert refused.value.field == "join_url"
