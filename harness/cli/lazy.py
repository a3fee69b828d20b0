"""Commands that load on first use, so ``harness --help`` and a usage error start at once.

The top-level group knows each command by name, module and one-line help
(:class:`LazyCommand`); a command's module (and everything it imports) is loaded only when
that command runs or its own help is asked for. ``harness --help`` lists the commands from
the one-line helps alone.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    # typer 0.29 carries its own click; its group's methods take these types.
    from typer import _click as click


@dataclass(frozen=True)
class LazyCommand:
    """A command the group loads when it is used.

    Attributes:
        name: The command's name on the command line.
        module: The module that defines it.
        attribute: ``app`` (a :class:`typer.Typer` of subcommands) or the name of the
            command's function.
        help: The one line ``harness --help`` shows (kept equal to the command's own by a
            test).
    """

    name: str
    module: str
    attribute: str
    help: str

    def load(self) -> click.Command:
        """Import the module and build the command."""
        target = getattr(importlib.import_module(self.module), self.attribute)
        command: click.Command
        if isinstance(target, typer.Typer):
            command = typer.main.get_group(target)
        else:
            single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
            single.command(name=self.name)(target)
            command = typer.main.get_command(single)
        command.name = self.name
        return command


class _Listed(TyperCommand):
    """What the group's help shows for a command not loaded yet: its name and help."""


class LazyGroup(TyperGroup):
    """A typer group whose commands (:attr:`lazy`) load on first use.

    Each command not loaded yet is held as a light placeholder, so typer's "did you mean"
    sees every name; :meth:`get_command` swaps it for the real command, except while the
    group's own help is written.
    """

    #: The commands, in the order ``--help`` lists them.
    lazy: ClassVar[tuple[LazyCommand, ...]] = ()

    def __init__(self, **attrs: Any) -> None:  # noqa: ANN401 - TyperGroup's keywords
        super().__init__(**attrs)
        self._entries = {entry.name: entry for entry in self.lazy}
        self._listing = False
        for entry in self.lazy:
            self.commands.setdefault(
                entry.name, _Listed(entry.name, help=entry.help, short_help=entry.help)
            )

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command named ``cmd_name``, loading its module on first use."""
        del ctx
        command = self.commands.get(cmd_name)
        if isinstance(command, _Listed) and not self._listing:
            command = self._entries[cmd_name].load()
            self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Write the group's help from the one-line helps, loading no command."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


__all__ = ["LazyCommand", "LazyGroup"]
