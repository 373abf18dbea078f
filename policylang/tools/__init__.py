"""Tools over compiled policies: rule coverage, verify, semantic diff, impact, history, samples."""
