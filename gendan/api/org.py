from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import ErrorOut, Page, patch_data
from gendan.org import selectors, services
from gendan.org.schemas import (
    MeOut,
    RoleOut,
    RolePatch,
    TeamIn,
    TeamOut,
    TeamPatch,
    TokenIn,
    TokenInfoOut,
    TokenOut,
    UserFilter,
    UserIn,
    UserOut,
    UserPatch,
)
from gendan.org.scoping import effective_scope, team_ids

auth_router = Router(tags=["auth"])
me_router = Router(tags=["auth"])
users_router = Router(tags=["org"])
teams_router = Router(tags=["org"])
roles_router = Router(tags=["org"])


@auth_router.post("/token", response={201: TokenOut, 401: ErrorOut, 429: ErrorOut}, auth=None)
def token_create(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for a bearer token. Wrong credentials answer 401;
    after five failures for one account from one address (or 30 from one address, or 30 for
    one account) 429 with Retry-After, for 15 minutes and longer for a guesser who goes on."""
    key = services.token_login(
        request=request, username=payload.username, password=payload.password, name=payload.name
    )
    return Status(201, {"token": key})


@auth_router.get("/tokens", response=list[TokenInfoOut])
def token_list(request: HttpRequest):
    return list(selectors.token_list(actor=actor(request)))


@auth_router.delete("/tokens/{token_id}", response={204: None})
def token_revoke(request: HttpRequest, token_id: int):
    services.token_revoke(actor=actor(request), token_id=token_id)
    return Status(204, None)


@auth_router.post("/logout", response={204: None})
def logout(request: HttpRequest):
    """Revoke the token this request was made with."""
    token_id = getattr(actor(request), "current_token_id", None)
    if token_id:
        services.token_revoke(actor=actor(request), token_id=token_id)
    return Status(204, None)


@me_router.post("/logout-everywhere", response={204: None})
def logout_everywhere(request: HttpRequest):
    """End every web session of the caller and revoke all their API tokens (this one too)."""
    services.sessions_end_everywhere(actor=actor(request))
    return Status(204, None)


@me_router.get("", response=MeOut)
def me(request: HttpRequest):
    user = actor(request)
    user.scope = effective_scope(user)
    user.team_ids = sorted(team_ids(user))
    return user


@users_router.get("", response=Page[UserOut])
def user_list(
    request: HttpRequest, filters: UserFilter = Query(...), page: PageParams = Query(...)
):
    qs = selectors.user_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@users_router.post("", response={201: UserOut})
def user_create(request: HttpRequest, payload: UserIn):
    return Status(201, services.user_create(actor=actor(request), data=payload.model_dump()))


@users_router.get("/{user_id}", response=UserOut)
def user_detail(request: HttpRequest, user_id: int):
    return selectors.user_get(actor=actor(request), user_id=user_id)


@users_router.patch("/{user_id}", response=UserOut)
def user_update(request: HttpRequest, user_id: int, payload: UserPatch):
    data, version = patch_data(payload)
    services.user_update(
        actor=actor(request),
        user_id=user_id,
        data=data,
        version=expected_version(request, version),
    )
    return selectors.user_get(actor=actor(request), user_id=user_id)


@users_router.delete("/{user_id}", response={204: None})
def user_deactivate(request: HttpRequest, user_id: int):
    """Users are never deleted (their records keep their history): this deactivates."""
    services.user_update(actor=actor(request), user_id=user_id, data={"is_active": False})
    return Status(204, None)


@teams_router.get("", response=Page[TeamOut])
def team_list(request: HttpRequest, page: PageParams = Query(...)):
    return paginate(selectors.team_list(actor=actor(request)), page.page, page.page_size)


@teams_router.post("", response={201: TeamOut})
def team_create(request: HttpRequest, payload: TeamIn):
    return Status(201, services.team_create(actor=actor(request), data=payload.model_dump()))


@teams_router.get("/{team_id}", response=TeamOut)
def team_detail(request: HttpRequest, team_id: int):
    return selectors.team_get(actor=actor(request), team_id=team_id)


@teams_router.patch("/{team_id}", response=TeamOut)
def team_update(request: HttpRequest, team_id: int, payload: TeamPatch):
    data, version = patch_data(payload)
    return services.team_update(
        actor=actor(request), team_id=team_id, data=data, version=expected_version(request, version)
    )


@teams_router.delete("/{team_id}", response={204: None})
def team_delete(request: HttpRequest, team_id: int):
    services.team_delete(actor=actor(request), team_id=team_id)
    return Status(204, None)


@roles_router.get("", response=Page[RoleOut])
def role_list(request: HttpRequest, page: PageParams = Query(...)):
    return paginate(selectors.role_list(actor=actor(request)), page.page, page.page_size)


@roles_router.get("/{role_id}", response=RoleOut)
def role_detail(request: HttpRequest, role_id: int):
    return selectors.role_get(actor=actor(request), role_id=role_id)


@roles_router.patch("/{role_id}", response=RoleOut)
def role_update(request: HttpRequest, role_id: int, payload: RolePatch):
    data, version = patch_data(payload)
    return services.role_update(
        actor=actor(request), role_id=role_id, data=data, version=expected_version(request, version)
    )
