# Stand-in for python:3.11-slim: the same interpreter, nothing to build with.
FROM localhost/debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 python-is-python3 && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
