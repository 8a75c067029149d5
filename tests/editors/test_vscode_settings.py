"""The VS Code extension's settings are the server's: package.json is generated from the schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

from msgspec.structs import fields

from dockerfile_stages import __version__
from dockerfile_stages.lsp.config import Settings
from dockerfile_stages.lsp.settings_schema import SECTION, SETTINGS, SettingType, configuration_properties

from ..conftest import ROOT

PACKAGE_JSON = ROOT / "vscode-client" / "package.json"


def _package() -> dict[str, Any]:
    return json.loads(PACKAGE_JSON.read_text(encoding="utf-8"))


def _generated_section() -> dict[str, Any]:
    sections = _package()["contributes"]["configuration"]
    return next(section for section in sections if section.get("id") == "dockerfileStages.analysis")


def test_package_json_lists_every_server_setting_as_the_schema_says() -> None:
    assert _generated_section()["properties"] == configuration_properties()


def test_package_json_is_what_the_generator_writes() -> None:
    script = ROOT / "scripts" / "gen_vscode_settings.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_extension_version_is_the_projects() -> None:
    assert 'version = {attr = "dockerfile_stages.__version__"}' in (ROOT / "pyproject.toml").read_text()
    assert _package()["version"] == __version__


def test_schema_covers_every_settings_field_with_its_default() -> None:
    defaults = Settings()
    assert {spec.attribute for spec in SETTINGS} == {field.name for field in fields(Settings)}
    for spec in SETTINGS:
        value = getattr(defaults, spec.attribute)
        expected = dict(value) if spec.type is SettingType.STRING_MAP else value
        default = {} if spec.type is SettingType.STRING_MAP else spec.default
        assert expected == default, spec.key


def test_the_server_accepts_each_schema_default_and_rejects_a_wrong_type() -> None:
    for spec in SETTINGS:
        schema = spec.json_schema()
        _, problems = Settings().updated({SECTION: {spec.key: schema["default"]}})
        assert problems == [], spec.key
        wrong: object = "text" if spec.type is not SettingType.STRING else 5
        _, problems = Settings().updated({SECTION: {spec.key: wrong}})
        assert problems, f"{spec.key} took {wrong!r}"


def test_client_only_settings_are_not_sent_to_the_server() -> None:
    sections = _package()["contributes"]["configuration"]
    client = next(section for section in sections if section.get("id") == "dockerfileStages.client")
    server_keys = set(configuration_properties())
    assert not server_keys & set(client["properties"])


def test_settings_the_editor_sets_are_not_offered_to_users_but_sent_by_the_extension() -> None:
    """A workspace's own settings.json must not be able to claim trust: the extension sends it."""
    client_set = [spec for spec in SETTINGS if spec.client_sets]
    assert client_set, "workspace.trusted is one"
    properties = set(_generated_section()["properties"])
    sources = "".join(path.read_text() for path in (ROOT / "vscode-client" / "src").glob("*.ts"))
    for spec in client_set:
        assert f"{SECTION}.{spec.key}" not in properties
        assert f"'{spec.key}'" in sources, f"the extension does not send {spec.key}"


def test_readme_settings_table_lists_the_schema() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Settings") :].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([\w.]+)` \| (.+?) \|", table, re.MULTILINE)
    assert [key for key, _ in rows] == [spec.key for spec in SETTINGS]
    for key, default in rows:
        spec = next(spec for spec in SETTINGS if spec.key == key)
        if spec.type is SettingType.STRING and not spec.default:
            continue  # an empty default is described in words ("user cache dir")
        assert default.strip("`") == json.dumps(spec.json_schema()["default"]), key
