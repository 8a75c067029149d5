FROM golang:1.22-alpine
RUN apk add --no-cache ca-certificates tzdata git
WORKDIR /src
COPY . .
RUN go build -o /bin/fetcher ./cmd/fetcher
ENTRYPOINT ["/bin/fetcher"]
