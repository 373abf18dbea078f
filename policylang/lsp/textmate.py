"""The TextMate grammar of the VS Code extension, generated from the Lark grammar so it cannot drift.

`python -m policylang.lsp.textmate [OUT]` (or `make vscode-grammar`) writes
editors/vscode/syntaxes/policy.tmLanguage.json; tests/editor/ fails when the committed file differs.
Keywords are whole words, as in the grammar: `方案 职工医保` colours 方案, `方案职工医保` is one name.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from policylang.docs.keywords import keyword_rules
from policylang.syntax.parser import keywords

SCOPE = "source.policy"
OUT = Path(__file__).resolve().parents[2] / "editors" / "vscode" / "syntaxes" / "policy.tmLanguage.json"
LETTER = r"\p{L}_·"
WORD = rf"[{LETTER}][{LETTER}]*"


def _alternatives(words: list[str]) -> str:
    """Longest first, so 起付线 is tried before 起."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def _whole(words: list[str]) -> str:
    return rf"(?<![{LETTER}])(?:{_alternatives(words)})(?![{LETTER}])"


def keyword_groups() -> dict[str, list[str]]:
    """The grammar's keywords by colour: units, field types, rounding modes, everything else."""
    rules = keyword_rules()
    groups: dict[str, list[str]] = {"unit": [], "type": [], "constant": [], "keyword": []}
    for word, terminal in sorted(keywords().items()):
        uses = rules.get(word, ())
        if terminal.startswith("UNIT_"):
            groups["unit"].append(word)
        elif "field_type" in uses:
            groups["type"].append(word)
        elif "舍入方式" in uses or "round_unit" in uses:
            groups["constant"].append(word)
        else:
            groups["keyword"].append(word)
    return groups


def grammar() -> dict:
    g = keyword_groups()
    units = _alternatives([*g["unit"], "%", "％"])
    return {
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "Policy",
        "scopeName": SCOPE,
        "comment": "Generated from grammar/policy.lark by `make vscode-grammar`; do not edit by hand.",
        "fileTypes": ["policy"],
        "patterns": [{"include": f"#{name}"} for name in
                     ("comment", "string", "date", "quantity", "heading", "type", "constant", "keyword", "field",
                      "operator", "punctuation")],
        "repository": {
            "comment": {"name": "comment.line.number-sign.policy", "match": "#.*$"},
            "string": {"patterns": [
                {"name": "string.quoted.double.policy", "match": r'"[^"\n]*"'},
                {"name": "string.quoted.double.policy", "match": "“[^”\\n]*”"},
                {"name": "string.quoted.other.title.policy", "match": "《[^》\\n]*》"},
            ]},
            "date": {"name": "constant.other.date.policy",
                     "match": r"[0-9０-９]{4}(?:[-－][0-9０-９]{1,2}[-－][0-9０-９]{1,2}|年[0-9０-９]{1,2}月[0-9０-９]{1,2}日)"
                              r"|(?<![0-9０-９])[0-9０-９]{1,2}月[0-9０-９]{1,2}日"},
            "quantity": {
                "match": rf"([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*({units})?(以内|以上)?",
                "captures": {"1": {"name": "constant.numeric.policy"}, "2": {"name": "keyword.other.unit.policy"},
                             "3": {"name": "keyword.control.policy"}},
            },
            "heading": {
                "match": rf"(?<![{LETTER}])(方案|层|枚举|字段|参考值|判断)\s+({WORD})",
                "captures": {"1": {"name": "keyword.control.policy"}, "2": {"name": "entity.name.section.policy"}},
            },
            "field": {
                "match": rf"({WORD})\s*(?=[=＝](?![=＝]))",
                "captures": {"1": {"name": "variable.other.field.policy"}},
            },
            "type": {"name": "storage.type.policy", "match": _whole(g["type"])},
            "constant": {"name": "constant.language.policy", "match": _whole(g["constant"])},
            "keyword": {"name": "keyword.control.policy", "match": _whole(g["keyword"])},
            "operator": {"name": "keyword.operator.policy", "match": r">=|<=|!=|[=><≥≤≠×*÷+\-/|＝＋－／]"},
            "punctuation": {"name": "punctuation.separator.policy", "match": "[{}()（）,，、;；。]"},
        },
    }


def render() -> str:
    return json.dumps(grammar(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> None:
    out = Path((argv if argv is not None else sys.argv[1:] or [str(OUT)])[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
