import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../src/platform/auth/roles';
import { bearer, createTestTenant, startTestApp, type TestApp, type TestTenant } from '../../support/app';

let t: TestApp;
let other: TestTenant;
beforeAll(async () => {
  t = await startTestApp();
  other = await createTestTenant(t.database.handle, 'other');
});
afterAll(async () => t.close());

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

async function call(method: Method, url: string, role: Role, body?: unknown, tenant: TestTenant = t.tenant) {
  const response = await t.app.http.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...bearer(tenant.keys[role]), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: response.statusCode, body: response.json() };
}

const billing = { kind: 'billing', name: 'Müller Elektrotechnik GmbH', line1: 'Leopoldstraße 52', postalCode: '80802', city: 'München', countryCode: 'DE' };
const shipping = { kind: 'shipping', name: 'Lager Garching', line1: 'Lichtenbergstraße 8', line2: 'Tor 3', postalCode: '85748', city: 'Garching', countryCode: 'DE' };

function germanCustomer(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Müller Elektrotechnik',
    legalName: 'Müller Elektrotechnik GmbH',
    vatId: 'DE 136 695 976',
    countryCode: 'DE',
    currency: 'EUR',
    language: 'de',
    paymentTermsCode: 'net30',
    addresses: [billing, shipping],
    contacts: [{ name: 'Jürgen Müller', email: 'einkauf@mueller.example', roles: ['orders', 'invoices'] }],
    bankAccounts: [{ iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' }],
    ...overrides,
  };
}

async function createCustomer(overrides: Record<string, unknown> = {}, role: Role = 'sales', tenant: TestTenant = t.tenant) {
  const response = await call('POST', '/customers', role, germanCustomer(overrides), tenant);
  expect(response.status).toBe(201);
  return response.body as { id: string; number: string; version: number; addresses: Array<{ id: string; kind: string }>; [key: string]: unknown };
}

/** Rows that a refused request must leave as they were. */
async function footprint() {
  const db = t.database.handle.db;
  const [customers, addresses, contacts, accounts, counters, audit] = await Promise.all([
    db.selectFrom('customers').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('customer_addresses').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('customer_contacts').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('customer_bank_accounts').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('number_series_counters').select(['tenant_id', 'last_value']).where('series', '=', 'customer').orderBy('tenant_id').execute(),
    db.selectFrom('audit_events').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { customers: customers.n, addresses: addresses.n, contacts: contacts.n, accounts: accounts.n, counters, audit: audit.n };
}

async function customerRow(id: string) {
  return t.database.handle.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('payment terms', () => {
  it('every new tenant starts with NET14, NET30, 2/10NET30, EOM30 and PREPAY', async () => {
    const { status, body } = await call('GET', '/payment-terms?limit=200', 'viewer');
    expect(status).toBe(200);
    const byCode = Object.fromEntries((body.items as Array<{ code: string }>).map((terms) => [terms.code, terms]));
    expect(Object.keys(byCode).sort()).toEqual(['2/10NET30', 'EOM30', 'NET14', 'NET30', 'PREPAY']);
    expect(byCode['2/10NET30']).toMatchObject({ netDays: 30, basis: 'invoice_date', discountPercent: '2.00', discountDays: 10, active: true, version: 1 });
    expect(byCode.EOM30).toMatchObject({ netDays: 30, basis: 'end_of_month', discountPercent: null, discountDays: null });
    expect(byCode.PREPAY).toMatchObject({ netDays: 0, basis: 'invoice_date' });
  });

  it('are created, read and changed by admins and controllers, with versions', async () => {
    const created = await call('POST', '/payment-terms', 'controller', { code: '3/14net60', name: '3 % in 14 days, 60 net', netDays: 60, discountPercent: '3', discountDays: 14 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: '3/14NET60', basis: 'invoice_date', discountPercent: '3.00', discountDays: 14, version: 1 });
    const read = await call('GET', `/payment-terms/${created.body.id}`, 'viewer');
    expect(read.body).toEqual(created.body);
    const changed = await call('PATCH', `/payment-terms/${created.body.id}`, 'admin', { version: 1, netDays: 45, basis: 'end_of_month' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ netDays: 45, basis: 'end_of_month', discountDays: 14, version: 2 });
    const stale = await call('PATCH', `/payment-terms/${created.body.id}`, 'admin', { version: 1, name: 'x' });
    expect(stale).toMatchObject({ status: 409, body: { code: 'O2C_VERSION_CONFLICT' } });
    const withoutDiscount = await call('PATCH', `/payment-terms/${created.body.id}`, 'admin', { version: 2, discountPercent: null, discountDays: null });
    expect(withoutDiscount.body).toMatchObject({ discountPercent: null, discountDays: null, version: 3 });
  });

  it('refuse a duplicate code and inconsistent discounts, writing nothing', async () => {
    const before = await footprint();
    const count = async () => (await t.database.handle.db.selectFrom('payment_terms').select('id').where('tenant_id', '=', t.tenant.id).execute()).length;
    const terms = await count();
    expect(await call('POST', '/payment-terms', 'admin', { code: 'NET30', name: 'again', netDays: 30 })).toMatchObject({
      status: 409,
      body: { code: 'O2C_ALREADY_EXISTS', errors: [{ path: 'body.code' }] },
    });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ discountPercent: '2' }, 'body.discountDays'],
      [{ discountDays: 10 }, 'body.discountPercent'],
      [{ discountPercent: '2', discountDays: 30 }, 'body.discountDays'],
      [{ discountPercent: '0', discountDays: 10 }, 'body.discountPercent'],
      [{ discountPercent: '2.125', discountDays: 10 }, 'body.discountPercent'],
      [{ discountPercent: 2, discountDays: 10 }, 'body.discountPercent'],
      [{ netDays: 400 }, 'body.netDays'],
      [{ basis: 'next_full_moon' }, 'body.basis'],
      [{ code: 'NET 30' }, 'body.code'],
    ];
    for (const [change, path] of cases) {
      const response = await call('POST', '/payment-terms', 'admin', { code: 'NEW', name: 'new', netDays: 30, ...change });
      expect({ change, status: response.status, paths: response.body.errors.map((issue: { path: string }) => issue.path) }).toEqual({ change, status: 400, paths: [path] });
    }
    expect(await count()).toBe(terms);
    expect((await footprint()).audit).toBe(before.audit);
  });

  it('when inactive, stay on their customers but cannot be given to others', async () => {
    const terms = await call('POST', '/payment-terms', 'admin', { code: 'NET60', name: '60 days net', netDays: 60 });
    const customer = await createCustomer({ paymentTermsCode: 'NET60' });
    await call('PATCH', `/payment-terms/${terms.body.id}`, 'admin', { version: 1, active: false });
    expect((await call('GET', `/customers/${customer.id}`, 'viewer')).body.paymentTermsCode).toBe('NET60');
    const refused = await call('POST', '/customers', 'sales', germanCustomer({ paymentTermsCode: 'NET60' }));
    expect(refused).toMatchObject({ status: 422, body: { code: 'O2C_BUSINESS_RULE', errors: [{ path: 'body.paymentTermsCode' }] } });
    const renamed = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 1, name: 'Still NET60', paymentTermsCode: 'NET60' });
    expect(renamed.status).toBe(200);
    const inactiveList = await call('GET', '/payment-terms?active=false', 'viewer');
    expect(inactiveList.body.items.map((item: { code: string }) => item.code)).toEqual(['NET60']);
  });
});

describe('creating customers', () => {
  it('numbers them from the customer series, normalises the VAT id and IBAN, and stores the children', async () => {
    const first = await createCustomer();
    const second = await createCustomer({ name: 'Zweite Kundin' });
    expect(first.number).toMatch(/^C\d{6}$/);
    expect(Number(second.number.slice(1))).toBe(Number(first.number.slice(1)) + 1);
    expect(first).toMatchObject({
      name: 'Müller Elektrotechnik',
      legalName: 'Müller Elektrotechnik GmbH',
      vatId: 'DE136695976',
      countryCode: 'DE',
      currency: 'EUR',
      language: 'de',
      paymentTermsCode: 'NET30',
      priceListId: null,
      creditLimit: null,
      invoicingMoment: 'shipment',
      invoiceGrouping: 'per_shipment',
      status: 'active',
      blockedReason: null,
      version: 1,
      addresses: [
        { ...billing, line2: null, isDefault: true, id: expect.any(String) },
        { ...shipping, isDefault: true, id: expect.any(String) },
      ],
      contacts: [{ name: 'Jürgen Müller', email: 'einkauf@mueller.example', phone: null, roles: ['orders', 'invoices'] }],
      bankAccounts: [{ iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', accountHolder: 'Müller Elektrotechnik GmbH' }],
    });
    const audit = await t.database.handle.db.selectFrom('audit_events').select('action').where('entity_id', '=', first.id).execute();
    expect(audit.map((event) => event.action)).toEqual(['customer.created']);
  });

  it('starts each tenant’s numbers at C000001', async () => {
    const theirs = await createCustomer({}, 'sales', other);
    expect(theirs.number).toBe('C000001');
  });

  it('defaults the legal name to the name, and takes the invoicing moment and language given', async () => {
    const customer = await createCustomer({ legalName: undefined, name: 'Jansen Thuiswinkel', vatId: null, countryCode: 'NL', language: 'nl', invoicingMoment: 'delivery', contacts: [], bankAccounts: [] });
    expect(customer).toMatchObject({ legalName: 'Jansen Thuiswinkel', vatId: null, invoicingMoment: 'delivery', contacts: [], bankAccounts: [] });
  });

  it('collects invoices per shipment unless told daily, and stores the grouping given', async () => {
    const customer = await createCustomer({ name: 'Tagesrechnung GmbH', invoiceGrouping: 'daily' });
    expect(customer.invoiceGrouping).toBe('daily');
    expect((await customerRow(customer.id)).invoice_grouping).toBe('daily');
    expect((await call('GET', `/customers/${customer.id}`, 'viewer')).body.invoiceGrouping).toBe('daily');
    const listed = await call('GET', `/customers?q=${encodeURIComponent('Tagesrechnung')}`, 'viewer');
    expect(listed.body.items.map((item: { invoiceGrouping: string }) => item.invoiceGrouping)).toEqual(['daily']);
    expect((await customerRow((await createCustomer()).id)).invoice_grouping).toBe('per_shipment');
  });

  it('lets only admin or credit set a credit limit when creating', async () => {
    const before = await footprint();
    const refused = await call('POST', '/customers', 'sales', germanCustomer({ creditLimit: '50000.00' }));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'O2C_FORBIDDEN', detail: expect.stringMatching(/credit limit needs the admin or credit role/) });
    expect(await footprint()).toEqual(before);
    const accepted = await call('POST', '/customers', 'admin', germanCustomer({ creditLimit: '50000' }));
    expect(accepted.body.creditLimit).toBe('50000.00');
    const row = await customerRow(accepted.body.id);
    expect(row.credit_limit_minor).toBe(5_000_000n);
  });

  it('answers each bad input with a 4xx naming the path, and writes nothing', async () => {
    const cases: Array<[Record<string, unknown>, number, string, RegExp?]> = [
      [{ vatId: 'DE123456789' }, 400, 'body.vatId', /check digits/],
      [{ vatId: 'DE12345' }, 400, 'body.vatId', /DE followed by 9 digits/],
      [{ vatId: 'FR40303265045' }, 400, 'body.vatId', /VAT id of FR/],
      [{ vatId: 'GR094259216', countryCode: 'GR' }, 400, 'body.vatId', /EL/],
      [{ countryCode: 'XX' }, 400, 'body.countryCode'],
      [{ countryCode: 'de' }, 400, 'body.countryCode'],
      [{ currency: 'XXX' }, 400, 'body.currency'],
      [{ currency: 'eur' }, 400, 'body.currency'],
      [{ language: 'xx' }, 400, 'body.language'],
      [{ language: 'de-DE' }, 400, 'body.language'],
      [{ creditLimit: '-5.00' }, 400, 'body.creditLimit', /negative/],
      [{ creditLimit: '10.001' }, 400, 'body.creditLimit', /at most 2 decimals/],
      [{ creditLimit: 5000 }, 400, 'body.creditLimit'],
      [{ creditLimit: '1e6' }, 400, 'body.creditLimit'],
      [{ paymentTermsCode: 'NET99' }, 400, 'body.paymentTermsCode'],
      [{ priceListId: '01900000-0000-7000-8000-000000000000' }, 400, 'body.priceListId'],
      [{ priceListId: 'not-a-uuid' }, 400, 'body.priceListId'],
      [{ addresses: [billing] }, 400, 'body.addresses', /at least one shipping address/],
      [{ addresses: [shipping] }, 400, 'body.addresses', /exactly one billing address/],
      [{ addresses: [billing, billing, shipping] }, 400, 'body.addresses', /exactly one billing address/],
      [{ addresses: [billing, shipping, shipping] }, 400, 'body.addresses', /default/],
      [{ addresses: [] }, 400, 'body.addresses'],
      [{ addresses: [{ ...billing, countryCode: 'XX' }, shipping] }, 400, 'body.addresses.0.countryCode'],
      [{ addresses: [billing, { ...shipping, city: '' }] }, 400, 'body.addresses.1.city'],
      [{ addresses: [billing, { ...shipping, id: '01900000-0000-7000-8000-000000000000' }] }, 400, 'body.addresses.1'],
      [{ contacts: [{ name: 'No Mail', roles: ['invoices'] }] }, 400, 'body.contacts.0.email', /invoices/],
      [{ contacts: [{ name: 'Bad Role', email: 'a@b.example', roles: ['cooking'] }] }, 400, 'body.contacts.0.roles.0'],
      [{ contacts: [{ name: 'Bad Mail', email: 'not-an-address', roles: [] }] }, 400, 'body.contacts.0.email'],
      [{ bankAccounts: [{ iban: 'DE89370400440532013001' }] }, 400, 'body.bankAccounts.0.iban', /IBAN/],
      [{ bankAccounts: [{ iban: 'DE89370400440532013000', bic: 'XYZ' }] }, 400, 'body.bankAccounts.0.bic'],
      [{ bankAccounts: [{ iban: 'DE89370400440532013000' }, { iban: 'DE89 3704 0044 0532 0130 00' }] }, 400, 'body.bankAccounts.1.iban', /repeats/],
      [{ name: '' }, 400, 'body.name'],
      [{ invoiceGrouping: 'weekly' }, 400, 'body.invoiceGrouping'],
      [{ invoiceGrouping: null }, 400, 'body.invoiceGrouping'],
      [{ tenantId: other.id }, 400, 'body'],
    ];
    const before = await footprint();
    for (const [change, status, path, message] of cases) {
      const response = await call('POST', '/customers', 'admin', germanCustomer(change));
      const issue = (response.body.errors as Array<{ path: string; message: string }> | undefined)?.find((entry) => entry.path === path);
      expect({ change, status: response.status, path: issue?.path }).toEqual({ change, status, path });
      if (message !== undefined) expect(issue?.message).toMatch(message);
    }
    expect(await footprint()).toEqual(before);
  });

  it('never answers 5xx to hostile values that pass the schema, and writes nothing when it refuses', async () => {
    const hostile = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).filter((text) => !text.includes('\u0000'));
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          vatId: fc.oneof(hostile, fc.constantFrom('DE136695976', 'EL094259216', 'CHE116281710', 'ATU1358562')),
          countryCode: fc.stringMatching(/^[A-Z]{2}$/),
          currency: fc.stringMatching(/^[A-Z]{3}$/),
          language: fc.stringMatching(/^[a-z]{2,3}$/),
          creditLimit: fc.oneof(fc.stringMatching(/^-?\d{1,35}(\.\d{1,4})?$/), fc.constant(null)),
          iban: hostile,
          bic: fc.option(fc.string({ maxLength: 20 }), { nil: null }),
          city: hostile,
        }),
        async (values) => {
          const before = await footprint();
          const response = await call(
            'POST',
            '/customers',
            'admin',
            germanCustomer({
              vatId: values.vatId,
              countryCode: values.countryCode,
              currency: values.currency,
              language: values.language,
              creditLimit: values.creditLimit,
              bankAccounts: [{ iban: values.iban, bic: values.bic }],
              addresses: [{ ...billing, city: values.city }, shipping],
            }),
          );
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) expect(await footprint()).toEqual(before);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('has its effect once for a repeated Idempotency-Key', async () => {
    const headers = { ...bearer(t.tenant.keys.sales), 'content-type': 'application/json', 'idempotency-key': 'create-customer-1' };
    const payload = JSON.stringify(germanCustomer({ name: 'Einmalig GmbH' }));
    const first = await t.app.http.inject({ method: 'POST', url: '/api/v1/customers', headers, payload });
    const second = await t.app.http.inject({ method: 'POST', url: '/api/v1/customers', headers, payload });
    expect(first.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    const rows = await t.database.handle.db.selectFrom('customers').select('id').where('name', '=', 'Einmalig GmbH').execute();
    expect(rows).toHaveLength(1);
  });
});

describe('changing customers', () => {
  it('changes fields at the version read and answers 409 to a stale version', async () => {
    const customer = await createCustomer();
    const changed = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 1, name: 'Müller Elektro', invoicingMoment: 'delivery', paymentTermsCode: 'EOM30' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Müller Elektro', invoicingMoment: 'delivery', paymentTermsCode: 'EOM30', version: 2 });
    const stale = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 1, name: 'Lost update' });
    expect(stale).toMatchObject({ status: 409, body: { code: 'O2C_VERSION_CONFLICT' } });
    expect((await customerRow(customer.id)).name).toBe('Müller Elektro');
    const unchanged = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 2, name: 'Müller Elektro' });
    expect(unchanged.body.version).toBe(2);
  });

  it('changes the invoice grouping both ways; only admin or sales may, and an unknown grouping is a 400', async () => {
    const customer = await createCustomer();
    expect(customer.invoiceGrouping).toBe('per_shipment');
    const daily = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 1, invoiceGrouping: 'daily' });
    expect(daily).toMatchObject({ status: 200, body: { invoiceGrouping: 'daily', invoicingMoment: 'shipment', version: 2 } });
    expect((await call('GET', `/customers/${customer.id}`, 'viewer')).body).toMatchObject({ invoiceGrouping: 'daily', version: 2 });
    const unknown = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 2, invoiceGrouping: 'monthly' });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'O2C_VALIDATION_FAILED', errors: [{ path: 'body.invoiceGrouping' }] } });
    const byCredit = await call('PATCH', `/customers/${customer.id}`, 'credit', { version: 2, invoiceGrouping: 'per_shipment' });
    expect(byCredit).toMatchObject({ status: 403, body: { code: 'O2C_FORBIDDEN', errors: [{ path: 'body.invoiceGrouping' }] } });
    expect(await customerRow(customer.id)).toMatchObject({ invoice_grouping: 'daily', version: 2 });
    const back = await call('PATCH', `/customers/${customer.id}`, 'admin', { version: 2, invoiceGrouping: 'per_shipment' });
    expect(back.body).toMatchObject({ invoiceGrouping: 'per_shipment', version: 3 });
    const audit = await t.database.handle.db.selectFrom('audit_events').select('action').where('entity_id', '=', customer.id).where('action', '=', 'customer.updated').execute();
    expect(audit).toHaveLength(2);
  });

  it('leaves credit limits to credit management, and the rest to admin or sales', async () => {
    const customer = await createCustomer();
    for (const role of ['sales', 'credit', 'admin'] as const) {
      const refused = await call('PATCH', `/customers/${customer.id}`, role, { version: 1, creditLimit: '10000.00' });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'O2C_BUSINESS_RULE', detail: expect.stringMatching(/credit manager with a reason: PUT \/api\/v1\/credit\/customers\//), errors: [{ path: 'body.creditLimit' }] });
    }
    const byCredit = await call('PUT', `/credit/customers/${customer.id}/limit`, 'credit', { limit: '10000.00', reason: 'opening limit' });
    expect(byCredit.status).toBe(200);
    const creditRenames = await call('PATCH', `/customers/${customer.id}`, 'credit', { version: 2, name: 'Renamed by credit' });
    expect(creditRenames).toMatchObject({ status: 403, body: { code: 'O2C_FORBIDDEN', errors: [{ path: 'body.name' }] } });
    // Sending the unchanged limit is no change of it.
    const salesWithSameLimit = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 2, name: 'Renamed by sales', creditLimit: '10000' });
    expect(salesWithSameLimit.body).toMatchObject({ name: 'Renamed by sales', creditLimit: '10000.00', version: 3 });
    const salesRemovesLimit = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 3, creditLimit: null });
    expect(salesRemovesLimit.status).toBe(422);
  });

  it('checks the VAT id against the country it ends up with', async () => {
    const customer = await createCustomer();
    const toFrance = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 1, countryCode: 'FR' });
    expect(toFrance).toMatchObject({ status: 400, body: { errors: [{ path: 'body.countryCode', message: expect.stringMatching(/FR followed by/) }] } });
    const withFrenchVat = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 1, countryCode: 'FR', vatId: 'FR 40 303 265 045', language: 'fr' });
    expect(withFrenchVat.body).toMatchObject({ countryCode: 'FR', vatId: 'FR40303265045', language: 'fr', version: 2 });
    const badVat = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 2, vatId: 'FR4030326504' });
    expect(badVat).toMatchObject({ status: 400, body: { errors: [{ path: 'body.vatId' }] } });
    const noVat = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 2, vatId: null });
    expect(noVat.body.vatId).toBeNull();
  });

  it('needs the credit limit restated when the currency changes', async () => {
    const customer = await createCustomer({ creditLimit: '1000.00' }, 'admin');
    const before = await footprint();
    const refused = await call('PATCH', `/customers/${customer.id}`, 'admin', { version: 1, currency: 'USD' });
    expect(refused).toMatchObject({ status: 422, body: { code: 'O2C_BUSINESS_RULE', errors: [{ path: 'body.creditLimit' }] } });
    const salesRestates = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 1, currency: 'USD', creditLimit: '1000.00' });
    expect(salesRestates.status).toBe(403);
    expect(await footprint()).toEqual(before);
    const restated = await call('PATCH', `/customers/${customer.id}`, 'admin', { version: 1, currency: 'JPY', creditLimit: '150000' });
    expect(restated.body).toMatchObject({ currency: 'JPY', creditLimit: '150000', version: 2 });
    expect((await customerRow(customer.id)).credit_limit_minor).toBe(150_000n);
  });

  it('refuses bad values with their path and leaves the customer as it was', async () => {
    const customer = await createCustomer();
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ countryCode: 'XX' }, 400, 'body.countryCode'],
      [{ currency: 'ABC' }, 400, 'body.currency'],
      [{ language: 'qq' }, 400, 'body.language'],
      [{ paymentTermsCode: 'NOPE' }, 400, 'body.paymentTermsCode'],
      [{ priceListId: '01900000-0000-7000-8000-000000000000' }, 400, 'body.priceListId'],
      [{ name: '' }, 400, 'body.name'],
      [{ invoiceGrouping: 'monthly' }, 400, 'body.invoiceGrouping'],
      [{ status: 'archived' }, 400, 'body'],
      [{ version: '1' }, 400, 'body.version'],
    ];
    for (const [change, status, path] of cases) {
      const response = await call('PATCH', `/customers/${customer.id}`, 'admin', { version: 1, ...change });
      expect({ change, status: response.status, paths: response.body.errors?.map((issue: { path: string }) => issue.path) }).toEqual({ change, status, paths: [path] });
    }
    expect((await customerRow(customer.id)).version).toBe(1);
  });
});

describe('replacing addresses, contacts and bank accounts', () => {
  it('replaces the addresses, keeps the ids sent back and bumps the version', async () => {
    const customer = await createCustomer();
    const billingAddress = customer.addresses[0]!;
    const shippingAddress = customer.addresses[1]!;
    const second = { kind: 'shipping', name: 'Baustelle Augsburg', line1: 'Haunstetter Straße 112', postalCode: '86161', city: 'Augsburg', countryCode: 'DE', isDefault: true };
    const replaced = await call('PUT', `/customers/${customer.id}/addresses`, 'sales', {
      version: 1,
      addresses: [{ ...billing, id: billingAddress.id }, { ...shipping, id: shippingAddress.id, isDefault: false }, second],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.version).toBe(2);
    expect(replaced.body.addresses.map((address: { id: string; isDefault: boolean; city: string }) => [address.id, address.isDefault, address.city])).toEqual([
      [billingAddress.id, true, 'München'],
      [shippingAddress.id, false, 'Garching'],
      [expect.any(String), true, 'Augsburg'],
    ]);
    const stale = await call('PUT', `/customers/${customer.id}/addresses`, 'sales', { version: 1, addresses: [billing, shipping] });
    expect(stale).toMatchObject({ status: 409, body: { code: 'O2C_VERSION_CONFLICT' } });
  });

  it('refuses a broken address set or foreign ids and changes nothing', async () => {
    const customer = await createCustomer();
    const someoneElse = await createCustomer({ name: 'Andere GmbH' });
    const before = await footprint();
    const cases: Array<[unknown[], string]> = [
      [[billing], 'body.addresses'],
      [[shipping, shipping], 'body.addresses'],
      [[billing, { ...shipping, id: someoneElse.addresses[1]!.id }], 'body.addresses.1.id'],
      [[{ ...billing, id: customer.addresses[0]!.id }, { ...shipping, id: customer.addresses[0]!.id }], 'body.addresses.1.id'],
      [[billing, { ...shipping, postalCode: 'x'.repeat(21) }], 'body.addresses.1.postalCode'],
    ];
    for (const [addresses, path] of cases) {
      const response = await call('PUT', `/customers/${customer.id}/addresses`, 'sales', { version: 1, addresses });
      const paths = [...new Set(response.body.errors.map((issue: { path: string }) => issue.path))];
      expect({ path, status: response.status, paths }).toEqual({ path, status: 400, paths: [path] });
    }
    expect(await footprint()).toEqual(before);
  });

  it('replaces contacts and bank accounts, checking e-mail needs and IBANs', async () => {
    const customer = await createCustomer();
    const contacts = await call('PUT', `/customers/${customer.id}/contacts`, 'sales', {
      version: 1,
      contacts: [
        { name: 'Mahnwesen', email: 'mahnung@mueller.example', roles: ['reminders'] },
        { name: 'Lager', phone: '+49 89 555-0100', roles: ['orders'] },
      ],
    });
    expect(contacts.body).toMatchObject({ version: 2, contacts: [{ name: 'Mahnwesen', roles: ['reminders'] }, { name: 'Lager', email: null, phone: '+49 89 555-0100' }] });
    const noMail = await call('PUT', `/customers/${customer.id}/contacts`, 'sales', { version: 2, contacts: [{ name: 'X', roles: ['invoices'] }] });
    expect(noMail).toMatchObject({ status: 400, body: { errors: [{ path: 'body.contacts.0.email' }] } });
    const accounts = await call('PUT', `/customers/${customer.id}/bank-accounts`, 'sales', {
      version: 2,
      bankAccounts: [
        { id: (customer.bankAccounts as Array<{ id: string }>)[0]!.id, iban: 'DE89370400440532013000' },
        { iban: 'at61 1904 3002 3457 3201', accountHolder: 'Müller Austria GmbH' },
      ],
    });
    expect(accounts.body).toMatchObject({
      version: 3,
      bankAccounts: [
        { id: (customer.bankAccounts as Array<{ id: string }>)[0]!.id, iban: 'DE89370400440532013000', accountHolder: 'Müller Elektrotechnik GmbH' },
        { iban: 'AT611904300234573201', bic: null, accountHolder: 'Müller Austria GmbH' },
      ],
    });
    const badIban = await call('PUT', `/customers/${customer.id}/bank-accounts`, 'sales', { version: 3, bankAccounts: [{ iban: 'AT611904300234573202' }] });
    expect(badIban).toMatchObject({ status: 400, body: { errors: [{ path: 'body.bankAccounts.0.iban' }] } });
    const none = await call('PUT', `/customers/${customer.id}/bank-accounts`, 'sales', { version: 3, bankAccounts: [] });
    expect(none.body).toMatchObject({ version: 4, bankAccounts: [] });
  });
});

describe('block, unblock, archive and restore', () => {
  it('blocks with a reason and unblocks, for admin and credit', async () => {
    const customer = await createCustomer();
    const noReason = await call('POST', `/customers/${customer.id}/block`, 'credit', {});
    expect(noReason).toMatchObject({ status: 400, body: { errors: [{ path: 'body.reason' }] } });
    const blocked = await call('POST', `/customers/${customer.id}/block`, 'credit', { reason: 'Insolvency filed' });
    expect(blocked.body).toMatchObject({ status: 'blocked', blockedReason: 'Insolvency filed', version: 2 });
    const again = await call('POST', `/customers/${customer.id}/block`, 'credit', { reason: 'twice' });
    expect(again).toMatchObject({ status: 409, body: { code: 'O2C_STATE_CONFLICT' } });
    const stale = await call('POST', `/customers/${customer.id}/unblock`, 'credit', { version: 1 });
    expect(stale).toMatchObject({ status: 409, body: { code: 'O2C_VERSION_CONFLICT' } });
    const unblocked = await call('POST', `/customers/${customer.id}/unblock`, 'admin');
    expect(unblocked.body).toMatchObject({ status: 'active', blockedReason: null, version: 3 });
    const audit = await t.database.handle.db.selectFrom('audit_events').select('action').where('entity_id', '=', customer.id).orderBy('id').execute();
    expect(audit.map((event) => event.action)).toEqual(['customer.created', 'customer.blocked', 'customer.unblocked']);
    const events = await t.database.handle.db.selectFrom('outbox_events').select('event_type').where('aggregate_id', '=', customer.id).orderBy('id').execute();
    expect(events.map((event) => event.event_type)).toEqual(['customer.created', 'customer.blocked', 'customer.unblocked']);
  });

  it('archives instead of deleting: out of the default list, read-only until restored', async () => {
    const customer = await createCustomer({ name: 'Archivkunde' });
    const archived = await call('POST', `/customers/${customer.id}/archive`, 'sales', { version: 1 });
    expect(archived.body).toMatchObject({ status: 'archived', version: 2 });
    const listed = await call('GET', '/customers?q=Archivkunde', 'viewer');
    expect(listed.body.items).toEqual([]);
    const archivedList = await call('GET', '/customers?q=Archivkunde&status=archived', 'viewer');
    expect(archivedList.body.items.map((item: { id: string }) => item.id)).toEqual([customer.id]);
    const patch = await call('PATCH', `/customers/${customer.id}`, 'sales', { version: 2, name: 'Changed' });
    expect(patch).toMatchObject({ status: 409, body: { code: 'O2C_STATE_CONFLICT' } });
    const addresses = await call('PUT', `/customers/${customer.id}/addresses`, 'sales', { version: 2, addresses: [billing, shipping] });
    expect(addresses.status).toBe(409);
    const block = await call('POST', `/customers/${customer.id}/block`, 'credit', { reason: 'x' });
    expect(block.status).toBe(409);
    const restored = await call('POST', `/customers/${customer.id}/restore`, 'sales');
    expect(restored.body).toMatchObject({ status: 'active', version: 3 });
  });

  it('archives a blocked customer and drops the block reason', async () => {
    const customer = await createCustomer();
    await call('POST', `/customers/${customer.id}/block`, 'credit', { reason: 'Overdue' });
    const archived = await call('POST', `/customers/${customer.id}/archive`, 'admin');
    expect(archived.body).toMatchObject({ status: 'archived', blockedReason: null });
  });
});

describe('reading and listing', () => {
  it('reads one customer with its children; unknown ids are 404, malformed ids 400', async () => {
    const customer = await createCustomer();
    const read = await call('GET', `/customers/${customer.id}`, 'warehouse');
    expect(read.body).toEqual(customer);
    expect((await call('GET', '/customers/01900000-0000-7000-8000-000000000000', 'viewer')).status).toBe(404);
    expect((await call('GET', '/customers/123', 'viewer')).body).toMatchObject({ code: 'O2C_VALIDATION_FAILED', errors: [{ path: 'params.id' }] });
  });

  it('filters by status, country and currency, and searches number, name, legal name and VAT id', async () => {
    const uniqueName = `Åkesson & Öberg ${Date.now()}`;
    const swede = await createCustomer({
      name: uniqueName,
      legalName: 'Åkesson & Öberg Aktiebolag',
      vatId: 'SE556012345601',
      countryCode: 'SE',
      currency: 'SEK',
      language: 'sv',
      addresses: [{ ...billing, countryCode: 'SE' }, { ...shipping, countryCode: 'SE' }],
    });
    const search = async (query: string) => (await call('GET', `/customers?${query}`, 'viewer')).body.items.map((item: { id: string }) => item.id);
    expect(await search('country=SE')).toEqual([swede.id]);
    expect(await search('currency=SEK')).toEqual([swede.id]);
    expect(await search(`q=${encodeURIComponent('aktiebolag')}`)).toEqual([swede.id]);
    expect(await search(`q=${encodeURIComponent(uniqueName.slice(0, 12))}`)).toContain(swede.id);
    expect(await search(`q=${encodeURIComponent('se 5560 1234')}`)).toEqual([swede.id]);
    expect(await search(`q=${swede.number}`)).toEqual([swede.id]);
    expect(await search('q=%25')).toEqual([]);
    expect(await search('country=SE&status=blocked')).toEqual([]);
    const all = await search('status=active&limit=200');
    expect(all).toContain(swede.id);
  });

  it('pages with a cursor through every customer once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page += 1) {
      const query: string = cursor === null ? 'limit=2' : `limit=2&cursor=${cursor}`;
      const { body } = await call('GET', `/customers?${query}`, 'viewer');
      seen.push(...body.items.map((item: { id: string }) => item.id));
      cursor = body.nextCursor;
      if (cursor === null) break;
    }
    const rows = await t.database.handle.db.selectFrom('customers').select('id').where('tenant_id', '=', t.tenant.id).where('status', '!=', 'archived').orderBy('id').execute();
    expect(seen).toEqual(rows.map((row) => row.id));
    expect((await call('GET', '/customers?cursor=nonsense', 'viewer')).body).toMatchObject({ status: 400, errors: [{ path: 'query.cursor' }] });
    expect((await call('GET', '/customers?country=Germany', 'viewer')).status).toBe(400);
  });
});

describe('tenant isolation', () => {
  it('answers 404 for another tenant’s customer, read or write, and lists only one’s own', async () => {
    const theirs = await createCustomer({ name: 'Fremdkunde' }, 'sales', other);
    const mine = bearer(t.tenant.keys.admin);
    const requests: Array<[Method, string, unknown]> = [
      ['GET', `/customers/${theirs.id}`, undefined],
      ['PATCH', `/customers/${theirs.id}`, { version: 1, name: 'Taken over' }],
      ['PUT', `/customers/${theirs.id}/addresses`, { version: 1, addresses: [billing, shipping] }],
      ['PUT', `/customers/${theirs.id}/contacts`, { version: 1, contacts: [] }],
      ['PUT', `/customers/${theirs.id}/bank-accounts`, { version: 1, bankAccounts: [] }],
      ['POST', `/customers/${theirs.id}/block`, { reason: 'x' }],
      ['POST', `/customers/${theirs.id}/archive`, {}],
    ];
    for (const [method, url, body] of requests) {
      const response = await t.app.http.inject({
        method,
        url: `/api/v1${url}`,
        headers: { ...mine, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      expect({ method, url, status: response.statusCode }).toEqual({ method, url, status: 404 });
    }
    expect(await customerRow(theirs.id)).toMatchObject({ name: 'Fremdkunde', version: 1, status: 'active' });
    const listed = await call('GET', '/customers?q=Fremdkunde', 'admin');
    expect(listed.body.items).toEqual([]);
    const theirTerms = await t.database.handle.db.selectFrom('payment_terms').select('id').where('tenant_id', '=', other.id).executeTakeFirstOrThrow();
    expect((await call('GET', `/payment-terms/${theirTerms.id}`, 'admin')).status).toBe(404);
    expect((await call('PATCH', `/payment-terms/${theirTerms.id}`, 'admin', { version: 1, name: 'mine now' })).status).toBe(404);
  });
});
