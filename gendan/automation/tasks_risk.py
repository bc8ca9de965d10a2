"""The daily risk pass, run by the Huey worker (registered when the automation app is ready).

`gendan tick` may call `risk.risk_recompute_all(at=...)` as well: the pass is idempotent, a
second run for the same moment changes nothing.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from gendan.automation import risk


@db_periodic_task(crontab(hour="2", minute="30"))
@lock_task("gendan-risk-daily")
def risk_daily() -> dict:
    return risk.risk_recompute_all()
