"""The engine room shared by every person-level pipeline (coverage, arrears, reconciliation).

Not a Django app: it holds no tables. `backends` opens DuckDB or PySpark, `steps` runs a pipeline of
named steps (one expression, or each step materialised and timed with `debug`), `progress` is the one
callback shape every long job reports through. The pipelines themselves stay in their apps.
"""
