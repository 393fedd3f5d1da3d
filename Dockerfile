# winfix: the Teams/Slack bot as a container (see README "Build and container", decision 0030).
# Node 24 is the Active LTS line (Node 22 leaves support in April 2027); override with
# --build-arg NODE_IMAGE=node:22-bookworm-slim to stay on the line the tests run closest to.
ARG NODE_IMAGE=node:24-bookworm-slim

# Build stage: every dependency, TypeScript compiled to dist/ with the knowledge base and i18n data.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY bot ./bot
COPY rules ./rules
COPY runs ./runs
COPY connectors ./connectors
COPY cli ./cli
COPY scripts ./scripts
RUN npm run build

# Production stage: production dependencies, dist/ and the launcher only; no sources, no tsx.
FROM ${NODE_IMAGE} AS production
ENV NODE_ENV=production \
    PORT=3978 \
    WINFIX_HOST=0.0.0.0 \
    WINFIX_DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY infra/teams ./infra/teams
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/winfix.js", "serve"]
