"""Batch settlement: the same IR as `settle`, evaluated over sorted int64 columns (numpy).

columns.py (typed claim columns), plan.py (row-local parameters on distinct keys), segments.py
(segmented cumulative sums and exact rounding), kernel.py (the vectorised evaluator with scalar
fallback), outputs.py (the settlement columns), reader.py / rejects.py (claim tables via DuckDB),
engine.py (the chunked driver), spark.py (the same kernel on Apache Spark).
"""
