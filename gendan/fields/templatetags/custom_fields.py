"""`{% custom_values record "lead" %}`: a record's custom fields on its page, as the reader may
see them; `{% custom_cell record field %}` one of them in a list row."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from gendan.fields import layouts
from gendan.fields.choices import RANGE_TYPES, FieldType
from gendan.fields.display import choice_label, label, shown_value, user_names
from gendan.fields.selectors import may_see, read_once, visible_definitions

register = template.Library()


@register.inclusion_tag("fields/_values.html", takes_context=True)
def custom_values(context, record, record_type: str):
    user = context["request"].user
    fields = visible_definitions(user, record_type)
    values = record.custom or {}
    names = user_names(fields, [record])
    rows = [
        {"key": f.key, "label": label(f), **shown_value(f, values.get(f.key), names)}
        for f in fields
    ]
    return {"rows": rows}


class FactNode(template.Node):
    """One fact of a record page inside `{% layout_facts %}`: kept by its field name, shown
    where the layout puts it."""

    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        collected = context.get("_layout_facts")
        html = self.nodelist.render(context)
        if collected is None:
            return html
        collected.append((self.name.resolve(context), html))
        return ""


class LayoutFactsNode(template.Node):
    def __init__(self, record, record_type, pipeline_id, nodelist):
        self.record, self.record_type, self.pipeline_id = record, record_type, pipeline_id
        self.nodelist = nodelist

    def render(self, context):
        record = self.record.resolve(context)
        record_type = self.record_type.resolve(context)
        pipeline_id = self.pipeline_id.resolve(context) if self.pipeline_id else None
        collected = []
        with context.push(_layout_facts=collected):
            self.nodelist.render(context)
        return facts_html(context["request"], record, record_type, pipeline_id, collected)


def facts_html(request, record, record_type, pipeline_id, collected) -> str:
    """The record's facts: the ones no form has (when it was made...) as they come, then the
    form's fields and the custom values in the layout's sections; hidden ones left out."""
    layout = layouts.read_once(request, record_type, pipeline_id)
    built_in = set(layouts.built_in_names(record_type))
    html = {name: part for name, part in collected}
    system = [part for name, part in collected if name not in built_in]
    fields = visible_definitions(request.user, record_type)
    names = user_names(fields, [record])
    values = record.custom or {}
    for f in fields:
        row = {"key": f.key, "label": label(f), **shown_value(f, values.get(f.key), names)}
        html[layouts.CUSTOM + f.key] = render_to_string("fields/_values.html", {"rows": [row]})
    order = [n for n, _part in collected if n in built_in] + [
        layouts.CUSTOM + f.key for f in fields
    ]
    sections = layout.arrange(order)
    if not layout.sections:  # no layout: today's order, custom values last
        return mark_safe(_plain(collected, layout, html, fields))
    parts = list(system)
    for section in sections:
        heading = '<div class="gd-facts-section" data-testid="facts-section">{}</div>'
        parts.append(format_html(heading, section.label))
        parts.extend(html[n] for n in section.fields)
    return mark_safe("".join(parts))


def _plain(collected, layout, html, fields) -> str:
    parts = [part for name, part in collected if not layout.is_hidden(name)]
    parts += [
        html[layouts.CUSTOM + f.key] for f in fields if not layout.is_hidden(layouts.CUSTOM + f.key)
    ]
    return "".join(parts)


@register.tag
def layout_facts(parser, token):
    """`{% layout_facts record "lead" [pipeline_id] %}{% fact "phone" %}...{% endfact %}...
    {% endlayout_facts %}`: a record page's facts in its layout's sections."""
    bits = token.split_contents()
    if len(bits) not in (3, 4):
        raise template.TemplateSyntaxError("layout_facts takes a record, a type, a pipeline")
    nodelist = parser.parse(("endlayout_facts",))
    parser.delete_first_token()
    pipeline = parser.compile_filter(bits[3]) if len(bits) == 4 else None
    return LayoutFactsNode(
        parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), pipeline, nodelist
    )


@register.tag
def fact(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("fact takes a field name")
    nodelist = parser.parse(("endfact",))
    parser.delete_first_token()
    return FactNode(parser.compile_filter(bits[1]), nodelist)


@register.simple_tag(takes_context=True)
def custom_columns(context, record_type: str, records=(), limit: int = 3):
    """The first fields (by their order) a list shows as columns, with their labels; the
    names of the users the `records` name in them are read at once."""
    user = context["request"].user
    fields = visible_definitions(user, record_type)[:limit]
    names = user_names(fields, list(records))
    return [{"field": f, "label": label(f), "names": names} for f in fields]


@register.inclusion_tag("fields/_cell.html")
def custom_cell(record, column):
    field = column["field"]
    return shown_value(field, (record.custom or {}).get(field.key), column["names"])


FILTER_TYPES = (FieldType.CHOICE, FieldType.MULTI_CHOICE, FieldType.BOOLEAN)


@register.inclusion_tag("fields/_filters.html", takes_context=True)
def custom_filters(context, record_type: str):
    """A list's filter inputs for its custom fields: a select for a choice or yes/no, from /
    to for numbers, money and dates (named `cf.<key>.<op>`, see ui.lists.custom_conditions)."""
    request = context["request"]
    inputs = []
    for field in visible_definitions(request.user, record_type):
        name = f"cf.{field.key}"
        if field.type in FILTER_TYPES:
            op = "has" if field.type == FieldType.MULTI_CHOICE else "eq"
            if field.type == FieldType.BOOLEAN:
                options = [("true", _("Yes")), ("false", _("No"))]
            else:
                options = [(c["value"], choice_label(c)) for c in field.choices]
            inputs.append(
                {
                    "kind": "select",
                    "name": f"{name}.{op}",
                    "label": label(field),
                    "options": options,
                    "value": request.GET.get(f"{name}.{op}", ""),
                }
            )
        elif field.type in RANGE_TYPES:
            html_type = {FieldType.DATE: "date", FieldType.DATETIME: "date"}.get(
                field.type, "number"
            )
            for op, words in (("gte", _("from")), ("lte", _("to"))):
                inputs.append(
                    {
                        "kind": "input",
                        "type": html_type,
                        "name": f"{name}.{op}",
                        "label": f"{label(field)} {words}",
                        "value": request.GET.get(f"{name}.{op}", ""),
                    }
                )
    return {"inputs": inputs}


@register.inclusion_tag("fields/_sort_options.html", takes_context=True)
def custom_sort_options(context, record_type: str, ordering: str | None):
    """The `<option>`s that sort a list by a custom number, money or date field."""
    options = []
    for field in visible_definitions(context["request"].user, record_type):
        if field.type in RANGE_TYPES:
            for value, words in (
                (f"-custom.{field.key}", _("highest first")),
                (f"custom.{field.key}", _("lowest first")),
            ):
                options.append(
                    {
                        "value": value,
                        "label": f"{label(field)}: {words}",
                        "selected": value == ordering,
                    }
                )
    return {"options": options}


@register.simple_tag(takes_context=True)
def card_fields(context, cards=()):
    """The deal fields a board card shows (read once per page), with the names of the users
    the `cards` (or the cards of a board's columns) name in them, read at once."""
    request = context["request"]
    fields = [f for f in read_once(request, "deal") if f.on_card and may_see(request.user, f)]
    records = []
    for item in cards or ():  # cards, or a board's columns of cards
        inner = item.get("cards") if isinstance(item, dict) else getattr(item, "cards", None)
        records.extend(inner if inner is not None else [item])
    names = user_names(fields, records) if fields else {}
    return [{"field": f, "label": label(f), "names": names} for f in fields]


@register.inclusion_tag("fields/_card_values.html")
def card_values(record, columns):
    rows = []
    for column in columns:
        field = column["field"]
        shown = shown_value(field, (record.custom or {}).get(field.key), column["names"])
        if shown["text"]:
            rows.append({"key": field.key, "label": column["label"], **shown})
    return {"rows": rows}
