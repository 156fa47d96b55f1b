"""``workbench classify --help``: the hand-written usage line names every option."""

from __future__ import annotations

import argparse

from workbench.commands.classify import add_arguments


def test_the_usage_line_names_every_option_the_command_takes():
    parser = argparse.ArgumentParser(prog="workbench classify")
    add_arguments(parser)
    usage = parser.format_usage()
    words = usage.replace("[", " ").replace("]", " ").replace("|", " ").split()
    for action in parser._actions:
        if not action.option_strings or action.dest == "help":
            continue
        assert any(flag in words for flag in action.option_strings), action.option_strings
        if action.metavar:
            assert action.metavar in words, action.metavar
    for shown in ("--runs", "--dynamics", "-o", "-k", "-m", "--progress", "--no-progress"):
        assert shown in words
