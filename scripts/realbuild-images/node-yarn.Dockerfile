# Stand-in for node:18 / node:18-bookworm: the shared node base plus what the official image also
# has: yarn (Debian's) and the `node` user (uid 1000).
FROM localhost/node:18-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends yarnpkg && rm -rf /var/lib/apt/lists/* \
 && ln -s /usr/bin/yarnpkg /usr/local/bin/yarn && useradd --uid 1000 --create-home --shell /bin/bash node
