"""The `gendan` command: token, pass-through management commands, and `run`."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from django.core.management import call_command

from gendan.org.models import ApiToken, User


def test_token_prints_a_working_token(db, client, capsys):
    # given a user
    User.objects.create_user("li.lei", password="S3cret-pass!")
    # when a token is made on the command line
    call_command("token", "li.lei")
    key = capsys.readouterr().out.strip()
    # then it is long and random, stored only hashed, and authenticates the API
    assert len(key) >= 32
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert ApiToken.objects.filter(key_hash=ApiToken.hash_key(key)).exists()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["username"] == "li.lei"


def test_cli_passes_django_commands_through(tmp_path):
    env = {**os.environ, "GENDAN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "gendan", "help"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0
    for command in ("run", "demo", "token", "migrate", "createsuperuser"):
        assert command in result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_run_serves_the_api_and_stops_both_processes_on_ctrl_c(tmp_path):
    # given a fresh data dir
    port = _free_port()
    env = {**os.environ, "GENDAN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gendan", "run", "--no-demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        # when the server is up
        schema = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and schema is None:
            try:
                url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
                with urllib.request.urlopen(url, timeout=2) as response:
                    schema = json.load(response)
            except OSError:
                time.sleep(0.5)
        # then it serves the API docs from a production server
        assert schema is not None, "the server did not answer"
        assert "/api/v1/leads" in schema["paths"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/docs", timeout=5) as page:
            assert page.status == 200
    finally:
        # Ctrl-C reaches the whole process group, as in a terminal
        os.killpg(proc.pid, signal.SIGINT)
        output, _ = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}" in output
    assert "Create an administrator" in output
    # and nothing is left running in the group
    time.sleep(0.5)
    try:
        os.killpg(proc.pid, 0)
        leftover = True
    except ProcessLookupError:
        leftover = False
    assert not leftover
