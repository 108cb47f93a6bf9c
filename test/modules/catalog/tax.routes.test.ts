import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { determineLineTax, determineLineTaxes, getItemsBySkus, type ItemView } from '../../../src/modules/catalog';
import { AppError } from '../../../src/platform/errors/app-error';
import { createTestTenant, startTestApp, type TestApp, type TestTenant } from '../../support/app';
import { caller, expectProblem, footprint } from './catalog.http';

let t: TestApp;
let other: TestTenant;
const call = caller(() => t);
const unknownId = '01900000-0000-7000-8000-000000000000';

beforeAll(async () => {
  t = await startTestApp();
  other = await createTestTenant(t.database.handle, 'other');
});
afterAll(async () => t.close());

type Rate = { id: string; taxCategoryCode: string; countryCode: string; ratePercent: string; validFrom: string; validTo: string | null; version: number };

async function rates(query: string): Promise<Rate[]> {
  const answer = await call('GET', `/tax-rates?limit=200&${query}`, 'viewer');
  expect(answer.status).toBe(200);
  return answer.body.items;
}

describe('tax categories', () => {
  it('gives a new tenant the four default categories', async () => {
    const answer = await call('GET', '/tax-categories', 'viewer');
    expect(answer.body.items.map((category: { code: string; domesticCategory: string; exemptionReason: string | null }) => [category.code, category.domesticCategory, category.exemptionReason])).toEqual([
      ['standard', 'S', null],
      ['reduced', 'S', null],
      ['zero', 'Z', null],
      ['exempt', 'E', 'Exempt from VAT'],
    ]);
  });

  it('creates an exempt category with its reason and VATEX code', async () => {
    const created = await call('POST', '/tax-categories', 'controller', {
      code: 'exempt-training',
      name: 'Exempt: vocational training',
      domesticCategory: 'E',
      exemptionReason: 'Exempt under § 4 Nr. 21 UStG',
      exemptionReasonCode: 'VATEX-EU-132-1I',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'exempt-training', domesticCategory: 'E', exemptionReasonCode: 'VATEX-EU-132-1I', version: 1 });
    const renamed = await call('PATCH', `/tax-categories/${created.body.id}`, 'admin', { version: 1, name: 'Exempt training', exemptionReason: 'Vocational training' });
    expect(renamed.body).toMatchObject({ name: 'Exempt training', exemptionReason: 'Vocational training', version: 2 });
    expectProblem(await call('PATCH', `/tax-categories/${created.body.id}`, 'admin', { version: 1, name: 'Stale' }), 409, 'O2C_VERSION_CONFLICT');
    expectProblem(await call('PATCH', `/tax-categories/${created.body.id}`, 'admin', { version: 2, exemptionReason: null }), 422, 'O2C_BUSINESS_RULE', ['body.exemptionReason']);
    expectProblem(await call('PATCH', `/tax-categories/${created.body.id}`, 'admin', { version: 2, domesticCategory: 'S' }), 400, 'O2C_VALIDATION_FAILED', ['body']);
  });

  it('refuses an exempt category without a reason, a reason on a taxed one, a taken code and a bad code', async () => {
    const before = await footprint(t);
    expectProblem(await call('POST', '/tax-categories', 'admin', { code: 'exempt-2', name: 'Exempt', domesticCategory: 'E' }), 422, 'O2C_BUSINESS_RULE', ['body.exemptionReason']);
    expectProblem(await call('POST', '/tax-categories', 'admin', { code: 'super', name: 'Super', domesticCategory: 'S', exemptionReason: 'x' }), 422, 'O2C_BUSINESS_RULE', [
      'body.exemptionReason',
    ]);
    expectProblem(await call('POST', '/tax-categories', 'admin', { code: 'super', name: 'Super', domesticCategory: 'S', exemptionReasonCode: 'VATEX-EU-79-C' }), 422, 'O2C_BUSINESS_RULE', [
      'body.exemptionReasonCode',
    ]);
    expectProblem(await call('POST', '/tax-categories', 'admin', { code: 'standard', name: 'Again', domesticCategory: 'S' }), 409, 'O2C_ALREADY_EXISTS', ['body.code']);
    expectProblem(await call('POST', '/tax-categories', 'admin', { code: 'Standard Rate', name: 'Bad', domesticCategory: 'S' }), 400, 'O2C_VALIDATION_FAILED', ['body.code']);
    expectProblem(await call('POST', '/tax-categories', 'admin', { code: 'ae', name: 'Bad', domesticCategory: 'AE' }), 400, 'O2C_VALIDATION_FAILED', ['body.domesticCategory']);
    expect(await footprint(t)).toEqual(before);
  });
});

describe('tax rates', () => {
  it('gives a new tenant the member states’ rates, and filters by category, country and date', async () => {
    const german = await rates('countryCode=DE&validOn=2026-06-01');
    expect(german.map((rate) => [rate.taxCategoryCode, rate.ratePercent]).sort()).toEqual([
      ['exempt', '0'],
      ['reduced', '7'],
      ['standard', '19'],
      ['zero', '0'],
    ]);
    expect((await rates('countryCode=DE&taxCategoryCode=standard&validOn=2020-09-15')).map((rate) => rate.ratePercent)).toEqual(['16']);
    expect((await rates('countryCode=FR&taxCategoryCode=reduced')).map((rate) => rate.ratePercent)).toEqual(['5.5']);
    expect(await rates('countryCode=DE&validOn=2019-12-31')).toEqual([]);
    const everyCountry = new Set((await rates('taxCategoryCode=standard')).map((rate) => rate.countryCode));
    expect([...everyCountry].sort()).toEqual(['AT', 'BE', 'DE', 'ES', 'FR', 'IT', 'NL', 'PL', 'SE']);
  });

  it('adds a rate for a new country and reads it back', async () => {
    const created = await call('POST', '/tax-rates', 'controller', { taxCategoryCode: 'standard', countryCode: 'CZ', ratePercent: '21.0', validFrom: '2020-01-01' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ taxCategoryCode: 'standard', countryCode: 'CZ', ratePercent: '21', validFrom: '2020-01-01', validTo: null, version: 1 });
    expect((await call('GET', `/tax-rates/${created.body.id}`, 'viewer')).body).toEqual(created.body);
  });

  it('refuses an overlapping period with a message that names the rate in the way; ending it first lets the new rate in', async () => {
    const before = await footprint(t);
    const [current] = await rates('countryCode=NL&taxCategoryCode=reduced');
    const refused = await call('POST', '/tax-rates', 'admin', { taxCategoryCode: 'reduced', countryCode: 'NL', ratePercent: '21', validFrom: '2027-01-01' });
    expectProblem(refused, 422, 'O2C_BUSINESS_RULE', ['body.validFrom']);
    expect(refused.body.detail).toContain(`9 % from 2020-01-01 on (${current!.id})`);
    expect(await footprint(t)).toEqual(before);

    const ended = await call('PATCH', `/tax-rates/${current!.id}`, 'controller', { version: current!.version, validTo: '2026-12-31' });
    expect(ended.body).toMatchObject({ validTo: '2026-12-31', version: 2 });
    const next = await call('POST', '/tax-rates', 'admin', { taxCategoryCode: 'reduced', countryCode: 'NL', ratePercent: '21', validFrom: '2027-01-01' });
    expect(next.status).toBe(201);
    expect((await rates('countryCode=NL&taxCategoryCode=reduced&validOn=2026-12-31')).map((rate) => rate.ratePercent)).toEqual(['9']);
    expect((await rates('countryCode=NL&taxCategoryCode=reduced&validOn=2027-01-01')).map((rate) => rate.ratePercent)).toEqual(['21']);
    // Moving the end back over the new rate is refused; so is a stale version.
    expectProblem(await call('PATCH', `/tax-rates/${current!.id}`, 'controller', { version: 2, validTo: null }), 422, 'O2C_BUSINESS_RULE', ['body.validFrom']);
    expectProblem(await call('PATCH', `/tax-rates/${current!.id}`, 'controller', { version: 1, ratePercent: '9.5' }), 409, 'O2C_VERSION_CONFLICT');
    expect((await call('PATCH', `/tax-rates/${current!.id}`, 'controller', { version: 2, ratePercent: '9.5' })).body.ratePercent).toBe('9.5');
  });

  it('refuses rates that do not fit the category, bad numbers and bad periods, naming the field', async () => {
    const before = await footprint(t);
    const post = (body: Record<string, unknown>) =>
      call('POST', '/tax-rates', 'admin', { taxCategoryCode: 'standard', countryCode: 'HU', ratePercent: '27', validFrom: '2020-01-01', ...body });
    expectProblem(await post({ ratePercent: '0' }), 422, 'O2C_BUSINESS_RULE', ['body.ratePercent']);
    expectProblem(await post({ taxCategoryCode: 'zero', ratePercent: '5' }), 422, 'O2C_BUSINESS_RULE', ['body.ratePercent']);
    expectProblem(await post({ taxCategoryCode: 'exempt', ratePercent: '0.0001' }), 422, 'O2C_BUSINESS_RULE', ['body.ratePercent']);
    expectProblem(await post({ ratePercent: '27.12345' }), 400, 'O2C_INVALID_VALUE', ['body.ratePercent']);
    expectProblem(await post({ ratePercent: '100' }), 400, 'O2C_INVALID_VALUE', ['body.ratePercent']);
    expectProblem(await post({ ratePercent: '-1' }), 400, 'O2C_INVALID_VALUE', ['body.ratePercent']);
    expectProblem(await post({ ratePercent: 27 }), 400, 'O2C_VALIDATION_FAILED', ['body.ratePercent']);
    expectProblem(await post({ taxCategoryCode: 'luxury' }), 400, 'O2C_INVALID_VALUE', ['body.taxCategoryCode']);
    expectProblem(await post({ countryCode: 'hu' }), 400, 'O2C_VALIDATION_FAILED', ['body.countryCode']);
    expectProblem(await post({ validFrom: '2021-02-29' }), 400, 'O2C_VALIDATION_FAILED', ['body.validFrom']);
    expectProblem(await post({ validTo: '2019-12-31' }), 400, 'O2C_INVALID_VALUE', ['body.validTo']);
    expectProblem(await call('PATCH', `/tax-rates/${unknownId}`, 'admin', { version: 1, validTo: '2026-12-31' }), 404, 'O2C_NOT_FOUND');
    expect(await footprint(t)).toEqual(before);
  });

  it('lets exactly one of several concurrent overlapping rates in', async () => {
    const answers = await Promise.all(
      ['2020-01-01', '2021-01-01', '2022-01-01', '2023-01-01', '2024-01-01'].map((validFrom) =>
        call('POST', '/tax-rates', 'controller', { taxCategoryCode: 'standard', countryCode: 'PT', ratePercent: '23', validFrom }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 422, 422, 422, 422]);
    expect(await rates('countryCode=PT')).toHaveLength(1);
  });

  it('keeps tenants apart', async () => {
    const [theirs] = (await call('GET', '/tax-rates?countryCode=DE&taxCategoryCode=standard&validOn=2026-01-01', 'viewer', undefined, other)).body.items as Rate[];
    expectProblem(await call('GET', `/tax-rates/${theirs!.id}`, 'viewer'), 404, 'O2C_NOT_FOUND');
    expectProblem(await call('PATCH', `/tax-rates/${theirs!.id}`, 'admin', { version: theirs!.version, validTo: '2026-12-31' }), 404, 'O2C_NOT_FOUND');
    const theirCategory = (await call('GET', '/tax-categories', 'viewer', undefined, other)).body.items[0];
    expectProblem(await call('PATCH', `/tax-categories/${theirCategory.id}`, 'admin', { version: 1, name: 'Mine' }), 404, 'O2C_NOT_FOUND');
    // Our changes above did not touch their rates.
    expect((await call('GET', '/tax-rates?countryCode=NL&taxCategoryCode=reduced', 'viewer', undefined, other)).body.items.map((rate: Rate) => [rate.ratePercent, rate.validTo])).toEqual([
      ['9', null],
    ]);
  });
});

describe('the tax of a line', () => {
  let items: Map<string, ItemView>;
  beforeAll(async () => {
    const create = async (sku: string, kind: string, unit: string, taxCategoryCode: string) =>
      expect((await call('POST', '/items', 'admin', { sku, name: sku, kind, unit, taxCategoryCode })).status).toBe(201);
    await create('BEARING', 'goods', 'C62', 'standard');
    await create('BOOK', 'goods', 'C62', 'reduced');
    await create('INSTALL', 'service', 'HUR', 'standard');
    await create('TRAINING', 'service', 'C62', 'exempt-training');
    // A new category has no rates until they are added, even a 0 % one.
    const rate = await call('POST', '/tax-rates', 'controller', { taxCategoryCode: 'exempt-training', countryCode: 'DE', ratePercent: '0', validFrom: '2020-01-01' });
    expect(rate.status).toBe(201);
    items = await getItemsBySkus(t.database.handle.db, t.tenant.id, ['BEARING', 'BOOK', 'INSTALL', 'TRAINING']);
  });

  it('previews category and rate over HTTP, seller country from the tenant (DE)', async () => {
    const preview = async (sku: string, query: string) => (await call('GET', `/tax-determination?itemId=${items.get(sku)!.id}&${query}`, 'sales')).body;
    expect(await preview('BEARING', 'buyerCountry=DE&date=2026-06-01')).toEqual({
      itemId: items.get('BEARING')!.id,
      sellerCountry: 'DE',
      buyerCountry: 'DE',
      date: '2026-06-01',
      categoryCode: 'S',
      ratePercent: '19',
      exemptionReasonCode: null,
      exemptionReason: null,
    });
    expect(await preview('BOOK', 'buyerCountry=DE&date=2020-10-01')).toMatchObject({ categoryCode: 'S', ratePercent: '5' });
    expect(await preview('BEARING', 'buyerCountry=GR&buyerVatId=EL094014201&date=2026-06-01')).toMatchObject({ categoryCode: 'K', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-IC' });
    expect(await preview('INSTALL', 'buyerCountry=FR&buyerVatId=FR40303265045&date=2026-06-01')).toMatchObject({ categoryCode: 'AE', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-AE' });
    expect(await preview('BOOK', 'buyerCountry=FR&date=2026-06-01')).toMatchObject({ categoryCode: 'S', ratePercent: '7' });
    expect(await preview('BEARING', 'buyerCountry=US&date=2026-06-01')).toMatchObject({ categoryCode: 'G', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-G' });
    expect(await preview('INSTALL', 'buyerCountry=CH&date=2026-06-01')).toMatchObject({ categoryCode: 'O', ratePercent: '0', exemptionReasonCode: 'VATEX-EU-O' });
    expect(await preview('TRAINING', 'buyerCountry=AT&buyerVatId=ATU13585627&date=2026-06-01')).toMatchObject({
      categoryCode: 'E',
      ratePercent: '0',
      exemptionReasonCode: 'VATEX-EU-132-1I',
      exemptionReason: 'Vocational training',
    });
  });

  it('answers O2C_TAX_RATE_MISSING naming category, country and date when no rate applies', async () => {
    const missing = await call('GET', `/tax-determination?itemId=${items.get('BEARING')!.id}&buyerCountry=DE&date=2019-06-01`, 'sales');
    expectProblem(missing, 422, 'O2C_TAX_RATE_MISSING');
    expect(missing.body.detail).toBe('no tax rate for category "standard" in DE on 2019-06-01; add one under /api/v1/tax-rates');
    expectProblem(await call('GET', `/tax-determination?itemId=${unknownId}&buyerCountry=DE`, 'sales'), 404, 'O2C_NOT_FOUND');
  });

  it('determines many lines at once, and the single form agrees', async () => {
    const db = t.database.handle.db;
    const lineItems = ['BEARING', 'BOOK', 'INSTALL', 'TRAINING', 'BEARING'].map((sku) => items.get(sku)!);
    const austria = await determineLineTaxes(db, t.tenant.id, { sellerCountry: 'DE', buyerCountry: 'AT', buyerVatId: null, date: '2026-06-01', items: lineItems });
    expect(austria.map((tax) => [tax.categoryCode, tax.ratePercent])).toEqual([
      ['S', '19'],
      ['S', '7'],
      ['S', '19'],
      ['E', '0'],
      ['S', '19'],
    ]);
    const single = await determineLineTax(db, t.tenant.id, { sellerCountry: 'DE', buyerCountry: 'AT', buyerVatId: null, date: '2026-06-01', item: items.get('BOOK')! });
    expect(single).toEqual(austria[1]);
    // A seller in a country without rates: the missing rate is named.
    const error = await determineLineTaxes(db, t.tenant.id, { sellerCountry: 'DK', buyerCountry: 'DK', buyerVatId: null, date: '2026-06-01', items: lineItems }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('O2C_TAX_RATE_MISSING');
    expect((error as AppError).detail).toContain('"standard" in DK on 2026-06-01');
    expect(await determineLineTaxes(db, t.tenant.id, { sellerCountry: 'DE', buyerCountry: 'DE', buyerVatId: null, date: '2026-06-01', items: [] })).toEqual([]);
  });
});
