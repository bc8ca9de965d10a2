"""Crash tests: a real Gendan in subprocesses, killed with SIGKILL (server.py)."""

import pytest

from tests.faults.server import Gendan


@pytest.fixture
def gendan_factory():
    """`gendan_factory(**env)` makes a migrated Gendan with its own data (and database);
    everything it started is stopped and removed after the test."""
    made = []

    def make(**env) -> Gendan:
        server = Gendan(**env)
        made.append(server)
        server.setup()
        return server

    yield make
    for server in made:
        server.stop()
