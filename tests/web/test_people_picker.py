"""People pickers: every assignable person, their name escaped, the chosen one selected."""

import pytest

from gendan.org.people import assignable_users
from gendan.ui.templatetags.gendan import user_options
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_options_name_everyone_the_actor_may_assign_escaped_and_selected(org):
    # given a colleague whose name holds markup
    sly = UserFactory(username="sly", display_name='<b>"Sly" & Co</b>', team=org.team_a)
    people = assignable_users(org.manager)
    # then the picker lists the manager's people by name, and no one outside the team
    names = {p.pk: p.name for p in people}
    assert names[sly.pk] == '<b>"Sly" & Co</b>'
    assert names[org.owner.pk] == org.owner.name
    assert org.outsider.pk not in names
    # and its options escape the name and select the current owner
    html = user_options(people, selected=sly.pk)
    assert (
        f'<option value="{sly.pk}" selected>&lt;b&gt;&quot;Sly&quot; &amp; Co&lt;/b&gt;</option>'
        in html
    )
    assert f'<option value="{org.owner.pk}">' in html
    assert "<b>" not in html


def test_a_name_falls_back_to_the_full_name_then_the_username(org):
    full = UserFactory(
        username="wl", display_name="", first_name="Wei", last_name="Li", team=org.team_a
    )
    bare = UserFactory(
        username="bare", display_name="", first_name="", last_name="", team=org.team_a
    )
    names = {p.pk: p.name for p in assignable_users(org.admin)}
    assert names[full.pk] == full.name == "Wei Li"
    assert names[bare.pk] == bare.name == "bare"
