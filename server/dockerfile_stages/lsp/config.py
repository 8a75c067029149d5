"""User settings: one typed model with defaults, read from initializationOptions and
workspace/didChangeConfiguration (under the key ``dockerfileStages`` or at the top level)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import msgspec
from msgspec.structs import replace

from dockerfile_stages.ide.analysis import Options
from dockerfile_stages.ide.format_options import FormatOptions, KeywordCase
from dockerfile_stages.lsp.settings_schema import SECTION, SETTINGS, SETTINGS_BY_KEY, SPLIT_PROFILES, SettingType

if TYPE_CHECKING:
    from dockerfile_stages.sizes.service import SizeSettings


class Settings(msgspec.Struct, frozen=True):
    workspace_trusted: bool = True  # False: nothing the workspace names is looked up on the network
    diagnostics_enabled: bool = True
    diagnostics_delay_ms: int = 150  # quiet time after the last keystroke before diagnostics are published
    diagnostics_mode: str = "auto"  # "push", "pull", or "auto" (pull where the client supports it)
    max_problems: int = 1000  # diagnostics per document, most severe first (0: all)
    platform: str = "linux/amd64"  # the default build platform, for $TARGETOS and friends in FROM lines
    complete_images: bool = True  # offer common images after FROM
    ignore: tuple[str, ...] = ()  # rule ids (or names) never reported
    targets: tuple[str, ...] = ()  # --target names that count as used
    sizes_online: bool = True  # look sizes up in registries (and a local engine); False: snapshot only
    sizes_timeout_ms: int = 5000  # one registry request
    sizes_hover_wait_ms: int = 300  # how long hover waits for a lookup before answering with what it has
    sizes_cache_dir: str = ""  # default: the user cache directory
    sizes_cache_ttl_hours: int = 24
    sizes_insecure_registries: tuple[str, ...] = ()  # certificate not checked, then plain HTTP
    sizes_use_engine: bool = True  # ask a local Docker engine first
    split_runners: tuple[tuple[str, str], ...] = ()  # (profile, image): runner images of your own
    format_enabled: bool = True  # document, range and on-type formatting
    format_indent: int = 4  # spaces before a continuation line; 0: a tab
    format_keyword_case: str = "majority"  # "majority" (of the file's keywords), "upper", "lower" or "keep"

    # the keys a client sends, from the one schema (split.runners is a map, read below)
    _KEYS: ClassVar[dict[str, str]] = {
        spec.key: spec.attribute for spec in SETTINGS if spec.type is not SettingType.STRING_MAP
    }

    def analysis_options(self, workspace_targets: tuple[str, ...] = ()) -> Options:
        """What of the settings changes answers, for the analysis (with the targets the workspace builds)."""
        indent = " " * self.format_indent if self.format_indent else "\t"
        return Options(
            targets=self.targets + workspace_targets,
            ignore=self.ignore,
            complete_images=self.complete_images,
            split_runners=self.split_runners,
            format=FormatOptions(indent=indent, keyword_case=KeywordCase(self.format_keyword_case)),
        )

    def pushes_diagnostics(self, pulled: bool) -> bool:
        """Push unless told to pull, or (in "auto") once the client has pulled for the document."""
        return self.diagnostics_mode == "push" or (self.diagnostics_mode == "auto" and not pulled)

    def size_settings(self) -> SizeSettings:
        from dockerfile_stages.sizes.service import SizeSettings, offline_forced  # not needed for the first diagnostics

        defaults = SizeSettings()
        return SizeSettings(
            online=self.sizes_online and not offline_forced(),
            timeout_s=self.sizes_timeout_ms / 1000,
            cache_dir=Path(self.sizes_cache_dir) if self.sizes_cache_dir else defaults.cache_dir,
            ttl_s=self.sizes_cache_ttl_hours * 3600,
            insecure_registries=self.sizes_insecure_registries,
            use_engine=self.sizes_use_engine,
            trusted=self.workspace_trusted,
        )

    def updated(self, raw: Any) -> tuple[Settings, list[str]]:
        """New settings from a client's JSON (unknown keys and bad values are reported, not fatal)."""
        if not isinstance(raw, dict):
            return self, [] if raw is None else ["settings must be an object"]
        if isinstance(raw.get(SECTION), dict):
            raw = raw[SECTION]
        flat = _flatten(raw)
        changes: dict[str, Any] = {}
        problems = []
        types = type(self).__annotations__  # the annotations as written: strings
        runners = dict(self.split_runners)
        for key, value in flat.items():
            if key.startswith("split.runners."):
                profile = key.removeprefix("split.runners.")
                if isinstance(value, str) and value and profile in SPLIT_PROFILES:
                    runners[profile] = value
                else:
                    problems.append(f"'{key}' must name an image, for one of: {', '.join(SPLIT_PROFILES)}")
                continue
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
                choices = SETTINGS_BY_KEY[key].choices
                if choices and value not in choices:
                    problems.append(f"'{key}' must be {', '.join(choices[:-1])} or {choices[-1]}")
                    continue
                changes[name] = value
            else:
                problems.append(f"setting '{key}' has the wrong type")
        if runners != dict(self.split_runners):
            changes["split_runners"] = tuple(sorted(runners.items()))
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
