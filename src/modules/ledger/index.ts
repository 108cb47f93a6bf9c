import { Big } from '../../kernel';
import type { ModuleDefinition } from '../../platform/module';
import { defineNumberSeries } from '../../platform/number-series/number-series';
import { createDefaultChart } from './accounts.service';
import { ledgerRoutes } from './ledger.routes';
import { postEntry } from './posting.service';
import { setRates } from './rates.service';
export { setRates } from './rates.service';
import './ledger.tables';

export type { AccountView } from './accounts.service';
export type { PostingInput, PostingLineInput, PostedEntry } from './posting.service';
export { postEntry, reverseEntry, vatPayableKey } from './posting.service';
export { findRate } from './rates.service';
export { customerEntries, customerBalances, type CustomerEntry, type CustomerAccountKey } from './customer-accounts.service';

/** The ledger: chart of accounts, journal, exchange rates, periods, trial balance. */
export const ledgerModule: ModuleDefinition = {
  name: 'ledger',
  routes: ledgerRoutes,
  async setUpTenant(tx, tenantId) {
    await createDefaultChart(tx, tenantId);
    await defineNumberSeries(tx, tenantId, 'journal', 'JE-{yyyy}-{seq:6}');
  },
  async loadDemo(tx, context) {
    // Month-end reference rates for the demo company's foreign currencies (units of EUR per unit).
    const rates: Array<[string, string]> = [['USD', '0.9210'], ['GBP', '1.1655'], ['SEK', '0.0871'], ['CHF', '1.0642'], ['DKK', '0.1341']];
    const dates = ['2026-09-30', '2026-10-31'];
    await setRates(
      tx,
      context,
      dates.flatMap((rateDate) => rates.map(([fromCurrency, rate]) => ({ fromCurrency, toCurrency: 'EUR', rateDate, rate: new Big(rate) }))),
      'manual',
    );
    // The opening balance of the bank account against equity.
    await postEntry(tx, context, {
      businessDate: '2026-01-02',
      description: 'Opening balance',
      source: { type: 'manual', id: 'opening-2026' },
      currency: 'EUR',
      kind: 'manual',
      lines: [
        { systemKey: 'bank', side: 'debit', amountMinor: 25_000_000n },
        { accountId: (await tx.selectFrom('accounts').select('id').where('tenant_id', '=', context.actor.tenantId).where('number', '=', '0800').executeTakeFirstOrThrow()).id, side: 'credit', amountMinor: 25_000_000n },
      ],
    });
  },
};
