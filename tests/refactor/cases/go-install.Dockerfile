FROM golang:1.23
RUN go install github.com/example/tool@v1.2.3
ENTRYPOINT ["tool"]
