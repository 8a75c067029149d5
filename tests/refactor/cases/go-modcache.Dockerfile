# syntax=docker/dockerfile:1
FROM golang:1.22-bookworm
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -ldflags="-s -w" -o /usr/local/bin/api ./cmd/api
EXPOSE 9000
ENTRYPOINT ["/usr/local/bin/api"]
