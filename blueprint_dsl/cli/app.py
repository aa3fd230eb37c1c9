"""The `bpc` command group. Each command lives in its own module (`check`, `render`,
`fmt`, …) and is imported only when it runs, so `bpc check` pays for nothing else."""

from __future__ import annotations

import importlib

import click

from ..core.version import __version__

# Command name -> "module:attribute" under blueprint_dsl.cli.
COMMANDS: dict[str, str] = {
    "check": "check:check_command",
    "diff": "diff:diff_command",
    "explain": "rules:explain_command",
    "export": "export:export_command",
    "fmt": "fmt:fmt_command",
    "import": "import_cmd:import_command",
    "lsp": "lsp:lsp_command",
    "new": "new:new_command",
    "render": "render:render_command",
    "rules": "rules:rules_command",
    "simulate": "simulate:simulate_command",
    "watch": "watch:watch_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute = COMMANDS[cmd_name].split(":")
        loaded = getattr(importlib.import_module(f"{__package__}.{module_name}"), attribute)
        assert isinstance(loaded, click.Command)
        return loaded


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bpc")
def main() -> None:
    """bpc — service blueprints (服务蓝图) as plain text.

    Write a blueprint in a .bp file, then check it, render it and export it.
    Run `bpc COMMAND --help` for the options of each command.
    """


if __name__ == "__main__":
    main()
