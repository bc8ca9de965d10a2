"""The web processes are SIGKILLed in the middle of a burst of API writes from several
threads. After a restart every write that was answered 2xx is there with what was sent, no
write is half done anywhere in the database, and the app works as before."""

import itertools
import threading

from tests.faults import invariants
from tests.faults.server import NoAnswer, wait_for

THREADS = 4
ACKNOWLEDGED_BEFORE_KILL = 40  # answered writes before the kill: well inside the burst


def setup_world(gendan) -> dict:
    """A rep, a customer, the default pipeline's stages and one active contract per thread."""
    token = gendan.login()
    roles = {r["code"]: r["id"] for r in gendan.ok("GET", "/roles", token=token)["items"]}
    rep = gendan.ok(
        "POST",
        "/users",
        {"username": "rep", "password": "rep-pass-1", "email": "rep@x.cn", "role_id": roles["ae"]},
        token,
    )
    customer = gendan.ok("POST", "/customers", {"name": "Acme 机械"}, token)
    (pipeline,) = gendan.ok("GET", "/pipelines", token=token)["items"]
    stages = sorted(
        (s for s in pipeline["stages"] if s["kind"] == "open"), key=lambda s: s["order"]
    )
    contracts = []
    for i in range(THREADS):
        contract = gendan.ok(
            "POST",
            "/contracts",
            {"customer_id": customer["id"], "title": f"C{i}", "amount": "1000000"},
            token,
        )
        gendan.ok("POST", f"/contracts/{contract['id']}/activate", {}, token)
        contracts.append(contract["id"])
    return {
        "token": token,
        "rep": rep["id"],
        "customer": customer["id"],
        "stages": [stages[0]["id"], stages[1]["id"]],
        "contracts": contracts,
    }


class Burst:
    """Threads that write until the server stops answering; every answered write is kept."""

    def __init__(self, gendan, world):
        self.gendan, self.world = gendan, world
        self.lock = threading.Lock()
        self.acknowledged: list[dict] = []
        self.unanswered = 0
        self.refused: list = []  # answers other than 2xx: none expected
        self.stop = threading.Event()

    def run_thread(self, n: int) -> None:
        """Thread n's writes, in a cycle: a lead, a follow-up on it, a deal, a move of the deal,
        a payment on the thread's contract, the deal moved back."""
        lead = deal = None
        discovery, proposal = self.world["stages"]
        for i in itertools.count():
            if self.stop.is_set():
                return
            step = i % 6
            if step == 0:
                body = {
                    "name": f"T{n} lead {i}",
                    "phone": f"138{n:02d}{i:06d}",
                    "company": "深圳精工",
                    "owner_id": self.world["rep"],
                }
                lead = self.write("lead", "POST", "/leads", body) or lead
            elif step == 1 and lead:
                body = {
                    "subject_type": "lead",
                    "subject_id": lead["id"],
                    "summary": f"T{n} call {i}",
                    "outcome": "positive",
                }
                self.write("activity", "POST", "/activities", body)
            elif step == 2:
                body = {
                    "name": f"T{n} deal {i}",
                    "customer_id": self.world["customer"],
                    "amount": f"{1000 + i}.50",
                    "expected_close_date": "2030-01-31",
                    "stage_id": discovery,
                }
                deal = self.write("deal", "POST", "/deals", body)
            elif step in (3, 5) and deal:
                body = {"stage_id": proposal if deal["stage_id"] == discovery else discovery}
                path = f"/deals/{deal['id']}/move"
                deal = self.write("move", "POST", path, body, deal_id=deal["id"])
            elif step == 4:
                body = {"contract_id": self.world["contracts"][n], "amount": f"{i}.25"}
                self.write("payment", "POST", "/payments", body)

    def write(self, kind: str, method: str, path: str, body: dict, **extra) -> dict | None:
        try:
            status, answer = self.gendan.call(method, path, body, self.world["token"], timeout=20)
        except NoAnswer:
            with self.lock:
                self.unanswered += 1
            self.stop.wait(0.2)  # the server is down: do not spin
            return None
        if 200 <= status < 300:
            with self.lock:
                self.acknowledged.append({"kind": kind, "sent": body, "answer": answer, **extra})
            return answer
        with self.lock:
            self.refused.append((kind, status, answer))
        return None

    def count(self) -> int:
        with self.lock:
            return len(self.acknowledged)


def check_acknowledged(gendan, token: str, acknowledged: list[dict]) -> None:
    """Every answered write is there, by id, with the data sent."""
    moves: dict[int, list[int]] = {}
    for write in acknowledged:
        kind, sent, answer = write["kind"], write["sent"], write["answer"]
        if kind == "lead":
            lead = gendan.ok("GET", f"/leads/{answer['id']}", token=token)
            assert (lead["name"], lead["phone"], lead["owner_id"]) == (
                sent["name"],
                sent["phone"],
                sent["owner_id"],
            )
        elif kind == "activity":
            activity = gendan.ok("GET", f"/activities/{answer['id']}", token=token)
            assert (activity["summary"], activity["subject_type"], activity["subject_id"]) == (
                sent["summary"],
                "lead",
                sent["subject_id"],
            )
        elif kind == "deal":
            deal = gendan.ok("GET", f"/deals/{answer['id']}", token=token)
            assert (deal["name"], float(deal["amount"])) == (sent["name"], float(sent["amount"]))
            moves.setdefault(answer["id"], [])
        elif kind == "move":
            assert answer["stage_id"] == sent["stage_id"]
            moves.setdefault(write["deal_id"], []).append(sent["stage_id"])
        elif kind == "payment":
            payment = gendan.ok("GET", f"/payments/{answer['id']}", token=token)
            assert (payment["contract_id"], payment["amount"]) == (
                sent["contract_id"],
                answer["amount"],
            )
            assert float(payment["amount"]) == float(sent["amount"])
    for deal_id, targets in moves.items():
        rows = gendan.ok("GET", f"/deals/{deal_id}/stage-history", token=token)
        to_stages = [row["to_stage_id"] for row in sorted(rows, key=lambda r: r["id"])][1:]
        # each answered move is in the history, in order; one more may have committed unanswered
        assert to_stages[: len(targets)] == targets, (deal_id, to_stages, targets)
        assert len(to_stages) <= len(targets) + 1


def test_acknowledged_writes_survive_a_killed_web_server(gendan_factory):
    gendan = gendan_factory()
    gendan.start_web()
    gendan.start_worker()
    world = setup_world(gendan)

    # when a burst of writes runs from several threads and the web processes are killed in it
    burst = Burst(gendan, world)
    threads = [threading.Thread(target=burst.run_thread, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: burst.count() >= ACKNOWLEDGED_BEFORE_KILL, timeout=120, what="writes")
        gendan.kill_web()
        killed_at = burst.count()
        wait_for(lambda: burst.unanswered >= THREADS, timeout=60, what="the writers to notice")
    finally:
        burst.stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert burst.count() <= killed_at + THREADS  # nothing is answered once the server is dead
    assert burst.refused == []

    # then after a restart every answered write is there with its data
    gendan.start_web()
    check_acknowledged(gendan, world["token"], burst.acknowledged)
    kinds = {write["kind"] for write in burst.acknowledged}
    assert kinds >= {"lead", "activity", "deal", "move", "payment"}

    # and nothing anywhere in the database is half written
    assert invariants.violations(gendan) == {}
    if not gendan.pg_url:
        assert gendan.sql("PRAGMA integrity_check") == [("ok",)]
        assert gendan.sql("PRAGMA foreign_key_check") == []

    # and the app serves as before: a new lead is written and read back
    token = gendan.login()
    lead = gendan.ok("POST", "/leads", {"name": "After", "phone": "13900000001"}, token)
    assert gendan.ok("GET", f"/leads/{lead['id']}", token=token)["name"] == "After"
