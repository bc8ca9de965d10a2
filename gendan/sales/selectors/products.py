"""Reads of the product catalogue. Every signed-in user reads it; it holds no customer data."""

from gendan.core.errors import NotFound
from gendan.core.selectors import ordered
from gendan.org.scoping import effective_scope
from gendan.sales.models import Product
from gendan.sales.schemas.products import ProductFilter

PRODUCT_ORDERING = ("name", "sku", "list_price", "created_at", "updated_at")


def _products(actor):
    # The catalogue is shared by the whole organisation: anyone signed in and active reads it.
    if effective_scope(actor) is None:
        return Product.objects.none()
    return Product.objects.all()


def product_list(*, actor, filters: ProductFilter | dict):
    filters = ProductFilter.of(filters)
    return ordered(filters.apply(_products(actor)), filters.ordering, PRODUCT_ORDERING, "name")


def product_get(*, actor, product_id: int) -> Product:
    product = _products(actor).filter(pk=product_id).first()
    if product is None:
        raise NotFound()
    return product
