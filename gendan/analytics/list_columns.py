"""The built-in columns of each exported list, and the selector that reads its rows (the same
as its page and its API list use, so the rows are the same)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.customers import selectors as customer_selectors
from gendan.deals import selectors as deal_selectors
from gendan.fields.choices import RecordType
from gendan.followups import selectors as task_selectors
from gendan.leads import selectors as lead_selectors
from gendan.sales.choices import ContractStatus
from gendan.sales.selectors import contracts as contract_selectors
from gendan.ui.labels import choice_display
from gendan.ui.templatetags.gendan import local_name


@dataclass(frozen=True)
class Column:
    label: Any  # a lazy translation
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ListSpec:
    name: str  # the file's name
    title: Any
    record_type: str
    columns: tuple[Column, ...]
    rows: Callable  # (actor, filters) -> the list's queryset


def _name(user) -> str:
    return user.name if user is not None else ""


def _tags(tags) -> str:
    return ", ".join(tags or [])


def _task_subject(task) -> str:
    subject = task.subject if task.subject_type else None
    if subject is None:
        return ""
    return getattr(subject, "name", "") or getattr(subject, "number", "") or str(subject)


CONTRACT_STATUS = {
    ContractStatus.ACTIVE: pgettext_lazy("contract status", "Active"),
}


_contract_status_label = choice_display("status")


def _contract_status(contract) -> str:
    return str(CONTRACT_STATUS.get(contract.status) or _contract_status_label(contract))


LEADS = ListSpec(
    name="leads",
    title=_("Leads"),
    record_type=RecordType.LEAD,
    columns=(
        Column(_("Name"), lambda r: r.name),
        Column(_("Company"), lambda r: r.company),
        Column(_("Title"), lambda r: r.title),
        Column(_("Phone"), lambda r: r.phone),
        Column(_("Email"), lambda r: r.email),
        Column(_("WeChat"), lambda r: r.wechat),
        Column(_("Status"), choice_display("status")),
        Column(_("Source"), choice_display("source")),
        Column(_("Owner"), lambda r: _name(r.owner)),
        Column(_("Tags"), lambda r: _tags(r.tags)),
        Column(_("Public pool"), lambda r: r.in_pool),
        Column(_("Next follow-up"), lambda r: r.next_follow_up_at),
        Column(_("Last activity"), lambda r: r.last_activity_at),
        Column(_("Created"), lambda r: r.created_at),
    ),
    rows=lambda actor, filters: lead_selectors.lead_list(actor=actor, filters=filters),
)

CUSTOMERS = ListSpec(
    name="customers",
    title=_("Customers"),
    record_type=RecordType.CUSTOMER,
    columns=(
        Column(_("Name"), lambda r: r.name),
        Column(_("Status"), choice_display("status")),
        Column(_("Industry"), lambda r: r.industry),
        Column(_("Size"), choice_display("size")),
        Column(_("Region"), lambda r: r.region),
        Column(_("Address"), lambda r: r.address),
        Column(_("Website"), lambda r: r.website),
        Column(_("Owner"), lambda r: _name(r.owner)),
        Column(_("Last activity"), lambda r: r.last_activity_at),
        Column(_("Next follow-up"), lambda r: r.next_follow_up_at),
        Column(_("Created"), lambda r: r.created_at),
    ),
    rows=lambda actor, filters: customer_selectors.customer_list(actor=actor, filters=filters),
)

CONTACTS = ListSpec(
    name="contacts",
    title=_("Contacts"),
    record_type=RecordType.CONTACT,
    columns=(
        Column(_("Name"), lambda r: r.name),
        Column(_("Customer"), lambda r: r.customer.name),
        Column(_("Job title"), lambda r: r.title),
        Column(_("Phone"), lambda r: r.phone),
        Column(_("Email"), lambda r: r.email),
        Column(_("WeChat"), lambda r: r.wechat),
        Column(_("Primary contact"), lambda r: r.is_primary),
    ),
    rows=lambda actor, filters: customer_selectors.contact_list(actor=actor, filters=filters),
)

DEALS = ListSpec(
    name="deals",
    title=_("Deals"),
    record_type=RecordType.DEAL,
    columns=(
        Column(_("Deal"), lambda r: r.name),
        Column(_("Customer"), lambda r: r.customer.name if r.customer_id else ""),
        Column(_("Stage"), lambda r: local_name(r.stage)),
        Column(_("Status"), choice_display("status")),
        Column(_("Amount"), lambda r: r.amount),
        Column(_("Currency"), lambda r: r.currency),
        Column(_("Expected close"), lambda r: r.expected_close_date),
        Column(_("Owner"), lambda r: _name(r.owner)),
        Column(_("Risk"), choice_display("risk_level")),
        Column(_("Last activity"), lambda r: r.last_activity_at),
        Column(_("Created"), lambda r: r.created_at),
    ),
    rows=lambda actor, filters: deal_selectors.deal_list(actor=actor, filters=filters),
)

CONTRACTS = ListSpec(
    name="contracts",
    title=_("Contracts"),
    record_type=RecordType.CONTRACT,
    columns=(
        Column(_("Number"), lambda r: r.number),
        Column(_("Customer"), lambda r: r.customer.name),
        Column(_("Title"), lambda r: r.title),
        Column(_("Amount"), lambda r: r.amount),
        Column(_("Received"), lambda r: r.received_amount),
        Column(_("Outstanding"), lambda r: r.outstanding_amount),
        Column(_("Overdue"), lambda r: r.overdue_total),
        Column(_("Currency"), lambda r: r.currency),
        Column(_("Status"), _contract_status),
        Column(_("Signed"), lambda r: r.signed_at),
        Column(_("Owner"), lambda r: _name(r.owner)),
    ),
    rows=lambda actor, filters: contract_selectors.contract_list(actor=actor, filters=filters),
)

TASKS = ListSpec(
    name="tasks",
    title=_("Tasks"),
    record_type=RecordType.TASK,
    columns=(
        Column(_("Title"), lambda r: r.title),
        Column(_("Status"), choice_display("status")),
        Column(_("Priority"), choice_display("priority")),
        Column(_("Due"), lambda r: r.due_at),
        Column(_("Assignee"), lambda r: _name(r.assignee)),
        Column(_("Related to"), _task_subject),
        Column(_("Created"), lambda r: r.created_at),
    ),
    rows=lambda actor, filters: task_selectors.task_list(
        actor=actor, filters=filters
    ).select_related("lead", "customer", "deal", "contract"),
)

LISTS = {s.name: s for s in (LEADS, CUSTOMERS, CONTACTS, DEALS, CONTRACTS, TASKS)}
