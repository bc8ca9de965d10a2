"""`gendan tick [--at ISO-8601]`: run every due time-based rule as of that moment."""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from gendan.analytics.alerts import alerts_evaluate
from gendan.automation import engine


def parse_moment(value: str) -> datetime:
    """An ISO-8601 date or date-time; without a zone it is the organisation's local time."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        moment = datetime.combine(day, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Run every due time-based rule (idle, due, SLA) as of now or --at; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="the moment to run for, ISO-8601 (default: now)")

    def handle(self, *args, **options):
        at = None
        if options.get("at"):
            try:
                at = parse_moment(options["at"])
            except ValueError as exc:
                raise CommandError(f"--at: not an ISO-8601 date or time: {options['at']}") from exc
        summary = engine.tick(at=at)
        self.stdout.write(
            f"Tick at {summary['at']}: {summary['rules']} time rules, {summary['runs']} runs "
            f"({summary['failed']} failed)."
        )
        alerts = alerts_evaluate(at=at)  # once per local day, however often tick runs
        if not alerts["skipped"]:
            self.stdout.write(f"Alerts for {alerts['date']}: {alerts['fired']} fired.")
