"""One change as a person describes it on the admin screen — merge these units into one, split
this one, rename it, move it under another — turned into mapping rows, so that it is judged,
previewed and applied exactly like a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ...models import Area
from .mapping import FULL_SHARE, MappingRow, parse_share

KINDS = ("merge", "split", "rename", "reparent")


@dataclass
class Change:
    kind: str
    effective_on: date
    old: list[Area]
    new_code: str = ""
    new_name: str = ""
    new_kind: str = ""
    parent: Area | None = None
    into: Area | None = None  # merge into a unit that goes on
    parts: list[tuple[str, str, str]] = field(default_factory=list)  # split: code, name, share


class ChangeError(ValueError):
    def __init__(self, field_name: str, code: str):
        super().__init__(code)
        self.field = field_name
        self.code = code


def rows_for(change: Change) -> list[MappingRow]:
    if not change.old:
        raise ChangeError("old", "choose_units")
    day, parent = change.effective_on, change.parent.code if change.parent else ""
    if change.kind == "merge":
        if change.into is not None:
            merged = [a for a in change.old if a.id != change.into.id]
            return [
                MappingRow(i, a.code, change.into.code, effective_on=day)
                for i, a in enumerate(merged, 2)
            ]
        if not (change.new_code and change.new_name):
            raise ChangeError("new_code", "name_the_unit")
        kind = change.new_kind or change.old[0].kind
        return [
            MappingRow(i, a.code, change.new_code, change.new_name, kind, parent, day)
            for i, a in enumerate(change.old, 2)
        ]
    old = change.old[0]
    if len(change.old) > 1:
        raise ChangeError("old", "one_unit")
    if change.kind == "split":
        if len(change.parts) < 2:
            raise ChangeError("parts", "two_parts")
        rows = []
        for i, (code, name, share_text) in enumerate(change.parts, 2):
            share = parse_share(share_text)
            if share is None or not code or not name:
                raise ChangeError("parts", "bad_part")
            kind = change.new_kind or old.kind
            rows.append(MappingRow(i, old.code, code, name, kind, parent, day, share))
        return rows
    if change.kind == "rename":
        if not change.new_name:
            raise ChangeError("new_name", "name_the_unit")
        code = change.new_code or old.code
        parent_code = old.parent.code if old.parent else ""
        return [MappingRow(2, old.code, code, change.new_name, old.kind, parent_code, day)]
    if change.kind == "reparent":
        if change.parent is None:
            raise ChangeError("parent", "choose_parent")
        return [MappingRow(2, old.code, old.code, old.name, old.kind, parent, day, FULL_SHARE)]
    raise ChangeError("kind", "unknown_change")
