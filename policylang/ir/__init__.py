"""The policy IR: the typed contract every backend reads (nodes, units, rounding, terms)."""

from policylang.ir.nodes import *  # noqa: F403
from policylang.ir.traverse import children, node_fields, walk  # noqa: F401
