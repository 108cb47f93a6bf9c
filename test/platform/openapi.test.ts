import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue } from '../../src/platform/errors/catalogue';
import { startTestApp, type TestApp } from '../support/app';

let t: TestApp;
let document: {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, unknown>; parameters?: Array<{ in: string; name: string }>; description?: string }>>;
  components: { schemas: Record<string, unknown> };
};
beforeAll(async () => {
  t = await startTestApp();
  document = (await t.app.http.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
});
afterAll(async () => t.close());

const operations = () =>
  Object.entries(document.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, operation]) => ({ path, method, operation })));

/** Follows $refs into components and walks every object schema. */
function objectSchemas(schema: unknown, seen = new Set<unknown>()): Array<Record<string, unknown>> {
  if (schema === null || typeof schema !== 'object' || seen.has(schema)) return [];
  seen.add(schema);
  const node = schema as Record<string, unknown>;
  if (typeof node.$ref === 'string') return objectSchemas(document.components.schemas[node.$ref.split('/').pop()!], seen);
  const nested = Object.values(node).flatMap((value) =>
    Array.isArray(value) ? value.flatMap((item) => objectSchemas(item, seen)) : objectSchemas(value, seen),
  );
  return node.type === 'object' ? [node, ...nested] : nested;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and served without credentials, with the docs page', async () => {
    expect(document.openapi).toBe('3.1.0');
    const docs = await t.app.http.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('documents the problem responses on every operation', () => {
    for (const { path, method, operation } of operations()) {
      for (const status of ['400', '401', '403', '404', '409', '422', '500']) {
        expect({ path, method, status, documented: status in operation.responses }).toEqual({ path, method, status, documented: true });
      }
    }
  });

  it('refuses unknown fields in every request body object', () => {
    let checked = 0;
    for (const { path, method, operation } of operations()) {
      const schema = operation.requestBody?.content['application/json']?.schema;
      for (const object of objectSchemas(schema)) {
        expect({ path, method, additionalProperties: object.additionalProperties }).toEqual({ path, method, additionalProperties: false });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });

  it('offers Idempotency-Key on every authenticated POST and names the roles of each operation', () => {
    for (const { path, method, operation } of operations()) {
      if (path === '/api/v1/auth/login') continue;
      expect(operation.description ?? '').toMatch(/Allowed roles: /);
      if (method !== 'post') continue;
      const header = operation.parameters?.find((parameter) => parameter.in === 'header' && parameter.name === 'idempotency-key');
      expect({ path, header: header !== undefined }).toEqual({ path, header: true });
    }
  });

  it('uses only codes from the error catalogue, each with a 4xx or 5xx status', () => {
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      expect(code).toMatch(/^O2C_[A-Z_]+$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
    }
  });
});

describe('docs/ERRORS.md', () => {
  it('lists exactly the error catalogue (npm run docs:errors regenerates it)', async () => {
    const fs = await import('node:fs');
    const { renderErrorCatalogue } = await import('../../src/platform/errors/catalogue-doc');
    expect(fs.readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8')).toBe(renderErrorCatalogue());
  });
});
