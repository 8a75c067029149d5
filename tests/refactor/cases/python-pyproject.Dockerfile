FROM python:3.11-bookworm
ENV PYTHONUNBUFFERED=1
WORKDIR /srv
COPY pyproject.toml ./
COPY src ./src
RUN pip install .
ENTRYPOINT ["python", "-m", "service"]
