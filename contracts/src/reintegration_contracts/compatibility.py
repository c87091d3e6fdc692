"""Backward-compatibility check between two JSON Schemas of the same event version.

The rule of DESIGN.md: adding an optional field is compatible; anything else (a removed or
renamed field, a field made required or optional, a changed type or enum) needs a new version
and an upcaster. Titles, descriptions, examples, defaults and field classifications are
documentation and may change.
"""

import json
from typing import Any

Schema = dict[str, Any]
_DOC_KEYS = frozenset({"title", "description", "examples", "default", "x-classification"})


def compatibility_problems(old: Schema, new: Schema) -> list[str]:
    """Every reason `new` cannot stand in for `old`; empty when compatible."""
    problems: list[str] = []
    _compare(_inline(old, old), _inline(new, new), "$", problems)
    return problems


def _inline(node: Any, root: Schema) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return _inline(root.get("$defs", {})[name], root)
        return {k: _inline(v, root) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, root) for v in node]
    return node


def _compare(old: Any, new: Any, path: str, problems: list[str]) -> None:
    if not isinstance(old, dict) or not isinstance(new, dict):
        if _canonical(old) != _canonical(new):
            problems.append(f"{path}: changed from {old!r} to {new!r}")
        return
    for key in sorted((old.keys() | new.keys()) - _DOC_KEYS):
        if key == "properties":
            _compare_properties(old, new, path, problems)
        elif key == "required":
            _compare_required(old, new, path, problems)
        elif key in ("anyOf", "oneOf", "allOf", "prefixItems"):
            _compare_branches(old.get(key), new.get(key), f"{path}.{key}", problems)
        elif key in ("items", "additionalProperties"):
            _compare(old.get(key), new.get(key), f"{path}.{key}", problems)
        elif _canonical(old.get(key)) != _canonical(new.get(key)):
            problems.append(f"{path}: '{key}' changed from {old.get(key)!r} to {new.get(key)!r}")


def _compare_properties(old: Schema, new: Schema, path: str, problems: list[str]) -> None:
    old_props: Schema = old.get("properties", {})
    new_props: Schema = new.get("properties", {})
    new_required = set(new.get("required", []))
    for name in old_props:
        if name not in new_props:
            problems.append(f"{path}.{name}: field removed")
        else:
            _compare(old_props[name], new_props[name], f"{path}.{name}", problems)
    for name in new_props.keys() - old_props.keys():
        if name in new_required:
            problems.append(f"{path}.{name}: new field is required (only optional may be added)")


def _compare_required(old: Schema, new: Schema, path: str, problems: list[str]) -> None:
    old_required = set(old.get("required", []))
    new_required = set(new.get("required", []))
    old_props = old.get("properties", {})
    for name in sorted(old_required - new_required):
        problems.append(f"{path}.{name}: required field made optional or removed")
    for name in sorted((new_required - old_required) & old_props.keys()):
        problems.append(f"{path}.{name}: optional field made required")


def _compare_branches(old: Any, new: Any, path: str, problems: list[str]) -> None:
    if not isinstance(old, list) or not isinstance(new, list) or len(old) != len(new):
        problems.append(f"{path}: alternatives changed")
        return
    for index, (old_branch, new_branch) in enumerate(zip(old, new, strict=True)):
        _compare(old_branch, new_branch, f"{path}[{index}]", problems)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
