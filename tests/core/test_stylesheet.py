"""The stylesheet parses: a rule left open (easy to do when two features append to it) swallows every rule after
it, and the browser says nothing."""
from __future__ import annotations

import re
from pathlib import Path

import samen

STATIC = Path(samen.__file__).resolve().parent.parent / "static"


def test_every_stylesheet_has_balanced_braces_and_comments():
    for path in STATIC.rglob("*.css"):
        if "vendor" in path.parts:
            continue
        text = path.read_text()
        assert text.count("/*") == text.count("*/"), path
        depth = 0
        for number, line in enumerate(re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text,
                                             flags=re.S).splitlines(), 1):
            for char in line:
                depth += {"{": 1, "}": -1}.get(char, 0)
                assert depth >= 0, f"{path.name}:{number}: a '}}' closes nothing"
            assert not (depth > 0 and re.match(r"^\S.*\{\s*$", line) and depth > 2), \
                f"{path.name}:{number}: a rule opens inside another rule (an earlier one left open?)"
        assert depth == 0, f"{path.name}: {depth} rule(s) left open"
