"""Every route of the app, for every role: allowed or refused, as its rule says.

Routes are discovered from the app itself, so a new route cannot be forgotten: a route that
names no rule fails here.
"""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount, Route

from service.access.permissions import Access
from service.web.app import PUBLIC_MOUNTS
from service.web.feeds import serving as feeds
from service.web.security import Require, verify_csrf
from tests.web.conftest import SignIn, client_for, csrf

PERSONAS = {
    "secretariat": "griet.vanhoutte@kcvs.example",
    "director": "koenraad.despriet@kortrijk.example",
    "chair": "pieter.claeys@gent.example",
    "member": "sander.mertens@antwerpen.example",
    "observer": "ellen.vercammen@abb.example",
    "expert": "julien.lambert@vcdv.example",
    "outsider": "liesbeth.vanimpe@aalst.example",  # a GDPR member, not in NIS2
    "anonymous": "",
}
GROUP = "nis2"
# persona -> (may read, may write) per rule; written out by hand, not derived from the code.
EXPECTED: dict[Access, dict[str, tuple[bool, bool]]] = {
    Access.public: dict.fromkeys(PERSONAS, (True, True)),
    Access.signed_in: {p: (p != "anonymous",) * 2 for p in PERSONAS},
    Access.read_all: {p: (p in ("secretariat", "director"), p == "secretariat") for p in PERSONAS},
    Access.secretariat: {p: (p == "secretariat",) * 2 for p in PERSONAS},
    Access.group_read: {
        p: (p not in ("outsider", "anonymous"), p not in ("outsider", "anonymous", "director"))
        for p in PERSONAS
    },
    # The personas stand in nowhere: the stand-ins' reading is tested in tests/web/materials.
    Access.meeting_read: {
        p: (p not in ("outsider", "anonymous"), p not in ("outsider", "anonymous", "director"))
        for p in PERSONAS
    },
    Access.group_member: {
        p: (
            p in ("secretariat", "director", "chair", "member"),
            p in ("secretariat", "chair", "member"),
        )
        for p in PERSONAS
    },
    Access.group_chair: {
        p: (p in ("secretariat", "director", "chair"), p in ("secretariat", "chair"))
        for p in PERSONAS
    },
}
# The intended rule of every route. A new route must be added here on purpose: the test below
# fails for a route that is missing, and for a rule that was loosened or tightened by accident.
INTENDED: dict[tuple[str, str], Access] = {
    ("GET", "/"): Access.signed_in,
    ("GET", "/api/audit"): Access.secretariat,
    ("GET", "/api/groups"): Access.signed_in,
    ("GET", "/api/groups/{slug}/meetings"): Access.group_read,
    ("POST", "/api/groups/{slug}/meetings"): Access.group_chair,
    ("GET", "/api/groups/{slug}/submissions"): Access.group_member,
    ("GET", "/api/groups/{slug}/meetings/{meeting_id}"): Access.group_read,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/reschedule"): Access.group_chair,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/postpone"): Access.group_chair,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/cancel"): Access.group_chair,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/call/open"): Access.group_chair,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/call/extend"): Access.group_chair,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/call/close"): Access.group_chair,
    ("POST", "/api/groups/{slug}/plan"): Access.secretariat,
    ("GET", "/api/groups/{slug}/meetings/{meeting_id}/agenda"): Access.group_read,
    ("GET", "/api/groups/{slug}/meetings/{meeting_id}/agenda/draft"): Access.group_chair,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/agenda/draft"): Access.group_chair,
    ("PATCH", "/api/groups/{slug}/meetings/{meeting_id}/agenda/draft/items/{item_id}"): (
        Access.group_chair
    ),
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/agenda/draft/merge"): Access.group_chair,
    ("PUT", "/api/groups/{slug}/meetings/{meeting_id}/agenda/draft/items"): Access.group_chair,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/agenda/draft/items/{item_id}/split"): (
        Access.group_chair
    ),
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/agenda/publish"): Access.group_chair,
    ("GET", "/api/me"): Access.signed_in,
    ("POST", "/api/me/api-keys"): Access.secretariat,
    ("DELETE", "/api/me/api-keys/{key_id}"): Access.secretariat,
    ("GET", "/api/me/export"): Access.signed_in,
    ("POST", "/api/people/{person_id}/erase"): Access.secretariat,
    ("GET", "/audit"): Access.secretariat,
    ("GET", "/emails/preview"): Access.secretariat,
    ("GET", "/mailbox"): Access.secretariat,
    ("GET", "/groups/{slug}"): Access.group_read,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/cancel"): Access.group_chair,
    ("GET", "/groups/{slug}/meetings/{meeting_id}/agenda/review"): Access.group_chair,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/agenda/review"): Access.group_chair,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/agenda/draft"): Access.group_chair,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/agenda/merge"): Access.group_chair,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/agenda/items/{item_id}/split"): (
        Access.group_chair
    ),
    ("POST", "/groups/{slug}/meetings/{meeting_id}/agenda/publish"): Access.group_chair,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/postpone"): Access.group_chair,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/reschedule"): Access.group_chair,
    ("GET", "/groups/{slug}/plan"): Access.secretariat,
    ("POST", "/groups/{slug}/meetings"): Access.group_chair,
    ("GET", "/groups/{slug}/meetings/{meeting_id}"): Access.group_read,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/call/open"): Access.group_chair,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/place"): Access.group_chair,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/place"): Access.group_chair,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/call/extend"): Access.group_chair,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/call/close"): Access.group_chair,
    ("POST", "/groups/{slug}/plan"): Access.secretariat,
    ("GET", "/health"): Access.public,
    ("GET", "/me"): Access.signed_in,
    ("GET", "/me/calendars"): Access.signed_in,
    ("POST", "/me/calendars"): Access.signed_in,
    ("POST", "/me/calendars/{token_id}/revoke"): Access.signed_in,
    ("POST", "/me/calendars/{token_id}/rotate"): Access.signed_in,
    ("GET", "/people"): Access.secretariat,
    ("POST", "/people/{person_id}/erase"): Access.secretariat,
    ("GET", "/sign-in"): Access.public,
    ("POST", "/sign-in"): Access.public,
    ("GET", "/sign-in/{token}"): Access.public,
    ("POST", "/sign-in/{token}"): Access.public,
    # Homework: the group reads the list and the summaries, the chair sets and decides; the
    # member's form is behind the signed personal link.
    ("GET", "/groups/{slug}/homework"): Access.group_read,
    ("POST", "/groups/{slug}/homework"): Access.group_chair,
    ("GET", "/groups/{slug}/homework/{assignment_id}"): Access.group_read,
    ("GET", "/groups/{slug}/homework/{assignment_id}/summary.xlsx"): Access.group_read,
    ("GET", "/groups/{slug}/homework/{assignment_id}/summary.pptx"): Access.group_read,
    ("POST", "/groups/{slug}/homework/{assignment_id}/late/{revision_id}/{decision}"): (
        Access.group_chair
    ),
    ("GET", "/api/groups/{slug}/homework"): Access.group_read,
    ("POST", "/api/groups/{slug}/homework"): Access.group_chair,
    ("GET", "/api/groups/{slug}/homework/{assignment_id}"): Access.group_read,
    ("GET", "/api/groups/{slug}/homework/{assignment_id}/late"): Access.group_chair,
    # A file answer: the group reads; the use case narrows it to the chair, the secretariat
    # and the answering organisation (tests/web/homework/test_answer_files.py).
    ("GET", "/groups/{slug}/homework/{assignment_id}/files/{answer_id}/{question_id}"): (
        Access.group_read
    ),
    ("GET", "/api/groups/{slug}/homework/{assignment_id}/files/{answer_id}/{question_id}"): (
        Access.group_read
    ),
    ("POST", "/api/groups/{slug}/homework/{assignment_id}/late/{revision_id}/{decision}"): (
        Access.group_chair
    ),
    ("GET", "/homework/{token}"): Access.public,
    ("POST", "/homework/{token}"): Access.public,
    ("GET", "/api/homework/{token}"): Access.public,
    ("PUT", "/api/homework/{token}"): Access.public,
    ("PUT", "/api/homework/{token}/files/{position}"): Access.public,
    # The member's agenda-input form: the signed personal link is the credential.
    ("GET", "/input/{token}"): Access.public,
    ("POST", "/input/{token}"): Access.public,
    ("POST", "/input/{token}/withdraw"): Access.public,
    ("POST", "/input/{token}/again"): Access.public,
    ("POST", "/api/input/{token}/again"): Access.public,
    ("GET", "/groups/{slug}/meetings/{meeting_id}/outcomes"): Access.group_chair,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/outcomes"): Access.group_chair,
    ("GET", "/api/groups/{slug}/meetings/{meeting_id}/outcomes"): Access.group_chair,
    ("PUT", "/api/groups/{slug}/meetings/{meeting_id}/outcomes"): Access.group_chair,
    ("GET", "/groups/{slug}/questions"): Access.group_read,
    ("GET", "/api/groups/{slug}/questions"): Access.group_read,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/agenda/items"): Access.group_chair,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/agenda/draft/items"): Access.group_chair,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/call/settings"): Access.group_chair,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/call/settings"): Access.group_chair,
    ("GET", "/api/input/{token}"): Access.public,
    ("PUT", "/api/input/{token}"): Access.public,
    ("DELETE", "/api/input/{token}"): Access.public,
    # The answer to a meeting: the signed personal link is the credential.
    ("GET", "/answer/{token}"): Access.public,
    ("POST", "/answer/{token}"): Access.public,
    ("GET", "/api/answer/{token}"): Access.public,
    ("GET", "/api/groups/{slug}/meetings/{meeting_id}/told"): Access.group_chair,
    ("PUT", "/api/answer/{token}"): Access.public,
    ("GET", "/groups/{slug}/meetings/{meeting_id}/late-input"): Access.group_chair,
    (
        "POST",
        "/groups/{slug}/meetings/{meeting_id}/late-input/{submission_id}/{decision}",
    ): Access.group_chair,
    ("GET", "/api/groups/{slug}/meetings/{meeting_id}/late-input"): Access.group_chair,
    (
        "POST",
        "/api/groups/{slug}/meetings/{meeting_id}/late-input/{submission_id}/{decision}",
    ): Access.group_chair,
    ("POST", "/sign-out"): Access.public,
    # Minutes, decisions and deliverables, the directors' overview and the annual report.
    ("GET", "/groups/{slug}/meetings/{meeting_id}/minutes"): Access.group_read,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/minutes"): Access.group_chair,
    ("POST", "/groups/{slug}/minutes/{version_id}/edit"): Access.group_chair,
    ("POST", "/groups/{slug}/minutes/{version_id}/review"): Access.group_chair,
    ("POST", "/groups/{slug}/minutes/{version_id}/comments"): Access.group_member,
    ("POST", "/groups/{slug}/minutes/{version_id}/approve"): Access.group_chair,
    ("POST", "/groups/{slug}/minutes/{version_id}/correct"): Access.group_chair,
    ("GET", "/groups/{slug}/deliverables"): Access.group_read,
    ("POST", "/groups/{slug}/deliverables"): Access.group_chair,
    ("POST", "/groups/{slug}/deliverables/{deliverable_id}/status"): Access.group_chair,
    ("POST", "/groups/{slug}/deliverables/{deliverable_id}/due"): Access.group_chair,
    ("POST", "/groups/{slug}/deliverables/{deliverable_id}/progress"): Access.group_chair,
    ("POST", "/groups/{slug}/decisions"): Access.group_chair,
    ("GET", "/directors"): Access.read_all,
    ("GET", "/directors/export.csv"): Access.read_all,
    ("GET", "/directors/export.xlsx"): Access.read_all,
    ("GET", "/reports/annual"): Access.secretariat,
    ("GET", "/reports/annual.md"): Access.secretariat,
    ("GET", "/reports/annual.csv"): Access.secretariat,
    ("GET", "/api/groups/{slug}/deliverables"): Access.group_read,
    ("POST", "/api/groups/{slug}/deliverables"): Access.group_chair,
    ("GET", "/api/groups/{slug}/deliverables/{deliverable_id}"): Access.group_read,
    ("POST", "/api/groups/{slug}/deliverables/{deliverable_id}/status"): Access.group_chair,
    ("POST", "/api/groups/{slug}/deliverables/{deliverable_id}/due"): Access.group_chair,
    ("POST", "/api/groups/{slug}/deliverables/{deliverable_id}/progress"): Access.group_chair,
    ("GET", "/api/groups/{slug}/decisions"): Access.group_read,
    ("POST", "/api/groups/{slug}/decisions"): Access.group_chair,
    ("GET", "/api/overview"): Access.read_all,
    # Attendance of a meeting.
    ("GET", "/groups/{slug}/meetings/{meeting_id}/attendance"): Access.group_chair,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/attendance"): Access.group_chair,
    ("GET", "/api/groups/{slug}/meetings/{meeting_id}/attendance"): Access.group_chair,
    ("PUT", "/api/groups/{slug}/meetings/{meeting_id}/attendance"): Access.group_chair,
    ("GET", "/api/groups/{slug}/meetings/{meeting_id}/replies"): Access.group_chair,
    ("GET", "/replies/unmatched"): Access.secretariat,
    ("GET", "/api/replies/unmatched"): Access.secretariat,
    # The API twins of the minutes and calendar-subscription pages, and of signing in.
    ("GET", "/api/groups/{slug}/meetings/{meeting_id}/minutes"): Access.group_read,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/minutes"): Access.group_chair,
    ("POST", "/api/groups/{slug}/minutes/{version_id}/edit"): Access.group_chair,
    ("POST", "/api/groups/{slug}/minutes/{version_id}/review"): Access.group_chair,
    ("POST", "/api/groups/{slug}/minutes/{version_id}/comments"): Access.group_member,
    ("POST", "/api/groups/{slug}/minutes/{version_id}/approve"): Access.group_chair,
    ("POST", "/api/groups/{slug}/minutes/{version_id}/correct"): Access.group_chair,
    ("GET", "/api/me/api-keys"): Access.secretariat,
    ("GET", "/api/me/calendars"): Access.signed_in,
    ("POST", "/api/me/calendars"): Access.signed_in,
    ("POST", "/api/me/calendars/{token_id}/rotate"): Access.signed_in,
    ("POST", "/api/me/calendars/{token_id}/revoke"): Access.signed_in,
    ("POST", "/api/sign-in"): Access.public,
    # Materials: the group reads (and a meeting's stand-ins that meeting's); anyone in the
    # group may post, and the use case lets only the chair, the secretariat and an item's
    # presenter (403 for anyone else, tested in tests/web/materials); public readers reach
    # only a public material of a public meeting.
    ("GET", "/groups/{slug}/meetings/{meeting_id}/materials"): Access.meeting_read,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/materials/files"): Access.group_read,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/materials/links"): Access.group_read,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/materials/{material_id}/versions"): (
        Access.group_read
    ),
    ("POST", "/groups/{slug}/meetings/{meeting_id}/materials/{material_id}/remove"): (
        Access.group_read
    ),
    ("POST", "/groups/{slug}/meetings/{meeting_id}/materials/{material_id}/public"): (
        Access.group_chair
    ),
    ("POST", "/groups/{slug}/meetings/{meeting_id}/materials/presenters"): Access.group_chair,
    ("GET", "/groups/{slug}/meetings/{meeting_id}/materials/pack"): Access.meeting_read,
    ("GET", "/groups/{slug}/meetings/{meeting_id}/materials/{material_id}/file"): (
        Access.meeting_read
    ),
    ("GET", "/api/groups/{slug}/meetings/{meeting_id}/materials"): Access.meeting_read,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/materials/files"): Access.group_read,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/materials/links"): Access.group_read,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/materials/{material_id}/versions"): (
        Access.group_read
    ),
    ("DELETE", "/api/groups/{slug}/meetings/{meeting_id}/materials/{material_id}"): (
        Access.group_read
    ),
    ("PUT", "/api/groups/{slug}/meetings/{meeting_id}/materials/{material_id}/public"): (
        Access.group_chair
    ),
    ("PUT", "/api/groups/{slug}/meetings/{meeting_id}/materials/presenters"): Access.group_chair,
    ("GET", "/api/groups/{slug}/meetings/{meeting_id}/materials/pack"): Access.meeting_read,
    ("GET", "/api/groups/{slug}/meetings/{meeting_id}/materials/{material_id}/file"): (
        Access.meeting_read
    ),
    ("GET", "/groups/{slug}/library"): Access.group_read,
    ("POST", "/groups/{slug}/library/files"): Access.group_chair,
    ("POST", "/groups/{slug}/library/links"): Access.group_chair,
    ("POST", "/groups/{slug}/library/{material_id}/versions"): Access.group_chair,
    ("POST", "/groups/{slug}/library/{material_id}/remove"): Access.group_chair,
    ("GET", "/groups/{slug}/library/{material_id}/file"): Access.group_read,
    ("GET", "/api/groups/{slug}/library"): Access.group_read,
    ("POST", "/api/groups/{slug}/library/files"): Access.group_chair,
    ("POST", "/api/groups/{slug}/library/links"): Access.group_chair,
    ("POST", "/api/groups/{slug}/library/{material_id}/versions"): Access.group_chair,
    ("DELETE", "/api/groups/{slug}/library/{material_id}"): Access.group_chair,
    ("GET", "/api/groups/{slug}/library/{material_id}/file"): Access.group_read,
    ("GET", "/public/groups/{slug}/meetings/{meeting_id}/materials/{material_id}/file"): (
        Access.public
    ),
    # The register of people, their memberships, organisations, and the API keys page.
    ("POST", "/people"): Access.secretariat,
    ("GET", "/people/{person_id}"): Access.secretariat,
    ("POST", "/people/{person_id}"): Access.secretariat,
    ("POST", "/people/{person_id}/deactivate"): Access.secretariat,
    ("POST", "/people/{person_id}/reactivate"): Access.secretariat,
    ("GET", "/people/{person_id}/erase"): Access.secretariat,
    ("POST", "/people/{person_id}/memberships"): Access.secretariat,
    ("POST", "/people/{person_id}/memberships/{membership_id}/role"): Access.secretariat,
    ("POST", "/people/{person_id}/memberships/{membership_id}/end"): Access.secretariat,
    ("GET", "/api/people"): Access.secretariat,
    ("POST", "/api/people"): Access.secretariat,
    ("GET", "/api/people/{person_id}"): Access.secretariat,
    ("PUT", "/api/people/{person_id}"): Access.secretariat,
    ("POST", "/api/people/{person_id}/deactivate"): Access.secretariat,
    ("POST", "/api/people/{person_id}/reactivate"): Access.secretariat,
    ("GET", "/api/people/{person_id}/erase"): Access.secretariat,
    ("GET", "/api/people/{person_id}/memberships"): Access.secretariat,
    ("POST", "/api/people/{person_id}/memberships"): Access.secretariat,
    ("POST", "/api/people/{person_id}/memberships/{membership_id}/role"): Access.secretariat,
    ("POST", "/api/people/{person_id}/memberships/{membership_id}/end"): Access.secretariat,
    ("GET", "/organisations"): Access.secretariat,
    ("POST", "/organisations"): Access.secretariat,
    ("POST", "/organisations/{organisation_id}"): Access.secretariat,
    ("POST", "/organisations/{organisation_id}/{switch}"): Access.secretariat,
    ("GET", "/api/organisations"): Access.signed_in,
    ("POST", "/api/organisations"): Access.secretariat,
    ("PUT", "/api/organisations/{organisation_id}"): Access.secretariat,
    ("POST", "/api/organisations/{organisation_id}/{switch}"): Access.secretariat,
    ("GET", "/me/api-keys"): Access.secretariat,
    ("POST", "/me/api-keys"): Access.secretariat,
    ("POST", "/me/api-keys/{key_id}/revoke"): Access.secretariat,
    # Working groups: the secretariat starts, changes and archives them.
    ("GET", "/groups"): Access.secretariat,
    ("POST", "/groups"): Access.secretariat,
    # ... and the group's chair changes how it works (not its names), and who sits in it.
    ("GET", "/groups/{slug}/settings"): Access.group_chair,
    ("POST", "/groups/{slug}/settings"): Access.group_chair,
    ("POST", "/groups/{slug}/archive"): Access.secretariat,
    ("POST", "/api/groups"): Access.secretariat,
    ("GET", "/api/groups/{slug}"): Access.group_read,
    ("PATCH", "/api/groups/{slug}"): Access.group_chair,
    ("GET", "/groups/{slug}/members"): Access.group_chair,
    ("POST", "/groups/{slug}/members"): Access.group_chair,
    ("POST", "/groups/{slug}/members/{membership_id}/role"): Access.group_chair,
    ("POST", "/groups/{slug}/members/{membership_id}/end"): Access.group_chair,
    ("GET", "/api/groups/{slug}/members"): Access.group_chair,
    ("POST", "/api/groups/{slug}/members"): Access.group_chair,
    ("POST", "/api/groups/{slug}/members/{membership_id}/role"): Access.group_chair,
    ("POST", "/api/groups/{slug}/members/{membership_id}/end"): Access.group_chair,
    # Importing members from a file: the secretariat only (it adds people to the register).
    ("GET", "/groups/{slug}/members/import"): Access.secretariat,
    ("POST", "/groups/{slug}/members/import"): Access.secretariat,
    ("POST", "/groups/{slug}/members/import/confirm"): Access.secretariat,
    ("POST", "/api/groups/{slug}/members/import"): Access.secretariat,
    ("POST", "/api/groups/{slug}/archive"): Access.secretariat,
    # The work queue (on the start page), and who has answered a call.
    ("GET", "/api/me/work"): Access.signed_in,
    ("GET", "/groups/{slug}/meetings/{meeting_id}/call/answers"): Access.group_chair,
    ("POST", "/groups/{slug}/meetings/{meeting_id}/call/remind"): Access.group_chair,
    ("GET", "/api/groups/{slug}/meetings/{meeting_id}/call/answers"): Access.group_chair,
    ("POST", "/api/groups/{slug}/meetings/{meeting_id}/call/remind"): Access.group_chair,
}
FRAMEWORK_ROUTES = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def all_routes(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route of the app, looking inside included routers (FastAPI keeps them nested)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from all_routes(included.routes)
        else:
            yield route


def api_routes(app: FastAPI) -> list[APIRoute]:
    """The app's own routes (not the framework's documentation routes or mounts)."""
    return [r for r in all_routes(app.routes) if isinstance(r, APIRoute)]


def rule_of(route: APIRoute) -> Access | None:
    """The rule a route declares through a Require dependency, if any."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if isinstance(dependency.call, Require):
            return dependency.call.access
        pending.extend(dependency.dependencies)
    return None


def test_every_route_names_a_rule(app: FastAPI) -> None:
    missing = []
    for route in all_routes(app.routes):
        if isinstance(route, APIRoute):
            if rule_of(route) is None:
                missing.append(route.path)
        elif isinstance(route, Mount):
            assert route.name in PUBLIC_MOUNTS, f"mount {route.path} has no rule"
        elif isinstance(route, Route):
            assert route.path in FRAMEWORK_ROUTES, f"route {route.path} has no rule"
        else:
            pytest.fail(f"a route of an unknown kind cannot be checked: {route!r}")
    assert missing == []


def test_every_route_has_its_intended_rule(app: FastAPI) -> None:
    declared = {
        (m, r.path): rule_of(r) for r in api_routes(app) for m in (r.methods or set()) - {"HEAD"}
    }
    assert declared == INTENDED


def test_the_walk_sees_every_operation_of_the_openapi_schema(app: FastAPI) -> None:
    walked = {(r.path, m) for r in api_routes(app) for m in (r.methods or set()) - {"HEAD"}}
    documented = {
        (path, method.upper()) for path, item in app.openapi()["paths"].items() for method in item
    }
    assert documented <= walked
    assert len(walked) >= 20


def uses_csrf(route: APIRoute) -> bool:
    """Whether a route is a form post guarded by the CSRF check."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if dependency.call is verify_csrf:
            return True
        pending.extend(dependency.dependencies)
    return False


def _url(path: str, victim_id: int, meeting_id: int) -> str:
    # A real meeting of the group: the walk reaches the meeting look-up behind the rule, not a
    # path that fails validation first.
    return (
        path.replace("{slug}", GROUP)
        .replace("{meeting_id}", str(meeting_id))
        .replace("{person_id}", str(victim_id))
        .replace("{key_id}", "999999")
        .replace("{membership_id}", "999999")
        .replace("{organisation_id}", "999999")
        .replace("{token_id}", "999999")
        .replace("{token}", "not-a-token")
    )


async def test_every_route_for_every_persona(app: FastAPI, sign_in: SignIn) -> None:
    routes = api_routes(app)
    # Signing out ends the persona's session, so it is walked last.
    routes.sort(key=lambda r: r.path == "/sign-out")
    assert any(uses_csrf(r) for r in routes)
    victim = await _victim_id(sign_in)
    meeting = await _meeting_id(sign_in)
    failures = []
    for persona, email in PERSONAS.items():
        client = await sign_in(email) if email else client_for(app)
        token = await csrf(client)
        for route in routes:
            access = rule_of(route)
            assert access is not None
            for method in sorted((route.methods or set()) - {"HEAD"}):
                writes = method not in ("GET", "OPTIONS")
                allowed = EXPECTED[access][persona][1 if writes else 0]
                response = await client.request(
                    method,
                    _url(route.path, victim, meeting),
                    data={"csrf_token": token} if uses_csrf(route) else None,
                    json=None if uses_csrf(route) else {},
                )
                refused = response.status_code in (401, 403)
                if refused == allowed or response.status_code >= 500:
                    failures.append(
                        f"{persona} {method} {route.path}: {response.status_code}"
                        f" (rule {access.value}, expected "
                        f"{'allowed' if allowed else 'refused'})"
                    )
        if email:
            await client.aclose()
    assert failures == []


async def _meeting_id(sign_in: SignIn) -> int:
    """A meeting of the walked group that is still to come."""
    client = await sign_in(PERSONAS["secretariat"])
    meetings = (await client.get(f"/api/groups/{GROUP}/meetings")).json()
    await client.aclose()
    ahead = [m for m in meetings if m["status"] == "planned"]
    assert ahead, meetings
    meeting_id: int = ahead[0]["id"]
    return meeting_id


async def _victim_id(sign_in: SignIn) -> int:
    """Someone the secretariat may erase during the walk without hurting the personas."""
    client = await sign_in("evelien.janssens@leuven.example")
    me = (await client.get("/api/me")).json()
    person_id: int = me["id"]
    return person_id


async def test_feeds_are_public_and_the_token_is_the_credential(
    app: FastAPI, sign_in: SignIn
) -> None:
    # Feeds are served before routing (service/web/feeds.py), so the walk above cannot see
    # them: their rule is Access.public, and only a valid token opens one.
    assert feeds.ROUTE == "/feeds/{token}.ics"
    for persona, email in PERSONAS.items():
        client = await sign_in(email) if email else client_for(app)
        for method in ("GET", "HEAD"):
            response = await client.request(method, "/feeds/not-a-token.ics")
            assert response.status_code == 404, persona
        if email:
            await client.aclose()


async def test_a_route_without_a_rule_is_caught(app: FastAPI) -> None:
    @app.get("/forgotten")
    def forgotten() -> dict[str, str]:
        return {}

    route = next(r for r in api_routes(app) if r.path == "/forgotten")
    assert rule_of(route) is None


async def test_anonymous_browser_is_sent_to_sign_in(app: FastAPI) -> None:
    async with client_for(app) as client:
        response = await client.get("/", headers={"accept": "text/html"})
    assert response.status_code == 303 and response.headers["location"] == "/sign-in"


async def test_member_cannot_read_another_groups_submissions(sign_in: SignIn) -> None:
    client = await sign_in(PERSONAS["outsider"])
    assert (await client.get("/api/groups/gdpr/submissions")).status_code == 200
    refused = await client.get("/api/groups/nis2/submissions")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Je hebt geen toegang tot deze actie."}


async def test_director_cannot_write(sign_in: SignIn) -> None:
    client = await sign_in(PERSONAS["director"])
    assert (await client.get("/api/groups/nis2/meetings")).status_code == 200
    response = await client.post(
        "/api/groups/nis2/meetings",
        json={
            "group": "nis2",
            "title": "Extra",
            "starts_at": "2027-03-02T13:00:00Z",
            "ends_at": "2027-03-02T15:00:00Z",
        },
    )
    assert response.status_code == 403


async def test_unknown_group_is_404_not_500(sign_in: SignIn) -> None:
    client = await sign_in(PERSONAS["secretariat"])
    response = await client.get("/api/groups/bestaat-niet/meetings")
    assert response.status_code == 404
    assert "bestaat-niet" in response.json()["detail"]


async def test_ids_beyond_the_database_range_are_bad_input_not_a_crash(sign_in: SignIn) -> None:
    client = await sign_in(PERSONAS["secretariat"])
    huge = "99999999999999999999999"
    assert (await client.delete(f"/api/me/api-keys/{huge}")).status_code == 422
    assert (await client.post(f"/api/people/{huge}/erase")).status_code == 422
