"""Every picture the README and the user guide show is in docs/images and made by a
script (the GUI tour, the lesson or CNN picture scripts), so it follows the code: a
picture nobody can make again goes stale the first time its window changes."""

from __future__ import annotations

import re
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
IMAGES = REPOSITORY / "docs" / "images"
PAGES = [REPOSITORY / "README.md", *sorted((REPOSITORY / "docs").rglob("*.md"))]
PICTURE = re.compile(r"\]\(([^)\s]+\.png)\)")


def shown_pictures() -> dict[str, list[str]]:
    """Picture file name -> the pages that show it."""
    shown: dict[str, list[str]] = {}
    for page in PAGES:
        for link in PICTURE.findall(page.read_text(encoding="utf-8")):
            shown.setdefault(Path(link).name, []).append(page.name)
    return shown


def scripted_names() -> set[str]:
    """The picture names the scripts say they write under their own names."""
    names: set[str] = set()
    for script in (REPOSITORY / "scripts").rglob("*.py"):
        # a literal ("roc-curves.png"), or named in the docstring of a step that builds
        # the name (``dynamics-relu.png``)
        text = script.read_text("utf-8")
        names |= set(re.findall(r"[\"'`]([\w.-]+\.png)[\"'`]", text))
    return names


def test_every_shown_picture_exists_and_a_script_makes_it():
    shown = shown_pictures()
    assert len(shown) > 20   # the pattern still finds the pages' pictures
    missing = {name: pages for name, pages in shown.items() if not (IMAGES / name).is_file()}
    assert not missing, f"pictures the pages show that are not in docs/images: {missing}"
    made = scripted_names()
    unmade = {name: pages for name, pages in shown.items()
              if not name.startswith("tour-") and name not in made}
    assert not unmade, f"pictures no script makes (add a tour step's docs_name): {unmade}"


def test_docs_images_holds_only_pictures_a_script_makes():
    made = scripted_names()
    stray = sorted(p.name for p in IMAGES.glob("*.png")
                   if not p.name.startswith("tour-") and p.name not in made)
    assert not stray, f"pictures in docs/images that no script makes: {stray}"
