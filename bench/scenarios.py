"""The scenarios the benchmark measures: one coroutine per thing a user does, given a player."""

from datetime import datetime, timedelta

import httpx
from harness import Player


def _ok(*answers: httpx.Response) -> bool:
    """True when every answer is 200/201; else the first other status, with its path."""
    for a in answers:
        if a.status_code not in (200, 201):
            return f"{a.status_code} {a.request.method} {a.request.url.path}"
    return True


async def s_workbench(p: Player):
    return _ok(await p.web.get("/"))


async def s_lead_list_page(p: Player):
    return _ok(await p.web.get("/leads/", params={"status": "contacted"}))


async def s_search_page(p: Player):
    return _ok(await p.web.get("/search/", params={"q": p.pick("phones")}))


async def s_lead_detail_page(p: Player):
    return _ok(await p.web.get(f"/leads/{p.pick('leads')}/"))


async def s_deal_board_page(p: Player):
    return _ok(await p.web.get("/deals/board/", params={"pipeline_id": p.data["pipeline_id"]}))


async def s_deal_detail_page(p: Player):
    return _ok(await p.web.get(f"/deals/{p.pick('deals')}/"))


async def s_lead_list_api(p: Player):
    return _ok(await p.api.get("/leads", params={"status": "contacted", "page_size": 20}))


# The demo's custom fields (gendan/demo/fields.py): a choice and a number range, sorted by the
# number, as a manager narrows the leads to the bigger companies of one budget.
CUSTOM_LEAD_FILTER = ["budget_range:eq:k500_2m", "employees:gte:100", "employees:lte:2000"]


def _conditions(conditions: list[str]):
    return [tuple(condition.split(":", 2)) for condition in conditions]


async def s_lead_list_custom_api(p: Player):
    params = {"cf": CUSTOM_LEAD_FILTER, "ordering": "-custom.employees", "page_size": 20}
    return _ok(await p.api.get("/leads", params=params))


async def s_lead_list_custom_page(p: Player):
    # The list page's inputs are `cf.<key>.<op>`, one per condition of the API's filter.
    params = {f"cf.{key}.{op}": value for key, op, value in _conditions(CUSTOM_LEAD_FILTER)}
    params["ordering"] = "-custom.employees"
    return _ok(await p.web.get("/leads/", params=params))


async def s_lead_export_custom_csv(p: Player):
    # The same leads of one budget, as a CSV of the last 7 days' (the list's export streams
    # every row of the filter: a week of a manager's department is a few thousand rows).
    since = (datetime.now().astimezone() - timedelta(days=7)).date().isoformat()
    params = {"format": "csv", "cf": CUSTOM_LEAD_FILTER[:1], "created_from": since}
    return _ok(await p.api.get("/leads/export", params=params))


async def s_search_api(p: Player):
    return _ok(await p.api.get("/leads", params={"q": p.pick("phones")}))


async def s_lead_detail_api(p: Player):
    lead = p.pick("leads")
    detail = await p.api.get(f"/leads/{lead}")
    timeline = await p.api.get("/timeline", params={"subject_type": "lead", "subject_id": lead})
    return _ok(detail, timeline)


async def s_deal_board_api(p: Player):
    return _ok(await p.api.get("/deals/board", params={"pipeline_id": p.data["pipeline_id"]}))


async def s_deal_detail_api(p: Player):
    deal = p.pick("deals")
    detail = await p.api.get(f"/deals/{deal}")
    timeline = await p.api.get("/timeline", params={"subject_type": "deal", "subject_id": deal})
    return _ok(detail, timeline)


async def s_create_lead(p: Player):
    n = p.rng.randrange(10**8)
    body = {"name": f"Bench {n}", "company": f"Bench Co {n}", "phone": f"139{n:08d}"}
    return _ok(await p.api.post("/leads", json=body))


async def s_log_follow_up(p: Player):
    body = {
        "subject_type": "lead",
        "subject_id": p.pick("working_leads"),  # a lead in the public pool is claimed first
        "channel": "call",
        "summary": "Called about the quote; they will decide next week.",
        "next_follow_up_at": (datetime.now().astimezone() + timedelta(days=3)).isoformat(),
    }
    return _ok(await p.api.post("/activities", json=body))


async def s_move_deal(p: Player):
    stages = p.data["stages"]
    p.stage_turn += 1
    body = {"stage_id": stages[p.stage_turn % len(stages)]}
    return _ok(await p.api.post(f"/deals/{p.pick('open_deals')}/move", json=body))


def _report(name: str):
    async def scenario(p: Player):
        return _ok(await p.api.get(f"/reports/{name}", params={"period": "this_quarter"}))

    return scenario


async def s_report_funnel_by_segment(p: Player):
    # The funnel per 行业细分 (the demo's deal choice field), one group per segment and one for
    # the deals without one: a single aggregate query over the field's indexed expression.
    params = {"period": "this_quarter", "group_by": "custom.segment"}
    return _ok(await p.api.get("/reports/funnel", params=params))


# The duplicates page (查重) of a manager or an admin: the first page of the groups of one key,
# read from the key's index over the million leads.
DUPLICATE_KEYS = ("phone", "email", "company")


async def s_duplicates_page(p: Player):
    params = {"record_type": "lead", "field": p.rng.choice(DUPLICATE_KEYS)}
    return _ok(await p.web.get("/settings/duplicates/", params=params))


async def s_duplicates_api(p: Player):
    params = {"record_type": "lead", "field": p.rng.choice(DUPLICATE_KEYS)}
    return _ok(await p.api.get("/duplicates/groups", params=params))


# SDRs work leads; deals are for the others.
DEAL_ROLES = ("ae", "sm", "admin")

SCENARIOS = [
    ("workbench", "page", s_workbench),
    ("lead_list_page", "page", s_lead_list_page),
    ("search_phone_page", "page", s_search_page),
    ("lead_detail_page", "page", s_lead_detail_page),
    ("deal_board_page", "page", s_deal_board_page, DEAL_ROLES),
    ("deal_detail_page", "page", s_deal_detail_page, DEAL_ROLES),
    ("lead_list_api", "read", s_lead_list_api),
    ("lead_list_custom_api", "read", s_lead_list_custom_api),
    ("lead_list_custom_page", "page", s_lead_list_custom_page),
    ("search_phone_api", "read", s_search_api),
    ("lead_detail_timeline_api", "read", s_lead_detail_api),
    ("deal_board_api", "read", s_deal_board_api, DEAL_ROLES),
    ("deal_detail_timeline_api", "read", s_deal_detail_api, DEAL_ROLES),
    # The standard playbook hands a new lead to an SDR of the team at once, so a rep with the
    # "own" scope no longer sees the lead they just typed in: managers and admins create here.
    ("create_lead", "write", s_create_lead, ("sm", "admin")),
    ("log_follow_up", "write", s_log_follow_up),
    ("move_deal", "write", s_move_deal, DEAL_ROLES),
    ("lead_export_custom_csv", "export", s_lead_export_custom_csv),
    ("report_funnel", "report", _report("funnel")),
    ("report_funnel_by_segment", "report", s_report_funnel_by_segment),
    ("report_forecast", "report", _report("forecast")),
    ("report_targets", "report", _report("targets")),
    # Managers, operations and admins read the duplicates (the others get 403).
    ("duplicates_page", "page", s_duplicates_page, ("sm", "admin")),
    ("duplicates_api", "read", s_duplicates_api, ("sm", "admin")),
]
