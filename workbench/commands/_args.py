"""Argument types the commands share.

A file name typed as ``""`` (an unset shell variable, say) became ``Path("")``, which
reads as ``.``, the current folder: ``workbench info ""`` answered ``.: unknown data file
extension`` and ``workbench run ""`` ``.: is a folder``, naming something the user never
typed. Every file argument is read through ``file_name``, so an empty one is refused by
the argument parser itself, naming the option (exit status 2).
"""

from __future__ import annotations

import argparse


def file_name(text: str) -> str:
    """A file or folder argument as typed; refused when empty."""
    if not text:
        raise argparse.ArgumentTypeError("an empty file name; give the path of a file")
    return text
