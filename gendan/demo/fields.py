"""The demo organisation's custom fields and their values.

The values come from a random source of their own (`Demo.custom_rng`), so adding or changing a
field leaves every other row of the demo as it was.
"""

from gendan.demo.context import Demo, weighted
from gendan.fields import indexes, layout_services, services
from gendan.fields.choices import FieldType, RecordType
from gendan.org.system import system_actor

BUDGETS = (
    ("below_100k", "10 万以下", "Under 100k", "#8a94a6"),
    ("k100_500", "10–50 万", "100k–500k", "#2f80ed"),
    ("k500_2m", "50–200 万", "500k–2M", "#27ae60"),
    ("over_2m", "200 万以上", "Over 2M", "#eb5757"),
)
SEGMENTS = (
    ("manufacturing", "制造业", "Manufacturing", "#2f80ed"),
    ("retail", "零售与消费", "Retail and consumer", "#27ae60"),
    ("energy", "能源化工", "Energy and chemicals", "#f2994a"),
    ("public", "政府与公共事业", "Public sector", "#9b51e0"),
    ("tech", "互联网与科技", "Internet and technology", "#56ccf2"),
)
DECISION_MAKERS = ("总经理", "采购总监", "IT 总监", "财务总监", "生产副总", "董事长")


def _choices(rows) -> list[dict]:
    return [{"value": v, "label_zh": zh, "label_en": en, "color": c} for v, zh, en, c in rows]


FIELDS = (
    {
        "record_type": RecordType.LEAD,
        "key": "budget_range",
        "label_zh": "预算范围",
        "label_en": "Budget range",
        "type": FieldType.CHOICE,
        "choices": _choices(BUDGETS),
    },
    {
        "record_type": RecordType.LEAD,
        "key": "employees",
        "label_zh": "员工人数",
        "label_en": "Employees",
        "type": FieldType.NUMBER,
    },
    {
        "record_type": RecordType.LEAD,
        "key": "decision_maker",
        "label_zh": "决策人",
        "label_en": "Decision maker",
        "type": FieldType.TEXT,
        "help_zh": "最终拍板的人及其职务",
        "help_en": "Who signs off, and their title",
    },
    {
        "record_type": RecordType.DEAL,
        "key": "segment",
        "label_zh": "行业细分",
        "label_en": "Industry segment",
        "type": FieldType.CHOICE,
        "choices": _choices(SEGMENTS),
        "on_card": True,
    },
    {
        "record_type": RecordType.DEAL,
        "key": "tender_no",
        "label_zh": "招标编号",
        "label_en": "Tender number",
        "type": FieldType.TEXT,
        "visible_to": ["admin", "sm", "ae", "ops"],
    },
)


# The deal forms and pages in three sections; the lead forms without tags, which the demo's
# teams do not use.
DEAL_SECTIONS = (
    ("基本信息", "Basics", ["name", "customer_id", "pipeline_id", "contact_id", "owner_id"]),
    (
        "商务信息",
        "Business",
        ["amount", "expected_close_date", "custom.segment", "custom.tender_no"],
    ),
    ("其他", "Other", ["risk_level", "next_follow_up_at", "notes"]),
)
LEAD_HIDDEN = ["tags"]


def define(demo: Demo) -> None:
    """The fields and the layouts, through the services as an administrator would add them."""
    actor = system_actor()
    for position, data in enumerate(FIELDS, start=1):
        services.field_create(actor=actor, data={**data, "position": position})
    layout_services.layout_save(
        actor=actor,
        record_type=RecordType.DEAL,
        sections=[{"label_zh": zh, "label_en": en, "fields": f} for zh, en, f in DEAL_SECTIONS],
        hidden=[],
    )
    layout_services.layout_save(
        actor=actor, record_type=RecordType.LEAD, sections=[], hidden=LEAD_HIDDEN
    )


def build_indexes() -> None:
    """The fields' indexes, once the rows are written (faster than keeping them up to date)."""
    for data in FIELDS:
        indexes.create_index(data["record_type"], data["key"], data["type"])


def lead_values(demo: Demo) -> dict:
    rng = demo.custom_rng
    values = {}
    if rng.random() < 0.7:
        values["budget_range"] = weighted(rng, [b[0] for b in BUDGETS], (30, 35, 25, 10))
    if rng.random() < 0.6:
        values["employees"] = int(rng.lognormvariate(5, 1.2)) + 5
    if rng.random() < 0.3:
        values["decision_maker"] = rng.choice(DECISION_MAKERS)
    return values


def deal_values(demo: Demo) -> dict:
    rng = demo.custom_rng
    values = {"segment": weighted(rng, [s[0] for s in SEGMENTS], (35, 20, 15, 15, 15))}
    if rng.random() < 0.25:
        values["tender_no"] = f"ZB-{rng.randint(2024, 2026)}-{rng.randint(1, 9999):04d}"
    return values
