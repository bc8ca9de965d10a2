"""`gendan run`: migrate, load the demo org on first run, serve the web app and the worker."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from gendan.demo import demo_load
from gendan.demo.lead_forms import demo_lead_forms
from gendan.org.models import User


def web_command(host: str, port: int, web_workers: int) -> list[str]:
    """How `gendan run` starts the web server: gunicorn, `web_workers` processes."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "gendan.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(web_workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]


def worker_command() -> list[str]:
    """How `gendan run` starts the background worker (Huey, with the schedule)."""
    return [sys.executable, "-m", "gendan", "run_huey"]


class Command(BaseCommand):
    help = (
        "Migrate, load the demo organisation on first run (unless --no-demo), then start the "
        "web server (gunicorn) and the background worker (Huey) together. Ctrl-C stops both."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("GENDAN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("GENDAN_PORT", "8000")))
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo data.")
        parser.add_argument(
            "--web-workers",
            type=int,
            default=int(os.environ.get("GENDAN_WEB_WORKERS", "2")),
            help="Number of web server processes.",
        )

    def handle(self, *args, host: str, port: int, no_demo: bool, web_workers: int, **options):
        self.stdout.write("Applying database migrations...")
        call_command("migrate", interactive=False, verbosity=0)
        logins = None
        if not no_demo and not User.objects.exists():
            self.stdout.write("First run: loading the demo organisation...")
            logins = demo_load(size="small", seed=1)
            demo_lead_forms()  # after the commit, so the assignment rules give out its leads

        children = self._start(host, port, web_workers)
        url = f"http://{host}:{port}"
        self.stdout.write(self.style.SUCCESS(f"\nGendan is running at {url}"))
        self.stdout.write(f"  Web app:   {url}/  (log in with an account below)")
        self.stdout.write(f"  API docs:  {url}/api/v1/docs")
        self.stdout.write(f"  Admin:     {url}/admin/")
        self._print_logins(logins)
        self.stdout.write("Press Ctrl-C to stop.\n")
        code = self._supervise(children)
        if code:
            sys.exit(code)

    def _start(self, host: str, port: int, web_workers: int) -> list[subprocess.Popen]:
        """The web server (gunicorn) and the worker (Huey), as child processes."""
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gendan.settings"}
        env["GENDAN_DATA_DIR"] = str(settings.DATA_DIR)
        web = subprocess.Popen(web_command(host, port, web_workers), env=env)
        worker = subprocess.Popen(worker_command(), env=env)
        return [web, worker]

    def _supervise(self, children: list[subprocess.Popen]) -> int:
        """Wait until Ctrl-C, SIGTERM or a child's exit, then stop them all; the exit code."""

        def stop(*_args):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        code = 0
        try:
            while True:
                for child in children:
                    if child.poll() is not None:
                        self.stderr.write(f"A server process exited with code {child.returncode}.")
                        code = child.returncode or 1
                        raise KeyboardInterrupt
                time.sleep(0.5)
        except KeyboardInterrupt:
            self.stdout.write("\nStopping...")
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            deadline = time.monotonic() + 15
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
        return code

    def _print_logins(self, logins) -> None:
        if logins:
            password = logins.get("password")
            self.stdout.write(f"\nDemo logins (password: {password}):")
            for entry in logins.get("users", []):
                self.stdout.write(f"  {entry}")
            self.stdout.write(
                'Get an API token: POST /api/v1/auth/token {"username": ..., "password": ...}'
            )
        elif User.objects.filter(username="admin").exists():
            self.stdout.write(
                "\nLog in with your existing accounts (demo accounts use password demo12345)."
            )
        else:
            self.stdout.write("\nCreate an administrator with: gendan createsuperuser")
