# syntax=docker/dockerfile:1
FROM node:20
WORKDIR /app
COPY . .
RUN <<EOT
npm ci
npm run build
EOT
CMD ["node", "out/main.js"]
