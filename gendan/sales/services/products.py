"""Writes of the product catalogue: administrators and sales operations (`ops`) manage it."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gendan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gendan.core.versioning import apply_changes, lock_for_update, save_changes
from gendan.org.permissions import can
from gendan.sales.models import Product, QuoteLine
from gendan.sales.pricing import decimal_error


def require_catalog_manager(actor) -> None:
    if not can(actor, "manage_products"):
        raise PermissionDenied(
            _("Only administrators and sales operations can manage the product catalogue.")
        )


def _clean(data: dict, *, product_id: int | None = None) -> dict:
    data = dict(data)
    errors = {}
    for field in ("name", "sku", "unit"):
        if isinstance(data.get(field), str):
            data[field] = data[field].strip()
    if "name" in data and data["name"] == "":
        errors["name"] = _("This field cannot be empty.")
    if "sku" in data and data["sku"] is not None:
        if data["sku"] == "":
            errors["sku"] = _("This field cannot be empty.")
        elif (
            Product.objects.filter(sku__iexact=data["sku"]).exclude(pk=product_id or None).exists()
        ):
            errors["sku"] = _("Another product already has this SKU.")
    if data.get("list_price") is not None:
        error = decimal_error(data["list_price"], places=2)
        if error:
            errors["list_price"] = error
    if errors:
        raise ValidationFailed(errors=errors)
    return data


def _duplicate_sku() -> ValidationFailed:
    return ValidationFailed(errors={"sku": _("Another product already has this SKU.")})


@transaction.atomic
def product_create(*, actor, data: dict) -> Product:
    require_catalog_manager(actor)
    data = _clean(data)
    try:
        with transaction.atomic():
            return Product.objects.create(**data)
    except IntegrityError as exc:  # two people adding the same SKU at the same moment
        raise _duplicate_sku() from exc


@transaction.atomic
def product_update(*, actor, product_id: int, data: dict, version: int | None = None) -> Product:
    require_catalog_manager(actor)
    product = lock_for_update(Product.objects.all(), product_id, expected_version=version)
    data = _clean(data, product_id=product.pk)
    changes = apply_changes(product, data)
    try:
        with transaction.atomic():
            save_changes(product, changes)
    except IntegrityError as exc:
        raise _duplicate_sku() from exc
    return product


@transaction.atomic
def product_delete(*, actor, product_id: int) -> None:
    require_catalog_manager(actor)
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        raise NotFound()
    if QuoteLine.objects.filter(product=product).exists():
        raise Conflict(
            _("This product is used on quotes and cannot be deleted; deactivate it instead.")
        )
    product.delete()
