"""Web pages of the sales app, one module per concept: quotes, contracts, payments, delivery,
visits."""
