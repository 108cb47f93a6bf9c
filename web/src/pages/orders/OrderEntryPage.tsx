import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  ActionKey,
  ApiError,
  bodyPath,
  createOrder,
  getCustomer,
  getOrder,
  listWarehouses,
  quoteOrder,
  replaceOrderLines,
  submitOrder,
  updateOrderHeader,
  type ChargeKind,
  type Customer,
  type CustomerSummary,
  type Item,
  type Order,
  type OrderChargeInput,
  type OrderInput,
  type OrderLineInput,
  type OrderQuote,
  type QuoteLine,
  type ShippingPolicy,
} from '../../api';
import { describeError, ErrorMessage } from '../../components/ErrorMessage';
import { Combobox } from '../../components/Combobox';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { RequirePermission } from '../../components/RequirePermission';
import { SectionTabs, orderTabs } from '../../components/SectionTabs';
import { addDecimal, compareDecimal, isPositiveDecimal, parseDecimalInput } from '../../decimal';
import { useFormatters } from '../../session';
import { useLoad } from '../../useLoad';
import { UnitLabel } from '../../units';
import { usePageTitle } from '../../usePageTitle';
import { OrderStatusBadge } from '../../components/Badges';
import {
  CustomerCombobox,
  TotalsBox,
  chargeKindLabels,
  renderItemOption,
  searchSellableItems,
  shippingPolicyLabels,
  TaxLabel,
} from './orderParts';

/** The part of an item a line needs. */
type ItemRef = Pick<Item, 'id' | 'sku' | 'name' | 'kind' | 'unit'>;

interface LineDraft {
  readonly key: string;
  /** The order line this row keeps (when changing an order). */
  readonly lineId?: string;
  /** The item the kept line had; its description and price override stay while the item does. */
  readonly original?: { readonly itemId: string; readonly description: string; readonly unitPrice?: string; readonly priceOverrideReason?: string };
  item: ItemRef | null;
  quantity: string;
  discount: string;
}

interface ChargeDraft {
  readonly key: string;
  kind: ChargeKind;
  amount: string;
  description: string;
}

let nextKey = 0;
const newKey = () => `k${++nextKey}`;
const emptyLine = (): LineDraft => ({ key: newKey(), item: null, quantity: '', discount: '' });

const quoteDelayMs = 300;

export function OrderEntryPage() {
  const { orderId } = useParams();
  const [params] = useSearchParams();
  const loadOrder = useCallback(() => (orderId === undefined ? Promise.resolve(null) : getOrder(orderId)), [orderId]);
  const order = useLoad(loadOrder);
  usePageTitle(orderId === undefined ? 'New order' : 'Change order');

  let content;
  if (order.error !== null) content = <ErrorMessage error={order.error} />;
  else if (order.loading && order.data === null)
    content = (
      <p className="loading" role="status">
        Loading order…
      </p>
    );
  else content = <OrderEntryForm key={order.data?.id ?? 'new'} order={order.data} presetCustomerId={params.get('customerId')} onReload={order.reload} />;
  return <RequirePermission permission="enterOrders">{content}</RequirePermission>;
}

interface OrderEntryFormProps {
  readonly order: Order | null;
  readonly presetCustomerId: string | null;
  readonly onReload: () => void;
}

function OrderEntryForm({ order, presetCustomerId, onReload }: OrderEntryFormProps) {
  const format = useFormatters();
  const navigate = useNavigate();
  const editing = order !== null;
  const [createKey] = useState(() => new ActionKey());
  const [submitKey] = useState(() => new ActionKey());

  const [customer, setCustomer] = useState<CustomerSummary | null>(null);
  const [customerDetail, setCustomerDetail] = useState<Customer | null>(null);
  const [shipToAddressId, setShipToAddressId] = useState('');
  const [warehouseId, setWarehouseId] = useState(order?.warehouseId ?? '');
  const [requestedDeliveryDate, setRequestedDeliveryDate] = useState(order?.requestedDeliveryDate ?? '');
  const [customerPoNumber, setCustomerPoNumber] = useState(order?.customerPoNumber ?? '');
  const [shippingPolicy, setShippingPolicy] = useState<ShippingPolicy>(order?.shippingPolicy === 'complete' ? 'complete' : 'partial');
  const [notes, setNotes] = useState(order?.notes ?? '');
  const [orderDiscount, setOrderDiscount] = useState(order?.orderDiscountPercent ?? '');
  const [lines, setLines] = useState<LineDraft[]>(() =>
    order === null
      ? [emptyLine()]
      : order.lines
          .filter((line) => compareDecimal(line.quantity, line.quantityCancelled) > 0 || compareDecimal(line.quantityShipped, '0') > 0)
          .map((line) => ({
            key: newKey(),
            lineId: line.id,
            original: {
              itemId: line.itemId,
              description: line.description,
              ...(line.priceSource === 'override' ? { unitPrice: line.unitPrice, priceOverrideReason: line.priceOverrideReason ?? '' } : {}),
            },
            item: { id: line.itemId, sku: line.sku, name: line.description, kind: line.kind === 'service' ? 'service' : 'goods', unit: line.unit },
            quantity: line.quantity,
            discount: line.discountPercent ?? '',
          })),
  );
  const [charges, setCharges] = useState<ChargeDraft[]>(() =>
    (order?.charges ?? []).map((charge) => ({
      key: newKey(),
      kind: charge.kind === 'handling' ? 'handling' : charge.kind === 'other' ? 'other' : 'freight',
      amount: charge.amount,
      description: charge.description,
    })),
  );
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [quote, setQuote] = useState<{ data: OrderQuote | null; error: unknown; lineKeys: string[]; chargeKeys: string[] }>({
    data: null,
    error: null,
    lineKeys: [],
    chargeKeys: [],
  });
  const [quoting, setQuoting] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saveKeys, setSaveKeys] = useState<{ lines: string[]; charges: string[] }>({ lines: [], charges: [] });
  const [localError, setLocalError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const form = useRef<HTMLFormElement>(null);

  const loadWarehouses = useCallback(async () => (await listWarehouses()).items, []);
  const warehouses = useLoad(loadWarehouses);

  // A customer given in the address (from the customer page) is chosen at once.
  useEffect(() => {
    if (editing || presetCustomerId === null) return;
    let live = true;
    getCustomer(presetCustomerId).then(
      (found) => {
        if (!live) return;
        setCustomer(found);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [editing, presetCustomerId]);

  // The chosen customer's addresses and status.
  useEffect(() => {
    if (customer === null) {
      setCustomerDetail(null);
      setShipToAddressId('');
      return;
    }
    let live = true;
    getCustomer(customer.id).then(
      (found) => {
        if (!live) return;
        setCustomerDetail(found);
        setShipToAddressId(found.addresses.find((address) => address.kind === 'shipping' && address.isDefault)?.id ?? '');
      },
      (failure: unknown) => {
        if (live) setLocalError(describeError(failure));
      },
    );
    return () => {
      live = false;
    };
  }, [customer]);

  const customerId = order?.customer.id ?? customer?.id ?? null;
  const currency = order?.currency ?? customerDetail?.currency ?? customer?.currency ?? '';

  // ---- what the form holds, as the API takes it

  const parsedLines = lines.map((line) => {
    const quantity = parseDecimalInput(line.quantity);
    const discount = line.discount.trim() === '' ? null : parseDecimalInput(line.discount);
    const problems: string[] = [];
    if (line.quantity.trim() !== '' && !isPositiveDecimal(quantity)) problems.push('Enter a quantity greater than zero.');
    if (line.discount.trim() !== '' && discount === null) problems.push('Enter the discount in percent, e.g. 5.');
    return { line, quantity, discount, problems, complete: line.item !== null && isPositiveDecimal(quantity) && problems.length === 0 };
  });
  const parsedCharges = charges.map((charge) => {
    const amount = parseDecimalInput(charge.amount);
    const problem = charge.amount.trim() !== '' && amount === null ? 'Enter an amount, e.g. 15.00.' : null;
    return { charge, amount, problem, complete: amount !== null };
  });
  const discountPercent = orderDiscount.trim() === '' ? null : parseDecimalInput(orderDiscount);
  const discountProblem = orderDiscount.trim() !== '' && discountPercent === null ? 'Enter the discount in percent, e.g. 2.' : undefined;

  const lineInput = (entry: (typeof parsedLines)[number]): OrderLineInput => {
    const { line, quantity, discount } = entry;
    const keeps = line.original !== undefined && line.item !== null && line.original.itemId === line.item.id;
    return {
      ...(keeps && line.lineId !== undefined ? { lineId: line.lineId } : {}),
      itemId: line.item?.id ?? '',
      quantity: quantity ?? '',
      ...(discount === null ? {} : { discountPercent: discount }),
      ...(keeps && line.original !== undefined ? { description: line.original.description } : {}),
      ...(keeps && line.original?.unitPrice !== undefined
        ? { unitPrice: line.original.unitPrice, priceOverrideReason: line.original.priceOverrideReason ?? '' }
        : {}),
    };
  };
  const chargeInput = (entry: (typeof parsedCharges)[number]): OrderChargeInput => ({
    kind: entry.charge.kind,
    amount: entry.amount ?? '',
    ...(entry.charge.description.trim() === '' ? {} : { description: entry.charge.description.trim() }),
  });

  const header = (): Omit<OrderInput, 'lines' | 'charges'> =>
    order === null
      ? {
          customerId: customerId ?? '',
          ...(shipToAddressId === '' ? {} : { shipToAddressId }),
          ...(warehouseId === '' ? {} : { warehouseId }),
          requestedDeliveryDate: requestedDeliveryDate === '' ? null : requestedDeliveryDate,
          customerPoNumber: customerPoNumber.trim() === '' ? null : customerPoNumber.trim(),
          shippingPolicy,
          orderDiscountPercent: discountPercent,
          notes: notes.trim() === '' ? null : notes.trim(),
        }
      : {
          customerId: order.customer.id,
          currency: order.currency,
          orderDate: order.orderDate,
          shipTo: order.shipTo,
          warehouseId: order.warehouseId,
          shippingPolicy: order.shippingPolicy === 'complete' ? 'complete' : 'partial',
          orderDiscountPercent: discountPercent,
        };

  // ---- the quote: as you type, debounced

  const quotable = parsedLines.filter((entry) => entry.complete);
  const quotableCharges = parsedCharges.filter((entry) => entry.complete);
  const quoteBody: OrderInput | null =
    customerId === null || quotable.length === 0 || discountProblem !== undefined
      ? null
      : { ...header(), lines: quotable.map(lineInput), charges: quotableCharges.map(chargeInput) };
  const quoteText = quoteBody === null ? '' : JSON.stringify({ ...quoteBody, customerPoNumber: undefined, notes: undefined, requestedDeliveryDate: undefined });
  const quoteLineKeys = quotable.map((entry) => entry.line.key).join(',');
  const quoteChargeKeys = quotableCharges.map((entry) => entry.charge.key).join(',');
  const quoteTicket = useRef(0);

  useEffect(() => {
    const ticket = ++quoteTicket.current;
    if (quoteText === '') {
      setQuoting(false);
      setQuote({ data: null, error: null, lineKeys: [], chargeKeys: [] });
      return;
    }
    setQuoting(true);
    const timer = setTimeout(() => {
      quoteOrder(JSON.parse(quoteText) as OrderInput).then(
        (data) => {
          if (ticket !== quoteTicket.current) return;
          setQuote({ data, error: null, lineKeys: quoteLineKeys.split(','), chargeKeys: quoteChargeKeys === '' ? [] : quoteChargeKeys.split(',') });
          setQuoting(false);
        },
        (failure: unknown) => {
          if (ticket !== quoteTicket.current) return;
          setQuote({ data: null, error: failure, lineKeys: quoteLineKeys.split(','), chargeKeys: quoteChargeKeys === '' ? [] : quoteChargeKeys.split(',') });
          setQuoting(false);
        },
      );
    }, quoteDelayMs);
    return () => clearTimeout(timer);
  }, [quoteText, quoteLineKeys, quoteChargeKeys]);

  const quotedLine = (key: string): QuoteLine | undefined => {
    const index = quote.lineKeys.indexOf(key);
    return index < 0 ? undefined : quote.data?.lines[index];
  };

  // Field errors of the save (all lines sent) or else of the quote (complete lines only), by row.
  const rowErrors = (prefix: 'lines' | 'charges', key: string): string[] => {
    const fromSave = saveError instanceof ApiError ? saveError : null;
    const fromQuote = quote.error instanceof ApiError ? quote.error : null;
    const source = fromSave ?? fromQuote;
    if (source === null) return [];
    const keys = fromSave !== null ? (prefix === 'lines' ? saveKeys.lines : saveKeys.charges) : prefix === 'lines' ? quote.lineKeys : quote.chargeKeys;
    const index = keys.indexOf(key);
    if (index < 0) return [];
    return source.fieldErrors.filter((issue) => bodyPath(issue.path).startsWith(`${prefix}.${index}.`) || bodyPath(issue.path) === `${prefix}.${index}`).map((issue) => issue.message);
  };

  // Availability per item: everything ordered of it against what is free for this order.
  const availability = useMemo(() => {
    const byItem = new Map<string, { ordered: string; available: string }>();
    if (quote.data === null) return byItem;
    quote.data.lines.forEach((quoted, index) => {
      if (quoted.available === null) return;
      const key = quote.lineKeys[index];
      const draft = lines.find((line) => line.key === key);
      if (draft === undefined) return;
      // An order being changed already holds stock: what it reserved is free for it.
      const ownReservation = order?.lines.find((line) => line.id === draft.lineId && line.itemId === quoted.itemId)?.quantityReserved ?? '0';
      const current = byItem.get(quoted.itemId);
      byItem.set(quoted.itemId, {
        ordered: current === undefined ? quoted.quantity : addDecimal(current.ordered, quoted.quantity),
        available: addDecimal(current === undefined ? quoted.available : current.available, ownReservation),
      });
    });
    return byItem;
  }, [quote, lines, order]);

  const shortage = (item: ItemRef | null): string | null => {
    if (item === null) return null;
    const entry = availability.get(item.id);
    if (entry === undefined || compareDecimal(entry.ordered, entry.available) <= 0) return null;
    if (compareDecimal(entry.available, '0') <= 0) return `None of ${format.quantity(entry.ordered)} available, all backordered`;
    return `${format.quantity(entry.available)} of ${format.quantity(entry.ordered)} available, rest backordered`;
  };

  // ---- editing the rows

  const patchLine = (key: string, change: Partial<LineDraft>) => {
    setSaveError(null);
    setLines((current) => current.map((line) => (line.key === key ? { ...line, ...change } : line)));
  };
  const patchCharge = (key: string, change: Partial<ChargeDraft>) => {
    setSaveError(null);
    setCharges((current) => current.map((charge) => (charge.key === key ? { ...charge, ...change } : charge)));
  };
  const addLine = () => {
    const line = emptyLine();
    setLines((current) => [...current, line]);
    setFocusKey(line.key);
  };
  const addCharge = () => {
    const charge: ChargeDraft = { key: newKey(), kind: charges.some((candidate) => candidate.kind === 'freight') ? 'handling' : 'freight', amount: '', description: '' };
    setCharges((current) => [...current, charge]);
    setFocusKey(charge.key);
  };

  // ---- saving

  const save = async (andSubmit: boolean) => {
    setLocalError(null);
    setSaveError(null);
    if (customerId === null) {
      setLocalError('Choose a customer.');
      return;
    }
    const used = parsedLines.filter((entry) => entry.line.item !== null || entry.line.quantity.trim() !== '');
    if (used.length === 0) {
      setLocalError('Add at least one line with an item and a quantity.');
      return;
    }
    const incomplete = used.find((entry) => !entry.complete);
    if (incomplete !== undefined) {
      setLocalError(
        incomplete.line.item === null
          ? `Line ${lines.indexOf(incomplete.line) + 1}: choose an item.`
          : `Line ${lines.indexOf(incomplete.line) + 1}: ${incomplete.problems[0] ?? 'enter a quantity.'}`,
      );
      return;
    }
    const usedCharges = parsedCharges.filter((entry) => entry.charge.amount.trim() !== '');
    const badCharge = usedCharges.find((entry) => !entry.complete);
    if (badCharge !== undefined || discountProblem !== undefined) {
      setLocalError(discountProblem ?? `Charge ${charges.indexOf(badCharge!.charge) + 1}: ${badCharge!.problem ?? 'enter an amount.'}`);
      return;
    }
    const sentLines = used.map(lineInput);
    const sentCharges = usedCharges.map(chargeInput);
    setSaveKeys({ lines: used.map((entry) => entry.line.key), charges: usedCharges.map((entry) => entry.charge.key) });
    setBusy(andSubmit ? 'submit' : 'draft');
    let saved: Order | null = null;
    try {
      if (order === null) {
        const body: OrderInput = { ...header(), lines: sentLines, charges: sentCharges };
        saved = await createKey.run(body, (key) => createOrder(body, key));
      } else {
        let version = order.version;
        const headerChanges: { customerPoNumber?: string | null; requestedDeliveryDate?: string | null; notes?: string | null } = {};
        const po = customerPoNumber.trim() === '' ? null : customerPoNumber.trim();
        const requested = requestedDeliveryDate === '' ? null : requestedDeliveryDate;
        const note = notes.trim() === '' ? null : notes.trim();
        if (po !== order.customerPoNumber) headerChanges.customerPoNumber = po;
        if (requested !== order.requestedDeliveryDate) headerChanges.requestedDeliveryDate = requested;
        if (note !== order.notes) headerChanges.notes = note;
        if (Object.keys(headerChanges).length > 0) version = (await updateOrderHeader(order.id, { version, ...headerChanges })).version;
        saved = await replaceOrderLines(order.id, { version, lines: sentLines, charges: sentCharges, orderDiscountPercent: discountPercent });
      }
    } catch (failure) {
      setSaveError(failure);
      setBusy(null);
      return;
    }
    let notice = order === null ? `Order ${saved.number} saved as a draft.` : `Order ${saved.number} changed.`;
    let problem: string | null = null;
    if (andSubmit && saved.availableActions.includes('submit')) {
      try {
        const submitted = await submitKey.run({ submit: saved.id }, (key) => submitOrder(saved.id, key));
        notice = `Order ${submitted.number} submitted.`;
      } catch (failure) {
        problem = `Order ${saved.number} was saved as a draft, but submitting it failed: ${describeError(failure)}`;
      }
    }
    setBusy(null);
    void navigate(`/orders/${saved.id}`, { state: { notice, problem } });
  };

  // Enter in a field does not save: an order is saved by its buttons only.
  const onSubmit = (event: FormEvent) => event.preventDefault();

  // After a refusal, focus goes to the first marked field, or to the message.
  useEffect(() => {
    if (saveError === null && localError === null) return;
    const target = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.current?.querySelector<HTMLElement>('[role="alert"]');
    target?.focus();
  }, [saveError, localError]);

  const apiSaveError = saveError instanceof ApiError ? saveError : null;
  const shippingAddresses = customerDetail?.addresses.filter((address) => address.kind === 'shipping') ?? [];
  const canSubmit = order === null || order.availableActions.includes('submit');
  const title = order === null ? 'New order' : `Change order ${order.number}`;

  return (
    <>
      {order === null ? <SectionTabs label="Orders" links={orderTabs} /> : null}
      {order === null ? null : (
        <p className="breadcrumb">
          <Link to="/orders">Orders</Link> › <Link to={`/orders/${order.id}`}>{order.number}</Link> › change
        </p>
      )}
      <div className="page-heading">
        <h1>
          {title} {order === null ? null : <OrderStatusBadge status={order.status} />}
        </h1>
      </div>
      {order !== null && order.status !== 'draft' ? (
        <p className="message message-info" role="note">
          This order is {order.status.replace(/_/g, ' ')}: saving re-prices it and re-reserves its stock.
        </p>
      ) : null}
      <form className="order-form" ref={form} onSubmit={onSubmit} aria-label={title} noValidate>
        <section className="card" aria-labelledby="order-header-heading">
          <h2 id="order-header-heading">Customer and delivery</h2>
          <div className="field-grid">
            {order === null ? (
              <CustomerCombobox
                label="Customer"
                value={customer}
                onSelect={(chosen) => {
                  setSaveError(null);
                  setLocalError(null);
                  setCustomer(chosen);
                }}
                placeholder="Name, number or VAT ID"
                required
                autoFocus={presetCustomerId === null}
                error={apiSaveError?.fieldError('customerId')}
              />
            ) : (
              <div className="field">
                <span className="label">Customer</span>
                <span className="static-value">
                  <Link to={`/customers/${order.customer.id}`}>{order.customer.name}</Link> <span className="muted">{order.customer.number}</span>
                </span>
              </div>
            )}
            {order === null ? (
              <SelectField
                label="Ship to"
                value={shipToAddressId}
                onChange={setShipToAddressId}
                disabled={customerDetail === null}
                error={apiSaveError?.fieldError('shipToAddressId')}
              >
                {customerDetail === null ? <option value="">Choose a customer first</option> : null}
                {shippingAddresses.map((address) => (
                  <option key={address.id} value={address.id}>
                    {address.name}, {address.line1}, {address.postalCode} {address.city}, {address.countryCode}
                    {address.isDefault ? ' (default)' : ''}
                  </option>
                ))}
              </SelectField>
            ) : (
              <div className="field">
                <span className="label">Ship to</span>
                <span className="static-value">
                  {order.shipTo.name}, {order.shipTo.line1}, {order.shipTo.postalCode} {order.shipTo.city}, {order.shipTo.countryCode}
                </span>
              </div>
            )}
            <Field
              label="Requested delivery date"
              type="date"
              value={requestedDeliveryDate}
              onChange={setRequestedDeliveryDate}
              error={apiSaveError?.fieldError('requestedDeliveryDate')}
            />
            <Field
              label="Customer PO number"
              value={customerPoNumber}
              onChange={setCustomerPoNumber}
              maxLength={100}
              autoComplete="off"
              error={apiSaveError?.fieldError('customerPoNumber')}
            />
            <SelectField
              label="Shipping"
              value={shippingPolicy}
              onChange={(value) => setShippingPolicy(value === 'complete' ? 'complete' : 'partial')}
              disabled={order !== null}
              error={apiSaveError?.fieldError('shippingPolicy')}
            >
              <option value="partial">{shippingPolicyLabels.partial}</option>
              <option value="complete">{shippingPolicyLabels.complete}</option>
            </SelectField>
            <SelectField label="Warehouse" value={warehouseId} onChange={setWarehouseId} disabled={order !== null} error={apiSaveError?.fieldError('warehouseId')}>
              {order === null ? <option value="">Default warehouse</option> : null}
              {(warehouses.data ?? [])
                .filter((warehouse) => warehouse.active || warehouse.id === warehouseId)
                .map((warehouse) => (
                  <option key={warehouse.id} value={warehouse.id}>
                    {warehouse.code} — {warehouse.name}
                  </option>
                ))}
            </SelectField>
          </div>
          {customerDetail?.status === 'blocked' ? (
            <p className="message message-warning" role="alert">
              {customerDetail.name} is blocked: {customerDetail.blockedReason ?? 'no reason given'}. The order cannot be submitted while the block lasts.
            </p>
          ) : null}
          {customerDetail === null ? null : (
            <p className="field-hint">
              {customerDetail.number} · currency {customerDetail.currency} · payment terms {customerDetail.paymentTermsCode}
              {customerDetail.creditLimit === null ? '' : ` · credit limit ${format.money(customerDetail.creditLimit, customerDetail.currency)}`}
            </p>
          )}
        </section>

        <section className="card" aria-labelledby="order-lines-heading">
          <div className="list-toolbar list-toolbar-tight">
            <h2 id="order-lines-heading">Lines</h2>
            <span className="muted small" role="status" aria-live="polite">
              {quoting ? 'Pricing…' : quote.data !== null ? `Priced in ${quote.data.currency}` : ''}
            </span>
          </div>
          <div className="table-wrap order-lines">
            <table role="table">
              <caption className="visually-hidden">Order lines</caption>
              <thead role="rowgroup">
                <tr role="row">
                  <th scope="col" role="columnheader" className="col-no">#</th>
                  <th scope="col" role="columnheader" className="col-item">Item</th>
                  <th scope="col" role="columnheader" className="col-qty">Quantity</th>
                  <th scope="col" role="columnheader" className="col-discount">Discount %</th>
                  <th scope="col" role="columnheader" className="num">Unit price</th>
                  <th scope="col" role="columnheader">VAT</th>
                  <th scope="col" role="columnheader" className="num">Net amount</th>
                  <th scope="col" role="columnheader">
                    <span className="visually-hidden">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                {parsedLines.map(({ line, problems }, index) => {
                  const number = index + 1;
                  const quoted = quotedLine(line.key);
                  const errors = [...problems, ...rowErrors('lines', line.key)];
                  const warning = shortage(line.item);
                  return (
                    <tr role="row" key={line.key} data-testid={`line-${number}`} className={errors.length > 0 ? 'row-invalid' : undefined}>
                      <td role="cell" className="col-no" data-label="Line">
                        {number}
                      </td>
                      <td role="cell" className="col-item" data-label="Item">
                        <Combobox<ItemRef>
                          label={`Item, line ${number}`}
                          hideLabel
                          value={line.item}
                          onSelect={(item) => patchLine(line.key, { item })}
                          search={searchSellableItems}
                          getKey={(item) => item.id}
                          display={(item) => item.sku}
                          renderOption={renderItemOption}
                          exactMatch={(item, text) => item.sku.toLowerCase() === text.toLowerCase()}
                          placeholder="SKU or name"
                          autoFocus={focusKey === line.key}
                        />
                        {line.item === null ? null : <div className="muted small line-description">{quoted?.description ?? line.item.name}</div>}
                        {errors.length === 0 ? null : (
                          <small className="field-error" id={`line-${line.key}-error`}>
                            {errors.join(' ')}
                          </small>
                        )}
                        {warning === null ? null : (
                          <small className="availability-warning" data-testid={`line-${number}-availability`}>
                            {warning}
                            {shippingPolicy === 'complete' ? ' — the order waits until every line can be met' : ''}
                          </small>
                        )}
                      </td>
                      <td role="cell" className="col-qty" data-label="Quantity">
                        <span className="qty-input">
                          <input
                            aria-label={`Quantity, line ${number}`}
                            inputMode="decimal"
                            className="num-input"
                            value={line.quantity}
                            onChange={(event) => patchLine(line.key, { quantity: event.target.value })}
                            aria-invalid={errors.length > 0 ? true : undefined}
                            aria-describedby={errors.length > 0 ? `line-${line.key}-error` : undefined}
                          />
                          <span className="muted small">{line.item === null ? null : <UnitLabel code={line.item.unit} />}</span>
                        </span>
                      </td>
                      <td role="cell" className="col-discount" data-label="Discount %">
                        <input
                          aria-label={`Discount percent, line ${number}`}
                          inputMode="decimal"
                          className="num-input"
                          value={line.discount}
                          placeholder="0"
                          onChange={(event) => patchLine(line.key, { discount: event.target.value })}
                        />
                      </td>
                      <td role="cell" className="num" data-label="Unit price" data-testid={`line-${number}-unit-price`}>
                        {quoted === undefined ? '—' : format.unitPrice(quoted.unitPrice, quote.data?.currency ?? currency)}
                        {quoted?.priceSource === 'override' ? <div className="muted small">override</div> : null}
                      </td>
                      <td role="cell" data-label="VAT" data-testid={`line-${number}-tax`} className="nowrap">
                        {quoted === undefined ? '—' : <TaxLabel category={quoted.taxCategory} ratePercent={quoted.taxRatePercent} />}
                      </td>
                      <td role="cell" className="num strong" data-label="Net amount" data-testid={`line-${number}-net`}>
                        {quoted === undefined ? '—' : format.money(quoted.netAmount, quote.data?.currency ?? currency)}
                      </td>
                      <td role="cell" className="cell-actions">
                        <button
                          type="button"
                          className="secondary small"
                          aria-label={`Remove line ${number}`}
                          onClick={() => {
                            setSaveError(null);
                            setLines((current) => (current.length === 1 ? [emptyLine()] : current.filter((candidate) => candidate.key !== line.key)));
                          }}
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="actions">
            <button type="button" className="secondary" onClick={addLine}>
              Add line
            </button>
          </div>
        </section>

        <div className="order-bottom">
          <div>
            <section className="card" aria-labelledby="order-charges-heading">
              <h2 id="order-charges-heading">Charges</h2>
              {charges.length === 0 ? <p className="muted">No freight or handling charges.</p> : null}
              {parsedCharges.map(({ charge, problem }, index) => {
                const number = index + 1;
                const errors = [...(problem === null ? [] : [problem]), ...rowErrors('charges', charge.key)];
                return (
                  <div className="charge-row" key={charge.key} role="group" aria-label={`Charge ${number}`}>
                    <SelectField
                      label="Kind"
                      value={charge.kind}
                      onChange={(value) => patchCharge(charge.key, { kind: value === 'handling' ? 'handling' : value === 'other' ? 'other' : 'freight' })}
                      autoFocus={focusKey === charge.key}
                    >
                      <option value="freight">{chargeKindLabels.freight}</option>
                      <option value="handling">{chargeKindLabels.handling}</option>
                      <option value="other">{chargeKindLabels.other}</option>
                    </SelectField>
                    <Field
                      label={`Amount (${currency === '' ? 'net' : `${currency}, net`})`}
                      inputMode="decimal"
                      className="num-input field-amount"
                      value={charge.amount}
                      onChange={(amount) => patchCharge(charge.key, { amount })}
                      error={errors.length === 0 ? undefined : errors.join(' ')}
                    />
                    <Field label="Description" value={charge.description} onChange={(description) => patchCharge(charge.key, { description })} placeholder={chargeKindLabels[charge.kind]} />
                    <button
                      type="button"
                      className="secondary small"
                      aria-label={`Remove charge ${number}`}
                      onClick={() => setCharges((current) => current.filter((candidate) => candidate.key !== charge.key))}
                    >
                      Remove
                    </button>
                  </div>
                );
              })}
              <div className="actions">
                <button type="button" className="secondary" onClick={addCharge}>
                  Add charge
                </button>
              </div>
            </section>
            <section className="card" aria-labelledby="order-more-heading">
              <h2 id="order-more-heading">Discount and notes</h2>
              <Field
                label="Order discount (%)"
                inputMode="decimal"
                className="num-input field-percent"
                value={orderDiscount}
                onChange={setOrderDiscount}
                error={discountProblem ?? apiSaveError?.fieldError('orderDiscountPercent')}
              />
              <TextAreaField label="Notes" value={notes} onChange={setNotes} maxLength={2000} error={apiSaveError?.fieldError('notes')} />
            </section>
          </div>
          <div>
            {quote.data === null ? (
              <section className="totals-box" aria-labelledby="totals-heading">
                <h2 id="totals-heading">Totals</h2>
                <p className="muted">{customerId === null ? 'Choose a customer and add lines to see prices.' : 'Add a line with an item and a quantity to see prices.'}</p>
              </section>
            ) : (
              <TotalsBox totals={quote.data.totals} taxBreakdown={quote.data.taxBreakdown} currency={quote.data.currency} stale={quoting} />
            )}
            {quote.error !== null && saveError === null ? (
              <div className="message message-error" role="alert">
                <p>The order cannot be priced: {describeError(quote.error)}</p>
              </div>
            ) : null}
          </div>
        </div>

        {localError === null ? null : (
          <p className="message message-error" role="alert" tabIndex={-1}>
            {localError}
          </p>
        )}
        {apiSaveError?.code === 'O2C_VERSION_CONFLICT' ? (
          <div className="message message-error" role="alert" tabIndex={-1}>
            <p>Someone else changed this order in the meantime — reload to see it, then apply your change again.</p>
            <button type="button" onClick={onReload}>
              Reload
            </button>
          </div>
        ) : (
          <ErrorMessage
            error={saveError}
            shownFields={['customerId', 'shipToAddressId', 'requestedDeliveryDate', 'customerPoNumber', 'shippingPolicy', 'warehouseId', 'orderDiscountPercent', 'notes', 'lines', 'charges']}
          />
        )}
        <div className="actions form-actions">
          {canSubmit ? (
            <button type="button" disabled={busy !== null} onClick={() => void save(true)}>
              {busy === 'submit' ? 'Saving…' : 'Save and submit'}
            </button>
          ) : null}
          <button type="button" className={canSubmit ? 'secondary' : undefined} disabled={busy !== null} onClick={() => void save(false)}>
            {busy === 'draft' ? 'Saving…' : order === null ? 'Save as draft' : 'Save changes'}
          </button>
          <Link className="button secondary" to={order === null ? '/orders' : `/orders/${order.id}`}>
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
