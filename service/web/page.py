"""Render a page with what every page needs: language, the signed-in person, a CSRF token."""

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from service.settings import Settings
from service.web import language
from service.web.security import csrf_token
from service.web.templating import templates


def render(
    request: Request, settings: Settings, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a template in the reader's language."""
    full = {
        "principal": getattr(request.state, "principal", None),
        "csrf_token": csrf_token(request, settings),
        **context,
    }
    return templates(language.of_request(request)).TemplateResponse(
        request, name, full, status_code=status_code
    )
