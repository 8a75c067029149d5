"""``check --fix``: every certain fix applied at once, and applying again changes nothing."""

from __future__ import annotations

import dockerfile

from dockerfile_stages.refactor.fix_all import fix_all

from ..conftest import corpus_names, corpus_text, needs_corpus


def test_certain_fixes_together() -> None:
    text = (
        "FROM alpine as build\nMAINTAINER me@example.com\nrun apk add \\\n\n    curl\nENV PORT 8080\n"
        "EXPOSE 80/TCP 8080:81\nCMD my-app --serve\nCOPY --form=build /a /a\n"
    )
    result = fix_all(text)
    assert result.text == (
        'FROM alpine AS build\nLABEL org.opencontainers.image.authors="me@example.com"\nRUN apk add \\\n'
        '    curl\nENV PORT=8080\nEXPOSE 80/tcp 81\nCMD ["my-app", "--serve"]\nCOPY --form=build /a /a\n'
    )
    assert set(result.rules) == {"DS108", "DS203", "DS201", "DS200", "DS207", "DS213", "DS214", "DS202"}
    assert fix_all(result.text).applied == 0


def test_nothing_to_fix_leaves_the_text_alone() -> None:
    text = 'FROM alpine:3.19\nCMD ["true"]\n'
    assert fix_all(text).text == text and fix_all(text).applied == 0


@needs_corpus
def test_fixing_the_corpus_is_idempotent_and_keeps_every_file_parsing() -> None:
    for name in corpus_names()[::5]:
        text = corpus_text(name)
        once = fix_all(text)
        again = fix_all(once.text)
        assert again.applied == 0 and again.text == once.text, name
        if once.applied and _parses(text):
            assert _parses(once.text), name  # BuildKit's parser still reads the fixed file


def _parses(text: str) -> bool:
    try:
        dockerfile.parse_string(text)
    except dockerfile.GoParseError:
        return False
    return True
