# Docent: Node 20 on Debian. Build stage compiles better-sqlite3 if no prebuilt binary can be fetched.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# Slack in HTTP mode: POST /slack/events and GET /healthz (SLACK_PORT).
EXPOSE 3000
# node directly (not npm start) so SIGTERM reaches Docent and it can finish in-flight work.
CMD ["node", "--import", "tsx", "src/main.ts"]
