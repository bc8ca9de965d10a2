"""Layouts: the order of a record type's fields on forms and pages, in named sections, and the
built-in fields a team hides. Reading them; the writes are in `layout_services.py`.

A layout names fields as the web forms do: a built-in field by its form name (`owner_id`), a
custom field as `custom.<key>`. A field no section places falls into a last, default section,
so a new custom field never disappears. Hiding only takes a field off the forms and pages: the
API still takes and answers it.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gendan.core.errors import ValidationFailed
from gendan.core.kept import kept
from gendan.fields.choices import RecordType
from gendan.fields.display import in_chinese, label
from gendan.fields.models import CustomField, Layout
from gendan.fields.selectors import may_see, visible_definitions

KIND = "layouts"
CUSTOM = "custom."


@dataclass(frozen=True)
class BuiltIn:
    name: str
    label: str
    hideable: bool = True


def _fields(*specs) -> tuple[BuiltIn, ...]:
    return tuple(BuiltIn(name, label, hideable) for name, label, hideable in specs)


# The built-in fields of each record type's form, in the form's order. The ones that may not be
# hidden are those a service requires, or that the workflows read (the board's totals, the
# assignment of owners, the customers' status, the follow-ups' outcome).
BUILT_IN = {
    RecordType.LEAD: _fields(
        ("name", _("Name"), False),
        ("company", _("Company"), True),
        ("title", _("Job title"), True),
        ("phone", _("Phone"), False),
        ("email", _("Email"), True),
        ("wechat", _("WeChat"), True),
        ("source", _("Source"), True),
        ("owner_id", _("Owner"), False),
        ("tags", _("Tags"), True),
        ("next_follow_up_at", _("Next follow-up"), True),
        ("notes", _("Notes"), True),
    ),
    RecordType.CUSTOMER: _fields(
        ("name", _("Name"), False),
        ("industry", _("Industry"), True),
        ("size", _("Size"), True),
        ("region", _("Region"), True),
        ("status", _("Status"), False),
        ("address", _("Address"), True),
        ("website", _("Website"), True),
        ("owner_id", _("Owner"), False),
        ("notes", _("Notes"), True),
    ),
    RecordType.CONTACT: _fields(
        ("name", _("Name"), False),
        ("title", _("Job title"), True),
        ("phone", _("Phone"), True),
        ("email", _("Email"), True),
        ("wechat", _("WeChat"), True),
        ("is_primary", _("Primary contact"), True),
    ),
    RecordType.DEAL: _fields(
        ("customer_id", _("Customer"), False),
        ("pipeline_id", _("Pipeline"), False),
        ("name", _("Deal name"), False),
        ("amount", _("Amount"), False),
        ("expected_close_date", _("Expected close date"), True),
        ("contact_id", _("Contact"), True),
        ("owner_id", _("Owner"), False),
        ("risk_level", _("Risk"), True),
        ("next_follow_up_at", _("Next follow-up"), True),
        ("notes", _("Notes"), True),
    ),
    RecordType.CONTRACT: _fields(
        ("title", _("Title"), True),
        ("amount", _("Amount"), False),
        ("currency", _("Currency"), False),
        ("signed_at", _("Signed on"), True),
        ("start_date", _("Starts"), True),
        ("end_date", _("Ends"), True),
        ("owner_id", _("Owner"), False),
        ("pm_id", _("Project manager"), True),
        ("terms", _("Terms"), True),
    ),
    RecordType.ACTIVITY: _fields(
        ("channel", _("Channel"), False),
        ("outcome", _("Outcome"), False),
        ("summary", _("Summary"), False),
        ("next_follow_up_at", _("Next follow-up"), True),
        ("objection", _("Customer raised an objection"), True),
        ("requirement_changed", _("Requirement changed"), True),
    ),
    RecordType.TASK: _fields(
        ("title", _("Task"), False),
        ("due_at", _("Due"), True),
        ("priority", _("Priority"), True),
        ("assignee_id", _("Assignee"), False),
        ("description", _("Details"), True),
    ),
}

DEFAULT_SECTION = pgettext_lazy("layout section", "Other details")


def built_in_names(record_type: str) -> list[str]:
    return [f.name for f in BUILT_IN.get(record_type, ())]


def hideable(record_type: str) -> list[str]:
    return [f.name for f in BUILT_IN.get(record_type, ()) if f.hideable]


@dataclass(frozen=True)
class Section:
    label_zh: str
    label_en: str
    fields: tuple[str, ...]
    default: bool = False

    @property
    def label(self) -> str:
        if self.default:
            return str(DEFAULT_SECTION)
        return (self.label_zh if in_chinese() else self.label_en) or self.label_en or self.label_zh


@dataclass(frozen=True)
class ResolvedLayout:
    """The layout a form or page of a record type (and, for deals, a pipeline) uses."""

    record_type: str
    pipeline_id: int | None = None
    sections: tuple[Section, ...] = ()
    hidden: frozenset = field(default_factory=frozenset)
    layout_id: int | None = None  # the row it was read from; None: nothing saved yet
    version: int | None = None
    for_pipeline: int | None = None  # the pipeline of the row (None: the type's own)

    @property
    def inherited(self) -> bool:
        """A pipeline without a layout of its own, using the deals' one."""
        return self.pipeline_id is not None and self.for_pipeline != self.pipeline_id

    def is_hidden(self, name: str) -> bool:
        return name in self.hidden

    def arrange(self, names) -> list[Section]:
        """`names` (the fields a form or page has, in their natural order) in sections: the
        layout's sections with the fields they place, in their order, then a default section
        with the rest; hidden fields and empty sections left out. Without any section, one
        default section without a heading (label "")."""
        present = [n for n in names if n not in self.hidden]
        known = set(present)
        placed, out = set(), []
        for section in self.sections:
            fields = tuple(n for n in section.fields if n in known and n not in placed)
            placed.update(fields)
            if fields:
                out.append(Section(section.label_zh, section.label_en, fields))
        rest = tuple(n for n in present if n not in placed)
        if rest:
            out.append(Section("", "", rest, default=bool(self.sections)))
        return out

    def as_data(self) -> dict:
        return {
            "sections": [
                {"label_zh": s.label_zh, "label_en": s.label_en, "fields": list(s.fields)}
                for s in self.sections
            ],
            "hidden": sorted(self.hidden),
        }


def _resolved(row: Layout | None, record_type: str, pipeline_id: int | None) -> ResolvedLayout:
    if row is None:
        return ResolvedLayout(record_type=record_type, pipeline_id=pipeline_id)
    return ResolvedLayout(
        record_type=record_type,
        pipeline_id=pipeline_id,
        sections=tuple(
            Section(s.get("label_zh", ""), s.get("label_en", ""), tuple(s.get("fields") or ()))
            for s in row.sections or ()
        ),
        hidden=frozenset(row.hidden or ()),
        layout_id=row.pk,
        version=row.version,
        for_pipeline=row.pipeline_id,
    )


def stored_layouts() -> list[Layout]:
    """Every saved layout (a few rows), kept in the cache until one changes."""
    return kept(KIND, "all", lambda: list(Layout.objects.all()), 300)


def layout_for(record_type: str, pipeline_id: int | None = None, *, stored=None) -> ResolvedLayout:
    """The layout of a record type; for a deal's pipeline its own one, else the deals' one
    (`stored`: the saved layouts, when the caller has read them already)."""
    rows = {(r.record_type, r.pipeline_id): r for r in stored or stored_layouts()}
    row = None
    if pipeline_id is not None and record_type == RecordType.DEAL:
        row = rows.get((record_type, pipeline_id))
    if row is None:
        row = rows.get((record_type, None))
    return _resolved(row, record_type, pipeline_id)


def read_once(request, record_type: str, pipeline_id: int | None = None) -> ResolvedLayout:
    """`layout_for`, read once per request (`request` None: read each time)."""
    if request is None:
        return layout_for(record_type, pipeline_id)
    memo = getattr(request, "_layouts", None)
    if memo is None:
        memo = request._layouts = {}
    key = (record_type, pipeline_id)
    if key not in memo:
        if "stored" not in memo:  # the saved layouts, once for every form of the page
            memo["stored"] = stored_layouts()
        memo[key] = layout_for(record_type, pipeline_id, stored=memo["stored"])
    return memo[key]


def pipeline_bound(record_type: str) -> bool:
    """Whether any pipeline has a layout of its own (then a deal's pipeline matters)."""
    return record_type == RecordType.DEAL and any(
        r.record_type == record_type and r.pipeline_id is not None for r in stored_layouts()
    )


def default_pipeline_id() -> int | None:
    """The pipeline a new deal goes to when none is named (pipelines are a higher layer's)."""
    pipeline = apps.get_model("deals.Pipeline")
    return pipeline.objects.filter(is_default=True).values_list("pk", flat=True).first()


def hidden_custom_keys(record_type: str, pipeline_id: int | None = None) -> set[str]:
    """The keys of the custom fields the layout hides (not asked for: see values.clean)."""
    hidden = layout_for(record_type, pipeline_id).hidden
    return {name[len(CUSTOM) :] for name in hidden if name.startswith(CUSTOM)}


def check_target(record_type: str, pipeline_id: int | None) -> None:
    """A layout is for a record type, and for deals optionally for an existing pipeline."""
    if record_type not in RecordType.values:
        raise ValidationFailed(errors={"record_type": gettext("No such record type.")})
    if pipeline_id is None:
        return
    if record_type != RecordType.DEAL:
        raise ValidationFailed(
            errors={"pipeline_id": gettext("Only deals have a layout per pipeline.")}
        )
    if not apps.get_model("deals.Pipeline").objects.filter(pk=pipeline_id).exists():
        raise ValidationFailed(errors={"pipeline_id": gettext("No such pipeline.")})


def layout_view(*, actor, record_type: str, pipeline_id: int | None = None) -> dict:
    """A layout as a client draws it: the sections, the hidden fields, and every field the
    reader's forms may hold (built-in ones, and the custom fields the reader may see; a custom
    field it may not see is named nowhere)."""
    check_target(record_type, pipeline_id)
    customs = visible_definitions(actor, record_type)
    return _view(record_type, pipeline_id, stored_layouts(), customs)


def _view(record_type: str, pipeline_id: int | None, stored: list, customs: list) -> dict:
    layout = layout_for(record_type, pipeline_id, stored=stored)
    seen = set(built_in_names(record_type)) | {CUSTOM + f.key for f in customs}
    fields = [
        {"name": f.name, "label": str(f.label), "built_in": True, "hideable": f.hideable}
        for f in BUILT_IN.get(record_type, ())
    ] + [
        {"name": CUSTOM + f.key, "label": label(f), "built_in": False, "hideable": True}
        for f in customs
    ]
    for item in fields:
        item["hidden"] = layout.is_hidden(item["name"])
    return {
        "record_type": record_type,
        "pipeline_id": pipeline_id,
        "inherited": layout.inherited,
        "saved": layout.layout_id is not None and not layout.inherited,
        "version": None if layout.inherited else layout.version,
        "sections": [
            {
                "label_zh": s.label_zh,
                "label_en": s.label_en,
                "fields": [n for n in s.fields if n in seen],
            }
            for s in layout.sections
        ],
        "hidden": sorted(n for n in layout.hidden if n in seen),
        "fields": fields,
    }


def layout_views(*, actor, record_type: str | None = None) -> list[dict]:
    """Each record type's layout (saved or not), then each pipeline's own deal layout."""
    types = [record_type] if record_type else list(RecordType.values)
    stored = stored_layouts()
    customs = {t: [] for t in types}
    for f in CustomField.objects.filter(record_type__in=types, archived_at__isnull=True):
        if may_see(actor, f):
            customs[f.record_type].append(f)
    out = [_view(t, None, stored, customs[t]) for t in types]
    if RecordType.DEAL in types:
        bound = {
            r.pipeline_id
            for r in stored
            if r.record_type == RecordType.DEAL and r.pipeline_id is not None
        }
        existing = apps.get_model("deals.Pipeline").objects.filter(pk__in=bound)
        out += [
            _view(RecordType.DEAL, p, stored, customs[RecordType.DEAL])
            for p in existing.order_by("pk").values_list("pk", flat=True)
        ]
    return out
