ARG GO_VERSION=1.21
FROM golang:${GO_VERSION}
ARG VERSION=dev
WORKDIR /go/src/app
COPY . .
RUN go build -ldflags "-X main.version=${VERSION}" -o /bin/app
USER nobody
ENTRYPOINT ["/bin/app"]
CMD ["--help"]
