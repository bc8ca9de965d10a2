"""`reading_once`: within the block each record type's definitions are read once (a rule
engine's run, a dialog of several records' forms), and a change of the definitions made in
the block is seen."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.fields import selectors, services
from tests.fields.definitions import PLANT, SEGMENT


def _reads(queries) -> int:
    return sum('"fields_customfield"' in q["sql"] for q in queries.captured_queries)


def test_a_block_reads_each_record_type_once(org):
    services.field_create(actor=org.admin, data=SEGMENT)
    with CaptureQueriesContext(connection) as queries, selectors.reading_once():
        for _ in range(5):
            assert [f.key for f in selectors.definitions("deal")] == ["segment"]
            selectors.definitions("lead")
        with selectors.reading_once():  # nested: the outer block's reads are kept
            selectors.definitions("deal")
    assert _reads(queries) == 2
    # outside a block (the tests run in a transaction, where nothing is kept) each call reads
    with CaptureQueriesContext(connection) as queries:
        selectors.definitions("deal")
        selectors.definitions("deal")
    assert _reads(queries) == 2


def test_a_change_in_the_block_is_seen(org):
    with selectors.reading_once():
        assert selectors.definitions("lead") == []
        services.field_create(actor=org.admin, data=PLANT)
        assert [f.key for f in selectors.definitions("lead")] == [PLANT["key"]]
