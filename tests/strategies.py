"""Hypothesis strategies: Dockerfiles built from the constructs BuildKit's parser handles."""

from __future__ import annotations

from hypothesis import strategies as st

NAMES = st.sampled_from(["builder", "build", "base", "deps", "runner", "test", "Build_2", "x.y"])
IMAGES = st.sampled_from(["golang:1.21", "alpine", "scratch", "node:20-slim", "gcr.io/distroless/static", "${IMG}"])
WORDS = st.sampled_from(["echo", "hi", "/app", "a=b", "'q w'", '"d q"', "$X", "${Y:-z}", "--flag", "é", "😀", "日本"])

SIMPLE_LINES = st.one_of(
    st.builds(lambda i, n: f"FROM {i} AS {n}", IMAGES, NAMES),
    st.builds(lambda i: f"FROM --platform=$BUILDPLATFORM {i}", IMAGES),
    st.builds(lambda n: f"COPY --from={n} /src /dst", NAMES),
    st.builds(lambda n: f"RUN --mount=type=cache,target=/c,from={n} make", NAMES),
    st.builds(lambda ws: "RUN " + " ".join(ws), st.lists(WORDS, min_size=1, max_size=4)),
    st.builds(lambda ws: "CMD [" + ", ".join(f'"{w}"' for w in ws) + "]", st.lists(WORDS, max_size=3)),
    st.just("ENV A=1 B=2"),
    st.just("ENV OLD style value"),
    st.just('LABEL k="v w"'),
    st.just("ARG VERSION=1.0"),
    st.just("EXPOSE 80 443"),
    st.just("WORKDIR /app"),
    st.just("ONBUILD COPY --from=builder /a /b"),
    st.just("HEALTHCHECK --interval=5s CMD curl -f http://localhost/"),
    st.just("# a comment"),
    st.just("# comment with ü and 🐳"),
    st.just(""),
    st.just("   "),
    st.just("\tRUN tabbed"),
    st.just("from lowercase"),
    st.just("UNKNOWN instruction here"),
)

BLOCKS = st.one_of(
    SIMPLE_LINES.map(lambda line: [line]),
    st.just(["RUN apt-get update && \\", "    apt-get install -y curl \\", "    # comment inside", "", "    && true"]),
    st.just(["RUN echo a \\  ", "b"]),
    st.just(["COPY <<EOF /etc/conf", "line one", "  EOF not yet", "EOF"]),
    st.just(["RUN <<-EOT bash", "\techo tabbed", "\tEOT"]),
    st.just(['RUN <<"END" python3', "print('$HOME')", "END"]),
    st.just(["COPY <<A <<B /dest/", "a", "A", "b", "B"]),
    st.just(["RUN cat <<EOF | sh", "echo hi", "EOF"]),
)


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        lines += draw(
            st.sampled_from([["# syntax=docker/dockerfile:1"], ["# escape=`"], ["# escape=\\", "# check=skip=all"]])
        )
    for block in draw(st.lists(BLOCKS, min_size=0, max_size=14)):
        lines += block
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    text = newline.join(lines)
    if draw(st.booleans()):
        text += newline
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return text


EDIT_TEXT = st.one_of(
    st.text(alphabet="abcFROMRUNCOPY \\\n\t#<=-`\"'$é😀", max_size=6),
    st.sampled_from(
        ["\n", "\\\n", "<<EOF\n", "EOF\n", "EOF", "# escape=`\n", "FROM x AS y\n", "COPY --from=", "\r\n", "RUN \\", ""]
    ),
)


# Fragments glued at random: half-typed and malformed text, where parsers disagree first.
ATOMS = st.sampled_from(
    [
        "FROM",
        "RUN",
        "COPY",
        "ADD",
        "ENV",
        "ARG",
        "LABEL",
        "ONBUILD",
        "CMD",
        "HEALTHCHECK",
        "EXPOSE",
        "from",
        "run",
        " ",
        "  ",
        "\t",
        "\\",
        "`",
        '"',
        "'",
        "<<EOF",
        "<<-EOF",
        "EOF",
        "--from=a",
        "--mount=type=cache,from=b",
        '["a"]',
        "[",
        "]",
        "=",
        "a",
        "b=c",
        "$X",
        "${Y}",
        "#",
        "# escape=`",
        "\n",
        "\n",
        "\r\n",
        "\\\n",
        "x y",
        "--",
        '--x="a b"',
    ]
)
fragments = st.lists(st.tuples(ATOMS, st.sampled_from(["", " "])), min_size=1, max_size=25).map(
    lambda parts: "".join(atom + space for atom, space in parts)
)
