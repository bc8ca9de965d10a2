"""Filtering and sorting a list by custom fields.

A list's filters carry `cf`, repeated: `<key>:<op>:<value>` with the operators
`eq` (equals), `in` (one of, values separated by `|`), `gte` / `lte` (a range, for numbers,
money, dates and moments), `has` (contains: text; or includes: several choices), `empty` and
`filled` (no value). `ordering=custom.<key>` (or `-custom.<key>`) sorts by a field. Only the
fields the actor may see filter or sort; any other condition is refused, naming it.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from pydantic import Field

from gendan.core.errors import ValidationFailed
from gendan.core.filters import ListFilter
from gendan.core.selectors import ordered
from gendan.fields.choices import RANGE_TYPES, TEXT_TYPES, FieldType
from gendan.fields.expressions import SORTED, CustomValue
from gendan.fields.selectors import visible_definitions
from gendan.fields.values import BadValue, stored
from gendan.org.choices import Scope
from gendan.org.scoping import effective_scope
from gendan.ui.lists import parse_filters

OPERATORS = ("eq", "in", "gte", "lte", "has", "empty", "filled")
EQUAL, RANGE = ("eq", "in"), ("gte", "lte")


def parse(condition: str) -> tuple[str, str, str]:
    key, _sep, rest = condition.partition(":")
    op, _sep, value = rest.partition(":")
    return key.strip(), op.strip() or "eq", value


def _value(field, raw: str):
    if field.type == FieldType.BOOLEAN:
        if raw.lower() in ("true", "1", "yes"):
            return True
        if raw.lower() in ("false", "0", "no"):
            return False
        raise BadValue(_("Give true or false."))
    if field.type == FieldType.USER:
        if not raw.strip().isdigit():
            raise BadValue(_("Give a user's id."))
        return int(raw)
    if field.type == FieldType.MULTI_CHOICE:
        return stored(field, [raw])[0]
    value = stored(field, raw)
    if value is None:
        raise BadValue(_("Give a value."))
    return value


def alias_of(field) -> str:
    return f"_cf_{field.key}"


def condition_q(field, op: str, raw: str) -> Q:
    """The condition on the field's value expression (expressions.py), aliased as
    `alias_of(field)` by the caller: the same expression as the field's index."""
    name = alias_of(field)
    if op == "empty":
        return Q(**{f"{name}__isnull": True})
    if op == "filled":
        return Q(**{f"{name}__isnull": False})
    if op == "has":
        if field.type == FieldType.MULTI_CHOICE:
            # The stored list holds plain values (a choice's value is a key: no escaping).
            return Q(**{f"{name}__contains": f'"{_value(field, raw)}"'})
        if field.type in TEXT_TYPES:
            return Q(**{f"{name}__icontains": raw.strip()}) if raw.strip() else Q()
        raise BadValue(_("Use eq, in, gte or lte for this field."))
    if op == "in":
        values = [_value(field, part) for part in raw.split("|") if part.strip()]
        return Q(**{f"{name}__in": values})
    if op in ("gte", "lte"):
        if field.type not in RANGE_TYPES:
            raise BadValue(_("Only numbers, money and dates have a range."))
        return Q(**{f"{name}__{op}": _value(field, raw)})
    if op == "eq":
        if field.type == FieldType.MULTI_CHOICE:
            return condition_q(field, "has", raw)
        return Q(**{name: _value(field, raw)})
    raise BadValue(_("Use one of: %(ops)s.") % {"ops": ", ".join(OPERATORS)})


def custom_filtered(
    queryset: QuerySet, record_type: str, conditions, *, actor, fields=None
) -> QuerySet:
    """The queryset with each `cf` condition; ValidationFailed naming a bad one (`fields`: the
    actor's visible definitions, when already read)."""
    if not conditions:
        return queryset
    if fields is None:
        fields = visible_definitions(actor, record_type)
    fields = {f.key: f for f in fields}
    q, ops, errors = Q(), {}, {}
    for condition in conditions:
        key, op, raw = parse(condition)
        field = fields.get(key)
        if field is None:
            errors[f"cf.{key}"] = _("Unknown field.")
            continue
        try:
            q &= condition_q(field, op, raw)
        except BadValue as exc:
            errors[f"cf.{key}"] = str(exc)
        ops.setdefault(field.key, set()).add(op)
    if errors:
        raise ValidationFailed(errors=errors)
    aliases = {
        alias_of(fields[key]): CustomValue(
            key, fields[key].type, indexed=_indexed(actor, used, ops)
        )
        for key, used in ops.items()
    }
    return queryset.alias(**aliases).filter(q)


def _indexed(actor, used: set, ops: dict):
    """Whether a field's conditions may read its index (expressions.CustomValue): not for a
    reader with the "own" scope, who sees a few hundred records, read by the scope; a range
    only in a list sorted by it when another field is compared for equality."""
    if effective_scope(actor) == Scope.OWN:
        return False
    equality_elsewhere = any(set(EQUAL) & other for other in ops.values() if other is not used)
    if used <= set(RANGE) and equality_elsewhere:
        return SORTED
    return True


# Conditions that only a value passes: the list then holds no empty value of that field.
_FILLED_OPS = ("eq", "in", "gte", "lte", "filled")


def filled_keys(conditions) -> set[str]:
    """The fields that `conditions` leave no empty value of."""
    return {key for key, op, _raw in map(parse, conditions or []) if op in _FILLED_OPS}


def custom_ordering(
    record_type: str, ordering: str | None, *, actor, fields=None, filled: set[str] = frozenset()
):
    """The order_by expression of `ordering=[-]custom.<key>`, else None.

    Empty values go last either way. Where the conditions already leave none (`filled`), the
    order says nothing of them: PostgreSQL then walks the field's index backwards for a
    descending order (its index keeps empty values last going up, so `DESC NULLS LAST` could
    not use it and sorted every matching row)."""
    if not ordering or not ordering.lstrip("-").startswith("custom."):
        return None
    key = ordering.lstrip("-")[len("custom.") :]
    if fields is None:
        fields = visible_definitions(actor, record_type)
    field = next((f for f in fields if f.key == key), None)
    if field is None:
        return None
    expression = CustomValue(field.key, field.type)
    descending = ordering.startswith("-")
    nulls = {} if key in filled else {"nulls_last": True}
    return expression.desc(**nulls) if descending else expression.asc(**nulls)


class CustomListFilter(ListFilter):
    """The filters of a list whose records have custom fields: `cf` conditions as well."""

    cf: list[str] = Field(
        [],
        description="Custom field conditions, repeated: `<key>:<op>:<value>` with op eq, in "
        "(values split by |), gte, lte, has, empty, filled; e.g. `cf=segment:in:retail|energy`.",
    )

    def filter_cf(self, value) -> Q:
        return Q()  # applied by `custom_list`, which knows the reader's fields


def custom_list(queryset, record_type: str, filters, *, actor, allowed=(), default=None):
    """The list with its `cf` conditions and its order: a custom field's
    (`ordering=[-]custom.<key>`), else one of `allowed`, else `default` (None: as it is)."""
    ordering = getattr(filters, "ordering", None)
    sorts_by_custom = bool(ordering) and ordering.lstrip("-").startswith("custom.")
    fields = None
    if filters.cf or sorts_by_custom:
        fields = visible_definitions(actor, record_type)  # read once for both
    queryset = custom_filtered(queryset, record_type, filters.cf, actor=actor, fields=fields)
    order = custom_ordering(
        record_type, ordering, actor=actor, fields=fields, filled=filled_keys(filters.cf)
    )
    if order is not None:
        return queryset.order_by(order, "-id")
    return ordered(queryset, ordering, allowed, default) if default else queryset


def usable(record_type: str, conditions, *, actor, fields=None) -> list[str]:
    """The conditions that filter as they are (a list page drops the others, as it drops any
    value of its URL that does not parse); `fields`: the actor's visible definitions, when
    already read."""
    if not conditions:
        return []
    if fields is None:
        fields = visible_definitions(actor, record_type)
    fields = {f.key: f for f in fields}
    kept = []
    for condition in conditions or []:
        key, op, raw = parse(condition)
        field = fields.get(key)
        if field is None:
            continue
        try:
            condition_q(field, op, raw)
        except BadValue:
            continue
        kept.append(condition)
    return kept


def page_filters(request, schema, record_type: str):
    """A list page's filters (ui.lists.parse_filters) with its usable `cf` conditions."""
    filters = parse_filters(request, schema)
    filters.cf = usable(record_type, filters.cf, actor=request.user)
    return filters
