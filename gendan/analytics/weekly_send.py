"""Sending the weekly review: the PDF e-mailed to every sales manager (their own team's
review, as they would see it on the page) and the short summary posted to the chat robots (a
team's robot gets the team's review, an organisation-wide robot the whole organisation's).

Once per week: a `WeeklyReviewSent` row per reviewed week (its Monday) guards it, so the hourly
task, `gendan report weekly --send` and a retry never send the same week twice (unless forced).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from gendan.analytics.chat import post_text, report_channels
from gendan.analytics.models import WeeklyReviewSent
from gendan.analytics.weekly import week_of, weekly_review
from gendan.analytics.weekly_pdf import weekly_pdf
from gendan.analytics.weekly_text import summary_text, title
from gendan.org.choices import RoleCode
from gendan.org.models import User
from gendan.org.system import system_actor

logger = logging.getLogger(__name__)
SEND_HOUR = 8  # local time, on Mondays


def page_link(week_start) -> str:
    base = getattr(settings, "GENDAN_BASE_URL", "").rstrip("/")
    return f"{base}{reverse('reports:weekly')}?at={(week_start + timedelta(days=7)).isoformat()}"


def managers():
    return User.objects.filter(is_active=True, role__code=RoleCode.SM).exclude(email="")


def pdf_filename(review: dict) -> str:
    return f"weekly-review-{review['week']['from'].isoformat()}.pdf"


def email_manager(user, *, at) -> None:
    review = weekly_review(actor=user, at=at)
    link = page_link(review["week"]["from"])
    scope = user.team.name if user.team_id else ""
    message = EmailMessage(
        subject=title(review),
        body=summary_text(review, link=link) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach(pdf_filename(review), weekly_pdf(review, scope_name=scope), "application/pdf")
    message.send()


def post_channel(channel, *, at) -> None:
    review = weekly_review(actor=system_actor(), at=at, team_id=channel.team_id)
    heading = title(review)
    if channel.team_id:
        heading = f"{heading} · {channel.team.name}"
    body = summary_text(review, link=page_link(review["week"]["from"]))
    post_text(channel, heading, body.split("\n", 1)[1] if "\n" in body else body)


def weekly_send(*, at=None, force: bool = False) -> dict:
    """Send the review of the last full week before `at` (default now), once per week.
    Returns {"week", "skipped", "emails", "posts", "failures"}."""
    at = at or timezone.now()
    start, _end = week_of(at)
    try:
        with transaction.atomic():
            sent = WeeklyReviewSent.objects.create(week_start=start, sent_at=timezone.now())
    except IntegrityError:
        if not force:
            return {"week": start.isoformat(), "skipped": True, "emails": 0, "posts": 0}
        sent = WeeklyReviewSent.objects.get(week_start=start)
    emails, posts, failures = 0, 0, []
    with translation.override(settings.LANGUAGE_CODE):
        for user in managers().select_related("team").order_by("id"):
            try:
                email_manager(user, at=at)
                emails += 1
            except Exception as exc:  # one bad address must not stop the others
                logger.exception("weekly review e-mail to %s failed", user.pk)
                failures.append(f"email {user.username}: {exc}")
        for channel in report_channels():
            try:
                post_channel(channel, at=at)
                posts += 1
            except Exception as exc:  # nor one unreachable robot
                logger.exception("weekly review post to channel %s failed", channel.pk)
                failures.append(f"chat {channel.name}: {exc}")
    sent.emails, sent.posts, sent.failures = emails, posts, failures
    sent.sent_at = timezone.now()
    sent.save(update_fields=["emails", "posts", "failures", "sent_at"])
    return {
        "week": start.isoformat(),
        "skipped": False,
        "emails": emails,
        "posts": posts,
        "failures": failures,
    }


def weekly_send_due(*, at=None) -> dict | None:
    """What the hourly task does: on Monday from 08:00 local time, send last week's review
    (once); at any other time, nothing."""
    at = at or timezone.now()
    local = timezone.localtime(at)
    if local.weekday() != 0 or local.hour < SEND_HOUR:
        return None
    return weekly_send(at=at)
