"""The language a request is answered in: the person's own, else the browser's, else Dutch."""

from babel import negotiate_locale
from fastapi import Request

from service.i18n import DEFAULT_LANGUAGE, LANGUAGES


def of_request(request: Request) -> str:
    """Pick nl, en or fr for this request."""
    chosen = getattr(request.state, "language", None)
    if chosen in LANGUAGES:  # a page that lets the reader choose has set it
        return str(chosen)
    principal = getattr(request.state, "principal", None)
    if principal is not None:
        return str(principal.person.language.value)
    header = request.headers.get("accept-language", "")
    wanted = [part.split(";")[0].strip().replace("-", "_") for part in header.split(",")]
    chosen = negotiate_locale([w for w in wanted if w], list(LANGUAGES), sep="_")
    return chosen or DEFAULT_LANGUAGE
