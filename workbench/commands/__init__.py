"""Subcommands of ``workbench``; each module here is discovered by ``workbench.cli``."""
