import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { allows } from '../../access';
import {
  ActionKey,
  archiveCustomer,
  blockCustomer,
  getCustomer,
  listAll,
  listOrders,
  listPaymentTerms,
  listPriceLists,
  replaceCustomerAddresses,
  replaceCustomerBankAccounts,
  replaceCustomerContacts,
  restoreCustomer,
  unblockCustomer,
  type Customer,
  type OrderSummary,
  type PaymentTerms,
  type PriceList,
} from '../../api';
import { CustomerStatusBadge, OrderStatusBadge } from '../../components/Badges';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ReasonPanel } from '../../components/ReasonPanel';
import { SaveError } from '../../components/SaveError';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import {
  AddressesEditor,
  BankAccountsEditor,
  ContactsEditor,
  addressDrafts,
  addressInputs,
  bankAccountDrafts,
  bankAccountInputs,
  contactDrafts,
  contactInputs,
  contactRoleLabel,
  formatIban,
  type AddressDraft,
  type BankAccountDraft,
  type ContactDraft,
} from './CustomerParts';

interface References {
  readonly paymentTerms: PaymentTerms[];
  readonly priceLists: PriceList[];
}

const loadReferences = async (): Promise<References> => {
  const [paymentTerms, priceLists] = await Promise.all([listAll((cursor) => listPaymentTerms({}, cursor)), listAll((cursor) => listPriceLists({}, cursor, 200))]);
  return { paymentTerms, priceLists };
};

export function CustomerDetailPage() {
  const { customerId = '' } = useParams();
  const loadCustomer = useCallback(() => getCustomer(customerId), [customerId]);
  const customer = useLoad(loadCustomer);
  usePageTitle(customer.data === null ? 'Customer' : customer.data.name);

  if (customer.error !== null && customer.data === null) {
    return (
      <>
        <h1>Customer</h1>
        <ErrorMessage error={customer.error} />
        <p>
          <Link to="/customers">Back to customers</Link>
        </p>
      </>
    );
  }
  if (customer.data === null) {
    return (
      <p className="loading" role="status">
        Loading customer…
      </p>
    );
  }
  return <CustomerView key={customer.data.id} customer={customer.data} onChanged={customer.set} onReload={customer.reload} />;
}

interface CustomerViewProps {
  readonly customer: Customer;
  readonly onChanged: (customer: Customer) => void;
  readonly onReload: () => void;
}

type Panel = 'block' | 'archive' | null;

function CustomerView({ customer, onChanged, onReload }: CustomerViewProps) {
  const me = useMe();
  const format = useFormatters();
  const references = useLoad(loadReferences);
  const loadOrders = useCallback(() => listOrders({ customerId: customer.id }, undefined, 10), [customer.id]);
  const orders = useLoad(loadOrders);
  const [panel, setPanel] = useState<Panel>(null);
  const [actionKey] = useState(() => new ActionKey());
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const canEdit = allows(me.actor.roles, 'editCustomers') && customer.status !== 'archived';
  const canEditCredit = allows(me.actor.roles, 'editCreditLimit') && customer.status !== 'archived';
  const canBlock = allows(me.actor.roles, 'blockCustomers');
  const canArchive = allows(me.actor.roles, 'editCustomers');

  const terms = references.data?.paymentTerms.find((candidate) => candidate.code === customer.paymentTermsCode);
  const priceList = references.data?.priceLists.find((candidate) => candidate.id === customer.priceListId);

  const run = async (what: string, send: (key: string) => Promise<Customer>) => {
    setBusy(true);
    setActionError(null);
    try {
      onChanged(await actionKey.run({ what, id: customer.id, version: customer.version }, send));
      setPanel(null);
    } catch (failure) {
      setActionError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/customers">Customers</Link> › {customer.number}
      </p>
      <div className="page-heading">
        <h1>
          {customer.name} <CustomerStatusBadge status={customer.status} />
        </h1>
        <div className="actions">
          <Link className="button secondary" to={`/customers/${customer.id}/account`}>
            Account
          </Link>
          {allows(me.actor.roles, 'readCredit') ? (
            <Link className="button secondary" to={`/customers/${customer.id}/credit`}>
              Credit
            </Link>
          ) : null}
          {canEdit || canEditCredit ? (
            <Link className="button secondary" to={`/customers/${customer.id}/edit`}>
              Edit
            </Link>
          ) : null}
          {canEdit ? (
            <Link className="button" to={`/orders/new?customerId=${customer.id}`}>
              New order
            </Link>
          ) : null}
          {canBlock && customer.status === 'active' ? (
            <button type="button" className="danger" onClick={() => setPanel('block')} aria-expanded={panel === 'block'}>
              Block
            </button>
          ) : null}
          {canBlock && customer.status === 'blocked' ? (
            <button type="button" className="secondary" disabled={busy} onClick={() => void run('unblock', (key) => unblockCustomer(customer.id, customer.version, key))}>
              Unblock
            </button>
          ) : null}
          {canArchive && customer.status !== 'archived' ? (
            <button type="button" className="secondary" onClick={() => setPanel('archive')} aria-expanded={panel === 'archive'}>
              Archive
            </button>
          ) : null}
          {canArchive && customer.status === 'archived' ? (
            <button type="button" className="secondary" disabled={busy} onClick={() => void run('restore', (key) => restoreCustomer(customer.id, customer.version, key))}>
              Restore
            </button>
          ) : null}
        </div>
      </div>
      <p className="page-meta">
        {customer.number} · version {customer.version} · last changed {format.instant(customer.updatedAt)}
      </p>

      {customer.status === 'blocked' ? (
        <div className="message message-warning" role="note">
          <strong>Blocked:</strong> {customer.blockedReason ?? 'no reason given'}. No new orders can be placed.
        </div>
      ) : null}
      {customer.status === 'archived' ? (
        <p className="message message-info" role="note">
          This customer is archived: kept for history, read-only until restored.
        </p>
      ) : null}

      {panel === 'block' ? (
        <ReasonPanel
          title={`Block ${customer.name}?`}
          description="A blocked customer gets no new orders. The reason is shown wherever the block stops something."
          confirmLabel="Block customer"
          onConfirm={async (reason) => {
            await actionKey.run({ block: customer.id, reason, version: customer.version }, (key) =>
              blockCustomer(customer.id, { reason, version: customer.version }, key).then(onChanged),
            );
            setPanel(null);
          }}
          onClose={() => setPanel(null)}
        />
      ) : null}
      {panel === 'archive' ? (
        <div className="confirm card card-highlight" role="group" aria-label={`Archive ${customer.name}?`}>
          <h2>Archive {customer.name}?</h2>
          <p>The customer is kept for history and references but left out of lists and read-only until restored.</p>
          <div className="actions">
            <button type="button" className="danger" disabled={busy} onClick={() => void run('archive', (key) => archiveCustomer(customer.id, customer.version, key))} autoFocus>
              Archive customer
            </button>
            <button type="button" className="secondary" onClick={() => setPanel(null)}>
              Back
            </button>
          </div>
        </div>
      ) : null}
      <SaveError error={actionError} onReload={onReload} noun="this customer" />

      <div className="cards">
        <section className="card" aria-labelledby="customer-master-heading">
          <h2 id="customer-master-heading">Customer</h2>
          <dl className="details">
            <dt>Number</dt>
            <dd>{customer.number}</dd>
            <dt>Legal name</dt>
            <dd>{customer.legalName}</dd>
            <dt>VAT ID</dt>
            <dd>{customer.vatId ?? '—'}</dd>
            <dt>Country</dt>
            <dd>{customer.countryCode}</dd>
            <dt>Language</dt>
            <dd>{customer.language}</dd>
            <dt>Created</dt>
            <dd>{format.instant(customer.createdAt)}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="customer-terms-heading">
          <h2 id="customer-terms-heading">Terms</h2>
          <dl className="details">
            <dt>Currency</dt>
            <dd>{customer.currency}</dd>
            <dt>Payment terms</dt>
            <dd>
              <code>{customer.paymentTermsCode}</code>
              {terms === undefined ? null : <span className="muted"> — {terms.name}</span>}
            </dd>
            <dt>Credit limit</dt>
            <dd className="num-inline">{customer.creditLimit === null ? 'none' : format.money(customer.creditLimit, customer.currency)}</dd>
            <dt>Price list</dt>
            <dd>
              {customer.priceListId === null ? (
                <span className="muted">default list of the currency</span>
              ) : (
                <Link to={`/price-lists/${customer.priceListId}`}>{priceList?.name ?? 'price list'}</Link>
              )}
            </dd>
            <dt>Invoicing</dt>
            <dd>{customer.invoicingMoment === 'shipment' ? 'on shipment' : 'on confirmed delivery'}</dd>
            <dt>Invoices</dt>
            <dd>{customer.invoiceGrouping === 'daily' ? 'collected daily' : 'one per shipment'}</dd>
          </dl>
        </section>
      </div>

      <AddressesSection customer={customer} canEdit={canEdit} onChanged={onChanged} onReload={onReload} />
      <ContactsSection customer={customer} canEdit={canEdit} onChanged={onChanged} onReload={onReload} />
      <BankAccountsSection customer={customer} canEdit={canEdit} onChanged={onChanged} onReload={onReload} />

      <section className="section" aria-labelledby="customer-orders-heading">
        <div className="list-toolbar">
          <h2 id="customer-orders-heading">Orders</h2>
          <Link to={`/orders?customerId=${customer.id}`}>All orders of {customer.name}</Link>
        </div>
        <ErrorMessage error={orders.error} />
        <div className="table-wrap">
          <table role="table">
            <caption className="visually-hidden">Latest orders of {customer.name}</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Order</th>
                <th scope="col" role="columnheader">Date</th>
                <th scope="col" role="columnheader">PO number</th>
                <th scope="col" role="columnheader">Status</th>
                <th scope="col" role="columnheader" className="num">Total</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {(orders.data?.items ?? []).map((order: OrderSummary) => (
                <tr role="row" key={order.id}>
                  <td role="cell" data-label="Order">
                    <Link to={`/orders/${order.id}`}>{order.number}</Link>
                  </td>
                  <td role="cell" data-label="Date">{format.date(order.orderDate)}</td>
                  <td role="cell" data-label="PO number">{order.customerPoNumber ?? '—'}</td>
                  <td role="cell" data-label="Status">
                    <OrderStatusBadge status={order.status} />
                  </td>
                  <td role="cell" data-label="Total" className="num">
                    {format.money(order.totals.gross, order.currency)}
                  </td>
                </tr>
              ))}
              {orders.data !== null && orders.data.items.length === 0 ? (
                <tr role="row">
                  <td role="cell" colSpan={5} className="empty">
                    No orders yet.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

interface SectionProps {
  readonly customer: Customer;
  readonly canEdit: boolean;
  readonly onChanged: (customer: Customer) => void;
  readonly onReload: () => void;
}

interface EditableSectionProps<Draft> extends SectionProps {
  readonly title: string;
  readonly headingId: string;
  readonly toDrafts: (customer: Customer) => Draft[];
  readonly save: (drafts: Draft[]) => Promise<Customer>;
  readonly view: ReactNode;
  readonly editor: (drafts: Draft[], onChange: (drafts: Draft[]) => void, error: unknown, busy: boolean) => ReactNode;
}

/** A part of the customer (addresses, contacts, bank accounts) read as a table and replaced as a whole. */
function EditableSection<Draft>({ customer, canEdit, onChanged, onReload, title, headingId, toDrafts, save, view, editor }: EditableSectionProps<Draft>) {
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (drafts === null) return;
    setBusy(true);
    setError(null);
    try {
      onChanged(await save(drafts));
      setDrafts(null);
      setSaved(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="section" aria-labelledby={headingId}>
      <div className="list-toolbar">
        <h2 id={headingId}>{title}</h2>
        {canEdit && drafts === null ? (
          <button
            type="button"
            className="secondary small"
            onClick={() => {
              setSaved(false);
              setError(null);
              setDrafts(toDrafts(customer));
            }}
          >
            Edit {title.toLowerCase()}
          </button>
        ) : null}
      </div>
      {saved ? (
        <p className="message message-success" role="status">
          {title} saved.
        </p>
      ) : null}
      {drafts === null ? (
        view
      ) : (
        <form className="card" onSubmit={(event) => void onSubmit(event)} aria-label={`Edit ${title.toLowerCase()}`}>
          {editor(drafts, setDrafts, error, busy)}
          <SaveError
            error={error}
            shownFields={['addresses', 'contacts', 'bankAccounts']}
            onReload={() => {
              setDrafts(null);
              setError(null);
              onReload();
            }}
            noun="this customer"
          />
          <div className="actions">
            <button type="submit" disabled={busy}>
              Save {title.toLowerCase()}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setDrafts(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function AddressesSection(props: SectionProps) {
  const { customer } = props;
  return (
    <EditableSection<AddressDraft>
      {...props}
      title="Addresses"
      headingId="customer-addresses-heading"
      toDrafts={addressDrafts}
      save={(drafts) => replaceCustomerAddresses(customer.id, customer.version, addressInputs(drafts, customer.legalName))}
      editor={(drafts, onChange, error, busy) => (
        <AddressesEditor drafts={drafts} onChange={onChange} error={error} disabled={busy} defaultName={customer.legalName} />
      )}
      view={
        <div className="table-wrap">
          <table role="table">
            <caption className="visually-hidden">Addresses</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Kind</th>
                <th scope="col" role="columnheader">Address</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {customer.addresses.map((address) => (
                <tr role="row" key={address.id}>
                  <td role="cell" data-label="Kind">
                    {address.kind === 'billing' ? 'Billing' : 'Shipping'}
                    {address.kind === 'shipping' && address.isDefault ? (
                      <>
                        {' '}
                        <span className="badge badge-info">default</span>
                      </>
                    ) : null}
                  </td>
                  <td role="cell" data-label="Address">
                    {address.name}, {address.line1}
                    {address.line2 === null ? '' : `, ${address.line2}`}, {address.postalCode} {address.city}, {address.countryCode}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      }
    />
  );
}

function ContactsSection(props: SectionProps) {
  const { customer } = props;
  return (
    <EditableSection<ContactDraft>
      {...props}
      title="Contacts"
      headingId="customer-contacts-heading"
      toDrafts={contactDrafts}
      save={(drafts) => replaceCustomerContacts(customer.id, customer.version, contactInputs(drafts))}
      editor={(drafts, onChange, error, busy) => <ContactsEditor drafts={drafts} onChange={onChange} error={error} disabled={busy} />}
      view={
        <div className="table-wrap">
          <table role="table">
            <caption className="visually-hidden">Contacts</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Name</th>
                <th scope="col" role="columnheader">E-mail</th>
                <th scope="col" role="columnheader">Phone</th>
                <th scope="col" role="columnheader">Receives</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {customer.contacts.map((contact) => (
                <tr role="row" key={contact.id}>
                  <td role="cell" data-label="Name">{contact.name}</td>
                  <td role="cell" data-label="E-mail">{contact.email === null ? '—' : <a href={`mailto:${contact.email}`}>{contact.email}</a>}</td>
                  <td role="cell" data-label="Phone">{contact.phone ?? '—'}</td>
                  <td role="cell" data-label="Receives">{contact.roles.length === 0 ? '—' : contact.roles.map(contactRoleLabel).join(', ')}</td>
                </tr>
              ))}
              {customer.contacts.length === 0 ? (
                <tr role="row">
                  <td role="cell" colSpan={4} className="empty">
                    No contacts.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      }
    />
  );
}

function BankAccountsSection(props: SectionProps) {
  const { customer } = props;
  return (
    <EditableSection<BankAccountDraft>
      {...props}
      title="Bank accounts"
      headingId="customer-bank-heading"
      toDrafts={bankAccountDrafts}
      save={(drafts) => replaceCustomerBankAccounts(customer.id, customer.version, bankAccountInputs(drafts))}
      editor={(drafts, onChange, error, busy) => <BankAccountsEditor drafts={drafts} onChange={onChange} error={error} disabled={busy} />}
      view={
        <div className="table-wrap">
          <table role="table">
            <caption className="visually-hidden">Bank accounts</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">IBAN</th>
                <th scope="col" role="columnheader">BIC</th>
                <th scope="col" role="columnheader">Account holder</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {customer.bankAccounts.map((account) => (
                <tr role="row" key={account.id}>
                  <td role="cell" data-label="IBAN">
                    <code>{formatIban(account.iban)}</code>
                  </td>
                  <td role="cell" data-label="BIC">{account.bic ?? '—'}</td>
                  <td role="cell" data-label="Account holder">{account.accountHolder}</td>
                </tr>
              ))}
              {customer.bankAccounts.length === 0 ? (
                <tr role="row">
                  <td role="cell" colSpan={3} className="empty">
                    No bank accounts known.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      }
    />
  );
}
