"""`gendan report weekly [--at ISO-8601] [--send] [--force]`: the weekly review (跟单复盘)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from gendan.analytics.weekly import weekly_review
from gendan.analytics.weekly_send import page_link, weekly_send
from gendan.analytics.weekly_text import summary_text
from gendan.ops.management.commands.tick import parse_moment
from gendan.org.system import system_actor


class Command(BaseCommand):
    help = (
        "Print the weekly review of the last full week before now (or --at); with --send, "
        "e-mail the PDF to every sales manager and post the summary to the chat channels "
        "(once per week unless --force)."
    )

    def add_arguments(self, parser):
        parser.add_argument("report", choices=["weekly"], help="the report (weekly)")
        parser.add_argument("--at", help="review the week before this moment, ISO-8601")
        parser.add_argument("--team", type=int, help="only this team (id), with its sub-teams")
        parser.add_argument("--send", action="store_true", help="e-mail and post it")
        parser.add_argument("--force", action="store_true", help="send again for the same week")

    def handle(self, *args, **options):
        at = None
        if options.get("at"):
            try:
                at = parse_moment(options["at"])
            except ValueError as exc:
                raise CommandError(f"--at: not an ISO-8601 date or time: {options['at']}") from exc
        with translation.override(settings.LANGUAGE_CODE):
            review = weekly_review(actor=system_actor(), at=at, team_id=options.get("team"))
            self.stdout.write(summary_text(review, link=page_link(review["week"]["from"])))
            if not options["send"]:
                return
            result = weekly_send(at=at, force=options["force"])
        if result["skipped"]:
            self.stdout.write(f"Already sent for the week of {result['week']} (use --force).")
            return
        self.stdout.write(
            f"Sent the week of {result['week']}: {result['emails']} e-mails, "
            f"{result['posts']} chat posts, {len(result['failures'])} failures."
        )
        for failure in result["failures"]:
            self.stderr.write(failure)
