FROM gcc:13 AS build
WORKDIR /app
COPY . .
RUN make

FROM debian:bookworm-slim
COPY --from=build /app/hello /app/hello
CMD ["/app/hello"]
