"""Settings → Custom fields → Layout: sections, the order of the fields, hidden fields; for
deals per pipeline too. Each step is one small change saved at once (htmx)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.errors import DomainError
from gendan.deals import selectors as deal_selectors
from gendan.fields import layout_services, layouts
from gendan.fields.choices import RecordType
from gendan.fields.display import label
from gendan.fields.selectors import definitions
from gendan.org.services import require_admin
from gendan.ui.templatetags.gendan import local_name


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def editor_context(request, record_type: str, pipeline_id: int | None, error: str = "") -> dict:
    """What the layout editor shows: the sections with every field they place, then the
    default section with the rest; hidden fields marked."""
    layout = layouts.read_once(request, record_type, pipeline_id)
    labels = {f.name: str(f.label) for f in layouts.BUILT_IN.get(record_type, ())}
    labels |= {layouts.CUSTOM + f.key: label(f) for f in definitions(record_type)}
    may_hide = set(layouts.hideable(record_type))

    def rows(names):
        return [
            {
                "name": n,
                "label": labels[n],
                "hidden": layout.is_hidden(n),
                "hideable": n in may_hide or n.startswith(layouts.CUSTOM),
                "custom": n.startswith(layouts.CUSTOM),
            }
            for n in names
            if n in labels
        ]

    placed = {n for s in layout.sections for n in s.fields}
    sections = [
        {"index": i, "label_zh": s.label_zh, "label_en": s.label_en, "label": s.label}
        | {"fields": rows(s.fields)}
        for i, s in enumerate(layout.sections)
    ]
    rest = rows([n for n in labels if n not in placed])
    pipelines = []
    if record_type == RecordType.DEAL:
        pipelines = [
            {"id": p.pk, "name": local_name(p)}
            for p in deal_selectors.pipeline_list(actor=request.user)
        ]
    return {
        "layout": layout,
        "layout_sections": sections,
        "layout_rest": rows_default(rest, bool(sections)),
        "layout_record_type": record_type,
        "layout_pipeline_id": pipeline_id,
        "layout_pipelines": pipelines,
        "layout_error": error,
        "layout_own": layout.layout_id is not None and not layout.inherited,
    }


def rows_default(rest: list, has_sections: bool) -> dict:
    return {"fields": rest, "label": str(layouts.DEFAULT_SECTION) if has_sections else ""}


def _section(data: dict, index) -> dict:
    index = _int(index)
    if index is None or not 0 <= index < len(data["sections"]):
        raise DomainError(_("No such section."))
    return data["sections"][index]


def _unplace(data: dict, name: str) -> None:
    for section in data["sections"]:
        if name in section["fields"]:
            section["fields"].remove(name)


def _move(items: list, index: int, step: int) -> None:
    target = index + step
    if 0 <= index < len(items) and 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]


def _change(post):
    """The change a POST asks for, as a function of the layout's data."""
    op, name = post.get("op"), post.get("field", "")
    step = -1 if post.get("dir") == "up" else 1

    def change(data: dict) -> None:
        if op == "add_section":
            data["sections"].append(
                {"label_zh": post.get("label_zh", ""), "label_en": post.get("label_en", "")}
                | {"fields": []}
            )
        elif op == "rename_section":
            section = _section(data, post.get("section"))
            section["label_zh"] = post.get("label_zh", "")
            section["label_en"] = post.get("label_en", "")
        elif op == "remove_section":
            data["sections"].remove(_section(data, post.get("section")))
        elif op == "move_section":
            _move(data["sections"], _int(post.get("section")) or 0, step)
        elif op == "place":
            _unplace(data, name)
            if post.get("section", "") != "":
                _section(data, post.get("section"))["fields"].append(name)
        elif op == "move_field":
            for section in data["sections"]:
                if name in section["fields"]:
                    _move(section["fields"], section["fields"].index(name), step)
        elif op == "hide":
            data["hidden"] = sorted(set(data["hidden"]) | {name})
        elif op == "show":
            data["hidden"] = [n for n in data["hidden"] if n != name]
        else:
            raise DomainError(_("Unknown change."))

    return change


def layout_target(request) -> tuple[str, int | None]:
    source = request.POST if request.method == "POST" else request.GET
    record_type = source.get("type") or RecordType.LEAD
    if record_type not in RecordType.values:
        record_type = RecordType.LEAD
    pipeline_id = _int(source.get("pipeline")) if record_type == RecordType.DEAL else None
    return record_type, pipeline_id


@require_POST
@login_required
def layout_edit(request):
    """One step on the layout (a section added, a field moved or hidden...); answers the
    editor drawn again, with the error when the step was refused."""
    require_admin(request.user)
    record_type, pipeline_id = layout_target(request)
    error = ""
    try:
        if request.POST.get("op") == "reset":
            layout_services.layout_reset(
                actor=request.user, record_type=record_type, pipeline_id=pipeline_id
            )
        else:
            layout_services.layout_edit(
                actor=request.user,
                record_type=record_type,
                pipeline_id=pipeline_id,
                change=_change(request.POST),
            )
    except DomainError as exc:
        messages = getattr(exc, "errors", None) or {}
        error = " ".join(str(m) for m in messages.values()) or str(exc.detail)
    context = editor_context(request, record_type, pipeline_id, error)
    return render(request, "fields/_layout.html", context)
