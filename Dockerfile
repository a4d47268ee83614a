# One image for both deployables; the command picks api or worker.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN npm install -g pnpm@9.15.9
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build && pnpm prune --prod

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
COPY --from=build /app /app
USER node
CMD ["node", "packages/api/dist/main.js"]
