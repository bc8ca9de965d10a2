"""/api/v1/alerts: threshold alerts (read by sales managers and admins, who also manage them)."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gendan.analytics import alerts
from gendan.analytics.choices import AlertMetric, AlertScope, Comparator
from gendan.analytics.models import AlertFiring, AlertRule
from gendan.api.auth import actor
from gendan.core.errors import NotFound
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import InputSchema, Page
from gendan.org.choices import RoleCode

alerts_router = Router(tags=["alerts"])


class AlertIn(InputSchema):
    name: str = Field("", max_length=120)
    metric: AlertMetric
    comparator: Comparator
    threshold: Decimal = Field(ge=0, max_digits=12, decimal_places=4)
    scope: AlertScope = AlertScope.TEAM
    role_code: RoleCode = RoleCode.SM
    action: str = ""
    window_days: int = Field(30, ge=1, le=366)
    enabled: bool = True


class AlertPatch(InputSchema):
    name: str | None = Field(None, max_length=120)
    metric: AlertMetric | None = None
    comparator: Comparator | None = None
    threshold: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=4)
    scope: AlertScope | None = None
    role_code: RoleCode | None = None
    action: str | None = None
    window_days: int | None = Field(None, ge=1, le=366)
    enabled: bool | None = None


class AlertOut(Schema):
    id: int
    name: str
    metric: AlertMetric
    comparator: Comparator
    threshold: Decimal
    scope: AlertScope
    role_code: RoleCode
    action: str
    window_days: int
    enabled: bool


class FiringOut(Schema):
    id: int
    alert_id: int
    date: date
    team_id: int | None
    value: Decimal
    threshold: Decimal
    notified: int


def _get(alert_id: int) -> AlertRule:
    rule = AlertRule.objects.filter(pk=alert_id).first()
    if rule is None:
        raise NotFound()
    return rule


@alerts_router.get("", response=Page[AlertOut])
def alert_list(request: HttpRequest, page: PageParams = Query(...)):
    alerts.require_alert_manager(actor(request))
    return paginate(AlertRule.objects.order_by("id"), page.page, page.page_size)


@alerts_router.post("", response={201: AlertOut})
def alert_create(request: HttpRequest, payload: AlertIn):
    return Status(201, alerts.alert_create(actor=actor(request), data=payload.model_dump()))


@alerts_router.get("/firings", response=Page[FiringOut])
def firing_list(request: HttpRequest, page: PageParams = Query(...)):
    """Alerts that crossed their threshold, newest first."""
    alerts.require_alert_manager(actor(request))
    return paginate(AlertFiring.objects.order_by("-date", "id"), page.page, page.page_size)


@alerts_router.get("/{alert_id}", response=AlertOut)
def alert_detail(request: HttpRequest, alert_id: int):
    alerts.require_alert_manager(actor(request))
    return _get(alert_id)


@alerts_router.patch("/{alert_id}", response=AlertOut)
def alert_update(request: HttpRequest, alert_id: int, payload: AlertPatch):
    data = payload.model_dump(exclude_unset=True)
    return alerts.alert_update(actor=actor(request), alert_id=alert_id, data=data)


@alerts_router.delete("/{alert_id}", response={204: None})
def alert_delete(request: HttpRequest, alert_id: int):
    alerts.alert_delete(actor=actor(request), alert_id=alert_id)
    return Status(204, None)
