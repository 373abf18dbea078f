"""The policy IR: the typed contract every backend reads.

nodes, params and requirements (the node types), values (unit-typed values and enumerations), accepts (what
each field accepts: no bare int where Money is meant), outputs (the one list of a claim's outputs), traverse
(walk), terms (the row-local semantics every backend shares), wording (how a value reads), rounding, lint
(check), serial (the JSON form).
Nothing here imports a later stage.
"""

from policylang.ir.nodes import *  # noqa: F403
from policylang.ir.serial import from_json, to_json  # noqa: F401
from policylang.ir.traverse import children, is_node, node_fields, walk  # noqa: F401
