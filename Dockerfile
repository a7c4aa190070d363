# Same steps as the README: npm install, npm run build → one binary.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The typed client is an npm workspace: npm ci needs its package.json.
COPY clients/typescript/package.json clients/typescript/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home /data crewbase && mkdir -p /data && chown crewbase /data
COPY --from=build /src/dist/crewbase /usr/local/bin/crewbase
USER crewbase
WORKDIR /data
ENV CREWBASE_DB=/data/crewbase.sqlite PORT=3000 HOST=0.0.0.0
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD ["crewbase", "health"]
ENTRYPOINT ["crewbase"]
CMD ["serve"]
