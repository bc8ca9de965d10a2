"""Reads of the organisation. Every signed-in user may read the directory (to pick an owner)."""

from gendan.core.errors import NotFound
from gendan.org.models import ApiToken, Role, Team, User
from gendan.org.schemas import UserFilter


def user_list(*, actor: User, filters: UserFilter | dict):
    qs = User.objects.select_related("role", "team")
    return UserFilter.of(filters).apply(qs).order_by("id")


def user_get(*, actor: User, user_id: int) -> User:
    user = User.objects.select_related("role", "team").filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    return user


def team_list(*, actor: User):
    return Team.objects.select_related("manager").order_by("id")


def team_get(*, actor: User, team_id: int) -> Team:
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise NotFound()
    return team


def role_list(*, actor: User):
    return Role.objects.order_by("id")


def role_get(*, actor: User, role_id: int) -> Role:
    role = Role.objects.filter(pk=role_id).first()
    if role is None:
        raise NotFound()
    return role


def token_list(*, actor: User):
    return ApiToken.objects.filter(user=actor, revoked_at__isnull=True).order_by("-id")
