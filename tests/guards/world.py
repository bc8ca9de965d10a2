"""A CRM full of every kind of record, grown in batches, for the query-count guards.

`World.grow(n)` adds n batches. Each batch gives the sales rep `org.owner` (and, so that
scoping has something to filter out, the outsider of team B):

- top-level records: leads (one new, one followed up and due, one converted, one in the
  public pool), a customer with a contact and visits, deals (one moved on with a
  collaborator, a follow-up and a sent quote; one won; one lost), an active contract with
  installments, a payment and milestones, tasks, comments, attachments and notifications; a
  team with a new rep, targets, an API token per reader, a pipeline, a stage of the default
  pipeline, a product, a rule with a run, an alert with firings, a chat channel, a lead form;
- children of the *focus* records, whose ids fill the record pages' URLs: follow-ups, tasks,
  comments and attachments on the focus lead, customer, deal and contract; deals on the focus
  contact and customer; stage changes, collaborators, quotes and contracts on the focus deal;
  installments, payments, milestones and visits on the focus contract; lines on the focus
  quote; mentions on the focus comment; runs of the focus rule; pool history of the focus lead;
  leads made by the focus lead form.

Per batch, every list a page cuts short (a page of 25, a workbench panel of 10, a timeline of
50 events) gains at most a handful of rows, so two batches stay under every cut and a growth
in queries shows. Records go through the services where the services write side rows
(timeline events, stage changes, allocations); rows that only a background job or another
user would write (notifications, rule runs, alert firings, attachments, pool history) are
written directly.
"""

from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from gendan.activities.models import Activity, Attachment, Notification, Task
from gendan.analytics import services as target_services
from gendan.analytics.models import AlertFiring, AlertRule
from gendan.automation import services as rule_services
from gendan.automation.models import ChatChannel, RuleRun
from gendan.capture import services as form_services
from gendan.capture import submission as form_submission
from gendan.customers import services as customer_services
from gendan.deals import conversion
from gendan.deals import services as deal_services
from gendan.deals.models import Deal
from gendan.fields import layout_services, mapping
from gendan.fields import services as field_services
from gendan.fields.models import FieldMapping
from gendan.followups import services as activity_services
from gendan.leads import pool
from gendan.leads import services as lead_services
from gendan.leads.models import Lead, LeadPoolEvent
from gendan.org import services as org_services
from gendan.sales.models import Milestone, Payment, Visit
from gendan.sales.services import contracts as contract_services
from gendan.sales.services import delivery as delivery_services
from gendan.sales.services import payments as payment_services
from gendan.sales.services import quotes as quote_services
from gendan.sales.services import visits as visit_services
from tests.factories import UserFactory, default_pipeline
from tests.quotes.conftest import ProductFactory

CHOICES = [{"value": "a", "label_en": "A"}, {"value": "b", "label_en": "B"}]
SEARCH_WORD = "Orchid"  # in one lead, customer, contact and deal name per batch
_batch = count(1)


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _months_before(first_day, months: int):
    """The first day of the month `months` before the one starting on `first_day`."""
    index = first_day.year * 12 + first_day.month - 1 - months
    return first_day.replace(year=index // 12, month=index % 12 + 1)


def _line(product, quantity=1) -> dict:
    return {
        "product_id": product.pk,
        "description": product.name,
        "unit": product.unit,
        "quantity": Decimal(quantity),
        "unit_price": product.list_price,
        "discount_pct": Decimal(0),
    }


class World:
    """The records, and `ids`: the value of each path parameter (`deal_id`...) of the URLs."""

    def __init__(self, org):
        self.org = org
        self.rep = org.owner
        self.admin = org.admin
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.stages = {s.name: s for s in default_pipeline().stages.all()}
        self.product = ProductFactory()
        self.ids: dict[str, int] = {}
        # the rep's exports are measured too: sales consultants may export in this world
        org_services.role_update(
            actor=self.admin, role_id=self.rep.role_id, data={"may_export": True}
        )
        self.focus = self._make_focus()

    def _make_focus(self) -> dict:
        rep, admin = self.rep, self.admin
        fields = self._make_fields()
        customer = customer_services.customer_create(actor=rep, data={"name": "Focus customer"})
        contact = customer_services.contact_create(
            actor=rep, data={"customer_id": customer.pk, "name": "Focus contact"}
        )
        deal = self._deal(customer, contact, name="Focus deal")
        # the focus contract has its own customer, so the focus customer's timeline stays short
        account = customer_services.customer_create(actor=rep, data={"name": "Focus account"})
        buyer = customer_services.contact_create(
            actor=rep, data={"customer_id": account.pk, "name": "Focus buyer"}
        )
        won = self._deal(account, buyer, name="Focus won deal")
        deal_services.deal_move(actor=rep, deal_id=won.pk, stage_id=self.stages["Won"].pk)
        contract = self._contract(account, deal=won, amount="1000000", title="Focus contract")
        return {
            "field": fields[0],
            "lead": lead_services.lead_create(
                actor=rep, data={"name": "Focus lead", "company": "Focus Co"}
            ),
            "customer": customer,
            "contact": contact,
            "deal": deal,
            "account": account,
            "contract": contract,
            "plan": payment_services.plan_create(
                actor=rep,
                data={"contract_id": contract.pk, "amount": _money(500000), "due_date": self.today},
            ),
            "quote": quote_services.quote_create(
                actor=rep, data={"deal_id": deal.pk, "lines": [_line(self.product)]}
            ),
            "comment": activity_services.comment_create(
                actor=rep, data={"subject_type": "deal", "subject_id": deal.pk, "body": "Focus"}
            ),
            "rule": rule_services.rule_create(
                actor=admin,
                data={
                    "name": "Focus rule",
                    "object": "deal",
                    "trigger": {"type": "created"},
                    "actions": [{"type": "notify", "to": "owner", "message": "New deal"}],
                },
            ),
            "target": target_services.target_create(
                actor=admin,
                data={
                    "user_id": rep.pk,
                    "period": "month",
                    "start": self.today.replace(day=1),
                    "metric": "deals_won",
                    "value": Decimal(5),
                },
            ),
            "team": self.org.team_a,
            "lead_form": self._lead_form("Focus form"),
        }

    def _lead_form(self, name: str):
        """A public lead form showing a built-in and a custom field of each kind made here."""
        fields = [{"field": n} for n in ("name", "phone", "custom.grade", "custom.score")]
        return form_services.form_create(
            actor=self.admin, data={"name": name, "owner_id": self.rep.pk, "fields": fields}
        )

    def _deal(self, customer, contact, *, name, owner=None):
        return deal_services.deal_create(
            actor=owner or self.rep,
            data={
                "name": name,
                "customer_id": customer.pk,
                "contact_id": contact.pk,
                "amount": _money(50000),
                "expected_close_date": self.today + timedelta(days=20),
            },
        )

    def _contract(self, customer, *, deal, amount="90000", title="Contract"):
        contract = contract_services.contract_create(
            actor=self.rep,
            data={
                "customer_id": customer.pk,
                "deal_id": deal.pk,
                "amount": _money(amount),
                "title": title,
                "pm_id": self.org.peer.pk,
            },
        )
        return contract_services.contract_activate(actor=self.rep, contract_id=contract.pk)

    def _task(self, title: str, *, done: bool = False, **subject):
        """A task of the rep; a done one stays off the workbench and the default task list."""
        task = activity_services.task_create(
            actor=self.rep, data={"title": title, "due_at": self.now, **subject}
        )
        if done:
            activity_services.task_update(actor=self.rep, task_id=task.pk, data={"status": "done"})

    def _attachment(self, subject_type: str, subject, i: int):
        Attachment.objects.create(
            subject_type=subject_type,
            **{subject_type: subject},
            uploaded_by=self.rep,
            file=f"attachments/guard/{subject_type}-{subject.pk}-{i}.pdf",
            filename=f"{i}.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )

    # Growing --------------------------------------------------------------------------------

    def grow(self, n: int) -> None:
        """Add n batches of records (see the module's docstring)."""
        for _ in range(n):
            i = next(_batch)
            self._grow_people(i)
            self._grow_leads(i)
            deal, contract = self._grow_sales(i)
            self._grow_collaboration(i, deal, contract)
            self._grow_focus_records(i)
            self._grow_focus_money(i)
            self._grow_focus_history(i)
            self._grow_settings(i)
        self._refresh_ids()

    def _grow_people(self, i: int):
        """A team under team A managed by a new rep, targets, API tokens, a pipeline, a stage."""
        org, admin = self.org, self.admin
        team = org_services.team_create(
            actor=admin, data={"name": f"Squad {i}", "parent_id": org.team_a.pk}
        )
        self.last_user = UserFactory(username=f"guard{i}", role_code="ae", team=team)
        org_services.team_update(
            actor=admin, team_id=team.pk, data={"manager_id": self.last_user.pk}
        )
        month = self.today.replace(day=1)
        quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
        for owner, period, start, metric in (
            ({"team_id": team.pk}, "quarter", quarter, "contract_amount"),
            ({"user_id": self.last_user.pk}, "month", month, "deals_won"),
            ({"user_id": self.rep.pk}, "month", _months_before(month, i), "deals_won"),
        ):
            target_services.target_create(
                actor=admin,
                data={**owner, "period": period, "start": start, "metric": metric, "value": 3},
            )
        for reader in (self.rep, admin, org.manager):
            org_services.token_create(user=reader, name=f"token {i}")
        pipeline = deal_services.pipeline_create(actor=admin, data={"name": f"Pipeline {i}"})
        self._lay_out("deal", pipeline.pk)
        self.last_stage = deal_services.stage_create(
            actor=admin,
            pipeline_id=default_pipeline().pk,
            data={"name": f"Review {i}", "order": 25, "probability": 60, "max_days": 14},
        )

    def _grow_leads(self, i: int):
        rep = self.rep
        lead = lead_services.lead_create(
            actor=rep, data={"name": f"{SEARCH_WORD} lead {i}", "company": f"Company {i}"}
        )
        activity_services.activity_log(
            actor=rep, data={"subject_type": "lead", "subject_id": lead.pk, "summary": "Call"}
        )
        Lead.objects.filter(pk=lead.pk).update(next_follow_up_at=self.now - timedelta(hours=1))
        lead_services.lead_create(actor=rep, data={"name": f"New lead {i}", "company": "New Co"})
        converted = lead_services.lead_create(
            actor=rep, data={"name": f"Won lead {i}", "company": f"Converted {i}"}
        )
        conversion.lead_convert(
            actor=rep,
            lead_id=converted.pk,
            deal={"name": f"Deal from lead {i}", "amount": _money(8000)},
        )
        pooled = lead_services.lead_create(
            actor=rep, data={"name": f"Pool lead {i}", "company": "Pool Co"}
        )
        pool.lead_release(actor=rep, lead_id=pooled.pk, reason="No answer")
        lead_services.lead_create(
            actor=self.org.outsider, data={"name": f"Other lead {i}", "company": "Other Co"}
        )
        # Two of the same person, written two ways: a group on the duplicates page (查重).
        for phone, email in (
            (f"1390000{i:04d}", f"twin{i}@example.com"),
            (f"+86 139 0000 {i:04d}", f"Twin{i}@Example.com"),
        ):
            lead_services.lead_create(
                actor=rep, data={"name": f"Twin lead {i}", "phone": phone, "email": email}
            )
            lead_services.lead_create(
                actor=self.org.outsider, data={"name": f"Other twin {i}", "phone": phone}
            )

    def _grow_sales(self, i: int):
        """A customer with a contact, three deals, a quote, a contract and what it collects."""
        rep, word = self.rep, SEARCH_WORD
        customer = customer_services.customer_create(
            actor=rep, data={"name": f"{word} customer {i}"}
        )
        contact = customer_services.contact_create(
            actor=rep, data={"customer_id": customer.pk, "name": f"{word} contact {i}"}
        )
        deal = self._deal(customer, contact, name=f"{word} deal {i}")
        deal_services.deal_move(
            actor=rep, deal_id=deal.pk, stage_id=self.stages["Proposal & quote"].pk
        )
        deal_services.collaborator_add(actor=rep, deal_id=deal.pk, user_id=self.org.peer.pk)
        activity_services.activity_log(
            actor=rep,
            data={
                "subject_type": "deal",
                "subject_id": deal.pk,
                "contact_id": contact.pk,
                "summary": "Visit",
            },
        )
        # due today, at risk and stalled: on the rep's workbench
        Deal.objects.filter(pk=deal.pk).update(
            risk_level="high",
            next_follow_up_at=self.now - timedelta(hours=2),
            stage_entered_at=self.now - timedelta(days=60),
        )
        quote = quote_services.quote_create(
            actor=rep,
            data={"deal_id": deal.pk, "lines": [_line(self.product), _line(self.product, 2)]},
        )
        quote_services.quote_send(actor=rep, quote_id=quote.pk)
        won = self._deal(customer, contact, name=f"Won deal {i}")
        deal_services.deal_move(actor=rep, deal_id=won.pk, stage_id=self.stages["Won"].pk)
        lost = self._deal(customer, contact, name=f"Lost deal {i}")
        deal_services.deal_move(
            actor=rep, deal_id=lost.pk, stage_id=self.stages["Lost"].pk, lost_reason="Price"
        )
        contract = self._contract(customer, deal=won, title=f"Contract {i}")
        for due in (-10, 30):  # one overdue installment, one to come
            payment_services.plan_create(
                actor=rep,
                data={
                    "contract_id": contract.pk,
                    "amount": _money(30000),
                    "due_date": self.today + timedelta(days=due),
                },
            )
        payment_services.payment_record(
            actor=rep, data={"contract_id": contract.pk, "amount": _money(20000)}
        )
        for name in (f"Kick-off {i}", f"Go-live {i}"):
            milestone = delivery_services.milestone_create(
                actor=rep, data={"contract_id": contract.pk, "name": name}
            )
        delivery_services.milestone_complete(actor=rep, milestone_id=milestone.pk)
        visit_services.visit_log(
            actor=rep,
            data={"customer_id": customer.pk, "contract_id": contract.pk, "satisfaction": 4},
        )
        outsider = self.org.outsider
        other = customer_services.customer_create(actor=outsider, data={"name": f"Other {i}"})
        other_contact = customer_services.contact_create(
            actor=outsider, data={"customer_id": other.pk, "name": f"Other contact {i}"}
        )
        self._deal(other, other_contact, name=f"Other deal {i}", owner=outsider)
        return deal, contract

    def _grow_collaboration(self, i: int, deal, contract):
        """On the new deal and contract: a task, a comment, an attachment; notifications."""
        for subject_type, subject in (("deal", deal), ("contract", contract)):
            ref = {"subject_type": subject_type, "subject_id": subject.pk}
            self._task(f"Task {i}", done=True, **ref)
            activity_services.comment_create(
                actor=self.rep, data={**ref, "body": f"@peer @manager note {i}"}
            )
            self._attachment(subject_type, subject, i)
        self._task(f"Call back {i}")
        for recipient in (self.rep, self.admin, self.org.manager):
            Notification.objects.create(
                recipient=recipient,
                actor=self.org.peer,
                kind="mentioned",
                message=f"Note {i}",
                target_type="deal",
                target_id=deal.pk,
            )

    def _grow_focus_records(self, i: int):
        """Children of the focus lead, customer, contact and deal."""
        f, rep = self.focus, self.rep
        lead, customer, deal = f["lead"], f["customer"], f["deal"]
        for subject_type, subject in (
            ("lead", lead),
            ("customer", customer),
            ("deal", deal),
            ("contract", f["contract"]),
        ):
            ref = {"subject_type": subject_type, "subject_id": subject.pk}
            if subject_type != "contract":
                activity_services.activity_log(actor=rep, data={**ref, "summary": f"Call {i}"})
            self._task(f"Focus task {i}", done=subject_type != "lead", **ref)
            activity_services.comment_create(actor=rep, data={**ref, "body": f"@peer {i}"})
            self._attachment(subject_type, subject, i)
        LeadPoolEvent.objects.create(
            lead=lead, user=self.last_user, action="claimed", at=self.now - timedelta(days=i)
        )
        contact = customer_services.contact_create(
            actor=rep, data={"customer_id": customer.pk, "name": f"Focus contact {i}"}
        )
        self._deal(customer, f["contact"], name=f"Focus contact deal {i}")
        reviewed = self._deal(customer, contact, name=f"Focus customer deal {i}")
        deal_services.deal_move(actor=rep, deal_id=reviewed.pk, stage_id=self.last_stage.pk)
        visit_services.visit_log(actor=rep, data={"customer_id": customer.pk, "satisfaction": 3})
        contract_services.contract_create(
            actor=rep,
            data={
                "customer_id": customer.pk,
                "deal_id": deal.pk,
                "amount": _money(1000),
                "title": f"Focus deal contract {i}",
            },
        )
        for name in ("Proposal & quote", "Discovery"):
            deal_services.deal_move(actor=rep, deal_id=deal.pk, stage_id=self.stages[name].pk)
        deal_services.collaborator_add(actor=rep, deal_id=deal.pk, user_id=self.last_user.pk)
        quote_services.quote_create(
            actor=rep, data={"deal_id": deal.pk, "lines": [_line(self.product)]}
        )
        quote = f["quote"]
        lines = [_line(self.product) for _ in range(quote.lines.count() + 1)]
        f["quote"] = quote_services.quote_update(
            actor=rep, quote_id=quote.pk, data={"lines": lines}
        )
        f["comment"].mentions.add(self.last_user)
        RuleRun.objects.create(
            rule=f["rule"],
            object_type="deal",
            object_id=deal.pk,
            occurrence=str(i),
            at=self.now,
            outcome="done",
            details={"actions": [{"type": "notify"}]},
        )

    def _grow_focus_money(self, i: int):
        """An installment, two payments (one on the focus installment), a milestone and a visit
        on the focus contract."""
        rep, contract = self.rep, self.focus["contract"]
        payment_services.plan_create(
            actor=rep,
            data={
                "contract_id": contract.pk,
                "amount": _money(10000),
                "due_date": self.today + timedelta(days=i),
            },
        )
        for plan in (self.focus["plan"], None):
            payment_services.payment_record(
                actor=rep,
                data={
                    "contract_id": contract.pk,
                    "amount": _money(1000),
                    "plan_id": plan.pk if plan else None,
                },
            )
        delivery_services.milestone_create(
            actor=rep, data={"contract_id": contract.pk, "name": f"Focus milestone {i}"}
        )
        visit_services.visit_log(
            actor=rep,
            data={
                "customer_id": self.focus["account"].pk,
                "contract_id": contract.pk,
                "satisfaction": 5,
            },
        )

    def _grow_focus_history(self, i: int):
        """Changes to the focus lead, customer, contact and first payment, for their history
        (each a built-in field and a user field whose name a page looks up)."""
        f, rep = self.focus, self.rep
        custom = {"champion": self.last_user.pk if i % 2 else rep.pk}
        lead_services.lead_update(
            actor=rep, lead_id=f["lead"].pk, data={"title": f"Buyer {i}", "custom": custom}
        )
        customer_services.customer_update(
            actor=rep,
            customer_id=f["customer"].pk,
            data={"region": f"Region {i}", "custom": custom},
        )
        customer_services.contact_update(
            actor=rep, contact_id=f["contact"].pk, data={"title": f"Head {i}", "custom": custom}
        )
        payment = Payment.objects.filter(contract=f["contract"]).earliest("id")
        payment_services.payment_update(
            actor=rep, payment_id=payment.pk, data={"reference": f"TX-{i}"}
        )

    def _make_fields(self) -> list:
        """Custom fields on every record type, each with a default so that every record made
        here carries values: a choice, a number and a user (whose name a page looks up)."""
        made = []
        for record_type in ("lead", "customer", "contact", "deal", "contract", "activity", "task"):
            for key, kind, default in (
                ("grade", "choice", "a"),
                ("score", "number", 7),
                ("champion", "user", self.rep.pk),
            ):
                data = {"record_type": record_type, "key": key, "label_en": key, "type": kind}
                data["choices"] = CHOICES if kind == "choice" else []
                data["on_card"] = record_type == "deal"  # the board's cards show them
                made.append(
                    field_services.field_create(actor=self.admin, data={**data, "default": default})
                )
        # Every form and page laid out in sections; deals of the default pipeline their own.
        for record_type in ("lead", "customer", "contact", "deal", "contract", "activity", "task"):
            self._lay_out(record_type)
        self._lay_out("deal", default_pipeline().pk)
        return made

    def _lay_out(self, record_type: str, pipeline_id: int | None = None) -> None:
        scoring = {"label_zh": "评分", "label_en": "Scoring"}
        layout_services.layout_save(
            actor=self.admin,
            record_type=record_type,
            pipeline_id=pipeline_id,
            sections=[{**scoring, "fields": ["custom.score", "custom.grade"]}],
            hidden=["notes"] if record_type == "deal" else [],
        )

    def _grow_settings(self, i: int):
        admin = self.admin
        ProductFactory()
        self._lead_form(f"Form {i}")
        form_submission.form_submit(
            token=self.focus["lead_form"].token,
            values={"name": f"Visitor {i}", "phone": f"1391234{i:04d}"},
        )
        field_services.field_create(
            actor=admin,
            data={
                "record_type": "lead",
                "key": f"extra_{i}",
                "label_en": f"Extra {i}",
                "type": "text",
            },
        )
        # ... which a conversion carries into a deal's field of its own
        field_services.field_create(
            actor=admin,
            data={"record_type": "deal", "key": f"carried_{i}", "label_en": "C", "type": "text"},
        )
        mapping.mapping_create(
            actor=admin,
            data={"source_key": f"extra_{i}", "target_type": "deal", "target_key": f"carried_{i}"},
        )
        rule = rule_services.rule_create(
            actor=admin,
            data={
                "name": f"Rule {i}",
                "object": "lead",
                "trigger": {"type": "created"},
                "actions": [{"type": "notify", "to": "owner", "message": "New lead"}],
            },
        )
        RuleRun.objects.create(
            rule=rule,
            object_type="lead",
            object_id=self.focus["lead"].pk,
            occurrence=str(i),
            at=self.now,
            outcome="failed",
            error="Nobody is available",
        )
        alert = AlertRule.objects.create(
            name=f"Alert {i}", metric="win_rate", comparator="lt", threshold=Decimal("0.2")
        )
        for team in (self.org.team_a, None):
            AlertFiring.objects.create(
                alert=alert,
                date=self.today - timedelta(days=i),
                team=team,
                value=Decimal("0.1"),
                threshold=alert.threshold,
            )
        ChatChannel.objects.create(
            name=f"Robot {i}", kind="webhook", url="https://example.com/hook", team=self.org.team_a
        )

    # Ids for the URLs -----------------------------------------------------------------------

    def _refresh_ids(self):
        """A record of each kind the rep may see (mostly the focus records): the same ids
        before and after the world grows."""
        f = self.focus
        deal, contract = f["deal"], f["contract"]
        self.ids = {
            "lead_id": f["lead"].pk,
            "field_id": f["field"].pk,
            "customer_id": f["customer"].pk,
            "contact_id": f["contact"].pk,
            "deal_id": deal.pk,
            "contract_id": contract.pk,
            "quote_id": f["quote"].pk,
            "comment_id": f["comment"].pk,
            "plan_id": f["plan"].pk,
            "rule_id": f["rule"].pk,
            "target_id": f["target"].pk,
            "team_id": f["team"].pk,
            "form_id": f["lead_form"].pk,
            "token": f["lead_form"].token,
            "user_id": self.rep.pk,
            "role_id": self.rep.role_id,
            "pipeline_id": default_pipeline().pk,
            "stage_id": self.stages["Proposal & quote"].pk,
            "product_id": self.product.pk,
            "activity_id": Activity.objects.filter(deal=deal).earliest("id").pk,
            "task_id": Task.objects.filter(deal=deal).earliest("id").pk,
            "attachment_id": Attachment.objects.filter(deal=deal).earliest("id").pk,
            "payment_id": Payment.objects.filter(contract=contract).earliest("id").pk,
            "milestone_id": Milestone.objects.filter(contract=contract).earliest("id").pk,
            "visit_id": Visit.objects.filter(contract=contract).earliest("id").pk,
            "notification_id": Notification.objects.filter(recipient=self.rep).earliest("id").pk,
            "alert_id": AlertRule.objects.earliest("id").pk,
            "channel_id": ChatChannel.objects.earliest("id").pk,
            "mapping_id": FieldMapping.objects.earliest("id").pk,
        }
