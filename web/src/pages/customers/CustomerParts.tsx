import { useId } from 'react';
import { ApiError, contactRoles, type AddressInput, type BankAccountInput, type ContactInput, type ContactRole, type Customer } from '../../api';
import { Field, SelectField } from '../../components/Field';

let nextKey = 0;
const newKey = () => `draft-${++nextKey}`;

// ---- addresses

export interface AddressDraft {
  readonly key: string;
  readonly id?: string;
  kind: 'billing' | 'shipping';
  name: string;
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  countryCode: string;
  isDefault: boolean;
}

export function emptyAddress(kind: 'billing' | 'shipping', name = '', countryCode = ''): AddressDraft {
  return { key: newKey(), kind, name, line1: '', line2: '', postalCode: '', city: '', countryCode, isDefault: kind === 'billing' };
}

export function addressDrafts(customer: Customer): AddressDraft[] {
  return customer.addresses.map((address) => ({ key: newKey(), ...address, line2: address.line2 ?? '' }));
}

/** The addresses as the API takes them; an address without a name is for `defaultName` (the legal name). */
export function addressInputs(drafts: readonly AddressDraft[], defaultName = ''): AddressInput[] {
  return drafts.map((draft) => ({
    ...(draft.id === undefined ? {} : { id: draft.id }),
    kind: draft.kind,
    name: draft.name.trim() === '' ? defaultName : draft.name.trim(),
    line1: draft.line1.trim(),
    line2: draft.line2.trim() === '' ? null : draft.line2.trim(),
    postalCode: draft.postalCode.trim(),
    city: draft.city.trim(),
    countryCode: draft.countryCode.trim().toUpperCase(),
    isDefault: draft.kind === 'billing' ? true : draft.isDefault,
  }));
}

interface EditorProps<Draft> {
  readonly drafts: readonly Draft[];
  readonly onChange: (drafts: Draft[]) => void;
  readonly error: unknown;
  readonly disabled?: boolean;
}

/** Updates one draft of a list by index. */
function patchAt<Draft>(drafts: readonly Draft[], index: number, change: Partial<Draft>): Draft[] {
  return drafts.map((draft, position) => (position === index ? { ...draft, ...change } : draft));
}

export function AddressesEditor({ drafts, onChange, error, disabled = false, defaultName }: EditorProps<AddressDraft> & { readonly defaultName?: string }) {
  const radioGroup = useId();
  const apiError = error instanceof ApiError ? error : null;
  const at = (index: number, field: string) => apiError?.errorAt(`addresses.${index}.${field}`);
  const listError = apiError?.errorAt('addresses');
  const setDefault = (index: number) =>
    onChange(drafts.map((draft, position) => (draft.kind === 'shipping' ? { ...draft, isDefault: position === index } : draft)));
  return (
    <div className="sub-list">
      {listError === undefined ? null : <p className="field-error">{listError}</p>}
      {drafts.map((draft, index) => (
        <fieldset key={draft.key} disabled={disabled}>
          <legend>
            {draft.kind === 'billing' ? 'Billing address' : `Shipping address${draft.isDefault ? ' (default)' : ''}`}
          </legend>
          <div className="field-grid">
            <SelectField
              label="Kind"
              value={draft.kind}
              onChange={(value) => onChange(patchAt(drafts, index, { kind: value === 'billing' ? 'billing' : 'shipping' }))}
              error={at(index, 'kind')}
            >
              <option value="billing">Billing</option>
              <option value="shipping">Shipping</option>
            </SelectField>
            <Field
              label="Name"
              value={draft.name}
              onChange={(name) => onChange(patchAt(drafts, index, { name }))}
              error={at(index, 'name')}
              hint={defaultName === undefined ? undefined : 'Empty: the legal name'}
            />
            <Field label="Street and number" required value={draft.line1} onChange={(line1) => onChange(patchAt(drafts, index, { line1 }))} error={at(index, 'line1')} />
            <Field label="Address line 2" value={draft.line2} onChange={(line2) => onChange(patchAt(drafts, index, { line2 }))} error={at(index, 'line2')} />
            <Field label="Postal code" required value={draft.postalCode} onChange={(postalCode) => onChange(patchAt(drafts, index, { postalCode }))} error={at(index, 'postalCode')} />
            <Field label="City" required value={draft.city} onChange={(city) => onChange(patchAt(drafts, index, { city }))} error={at(index, 'city')} />
            <Field
              label="Country"
              required
              maxLength={2}
              className="uppercase"
              hint="Two letters, e.g. DE"
              value={draft.countryCode}
              onChange={(countryCode) => onChange(patchAt(drafts, index, { countryCode }))}
              error={at(index, 'countryCode')}
            />
          </div>
          <div className="actions">
            {draft.kind === 'shipping' ? (
              <label className="checkbox">
                <input type="radio" name={radioGroup} checked={draft.isDefault} onChange={() => setDefault(index)} />
                Default shipping address
              </label>
            ) : null}
            <button type="button" className="secondary small" onClick={() => onChange(drafts.filter((_, position) => position !== index))}>
              Remove this address
            </button>
          </div>
        </fieldset>
      ))}
      <div className="actions">
        <button
          type="button"
          className="secondary small"
          disabled={disabled}
          onClick={() => {
            const billing = drafts.find((draft) => draft.kind === 'billing');
            const shipping = emptyAddress('shipping', billing?.name ?? '', billing?.countryCode ?? '');
            shipping.isDefault = !drafts.some((draft) => draft.kind === 'shipping');
            onChange([...drafts, shipping]);
          }}
        >
          Add shipping address
        </button>
        {drafts.some((draft) => draft.kind === 'billing') ? null : (
          <button type="button" className="secondary small" disabled={disabled} onClick={() => onChange([emptyAddress('billing'), ...drafts])}>
            Add billing address
          </button>
        )}
      </div>
    </div>
  );
}

// ---- contacts

export interface ContactDraft {
  readonly key: string;
  readonly id?: string;
  name: string;
  email: string;
  phone: string;
  roles: ContactRole[];
}

export const emptyContact = (): ContactDraft => ({ key: newKey(), name: '', email: '', phone: '', roles: ['orders', 'invoices', 'reminders'] });

export function contactDrafts(customer: Customer): ContactDraft[] {
  return customer.contacts.map((contact) => ({ key: newKey(), ...contact, email: contact.email ?? '', phone: contact.phone ?? '' }));
}

export function contactInputs(drafts: readonly ContactDraft[]): ContactInput[] {
  return drafts.map((draft) => ({
    ...(draft.id === undefined ? {} : { id: draft.id }),
    name: draft.name.trim(),
    email: draft.email.trim() === '' ? null : draft.email.trim(),
    phone: draft.phone.trim() === '' ? null : draft.phone.trim(),
    roles: draft.roles,
  }));
}

const contactRoleLabels: Record<ContactRole, string> = { orders: 'Order confirmations', invoices: 'Invoices', reminders: 'Reminders' };
export const contactRoleLabel = (role: ContactRole) => contactRoleLabels[role];

export function ContactsEditor({ drafts, onChange, error, disabled = false }: EditorProps<ContactDraft>) {
  const apiError = error instanceof ApiError ? error : null;
  const at = (index: number, field: string) => apiError?.errorAt(`contacts.${index}.${field}`, true);
  return (
    <div className="sub-list">
      {drafts.length === 0 ? <p className="muted">No contacts.</p> : null}
      {drafts.map((draft, index) => (
        <fieldset key={draft.key} disabled={disabled}>
          <legend>Contact {index + 1}</legend>
          <div className="field-grid">
            <Field label="Name" required value={draft.name} onChange={(name) => onChange(patchAt(drafts, index, { name }))} error={at(index, 'name')} />
            <Field label="E-mail" type="email" value={draft.email} onChange={(email) => onChange(patchAt(drafts, index, { email }))} error={at(index, 'email')} />
            <Field label="Phone" type="tel" value={draft.phone} onChange={(phone) => onChange(patchAt(drafts, index, { phone }))} error={at(index, 'phone')} />
          </div>
          <div className="checkbox-grid" role="group" aria-label={`What contact ${index + 1} receives`}>
            {contactRoles.map((role) => (
              <label key={role} className="checkbox">
                <input
                  type="checkbox"
                  checked={draft.roles.includes(role)}
                  onChange={(event) =>
                    onChange(
                      patchAt(drafts, index, {
                        roles: contactRoles.filter((candidate) => (candidate === role ? event.target.checked : draft.roles.includes(candidate))),
                      }),
                    )
                  }
                />
                {contactRoleLabels[role]}
              </label>
            ))}
          </div>
          {at(index, 'roles') === undefined ? null : <small className="field-error">{at(index, 'roles')}</small>}
          <div className="actions">
            <button type="button" className="secondary small" onClick={() => onChange(drafts.filter((_, position) => position !== index))}>
              Remove this contact
            </button>
          </div>
        </fieldset>
      ))}
      <div className="actions">
        <button type="button" className="secondary small" disabled={disabled} onClick={() => onChange([...drafts, emptyContact()])}>
          Add contact
        </button>
      </div>
    </div>
  );
}

// ---- bank accounts

export interface BankAccountDraft {
  readonly key: string;
  readonly id?: string;
  iban: string;
  bic: string;
  accountHolder: string;
}

export const emptyBankAccount = (): BankAccountDraft => ({ key: newKey(), iban: '', bic: '', accountHolder: '' });

export function bankAccountDrafts(customer: Customer): BankAccountDraft[] {
  return customer.bankAccounts.map((account) => ({ key: newKey(), ...account, bic: account.bic ?? '' }));
}

export function bankAccountInputs(drafts: readonly BankAccountDraft[]): BankAccountInput[] {
  return drafts.map((draft) => ({
    ...(draft.id === undefined ? {} : { id: draft.id }),
    iban: draft.iban.trim(),
    bic: draft.bic.trim() === '' ? null : draft.bic.trim().toUpperCase(),
    accountHolder: draft.accountHolder.trim() === '' ? null : draft.accountHolder.trim(),
  }));
}

export function BankAccountsEditor({ drafts, onChange, error, disabled = false }: EditorProps<BankAccountDraft>) {
  const apiError = error instanceof ApiError ? error : null;
  const at = (index: number, field: string) => apiError?.errorAt(`bankAccounts.${index}.${field}`);
  return (
    <div className="sub-list">
      {drafts.length === 0 ? <p className="muted">No bank accounts.</p> : null}
      {drafts.map((draft, index) => (
        <fieldset key={draft.key} disabled={disabled}>
          <legend>Bank account {index + 1}</legend>
          <div className="field-grid">
            <Field
              label="IBAN"
              required
              className="uppercase"
              value={draft.iban}
              onChange={(iban) => onChange(patchAt(drafts, index, { iban }))}
              error={at(index, 'iban')}
            />
            <Field label="BIC" className="uppercase" value={draft.bic} onChange={(bic) => onChange(patchAt(drafts, index, { bic }))} error={at(index, 'bic')} />
            <Field
              label="Account holder"
              hint="Defaults to the legal name"
              value={draft.accountHolder}
              onChange={(accountHolder) => onChange(patchAt(drafts, index, { accountHolder }))}
              error={at(index, 'accountHolder')}
            />
          </div>
          <div className="actions">
            <button type="button" className="secondary small" onClick={() => onChange(drafts.filter((_, position) => position !== index))}>
              Remove this bank account
            </button>
          </div>
        </fieldset>
      ))}
      <div className="actions">
        <button type="button" className="secondary small" disabled={disabled} onClick={() => onChange([...drafts, emptyBankAccount()])}>
          Add bank account
        </button>
      </div>
    </div>
  );
}

/** An IBAN in groups of four for reading. */
export function formatIban(iban: string): string {
  return iban.replace(/\s/g, '').replace(/(.{4})/g, '$1 ').trim();
}
