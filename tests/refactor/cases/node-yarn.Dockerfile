FROM node:22-bookworm
WORKDIR /app
COPY . .
RUN yarn install --frozen-lockfile && yarn build
CMD ["node", "build/index.js"]
