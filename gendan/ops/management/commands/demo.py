"""`gendan demo [--size small|medium|large] [--seed N]`: load the demo organisation."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from gendan import demo
from gendan.analytics.alerts import alerts_seed_defaults
from gendan.demo.lead_forms import demo_lead_forms


class Command(BaseCommand):
    help = (
        "Load a demo sales organisation with a year of leads, deals, follow-ups and tasks into "
        "an empty database. The same seed on the same day gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=list(demo.SIZES),
            default="small",
            help=(
                "small: 300 leads and 120 deals; medium: 10 times that; large: 1,000,000 "
                "leads, 300,000 deals and 2,026 users."
            ),
        )
        parser.add_argument("--seed", type=int, default=1, help="The random seed (default 1).")

    def handle(self, *args, size: str, seed: int, **options):
        started = time.monotonic()
        try:
            result = demo.demo_load(size=size, seed=seed, progress=self._progress(started))
        except demo.DatabaseNotEmpty as exc:
            raise CommandError(str(exc)) from exc

        alerts_seed_defaults()  # the playbook's threshold alerts
        # After the commit, so the assignment rules give out its leads.
        form = demo_lead_forms()
        if form is not None:
            path = reverse("capture_public:form", args=[form.token])
            self.stdout.write(
                f"Public lead form {form.name}: {path} ({form.submissions_count} leads sent)."
            )
        for line in demo.demo_summary(result):
            self.stdout.write(line)
        self.stdout.write(f"Took {time.monotonic() - started:.1f} s.")

    def _progress(self, started: float):
        def line(text: str) -> None:
            self.stderr.write(f"[{time.monotonic() - started:6.1f} s] {text}")

        return line
