"""Load the demo plan."""
from __future__ import annotations

from samen.thinktanks import operations as tt_ops

THINKTANKS = [
    ("preventie", "Preventie", "Voorkomen"),
    ("nazorg", "Nazorg / familie en vrienden", "Nazorg"),
    ("behandeling", "Behandeling", "Hulp"),
    ("aanbod", "Aanbod", "Aanbod verkleinen"),
]


def load_demo() -> str:
    """Create what is missing of the demo plan and return a summary."""
    plan = tt_ops.get_plan()
    if plan.title == "Samen":
        tt_ops.update_plan(plan, title="Samen sterk tegen drugs", municipality="Nijkerk", introduction="")
    created = 0
    for position, (slug, name, theme) in enumerate(THINKTANKS):
        if tt_ops.get_thinktank(slug) is None:
            tt_ops.create_thinktank({"slug": slug, "name": name, "theme": theme, "position": position})
            created += 1
    return f"Demo plan loaded: {created} think tanks created."
