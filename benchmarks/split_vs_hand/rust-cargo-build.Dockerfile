FROM rust:1.63 AS build
WORKDIR /app
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
COPY --from=build /app/target/release/hello /usr/local/bin/hello
CMD ["hello", "build"]
