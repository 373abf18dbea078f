"""Evaluation: settle claims on the IR with a trace of every step (the scalar backend)."""
