"""Metric selectors: one shared set of reads over the event tables (stage changes, follow-ups,
contracts, payment plans, payments), computed in SQL and scoped by the viewer.

`docs/metrics.md` defines every metric: formula, timestamps, period rule and scope.
"""
