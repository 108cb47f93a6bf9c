import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Big } from '../../../src/kernel';
import { findPriceListIdByName, priceListExists, resolveUnitPrice, resolveUnitPrices } from '../../../src/modules/catalog';
import { createTestTenant, startTestApp, type TestApp, type TestTenant } from '../../support/app';
import { caller, expectProblem, footprint } from './catalog.http';

let t: TestApp;
let other: TestTenant;
const items: Record<string, string> = {};
let standardEur: { id: string; version: number };
let keyAccount: { id: string; version: number };

const call = caller(() => t);
const unknownId = '01900000-0000-7000-8000-000000000000';

async function createItem(sku: string, kind: 'goods' | 'service' = 'goods', tenant?: TestTenant): Promise<string> {
  const answer = await call('POST', '/items', 'admin', { sku, name: `Item ${sku}`, kind, unit: kind === 'goods' ? 'C62' : 'HUR', taxCategoryCode: 'standard' }, tenant);
  expect(answer.status).toBe(201);
  return answer.body.id;
}

async function createList(body: Record<string, unknown>, tenant?: TestTenant) {
  const answer = await call('POST', '/price-lists', 'sales', body, tenant);
  expect(answer.status).toBe(201);
  return answer.body as { id: string; version: number };
}

async function putPrices(listId: string, itemId: string, breaks: Array<[string, string]>) {
  const answer = await call('PUT', `/price-lists/${listId}/entries`, 'sales', { itemId, breaks: breaks.map(([minQuantity, unitPrice]) => ({ minQuantity, unitPrice })) });
  expect(answer.status).toBe(200);
  return answer.body;
}

beforeAll(async () => {
  t = await startTestApp();
  other = await createTestTenant(t.database.handle, 'other');
  for (const sku of ['BEARING', 'HOSE', 'FILM']) items[sku] = await createItem(sku);
  items.INSTALL = await createItem('INSTALL', 'service');
  standardEur = await createList({ name: 'Standard EUR', currency: 'EUR', validFrom: '2025-01-01', isDefault: true });
  keyAccount = await createList({ name: 'Key account EUR 2026', currency: 'EUR', validFrom: '2026-01-01', validTo: '2026-12-31' });
});
afterAll(async () => t.close());

describe('price lists', () => {
  it('creates a list with its defaults and reads it back', async () => {
    const read = await call('GET', `/price-lists/${standardEur.id}`, 'viewer');
    expect(read.body).toEqual({
      id: standardEur.id,
      name: 'Standard EUR',
      currency: 'EUR',
      validFrom: '2025-01-01',
      validTo: null,
      isDefault: true,
      active: true,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('refuses a second active default list of one currency for an overlapping period', async () => {
    const before = await footprint(t);
    expectProblem(await call('POST', '/price-lists', 'sales', { name: 'Standard EUR 2027', currency: 'EUR', validFrom: '2027-01-01', isDefault: true }), 422, 'O2C_BUSINESS_RULE', [
      'body.isDefault',
    ]);
    expect(await footprint(t)).toEqual(before);
    // Not the default, or inactive: no clash.
    await createList({ name: 'Promotion EUR', currency: 'EUR', validFrom: '2026-01-01' });
    await createList({ name: 'Draft default EUR', currency: 'EUR', validFrom: '2026-01-01', isDefault: true, active: false });
  });

  it('lets a default list follow another once the first one ends', async () => {
    const first = await createList({ name: 'Standard USD', currency: 'USD', validFrom: '2025-01-01', isDefault: true });
    expectProblem(await call('POST', '/price-lists', 'sales', { name: 'Standard USD 2027', currency: 'USD', validFrom: '2027-01-01', isDefault: true }), 422, 'O2C_BUSINESS_RULE');
    const ended = await call('PATCH', `/price-lists/${first.id}`, 'sales', { version: first.version, validTo: '2026-12-31' });
    expect(ended.body).toMatchObject({ validTo: '2026-12-31', version: 2 });
    const next = await createList({ name: 'Standard USD 2027', currency: 'USD', validFrom: '2027-01-01', isDefault: true });
    // Reopening the first list would overlap the next one.
    expectProblem(await call('PATCH', `/price-lists/${first.id}`, 'sales', { version: 2, validTo: null }), 422, 'O2C_BUSINESS_RULE');
    // Activating an inactive default that overlaps is refused too.
    const draft = (await call('GET', '/price-lists?q=Draft', 'viewer')).body.items[0];
    expectProblem(await call('PATCH', `/price-lists/${draft.id}`, 'sales', { version: draft.version, active: true }), 422, 'O2C_BUSINESS_RULE', ['body.isDefault']);
    expect(next.id).toBeDefined();
  });

  it('lets exactly one of several concurrent overlapping default lists in', async () => {
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((index) => call('POST', '/price-lists', 'sales', { name: `Standard CHF ${index}`, currency: 'CHF', validFrom: `202${index}-01-01`, isDefault: true })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 422, 422, 422, 422]);
    expect((await call('GET', '/price-lists?currency=CHF', 'viewer')).body.items).toHaveLength(1);
  });

  it('refuses bad input: unknown currency, lower case, impossible dates, an end before the start, a duplicate name', async () => {
    const before = await footprint(t);
    const base = { name: 'Bad', currency: 'EUR', validFrom: '2026-01-01' };
    expectProblem(await call('POST', '/price-lists', 'sales', { ...base, currency: 'XXX' }), 400, 'O2C_INVALID_VALUE', ['body.currency']);
    expectProblem(await call('POST', '/price-lists', 'sales', { ...base, currency: 'eur' }), 400, 'O2C_VALIDATION_FAILED', ['body.currency']);
    expectProblem(await call('POST', '/price-lists', 'sales', { ...base, validFrom: '2026-02-30' }), 400, 'O2C_VALIDATION_FAILED', ['body.validFrom']);
    expectProblem(await call('POST', '/price-lists', 'sales', { ...base, validTo: '2025-12-31' }), 400, 'O2C_INVALID_VALUE', ['body.validTo']);
    expectProblem(await call('POST', '/price-lists', 'sales', { ...base, name: 'standard eur' }), 409, 'O2C_ALREADY_EXISTS', ['body.name']);
    expectProblem(await call('PATCH', `/price-lists/${keyAccount.id}`, 'sales', { version: keyAccount.version, currency: 'USD' }), 400, 'O2C_VALIDATION_FAILED', ['body']);
    expect(await footprint(t)).toEqual(before);
  });

  it('refuses a stale version with 409', async () => {
    const list = await createList({ name: 'Versioned', currency: 'GBP', validFrom: '2026-01-01' });
    expect((await call('PATCH', `/price-lists/${list.id}`, 'admin', { version: 1, name: 'Versioned GBP' })).status).toBe(200);
    expectProblem(await call('PATCH', `/price-lists/${list.id}`, 'admin', { version: 1, name: 'Lost' }), 409, 'O2C_VERSION_CONFLICT');
  });

  it('lists with filters', async () => {
    const names = async (query: string) => ((await call('GET', `/price-lists?${query}`, 'viewer')).body.items as Array<{ name: string }>).map((list) => list.name).sort();
    expect(await names('currency=USD')).toEqual(['Standard USD', 'Standard USD 2027']);
    expect(await names('currency=USD&validOn=2027-06-01')).toEqual(['Standard USD 2027']);
    expect(await names('isDefault=true&currency=EUR')).toEqual(['Draft default EUR', 'Standard EUR']);
    expect(await names('active=false')).toEqual(['Draft default EUR']);
    expect(await names('q=key')).toEqual(['Key account EUR 2026']);
  });
});

describe('price list entries', () => {
  it('sets an item’s quantity breaks and answers them sorted, with at least the currency’s decimals', async () => {
    const answer = await putPrices(standardEur.id, items.BEARING!, [['100', '3.95'], ['1', '4.85'], ['10', '4.4']]);
    expect(answer).toEqual({
      priceListId: standardEur.id,
      currency: 'EUR',
      itemId: items.BEARING,
      sku: 'BEARING',
      itemName: 'Item BEARING',
      unit: 'C62',
      breaks: [
        { minQuantity: '1', unitPrice: '4.85' },
        { minQuantity: '10', unitPrice: '4.40' },
        { minQuantity: '100', unitPrice: '3.95' },
      ],
    });
    expect((await call('GET', `/price-lists/${standardEur.id}`, 'viewer')).body.version).toBe(2);
  });

  it('keeps unit prices with up to four decimals beyond the currency, never rounding', async () => {
    const answer = await putPrices(standardEur.id, items.FILM!, [['0', '0.012345'], ['1000', '0.0099']]);
    expect(answer.breaks).toEqual([
      { minQuantity: '0', unitPrice: '0.012345' },
      { minQuantity: '1000', unitPrice: '0.0099' },
    ]);
    const stored = await t.database.handle.db.selectFrom('price_list_entries').select('unit_price').where('item_id', '=', items.FILM!).orderBy('min_quantity').execute();
    expect(stored.map((row) => row.unit_price)).toEqual(['0.0123450', '0.0099000']);
  });

  it('refuses too many decimals, negative values, repeated breaks and unknown items, naming the path, writing nothing', async () => {
    const before = await footprint(t);
    const put = (body: unknown, listId = standardEur.id) => call('PUT', `/price-lists/${listId}/entries`, 'sales', body);
    const breaks = (...pairs: Array<[string, string]>) => pairs.map(([minQuantity, unitPrice]) => ({ minQuantity, unitPrice }));
    expectProblem(await put({ itemId: items.HOSE, breaks: breaks(['1', '28.90'], ['10', '26.1234567']) }), 400, 'O2C_INVALID_VALUE', ['body.breaks.1.unitPrice']);
    expectProblem(await put({ itemId: items.HOSE, breaks: breaks(['1', '-1.00']) }), 400, 'O2C_INVALID_VALUE', ['body.breaks.0.unitPrice']);
    expectProblem(await put({ itemId: items.HOSE, breaks: breaks(['1', '1e3']) }), 400, 'O2C_INVALID_VALUE', ['body.breaks.0.unitPrice']);
    expectProblem(await put({ itemId: items.HOSE, breaks: breaks(['-1', '1.00']) }), 400, 'O2C_INVALID_VALUE', ['body.breaks.0.minQuantity']);
    expectProblem(await put({ itemId: items.HOSE, breaks: breaks(['0.1234567', '1.00']) }), 400, 'O2C_INVALID_VALUE', ['body.breaks.0.minQuantity']);
    expectProblem(await put({ itemId: items.HOSE, breaks: breaks(['1', '1.00'], ['1.000', '0.90']) }), 400, 'O2C_INVALID_VALUE', ['body.breaks.1.minQuantity']);
    expectProblem(await put({ itemId: items.HOSE, breaks: [] }), 400, 'O2C_VALIDATION_FAILED', ['body.breaks']);
    expectProblem(await put({ itemId: items.HOSE, breaks: [{ minQuantity: 1, unitPrice: 2 }] }), 400, 'O2C_VALIDATION_FAILED', ['body.breaks.0.minQuantity', 'body.breaks.0.unitPrice']);
    expectProblem(await put({ itemId: unknownId, breaks: breaks(['1', '1.00']) }), 404, 'O2C_NOT_FOUND');
    expectProblem(await put({ itemId: items.HOSE, breaks: breaks(['1', '1.00']) }, unknownId), 404, 'O2C_NOT_FOUND');
    expect(await footprint(t)).toEqual(before);
  });

  it('checks decimals against the list’s currency: none plus four for JPY, three plus four for KWD', async () => {
    const yen = await createList({ name: 'Standard JPY', currency: 'JPY', validFrom: '2025-01-01', isDefault: true });
    expect((await putPrices(yen.id, items.HOSE!, [['1', '4500'], ['10', '4200.5']])).breaks).toEqual([
      { minQuantity: '1', unitPrice: '4500' },
      { minQuantity: '10', unitPrice: '4200.5' },
    ]);
    expectProblem(await call('PUT', `/price-lists/${yen.id}/entries`, 'sales', { itemId: items.HOSE, breaks: [{ minQuantity: '1', unitPrice: '1.23456' }] }), 400, 'O2C_INVALID_VALUE', [
      'body.breaks.0.unitPrice',
    ]);
    const dinar = await createList({ name: 'Standard KWD', currency: 'KWD', validFrom: '2025-01-01', isDefault: true });
    expect((await putPrices(dinar.id, items.HOSE!, [['1', '9.1234567']])).breaks).toEqual([{ minQuantity: '1', unitPrice: '9.1234567' }]);
    expect((await putPrices(dinar.id, items.HOSE!, [['1', '9.5']])).breaks).toEqual([{ minQuantity: '1', unitPrice: '9.500' }]);
  });

  it('replaces an item’s breaks as a whole, lists them per item, and removes them', async () => {
    await putPrices(keyAccount.id, items.HOSE!, [['1', '25.90'], ['10', '24.00']]);
    await putPrices(keyAccount.id, items.HOSE!, [['1', '25.50']]);
    await putPrices(keyAccount.id, items.BEARING!, [['1', '4.25'], ['100', '3.60']]);
    const page = (await call('GET', `/price-lists/${keyAccount.id}/entries`, 'viewer')).body;
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((entry: { sku: string; breaks: unknown }) => [entry.sku, entry.breaks]).sort()).toEqual([
      ['BEARING', [{ minQuantity: '1', unitPrice: '4.25' }, { minQuantity: '100', unitPrice: '3.60' }]],
      ['HOSE', [{ minQuantity: '1', unitPrice: '25.50' }]],
    ]);
    const onePage = (await call('GET', `/price-lists/${keyAccount.id}/entries?limit=1`, 'viewer')).body;
    expect(onePage.items).toHaveLength(1);
    const rest = (await call('GET', `/price-lists/${keyAccount.id}/entries?limit=1&cursor=${onePage.nextCursor}`, 'viewer')).body;
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    expect(rest.items[0].itemId).not.toBe(onePage.items[0].itemId);
    const filtered = (await call('GET', `/price-lists/${keyAccount.id}/entries?itemId=${items.HOSE}`, 'viewer')).body;
    expect(filtered.items.map((entry: { sku: string }) => entry.sku)).toEqual(['HOSE']);

    const removed = await call('DELETE', `/price-lists/${keyAccount.id}/entries/${items.HOSE}`, 'sales');
    expect(removed.status).toBe(200);
    expect(removed.body.breaks).toEqual([{ minQuantity: '1', unitPrice: '25.50' }]);
    expectProblem(await call('DELETE', `/price-lists/${keyAccount.id}/entries/${items.HOSE}`, 'sales'), 404, 'O2C_NOT_FOUND');
    const audit = await t.database.handle.db.selectFrom('audit_events').select('action').where('entity_id', '=', keyAccount.id).orderBy('id').execute();
    expect(audit.map((event) => event.action)).toEqual([
      'price_list.created',
      'price_list.prices_replaced',
      'price_list.prices_replaced',
      'price_list.prices_replaced',
      'price_list.prices_removed',
    ]);
  });

  it('answers 404 for an unknown list’s entries', async () => {
    expectProblem(await call('GET', `/price-lists/${unknownId}/entries`, 'viewer'), 404, 'O2C_NOT_FOUND');
    expectProblem(await call('DELETE', `/price-lists/${unknownId}/entries/${items.HOSE}`, 'admin'), 404, 'O2C_NOT_FOUND');
  });
});

describe('price lookup', () => {
  beforeAll(async () => {
    await putPrices(keyAccount.id, items.HOSE!, [['1', '25.90']]);
    await putPrices(standardEur.id, items.HOSE!, [['1', '28.90'], ['10', '26.50']]);
    await putPrices(standardEur.id, items.INSTALL!, [['0', '95.00']]);
  });

  const lookup = async (query: string) => (await call('GET', `/prices?${query}`, 'warehouse')).body;

  it('answers the default price with the list and break it came from', async () => {
    expect(await lookup(`itemId=${items.BEARING}&currency=EUR&quantity=10&date=2026-06-01`)).toEqual({
      itemId: items.BEARING,
      sku: 'BEARING',
      quantity: '10',
      currency: 'EUR',
      date: '2026-06-01',
      unitPrice: '4.40',
      priceListId: standardEur.id,
      priceListName: 'Standard EUR',
      minQuantity: '10',
      source: 'default',
    });
  });

  it('uses the customer’s list when it prices the item, and falls back otherwise', async () => {
    const key = `customerPriceListId=${keyAccount.id}`;
    expect(await lookup(`itemId=${items.HOSE}&currency=EUR&quantity=5&date=2026-06-01&${key}`)).toMatchObject({ unitPrice: '25.90', priceListId: keyAccount.id, source: 'customer' });
    // The key account list does not price the installation: the default does.
    expect(await lookup(`itemId=${items.INSTALL}&currency=EUR&quantity=2.5&date=2026-06-01&${key}`)).toMatchObject({ unitPrice: '95.00', priceListId: standardEur.id, source: 'default' });
    // Outside the key account list's period.
    expect(await lookup(`itemId=${items.HOSE}&currency=EUR&quantity=5&date=2027-01-01&${key}`)).toMatchObject({ unitPrice: '28.90', source: 'default' });
    // At the boundaries of the quantity breaks.
    expect((await lookup(`itemId=${items.HOSE}&currency=EUR&quantity=9.999999&date=2026-06-01`)).unitPrice).toBe('28.90');
    expect((await lookup(`itemId=${items.HOSE}&currency=EUR&quantity=10&date=2026-06-01`)).unitPrice).toBe('26.50');
  });

  it('answers no price for a currency without a list, a date before any list, or a quantity below every break', async () => {
    const none = { unitPrice: null, priceListId: null, priceListName: null, minQuantity: null, source: null };
    expect(await lookup(`itemId=${items.HOSE}&currency=NOK&date=2026-06-01`)).toMatchObject({ ...none, quantity: '1' });
    expect(await lookup(`itemId=${items.HOSE}&currency=EUR&date=2024-12-31`)).toMatchObject(none);
    expect(await lookup(`itemId=${items.HOSE}&currency=EUR&quantity=0.5&date=2026-06-01`)).toMatchObject(none);
  });

  it('defaults the date to today in the tenant’s time zone', async () => {
    const answer = await lookup(`itemId=${items.HOSE}&currency=EUR`);
    expect(answer.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses bad input and unknown records', async () => {
    expectProblem(await call('GET', `/prices?itemId=${items.HOSE}&currency=XXX`, 'viewer'), 400, 'O2C_INVALID_VALUE', ['query.currency']);
    expectProblem(await call('GET', `/prices?itemId=${items.HOSE}&currency=EUR&quantity=-1`, 'viewer'), 400, 'O2C_INVALID_VALUE', ['query.quantity']);
    expectProblem(await call('GET', `/prices?itemId=${items.HOSE}&currency=EUR&quantity=1.1234567`, 'viewer'), 400, 'O2C_INVALID_VALUE', ['query.quantity']);
    expectProblem(await call('GET', `/prices?itemId=${items.HOSE}&currency=EUR&date=2026-13-01`, 'viewer'), 400, 'O2C_VALIDATION_FAILED', ['querystring.date']);
    expectProblem(await call('GET', `/prices?itemId=${unknownId}&currency=EUR`, 'viewer'), 404, 'O2C_NOT_FOUND');
    expectProblem(await call('GET', `/prices?itemId=${items.HOSE}&currency=EUR&customerPriceListId=${unknownId}`, 'viewer'), 404, 'O2C_NOT_FOUND');
    expectProblem(await call('GET', '/prices?currency=EUR', 'viewer'), 400, 'O2C_VALIDATION_FAILED', ['querystring.itemId']);
  });
});

describe('price resolution for other modules', () => {
  it('prices many lines in one call, in their order, with null where nothing applies', async () => {
    const db = t.database.handle.db;
    const results = await resolveUnitPrices(db, t.tenant.id, {
      currency: 'EUR',
      date: '2026-06-01',
      customerPriceListId: keyAccount.id,
      lines: [
        { itemId: items.BEARING!, quantity: new Big('150') },
        { itemId: items.HOSE!, quantity: new Big('12') },
        { itemId: items.INSTALL!, quantity: new Big('0.25') },
        { itemId: items.BEARING!, quantity: new Big('0.5') },
        { itemId: unknownId, quantity: new Big('1') },
        { itemId: 'not-an-id', quantity: new Big('1') },
      ],
    });
    expect(results.map((result) => (result === null ? null : [result.unitPrice.toFixed(), result.priceListId, result.source]))).toEqual([
      ['3.6', keyAccount.id, 'customer'],
      ['25.9', keyAccount.id, 'customer'],
      ['95', standardEur.id, 'default'],
      null,
      null,
      null,
    ]);
    const single = await resolveUnitPrice(db, t.tenant.id, { itemId: items.BEARING!, quantity: new Big('99'), currency: 'EUR', date: '2026-06-01', customerPriceListId: null });
    expect(single).toMatchObject({ priceListId: standardEur.id, priceListName: 'Standard EUR', source: 'default' });
    expect(single!.unitPrice.toFixed()).toBe('4.4');
    expect(single!.minQuantity.toFixed()).toBe('10');
  });

  it('priceListExists checks tenant and currency; findPriceListIdByName finds a list by name', async () => {
    const db = t.database.handle.db;
    expect(await priceListExists(db, t.tenant.id, keyAccount.id)).toBe(true);
    expect(await priceListExists(db, t.tenant.id, keyAccount.id, 'EUR')).toBe(true);
    expect(await priceListExists(db, t.tenant.id, keyAccount.id, 'USD')).toBe(false);
    expect(await priceListExists(db, other.id, keyAccount.id)).toBe(false);
    expect(await priceListExists(db, t.tenant.id, 'garbage')).toBe(false);
    expect(await findPriceListIdByName(db, t.tenant.id, 'key account eur 2026')).toBe(keyAccount.id);
    expect(await findPriceListIdByName(db, other.id, 'Key account EUR 2026')).toBeNull();
  });
});

describe('tenant isolation', () => {
  it('answers 404 for another tenant’s lists and items, and lists only one’s own', async () => {
    const theirItem = await createItem('THEIR-ITEM', 'goods', other);
    const theirList = await createList({ name: 'Their list', currency: 'EUR', validFrom: '2025-01-01', isDefault: true }, other);
    expectProblem(await call('GET', `/price-lists/${theirList.id}`, 'viewer'), 404, 'O2C_NOT_FOUND');
    expectProblem(await call('PATCH', `/price-lists/${theirList.id}`, 'admin', { version: 1, name: 'Mine now' }), 404, 'O2C_NOT_FOUND');
    expectProblem(await call('GET', `/price-lists/${theirList.id}/entries`, 'viewer'), 404, 'O2C_NOT_FOUND');
    expectProblem(await call('PUT', `/price-lists/${theirList.id}/entries`, 'admin', { itemId: items.HOSE, breaks: [{ minQuantity: '1', unitPrice: '1.00' }] }), 404, 'O2C_NOT_FOUND');
    expectProblem(await call('PUT', `/price-lists/${standardEur.id}/entries`, 'admin', { itemId: theirItem, breaks: [{ minQuantity: '1', unitPrice: '1.00' }] }), 404, 'O2C_NOT_FOUND');
    expectProblem(await call('GET', `/prices?itemId=${theirItem}&currency=EUR`, 'viewer'), 404, 'O2C_NOT_FOUND');
    expectProblem(await call('GET', `/prices?itemId=${items.HOSE}&currency=EUR&customerPriceListId=${theirList.id}`, 'viewer'), 404, 'O2C_NOT_FOUND');
    const mine = (await call('GET', '/price-lists?limit=200', 'viewer')).body.items as Array<{ id: string }>;
    expect(mine.map((list) => list.id)).not.toContain(theirList.id);
    // Their default list never prices our lines.
    const price = await resolveUnitPrice(t.database.handle.db, t.tenant.id, { itemId: theirItem, quantity: new Big('1'), currency: 'EUR', date: '2026-06-01', customerPriceListId: theirList.id });
    expect(price).toBeNull();
  });
});
