"""User settings: one typed model with defaults, read from initializationOptions and
workspace/didChangeConfiguration (under the key ``dockerfileStages`` or at the top level)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

SECTION = "dockerfileStages"


@dataclass(frozen=True)
class Settings:
    diagnostics_enabled: bool = True
    diagnostics_delay_ms: int = 150  # quiet time after the last keystroke before diagnostics are published
    diagnostics_mode: str = "auto"  # "push", "pull", or "auto" (pull where the client supports it)
    platform: str = "linux/amd64"  # the default build platform, for $TARGETOS and friends in FROM lines
    complete_images: bool = True  # offer common images after FROM
    ignore: tuple[str, ...] = field(default=())  # rule ids (or names) never reported
    targets: tuple[str, ...] = field(default=())  # --target names that count as used

    _KEYS: ClassVar[dict[str, str]] = {
        "diagnostics.enable": "diagnostics_enabled",
        "diagnostics.delayMs": "diagnostics_delay_ms",
        "diagnostics.mode": "diagnostics_mode",
        "platform": "platform",
        "completion.images": "complete_images",
        "diagnostics.ignore": "ignore",
        "targets": "targets",
    }

    def updated(self, raw: Any) -> tuple[Settings, list[str]]:
        """New settings from a client's JSON (unknown keys and bad values are reported, not fatal)."""
        if not isinstance(raw, dict):
            return self, [] if raw is None else ["settings must be an object"]
        if isinstance(raw.get(SECTION), dict):
            raw = raw[SECTION]
        flat = _flatten(raw)
        changes: dict[str, Any] = {}
        problems = []
        types = {f.name: f.type for f in fields(self)}
        for key, value in flat.items():
            name = self._KEYS.get(key)
            if name is None:
                problems.append(f"unknown setting '{key}'")
                continue
            expected = types[name]
            if expected in ("tuple[str, ...]",) and isinstance(value, list) and all(isinstance(v, str) for v in value):
                changes[name] = tuple(value)
            elif (expected == "bool" and isinstance(value, bool)) or (
                expected == "int" and isinstance(value, int) and not isinstance(value, bool) and value >= 0
            ):
                changes[name] = value
            elif expected == "str" and isinstance(value, str):
                if name == "diagnostics_mode" and value not in ("auto", "push", "pull"):
                    problems.append(f"'{key}' must be auto, push or pull")
                    continue
                changes[name] = value
            else:
                problems.append(f"setting '{key}' has the wrong type")
        return replace(self, **changes), problems


def _flatten(raw: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat
