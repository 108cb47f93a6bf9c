import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { allows } from '../../access';
import {
  ActionKey,
  ApiError,
  createCustomer,
  getCustomer,
  listAll,
  listPaymentTerms,
  listPriceLists,
  updateCustomer,
  type Customer,
  type CustomerFields,
} from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, SelectField } from '../../components/Field';
import { SaveError } from '../../components/SaveError';
import { parseDecimalInput } from '../../decimal';
import { useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import {
  AddressesEditor,
  BankAccountsEditor,
  ContactsEditor,
  addressInputs,
  bankAccountInputs,
  contactInputs,
  emptyAddress,
  type AddressDraft,
  type BankAccountDraft,
  type ContactDraft,
} from './CustomerParts';

type FormValues = Record<keyof CustomerFields, string>;

const ownFields: ReadonlyArray<keyof CustomerFields> = [
  'name',
  'legalName',
  'vatId',
  'countryCode',
  'currency',
  'language',
  'paymentTermsCode',
  'priceListId',
  'creditLimit',
  'invoicingMoment',
  'invoiceGrouping',
];

function toValues(customer: Customer | null, defaults: { currency: string; countryCode: string }): FormValues {
  return {
    name: customer?.name ?? '',
    legalName: customer?.legalName ?? '',
    vatId: customer?.vatId ?? '',
    countryCode: customer?.countryCode ?? defaults.countryCode,
    currency: customer?.currency ?? defaults.currency,
    language: customer?.language ?? 'de',
    paymentTermsCode: customer?.paymentTermsCode ?? '',
    priceListId: customer?.priceListId ?? '',
    creditLimit: customer?.creditLimit ?? '',
    invoicingMoment: customer?.invoicingMoment ?? 'shipment',
    invoiceGrouping: customer?.invoiceGrouping ?? 'per_shipment',
  };
}

/** "de-DE" → "DE": the company's own country as a default for new customers. */
function regionOf(locale: string): string {
  try {
    return new Intl.Locale(locale).maximize().region ?? '';
  } catch {
    return '';
  }
}

const loadReferences = async () => {
  const [paymentTerms, priceLists] = await Promise.all([
    listAll((cursor) => listPaymentTerms({ active: 'true' }, cursor)),
    listAll((cursor) => listPriceLists({ active: 'true' }, cursor, 200)),
  ]);
  return { paymentTerms, priceLists };
};

/** Create a customer (with its addresses, contacts and bank accounts) or change its own fields. */
export function CustomerFormPage() {
  const { customerId } = useParams();
  const loadCustomer = useCallback(() => (customerId === undefined ? Promise.resolve(null) : getCustomer(customerId)), [customerId]);
  const customer = useLoad(loadCustomer);
  usePageTitle(customerId === undefined ? 'New customer' : 'Edit customer');

  if (customer.error !== null) return <ErrorMessage error={customer.error} />;
  if (customer.loading && customer.data === null) {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  return <CustomerForm key={`${customer.data?.id ?? 'new'}-${customer.data?.version ?? 0}`} customer={customer.data} onReload={customer.reload} />;
}

function CustomerForm({ customer, onReload }: { readonly customer: Customer | null; readonly onReload: () => void }) {
  const me = useMe();
  const navigate = useNavigate();
  const references = useLoad(loadReferences);
  const [actionKey] = useState(() => new ActionKey());
  const homeCountry = regionOf(me.tenant.locale);
  const [values, setValues] = useState<FormValues>(() => toValues(customer, { currency: me.tenant.baseCurrency, countryCode: homeCountry }));
  const [addresses, setAddresses] = useState<AddressDraft[]>(() => [
    emptyAddress('billing', '', homeCountry),
    { ...emptyAddress('shipping', '', homeCountry), isDefault: true },
  ]);
  const [contacts, setContacts] = useState<ContactDraft[]>([]);
  const [bankAccounts, setBankAccounts] = useState<BankAccountDraft[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [localErrors, setLocalErrors] = useState<Partial<Record<keyof CustomerFields, string>>>({});
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const creating = customer === null;
  const canEditMaster = allows(me.actor.roles, 'editCustomers');
  const canEditCredit = allows(me.actor.roles, 'editCreditLimit');

  // After a refusal, focus goes to the first marked field.
  useEffect(() => {
    if (error !== null || Object.keys(localErrors).length > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error, localErrors]);

  const set = (name: keyof CustomerFields) => (value: string) => setValues((current) => ({ ...current, [name]: value }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const problems: Partial<Record<keyof CustomerFields, string>> = {};
    const creditLimit = values.creditLimit.trim() === '' ? null : parseDecimalInput(values.creditLimit);
    if (values.creditLimit.trim() !== '' && creditLimit === null) problems.creditLimit = 'Enter an amount such as 50000.00, or leave it empty for none.';
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0) return;

    const fields: CustomerFields = {
      name: values.name.trim(),
      legalName: values.legalName.trim() === '' ? values.name.trim() : values.legalName.trim(),
      vatId: values.vatId.trim() === '' ? null : values.vatId.replace(/\s/g, '').toUpperCase(),
      countryCode: values.countryCode.trim().toUpperCase(),
      currency: values.currency.trim().toUpperCase(),
      language: values.language.trim().toLowerCase(),
      paymentTermsCode: values.paymentTermsCode,
      priceListId: values.priceListId === '' ? null : values.priceListId,
      creditLimit,
      invoicingMoment: values.invoicingMoment === 'delivery' ? 'delivery' : 'shipment',
      invoiceGrouping: values.invoiceGrouping === 'daily' ? 'daily' : 'per_shipment',
    };
    setBusy(true);
    try {
      if (creating) {
        const { creditLimit: limit, ...rest } = fields;
        const body = {
          ...rest,
          ...(canEditCredit && limit !== null ? { creditLimit: limit } : {}),
          addresses: addressInputs(addresses, rest.legalName),
          contacts: contactInputs(contacts),
          bankAccounts: bankAccountInputs(bankAccounts),
        };
        const created = await actionKey.run(body, (key) => createCustomer(body, key));
        void navigate(`/customers/${created.id}`);
      } else {
        const changes: Partial<CustomerFields> = {};
        for (const name of ownFields) {
          // A limit changes under credit management, with a reason (the customer's Credit page).
          if (name === 'creditLimit' || !canEditMaster) continue;
          if (customer[name] !== fields[name]) Object.assign(changes, { [name]: fields[name] });
        }
        if (Object.keys(changes).length > 0) await updateCustomer(customer.id, { version: customer.version, ...changes });
        void navigate(`/customers/${customer.id}`);
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  const fieldError = (name: keyof CustomerFields) => localErrors[name] ?? apiError?.fieldError(name);
  const masterReadOnly = !canEditMaster;
  const priceLists = (references.data?.priceLists ?? []).filter((list) => list.currency === values.currency.trim().toUpperCase() || list.id === values.priceListId);

  return (
    <>
      <p className="breadcrumb">
        <Link to="/customers">Customers</Link> › {creating ? 'New customer' : <Link to={`/customers/${customer.id}`}>{customer.number}</Link>}
      </p>
      <h1>{creating ? 'New customer' : `Edit ${customer.name}`}</h1>
      {creating ? null : <p className="page-meta">Version {customer.version}. Addresses, contacts and bank accounts are changed on the customer page.</p>}
      {masterReadOnly ? (
        <p className="message message-info" role="note">
          Your roles let you change the credit limit only.
        </p>
      ) : null}
      <form className="settings-form" ref={form} onSubmit={(event) => void onSubmit(event)} aria-label={creating ? 'New customer' : 'Edit customer'} noValidate>
        <fieldset>
          <legend>Customer</legend>
          <div className="field-grid">
            <Field label="Name" required value={values.name} onChange={set('name')} readOnly={masterReadOnly} error={fieldError('name')} hint="The name people search and read" />
            <Field label="Legal name" value={values.legalName} onChange={set('legalName')} readOnly={masterReadOnly} error={fieldError('legalName')} hint="On invoices; defaults to the name" />
            <Field label="VAT ID" className="uppercase" value={values.vatId} onChange={set('vatId')} readOnly={masterReadOnly} error={fieldError('vatId')} hint="With country prefix, e.g. DE123456789" />
            <Field label="Country" required maxLength={2} className="uppercase" value={values.countryCode} onChange={set('countryCode')} readOnly={masterReadOnly} error={fieldError('countryCode')} hint="Two letters, e.g. DE" />
            <Field label="Language" required maxLength={3} value={values.language} onChange={set('language')} readOnly={masterReadOnly} error={fieldError('language')} hint="Of documents and e-mails, e.g. de, en" />
          </div>
        </fieldset>
        <fieldset>
          <legend>Terms</legend>
          <div className="field-grid">
            <Field label="Currency" required maxLength={3} className="uppercase" value={values.currency} onChange={set('currency')} readOnly={masterReadOnly} error={fieldError('currency')} hint="ISO 4217 code, e.g. EUR" />
            <SelectField label="Payment terms" required value={values.paymentTermsCode} onChange={set('paymentTermsCode')} disabled={masterReadOnly} error={fieldError('paymentTermsCode')}>
              <option value="">Choose…</option>
              {(references.data?.paymentTerms ?? []).map((terms) => (
                <option key={terms.id} value={terms.code}>
                  {terms.code} — {terms.name}
                </option>
              ))}
              {values.paymentTermsCode !== '' && !(references.data?.paymentTerms ?? []).some((terms) => terms.code === values.paymentTermsCode) ? (
                <option value={values.paymentTermsCode}>{values.paymentTermsCode}</option>
              ) : null}
            </SelectField>
            <SelectField label="Price list" value={values.priceListId} onChange={set('priceListId')} disabled={masterReadOnly} error={fieldError('priceListId')} hint="Items it does not price come from the default list">
              <option value="">Default list of the currency</option>
              {priceLists.map((list) => (
                <option key={list.id} value={list.id}>
                  {list.name} ({list.currency})
                </option>
              ))}
            </SelectField>
            <SelectField label="Invoicing" value={values.invoicingMoment} onChange={set('invoicingMoment')} disabled={masterReadOnly} error={fieldError('invoicingMoment')}>
              <option value="shipment">On shipment</option>
              <option value="delivery">On confirmed delivery</option>
            </SelectField>
            <SelectField label="Invoices" value={values.invoiceGrouping} onChange={set('invoiceGrouping')} disabled={masterReadOnly} error={fieldError('invoiceGrouping')}>
              <option value="per_shipment">One per shipment</option>
              <option value="daily">Collected daily</option>
            </SelectField>
            <Field
              label="Credit limit"
              inputMode="decimal"
              className="num-input"
              value={values.creditLimit}
              onChange={set('creditLimit')}
              readOnly={!canEditCredit || !creating}
              error={fieldError('creditLimit')}
              hint={
                canEditCredit && creating
                  ? `Opening limit in ${values.currency || 'the customer currency'}; empty for none`
                  : 'Set by credit management, with a reason, on the customer’s Credit page'
              }
            />
          </div>
        </fieldset>
        {creating ? (
          <>
            <fieldset>
              <legend>Addresses</legend>
              <p className="field-hint">Exactly one billing address and at least one shipping address.</p>
              <AddressesEditor drafts={addresses} onChange={setAddresses} error={error} disabled={busy} defaultName={values.legalName.trim() || values.name.trim()} />
            </fieldset>
            <fieldset>
              <legend>Contacts</legend>
              <ContactsEditor drafts={contacts} onChange={setContacts} error={error} disabled={busy} />
            </fieldset>
            <fieldset>
              <legend>Bank accounts</legend>
              <p className="field-hint">Known accounts let cash application recognise the customer's payments.</p>
              <BankAccountsEditor drafts={bankAccounts} onChange={setBankAccounts} error={error} disabled={busy} />
            </fieldset>
          </>
        ) : null}
        <SaveError error={error} shownFields={[...ownFields, 'addresses', 'contacts', 'bankAccounts']} onReload={onReload} noun="this customer" />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : creating ? 'Create customer' : 'Save changes'}
          </button>
          <Link className="button secondary" to={creating ? '/customers' : `/customers/${customer.id}`}>
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
