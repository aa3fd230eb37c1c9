"""`bpc rules` and `bpc explain`: the rule catalogue, and one rule with its examples."""

from __future__ import annotations

import click

from .common import fail_usage, friendly


@click.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@friendly
def rules_command(output_format: str) -> None:
    """List every rule: code, default severity and what it checks."""
    import json

    from ..checks.rules import all_rules

    catalogue = list(all_rules().values())
    if output_format == "json":
        data = [{"code": r.code, "severity": r.severity.value, "title": r.title} for r in catalogue]
        click.echo(json.dumps(data, indent=2))
        return
    for r in catalogue:
        click.echo(f"{r.code}  {r.severity.value:<8} {r.title}")


@click.command("explain")
@click.argument("code")
@friendly
def explain_command(code: str) -> None:
    """Explain one rule, with a failing example and its fix."""
    from ..checks.rules import all_rules, get_rule

    found = get_rule(code)
    if found is None:
        from ..core.suggest import closest

        close = closest(code.upper(), all_rules())
        hint = f" (did you mean {close}?)" if close else " (see `bpc rules`)"
        fail_usage(f"unknown rule {code!r}{hint}")
        return
    click.echo(f"{found.code} ({found.severity.value}): {found.title}\n")
    click.echo(found.explanation)
    bad, good = found.example("bad"), found.example("good")
    if bad:
        click.echo("\nExample that triggers it:\n")
        click.echo(_indent(bad))
    if good:
        click.echo("Fixed:\n")
        click.echo(_indent(good))


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" if line.strip() else "\n" for line in text.splitlines())
