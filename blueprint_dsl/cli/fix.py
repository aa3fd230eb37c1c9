"""`bpc check --fix`: apply the fixes of the diagnostics reported, then the canonical
layout (what `bpc fmt` would change), and say what changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import ConfigCache

if TYPE_CHECKING:
    from ..compiler import CompileResult

BOM = "\ufeff"
MAX_PASSES = 10  # a fix can reveal another (a corrected id, then its missing evidence)


def fix_results(
    results: Sequence[CompileResult],
    *,
    unsafe: bool,
    config_file: str | None,
    keep: Callable[[list[CompileResult]], None],
) -> list[CompileResult]:
    """Each result again after its file was fixed (or as it was when nothing applied).
    `keep` filters diagnostics the way the report does (--select / --ignore)."""
    configs = ConfigCache(config_file)
    return [_fix_one(r, unsafe, configs, keep) for r in results]


def _fix_one(
    result: CompileResult,
    unsafe: bool,
    configs: ConfigCache,
    keep: Callable[[list[CompileResult]], None],
) -> CompileResult:
    from ..checks.fixes import apply_fixes, find_fixes
    from ..compiler import UsageError, compile_bytes, compile_text
    from ..core.fsutil import atomic_write
    from ..language.formatter import format_source
    from ..language.parser import parse

    path = Path(result.path)
    try:
        raw = path.read_bytes()
    except OSError:
        return result
    original = raw.decode("utf-8", errors="surrogateescape")
    had_bom = original.startswith(BOM)
    text = original.removeprefix(BOM)
    if result.source != text:  # not what was compiled (changed since, or not UTF-8)
        return result
    config = configs.for_file(path)
    fixed: Counter[str] = Counter()
    current = result
    for _ in range(MAX_PASSES):
        document, _errors = parse(text, result.path)
        fixes = find_fixes(text, current.diagnostics, document, unsafe=unsafe)
        text, applied = apply_fixes(text, fixes)
        if not applied:
            break
        fixed.update(f.code for f in applied)
        current = compile_text(text, result.path, config)
        keep([current])
    formatted, _problems = format_source(text, result.path)
    reformatted = formatted is not None and formatted != text
    if reformatted and formatted is not None:
        text = formatted
    if not fixed and not reformatted:
        return result
    data = ((BOM if had_bom else "") + text).encode("utf-8", errors="surrogateescape")
    try:
        atomic_write(path, data)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    click.echo(f"bpc: fixed {path}: {_said(fixed, reformatted)}", err=True)
    again = compile_bytes(data, result.path, config)
    keep([again])
    return again


def _said(fixed: Counter[str], reformatted: bool) -> str:
    parts = [f"{code} ×{count}" for code, count in sorted(fixed.items())]
    if reformatted:
        parts.append("reformatted")
    return ", ".join(parts)
