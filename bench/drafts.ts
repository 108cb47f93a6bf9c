import { sql } from 'kysely';
import { systemContext } from '../src/platform/auth/actor';
import { inTransaction, type DatabaseHandle } from '../src/platform/db/database';
import { createShipment, packShipment, pickShipment, shipShipment } from '../src/modules/fulfillment';
import { createInvoiceDraft } from '../src/modules/invoicing';
import { createOrder } from '../src/modules/orders';
import { submitOrder } from '../src/workflows/submit-order';

/**
 * Draft invoices ready to issue, for the benchmarks that time issuing: one real draft
 * of a shipped 10-line order for `customerName`, made by the product's own services
 * (order, submit, shipment picked, packed and shipped, draft), then `count` copies
 * of its header and lines made with SQL (with no order claims: they stand for
 * drafts of other shipments). Needs the demo's records in the tenant. Returns the
 * template's id and the copies' ids in the order to issue them.
 */
export async function prepareDrafts(handle: DatabaseHandle, tenantId: string, customerName: string, count: number): Promise<{ template: string; drafts: string[] }> {
  const db = handle.db;
  const context = systemContext(tenantId, 'benchmark');
  const customer = await db.selectFrom('customers').select('id').where('tenant_id', '=', tenantId).where('name', '=', customerName).executeTakeFirstOrThrow();
  const items = await db.selectFrom('items').select('id').where('tenant_id', '=', tenantId).where('kind', '=', 'goods').where('active', '=', true).orderBy('sku').execute();
  const template = await inTransaction(db, async (tx) => {
    await sql`update stock_levels set on_hand = 1000000 where tenant_id = ${tenantId}`.execute(tx);
    const order = await createOrder(tx, context, { customerId: customer.id, lines: Array.from({ length: 10 }, (_, index) => ({ itemId: items[index % items.length]!.id, quantity: String(1 + (index % 4)) })) }, 'api');
    await submitOrder(tx, context, order.id);
    const shipment = await createShipment(tx, context, { orderId: order.id });
    await pickShipment(tx, context, shipment.id);
    await packShipment(tx, context, shipment.id, [{ packageType: 'box' }]);
    await shipShipment(tx, context, shipment.id, { carrier: 'DHL' });
    return createInvoiceDraft(tx, context, { shipmentIds: [shipment.id], origin: 'manual' });
  });
  await sql`
    with copies as (select gen_random_uuid() as id from generate_series(1, ${count})),
    headers as (
      insert into invoices select i.tenant_id, c.id, i.kind, i.number, i.status, i.origin, i.sending_status, i.payment_status, i.customer_id, i.customer_number,
        i.customer_name, i.customer_legal_name, i.customer_vat_id, i.customer_email, i.billing_line1, i.billing_line2, i.billing_postal_code, i.billing_city,
        i.billing_country_code, i.deliver_to_name, i.deliver_to_line1, i.deliver_to_line2, i.deliver_to_postal_code, i.deliver_to_city, i.deliver_to_country_code,
        i.currency, i.base_currency, i.exchange_rate, i.tax_base_minor, i.issue_date, i.delivery_date, i.due_date, i.payment_terms_code, i.payment_terms_name,
        i.payment_terms_net_days, i.payment_terms_basis, i.payment_terms_discount_percent, i.payment_terms_discount_days, i.discount_deadline, i.discount_minor,
        i.payment_reference, i.buyer_reference, i.order_discount_percent, i.lines_net_minor, i.allowances_minor, i.charges_minor, i.taxable_minor, i.tax_minor,
        i.gross_minor, i.tax_breakdown, i.open_minor, i.credited_minor, i.credited_invoice_id, i.corrects_invoice_id, i.credit_reason, i.notes, i.journal_entry_id,
        i.created_by, i.issued_by, i.issued_at, 1, now(), now()
      from invoices i, copies c where i.tenant_id = ${tenantId} and i.id = ${template.id} returning id)
    insert into invoice_lines (tenant_id, id, invoice_id, line_no, kind, item_id, item_kind, sku, description, unit, quantity, unit_price, discount_percent,
      gross_minor, discount_minor, net_minor, allowance_share_minor, taxable_minor, tax_category, tax_rate_percent, tax_exemption_reason_code, tax_exemption_reason,
      tax_minor, revenue_account)
    select l.tenant_id, gen_random_uuid(), h.id, l.line_no, l.kind, l.item_id, l.item_kind, l.sku, l.description, l.unit, l.quantity, l.unit_price, l.discount_percent,
      l.gross_minor, l.discount_minor, l.net_minor, l.allowance_share_minor, l.taxable_minor, l.tax_category, l.tax_rate_percent, l.tax_exemption_reason_code,
      l.tax_exemption_reason, l.tax_minor, l.revenue_account
    from invoice_lines l, headers h where l.tenant_id = ${tenantId} and l.invoice_id = ${template.id}`.execute(db);
  await sql`analyze`.execute(db);
  const copies = await db.selectFrom('invoices').select('id').where('tenant_id', '=', tenantId).where('status', '=', 'draft').where('id', '!=', template.id).orderBy('id').execute();
  return { template: template.id, drafts: copies.map((row) => row.id) };
}
