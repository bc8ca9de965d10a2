from django.http import HttpRequest
from ninja import Query, Router, Status

from gendan.api.auth import actor, expected_version
from gendan.core.pagination import PageParams, paginate
from gendan.core.schemas import Page, patch_data
from gendan.sales.schemas.products import ProductFilter, ProductIn, ProductOut, ProductPatch
from gendan.sales.selectors import products as product_selectors
from gendan.sales.services import products as product_services

router = Router(tags=["products"])


@router.get("", response=Page[ProductOut])
def product_list(
    request: HttpRequest, filters: ProductFilter = Query(...), page: PageParams = Query(...)
):
    """The product catalogue; `q` searches name and SKU, `active=true` hides retired products."""
    qs = product_selectors.product_list(actor=actor(request), filters=filters)
    return paginate(qs, page.page, page.page_size)


@router.post("", response={201: ProductOut})
def product_create(request: HttpRequest, payload: ProductIn):
    """Add a product (administrators and sales operations only); the SKU must be unique."""
    product = product_services.product_create(actor=actor(request), data=payload.model_dump())
    return Status(201, product_selectors.product_get(actor=actor(request), product_id=product.pk))


@router.get("/{product_id}", response=ProductOut)
def product_detail(request: HttpRequest, product_id: int):
    return product_selectors.product_get(actor=actor(request), product_id=product_id)


@router.patch("/{product_id}", response=ProductOut)
def product_update(request: HttpRequest, product_id: int, payload: ProductPatch):
    data, version = patch_data(payload)
    product_services.product_update(
        actor=actor(request),
        product_id=product_id,
        data=data,
        version=expected_version(request, version),
    )
    return product_selectors.product_get(actor=actor(request), product_id=product_id)


@router.delete("/{product_id}", response={204: None})
def product_delete(request: HttpRequest, product_id: int):
    """Delete a product no quote uses (409 otherwise: set `active` to false instead)."""
    product_services.product_delete(actor=actor(request), product_id=product_id)
    return Status(204, None)
