"""Fixtures for the public pool, risk and channels."""

import http.server
import json
import threading

import pytest

from gendan.leads import pool
from gendan.org.system import system_actor
from tests.factories import LeadFactory, UserFactory


@pytest.fixture
def sdr(org):
    return UserFactory(username="sdr", role_code="sdr", team=org.team_a)


def pooled_lead(owner, reason="No answer for a week", **kwargs):
    """A lead of `owner` moved to the pool by the system."""
    lead = LeadFactory(owner=owner, **kwargs)
    return pool.lead_move_to_pool(actor=system_actor(), lead_id=lead.pk, reason=reason)


@pytest.fixture
def huey_immediate():
    """Background tasks run at once, in the test's thread."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    try:
        yield HUEY
    finally:
        HUEY.immediate = False


class Recorder(http.server.BaseHTTPRequestHandler):
    """Records each POST; answers with the server's `answer` (status, JSON body)."""

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        raw = self.rfile.read(length)
        self.server.received.append(
            {"path": self.path, "headers": dict(self.headers), "raw": raw, "json": json.loads(raw)}
        )
        status, body = self.server.answer
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def chat_server():
    """A local HTTP server on 127.0.0.1 standing in for the chat robots."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.received = []
    server.answer = (200, {"errcode": 0, "errmsg": "ok"})
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
