"""A health section frozen as data when it is submitted, and the difference between two rounds.

A snapshot is plain JSON: the section's own fields, its contract's neighbourhoods and its tree
as a list of nodes in tree order (orientation, its objectives, their actions…). Nodes are keyed
by kind and primary key, so a renamed objective is « changed », not « removed and added ».
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from contracts.models import Action, ActionFunding, HealthSection, Objective
from contracts.selectors import objective_tree

SNAPSHOT_VERSION = 1


FUNDING_SEPARATOR = "; "


def funding_label(line: ActionFunding) -> str:
    """How a funding line of an action reads in a snapshot (and so in the published version)."""
    return (
        f"{line.year} {line.get_programme_display()} {line.funder} "
        f"{'' if line.amount is None else f'{line.amount} €'}"
        f"{'' if line.share is None else f' {line.share} %'}".strip()
    )


def _action_node(action: Action, depth: int) -> dict:
    return {
        "key": f"action:{action.pk}",
        "kind": "action",
        "depth": depth,
        "label": action.title,
        "fields": {
            "intitulé": action.title,
            "description": action.description,
            "porteur": str(action.carrier) if action.carrier_id else "",
            "statut": action.get_status_display(),
            "participation visée": action.get_participation_aimed_display() or "",
            "participation atteinte": action.get_participation_reached_display() or "",
            "années": _years(action.start_year, action.end_year),
            "dispositifs": ", ".join(sorted(str(s) for s in action.schemes.all())),
            "quartiers": ", ".join(sorted(n.code for n in action.neighbourhoods.all())),
            "financements": FUNDING_SEPARATOR.join(
                funding_label(f)
                for f in sorted(action.fundings.all(), key=lambda f: (f.year, f.programme, f.pk))
            ),
        },
    }


def _years(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return ""
    return f"{start or '?'}–{end or '?'}"


def section_snapshot(section: HealthSection) -> dict:
    """The section as it stands, in a constant number of queries."""
    section = (
        HealthSection.objects.select_related("contract", "constituted_by")
        .prefetch_related("contract__neighbourhoods")
        .get(pk=section.pk)
    )
    actions = (
        Action.objects.filter(objective__section=section)
        .select_related("carrier")
        .prefetch_related(
            "schemes",
            "neighbourhoods",
            Prefetch("fundings", ActionFunding.objects.select_related("funder")),
        )
        .order_by("title", "pk")
    )
    by_objective: dict[int, list[Action]] = {}
    for action in actions:
        by_objective.setdefault(action.objective_id, []).append(action)

    nodes: list[dict] = []

    def walk(tree, depth: int) -> None:
        for node in tree:
            objective: Objective = node.objective
            nodes.append(
                {
                    "key": f"objective:{objective.pk}",
                    "kind": "objective",
                    "depth": depth,
                    "label": f"{objective.number} {objective.title}",
                    "fields": {
                        "numéro": objective.number,
                        "niveau": objective.get_level_display(),
                        "intitulé": objective.title,
                        "description": objective.description,
                    },
                }
            )
            for action in by_objective.get(objective.pk, []):
                nodes.append(_action_node(action, depth + 1))
            walk(node.children, depth + 1)

    walk(objective_tree(section), 0)
    return {
        "version": SNAPSHOT_VERSION,
        "section": {
            "intitulé": section.title,
            "contrat": str(section.contract),
            "étape du projet": section.get_stage_display(),
            "diagnostics": "; ".join(
                f"{d.carried_out_on.isoformat() if d.carried_out_on else 'sans date'} : {d.summary}"
                + (" (partagé avec l'ASV)" if d.shared_with_asv else "")
                for d in section.health_diagnoses.prefetch_related("co_author_schemes")
            ),
            "constitué par": str(section.constituted_by) if section.constituted_by else "",
            "dispositifs contributeurs": ", ".join(
                sorted(str(s) for s in section.contributing_schemes.all())
            ),
            "quartiers": ", ".join(sorted(n.code for n in section.contract.neighbourhoods.all())),
        },
        "nodes": nodes,
    }


# Difference between two rounds --------------------------------------------------------------

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"
STATUS_LABELS = {ADDED: "ajouté", REMOVED: "supprimé", CHANGED: "modifié", UNCHANGED: "inchangé"}


@dataclass
class DiffLine:
    status: str
    kind: str
    depth: int
    label: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _changes(before: dict, after: dict) -> list[tuple[str, str, str]]:
    names = list(after) + [name for name in before if name not in after]
    return [
        (name, str(before.get(name, "")), str(after.get(name, "")))
        for name in names
        if before.get(name, "") != after.get(name, "")
    ]


def snapshot_diff(previous: dict | None, current: dict) -> list[DiffLine]:
    """Lines in the current tree order; a removed node comes right after the node that preceded
    it in the previous round (or first). The section's own fields come first, as one line."""
    previous = previous or {"section": {}, "nodes": []}
    lines = []
    section_changes = _changes(previous.get("section", {}), current.get("section", {}))
    lines.append(
        DiffLine(
            CHANGED if section_changes else UNCHANGED, "section", 0, "Volet santé", section_changes
        )
    )
    old_nodes = previous.get("nodes", [])
    new_nodes = current.get("nodes", [])
    old_by_key = {node["key"]: node for node in old_nodes}
    new_keys = {node["key"] for node in new_nodes}

    removed_after: dict[str | None, list[dict]] = {}
    anchor = None
    for node in old_nodes:
        if node["key"] in new_keys:
            anchor = node["key"]
        else:
            removed_after.setdefault(anchor, []).append(node)

    def removed(key: str | None) -> None:
        for node in removed_after.get(key, []):
            lines.append(DiffLine(REMOVED, node["kind"], node["depth"], node["label"]))

    removed(None)
    for node in new_nodes:
        old = old_by_key.get(node["key"])
        if old is None:
            changes = [(name, "", str(value)) for name, value in node["fields"].items() if value]
            lines.append(DiffLine(ADDED, node["kind"], node["depth"], node["label"], changes))
        else:
            changes = _changes(old["fields"], node["fields"])
            status = CHANGED if changes else UNCHANGED
            lines.append(DiffLine(status, node["kind"], node["depth"], node["label"], changes))
        removed(node["key"])
    return lines
