import type { ModuleDefinition } from '../../platform/module';
import { defineNumberSeries } from '../../platform/number-series/number-series';
import { dailyInvoicingJob, invoiceShipmentJob, onSendRequested, onShipmentReadyToInvoice, sendDueJob, sendInvoiceJob } from './automatic';
import { invoicingRoutes } from './invoicing.routes';
import './invoicing.tables';

export type { InvoiceView, InvoiceListItem } from './invoice-view';
export type { InvoiceDocument } from './invoice-document';
export { loadInvoice, findInvoiceRow, lockInvoice, createInvoiceDraft, issueDocument, todayFor, updateDraft } from './invoices.service';
export { correctInvoice, creditInvoice } from './credit-notes.service';
export { runInvoicing } from './automatic';
export { recordSendOutcome, requestSending, sendDocument, takeSending } from './sending.service';
export { changeOpenBalance, paymentStatusFor, type BalanceChange } from './balance.service';
export { isOverdue, type InvoiceRow } from './invoice-view';
export type { StoredTaxBreakdown, EnTaxCategory } from './invoicing.tables';
export { parseCreditorReference, isValidCreditorReference } from './payment-reference.rules';

/** Invoicing: invoices and credit notes from shipments and services, issued, posted, rendered as PDF and UBL, sent. */
export const invoicingModule: ModuleDefinition = {
  name: 'invoicing',
  routes: invoicingRoutes,
  jobs: [invoiceShipmentJob, sendInvoiceJob, sendDueJob, dailyInvoicingJob],
  subscribers: { 'shipment.ready_to_invoice': [onShipmentReadyToInvoice], 'invoice.send_requested': [onSendRequested] },
  async setUpTenant(tx, tenantId) {
    await defineNumberSeries(tx, tenantId, 'invoice', 'INV-{yyyy}-{seq:6}');
    await defineNumberSeries(tx, tenantId, 'credit_note', 'CN-{yyyy}-{seq:6}');
    await tx.insertInto('invoicing_settings').values({ tenant_id: tenantId }).onConflict((conflict) => conflict.column('tenant_id').doNothing()).execute();
  },
};
