"""Board invariants, for any mix of deals: columns add up, weighted never exceeds amount."""

from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.core.money import cents
from gendan.deals import selectors
from tests.factories import DealFactory, default_pipeline

OWNERS = ["owner", "peer", "sub_rep", "outsider"]
# who each viewer's scope reaches, by owner (the `org` fixture's teams)
REACHES = {
    "owner": {"owner"},
    "outsider": {"outsider"},
    "manager": {"owner", "peer", "sub_rep"},
    "admin": set(OWNERS),
}

amounts = st.one_of(
    st.none(),
    st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
)
deals = st.lists(
    st.tuples(st.sampled_from(OWNERS), st.integers(min_value=0, max_value=4), amounts),
    max_size=25,
)


@settings(
    max_examples=50,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=deals, viewer=st.sampled_from(sorted(REACHES)))
def test_board_columns_add_up_to_the_visible_deals(org, rows, viewer):
    stages = list(default_pipeline().stages.order_by("order"))
    with transaction.atomic():
        # given any deals, spread over the stages and the owners
        for owner, stage_index, amount in rows:
            DealFactory(
                owner=getattr(org, owner),
                stage=stages[stage_index],
                amount=amount,
                status={"won": "won", "lost": "lost"}.get(stages[stage_index].kind, "open"),
            )
        # when the viewer reads the board
        board = selectors.deal_board(actor=getattr(org, viewer), limit=100)
        transaction.set_rollback(True)

    visible = [r for r in rows if r[0] in REACHES[viewer]]
    columns = board["columns"]
    # then the columns hold exactly the deals the viewer may see
    assert sum(c["count"] for c in columns) == len(visible)
    assert sum(len(c["cards"]) for c in columns) == len(visible)
    assert sum(c["amount"] for c in columns) == sum(r[2] or 0 for r in visible)
    for column, stage in zip(columns, stages, strict=True):
        in_stage = [r for r in visible if stages[r[1]].pk == stage.pk]
        assert column["count"] == len(in_stage)
        assert column["amount"] == sum((r[2] or Decimal(0) for r in in_stage), Decimal(0))
        # and the weighted amount is amount × probability, never more than the amount
        assert 0 <= column["weighted_amount"] <= column["amount"]
        expected = cents(column["amount"] * stage.probability / Decimal(100))  # half up
        assert column["weighted_amount"] == expected
