"""Workflow declarations rendered for people: Mermaid state diagrams and Markdown pages.

Names of events, states, guards and settings come from the declarations (and pack names are
plain identifiers); the texts a pack gives, its bases and values, are escaped
(:func:`creditflow.core.escaping.escape_markdown`).
"""

from __future__ import annotations

from creditflow.core.escaping import escape_markdown, markdown_code
from creditflow.core.privacy import mask_resident_ids
from creditflow.policy.model import Policy
from creditflow.workflows.addresses import addresses
from creditflow.workflows.definitions import MACHINES
from creditflow.workflows.machine import DeadlineRule, Machine, Transition
from creditflow.workflows.settings import case_kinds, resolve

__all__ = [
    "address_rows",
    "addresses_markdown",
    "deadline_rows",
    "event_rows",
    "machine_markdown",
    "mermaid",
    "workflows_markdown",
]


def mermaid(machine: Machine) -> str:
    """A Mermaid ``stateDiagram-v2`` of the machine, guards in brackets on the arrows."""
    lines = ["stateDiagram-v2", f"    [*] --> {machine.opening.target}: {machine.opening.event}"]
    for t in machine.transitions:
        for source in t.sources:
            label = t.event + (f" [{', '.join(t.guards)}]" if t.guards else "")
            lines.append(f"    {source} --> {t.target or source}: {label}")
    lines += [f"    {state} --> [*]" for state in machine.states if state in machine.finals]
    return "\n".join(lines)


def machine_markdown(machine: Machine, policy: Policy) -> str:
    """One page: the diagram, the events with roles, guards and effects, the deadlines."""
    lines = [f"## {machine.name}", "", "```mermaid", mermaid(machine), "```", ""]
    lines += [
        "| event | from | to | roles | guards | effects | data |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [_markdown_row(cells) for cells in event_rows(machine, policy)]
    if machine.deadlines:
        lines += [
            "",
            "| deadline | kind | starts | until | length by case kind | basis |",
            "|---|---|---|---|---|---|",
        ]
        lines += [_markdown_row(cells) for cells in deadline_rows(machine, policy)]
    return "\n".join(lines) + "\n"


def event_rows(machine: Machine, policy: Policy) -> list[tuple[str, ...]]:
    """One row per transition: event, from, to, roles, guards, effects, data."""
    return [_event_cells(machine, t, policy) for t in machine.transitions]


def deadline_rows(machine: Machine, policy: Policy) -> list[tuple[str, ...]]:
    """One row per deadline: name, kind, starts, until, length by case kind, basis."""
    rows: list[tuple[str, ...]] = []
    for rule in machine.deadlines:
        lengths, bases = _lengths(machine, rule.setting, policy)
        if rule.setting_field:
            lengths += f"; or the setting that `{rule.setting_field}` names"
        kind = rule.kind if rule.rolls else f"{rule.kind}, length"
        rows.append((rule.name, kind, _starts(rule), ", ".join(rule.until), lengths, bases))
    return rows


def address_rows(policy: Policy) -> list[tuple[str, ...]]:
    """One row per rule at its address (see :func:`~creditflow.workflows.addresses`), sorted
    by path: path, workflow, part (guard, deadline or effect), name, events, code, basis, and
    the basis's source (``full``, ``copy``, ``exam``, ``configurable``)."""
    rows = [
        (a.path, a.machine, a.part, a.name, ", ".join(a.events), a.code, a.basis.text,
         a.basis.source.value)
        for a in addresses(policy)
    ]  # fmt: skip
    return sorted(rows, key=lambda row: row[:4])


def addresses_markdown(policy: Policy) -> str:
    """The index of every rule by its address, as a Markdown table."""
    lines = [
        "## Rule addresses",
        "",
        "Every guard, deadline and effect at the policy setting path it rests on: a refusal",
        "names the same path (`TransitionRefused.path`) with the basis below, and the test",
        "that seeds it is `tests/workflows/test_addresses.py -k <path>`; `docs/rules.md` says",
        "how to go from a path to its code, basis, test and doc.",
        "",
        "| path | workflow | part | name | events | code | basis |",
        "|---|---|---|---|---|---|---|",
    ]
    for path, machine, part, name, events, code, basis, source in address_rows(policy):
        marked = basis if source == "full" else f"{basis} ({source})"
        shown = escape_markdown(mask_resident_ids(marked), in_cell=True)
        cells = (markdown_code(path), machine, part, name, events, markdown_code(code), shown)
        lines.append(_markdown_row(cells))
    return "\n".join(lines) + "\n"


def _starts(rule: DeadlineRule) -> str:
    """The starting event, and the events that make the deadline run again."""
    if rule.when:
        return f"{rule.starts} (where `{rule.when}`)"
    if not rule.reopened_by:
        return rule.starts
    again = f"{rule.starts}; runs again on {', '.join(rule.reopened_by)}"
    if rule.restarted_by:
        again += f" (anew where the event's `{rule.restarted_by}`)"
    return again + (f" (anew where `{rule.restarted_if}`)" if rule.restarted_if else "")


def _markdown_row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"


def _event_cells(machine: Machine, t: Transition, policy: Policy) -> tuple[str, ...]:
    roles = ", ".join(sorted(policy.permissions.roles(machine.name, t.event))) or "-"
    data = ", ".join([*t.required, *(f"{o}?" for o in t.optional)]) or "-"
    return (
        t.event,
        ", ".join(t.sources) or "(opens)",
        t.target or "(same)",
        roles,
        ", ".join(t.guards) or "-",
        ", ".join(t.effects) or "-",
        data,
    )


def _lengths(machine: Machine, setting: str, policy: Policy) -> tuple[str, str]:
    lengths, bases = [], []
    for kind in case_kinds(policy, machine.kinds):
        provision = resolve(policy, setting, kind)
        if provision is None:
            lengths.append(f"{kind}: none")
            continue
        lengths.append(f"{kind}: {escape_markdown(str(provision.value), in_cell=True)}")
        basis = escape_markdown(mask_resident_ids(provision.basis.text), in_cell=True)
        if basis not in bases:
            bases.append(basis)
    return "; ".join(lengths), "; ".join(bases)


def workflows_markdown(policy: Policy) -> str:
    """Every machine's page under ``policy``, with a heading naming the pack."""
    head = [
        "# Workflows",
        "",
        f"Generated from the machine declarations and {markdown_code(policy.key)} by "
        "`creditflow.workflows.render.workflows_markdown`; a test keeps this page current.",
        "A guard in brackets must pass for the event; `?` marks optional data; a `due` deadline",
        "is a time limit (overdue the day after its last day), a `wait` period must pass first.",
        "A last day that is not a working day moves to the next working day (Civil Code",
        "Art. 203), except for a `length`: how long a listing or publication lasts, or a minimum",
        "before a step, which would otherwise hold the subject longer.",
        "",
    ]
    machines = "\n".join(machine_markdown(m, policy) for m in MACHINES.values())
    return "\n".join(head) + "\n" + machines + "\n" + addresses_markdown(policy)
