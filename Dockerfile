# Docent: Node 24 (the active LTS) on Debian. Build stage compiles better-sqlite3 if no prebuilt binary can be fetched.
FROM node:24-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HEALTH_PORT=8080
# A CJK font: offline OCR tells Simplified from Traditional Chinese by drawing both readings (han-script.ts).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# GET /healthz in every mode (Discord, Slack, console) on 127.0.0.1:HEALTH_PORT, inside the container only.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Slack in HTTP mode only: POST /slack/events and GET /healthz (SLACK_PORT); publish it then (docker-compose.slack-http.yml).
EXPOSE 3000
# node directly (not npm start) so SIGTERM reaches Docent and it can finish in-flight work.
CMD ["node", "--import", "tsx", "src/main.ts"]
