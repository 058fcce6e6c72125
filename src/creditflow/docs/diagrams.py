"""State diagrams of the workflows, drawn: Graphviz DOT and Mermaid sources in a page's
language, and the SVG that Graphviz's ``dot`` draws from the DOT source.

Diagrams are drawn when a page is made, so a page needs nothing from the network when read.
Where ``dot`` is absent (or fails), the page shows the Mermaid source beside the same table,
and the first such diagram of the process says so once on stderr: never silently.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys

from creditflow.core.labels import Language
from creditflow.docs.document import Diagram
from creditflow.docs.labels import text, word
from creditflow.docs.model import EventEntry, MachineEntry

__all__ = ["FONTS", "draw_svg", "machine_diagram", "machine_dot", "machine_mermaid"]

FONTS = "Noto Sans CJK SC,WenQuanYi Micro Hei,Source Han Sans SC,sans-serif"
"""The fonts a diagram asks for, Chinese first (Graphviz measures its labels with the first
one installed; browsers pick the first they have)."""

_TIMEOUT = 60
_WIDE = 5
"""A machine with more states is drawn top to bottom, so that it fits a page's width."""
_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)


def machine_diagram(machine: MachineEntry, lang: Language, *, draw: bool = True) -> Diagram:
    """The diagram block of ``machine`` in ``lang``: drawn as SVG when ``draw`` and ``dot``
    can, else its Mermaid source only."""
    title = f"{text(f'machine.{machine.name}', lang)}"
    svg = draw_svg(machine_dot(machine, lang)) if draw else None
    return Diagram(machine_mermaid(machine, lang), svg, title)


def _edge_label(event: EventEntry, lang: Language) -> str:
    label = word("event", event.event, lang)
    if event.guards:
        guards = ("、" if lang == "zh" else ", ").join(word("guard", g, lang) for g in event.guards)
        label += f"\n[{guards}]"
    return label


def _quoted(value: str) -> str:
    """A DOT string literal (newlines as DOT's centred line breaks)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def machine_dot(machine: MachineEntry, lang: Language) -> str:
    """The DOT source of ``machine``: states and events labelled in ``lang``, guards in
    brackets under their event; node ids are neutral (``n0``...), not identifiers."""
    ids = {state: f"n{i}" for i, state in enumerate(machine.states)}
    title = _quoted(text(f"machine.{machine.name}", lang))
    lines = [
        f"digraph {title} {{",
        f"  graph [rankdir={'TB' if len(machine.states) > _WIDE else 'LR'}, "
        'bgcolor="transparent", nodesep=0.35, ranksep=0.45,'
        f' fontname="{FONTS}"];',
        f'  node [shape=box, style="rounded,filled", fillcolor="#eef2f7", color="#4a6785",'
        f' fontname="{FONTS}", fontsize=12];',
        f'  edge [color="#4d4d4d", fontname="{FONTS}", fontsize=10];',
        '  i0 [shape=circle, label="", width=0.18, style=filled, fillcolor="#1b1b1b"];',
    ]
    lines += [f"  {ids[s]} [label={_quoted(word('state', s, lang))}];" for s in machine.states]
    for event in machine.events:
        label = _quoted(_edge_label(event, lang))
        target = ids[event.target] if event.target else None
        if not event.sources:
            lines.append(f"  i0 -> {target} [label={label}];")
        for source in event.sources:
            lines.append(f"  {ids[source]} -> {target or ids[source]} [label={label}];")
    for n, state in enumerate(s for s in machine.states if s in machine.finals):
        lines.append(
            f'  f{n} [shape=doublecircle, label="", width=0.12, style=filled, fillcolor="#1b1b1b"];'
        )
        lines.append(f"  {ids[state]} -> f{n};")
    return "\n".join([*lines, "}"]) + "\n"


def machine_mermaid(machine: MachineEntry, lang: Language) -> str:
    """A Mermaid ``stateDiagram-v2`` of ``machine``, states and events labelled in ``lang``
    (English: the declarations' names, as ``creditflow.workflows.render.mermaid`` has them)."""
    lines = ["stateDiagram-v2"]
    if lang == "zh":
        lines += [f'    state "{word("state", s, lang)}" as {s}' for s in machine.states]
    for event in machine.events:
        if lang == "zh":
            label = _edge_label(event, lang).replace("\n", " ")
        else:
            label = event.event + (f" [{', '.join(event.guards)}]" if event.guards else "")
        if not event.sources:
            lines.append(f"    [*] --> {event.target}: {label}")
        for source in event.sources:
            lines.append(f"    {source} --> {event.target or source}: {label}")
    lines += [f"    {s} --> [*]" for s in machine.states if s in machine.finals]
    return "\n".join(lines)


def draw_svg(source: str) -> str | None:
    """The SVG ``dot -Tsvg`` draws from the DOT ``source`` (its XML prologue and comments
    removed, so that it embeds in a page), or None when ``dot`` is absent or fails -- said
    once on stderr."""
    return _drawn(source)


@functools.lru_cache(maxsize=64)
def _drawn(source: str) -> str | None:
    program = shutil.which("dot")
    if program is None:
        _note("Graphviz's dot is not installed (apt-get install graphviz)")
        return None
    try:
        done = subprocess.run(
            [program, "-Tsvg"], input=source, capture_output=True, text=True,
            timeout=_TIMEOUT, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as error:
        _note(f"dot could not run ({error})")
        return None
    if done.returncode != 0:
        _note(f"dot failed ({done.stderr.strip() or done.returncode})")
        return None
    return _COMMENT.sub("", _PROLOGUE.sub("", done.stdout)).strip()


@functools.cache
def _note(reason: str) -> None:
    """Say once per reason that diagrams fall back to their Mermaid source."""
    sys.stderr.write(
        f"creditflow: note: {reason}: state diagrams are shown as Mermaid source and tables\n"
    )
