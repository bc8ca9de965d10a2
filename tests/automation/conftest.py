"""Rules: helpers to make rules, run what waits for the commit, and a local webhook receiver."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from gendan.automation import services


@pytest.fixture(autouse=True)
def english():
    """Rules and their playbook texts are written in the language active when they are made;
    these tests read them in English."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """`with commits(): ...` runs what the block schedules for after the commit (the rules)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def make_rule(org):
    def make(**data):
        data = {"name": "rule", "conditions": [], **data}
        return services.rule_create(actor=org.admin, data=data)

    return make


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200


@pytest.fixture
def webhook_server():
    """An HTTP server on 127.0.0.1 in a thread; `.url`, `.received` (headers, raw body)."""
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append(
                {"path": self.path, "headers": dict(self.headers), "body": body}
            )
            self.send_response(receiver.status)
            self.end_headers()
            self.wfile.write(json.dumps({"ok": True}).encode())

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_port}/hook"
    receiver.server = server
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
