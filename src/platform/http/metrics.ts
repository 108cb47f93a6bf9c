import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HttpApp } from './types';

/**
 * Prometheus metrics at /metrics: request latency histograms by method, route
 * pattern and status, plus the process defaults. Reading them needs the admin or
 * controller role (a scraper uses an API key).
 */
export function installMetrics(app: HttpApp): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const latency = new Histogram({
    name: 'o2c_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    latency.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get(
    '/metrics',
    { config: { access: { roles: ['admin', 'controller'] } }, schema: { hide: true } },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
}
