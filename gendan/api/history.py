"""The field history of a record (`GET /<resource>/{id}/history`): the record is read through
its own selector first, so a record out of the caller's scope answers 404 like a missing one."""

from django.http import HttpRequest

from gendan.api.auth import actor
from gendan.core.pagination import PageParams
from gendan.history import selectors

HISTORY_DOC = (
    "The record's field history, newest first: who changed which field when, through what "
    "(`via`: web, api, automation, import, merge, system), from → to. Custom fields the "
    "caller may not see are left out. Nothing in it can be changed."
)


def history(request: HttpRequest, record, page: PageParams) -> dict:
    return selectors.history_page(
        actor=actor(request), record=record, page=page.page, page_size=page.page_size
    )
