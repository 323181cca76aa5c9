"""The command-line fixtures (``cli``) for the loop's rules, which are driven through the
``hotline`` command as well as the services."""

from tests.cli.conftest import _command_tree_built_once, cli

__all__ = ["_command_tree_built_once", "cli"]
