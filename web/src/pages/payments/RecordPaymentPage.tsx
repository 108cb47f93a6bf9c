import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import {
  ActionKey,
  ApiError,
  getCustomer,
  getOpenItems,
  paymentMethods,
  previewPayment,
  recordPayment,
  type ApplicationRequest,
  type Customer,
  type CustomerSummary,
  type NewPaymentInput,
  type OpenItems,
  type PaymentMethod,
} from '../../api';
import { ErrorMessage, describeError } from '../../components/ErrorMessage';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { SectionTabs } from '../../components/SectionTabs';
import { isPositiveDecimal, parseDecimalInput } from '../../decimal';
import { todayIn } from '../../format';
import { useFormatters, useMe } from '../../session';
import { useSubmit } from '../../useSubmit';
import { usePageTitle } from '../../usePageTitle';
import { useQueryParams } from '../invoicing/invoicingParts';
import { CustomerCombobox } from '../orders/orderParts';
import { BalanceFacts, OpenItemsTable } from '../receivables/receivablesParts';
import { ApplicationPlanTable, methodLabel, paymentsTabs, useApplicationPlan } from './paymentParts';

interface LoadedOpenItems {
  readonly customerId: string;
  readonly data: OpenItems | null;
  readonly error: unknown;
}

export function RecordPaymentPage() {
  usePageTitle('Record payment');
  const me = useMe();
  const format = useFormatters();
  const navigate = useNavigate();
  const query = useQueryParams();
  const presetCustomerId = query.get('customerId');
  const id = useId();
  const today = todayIn(me.tenant.timeZone);
  const [actionKey] = useState(() => new ActionKey());

  const [customer, setCustomer] = useState<CustomerSummary | null>(null);
  const [customerDetail, setCustomerDetail] = useState<Customer | null>(null);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('bank_transfer');
  const [valueDate, setValueDate] = useState(today);
  const [payerReference, setPayerReference] = useState('');
  const [bankAccount, setBankAccount] = useState('');
  const [notes, setNotes] = useState('');
  const [openItems, setOpenItems] = useState<LoadedOpenItems | null>(null);
  const [customerError, setCustomerError] = useState<unknown>(null);

  // A customer named in the address (from the customer's account or an invoice) is chosen at once.
  useEffect(() => {
    if (presetCustomerId === undefined) return;
    let live = true;
    getCustomer(presetCustomerId).then(
      (found) => {
        if (!live) return;
        setCustomer(found);
        setCurrency(found.currency);
      },
      (failure: unknown) => {
        if (live) setCustomerError(failure);
      },
    );
    return () => {
      live = false;
    };
  }, [presetCustomerId]);

  // The chosen customer's bank accounts and open items.
  const customerId = customer?.id ?? null;
  useEffect(() => {
    setCustomerDetail(null);
    setOpenItems(null);
    if (customerId === null) return;
    let live = true;
    getCustomer(customerId).then(
      (found) => {
        if (live) setCustomerDetail(found);
      },
      () => undefined,
    );
    getOpenItems(customerId).then(
      (data) => {
        if (live) setOpenItems({ customerId, data, error: null });
      },
      (failure: unknown) => {
        if (live) setOpenItems({ customerId, data: null, error: failure });
      },
    );
    return () => {
      live = false;
    };
  }, [customerId]);

  const parsedAmount = amount.trim() === '' ? null : parseDecimalInput(amount);
  const amountProblem = amount.trim() !== '' && !isPositiveDecimal(parsedAmount) ? 'Enter the amount received, such as 1250.00.' : undefined;
  const currencyCode = currency.trim().toUpperCase();
  const currencyProblem = currency.trim() !== '' && !/^[A-Z]{3}$/.test(currencyCode) ? 'Three letters, such as EUR.' : undefined;
  const dateProblem = valueDate !== '' && valueDate > today ? 'Money is recorded when it has arrived: today or earlier.' : undefined;
  const loadedItems = openItems !== null && openItems.customerId === customerId ? openItems.data : null;
  const invoices = useMemo(() => (loadedItems === null ? [] : loadedItems.items.filter((item) => item.type === 'invoice')), [loadedItems]);

  const receipt =
    customerId !== null && isPositiveDecimal(parsedAmount) && /^[A-Z]{3}$/.test(currencyCode) && valueDate !== '' && dateProblem === undefined && loadedItems !== null
      ? { customerId, amount: parsedAmount, currency: currencyCode, valueDate }
      : null;
  const basis = receipt === null ? '' : JSON.stringify(receipt);
  const runPreview = useCallback(
    (applications?: ApplicationRequest[]) => {
      const body = JSON.parse(basis) as { customerId: string; amount: string; currency: string; valueDate: string };
      return previewPayment(applications === undefined ? body : { ...body, applications });
    },
    [basis],
  );
  const plan = useApplicationPlan(basis, invoices, receipt?.amount ?? '0', receipt?.currency ?? (currencyCode || me.tenant.baseCurrency), runPreview);

  const submit = useSubmit(async () => {
    if (receipt === null) throw new Error('Choose the customer and enter the amount, currency and value date first.');
    if (!plan.ready) throw new Error('Wait for the preview of the application, or correct the marked amounts.');
    const body: NewPaymentInput = {
      ...receipt,
      method,
      payerReference: payerReference.trim() === '' ? null : payerReference.trim(),
      bankAccount: bankAccount.trim() === '' ? null : bankAccount.trim(),
      notes: notes.trim() === '' ? null : notes.trim(),
      ...(plan.applications.length === 0 ? {} : { applications: plan.applications }),
    };
    const payment = await actionKey.run(body, (key) => recordPayment(body, key));
    const applied = payment.applications.filter((application) => application.status === 'active').length;
    void navigate(`/payments/${payment.id}`, {
      state: {
        notice: `Payment ${payment.number} of ${format.money(payment.amount, payment.currency)} recorded${
          applied === 0 ? '' : `, applied to ${applied === 1 ? '1 invoice' : `${applied} invoices`}`
        }; ${format.money(payment.unapplied, payment.currency)} unapplied.`,
      },
    });
  });

  const suggestionError = plan.suggestionError instanceof ApiError ? plan.suggestionError : null;
  const saveError = submit.error instanceof ApiError ? submit.error : null;
  const fieldError = (name: string, local: string | undefined) => local ?? saveError?.fieldError(name) ?? suggestionError?.fieldError(name);

  return (
    <>
      <SectionTabs label="Payments" links={paymentsTabs} />
      <h1>Record payment</h1>
      <p className="page-intro">
        Enter the money received. The open invoices of the customer are suggested oldest due first, with early-payment discount where the amount covers it; change what is applied to each before you confirm. What is not applied stays
        as the customer's unapplied cash.
      </p>
      <ErrorMessage error={customerError} />
      <form onSubmit={(event) => void submit.run(event)} aria-labelledby={`${id}-receipt`}>
        <section className="card" aria-labelledby={`${id}-receipt`}>
          <h2 id={`${id}-receipt`}>Payment received</h2>
          <div className="field-grid">
            <CustomerCombobox
              label="Customer"
              value={customer}
              onSelect={(chosen) => {
                setCustomer(chosen);
                if (chosen !== null) setCurrency(chosen.currency);
              }}
              placeholder="Name or number"
              required
              error={fieldError('customerId', undefined)}
              autoFocus={presetCustomerId === undefined}
            />
            <Field
              label="Amount received"
              inputMode="decimal"
              className="num-input"
              required
              value={amount}
              onChange={setAmount}
              error={fieldError('amount', amountProblem)}
              autoFocus={presetCustomerId !== undefined}
            />
            <Field
              label="Currency"
              className="uppercase"
              required
              maxLength={3}
              value={currency}
              onChange={(value) => setCurrency(value.toUpperCase())}
              hint={customer === null ? undefined : customer.currency === currencyCode ? "The customer's currency." : `The customer invoices in ${customer.currency}.`}
              error={fieldError('currency', currencyProblem)}
            />
            <SelectField label="Method" value={method} onChange={(value) => setMethod(value as PaymentMethod)} error={fieldError('method', undefined)}>
              {paymentMethods.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {methodLabel(candidate)}
                </option>
              ))}
            </SelectField>
            <Field
              label="Value date"
              type="date"
              required
              max={today}
              value={valueDate}
              onChange={setValueDate}
              hint="The day the money arrived: decides discounts and the exchange rate."
              error={fieldError('valueDate', dateProblem)}
            />
            <Field label="Payer reference" maxLength={200} value={payerReference} onChange={setPayerReference} hint="What the payer wrote, e.g. the invoice number." error={fieldError('payerReference', undefined)} />
            <Field
              label="Bank account"
              maxLength={100}
              list={`${id}-accounts`}
              value={bankAccount}
              onChange={setBankAccount}
              hint="The account the money came from (IBAN or name)."
              error={fieldError('bankAccount', undefined)}
            />
            <datalist id={`${id}-accounts`}>
              {(customerDetail?.bankAccounts ?? []).map((account) => (
                <option key={account.id} value={account.iban}>
                  {account.accountHolder}
                </option>
              ))}
            </datalist>
          </div>
          <TextAreaField label="Notes" maxLength={2000} value={notes} onChange={setNotes} error={fieldError('notes', undefined)} />
        </section>

        {customer === null ? null : (
          <section className="section" aria-labelledby={`${id}-open`}>
            <div className="list-toolbar">
              <h2 id={`${id}-open`}>Open items of {customer.name}</h2>
              <Link to={`/customers/${customer.id}/account`}>Customer account</Link>
            </div>
            {openItems?.error ? <ErrorMessage error={openItems.error} /> : null}
            {loadedItems === null ? (
              openItems?.error ? null : (
                <p className="loading" role="status">
                  Loading open items…
                </p>
              )
            ) : (
              <div className="stack">
                <BalanceFacts openItems={loadedItems} />
                <OpenItemsTable items={loadedItems.items} caption={`Open items of ${customer.name}`} />
              </div>
            )}
          </section>
        )}

        <section className="section" aria-labelledby={`${id}-plan`}>
          <h2 id={`${id}-plan`}>Application</h2>
          {receipt === null ? (
            <p className="muted">Choose the customer and enter the amount, currency and value date: the application is suggested then.</p>
          ) : (
            <>
              {suggestionError === null && plan.suggestionError !== null ? <ErrorMessage error={plan.suggestionError} /> : null}
              {suggestionError === null ? null : (
                <div className="message message-error" role="alert">
                  <p>{describeError(suggestionError)}</p>
                </div>
              )}
              <ApplicationPlanTable plan={plan} caption="Application of the payment to open invoices" />
            </>
          )}
        </section>

        <ErrorMessage error={submit.error} shownFields={['customerId', 'amount', 'currency', 'method', 'valueDate', 'payerReference', 'bankAccount', 'notes']} />
        <div className="actions form-actions">
          <button type="submit" disabled={submit.busy || !plan.ready}>
            Record payment
          </button>
          <button type="button" className="secondary" onClick={() => void navigate('/payments')} disabled={submit.busy}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
