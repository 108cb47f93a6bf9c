import { Big, decimalToMinor, formatMinor, formatQuantity, lineAmountMinor, minorToDecimal, newId, parseMoney, parsePositiveQuantity, type Decimal } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import { recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import { AppError, invalidValue, readAt } from '../../platform/errors/app-error';
import { lockOrdersForInvoicing, recordInvoicedCharges, recordInvoicedQuantities } from '../orders';
import { cumulativeCreditTax, percentOfMinor, taxGroupKey, type BilledDocument, type TaxGroupAmounts } from './invoice-pricing.rules';
import type { StoredTaxBreakdown } from './invoicing.tables';
import { toJsonText } from '../../platform/json';
import type { InvoiceLineRow, InvoiceRow, InvoiceView } from './invoice-view';
import { createDraftLines, insertDraftHeader, issueDocument, linesOf, loadInvoice, lockInvoice, storedToNew, todayFor, type NewLine } from './invoices.service';
import { paymentStatusFor, recordMovements } from './balance.service';

export interface CreditRequestLine {
  readonly invoiceLineId: string;
  /** Goods or services given back: a quantity of the line. */
  readonly quantity?: string | undefined;
  /** A price reduction: a net amount (before VAT) off the line. */
  readonly amount?: string | undefined;
}

export interface Credited {
  quantity: Decimal;
  grossMinor: bigint;
  discountMinor: bigint;
  allowanceShareMinor: bigint;
  taxableMinor: bigint;
}

/** What credit notes already took from each line of an invoice. */
async function creditedSoFar(tx: Tx, tenantId: string, invoiceId: string): Promise<Map<string, Credited>> {
  const rows = await tx
    .selectFrom('invoice_lines as l')
    .innerJoin('invoices as c', (join) => join.onRef('c.tenant_id', '=', 'l.tenant_id').onRef('c.id', '=', 'l.invoice_id'))
    .select(['l.credited_line_id', 'l.quantity', 'l.is_price_reduction', 'l.gross_minor', 'l.discount_minor', 'l.allowance_share_minor', 'l.taxable_minor'])
    .where('l.tenant_id', '=', tenantId)
    .where('c.credited_invoice_id', '=', invoiceId)
    .where('c.status', '=', 'issued')
    .execute();
  const byLine = new Map<string, Credited>();
  for (const row of rows) {
    if (row.credited_line_id === null) continue;
    const sum = byLine.get(row.credited_line_id) ?? { quantity: new Big('0'), grossMinor: 0n, discountMinor: 0n, allowanceShareMinor: 0n, taxableMinor: 0n };
    byLine.set(row.credited_line_id, {
      quantity: row.is_price_reduction ? sum.quantity : sum.quantity.plus(new Big(row.quantity)),
      grossMinor: sum.grossMinor + row.gross_minor,
      discountMinor: sum.discountMinor + row.discount_minor,
      allowanceShareMinor: sum.allowanceShareMinor + row.allowance_share_minor,
      taxableMinor: sum.taxableMinor + row.taxable_minor,
    });
  }
  return byLine;
}

const none: Credited = { quantity: new Big('0'), grossMinor: 0n, discountMinor: 0n, allowanceShareMinor: 0n, taxableMinor: 0n };

/** A credit line copying the invoice line, for a quantity or (price reduction) an amount. */
function creditLine(line: InvoiceLineRow, invoice: InvoiceRow, credited: Credited, request: CreditRequestLine, index: number): NewLine {
  const path = `body.lines.${index}`;
  const base = {
    id: newId(),
    kind: line.kind,
    order_id: line.order_id,
    order_number: line.order_number,
    customer_po_number: line.customer_po_number,
    order_line_id: line.order_line_id,
    order_line_no: line.order_line_no,
    order_charge_id: line.order_charge_id,
    shipment_id: line.shipment_id,
    shipment_number: line.shipment_number,
    ship_date: line.ship_date,
    credited_line_id: line.id,
    item_id: line.item_id,
    item_kind: line.item_kind,
    sku: line.sku,
    unit: line.unit,
    charge_kind: line.charge_kind,
    tax_category: line.tax_category,
    tax_rate_percent: line.tax_rate_percent,
    tax_exemption_reason_code: line.tax_exemption_reason_code,
    tax_exemption_reason: line.tax_exemption_reason,
    revenue_account: line.revenue_account,
  } as const;
  const remainingTaxable = line.taxable_minor - credited.taxableMinor;
  const isCharge = line.kind === 'charge';
  if ((request.quantity === undefined) === (request.amount === undefined)) {
    throw invalidValue(path, 'give either a quantity (goods or services given back) or an amount (a price reduction), not both and not neither');
  }
  if (request.amount !== undefined || isCharge) {
    const amountText = request.amount ?? minorToDecimal(remainingTaxable, invoice.currency).toFixed();
    const amountMinor = readAt(`${path}.amount`, () => parseMoney(amountText, invoice.currency, 'amount')).amountMinor;
    if (amountMinor <= 0n) throw invalidValue(`${path}.amount`, 'must be more than zero');
    if (amountMinor > remainingTaxable) {
      throw new AppError('O2C_CREDIT_EXCEEDS_INVOICED', `line ${line.line_no} (${line.description}) has ${formatMinor(remainingTaxable, invoice.currency)} ${invoice.currency} left to credit; ${formatMinor(amountMinor, invoice.currency)} is more`, [
        { path: `${path}.amount`, message: `at most ${formatMinor(remainingTaxable, invoice.currency)}` },
      ]);
    }
    return {
      ...base,
      shipment_line_id: null,
      is_price_reduction: !isCharge,
      description: isCharge ? line.description : `Price reduction: ${line.description}`,
      quantity: '1',
      unit_price: minorToDecimal(amountMinor, invoice.currency).toFixed(),
      discount_percent: null,
      allowance_percent: null,
      fixed: { grossMinor: amountMinor, discountMinor: 0n, allowanceShareMinor: 0n },
    };
  }
  const quantity = readAt(`${path}.quantity`, () => parsePositiveQuantity(request.quantity!, `${path}.quantity`));
  const remaining = new Big(line.quantity).minus(credited.quantity);
  if (quantity.gt(remaining)) {
    throw new AppError('O2C_CREDIT_EXCEEDS_INVOICED', `line ${line.line_no} (${line.description}) has ${formatQuantity(remaining)} of ${formatQuantity(new Big(line.quantity))} invoiced left to credit; ${formatQuantity(quantity)} is more`, [
      { path: `${path}.quantity`, message: `at most ${formatQuantity(remaining)}` },
    ]);
  }
  // The last part of a line credited in pieces takes exactly what is left, so the pieces add up to the line.
  const fixed = quantity.eq(remaining)
    ? { grossMinor: line.gross_minor - credited.grossMinor, discountMinor: line.discount_minor - credited.discountMinor, allowanceShareMinor: line.allowance_share_minor - credited.allowanceShareMinor }
    : partOfWhatIsLeft(line, credited, quantity, remaining, invoice.currency);
  return {
    ...base,
    shipment_line_id: line.shipment_line_id,
    is_price_reduction: false,
    description: line.description,
    quantity: quantity.toFixed(),
    unit_price: line.unit_price,
    discount_percent: line.discount_percent,
    allowance_percent: line.allowance_percent,
    fixed,
  };
}

/**
 * A part of a line that is not its last is priced like any line, unless that takes
 * more of the line than is left — parts rounded up one after the other, or a price
 * reduction credited before. Then it takes its share of what is left, so no part
 * credits more than was invoiced and the last part is never negative. (The order
 * discount of a credit note is shared over its lines of the order, which can move a
 * part's share by one minor unit from its own; the margin covers that.)
 */
export function partOfWhatIsLeft(line: InvoiceLineRow, credited: Credited, quantity: Decimal, remaining: Decimal, currency: string): NewLine['fixed'] {
  const left = {
    grossMinor: line.gross_minor - credited.grossMinor,
    discountMinor: line.discount_minor - credited.discountMinor,
    allowanceShareMinor: line.allowance_share_minor - credited.allowanceShareMinor,
    taxableMinor: line.taxable_minor - credited.taxableMinor,
  };
  const grossMinor = lineAmountMinor(new Big(line.unit_price), quantity, currency);
  const discountMinor = line.discount_percent === null ? 0n : percentOfMinor(grossMinor, new Big(line.discount_percent), currency);
  const shared = line.order_id !== null && line.allowance_percent !== null && !new Big(line.allowance_percent).eq('0');
  const shareMinor = shared && grossMinor - discountMinor > 0n ? percentOfMinor(grossMinor - discountMinor, new Big(line.allowance_percent!), currency) : 0n;
  const margin = shared ? 1n : 0n;
  if (grossMinor <= left.grossMinor && discountMinor <= left.discountMinor && shareMinor + margin <= left.allowanceShareMinor && grossMinor - discountMinor - shareMinor + margin <= left.taxableMinor) return undefined;
  const part = (amountMinor: bigint) => (amountMinor <= 0n ? 0n : decimalToMinor(minorToDecimal(amountMinor, currency).times(quantity).div(remaining), currency));
  const partDiscount = part(left.discountMinor);
  const partShare = part(left.allowanceShareMinor);
  // Its taxable amount between nothing and what is left of the line's.
  const least = partDiscount + partShare;
  const most = least + (left.taxableMinor > 0n ? left.taxableMinor : 0n);
  const partGross = part(left.grossMinor);
  return { grossMinor: partGross < least ? least : partGross > most ? most : partGross, discountMinor: partDiscount, allowanceShareMinor: partShare };
}

/**
 * Credits an issued invoice, all of it (no lines named) or some lines: quantities
 * given back (which can be invoiced again) or amounts off (price reductions). The
 * credit note is numbered in its own gapless series and posts the reverse entry at
 * once. It reduces the invoice's open balance; what is larger than what is still
 * open stays as the customer's credit item.
 */
export async function creditInvoice(
  tx: Tx,
  context: RequestContext,
  invoiceId: string,
  input: { reason: string; lines?: readonly CreditRequestLine[] | undefined; goodsReturned?: boolean | undefined },
): Promise<InvoiceView> {
  const tenantId = context.actor.tenantId;
  const invoice = await lockInvoice(tx, tenantId, invoiceId);
  if (invoice.kind !== 'invoice') throw new AppError('O2C_BUSINESS_RULE', `${invoice.number ?? 'this document'} is a credit note; only invoices are credited`);
  if (invoice.status !== 'issued') throw new AppError('O2C_STATE_CONFLICT', 'a draft is not credited: change or delete the draft instead');
  const lines = await linesOf(tx, tenantId, invoiceId);
  const credited = await creditedSoFar(tx, tenantId, invoiceId);
  const requests: CreditRequestLine[] =
    input.lines === undefined || input.lines.length === 0
      ? lines.flatMap((line): CreditRequestLine[] => {
          const done = credited.get(line.id) ?? none;
          if (line.taxable_minor - done.taxableMinor <= 0n) return [];
          const remaining = new Big(line.quantity).minus(done.quantity);
          return line.kind === 'charge' || line.is_price_reduction || remaining.lte('0')
            ? [{ invoiceLineId: line.id, amount: minorToDecimal(line.taxable_minor - done.taxableMinor, invoice.currency).toFixed() }]
            : [{ invoiceLineId: line.id, quantity: remaining.toFixed() }];
        })
      : [...input.lines];
  if (requests.length === 0) throw new AppError('O2C_CREDIT_EXCEEDS_INVOICED', `${invoice.number} is already credited in full`);
  const seen = new Set<string>();
  const creditLines = requests.map((request, index) => {
    const line = lines.find((candidate) => candidate.id === request.invoiceLineId);
    if (line === undefined) throw new AppError('O2C_NOT_FOUND', `line ${request.invoiceLineId} is not a line of ${invoice.number}`, [{ path: `body.lines.${index}.invoiceLineId`, message: 'not a line of this invoice' }]);
    if (seen.has(line.id)) throw invalidValue(`body.lines.${index}.invoiceLineId`, `line ${line.line_no} is named twice; name each line once`);
    seen.add(line.id);
    const creditedLine = creditLine(line, invoice, credited.get(line.id) ?? none, request, index);
    // Goods that came back stay invoiced: the quantity is settled by this credit note, not billed again.
    return input.goodsReturned === true && creditedLine.kind === 'item' && creditedLine.item_kind === 'goods' && creditedLine.is_price_reduction !== true ? { ...creditedLine, goods_returned: true } : creditedLine;
  });
  const orders = await lockOrders(tx, tenantId, creditLines);
  const id = newId();
  await insertDraftHeader(tx, context, id, {
    customerId: invoice.customer_id,
    currency: invoice.currency,
    origin: 'credit',
    notes: null,
    orders,
    lines: creditLines,
    kind: 'credit_note',
    creditedInvoiceId: invoice.id,
    creditReason: input.reason,
  });
  const grossMinor = await alignCreditTax(tx, tenantId, invoice, id, await createDraftLines(tx, tenantId, id, invoice.currency, creditLines));
  // What goes against the invoice's open balance, and what stays as the customer's credit item.
  const applied = grossMinor < invoice.open_minor ? grossMinor : invoice.open_minor;
  await tx
    .updateTable('invoices')
    .set({ credited_minor: applied, buyer_reference: invoice.buyer_reference })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  // Quantities given back can be invoiced again (unless the goods came back); price reductions and charges give back nothing.
  await recordInvoicedQuantities(
    tx,
    tenantId,
    creditLines.flatMap((line) =>
      line.kind === 'item' && !line.is_price_reduction && line.goods_returned !== true && line.order_line_id != null ? [{ orderLineId: line.order_line_id, quantity: new Big(line.quantity).neg() }] : [],
    ),
  );
  const creditNote = await issueDocument(tx, context, id);
  const creditedMinor = invoice.credited_minor + applied;
  await tx
    .updateTable('invoices')
    .set({
      open_minor: invoice.open_minor - applied,
      credited_minor: creditedMinor,
      payment_status: paymentStatusFor({ gross_minor: invoice.gross_minor, credited_minor: creditedMinor }, invoice.open_minor - applied),
      version: invoice.version + 1,
      updated_at: new Date(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', invoice.id)
    .execute();
  await recordMovements(tx, invoice, [{ deltaMinor: -applied, kind: 'credited', businessDate: creditNote.issueDate ?? (await todayFor(tx, tenantId)), source: { type: 'credit_note', id } }]);
  await recordAudit(tx, context, {
    action: 'invoice.credited',
    entityType: 'invoice',
    entityId: invoice.id,
    before: { open: formatMinor(invoice.open_minor, invoice.currency) },
    after: { creditNote: creditNote.number, reason: input.reason, gross: creditNote.gross, open: formatMinor(invoice.open_minor - applied, invoice.currency), creditItem: formatMinor(grossMinor - applied, invoice.currency) },
  });
  return creditNote;
}

/**
 * Gives a credit note's VAT groups the tax that keeps the invoice's credit notes
 * reversing its VAT to the cent (cumulativeCreditTax), moving the difference (a
 * minor unit or so) onto the group's largest line; returns the note's new gross.
 */
async function alignCreditTax(tx: Tx, tenantId: string, invoice: InvoiceRow, creditNoteId: string, billed: BilledDocument): Promise<bigint> {
  const stored = (rows: readonly StoredTaxBreakdown[]): TaxGroupAmounts[] => rows.map((row) => ({ ...row, taxableMinor: BigInt(row.taxableMinor), taxMinor: BigInt(row.taxMinor) }));
  const earlier = await tx.selectFrom('invoices').select('tax_breakdown').where('tenant_id', '=', tenantId).where('credited_invoice_id', '=', invoice.id).where('status', '=', 'issued').execute();
  const targets = cumulativeCreditTax(
    stored(invoice.tax_breakdown as StoredTaxBreakdown[]),
    earlier.flatMap((note) => stored(note.tax_breakdown as StoredTaxBreakdown[])),
    billed.breakdown,
    invoice.currency,
  );
  const changes = billed.breakdown.flatMap((group) => {
    const delta = (targets.get(taxGroupKey(group)) ?? group.taxMinor) - group.taxMinor;
    return delta === 0n ? [] : [{ group, delta }];
  });
  if (changes.length === 0) return billed.grossMinor;
  const lines = await linesOf(tx, tenantId, creditNoteId);
  for (const { group, delta } of changes) {
    const members = lines.filter((line) => taxGroupKey({ categoryCode: line.tax_category, ratePercent: line.tax_rate_percent, exemptionReasonCode: line.tax_exemption_reason_code, exemptionReason: line.tax_exemption_reason }) === taxGroupKey(group));
    const largest = members.reduce((best, line) => (best === undefined || line.taxable_minor > best.taxable_minor ? line : best), members[0]);
    if (largest === undefined) continue;
    await tx.updateTable('invoice_lines').set({ tax_minor: largest.tax_minor + delta }).where('tenant_id', '=', tenantId).where('id', '=', largest.id).execute();
  }
  const total = changes.reduce((sum, change) => sum + change.delta, 0n);
  const breakdown = billed.breakdown.map((group) => ({
    categoryCode: group.categoryCode,
    ratePercent: group.ratePercent,
    exemptionReasonCode: group.exemptionReasonCode,
    exemptionReason: group.exemptionReason,
    taxableMinor: group.taxableMinor.toString(),
    taxMinor: (targets.get(taxGroupKey(group)) ?? group.taxMinor).toString(),
  }));
  await tx
    .updateTable('invoices')
    .set({ tax_minor: billed.taxMinor + total, gross_minor: billed.grossMinor + total, tax_breakdown: toJsonText(breakdown) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', creditNoteId)
    .execute();
  return billed.grossMinor + total;
}

async function lockOrders(tx: Tx, tenantId: string, lines: readonly NewLine[]) {
  const orderIds = [...new Set(lines.flatMap((line) => (line.order_id == null ? [] : [line.order_id])))];
  await lockOrdersForInvoicing(tx, tenantId, orderIds);
  return orderIds.length === 0 ? [] : tx.selectFrom('sales_orders').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', orderIds).execute();
}

/**
 * Corrects an invoice in one action: credits it in full and opens a draft with the
 * same lines (quantities, prices, charges), to be changed and issued anew.
 */
export async function correctInvoice(tx: Tx, context: RequestContext, invoiceId: string, reason: string): Promise<{ creditNote: InvoiceView; draft: InvoiceView }> {
  const tenantId = context.actor.tenantId;
  const invoice = await lockInvoice(tx, tenantId, invoiceId);
  if (invoice.kind === 'invoice' && invoice.status === 'issued' && invoice.credited_minor > 0n) {
    throw new AppError('O2C_BUSINESS_RULE', `${invoice.number} is already partly credited; credit the rest and invoice anew instead of correcting`);
  }
  const previous = await tx.selectFrom('invoices').select('number').where('tenant_id', '=', tenantId).where('credited_invoice_id', '=', invoiceId).executeTakeFirst();
  if (previous !== undefined) throw new AppError('O2C_BUSINESS_RULE', `${invoice.number} already has credit note ${previous.number}; credit the rest and invoice anew instead of correcting`);
  const creditNote = await creditInvoice(tx, context, invoiceId, { reason: `Correction: ${reason}` });
  const lines = (await linesOf(tx, tenantId, invoiceId)).map((line): NewLine => ({ ...storedToNew(line), id: newId() }));
  const orders = await lockOrders(tx, tenantId, lines);
  const id = newId();
  await insertDraftHeader(tx, context, id, { customerId: invoice.customer_id, currency: invoice.currency, origin: 'correction', notes: invoice.notes, orders, lines, correctsInvoiceId: invoice.id });
  const billed = await createDraftLines(tx, tenantId, id, invoice.currency, lines);
  await recordInvoicedQuantities(
    tx,
    tenantId,
    lines.flatMap((line) => (line.kind === 'item' && line.order_line_id != null ? [{ orderLineId: line.order_line_id, quantity: new Big(line.quantity) }] : [])),
  );
  await recordInvoicedCharges(tx, tenantId, lines.flatMap((line) => (line.kind === 'charge' && line.order_charge_id != null ? [line.order_charge_id] : [])), id);
  await recordAudit(tx, context, { action: 'invoice.corrected', entityType: 'invoice', entityId: invoice.id, after: { creditNote: creditNote.number, draft: id, reason, gross: formatMinor(billed.grossMinor, invoice.currency) } });
  return { creditNote, draft: await loadInvoice(tx, tenantId, id) };
}
