import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const jsonHeaders = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...extra });

async function login(email: string, password: string) {
  return t.app.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: JSON.stringify({ email, password }), headers: jsonHeaders() });
}

function sessionCookie(response: Awaited<ReturnType<typeof login>>): string {
  const cookie = response.cookies.find((candidate) => candidate.name === 'o2c_session');
  if (cookie === undefined) throw new Error('no session cookie');
  return `o2c_session=${cookie.value}`;
}

async function createUser(email: string, roles: string[]) {
  const response = await t.app.http.inject({
    method: 'POST',
    url: '/api/v1/users',
    payload: JSON.stringify({ email, displayName: email.split('@')[0], password: 'a long password', roles }),
    headers: jsonHeaders(bearer(t.tenant.keys.admin)),
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string; version: number };
}

describe('sign-in sessions', () => {
  it('set an HttpOnly, SameSite=Strict cookie that authenticates the UI', async () => {
    const response = await login(t.tenant.adminEmail.toUpperCase(), t.tenant.password);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((candidate) => candidate.name === 'o2c_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.path).toBe('/');
    const me = await t.app.http.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: sessionCookie(response) } });
    expect(me.json()).toMatchObject({ actor: { type: 'user', roles: ['admin'] }, tenant: { slug: 'acme' } });
  });

  it('end on sign-out', async () => {
    const cookie = sessionCookie(await login(t.tenant.adminEmail, t.tenant.password));
    expect((await t.app.http.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    const after = await t.app.http.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('O2C_SESSION_EXPIRED');
  });

  it('end after the idle time and at the absolute expiry', async () => {
    const idle = sessionCookie(await login(t.tenant.adminEmail, t.tenant.password));
    const absolute = sessionCookie(await login(t.tenant.adminEmail, t.tenant.password));
    const [idleSession, absoluteSession] = await t.database.handle.db
      .selectFrom('sessions')
      .select('id')
      .where('tenant_id', '=', t.tenant.id)
      .where('ended_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(2)
      .execute()
      .then((rows) => [rows[1]!, rows[0]!] as const);
    await t.database.handle.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 61 * 60_000) }).where('id', '=', idleSession.id).execute();
    await t.database.handle.db.updateTable('sessions').set({ absolute_expires_at: new Date(Date.now() - 1000) }).where('id', '=', absoluteSession.id).execute();
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: idle } })).statusCode).toBe(401);
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: absolute } })).statusCode).toBe(401);
  });

  it('refuse a wrong password, an unknown e-mail and a disabled user alike', async () => {
    const user = await createUser('leaver@acme.test', ['sales']);
    const cookie = sessionCookie(await login('leaver@acme.test', 'a long password'));
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    const disabled = await t.app.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      payload: JSON.stringify({ version: user.version, status: 'disabled' }),
      headers: jsonHeaders(bearer(t.tenant.keys.admin)),
    });
    expect(disabled.json().status).toBe('disabled');
    // Disabling ends the user's open sessions at once…
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
    // …and no new one can start.
    const again = await login('leaver@acme.test', 'a long password');
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('O2C_INVALID_CREDENTIALS');
    expect((await login('nobody@acme.test', 'whatever')).json().code).toBe('O2C_INVALID_CREDENTIALS');
  });

  it('refuse further attempts after five failures, even with the right password', async () => {
    await createUser('target@acme.test', ['viewer']);
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await login('target@acme.test', 'wrong password')).statusCode).toBe(401);
    const blocked = await login('target@acme.test', 'a long password');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('O2C_TOO_MANY_ATTEMPTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('user administration', () => {
  it('lets a user change their own password and ends their other sessions', async () => {
    await createUser('changer@acme.test', ['billing']);
    const here = sessionCookie(await login('changer@acme.test', 'a long password'));
    const elsewhere = sessionCookie(await login('changer@acme.test', 'a long password'));
    const wrong = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      payload: JSON.stringify({ currentPassword: 'not it', newPassword: 'another long password' }),
      headers: jsonHeaders({ cookie: here }),
    });
    expect(wrong.statusCode).toBe(422);
    const changed = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      payload: JSON.stringify({ currentPassword: 'a long password', newPassword: 'another long password' }),
      headers: jsonHeaders({ cookie: here }),
    });
    expect(changed.statusCode).toBe(200);
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: here } })).statusCode).toBe(200);
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: elsewhere } })).statusCode).toBe(401);
    expect((await login('changer@acme.test', 'another long password')).statusCode).toBe(200);
  });

  it('refuses a short password and a duplicate e-mail with what to fix', async () => {
    const short = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: JSON.stringify({ email: 'short@acme.test', displayName: 'S', password: 'short', roles: ['viewer'] }),
      headers: jsonHeaders(bearer(t.tenant.keys.admin)),
    });
    expect(short.statusCode).toBe(422);
    expect(short.json().errors).toEqual([{ path: 'body.password', message: 'must have at least 10 characters' }]);
    const duplicate = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: JSON.stringify({ email: 'ADMIN@acme.test', displayName: 'D', password: 'a long password', roles: ['viewer'] }),
      headers: jsonHeaders(bearer(t.tenant.keys.admin)),
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('O2C_ALREADY_EXISTS');
  });

  it('keeps at least one active administrator', async () => {
    const admin = await t.database.handle.db.selectFrom('users').select(['id', 'version']).where('email', '=', t.tenant.adminEmail).executeTakeFirstOrThrow();
    const demote = await t.app.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${admin.id}`,
      payload: JSON.stringify({ version: admin.version, roles: ['viewer'] }),
      headers: jsonHeaders(bearer(t.tenant.keys.admin)),
    });
    expect(demote.statusCode).toBe(422);
    expect(demote.json().code).toBe('O2C_LAST_ADMIN');
  });

  it('answers 409 to an update based on a stale version', async () => {
    const user = await createUser('versioned@acme.test', ['viewer']);
    const patch = (body: object) =>
      t.app.http.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, payload: JSON.stringify(body), headers: jsonHeaders(bearer(t.tenant.keys.admin)) });
    expect((await patch({ version: user.version, displayName: 'First' })).json().version).toBe(user.version + 1);
    const stale = await patch({ version: user.version, displayName: 'Second' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('O2C_VERSION_CONFLICT');
  });
});

describe('tenant profile', () => {
  it('is changed by an admin with its version, validated and audited', async () => {
    const before = (await t.app.http.inject({ method: 'GET', url: '/api/v1/tenant', headers: bearer(t.tenant.keys.viewer) })).json();
    const { id: _id, slug: _slug, updatedAt: _updatedAt, ...profile } = before;
    const put = (body: object, key = t.tenant.keys.admin) =>
      t.app.http.inject({ method: 'PUT', url: '/api/v1/tenant', payload: JSON.stringify(body), headers: jsonHeaders(bearer(key)) });

    const badIban = await put({ ...profile, iban: 'DE00 0000 0000 0000 0000 00' });
    expect(badIban.statusCode).toBe(400);
    expect(badIban.json().errors).toEqual([{ path: 'body.iban', message: expect.stringMatching(/IBAN/) }]);
    const badZone = await put({ ...profile, timeZone: 'Europe/Atlantis', baseCurrency: 'XXY' });
    expect(badZone.json().errors.map((issue: { path: string }) => issue.path).sort()).toEqual(['body.baseCurrency', 'body.timeZone']);

    const updated = await put({ ...profile, legalName: 'Acme Łódź Müller GmbH', iban: 'DE89 3704 0044 0532 0130 00', bic: 'cobadeffxxx' });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ legalName: 'Acme Łódź Müller GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', version: before.version + 1 });
    expect((await put({ ...profile, legalName: 'Stale' })).statusCode).toBe(409);

    const audit = (await t.app.http.inject({ method: 'GET', url: '/api/v1/audit-events?action=tenant.profile_updated', headers: bearer(t.tenant.keys.controller) })).json();
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actorType: 'api_key', entityId: t.tenant.id, before: { legalName: before.legalName }, after: { legalName: 'Acme Łódź Müller GmbH' } });
    expect(audit.items[0].requestId).toEqual(expect.any(String));
  });
});
