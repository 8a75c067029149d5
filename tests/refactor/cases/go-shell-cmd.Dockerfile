FROM golang:1.21-alpine
WORKDIR /work
COPY . .
RUN go build -o hello && \
    echo built
ENV PORT=3000
EXPOSE 3000
CMD ./hello --port $PORT
