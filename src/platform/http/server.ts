import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyPluginAsync, type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { z } from 'zod';
import { newId } from '../../kernel';
import { AppError, type FieldIssue } from '../errors/app-error';
import { installAccessControl } from './access';
import { sendProblem, toProblem } from './error-handler';
import { installMetrics } from './metrics';
import './validation-messages';
import { buildProblem, documentedErrorStatuses, problemSchema } from './problem';
import type { HttpApp, RouteDependencies } from './types';

export interface HttpServerOptions extends RouteDependencies {
  readonly logger: Logger;
  /** Route plugins of the platform and the modules, registered under /api/v1. */
  readonly apiPlugins: ReadonlyArray<FastifyPluginAsync<RouteDependencies>>;
  /** Built web UI (index.html and assets); served at / when present. */
  readonly webRoot: string;
  readonly version: string;
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

export async function createHttpServer(options: HttpServerOptions): Promise<HttpApp> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.config.bodyLimitBytes,
    trustProxy: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : newId();
    },
    // Zod decides: no coercion, unknown fields refused by strict object schemas.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Only JSON bodies are read; anything else is 415 (a cross-site form cannot post JSON).
  app.removeContentTypeParser('text/plain');
  // CSV uploads (order imports) arrive as text; the route's schema decides what it accepts.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  // Uploaded files (proof of delivery) arrive as raw bytes; the route checks the content, not the header.
  app.addContentTypeParser(['application/pdf', 'image/png', 'image/jpeg', 'application/octet-stream'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.addHook('onRoute', (route: RouteOptions) => documentRoute(route));
  app.addHook('preValidation', async (request) => refuseNulCharacters(request));
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', String(request.id));
  });
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.retryAfterSeconds !== undefined) void reply.header('retry-after', String(problem.retryAfterSeconds));
    return sendProblem(reply, problem);
  });

  await app.register(fastifyCookie);
  installAccessControl(app, options.db, options.sessionPolicy);
  installMetrics(app);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'o2c API',
        version: options.version,
        description:
          'The order-to-cash API. Money is a decimal string in major units with the currency on the document; errors are RFC 9457 problems with a stable `code`.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key created by an administrator: o2c_<prefix>_<secret>.' },
          session: { type: 'apiKey', in: 'cookie', name: 'o2c_session', description: 'The web UI session cookie from POST /api/v1/auth/login.' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  const publicRoute = { access: { public: true } } as const;
  app.get('/health', { config: publicRoute, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { config: publicRoute, schema: { hide: true } }, async (_request, reply) => {
    try {
      await options.db.selectFrom('tenants').select('id').limit(1).execute();
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'database unavailable' });
    }
  });
  app.get('/api/v1/openapi.json', { config: publicRoute, schema: { hide: true } }, async () => app.swagger());
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
    staticCSP: true,
    uiHooks: {},
  });

  await app.register(
    async (api) => {
      for (const plugin of options.apiPlugins) await api.register(plugin, options);
    },
    { prefix: '/api/v1' },
  );

  await serveWebUi(app, options.webRoot);
  return app;
}

/**
 * Adds the problem responses every route can give to its OpenAPI entry, and the
 * Idempotency-Key header to every POST. Swagger UI's own routes are public static
 * files and get their access declaration here.
 */
function documentRoute(route: RouteOptions): void {
  if (route.url.startsWith('/docs')) {
    route.config = { ...route.config, access: { public: true } };
    return;
  }
  if (route.schema === undefined || route.schema.hide === true) return;
  const access = route.config?.access;
  if (access !== undefined && 'roles' in access) {
    const who = `Allowed roles: ${access.roles.join(', ')}.`;
    route.schema.description = route.schema.description === undefined ? who : `${route.schema.description}\n\n${who}`;
  }
  const response = (route.schema.response ?? {}) as Record<string, unknown>;
  for (const status of documentedErrorStatuses) response[status] ??= problemSchema;
  route.schema.response = response;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (methods.includes('POST') && route.schema.headers === undefined && !('public' in (route.config?.access ?? {}))) {
    route.schema.headers = z.looseObject({
      'idempotency-key': z
        .string()
        .min(1)
        .max(255)
        .optional()
        .describe('Makes the request safe to retry: the same key with the same body has its effect once and gets the same answer.'),
    });
  }
}

async function serveWebUi(app: HttpApp, webRoot: string): Promise<void> {
  const hasUi = fs.existsSync(path.join(webRoot, 'index.html'));
  // The plugin only adds reply.sendFile; the routes below are declared here, public.
  if (hasUi) await app.register(fastifyStatic, { root: webRoot, serve: false });
  const accessFor = { access: { public: true } } as const;
  const appShell = (reply: FastifyReply) => (hasUi ? reply.type('text/html').sendFile('index.html') : reply.type('text/html').send(missingUiPage));
  const notFoundProblem = (request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(
      reply,
      buildProblem('O2C_ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`, {
        instance: request.url,
        requestId: String(request.id),
      }),
    );
  const wantsPage = (request: FastifyRequest) =>
    request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');

  app.get('/', { config: accessFor, schema: { hide: true } }, async (_request, reply) => appShell(reply));
  app.get('/assets/*', { config: accessFor, schema: { hide: true } }, async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    if (!hasUi || !isPlainFile(webRoot, path.join('assets', file))) return notFoundProblem(request, reply);
    return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path.posix.join('assets', file));
  });
  // Files at the top of the build (favicon …), else a client-side route of the UI.
  app.get('/:file', { config: accessFor, schema: { hide: true } }, async (request, reply) => {
    const file = (request.params as { file: string }).file;
    if (hasUi && isPlainFile(webRoot, file)) return reply.sendFile(file);
    return wantsPage(request) ? appShell(reply) : notFoundProblem(request, reply);
  });
  app.setNotFoundHandler({}, async (request, reply) => (wantsPage(request) ? appShell(reply) : notFoundProblem(request, reply)));
}

/**
 * PostgreSQL text cannot hold U+0000, so a string carrying it is refused at the
 * door with its path, rather than failing deep inside a write.
 */
function refuseNulCharacters(request: FastifyRequest): void {
  const issues: FieldIssue[] = [];
  const visit = (value: unknown, path: string, depth: number): void => {
    if (issues.length >= 20 || depth > 64) return;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) issues.push({ path, message: 'must not contain the NUL character (U+0000)' });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}.${index}`, depth + 1));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`, depth + 1);
    }
  };
  visit(request.body, 'body', 0);
  visit(request.query, 'query', 0);
  visit(request.params, 'params', 0);
  if (issues.length > 0) {
    throw new AppError('O2C_VALIDATION_FAILED', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues);
  }
}

/** A regular file inside the web root, with no way out of it. */
function isPlainFile(root: string, relative: string): boolean {
  const full = path.resolve(root, relative);
  if (!full.startsWith(path.resolve(root) + path.sep)) return false;
  try {
    return fs.statSync(full).isFile();
  } catch {
    return false;
  }
}

const missingUiPage =
  '<!doctype html><title>o2c</title><p>The web UI is not built. Run <code>npm run build:web</code> (npm start does this) and reload.</p>';

