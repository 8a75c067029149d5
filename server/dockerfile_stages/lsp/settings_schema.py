"""The one description of every server setting: its key, type, default and meaning.

``config.Settings`` reads client JSON with it, and ``scripts/gen_vscode_settings.py`` turns it into the
VS Code extension's ``contributes.configuration`` (a test checks the two agree), so an editor's settings
page cannot drift from what the server accepts. A setting the editor itself sets (``client_sets``:
workspace trust) is not offered there: a workspace's own settings file must not be able to claim it.
"""

from __future__ import annotations

import enum
from typing import Any

import msgspec

SECTION = "dockerfileStages"
SPLIT_PROFILES = ("go", "java", "node", "python", "rust", "dotnet", "c")


class SettingType(enum.Enum):
    """JSON Schema type names, as VS Code's settings editor understands them."""

    BOOLEAN = "boolean"
    INTEGER = "integer"
    STRING = "string"
    STRING_LIST = "array"
    STRING_MAP = "object"


class SettingSpec(msgspec.Struct, frozen=True):
    key: str  # dotted, under SECTION
    attribute: str  # the field of config.Settings it fills
    type: SettingType
    default: bool | int | str | tuple[str, ...]
    description: str
    choices: tuple[str, ...] = ()  # the only strings allowed, where not empty
    map_keys: tuple[str, ...] = ()  # STRING_MAP: the keys allowed
    client_sets: bool = False  # the editor sends it from its own state; not a setting users edit there

    def json_schema(self) -> dict[str, Any]:
        """This setting as a JSON Schema property (the shape of VS Code's configuration contributions)."""
        schema: dict[str, Any] = {"type": self.type.value, "markdownDescription": self.description}
        if self.type is SettingType.STRING_LIST:
            schema["items"] = {"type": "string"}
            schema["default"] = list(self.default) if isinstance(self.default, tuple) else []
        elif self.type is SettingType.STRING_MAP:
            schema["default"] = {}
            schema["properties"] = {key: {"type": "string"} for key in self.map_keys}
            schema["additionalProperties"] = False
        else:
            schema["default"] = self.default
        if self.type is SettingType.INTEGER:
            schema["minimum"] = 0
        if self.choices:
            schema["enum"] = list(self.choices)
        return schema


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("diagnostics.enable", "diagnostics_enabled", SettingType.BOOLEAN, True, "Publish diagnostics at all."),
    SettingSpec(
        "diagnostics.delayMs",
        "diagnostics_delay_ms",
        SettingType.INTEGER,
        150,
        "Quiet time in milliseconds after the last change before diagnostics are published "
        "(a burst of keystrokes costs one analysis).",
    ),
    SettingSpec(
        "diagnostics.mode",
        "diagnostics_mode",
        SettingType.STRING,
        "auto",
        "`push`, `pull`, or `auto`: push until the client pulls a document, then serve pulls only.",
        choices=("auto", "push", "pull"),
    ),
    SettingSpec(
        "diagnostics.maxProblems",
        "max_problems",
        SettingType.INTEGER,
        1000,
        "The most problems shown per document (the most severe first, then one note saying how many "
        "more there are); `0` shows them all. `dockerfile-stages check` always reports every one.",
    ),
    SettingSpec(
        "diagnostics.ignore", "ignore", SettingType.STRING_LIST, (), "Rule ids or names never reported (e.g. `DS116`)."
    ),
    SettingSpec(
        "platform",
        "platform",
        SettingType.STRING,
        "linux/amd64",
        "The build platform for `$TARGETOS`, `$BUILDPLATFORM` and friends in FROM lines, and for image sizes.",
    ),
    SettingSpec("completion.images", "complete_images", SettingType.BOOLEAN, True, "Offer common images after `FROM`."),
    SettingSpec(
        "targets",
        "targets",
        SettingType.STRING_LIST,
        (),
        "`--target` stages your builds use (they and their dependencies count as used).",
    ),
    SettingSpec(
        "sizes.online",
        "sizes_online",
        SettingType.BOOLEAN,
        True,
        "Look image sizes up in registries and a local engine (`false`: the bundled snapshot and the cache only).",
    ),
    SettingSpec(
        "sizes.timeoutMs",
        "sizes_timeout_ms",
        SettingType.INTEGER,
        5000,
        "One image's whole lookup in milliseconds (every request, token included, however slowly the registry sends).",
    ),
    SettingSpec(
        "sizes.hoverWaitMs",
        "sizes_hover_wait_ms",
        SettingType.INTEGER,
        300,
        "How long a hover waits for a size lookup before answering with what it has, in milliseconds.",
    ),
    SettingSpec(
        "sizes.cacheDir",
        "sizes_cache_dir",
        SettingType.STRING,
        "",
        "Where registry answers are kept (empty: the user cache directory).",
    ),
    SettingSpec(
        "sizes.cacheTtlHours", "sizes_cache_ttl_hours", SettingType.INTEGER, 24, "How long a cached answer is used."
    ),
    SettingSpec(
        "sizes.insecureRegistries",
        "sizes_insecure_registries",
        SettingType.STRING_LIST,
        (),
        "Registry hosts whose certificate is not checked, reached over plain HTTP where TLS fails, as Docker "
        "does (loopback ones are too; no other host ever is).",
    ),
    SettingSpec(
        "sizes.useEngine",
        "sizes_use_engine",
        SettingType.BOOLEAN,
        True,
        "Ask a local Docker engine (`DOCKER_HOST` unix socket or `/var/run/docker.sock`) first.",
    ),
    SettingSpec(
        "workspace.trusted",
        "workspace_trusted",
        SettingType.BOOLEAN,
        True,
        "Whether the editor trusts the workspace. `false`: no registry or local engine lookups (and no "
        "cache), image sizes from the bundled snapshot only, with a note saying so. VS Code's extension "
        "sends its workspace trust; other editors may send `false` for a folder they do not trust.",
        client_sets=True,
    ),
    SettingSpec("format.enable", "format_enabled", SettingType.BOOLEAN, True, "Answer formatting requests at all."),
    SettingSpec(
        "format.indent",
        "format_indent",
        SettingType.INTEGER,
        4,
        "Spaces before a continuation line when formatting; `0` indents with a tab.",
    ),
    SettingSpec(
        "format.keywordCase",
        "format_keyword_case",
        SettingType.STRING,
        "majority",
        "Instruction keyword casing when formatting: the file's `majority`, `upper`, `lower`, or `keep` as written.",
        choices=("majority", "upper", "lower", "keep"),
    ),
    SettingSpec(
        "split.runners",
        "split_runners",
        SettingType.STRING_MAP,
        (),
        'Your own runner images per profile for the split action, e.g. `{"go": "registry.example.com/base/static:1"}`.',
        map_keys=SPLIT_PROFILES,
    ),
)

SETTINGS_BY_KEY = {spec.key: spec for spec in SETTINGS}


def configuration_properties() -> dict[str, dict[str, Any]]:
    """Every setting users edit as ``dockerfileStages.<key>`` -> JSON Schema, in the order above."""
    return {f"{SECTION}.{spec.key}": spec.json_schema() for spec in SETTINGS if not spec.client_sets}
