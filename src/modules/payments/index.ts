import { currencyExponent } from '../../kernel';
import type { ModuleDefinition } from '../../platform/module';
import { getTenant } from '../../platform/tenants/tenants';
import { defineNumberSeries } from '../../platform/number-series/number-series';
import { paymentsRoutes } from './payments.routes';
import './payments.tables';

export type { PaymentView, RefundView } from './payments.service';
export type { WriteOffView } from './write-offs.service';
export type { PaymentMethod, RefundMethod } from './payments.tables';
export { recordPayment, applyPayment, reversePayment, refund, applyCreditNote, loadPayment, undo as undoApplication } from './payments.service';
export { requestWriteOff, decideWriteOff } from './write-offs.service';
export { discountFor } from './applications.service';

/** Payments: money received, applied to invoices (discounts, differences, exchange differences), undone, reversed, refunded; credit items used; write-offs. */
export const paymentsModule: ModuleDefinition = {
  name: 'payments',
  routes: paymentsRoutes,
  async setUpTenant(tx, tenantId) {
    await defineNumberSeries(tx, tenantId, 'payment', 'PAY-{yyyy}-{seq:6}');
    await defineNumberSeries(tx, tenantId, 'refund', 'RFD-{yyyy}-{seq:6}');
    // 5.00 of tolerance and 1,000.00 for a write-off without a controller, in the base currency's own units.
    const unit = 10n ** BigInt(currencyExponent((await getTenant(tx, tenantId)).baseCurrency));
    await tx
      .insertInto('payment_settings')
      .values({ tenant_id: tenantId, tolerance_minor: 5n * unit, write_off_threshold_minor: 1000n * unit })
      .onConflict((conflict) => conflict.column('tenant_id').doNothing())
      .execute();
  },
};
