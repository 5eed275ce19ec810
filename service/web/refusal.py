"""Refusals a dependency raises: a message id translated by the error handlers, or a whole
page already rendered (an agenda form link that opens nothing says so on its own page)."""

from typing import Any

from starlette.responses import Response

from models.errors import DomainError


class Refusal(Exception):
    """An HTTP refusal with a message id that is translated for the reader."""

    def __init__(self, status: int, msgid: str, **params: Any) -> None:
        self.status = status
        self.error = DomainError(msgid, **params)
        super().__init__(msgid)


class Answered(Exception):
    """A dependency's answer instead of the route's: the response is sent as it is."""

    def __init__(self, response: Response) -> None:
        self.response = response
        super().__init__(response.status_code)
