"""SQLite, with writers queued on a lock file before they ask for the database's write lock.

SQLite lets one writer in at a time. A writer that finds the database locked sleeps and asks
again, for longer each time (1, 2, 5, 10 ... 100 ms): with a few web processes writing at
once, a waiter often sleeps long after the lock was freed, and a 15 ms write takes 100 ms or
more. Here every transaction first takes an exclusive `flock` on `<database>.writers`, shared
by every process on the machine (web processes and workers), asking again within a
millisecond or two; only then does it begin (IMMEDIATE) and take SQLite's own lock, which is
then free. The lock is let go at commit, rollback or close. An in-memory database has no gate.
"""

import fcntl
import time

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

# The longest a waiter sleeps between two tries: waiters are woken almost as soon as the
# lock is free, and a few of them polling cost next to nothing.
MAX_SLEEP = 0.002


class DatabaseWrapper(base.DatabaseWrapper):
    _gate_file = None
    _gate_held = False

    def _start_transaction_under_autocommit(self):
        self._enter_gate()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_gate()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._leave_gate()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._leave_gate()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._leave_gate()
            if self._gate_file is not None:
                self._gate_file.close()
                self._gate_file = None

    def _enter_gate(self) -> None:
        if self._gate_held or self.is_in_memory_db():
            return
        if self._gate_file is None:
            self._gate_file = open(f"{self.settings_dict['NAME']}.writers", "a+b")  # noqa: SIM115
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        sleep = 0.0002
        while True:
            try:
                fcntl.flock(self._gate_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OperationalError("database is locked") from None
                time.sleep(sleep)
                sleep = min(sleep * 2, MAX_SLEEP)
            else:
                self._gate_held = True
                return

    def _leave_gate(self) -> None:
        if self._gate_held:
            self._gate_held = False
            fcntl.flock(self._gate_file.fileno(), fcntl.LOCK_UN)
