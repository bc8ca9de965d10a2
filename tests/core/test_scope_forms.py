"""A scope is written in more than one form for speed (a list of ids, a subquery, a per-row
EXISTS); every form must let the same records through."""

import pytest

from gendan.activities.models import Activity
from gendan.customers.models import Contact, Customer
from gendan.deals.models import Deal, DealCollaborator
from gendan.org import scoping
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    CustomerFactory,
    DealFactory,
    LeadFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def company():
    """A director over the only team tree, a rep in it, and a rep in no team."""
    root = TeamFactory(name="Company")
    east = TeamFactory(name="East", parent=root)
    director = UserFactory(role_code="sm", team=root)
    root.manager = director
    root.save()
    rep = UserFactory(role_code="ae", team=east)
    loner = UserFactory(role_code="ae", team=None)
    return director, rep, loner


def test_the_ids_a_rep_works_on_with_others_reach_the_same_deals_as_a_list_or_a_subquery(
    company, monkeypatch
):
    _director, rep, loner = company
    theirs = [DealFactory(owner=loner) for _ in range(3)]
    for deal in theirs[:2]:
        DealCollaborator.objects.create(deal=deal, user=rep)
    own = DealFactory(owner=rep)
    expected = {own.pk, theirs[0].pk, theirs[1].pk}
    # as a list of ids
    assert _ids(Deal.objects.visible_to(rep)) == expected
    # and, when they are more than the list may hold, as a subquery
    monkeypatch.setattr(scoping, "ID_LIST_LIMIT", 1)
    rep = type(rep).objects.get(pk=rep.pk)  # a fresh user: the ids are read once per user
    assert _ids(Deal.objects.visible_to(rep)) == expected
    # and the customers of those deals follow them
    customers = {d.customer_id for d in (own, theirs[0], theirs[1])}
    assert _ids(Customer.objects.visible_to(rep)) == customers


def test_a_director_over_every_team_sees_through_deals_row_by_row(company):
    director, rep, loner = company
    assert scoping.covers_every_team(director)
    assert not scoping.covers_every_team(rep)
    # a customer of someone in no team, with a deal of the director's rep
    customer = CustomerFactory(owner=loner)
    contact = ContactFactory(customer=customer)
    DealFactory(owner=rep, customer=customer)
    # a customer of someone in no team that nobody of the tree works on
    hidden = ContactFactory(customer=CustomerFactory(owner=loner))
    # then the director sees the first customer and its contact, not the second
    assert customer.pk in _ids(Customer.objects.visible_to(director))
    assert hidden.customer_id not in _ids(Customer.objects.visible_to(director))
    assert contact.pk in _ids(Contact.objects.visible_to(director))
    assert hidden.pk not in _ids(Contact.objects.visible_to(director))


def test_follow_ups_are_seen_alike_asked_per_row_or_as_a_list(company):
    director, rep, loner = company
    mine = ActivityFactory(lead=LeadFactory(owner=rep))
    theirs = ActivityFactory(lead=LeadFactory(owner=loner))
    for who in (director, rep, loner):
        listed = _ids(Activity.objects.visible_to(who))
        per_row = _ids(Activity.objects.visible_to(who, per_row=True))
        assert listed == per_row
    assert _ids(Activity.objects.visible_to(rep)) == {mine.pk}
    assert _ids(Activity.objects.visible_to(loner)) == {theirs.pk}
