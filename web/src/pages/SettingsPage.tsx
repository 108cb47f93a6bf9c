import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { allows } from '../access';
import { ApiError, getTenant, updateTenant, type Tenant, type TenantProfile } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { useFormatters, useMe, useSession } from '../session';
import { usePageTitle } from '../usePageTitle';

type ProfileField = keyof TenantProfile;
type FormValues = Record<ProfileField, string>;

interface FieldSpec {
  readonly name: ProfileField;
  readonly label: string;
  readonly required?: boolean;
  readonly hint?: string;
  readonly type?: string;
  readonly autoComplete?: string;
  readonly list?: string;
  readonly uppercase?: boolean;
}

const groups: ReadonlyArray<{ readonly legend: string; readonly fields: readonly FieldSpec[] }> = [
  { legend: 'Company', fields: [{ name: 'legalName', label: 'Legal name', required: true, autoComplete: 'organization' }] },
  {
    legend: 'Address',
    fields: [
      { name: 'addressLine1', label: 'Address line 1', required: true, autoComplete: 'address-line1' },
      { name: 'addressLine2', label: 'Address line 2', autoComplete: 'address-line2' },
      { name: 'postalCode', label: 'Postal code', required: true, autoComplete: 'postal-code' },
      { name: 'city', label: 'City', required: true, autoComplete: 'address-level2' },
      { name: 'countryCode', label: 'Country code', required: true, hint: 'Two letters, e.g. DE', uppercase: true },
    ],
  },
  {
    legend: 'Tax and registration',
    fields: [
      { name: 'vatId', label: 'VAT ID', hint: 'e.g. DE123456789', uppercase: true },
      { name: 'registrationId', label: 'Registration number', hint: 'Company register entry, e.g. HRB 12345' },
    ],
  },
  {
    legend: 'Bank account',
    fields: [
      { name: 'iban', label: 'IBAN', uppercase: true },
      { name: 'bic', label: 'BIC', uppercase: true },
    ],
  },
  {
    legend: 'Regional settings',
    fields: [
      { name: 'baseCurrency', label: 'Base currency', required: true, hint: 'ISO 4217 code, e.g. EUR', uppercase: true },
      { name: 'timeZone', label: 'Time zone', required: true, hint: 'e.g. Europe/Berlin', list: 'time-zones' },
      { name: 'locale', label: 'Locale', required: true, hint: 'Language and region, e.g. de-DE' },
    ],
  },
  {
    legend: 'E-mail',
    fields: [{ name: 'emailSender', label: 'Sender address', type: 'email', hint: 'From-address of documents sent by e-mail' }],
  },
];

const allFields: readonly ProfileField[] = groups.flatMap((group) => group.fields.map((field) => field.name));

function toFormValues(tenant: Tenant): FormValues {
  const values = {} as FormValues;
  for (const name of allFields) values[name] = tenant[name] ?? '';
  return values;
}

/** The form as PUT /tenant takes it: trimmed, codes upper-case, empty optional fields as null. */
function toProfile(values: FormValues): TenantProfile {
  const text = (name: ProfileField) => values[name].trim();
  const optional = (name: ProfileField) => (text(name) === '' ? null : text(name));
  return {
    legalName: text('legalName'),
    addressLine1: text('addressLine1'),
    addressLine2: optional('addressLine2'),
    postalCode: text('postalCode'),
    city: text('city'),
    countryCode: text('countryCode').toUpperCase(),
    vatId: optional('vatId'),
    registrationId: optional('registrationId'),
    iban: optional('iban'),
    bic: optional('bic'),
    baseCurrency: text('baseCurrency').toUpperCase(),
    timeZone: text('timeZone'),
    locale: text('locale'),
    emailSender: optional('emailSender'),
  };
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

export function SettingsPage() {
  usePageTitle('Company settings');
  const me = useMe();
  const { refresh } = useSession();
  const format = useFormatters();
  const canEdit = allows(me.actor.roles, 'editCompanySettings');
  const [tenant, setTenant] = useState<Tenant | null>(null);
  const [values, setValues] = useState<FormValues | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(timeZones, []);
  const form = useRef<HTMLFormElement>(null);

  // After a refusal, focus goes to the first field it names.
  useEffect(() => {
    if (saveError !== null) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [saveError]);

  const load = useCallback(async () => {
    setLoadError(null);
    setSaveError(null);
    setSaved(false);
    try {
      const fresh = await getTenant();
      setTenant(fresh);
      setValues(toFormValues(fresh));
    } catch (failure) {
      setLoadError(failure);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  if (loadError !== null) return <ErrorMessage error={loadError} />;
  if (tenant === null || values === null) {
    return (
      <p className="loading" role="status">
        Loading company settings…
      </p>
    );
  }

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    setSaveError(null);
    try {
      const updated = await updateTenant({ version: tenant.version, ...toProfile(values) });
      setTenant(updated);
      setValues(toFormValues(updated));
      setSaved(true);
      void refresh();
    } catch (failure) {
      setSaveError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiError = saveError instanceof ApiError ? saveError : null;
  const conflict = apiError?.code === 'O2C_VERSION_CONFLICT';
  const setValue = (name: ProfileField) => (value: string) => {
    setSaved(false);
    setValues((current) => (current === null ? current : { ...current, [name]: value }));
  };

  return (
    <>
      <h1>Company settings</h1>
      <p className="page-meta">
        Tenant <code>{tenant.slug}</code> · version {tenant.version} · last changed {format.instant(tenant.updatedAt)}
      </p>
      {canEdit ? null : (
        <p className="message message-info" role="note">
          Only administrators can change the company settings; you can read them.
        </p>
      )}
      <form className="settings-form" ref={form} onSubmit={(event) => void onSubmit(event)} aria-label="Company settings">
        {groups.map((group) => (
          <fieldset key={group.legend}>
            <legend>{group.legend}</legend>
            <div className="field-grid">
              {group.fields.map((field) => (
                <Field
                  key={field.name}
                  label={field.label}
                  name={field.name}
                  value={values[field.name]}
                  onChange={setValue(field.name)}
                  readOnly={!canEdit}
                  required={field.required === true && canEdit}
                  type={field.type ?? 'text'}
                  autoComplete={field.autoComplete ?? 'off'}
                  className={field.uppercase === true ? 'uppercase' : undefined}
                  {...(field.hint === undefined ? {} : { hint: field.hint })}
                  {...(field.list === undefined || !canEdit ? {} : { list: field.list })}
                  error={apiError?.fieldError(field.name)}
                />
              ))}
            </div>
          </fieldset>
        ))}
        <datalist id="time-zones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        {conflict ? (
          <div className="message message-error" role="alert">
            <p>Someone else changed this in the meantime — reload to see the current settings, then apply your change again.</p>
            <button type="button" onClick={() => void load()}>
              Reload
            </button>
          </div>
        ) : (
          <ErrorMessage error={saveError} shownFields={allFields} />
        )}
        {saved ? (
          <p className="message message-success" role="status">
            Saved.
          </p>
        ) : null}
        {canEdit ? (
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className="secondary" onClick={() => void load()} disabled={busy}>
              Discard changes
            </button>
          </div>
        ) : null}
      </form>
    </>
  );
}
