"""Every rule's id, in one place: rules, the command line and the language server name rules by these."""

from __future__ import annotations

from typing import Final

PARSE_ERROR: Final = "DS001"
UNKNOWN_STAGE: Final = "DS100"
SELF_REFERENCE: Final = "DS101"
FORWARD_REFERENCE: Final = "DS102"
STAGE_CYCLE: Final = "DS103"
DUPLICATE_STAGE_NAME: Final = "DS104"
RESERVED_STAGE_NAME: Final = "DS105"
INVALID_STAGE_NAME: Final = "DS106"
STAGE_NAME_CASING: Final = "DS107"
FROM_AS_CASING: Final = "DS108"
NUMERIC_STAGE_REFERENCE: Final = "DS109"
UNUSED_STAGE: Final = "DS110"
TOOLCHAIN_IN_FINAL_STAGE: Final = "DS111"
CGO_BINARY_IN_STATIC_IMAGE: Final = "DS112"
COPY_WHOLE_STAGE: Final = "DS113"
UNDEFINED_ARG_IN_FROM: Final = "DS114"
INVALID_DEFAULT_ARG_IN_FROM: Final = "DS115"
UNPINNED_BASE_IMAGE: Final = "DS116"
FROM_SYNTAX: Final = "DS117"
UNKNOWN_TARGET: Final = "DS150"
MISSING_BUILD_PATH: Final = "DS151"
