"""Every route of the app, for every role: allowed or refused, as its rule says.

Routes are discovered from the app itself, so a new route cannot be forgotten: a route that
names no rule fails here.
"""

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Mount, Route

from service.permissions import Access
from service.web.app import PUBLIC_MOUNTS
from service.web.security import Require
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
FRAMEWORK_ROUTES = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


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
    for route in app.routes:
        if isinstance(route, APIRoute):
            if rule_of(route) is None:
                missing.append(route.path)
        elif isinstance(route, Mount):
            assert route.name in PUBLIC_MOUNTS, f"mount {route.path} has no rule"
        elif isinstance(route, Route):
            assert route.path in FRAMEWORK_ROUTES, f"route {route.path} has no rule"
    assert missing == []


def _url(path: str, victim_id: int) -> str:
    return (
        path.replace("{slug}", GROUP)
        .replace("{person_id}", str(victim_id))
        .replace("{key_id}", "999999")
        .replace("{token}", "not-a-token")
    )


async def test_every_route_for_every_persona(app: FastAPI, sign_in: SignIn) -> None:
    routes = [r for r in app.routes if isinstance(r, APIRoute)]
    # Signing out ends the persona's session, so it is walked last.
    routes.sort(key=lambda r: r.path == "/sign-out")
    victim = await _victim_id(sign_in)
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
                    _url(route.path, victim),
                    data={"csrf_token": token} if route.path.startswith("/sign") else None,
                    json=None if route.path.startswith("/sign") else {},
                )
                refused = response.status_code in (401, 403)
                if refused == allowed:
                    failures.append(
                        f"{persona} {method} {route.path}: {response.status_code}"
                        f" (rule {access.value}, expected "
                        f"{'allowed' if allowed else 'refused'})"
                    )
        if email:
            await client.aclose()
    assert failures == []


async def _victim_id(sign_in: SignIn) -> int:
    """Someone the secretariat may erase during the walk without hurting the personas."""
    client = await sign_in("evelien.janssens@leuven.example")
    me = (await client.get("/api/me")).json()
    person_id: int = me["id"]
    return person_id


async def test_a_route_without_a_rule_is_caught(app: FastAPI) -> None:
    @app.get("/forgotten")
    def forgotten() -> dict[str, str]:
        return {}

    route = next(r for r in app.routes if isinstance(r, APIRoute) and r.path == "/forgotten")
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
