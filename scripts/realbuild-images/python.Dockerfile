# Stand-in for python:3.11 made offline from Debian's packages: python with pip, venv and poetry;
# pip installs from the packaged wheels (no index), so `pip install .` builds offline; like the
# official image, pip may install into the system's site-packages (no PEP 668 marker).
FROM localhost/debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv python3-pip python-is-python3 \
      python3-setuptools-whl python3-wheel-whl python3-pip-whl python3-poetry ca-certificates \
 && rm -rf /var/lib/apt/lists/* && rm -f /usr/lib/python3*/EXTERNALLY-MANAGED
ENV PIP_NO_INDEX=1 PIP_FIND_LINKS=/usr/share/python-wheels PIP_DISABLE_PIP_VERSION_CHECK=1
CMD ["python3"]
