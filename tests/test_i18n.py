"""The API speaks the caller's language: Simplified Chinese by default, English on request."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _bad_lead(client, **headers):
    return client.post(
        "/api/v1/leads", json.dumps({"name": "x"}), content_type="application/json", **headers
    )


def test_errors_in_chinese_by_default_and_english_on_request(db, client):
    # given an anonymous caller
    # when the token endpoint is given a wrong password
    body = json.dumps({"username": "nobody", "password": "wrong"})
    zh = client.post("/api/v1/auth/token", body, content_type="application/json")
    en = client.post(
        "/api/v1/auth/token", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    # then the message follows Accept-Language, the field key stays the same
    assert zh.status_code == en.status_code == 401
    assert zh.json()["errors"]["password"] == "用户名或密码错误。"
    assert en.json()["errors"]["password"] == "Wrong username or password."


def test_chinese_text_is_sent_as_utf8(db, client):
    body = json.dumps({"username": "nobody", "password": "wrong"})
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert "charset=utf-8" in response["Content-Type"]
    assert "用户名或密码错误".encode() in response.content


def test_every_string_of_the_interface_has_its_chinese_translation(tmp_path):
    # Collect the strings of a copy of the code into a copy of the catalogue, as
    # `make messages` does: nothing may be left untranslated or fuzzy.
    if not shutil.which("xgettext") or not shutil.which("msgattrib"):
        pytest.skip("gettext tools are not installed")
    source = Path(__file__).resolve().parent.parent / "gendan"
    copy = tmp_path / "gendan"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete",
         "--no-location", "--settings=gendan.settings"],
        cwd=copy, check=True, capture_output=True,
    )  # fmt: skip
    po = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    missing = []
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(po)], capture_output=True, text=True, check=True
        ).stdout
        missing += [
            line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""'
        ]
    assert not missing, "\n".join(missing)
