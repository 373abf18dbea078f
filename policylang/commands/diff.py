"""`policylang diff`: pair the regions of two versions, diff each pair, optionally settle a claim table."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from policylang.api import check_path
from policylang.commands.messages import CONTEXT, show_table_errors
from policylang.commands.progress import progress, quiet_option
from policylang.diagnostics import render_all
from policylang.inputs.claimtable import read_table
from policylang.ir import Policy
from policylang.resolve.loader import SUFFIX, display_path
from policylang.source import Span
from policylang.tools.diff import diff_policies, render_markdown
from policylang.tools.gitrev import GitError, export_revision
from policylang.tools.impact import measure_impact, render_impact


def _err(text: str) -> None:
    click.echo(text, err=True)


def _is_region_folder(path: Path) -> bool:
    """A folder of regions (like regions/) rather than one region (a file, or a folder with scripts)."""
    return path.is_dir() and not any(path.glob(f"*{SUFFIX}"))


def _regions(path: Path | None) -> dict[str, Path]:
    if path is None or not path.exists():
        return {}
    return {d.name: d for d in sorted(path.iterdir()) if d.is_dir() and any(d.rglob(f"*{SUFFIX}"))}


def pair_regions(old: Path | None, new: Path | None) -> list[tuple[str, Path | None, Path | None]]:
    """(name, old, new) per region; folders of regions are paired by folder name."""
    if any(p is not None and _is_region_folder(p) for p in (old, new)):
        olds, news = _regions(old), _regions(new)
        return [(n, olds.get(n), news.get(n)) for n in sorted({*olds, *news})]
    shown = display_path(new if new is not None else old)  # type: ignore[arg-type]
    return [(shown, old if old is not None and old.exists() else None, new)]


def _compile(path: Path | None) -> Policy | bool | None:
    """The policy, None if absent, False (diagnostics printed) if it does not compile."""
    if path is None:
        return None
    checked = check_path(path)
    if checked.policy is None:
        _err(render_all([d for d in checked.diagnostics if d.is_error], checked.unit.sources))
        _err(f"✗ {checked.unit.root}: 无法编译 ({checked.errors} errors)")
        return False
    return checked.policy


def _diff_all(old: Path | None, new: Path, old_name: str, relabel, claims_file: str | None,
              quiet: bool = False) -> tuple[str, int]:
    pairs = pair_regions(old, new)
    if claims_file and len(pairs) != 1:
        _err(f"错误：--claims 只能用于一个地区，这里有 {len(pairs)} 个 (--claims needs exactly one region)")
        return "", 2
    parts = ["## 规则变更 (policylang diff)", "", f"旧版本：`{old_name}`　新版本：`{display_path(new)}`", ""]
    for name, o, n in pairs:
        po, pn = _compile(o), _compile(n)
        if po is False or pn is False:
            return "", 1
        region = (pn or po).region if (pn or po) else name  # type: ignore[union-attr]
        status = "（新增地区）" if po is None else "（删除地区）" if pn is None else ""
        parts.append(render_markdown(diff_policies(po, pn), f"{region}{status}", relabel))
        if claims_file and po and pn:
            extra = {e.name for e in po.enums} - {e.name for e in pn.enums}
            table = read_table(Path(claims_file), pn, extra_columns=extra)
            if not table.ok:
                show_table_errors(table.diagnostics)
                _err(f"✗ {table.path}: 理赔表有错误，未计算影响 (claim table has errors)")
                return "", 1
            order = {e.name: e.values for e in pn.enums}
            with progress("结算新旧两版 (settling both versions)", table.rows, quiet) as advance:
                impact = measure_impact(po, pn, table, advance)
            parts.append(render_impact(impact, table.path, order))
    return "\n".join(parts), 0


def run_diff(paths: tuple[str, ...], base: str | None, claims_file: str | None, output: str | None,
             quiet: bool = False) -> int:
    """The whole command; the exit status (0 whether or not anything changed)."""
    if base is None and len(paths) != 2:
        _err("错误：请给出 OLD 与 NEW 两个路径，或用 --base GITREF 与一个路径 "
             "(give OLD and NEW, or --base GITREF and one path)")
        return 2
    if base is not None and len(paths) != 1:
        _err("错误：使用 --base 时只给出一个路径 (with --base, give one path)")
        return 2
    for p in paths:
        if not Path(p).exists():
            _err(f"错误：文件或目录不存在：{p} (no such file or folder)")
            return 2
    with tempfile.TemporaryDirectory(prefix="policylang-base-") as tmp:
        if base is not None:
            new = Path(paths[0])
            try:
                old = export_revision(new, base, Path(tmp))
            except GitError as e:
                _err(f"错误：{e}")
                return 2
            prefix = str(Path(tmp).resolve()) + "/"
            root_rel = old.relative_to(tmp).as_posix() if old is not None else display_path(new)
            old_name = f"{base}:{root_rel}"
        else:
            old, new, prefix, old_name = Path(paths[0]), Path(paths[1]), None, paths[0]

        def where(span: Span | None) -> str:
            if span is None:
                return "—"
            file = span.file
            if prefix and str(Path(file).resolve()).startswith(prefix):
                file = f"{base}:{str(Path(file).resolve())[len(prefix):]}"
            return f"{file}:{span.line}"

        text, status = _diff_all(old, new, old_name, where, claims_file, quiet)
    if status:
        return status
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as e:
            _err(f"错误：无法写入 {output}（{e.strerror}） (cannot write the output)")
            return 2
    else:
        click.echo(text, nl=False)
    return 0


@click.command("diff", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="[OLD] NEW")
@click.option("--base", metavar="GITREF", help="与 git 版本比较 (compare NEW with this git revision).")
@click.option("--claims", "claims_file", metavar="FILE",
              help="理赔表 CSV/Parquet：在新旧两版下结算并比较 (settle a claim table under both versions).")
@click.option("-o", "--output", metavar="FILE", help="把 Markdown 写入文件 (write the Markdown to FILE).")
@quiet_option
def diff_cmd(paths: tuple[str, ...], base: str | None, claims_file: str | None, output: str | None,
             quiet: bool) -> None:
    """比较两个版本的规则，输出中文 Markdown (semantic diff of two versions, as Markdown).

    \b
    policylang diff OLD NEW                 两个文件或目录
    policylang diff --base main regions/    工作区与 git 版本比较
    只报告参数与规则的变化；仅改格式、注释或顺序不算变化。
    """
    sys.exit(run_diff(paths, base, claims_file, output, quiet))
