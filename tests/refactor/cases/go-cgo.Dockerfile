FROM golang:1.22
RUN apt-get update && apt-get install -y libsqlite3-dev gcc
WORKDIR /app
COPY . .
RUN CGO_ENABLED=1 go build -o /app/bin/store .
CMD /app/bin/store
