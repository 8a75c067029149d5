FROM rust:1.78
RUN cargo install ripgrep
ENTRYPOINT ["rg"]
