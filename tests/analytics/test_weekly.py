"""The weekly review (跟单复盘) on a hand-built fortnight: the week of Mon 2026-03-09 – Sun
03-15 compared with Mon 03-02 – Sun 03-08 (Asia/Shanghai), as a dict, a page, a PDF, an e-mail
and a chat post, once per week."""

import hashlib
import hmac
import http.server
import io
import json
import threading
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from gendan.analytics.models import Target, WeeklyReviewSent
from gendan.analytics.weekly import week_of, weekly_review
from gendan.analytics.weekly_send import weekly_send, weekly_send_due
from gendan.automation.models import ChatChannel
from gendan.deals.models import Deal
from tests.analytics.conftest import (
    TZ,
    at,
    follow_up,
    make_contract,
    make_deal,
    make_lead,
    make_plan,
)

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 16, 8, 0, tzinfo=TZ)  # the review of 03-09 – 03-15
D, P, N, W, L = "Discovery", "Proposal & quote", "Negotiation & signing", "Won", "Lost"


@pytest.fixture(autouse=True)
def email_and_links(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GENDAN_BASE_URL = "https://crm.example.com"
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def fortnight(org):
    """Team A (owner, peer) and the outsider (team B); all at 10:00 unless said.

    This week (03-09 – 03-15), created this week:
      w1 owner  D 3/9 → P 3/10 → N 3/11 → Won 3/13     1000
      w2 owner  D 3/10 → Lost 3/12 "Price"              200
      w3 peer   D 3/11 → P 3/12, open, HIGH risk        300
      w4 peer   D 3/12, open                            400
      w5 peer   D 3/13 → P 3/14, open, medium risk      600
      x1 outsider D 3/10 → Won 3/14                     5000
    o1 owner, created 2/20 in D, lost 3/11 "Competitor"  50
    Previous week (03-02 – 03-08):
      p1 owner  D 3/2 → P 3/3 → N 3/4 → Won 3/5         500
      p2 peer   D 3/3 → Lost 3/4 "Price"                100
    """
    o, p, x = org.owner, org.peer, org.outsider
    deals = {
        "w1": make_deal(o, [(D, at(3, 9)), (P, at(3, 10)), (N, at(3, 11)), (W, at(3, 13))],
                        amount="1000"),
        "w2": make_deal(o, [(D, at(3, 10)), (L, at(3, 12))], amount="200", lost_reason="Price"),
        "w3": make_deal(p, [(D, at(3, 11)), (P, at(3, 12))], amount="300"),
        "w4": make_deal(p, [(D, at(3, 12))], amount="400"),
        "w5": make_deal(p, [(D, at(3, 13)), (P, at(3, 14))], amount="600"),
        "x1": make_deal(x, [(D, at(3, 10)), (W, at(3, 14))], amount="5000"),
        "o1": make_deal(o, [(D, at(2, 20)), (L, at(3, 11))], amount="50",
                        lost_reason="Competitor"),
        "p1": make_deal(o, [(D, at(3, 2)), (P, at(3, 3)), (N, at(3, 4)), (W, at(3, 5))],
                        amount="500"),
        "p2": make_deal(p, [(D, at(3, 3)), (L, at(3, 4))], amount="100", lost_reason="Price"),
    }  # fmt: skip
    Deal.objects.filter(pk__in=[deals["w3"].pk, deals["w2"].pk]).update(risk_level="high")
    Deal.objects.filter(pk=deals["w5"].pk).update(risk_level="medium")
    # follow-ups: owner 3 this week (the last at Sunday 23:30), 1 the week before (Sunday
    # 23:50) and 1 next week (Monday 00:10); peer 1 this week and 2 the week before
    lo, lp = make_lead(o, at(3, 1)), make_lead(p, at(3, 1))
    for when in (at(3, 9), at(3, 10), at(3, 15, 23, 30), at(3, 8, 23, 50), at(3, 16, 0, 10)):
        follow_up(lo, when=when)
    for when in (at(3, 11), at(3, 3), at(3, 4)):
        follow_up(lp, when=when)
    # the owner's March target: 4 deals won (w1 and p1 so far → 50 %)
    Target.objects.create(
        user=o, period="month", start=date(2026, 3, 1), metric="deals_won", value=4
    )
    # payments: 1000 due 3/10 unpaid; 500 due 3/5 with 200 received; 700 due 3/20
    contract = make_contract(o)
    make_plan(contract, date(2026, 3, 10), "1000")
    make_plan(contract, date(2026, 3, 5), "500", received="200")
    make_plan(contract, date(2026, 3, 20), "700")
    return deals


class Recorder(http.server.BaseHTTPRequestHandler):
    """Records each POST (path, JSON body, headers); answers with the server's `answer`."""

    def do_POST(self):  # noqa: N802
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append((self.path, json.loads(raw), dict(self.headers), raw))
        status, body = self.server.answer
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def chat_server():
    """A local HTTP server on 127.0.0.1 standing in for the chat robots."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.received = []
    server.answer = (200, {"errcode": 0, "errmsg": "ok"})
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def c(value, previous, delta):
    return {"value": value, "previous": previous, "delta": delta}


# The week ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "monday"),
    [
        (datetime(2026, 3, 16, 8, 0, tzinfo=TZ), date(2026, 3, 9)),  # Monday morning
        (datetime(2026, 3, 16, 0, 0, tzinfo=TZ), date(2026, 3, 9)),  # just after midnight
        (datetime(2026, 3, 15, 23, 59, tzinfo=TZ), date(2026, 3, 2)),  # still Sunday
        # 2026-03-15 16:30 UTC is Monday 00:30 in Shanghai
        (datetime.fromisoformat("2026-03-15T16:30:00+00:00"), date(2026, 3, 9)),
    ],
)
def test_the_week_is_the_last_full_local_week_before_the_moment(moment, monday):
    assert week_of(moment)[0] == monday
    assert (week_of(moment)[1] - week_of(moment)[0]).days == 7


# The figures --------------------------------------------------------------------------------


def test_funnel_and_bottleneck_compared_with_the_week_before(org, fortnight):
    review = weekly_review(actor=org.manager, at=MONDAY)
    assert review["week"] == {"from": date(2026, 3, 9), "to": date(2026, 3, 15)}
    assert review["previous"] == {"from": date(2026, 3, 2), "to": date(2026, 3, 8)}
    # created this week in team A: w1–w5 (x1 is team B's, o1 was created in February)
    assert review["funnel"]["deals"] == c(5, 2, 3)
    stages = review["funnel"]["stages"]
    # reached: D all 5; P w1, w3, w5; N w1; Won w1 — the week before: p1, p2 / p1 / p1 / p1
    assert [s["reached"] for s in stages] == [c(5, 2, 3), c(3, 1, 2), c(1, 1, 0), c(1, 1, 0)]
    assert [s["conversion_to_next"] for s in stages] == [0.6, 0.3333, 1.0, None]
    # the largest drop is Proposal → Negotiation (1 of 3; the week before 1 of 1)
    drop = review["bottleneck"]["largest_drop"]
    assert drop["name"] == P
    assert drop["conversion_to_next"] == c(0.3333, 1.0, -0.6667)
    assert drop["drop"] == 0.6667
    # stays that ended this week or still going on at Monday 00:00, in days:
    # D: w1 1, w2 2, w3 1, w5 1, o1 19, w4 3.5833 (open) → median 1.5
    # P: w1 1, w3 3.5833 (open), w5 1.5833 (open) → median 1.58; N: w1 2 → median 2
    # the week before: N p1 1 → longest stay Negotiation, 2 days, +1
    stay = review["bottleneck"]["longest_stay"]
    assert stay["name"] == N
    assert stay["median_days"] == c(2.0, 1.0, 1.0)


def test_reps_totals_and_target_attainment(org, fortnight):
    review = weekly_review(actor=org.manager, at=MONDAY)
    rows = {r["name"]: r for r in review["reps"]}
    assert list(rows) == [org.owner.name, org.peer.name]  # by won amount
    owner, peer = rows[org.owner.name], rows[org.peer.name]
    assert owner["follow_ups"] == c(3, 1, 2)
    assert owner["deals_won"] == c(1, 1, 0)
    assert owner["amount"] == c(Decimal("1000.00"), Decimal("500.00"), Decimal("500.00"))
    assert (owner["attainment"], owner["attainment_metric"]) == (0.5, "deals_won")
    assert peer["follow_ups"] == c(1, 2, -1)
    assert peer["deals_won"] == c(0, 0, 0)
    assert peer["attainment"] is None
    assert review["totals"] == {
        "follow_ups": c(4, 3, 1),
        "deals_won": c(1, 1, 0),
        "amount": c(Decimal("1000.00"), Decimal("500.00"), Decimal("500.00")),
    }


def test_risks_overdue_and_lost_reasons(org, fortnight):
    review = weekly_review(actor=org.manager, at=MONDAY)
    # open and high risk: w3 only (w2 is lost, w5 medium); risk has no history
    assert review["at_risk"]["count"] == c(1, None, None)
    assert [d["name"] for d in review["at_risk"]["rows"]] == [fortnight["w3"].name]
    # overdue at the end of the week (due before 3/16): 1000 + 300; a week earlier
    # (due before 3/9): 300
    assert review["overdue"]["amount"] == c(
        Decimal("1300.00"), Decimal("300.00"), Decimal("1000.00")
    )
    assert review["overdue"]["aging"]["0-30"] == Decimal("1300.00")
    # lost this week: w2 Price, o1 Competitor; the week before: p2 Price
    lost = review["lost_reasons"]
    assert lost["deals"] == c(2, 1, 1)
    assert [(r["reason"], r["deals"]) for r in lost["rows"]] == [
        ("Competitor", c(1, 0, 1)),
        ("Price", c(1, 1, 0)),
    ]


def test_a_manager_sees_only_their_team_and_the_admin_everyone(org, fortnight):
    mine = weekly_review(actor=org.manager, at=MONDAY)
    assert org.outsider.name not in {r["name"] for r in mine["reps"]}
    everyone = weekly_review(actor=org.admin, at=MONDAY)
    assert everyone["funnel"]["deals"]["value"] == 6  # with x1
    assert everyone["totals"]["amount"]["value"] == Decimal("6000.00")
    team_b = weekly_review(actor=org.admin, at=MONDAY, team_id=org.team_b.pk)
    assert [r["name"] for r in team_b["reps"]] == [org.outsider.name]
    # the manager of team A asking for team B gets nothing
    other = weekly_review(actor=org.manager, at=MONDAY, team_id=org.team_b.pk)
    assert other["reps"] == [] and other["funnel"]["deals"]["value"] == 0


def test_an_empty_week_has_zeros_and_no_bottleneck(org):
    review = weekly_review(actor=org.manager, at=MONDAY)
    assert review["funnel"]["deals"] == c(0, 0, 0)
    assert review["bottleneck"] == {"largest_drop": None, "longest_stay": None}
    assert review["reps"] == []
    assert review["totals"]["amount"] == c(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))


# The page and the PDF ---------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pdf_text(raw: bytes) -> str:
    """The PDF's text with every run of whitespace (cell and line breaks) as one space."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)
    return " ".join(text.split())


def test_the_page_shows_the_week_and_links_the_pdf(org, fortnight):
    response = _client(org.manager).get(
        "/reports/weekly/", {"at": "2026-03-16"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-03-09 – 2026-03-15" in html
    assert "¥1,000.00" in html and "+¥500.00" in html
    assert org.outsider.name not in html
    assert "/reports/weekly.pdf?at=2026-03-16" in html
    # and the dashboard links to it
    assert "/reports/weekly/" in _client(org.manager).get("/reports/").content.decode()


def test_the_pdf_has_the_figures(org, fortnight):
    response = _client(org.manager).get(
        "/reports/weekly.pdf", {"at": "2026-03-16"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="weekly-review-2026-03-09.pdf"' in response["Content-Disposition"]
    text = _pdf_text(response.content)
    assert "Weekly review 2026-03-09 – 2026-03-15" in text
    assert "Compared with 2026-03-02 – 2026-03-08" in text
    assert "Won amount ¥1,000.00 ¥500.00 +¥500.00" in text
    assert "Overdue payments ¥1,300.00 ¥300.00 +¥1,000.00" in text
    assert "Follow-ups 4 3 +1" in text
    assert "Largest drop: Proposal & quote" in text
    assert "Competitor 1 0 +1" in text
    assert "¥5,000.00" not in text  # the outsider's deal is not the manager's


# Sending -------------------------------------------------------------------------------------


def test_send_e_mails_each_manager_and_posts_to_the_chat_channels(org, fortnight, chat_server):
    # given an organisation-wide Slack robot and team A's signed webhook
    ChatChannel.objects.create(name="all", kind="slack", url=chat_server.url + "/all")
    ChatChannel.objects.create(
        name="team a", kind="webhook", url=chat_server.url + "/a", team=org.team_a, secret="s"
    )
    # when
    result = weekly_send(at=MONDAY)
    # then the manager of team A gets their team's PDF
    assert (result["emails"], result["posts"], result["failures"]) == (1, 2, [])
    (message,) = mail.outbox
    assert message.to == [org.manager.email]
    assert message.subject == "Weekly review 2026-03-09 – 2026-03-15"
    assert "https://crm.example.com/reports/weekly/?at=2026-03-16" in message.body
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == ("weekly-review-2026-03-09.pdf", "application/pdf")
    text = _pdf_text(content)
    assert "Won amount ¥1,000.00 ¥500.00 +¥500.00" in text
    # and the robots get a short summary: the whole organisation, and team A's
    posts = {path: body for path, body, _headers, _raw in chat_server.received}
    everyone = posts["/all"]["text"]
    assert everyone.startswith("*Weekly review 2026-03-09 – 2026-03-15*")
    assert "Won: 2 (+1), ¥6,000.00 (+¥5,500.00)" in everyone
    team = posts["/a"]
    assert team["event"] == "report"
    assert "Won: 1 (±0), ¥1,000.00 (+¥500.00)" in team["text"]
    assert "Deals at risk: 1" in team["text"]
    (headers, raw) = next((h, r) for p, _b, h, r in chat_server.received if p == "/a")
    expected = "sha256=" + hmac.new(b"s", raw, hashlib.sha256).hexdigest()
    assert headers["X-Gendan-Signature"] == expected


def test_the_week_is_sent_once(org, fortnight, chat_server):
    assert weekly_send(at=MONDAY)["skipped"] is False
    assert weekly_send(at=MONDAY)["skipped"] is True
    assert len(mail.outbox) == 1
    assert WeeklyReviewSent.objects.get().week_start == date(2026, 3, 9)
    assert weekly_send(at=MONDAY, force=True)["emails"] == 1


def test_the_hourly_task_acts_on_monday_from_eight_local(org, fortnight):
    assert weekly_send_due(at=datetime(2026, 3, 16, 7, 59, tzinfo=TZ)) is None
    assert weekly_send_due(at=datetime(2026, 3, 17, 9, 0, tzinfo=TZ)) is None  # Tuesday
    assert weekly_send_due(at=datetime(2026, 3, 16, 8, 5, tzinfo=TZ))["emails"] == 1
    assert weekly_send_due(at=datetime(2026, 3, 16, 9, 5, tzinfo=TZ))["skipped"] is True
    assert len(mail.outbox) == 1


def test_a_failing_robot_does_not_stop_the_rest(org, fortnight, chat_server):
    chat_server.answer = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    ChatChannel.objects.create(name="wecom", kind="wecom", url=chat_server.url + "/w")
    result = weekly_send(at=MONDAY)
    assert result["emails"] == 1 and result["posts"] == 0
    assert "93000" in result["failures"][0]
    assert WeeklyReviewSent.objects.get().failures == result["failures"]


def test_the_command_prints_the_summary_and_sends(org, fortnight, capsys):
    call_command("report", "weekly", "--at", "2026-03-16T08:00")
    out = capsys.readouterr().out
    assert "Weekly review 2026-03-09 – 2026-03-15" in out
    assert "Won: 2 (+1), ¥6,000.00 (+¥5,500.00)" in out
    assert mail.outbox == []
    call_command("report", "weekly", "--at", "2026-03-16", "--send")
    assert "1 e-mails, 0 chat posts" in capsys.readouterr().out
    call_command("report", "weekly", "--at", "2026-03-16", "--send")
    assert "Already sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_chat_bodies_are_signed_like_notifications(org):
    from gendan.analytics.chat import text_request

    ding = ChatChannel(kind="dingtalk", url="https://oapi.example.com/robot?x=1", secret="k")
    url, body, _h = text_request(ding, "T", "a\nb", now_s=1700000000)
    assert "timestamp=1700000000000&sign=" in url
    assert body["markdown"]["text"] == "#### T\n\na\n\nb"
    feishu = ChatChannel(kind="feishu", url="https://open.example.com/hook", secret="k")
    _u, body, _h = text_request(feishu, "T", "a", now_s=1700000000)
    assert body["timestamp"] == "1700000000" and body["sign"]
    assert json.dumps(body["content"]) == json.dumps({"text": "T\na"})
