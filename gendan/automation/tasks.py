"""Background work of automation: the time triggers, every minute (same code as `gendan tick`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from gendan.automation import engine


@db_periodic_task(crontab(minute="*"))
@lock_task("gendan-rules-tick")
def rules_tick() -> dict:
    return engine.tick()
