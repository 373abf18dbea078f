"""The policy IR: the typed contract every backend reads (nodes, units, rounding, terms)."""

from policylang.ir.nodes import *  # noqa: F403
from policylang.ir.serial import from_json, to_json  # noqa: F401
from policylang.ir.traverse import children, is_node, node_fields, walk  # noqa: F401
