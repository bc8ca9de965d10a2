"""The API speaks the caller's language: Simplified Chinese by default, English on request."""

import json


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
