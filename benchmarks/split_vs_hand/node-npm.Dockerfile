FROM node:18 AS build
WORKDIR /app
COPY package.json .
RUN npm install --omit=dev --no-audit --no-fund
COPY . .

FROM node:18-slim
WORKDIR /app
COPY --from=build /app /app
CMD ["node", "index.js", "npm"]
