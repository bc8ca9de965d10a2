"""Local receivers that hold their first delivery until the test lets it go.

The held delivery is the one a worker is killed in the middle of: it has reached the receiver
but was never answered. When let go it is answered with an error (HTTP 503, SMTP 451), so it
counts as not accepted, as it would for a sender that was still alive to hear the answer.
Everything else is accepted at once. Both record every attempt and what they accepted.
"""

import json
import socket
import socketserver
import threading
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTS = range(8820, 8830)
WAIT = 60  # the longest a held delivery waits for the test


def free_port() -> int:
    """A port of 127.0.0.1 nobody listens on, from the range the faults tests use."""
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Holding:
    """What both receivers share: the first attempt waits on `release`."""

    def __init__(self):
        self.lock = threading.Lock()
        self.attempts: list[dict] = []  # every delivery that arrived, in order
        self.accepted: list[dict] = []  # the ones answered with success
        self.held = threading.Event()  # the first one has arrived and waits
        self.release = threading.Event()
        self._holding_taken = False

    def arrive(self, item: dict) -> bool:
        """Record an attempt; True when it is the one to hold."""
        with self.lock:
            self.attempts.append(item)
            hold = not self._holding_taken
            self._holding_taken = True
        if hold:
            self.held.set()
            self.release.wait(WAIT)
        return hold

    def accept(self, item: dict) -> None:
        with self.lock:
            self.accepted.append(item)

    def start(self, server) -> None:
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class HttpReceiver(Holding):
    """A webhook receiver: `url`; attempts are {"headers", "body"}."""

    def __init__(self):
        super().__init__()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                item = {"headers": dict(self.headers), "body": raw, "json": json.loads(raw)}
                if receiver.arrive(item):
                    self._answer(503)
                    return
                receiver.accept(item)
                self._answer(200)

            def _answer(self, status: int) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:
                    pass  # the sender is gone

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        server.daemon_threads = True
        self.url = f"http://127.0.0.1:{server.server_port}/hook"
        self.start(server)


class SmtpReceiver(Holding):
    """A mail server speaking just enough SMTP for Django's backend; attempts are the parsed
    messages ({"message_id", "to", "subject", "raw"})."""

    def __init__(self):
        super().__init__()
        receiver = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.reply("220 localhost ESMTP")
                recipients = []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    verb = line.decode("latin-1").strip().split(" ", 1)[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 localhost")
                    elif verb == "MAIL":
                        recipients = []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        recipients.append(line.decode("latin-1").split(":", 1)[1].strip())
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        self.message(self.read_data(), recipients)
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:  # RSET, NOOP
                        self.reply("250 OK")

            def read_data(self) -> bytes:
                lines = []
                while True:
                    line = self.rfile.readline()
                    if not line or line in (b".\r\n", b".\n"):
                        return b"".join(lines)
                    lines.append(line[1:] if line.startswith(b"..") else line)

            def message(self, raw: bytes, recipients: list[str]) -> None:
                parsed = message_from_bytes(raw, policy=default_policy)
                item = {
                    "message_id": str(parsed["Message-ID"]),
                    "to": recipients,
                    "subject": str(parsed["Subject"]),
                    "raw": raw,
                }
                if receiver.arrive(item):
                    self.reply("451 Try again later")
                    return
                receiver.accept(item)
                self.reply("250 OK: queued")

            def reply(self, text: str) -> None:
                try:
                    self.wfile.write(text.encode() + b"\r\n")
                    self.wfile.flush()
                except OSError:
                    pass

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        server = Server(("127.0.0.1", free_port()), Handler)
        self.port = server.server_address[1]
        self.start(server)
