FROM python:3.11 AS build
RUN python -m venv /opt/venv
WORKDIR /app
COPY . .
RUN /opt/venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH
CMD ["hello", "script"]
