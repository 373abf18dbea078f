"""The CI harness for rule changes: test reports, rule coverage, invariants, semantic diff, sample claims."""
