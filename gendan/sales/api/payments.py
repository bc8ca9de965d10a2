from ninja import Router

plans_router = Router(tags=["payment-plans"])
payments_router = Router(tags=["payments"])
