FROM golang:1.19 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /usr/local/bin/who .
RUN useradd --uid 10001 --create-home gopher

FROM gcr.io/distroless/static-debian12
COPY --from=build /etc/passwd /etc/group /etc/
COPY --from=build --chown=10001:10001 /home/gopher /home/gopher
COPY --from=build /usr/local/bin/who /usr/local/bin/who
USER gopher
WORKDIR /home/gopher
CMD ["who"]
