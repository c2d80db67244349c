"""`python -m cli` runs the `petition-hub` command."""

from cli.main import app

app(prog_name="petition-hub")
