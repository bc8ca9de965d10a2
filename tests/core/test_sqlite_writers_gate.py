"""SQLite writers queue on a lock file: a transaction holds it from its start to its end."""

import fcntl

import pytest
from django.db import connections

from gendan.core.db.sqlite3.base import DatabaseWrapper


def _gate_is_free(path) -> bool:
    with open(path, "a+b") as other:  # another process's view: its own open file
        try:
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(other.fileno(), fcntl.LOCK_UN)
        return True


@pytest.fixture
def wrapper(tmp_path, django_db_blocker):
    settings = dict(connections.settings["default"])
    settings.update(
        ENGINE="gendan.core.db.sqlite3",
        NAME=str(tmp_path / "gate.sqlite3"),
        OPTIONS={"transaction_mode": "IMMEDIATE", "timeout": 1},
        TEST={},
    )
    with django_db_blocker.unblock():  # a database of its own, not the suite's
        db = DatabaseWrapper(settings, alias="gate")
        db.ensure_connection()
        with db.cursor() as cursor:
            cursor.execute("CREATE TABLE t (n INTEGER)")
        yield db, f"{settings['NAME']}.writers"
        db.close()


@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_a_transaction_holds_the_gate_from_begin_to_its_end(wrapper, end):
    db, gate = wrapper
    # when a transaction begins, the gate is taken
    db._start_transaction_under_autocommit()
    with db.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
    assert not _gate_is_free(gate)
    # then it is let go when the transaction ends
    getattr(db, end)()
    assert _gate_is_free(gate)


def test_a_writer_that_cannot_get_the_gate_in_time_is_told_the_database_is_locked(wrapper):
    from django.db.utils import OperationalError

    db, gate = wrapper
    with open(gate, "a+b") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)
        with pytest.raises(OperationalError, match="locked"):
            db._start_transaction_under_autocommit()
    # and the next transaction goes through
    db._start_transaction_under_autocommit()
    db.commit()
    assert _gate_is_free(gate)
