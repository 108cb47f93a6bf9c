import type { ModuleDefinition } from '../../platform/module';
import { defineNumberSeries } from '../../platform/number-series/number-series';
import { paymentsRoutes } from './payments.routes';
import './payments.tables';

export type { PaymentView, RefundView } from './payments.service';
export type { WriteOffView } from './write-offs.service';
export type { PaymentMethod, RefundMethod } from './payments.tables';
export { recordPayment, applyPayment, reversePayment, refund, applyCreditNote, loadPayment, undo as undoApplication } from './payments.service';
export { requestWriteOff, decideWriteOff } from './write-offs.service';

/** Payments: money received, applied to invoices (discounts, differences, exchange differences), undone, reversed, refunded; credit items used; write-offs. */
export const paymentsModule: ModuleDefinition = {
  name: 'payments',
  routes: paymentsRoutes,
  async setUpTenant(tx, tenantId) {
    await defineNumberSeries(tx, tenantId, 'payment', 'PAY-{yyyy}-{seq:6}');
    await defineNumberSeries(tx, tenantId, 'refund', 'RFD-{yyyy}-{seq:6}');
    await tx.insertInto('payment_settings').values({ tenant_id: tenantId }).onConflict((conflict) => conflict.column('tenant_id').doNothing()).execute();
  },
};
