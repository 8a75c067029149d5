# Stand-in for rust:1.63 (Debian's rustc and cargo), with the official image's CARGO_HOME and PATH.
FROM localhost/debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends cargo rustc gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /usr/local/cargo/bin
ENV CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
