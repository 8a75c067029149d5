"""The catalog holds what BuildKit's Dockerfile reference lists."""

from __future__ import annotations

import pytest

from dockerfile_stages.model import catalog


@pytest.mark.parametrize(
    ("name", "flags"),
    [
        ("FROM", ["platform"]),
        ("RUN", ["mount", "network", "security", "device"]),
        ("COPY", ["from", "chmod", "chown", "link", "parents", "exclude"]),
        ("ADD", ["keep-git-dir", "checksum", "chmod", "chown", "link", "unpack", "exclude"]),
        ("HEALTHCHECK", ["interval", "timeout", "start-period", "start-interval", "retries"]),
        ("ENV", []),
    ],
)
def test_flags_per_instruction(name: str, flags: list[str]) -> None:
    spec = catalog.instruction(name.lower())
    assert spec is not None and [flag.name for flag in spec.flags] == flags


def test_onbuild_forbids_onbuild_from_and_maintainer() -> None:
    assert [spec.name for spec in catalog.INSTRUCTIONS if not spec.onbuild_allowed] == ["FROM", "MAINTAINER", "ONBUILD"]


def test_enum_flags_list_their_values() -> None:
    network = catalog.flag("RUN", "network")
    assert network is not None and network.values == ("default", "none", "host")


def test_mount_options_by_type_with_aliases() -> None:
    cache, tmpfs = catalog.mount_type("cache"), catalog.mount_type("tmpfs")
    assert cache is not None and tmpfs is not None
    sharing = cache.option("sharing")
    assert cache.option("dst") is not None and sharing is not None and sharing.values == ("shared", "private", "locked")
    assert tmpfs.option("sharing") is None


def test_every_instruction_has_a_snippet_syntax_and_anchor() -> None:
    missing = [s.name for s in catalog.INSTRUCTIONS if not (s.snippets and s.syntax and s.anchor and s.description)]
    assert missing == []


def test_builtin_args() -> None:
    assert len(catalog.PLATFORM_ARGS) == 8 and len(catalog.PROXY_ARGS) == 10
    assert catalog.builtin_arg("https_proxy") is not None and catalog.builtin_arg("PATH") is None
