"""Inputs: claim files and claim tables (JSON, CSV, Parquet) read into validated claims."""
