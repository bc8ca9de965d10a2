"""Background work of custom fields (run by the Huey worker)."""

from huey.contrib.djhuey import db_task

from gendan.fields import indexes


@db_task(retries=2, retry_delay=30)
def field_index_build(record_type: str, key: str, field_type: str) -> None:
    """Build the index of a new field while the app goes on (indexes.py)."""
    indexes.create_index(record_type, key, field_type)
