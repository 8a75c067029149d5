FROM node:20 AS assets
WORKDIR /web
COPY web .
RUN npm ci && npm run build

FROM golang:1.22
WORKDIR /app
COPY . .
COPY --from=assets /web/dist ./static
RUN go build -o /app/server
CMD ["/app/server"]
