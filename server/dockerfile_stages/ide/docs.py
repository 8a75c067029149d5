"""Markdown for what the catalog knows (instructions, flags, mount options, directives, predefined
ARGs) and for variables: shared by hover and completion item documentation."""

from __future__ import annotations

from dockerfile_stages.model.catalog import (
    BuiltinArg,
    DirectiveSpec,
    FlagSpec,
    InstructionSpec,
    MountOption,
    MountType,
    ValueKind,
)
from dockerfile_stages.model.variables import Definition, VarKind


def _code(lines: tuple[str, ...] | list[str]) -> str:
    return "```dockerfile\n" + "\n".join(lines) + "\n```"


def _link(title: str, url: str) -> str:
    return f"[Dockerfile reference: {title}]({url})"


def instruction_doc(spec: InstructionSpec) -> str:
    parts = [f"**{spec.name}**" + (" (deprecated)" if spec.deprecated else ""), spec.description]
    parts.append(_code([syntax.line for syntax in spec.syntax]))
    if spec.flags:
        parts.append("Flags: " + ", ".join(f"`--{flag.name}`" for flag in spec.flags))
    if not spec.onbuild_allowed and spec.name != "ONBUILD":
        parts.append("Not allowed after ONBUILD.")
    parts.append(_link(spec.name, spec.url))
    return "\n\n".join(parts)


def flag_doc(spec: InstructionSpec, flag: FlagSpec) -> str:
    parts = [f"**{spec.name} --{flag.name}**", flag.description, _code([f"{spec.name} {flag.syntax}"])]
    details = [f"value: {flag.kind.value}"]
    if flag.kind is ValueKind.ENUM and flag.values:
        details.append("one of " + ", ".join(f"`{value}`" for value in flag.values))
    if flag.default is not None:
        details.append(f"default `{flag.default}`")
    if flag.repeatable:
        details.append("may be given more than once")
    if flag.since:
        details.append(f"since Dockerfile syntax {flag.since}")
    parts.append("; ".join(details))
    parts.append(_link(f"{spec.name} --{flag.name}", flag.url))
    return "\n\n".join(parts)


def mount_type_doc(mount: MountType) -> str:
    keys = ", ".join(f"`{option.name}`" for option in mount.options)
    return "\n\n".join(
        [
            f"**RUN --mount=type={mount.name}**",
            mount.description,
            f"Options: {keys}",
            _link(f"type={mount.name}", mount.url),
        ]
    )


def mount_option_doc(mount: MountType, option: MountOption) -> str:
    names = " / ".join(f"`{name}`" for name in option.names)
    details = [f"value: {option.kind.value}"]
    if option.values and option.kind in (ValueKind.ENUM, ValueKind.BOOL):
        details.append("one of " + ", ".join(f"`{value}`" for value in option.values))
    if option.default is not None:
        details.append(f"default `{option.default}`")
    if option.required:
        details.append("required")
    return "\n\n".join(
        [
            f"**--mount type={mount.name}: {names}**",
            option.description,
            "; ".join(details),
            _link(f"type={mount.name}", mount.url),
        ]
    )


def directive_doc(spec: DirectiveSpec) -> str:
    return "\n\n".join(
        [f"**# {spec.name}=** (parser directive)", spec.description, _code(spec.syntax), _link(spec.name, spec.url)]
    )


def builtin_doc(arg: BuiltinArg, value: str | None = None) -> str:
    parts = [f"**{arg.name}** ({arg.kind.value})", arg.description]
    if value is not None:
        parts.append(f"Value for the build's platform here: `{value}`")
    parts.append(_link(arg.kind.value, arg.url))
    return "\n\n".join(parts)


def where(definition: Definition) -> str:
    if definition.predefined:
        return "predefined by BuildKit"
    scope = "global ARG (before the first FROM)" if definition.is_global else f"{definition.kind.value}"
    return f"{scope}, line {definition.line + 1}"


def value_text(definition: Definition) -> str:
    if definition.value is None:
        if definition.kind is VarKind.PROXY:
            return "unset unless given with --build-arg"
        return "no value (empty unless given with --build-arg)" if definition.overridable else "unknown"
    return f"`{definition.value}`"


def variable_doc(definition: Definition) -> str:
    """What a variable holds at a point and where it got it."""
    lines = [f"**${definition.name}** = {value_text(definition)}", f"set by: {where(definition)}"]
    if definition.default is not None and definition.value != definition.default:
        lines.append(f"written as `{definition.default}`")
    if definition.inherits is not None:
        lines.append(f"value taken from: {where(definition.inherits)}")
    if definition.unresolved:
        lines.append("unresolved there: " + ", ".join(f"`${name}`" for name in definition.unresolved))
    if definition.overridable:
        lines.append(f"`docker build --build-arg {definition.name}=...` may override it")
    if definition.builtin is not None:
        lines.append(definition.builtin.description)
    return "\n\n".join(lines)


def undefined_variable_doc(name: str, image_based: bool) -> str:
    text = f"**${name}** is not defined here"
    if image_based:
        text += " by this Dockerfile (the base image's environment may define it)"
    return text
