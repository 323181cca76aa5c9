"""The typer ``hotline`` command: administration and every lifecycle action, over the services."""
