"""The `petition-hub` command line: the operators' door."""
