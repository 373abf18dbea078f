"""`policylang export`: a versioned JSON form of the IR that loads back equal, with no float anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policylang import ir
from policylang.api import compile_path
from policylang.ir.serial import VERSION, IRFormatError

ROOT = Path(__file__).resolve().parents[2]
REGIONS = sorted(d for base in (ROOT / "regions", ROOT / "tests" / "vocabulary") for d in base.iterdir()
                 if d.is_dir() and any(d.glob("*.policy")))


def _no_float(text: str) -> float:
    raise AssertionError(f"a float in the export: {text}")


@pytest.mark.parametrize("region", REGIONS, ids=lambda d: f"{d.parent.name}/{d.name}")
def test_export_then_load_gives_an_equal_policy(region: Path) -> None:
    policy = compile_path(region)
    text = json.dumps(ir.to_json(policy), ensure_ascii=False)
    data = json.loads(text, parse_float=_no_float)
    assert data["format"] == "policylang-ir" and data["version"] == VERSION
    loaded = ir.from_json(data)
    assert loaded == policy
    assert json.dumps(ir.to_json(loaded), ensure_ascii=False) == text  # spans (not in equality) survive too


def test_money_and_ratios_are_exact_strings() -> None:
    data = ir.to_json(compile_path(ROOT / "tests" / "vocabulary" / "maternity"))
    text = json.dumps(data, ensure_ascii=False)
    assert '{"unit": "money", "fen": "280000"}' in text  # 顺产 2800 元
    assert '{"unit": "days", "n": 98}' in text
    assert '"node": "Allowance"' in text


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d.update(version=VERSION + 1), "版本"),
    (lambda d: d.pop("format"), "不是 policylang 的 IR 文件"),
    (lambda d: d["policy"].update(region=1.5), "浮点数"),
    (lambda d: d["policy"].update(schemes=[{"node": "Nonesuch"}]), "未知的节点类型"),
    (lambda d: d["policy"]["schemes"][0]["layers"][0]["fixed"]["param"]["versions"][0]["table"]["cells"][0]
     .update(value={"unit": "money", "fen": "2800.5"}), "不接受小数"),
])
def test_a_bad_file_is_refused_with_a_located_reason(mutate, message) -> None:
    data = ir.to_json(compile_path(ROOT / "tests" / "vocabulary" / "maternity"))
    data = json.loads(json.dumps(data))
    mutate(data)
    with pytest.raises(IRFormatError, match=message):
        ir.from_json(data)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "policylang"), *args], capture_output=True, text=True,
                          timeout=60, cwd=cwd)


def test_cli_writes_the_file_and_never_over_an_input(tmp_path: Path) -> None:
    region = tmp_path / "r"
    region.mkdir()
    script = (ROOT / "tests" / "vocabulary" / "maternity" / "rules.policy").read_text(encoding="utf-8")
    (region / "rules.policy").write_text(script, encoding="utf-8")
    run = _cli("export", str(region), "-o", str(tmp_path / "policy.json"), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert ir.from_json(json.loads((tmp_path / "policy.json").read_text(encoding="utf-8"))) == compile_path(region)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    refused = _cli("export", str(region), "-o", str(region / "rules.policy"), cwd=tmp_path)
    assert refused.returncode == 2 and "不能覆盖" in refused.stderr
    assert (region / "rules.policy").read_text(encoding="utf-8") == script


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name", ["maternity", "layers"])
def test_a_version_2_file_still_loads_with_the_same_meaning(name: str) -> None:
    # Written by the version-2 exporter (commit 8aa8634); every field added since has a default that keeps the
    # old meaning, so the file loads equal to today's compile of the same script.
    data = json.loads((FIXTURES / f"{name}-v2.json").read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert ir.from_json(data) == compile_path(ROOT / "tests" / "vocabulary" / name)


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda p: p.update(accumulators=[]), "Policy 的字段 accumulators"),
    (lambda p: p["schemes"][0]["layers"][0].update(above_cap=True), "Layer 的字段 above_cap"),
    (lambda p: p["schemes"][0]["layers"][0].update(already_paid={"node": "AlreadyPaid", "fields": []}),
     "Layer 的字段 already_paid"),
    (lambda p: p["schemes"][0]["layers"].append({"node": "UnitCap"}), "节点 UnitCap"),
    (lambda p: p["schemes"].append({"enum": "Scope", "value": "按字段"}), "Scope“按字段”"),
])
def test_a_version_2_file_with_a_version_3_feature_is_refused(mutate, message) -> None:
    data = json.loads((FIXTURES / "maternity-v2.json").read_text(encoding="utf-8"))
    mutate(data["policy"])
    with pytest.raises(IRFormatError, match=f"版本 2 的文件不应含有{message}"):
        ir.from_json(data)


@pytest.mark.parametrize("version", [1, 4, "3", True, None])
def test_versions_other_than_2_and_3_are_refused(version) -> None:
    data = ir.to_json(compile_path(ROOT / "tests" / "vocabulary" / "maternity"))
    data["version"] = version
    with pytest.raises(IRFormatError, match="不受支持，本程序读取版本 2、3"):
        ir.from_json(data)


def test_the_calculator_reads_the_version_python_writes() -> None:
    script = (ROOT / "policylang" / "docs" / "static" / "calculator" / "policy.js").read_text(encoding="utf-8")
    assert f"VERSION = {VERSION};" in script
