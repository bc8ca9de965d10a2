"""Record-level permission scope, applied in one place for every model.

Each scoped model's queryset is a `ScopedQuerySet` naming its `ScopeSpec`: who owns a row and
the paths through which a user also reaches it. `scope_filter()` turns a spec into SQL: `own`
sees what the user owns (or reaches through a path), `team` adds everything owned by members
of the user's team and its sub-teams (and of the teams the user manages), `all` sees
everything. Which SQL shape each path takes (a list of ids, a subquery, a per-row EXISTS) is
chosen here, once, for every model alike.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.apps import apps
from django.db import models
from django.db.models import Exists, ForeignKey, Lookup, OuterRef, Q
from django.utils.translation import gettext as _

from gendan.core.errors import ValidationFailed
from gendan.org.choices import Scope
from gendan.org.models import Team, User
from gendan.org.permissions import POOL_ROLES


def effective_scope(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Scope.ALL
    role = user.role if user.role_id else None
    return role.scope if role else Scope.OWN


class TeamIds(frozenset):
    """Team ids, knowing whether they are every team there is (a director over the whole
    tree, or the root team chosen as a filter)."""

    whole_tree: bool = False


def _teams_below(roots, rows) -> TeamIds:
    """`roots` and every team below them; `rows` are all teams as (id, parent id, ...)."""
    children: dict[int | None, list[int]] = {}
    for tid, parent_id, *_rest in rows:
        children.setdefault(parent_id, []).append(tid)
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        tid = stack.pop()
        if tid not in seen:
            seen.add(tid)
            stack.extend(children.get(tid, []))
    ids = TeamIds(seen)
    ids.whole_tree = bool(seen) and len(seen) == len(rows)
    return ids


def team_subtree_ids(team_id: int) -> TeamIds:
    """A team and every team below it."""
    return _teams_below([team_id], list(Team.objects.values_list("id", "parent_id")))


def team_ids(user) -> TeamIds:
    """The user's team, the teams they manage, and all their sub-teams (cached per user)."""

    def walk() -> TeamIds:
        rows = list(Team.objects.values_list("id", "parent_id", "manager_id"))
        roots = {tid for tid, _, manager_id in rows if manager_id == user.pk}
        if user.team_id:
            roots.add(user.team_id)
        return _teams_below(roots, rows)

    return per_user(user, "team_ids", walk)


def per_user(user, name: str, compute):
    """`compute()`, once per user object (that is, once per request): what a scope is made of
    is read again by every `visible_to` of a page."""
    memo = user.__dict__.setdefault("_gendan_scope", {})
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def scope_key(user) -> str:
    """Names who sees the same records as `user`, for figures kept per scope: everyone with
    `all`; else the user, with their teams (which may change)."""
    scope = effective_scope(user)
    if scope == Scope.ALL:
        return "all"
    teams = ",".join(str(i) for i in sorted(team_ids(user))) if scope == Scope.TEAM else ""
    return f"{scope}:{user.pk}:{teams}"


# Up to this many ids are read first and sent as a list; more are left to a subquery.
ID_LIST_LIMIT = 1000


def ids_q(user, name: str, field: str, ids_queryset) -> Q | None:
    """`field IN (ids)`, or None when there are none. A few ids (the deals someone works on
    with others, the customers of someone's own deals) are read first and sent as a list: a
    database then reads each id from its index, where `owner = me OR id IN (subquery)` makes
    PostgreSQL scan the whole table. `ids_queryset` is a flat `values_list`; its ids are read
    once per user object (`name` tells them apart), as `team_ids` are."""
    ids = per_user(user, name, lambda: list(ids_queryset[: ID_LIST_LIMIT + 1]))
    if not ids:
        return None
    if len(ids) > ID_LIST_LIMIT:
        return Q(**{f"{field}__in": ids_queryset})
    return Q(**{f"{field}__in": ids})


def covers_every_team(user) -> bool:
    """A team scope that reaches every team (a director over the whole tree)."""
    return effective_scope(user) == Scope.TEAM and team_ids(user).whole_tree


def via_visible_q(user, field: str, visible, *, per_row: bool = False) -> Q:
    """`field` (a foreign key) points at one of `visible`, the records of that model the user
    may see. For a scope over the whole company it is asked per row (EXISTS): the list of
    every visible record would be most of the table, gathered before one row is checked.
    `per_row` asks it per row anyway, for a read of one or a few rows."""
    if per_row or covers_every_team(user):
        return Q(Exists(visible.filter(pk=OuterRef(field))))
    return Q(**{f"{field}__in": visible.values("pk")})


def members_q(field: str, ids) -> Q:
    """`field` (a user id) is one of the members of the teams `ids`. When those are all the
    teams (`TeamIds.whole_tree`), said as "not one of the few people in no team": a filter
    checked row by row as a list is read in order, where a list of every member would make
    the database gather all their rows first."""
    if getattr(ids, "whole_tree", False):
        return ~Q(**{f"{field}__in": User.objects.filter(team__isnull=True).values("id")})
    return Q(**{f"{field}__any_of": team_members(ids)})


@ForeignKey.register_lookup
class AnyOf(Lookup):
    """`owner_id__any_of=<subquery of ids>`: on PostgreSQL `owner_id = ANY(ARRAY(subquery))`,
    which the planner runs once and then uses like a list of ids, combining it with other
    index reads of an OR (a rep's own leads or their team's pool leads); `owner_id IN
    (subquery)` there is checked row by row over the whole index. Elsewhere, `IN`."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]


def team_members(ids):
    """The users of these teams, as a subquery: `owner_id IN (...)` is answered from the
    owner index of the big table, where a join on the owner's team reads every row."""
    return User.objects.filter(team_id__in=ids).order_by().values("id")


@dataclass(frozen=True)
class ScopeSpec:
    """Who owns a row of a model, and the paths through which a user also reaches it.

    - `owner`: the owning user; a row is the user's own, and for a team scope also the team's
      when a member owns it. None: the rows are reached through the paths alone.
    - `also`: user fields that make a row the user's own too, never the team's (a contract's
      delivery PM, a task's creator, the rep who logged a follow-up or made a visit).
    - `team`: a team field; a team scope also sees the rows of the teams it reaches.
    - `works_on`: (model, field to here) of rows naming the user (`user`) as a member of a
      record: the deals someone works on with others.
    - `reached_from`: (model, field to here): records the user reaches through a visible row of
      another model (a customer through the deals the user may see).
    - `via`: (field, model) pairs: the row is visible when the record it points at is (a quote
      through its deal; a follow-up through whichever subject it is about).
    - `pool`: the flag of a shared pool (公海): a pooled row is nobody's own, seen by the pool
      roles of its last owner's team and by managers over that team.
    """

    owner: str | None = "owner"
    also: tuple[str, ...] = ()
    team: str | None = None
    works_on: tuple[str, str] | None = None
    reached_from: tuple[str, str] | None = None
    via: tuple[tuple[str, str], ...] = ()
    pool: str | None = None


def _own_terms(user, spec: ScopeSpec) -> list[Q]:
    """The rows that are the user's own: owned (a pooled row is nobody's own) or named by one
    of the `also` fields."""
    terms = []
    if spec.owner:
        own = {f"{spec.owner}_id": user.pk}
        if spec.pool:
            own[spec.pool] = False
        terms.append(Q(**own))
    return terms + [Q(**{f"{field}_id": user.pk}) for field in spec.also]


def _owner_terms(user, spec: ScopeSpec, scope: str, pooled: bool | None) -> list[Q]:
    terms = _own_terms(user, spec)
    ids = team_ids(user) if scope == Scope.TEAM else ()
    if ids and spec.owner:
        terms.append(members_q(f"{spec.owner}_id", ids))
    if ids and spec.team:
        terms.append(Q(**{f"{spec.team}_id__in": ids}))
    if spec.pool and pooled is not False and user.role_code in POOL_ROLES and user.team_id:
        terms.append(Q(**{spec.pool: True}) & members_q(f"{spec.owner}_id", [user.team_id]))
    return terms


def _path_terms(user, spec: ScopeSpec, per_row: bool) -> list[Q]:
    terms = []
    if spec.works_on:
        label, field = spec.works_on
        mine = apps.get_model(label).objects.filter(user_id=user.pk).order_by()
        ids = mine.values_list(field, flat=True)
        terms.append(ids_q(user, f"{label}.{field}", "pk", ids))
    if spec.reached_from:
        label, field = spec.reached_from
        rows = apps.get_model(label).objects.visible_to(user)
        if covers_every_team(user):
            # Asked per row: the list of every visible row's target would be most of the
            # table, gathered before a search that finds two rows could answer.
            terms.append(Q(Exists(rows.filter(**{field: OuterRef("pk")}))))
        else:
            ids = rows.order_by().values_list(field, flat=True).distinct()
            terms.append(ids_q(user, f"{label}.{field}", "pk", ids))
    for field, label in spec.via:
        visible = apps.get_model(label).objects.visible_to(user)
        terms.append(via_visible_q(user, field, visible, per_row=per_row))
    return [term for term in terms if term is not None]


def scope_filter(
    user, spec: ScopeSpec, *, per_row: bool = False, pooled: bool | None = None
) -> Q | None:
    """The filter for the rows of `spec`'s model that `user` may see: Q() for all of them,
    None for none. The owner tests come first: a database that checks the terms in order asks
    the dearer subqueries of the paths only for rows those have not already let through.
    `per_row` asks the `via` paths row by row, for a read of one or a few rows. `pooled=False`
    says the caller reads only rows outside the pool: the pool's own path is then left out, a
    branch that could let nothing through but would still be searched."""
    scope = effective_scope(user)
    if scope is None:
        return None
    if scope == Scope.ALL:
        return Q()
    terms = _owner_terms(user, spec, scope, pooled) + _path_terms(user, spec, per_row)
    return reduce(or_, terms) if terms else None


def own_filter(user, spec: ScopeSpec) -> Q | None:
    """The user's own rows of `spec`'s model (always inside their scope, whatever it is): the
    figures of "my" work read these without asking the dearer paths. None for nothing."""
    terms = _own_terms(user, spec) if effective_scope(user) is not None else []
    return reduce(or_, terms) if terms else None


class ScopedQuerySet(models.QuerySet):
    """A queryset whose rows are read through the permission scope its `scope` spec names."""

    scope: ScopeSpec = ScopeSpec()

    def own(self, user):
        """The rows that are the user's own (`own_filter`): a part of `visible_to(user)`."""
        q = own_filter(user, self.scope)
        return self.none() if q is None else self.filter(q)

    def visible_to(self, user, *, per_row: bool = False, pooled: bool | None = None):
        """The rows `user` may see; `pooled=False` for a read that filters the pool out."""
        q = scope_filter(user, self.scope, per_row=per_row, pooled=pooled)
        if q is None:
            return self.none()
        return self.filter(q) if q else self.all()


def assignable_user_ids_q(user) -> Q | None:
    """Users the actor may give a record to: themselves (own), their teams (team), anyone (all)."""
    scope = effective_scope(user)
    if scope is None:
        return None
    if scope == Scope.ALL:
        return Q(is_active=True)
    q = Q(pk=user.pk)
    if scope == Scope.TEAM:
        ids = team_ids(user)
        if ids:
            q |= Q(team_id__in=ids)
    return q & Q(is_active=True)


def check_assignable(actor, owner_id: int | None, *, field: str = "owner_id") -> None:
    """Raise a 422 if `owner_id` is not a user inside the actor's scope."""
    if owner_id is None or owner_id == actor.pk:
        return
    q = assignable_user_ids_q(actor)
    if q is None or not User.objects.filter(q, pk=owner_id).exists():
        raise ValidationFailed(
            errors={field: _("This user does not exist or is outside your scope.")}
        )
