"""What every route works with: the request, its session, settings and clock; and for pages,
rendering in the reader's language, the redirect after a change, and the page again on refusal.

A refused change is answered in one place (`Context.refuse`): the request's changes undone, and
the page shown again with the reason and 422. Views take no error of their own: `render` adds it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.errors import DomainError
from service.access.permissions import Principal
from service.i18n import error_message, translations
from service.settings import Settings
from service.web import language, notices, paths
from service.web.deps import NowDep, Session, SessionDep, SettingsDep
from service.web.security import csrf_token
from service.web.templating import templates

T = TypeVar("T")
# A page that shows itself again after a refusal (`render` adds the reason and the 422).
View = Callable[[], Response]


@dataclass(frozen=True)
class Context:
    """One request: who asks (in `request.state`), its database session, settings and clock."""

    request: Request
    session: Session
    settings: Settings
    now: datetime

    @property
    def principal(self) -> Principal | None:
        """Who is signed in (set by the route's rule), or nobody."""
        found: Principal | None = getattr(self.request.state, "principal", None)
        return found

    @property
    def language(self) -> str:
        """The language the request is answered in."""
        return language.of_request(self.request)

    @property
    def refusal(self) -> DomainError | None:
        """The refused change this page is shown again for, or None."""
        found: DomainError | None = getattr(self.request.state, "refusal", None)
        return found

    def gettext(self, message: str) -> str:
        """A message in the reader's language."""
        return translations(self.language).gettext(message)

    def render(self, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
        """Render a page template with what every page needs (the person, a CSRF token).

        A page shown again for a refused change gets its reason as `error` (and the field it is
        about as `error_field`), with 422.
        """
        refusal = self.refusal
        full = {
            "principal": getattr(self.request.state, "principal", None),
            "csrf_token": csrf_token(self.request, self.settings),
            "now": self.now,
            "notice": notices.shown(self.request.query_params.get("done"), self.gettext),
            "error": error_message(refusal, self.language) if refusal else None,
            "error_field": refusal.field if refusal else None,
            **context,
        }
        return templates(self.language).TemplateResponse(
            self.request, name, full, status_code=422 if refusal else status_code
        )

    def path(self, name: str, **params: object) -> str:
        """The path of a named route, for redirects."""
        return paths.path_for(self.request.app, name, **params)

    def act(
        self, change: Callable[[], T], *, done: str | Callable[[T], str], refused: View
    ) -> Response:
        """Run a change; then go to `done` (303), or show `refused` again with the reason (422).

        `done` may be a function of what the change made (the page of a new meeting).
        A refusal undoes everything the request changed and forgets the follow-ups it asked
        for, so a refused form leaves the data as it was.
        """
        try:
            made = change()
        except DomainError as error:
            return self.refuse(error, refused)
        return RedirectResponse(done if isinstance(done, str) else done(made), status_code=303)

    def refuse(self, error: DomainError, page: View) -> Response:
        """A refused change's answer: everything the request changed undone, the follow-ups it
        asked for forgotten, and `page` shown again with the reason (422)."""
        self.session.rollback()
        followups = getattr(self.request.state, "followups", None)
        if followups is not None:
            followups.clear()
        self.request.state.refusal = error
        return page()


def again(page: Callable[..., Response], *args: Any, **kwargs: Any) -> View:
    """A refused change's answer: the page `page(*args, **kwargs)` again (see `Context.refuse`)."""
    return lambda: page(*args, **kwargs)


def done(path: str, notice: str) -> str:
    """A path that shows a confirmation once it is reached (see `notices.py`)."""
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}{urlencode({'done': notice})}"


async def context(
    request: Request, session: SessionDep, settings: SettingsDep, now: NowDep
) -> Context:
    """The request's context, as a dependency."""
    return Context(request=request, session=session, settings=settings, now=now)


Ctx = Annotated[Context, Depends(context)]
