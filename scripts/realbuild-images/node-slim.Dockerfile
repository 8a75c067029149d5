# Stand-in for node:18-slim: Debian's nodejs without npm, and the `node` user (uid 1000).
FROM localhost/debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 1000 --create-home --shell /bin/bash node
