"""Settings from the environment: the deploy check, the secret key, SQLite's pragmas."""

import json
import os
import secrets
import subprocess
import sys

from django.db import connection


def _gendan(args, tmp_path, **env):
    full_env = {
        **os.environ,
        "GENDAN_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "gendan.settings",
        **env,
    }
    if "DATABASE_URL" not in env:
        full_env.pop("DATABASE_URL", None)
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' fixture
    return subprocess.run(
        [sys.executable, "-m", "gendan", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings(tmp_path):
    # given production settings: HTTPS, a strong secret key, no debug
    result = _gendan(
        ["check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        GENDAN_HTTPS="1",
        GENDAN_DEBUG="0",
        GENDAN_SECRET_KEY=secrets.token_urlsafe(50),
        GENDAN_ALLOWED_HOSTS="crm.example.com",
    )
    # then Django's deployment checklist finds nothing
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_in_debug(tmp_path):
    result = _gendan(
        ["check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        GENDAN_HTTPS="1",
        GENDAN_DEBUG="1",
        GENDAN_SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert result.returncode != 0


def test_secret_key_is_generated_once_into_the_data_dir(tmp_path):
    env = {"GENDAN_SECRET_KEY": ""}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _gendan(["shell", "-v", "0", "-c", code], tmp_path, **env)
    second = _gendan(["shell", "-v", "0", "-c", code], tmp_path, **env)
    key_file = tmp_path / "secret_key"
    assert first.returncode == 0, first.stderr
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(first.stdout.strip()) >= 50


def test_sqlite_uses_wal_busy_timeout_and_immediate_transactions(db):
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert busy_timeout >= 5000
    # the in-memory test database cannot use WAL; the configured pragma is what a file gets
    assert journal_mode in {"wal", "memory"}
    assert "journal_mode=WAL" in options["init_command"]


def test_huey_queue_lives_in_its_own_file(settings):
    if settings.HUEY.get("huey_class") == "huey.SqliteHuey":
        db_name = str(settings.DATABASES["default"]["NAME"])
        assert settings.HUEY["filename"].endswith("huey.sqlite3")
        assert settings.HUEY["filename"] != db_name


def test_postgresql_runs_without_jit(db):
    if connection.vendor != "postgresql":
        return
    # the planner's JIT would compile the scope filters of a big organisation for most of a
    # second on each request: it is off for every connection
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def _setting_values(tmp_path, names, **env):
    code = "import json; from django.conf import settings as s; "
    code += f"print(json.dumps([getattr(s, n) for n in {names!r}]))"
    result = _gendan(["shell", "-v", "0", "-c", code], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip())


def test_mail_url_schemes_choose_the_backend_port_and_encryption(tmp_path):
    names = ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_SSL", "EMAIL_USE_TLS"]
    smtps = _setting_values(tmp_path, names, EMAIL_URL="smtps://crm:pw@mail.example.com")
    assert smtps == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.com",
        465,
        True,
        False,
    ]
    starttls = _setting_values(
        tmp_path, names + ["EMAIL_HOST_USER"], EMAIL_URL="smtp+tls://crm%40example.com:pw@mx:2525"
    )
    assert starttls[2:] == [2525, False, True, "crm@example.com"]
    plain = _setting_values(tmp_path, names, EMAIL_URL="smtp://mx")
    assert plain[2] == 587
    assert _setting_values(tmp_path, ["EMAIL_BACKEND"], EMAIL_URL="locmem://") == [
        "django.core.mail.backends.locmem.EmailBackend"
    ]
    assert _setting_values(tmp_path, ["EMAIL_BACKEND"], EMAIL_URL="") == [
        "django.core.mail.backends.console.EmailBackend"
    ]


def test_host_lists_and_switches_read_from_the_environment(tmp_path):
    hosts, debug, workers = _setting_values(
        tmp_path,
        ["ALLOWED_HOSTS", "DEBUG", "HUEY"],
        GENDAN_ALLOWED_HOSTS=" crm.example.com, ,10.0.0.5 ",
        GENDAN_DEBUG="yes",
        GENDAN_WORKERS="5",
    )
    assert hosts == ["crm.example.com", "10.0.0.5"]
    assert debug is True
    assert workers["consumer"]["workers"] == 5


def test_the_sqlite_writers_gate_can_be_turned_off(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    gated = _gendan(["shell", "-v", "0", "-c", code], tmp_path)
    stock = _gendan(["shell", "-v", "0", "-c", code], tmp_path, GENDAN_SQLITE_WRITE_GATE="0")
    assert gated.stdout.strip() == "gendan.core.db.sqlite3"
    assert stock.stdout.strip() == "django.db.backends.sqlite3"
