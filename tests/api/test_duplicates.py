"""The duplicate check (查重) through the API: warn → 201 with `duplicates`, block → 409, the
rules, the check before saving and the groups."""

from gendan.leads.models import Lead


def _block(api, org, **changes):
    response = api(org.admin).patch("/duplicates/rules", changes)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_duplicate_phone_warns_with_the_owners_name(org, api):
    api(org.outsider).post("/leads", {"name": "张三", "phone": "13800138000"})
    response = api(org.owner).post("/leads", {"name": "李四", "phone": "+86 138-0013-8000"})
    assert response.status_code == 201, response.content
    assert response.json()["duplicates"] == [
        {
            "record_type": "lead",
            "field": "phone",
            "action": "warn",
            "owner_name": org.outsider.name,
            "visible": False,
            "id": None,
            "name": None,
            "detail": None,
        }
    ]
    assert "phone_key" not in response.json()


def test_a_blocked_duplicate_answers_409_with_the_matches_and_writes_nothing(org, api):
    mine = api(org.owner).post("/leads", {"name": "张三", "email": "zs@x.cn"}).json()
    rules = _block(api, org, lead={"email": "block"})
    assert rules["lead"] == {"phone": "warn", "email": "block", "company": "warn"}
    response = api(org.manager).post("/leads", {"name": "张三", "email": " ZS@x.cn"})
    assert response.status_code == 409
    body = response.json()
    assert body["blocked"] is True and body["detail"]
    assert body["duplicates"][0]["id"] == mine["id"]  # in the manager's scope: named
    assert body["duplicates"][0]["name"] == "张三"
    assert Lead.objects.count() == 1


def test_customers_and_contacts_answer_the_same_way(org, api):
    customer = api(org.owner).post("/customers", {"name": "上海启明软件有限公司"}).json()
    again = api(org.owner).post("/customers", {"name": "上海启明软件"})
    assert again.status_code == 201
    assert again.json()["duplicates"][0]["id"] == customer["id"]
    api(org.owner).post(
        "/contacts", {"customer_id": customer["id"], "name": "a", "phone": "13800138000"}
    )
    _block(api, org, contact={"phone": "block"})
    response = api(org.owner).post(
        "/contacts", {"customer_id": customer["id"], "name": "b", "phone": "138 0013 8000"}
    )
    assert response.status_code == 409 and response.json()["duplicates"][0]["field"] == "phone"


def test_only_an_administrator_changes_the_rules_and_unknown_values_are_refused(org, api):
    assert (
        api(org.manager).patch("/duplicates/rules", {"lead": {"phone": "block"}}).status_code == 403
    )
    assert (
        api(org.admin).patch("/duplicates/rules", {"lead": {"phone": "never"}}).status_code == 422
    )
    assert api(org.admin).patch("/duplicates/rules", {"deal": {"phone": "off"}}).status_code == 422
    response = api(org.admin).patch("/duplicates/rules", {"customer": {"phone": "off"}})
    assert response.status_code == 422
    assert api(org.owner).get("/duplicates/rules").json()["lead"]["phone"] == "warn"


def test_the_check_before_saving_writes_nothing_and_hides_what_is_out_of_scope(org, api):
    api(org.outsider).post("/leads", {"name": "张三", "company": "Acme Co., Ltd."})
    response = api(org.owner).post(
        "/duplicates/check", {"record_type": "lead", "data": {"company": "ACME"}}
    )
    assert response.status_code == 200
    [match] = response.json()["duplicates"]
    assert (match["owner_name"], match["id"], match["name"]) == (org.outsider.name, None, None)
    assert Lead.objects.count() == 1
    bad = api(org.owner).post("/duplicates/check", {"record_type": "lead", "data": {}, "x": 1})
    assert bad.status_code == 422
    bad = api(org.owner).post("/duplicates/check", {"record_type": "lead", "data": {"fax": "1"}})
    assert bad.status_code == 422 and "data.fax" in bad.json()["errors"]


def test_the_groups_are_scoped_and_for_managers(org, api):
    for user in (org.owner, org.owner, org.outsider, org.outsider, org.outsider):
        api(user).post("/leads", {"name": "x", "phone": "13800138000"})
    everyone = api(org.admin).get("/duplicates/groups", {"record_type": "lead", "field": "phone"})
    assert [g["count"] for g in everyone.json()["items"]] == [5]
    team = api(org.manager).get("/duplicates/groups", {"record_type": "lead", "field": "phone"})
    assert [g["count"] for g in team.json()["items"]] == [2]
    assert team.json()["next"] is None
    assert api(org.owner).get("/duplicates/groups").status_code == 403
    wrong = api(org.admin).get("/duplicates/groups", {"record_type": "customer", "field": "phone"})
    assert wrong.status_code == 422
