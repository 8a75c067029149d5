FROM rust:1.79
WORKDIR /usr/src/myapp
COPY . .
RUN cargo build --release
EXPOSE 4000
CMD ["./target/release/myapp"]
