FROM golang:1.22
WORKDIR /srv/app
COPY . .
RUN go build
CMD ["/srv/app/app"]
