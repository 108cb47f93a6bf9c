import { useCallback, useState } from 'react';
import { allows } from '../../access';
import {
  ActionKey,
  ApiError,
  createTaxCategory,
  createTaxRate,
  listAll,
  listTaxCategories,
  listTaxRates,
  updateTaxCategory,
  updateTaxRate,
  type TaxCategory,
  type TaxRate,
} from '../../api';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field, SelectField } from '../../components/Field';
import { FormActions } from '../../components/FormActions';
import { SaveError } from '../../components/SaveError';
import { SectionTabs, catalogTabs } from '../../components/SectionTabs';
import { DetailsRow, ListTableHead } from '../../components/TableParts';
import { parseDecimalInput } from '../../decimal';
import { todayIn } from '../../format';
import { useFormatters, useMe } from '../../session';
import { useLoad } from '../../useLoad';
import { usePageTitle } from '../../usePageTitle';
import { useSubmit } from '../../useSubmit';

const domesticLabels: Record<TaxCategory['domesticCategory'], string> = { S: 'S — standard or reduced rate', Z: 'Z — zero rate', E: 'E — exempt' };

const loadCategories = () => listAll((cursor) => listTaxCategories(cursor));

export function TaxPage() {
  usePageTitle('Tax');
  const me = useMe();
  const canEdit = allows(me.actor.roles, 'editTax');
  const categories = useLoad(loadCategories);
  return (
    <>
      <SectionTabs label="Items and prices" links={catalogTabs} />
      <h1>Tax categories and rates</h1>
      <p className="page-intro">
        Each item has a tax category; the rate comes from the category, the country and the document date. Sales to other countries are
        decided by the tax rules (reverse charge, export).
      </p>
      {canEdit ? null : (
        <p className="message message-info" role="note">
          Administrators and controllers change tax categories and rates; you can read them.
        </p>
      )}
      <CategoriesSection categories={categories.data ?? []} error={categories.error} canEdit={canEdit} onChanged={categories.reload} />
      <RatesSection categories={categories.data ?? []} canEdit={canEdit} />
    </>
  );
}

interface CategoriesSectionProps {
  readonly categories: readonly TaxCategory[];
  readonly error: unknown;
  readonly canEdit: boolean;
  readonly onChanged: () => void;
}

function CategoriesSection({ categories, error, canEdit, onChanged }: CategoriesSectionProps) {
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  return (
    <section className="section" aria-labelledby="tax-categories-heading">
      <div className="list-toolbar">
        <h2 id="tax-categories-heading">Categories</h2>
        {canEdit ? (
          <button type="button" className="secondary" onClick={() => setCreating((open) => !open)} aria-expanded={creating}>
            {creating ? 'Close' : 'New category'}
          </button>
        ) : null}
      </div>
      {creating ? (
        <CategoryForm
          category={null}
          onSaved={() => {
            setCreating(false);
            onChanged();
          }}
          onClose={() => setCreating(false)}
        />
      ) : null}
      <ErrorMessage error={error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Tax categories</caption>
          <ListTableHead columns={['Code', 'Name', 'Domestic category', 'Exemption reason']} />
          <tbody role="rowgroup">
            {categories.map((category) =>
              editingId === category.id ? (
                <DetailsRow key={category.id} colSpan={5}>
                  <CategoryForm
                    category={category}
                    onSaved={() => {
                      setEditingId(null);
                      onChanged();
                    }}
                    onClose={() => setEditingId(null)}
                  />
                </DetailsRow>
              ) : (
                <tr role="row" key={category.id}>
                  <td role="cell" data-label="Code">
                    <code>{category.code}</code>
                  </td>
                  <td role="cell" data-label="Name">{category.name}</td>
                  <td role="cell" data-label="Domestic">{domesticLabels[category.domesticCategory]}</td>
                  <td role="cell" data-label="Exemption">
                    {category.exemptionReason ?? '—'}
                    {category.exemptionReasonCode === null ? null : <div className="muted small">{category.exemptionReasonCode}</div>}
                  </td>
                  <td role="cell" className="cell-actions">
                    {canEdit ? (
                      <button type="button" className="secondary small" onClick={() => setEditingId(category.id)} aria-label={`Edit ${category.code}`}>
                        Edit
                      </button>
                    ) : null}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CategoryForm({ category, onSaved, onClose }: { readonly category: TaxCategory | null; readonly onSaved: () => void; readonly onClose: () => void }) {
  const [actionKey] = useState(() => new ActionKey());
  const [code, setCode] = useState(category?.code ?? '');
  const [name, setName] = useState(category?.name ?? '');
  const [domestic, setDomestic] = useState<TaxCategory['domesticCategory']>(category?.domesticCategory ?? 'S');
  const [reason, setReason] = useState(category?.exemptionReason ?? '');
  const [reasonCode, setReasonCode] = useState(category?.exemptionReasonCode ?? '');
  const { error, busy, run } = useSubmit(async () => {
    const exemptionReason = reason.trim() === '' ? null : reason.trim();
    const exemptionReasonCode = reasonCode.trim() === '' ? null : reasonCode.trim().toUpperCase();
    if (category === null) {
      const body = { code: code.trim(), name: name.trim(), domesticCategory: domestic, exemptionReason, exemptionReasonCode };
      await actionKey.run(body, (key) => createTaxCategory(body, key));
    } else {
      await updateTaxCategory(category.id, { version: category.version, name: name.trim(), exemptionReason, exemptionReasonCode });
    }
    onSaved();
  });

  const apiError = error instanceof ApiError ? error : null;
  return (
    <form className="card" onSubmit={(event) => void run(event)} aria-label={category === null ? 'New tax category' : `Tax category ${category.code}`}>
      <div className="field-grid">
        <Field label="Code" required readOnly={category !== null} value={code} onChange={setCode} error={apiError?.fieldError('code')} hint="Lower case, e.g. reduced" />
        <Field label="Name" required value={name} onChange={setName} error={apiError?.fieldError('name')} />
        <SelectField
          label="Domestic category"
          value={domestic}
          disabled={category !== null}
          onChange={(value) => setDomestic(value === 'Z' ? 'Z' : value === 'E' ? 'E' : 'S')}
          error={apiError?.fieldError('domesticCategory')}
        >
          <option value="S">{domesticLabels.S}</option>
          <option value="Z">{domesticLabels.Z}</option>
          <option value="E">{domesticLabels.E}</option>
        </SelectField>
        <Field label="Exemption reason" value={reason} onChange={setReason} error={apiError?.fieldError('exemptionReason')} hint="Printed on invoices of exempt sales" />
        <Field label="Exemption reason code" className="uppercase" value={reasonCode} onChange={setReasonCode} error={apiError?.fieldError('exemptionReasonCode')} hint="VATEX code, e.g. VATEX-EU-132-1I" />
      </div>
      <SaveError error={error} shownFields={['code', 'name', 'domesticCategory', 'exemptionReason', 'exemptionReasonCode']} onReload={onSaved} noun="this category" />
      <FormActions submit={category === null ? 'Create category' : 'Save'} busy={busy} onCancel={onClose} />
    </form>
  );
}

function RatesSection({ categories, canEdit }: { readonly categories: readonly TaxCategory[]; readonly canEdit: boolean }) {
  const format = useFormatters();
  const [categoryCode, setCategoryCode] = useState('');
  const [country, setCountry] = useState('');
  const [countryFilter, setCountryFilter] = useState('');
  const [inForceOnly, setInForceOnly] = useState(true);
  const today = todayIn(useMe().tenant.timeZone);
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const load = useCallback(
    () =>
      listAll((cursor) =>
        listTaxRates(
          {
            taxCategoryCode: categoryCode === '' ? undefined : categoryCode,
            countryCode: countryFilter === '' ? undefined : countryFilter,
            validOn: inForceOnly ? today : undefined,
          },
          cursor,
        ),
      ),
    [categoryCode, countryFilter, inForceOnly, today],
  );
  const rates = useLoad(load);

  return (
    <section className="section" aria-labelledby="tax-rates-heading">
      <div className="list-toolbar">
        <h2 id="tax-rates-heading">Rates</h2>
        {canEdit ? (
          <button type="button" className="secondary" onClick={() => setCreating((open) => !open)} aria-expanded={creating}>
            {creating ? 'Close' : 'New rate'}
          </button>
        ) : null}
      </div>
      {creating ? (
        <RateForm
          rate={null}
          categories={categories}
          onSaved={() => {
            setCreating(false);
            rates.reload();
          }}
          onClose={() => setCreating(false)}
        />
      ) : null}
      <form
        className="filters"
        aria-label="Filter tax rates"
        onSubmit={(event) => {
          event.preventDefault();
          setCountryFilter(country.trim().toUpperCase());
        }}
      >
        <SelectField label="Category" value={categoryCode} onChange={setCategoryCode}>
          <option value="">All categories</option>
          {categories.map((category) => (
            <option key={category.id} value={category.code}>
              {category.name} ({category.code})
            </option>
          ))}
        </SelectField>
        <Field label="Country" maxLength={2} className="uppercase field-narrow" value={country} onChange={setCountry} placeholder="DE" />
        <div className="filter-actions">
          <label className="checkbox">
            <input type="checkbox" checked={inForceOnly} onChange={(event) => setInForceOnly(event.target.checked)} />
            In force today
          </label>
          <button type="submit">Filter</button>
        </div>
      </form>
      <ErrorMessage error={rates.error} />
      <div className="table-wrap">
        <table role="table">
          <caption className="visually-hidden">Tax rates</caption>
          <ListTableHead columns={['Category', 'Country', { label: 'Rate', className: 'num' }, 'Valid from', 'Valid to']} />
          <tbody role="rowgroup">
            {(rates.data ?? []).map((rate) =>
              editingId === rate.id ? (
                <DetailsRow key={rate.id} colSpan={6}>
                  <RateForm
                    rate={rate}
                    categories={categories}
                    onSaved={() => {
                      setEditingId(null);
                      rates.reload();
                    }}
                    onClose={() => setEditingId(null)}
                  />
                </DetailsRow>
              ) : (
                <tr role="row" key={rate.id} className={rate.validTo === null ? undefined : 'row-muted'}>
                  <td role="cell" data-label="Category">
                    <code>{rate.taxCategoryCode}</code>
                  </td>
                  <td role="cell" data-label="Country">{rate.countryCode}</td>
                  <td role="cell" data-label="Rate" className="num">{format.percent(rate.ratePercent)}</td>
                  <td role="cell" data-label="Valid from">{format.date(rate.validFrom)}</td>
                  <td role="cell" data-label="Valid to">{rate.validTo === null ? 'in force' : format.date(rate.validTo)}</td>
                  <td role="cell" className="cell-actions">
                    {canEdit ? (
                      <button type="button" className="secondary small" onClick={() => setEditingId(rate.id)} aria-label={`Edit ${rate.taxCategoryCode} ${rate.countryCode} from ${rate.validFrom}`}>
                        Edit
                      </button>
                    ) : null}
                  </td>
                </tr>
              ),
            )}
            {!rates.loading && rates.data !== null && rates.data.length === 0 ? (
              <tr role="row">
                <td role="cell" colSpan={6} className="empty">
                  No rates match.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}

interface RateFormProps {
  readonly rate: TaxRate | null;
  readonly categories: readonly TaxCategory[];
  readonly onSaved: () => void;
  readonly onClose: () => void;
}

function RateForm({ rate, categories, onSaved, onClose }: RateFormProps) {
  const [actionKey] = useState(() => new ActionKey());
  const [categoryCode, setCategoryCode] = useState(rate?.taxCategoryCode ?? categories[0]?.code ?? '');
  const [countryCode, setCountryCode] = useState(rate?.countryCode ?? 'DE');
  const [ratePercent, setRatePercent] = useState(rate?.ratePercent ?? '');
  const [validFrom, setValidFrom] = useState(rate?.validFrom ?? '');
  const [validTo, setValidTo] = useState(rate?.validTo ?? '');
  const [localError, setLocalError] = useState<string | undefined>(undefined);
  const { error, busy, run } = useSubmit(async () => {
    const percent = parseDecimalInput(ratePercent);
    setLocalError(percent === null ? 'Enter a percentage such as 19 or 5.5.' : undefined);
    if (percent === null) return;
    if (rate === null) {
      const body = { taxCategoryCode: categoryCode, countryCode: countryCode.trim().toUpperCase(), ratePercent: percent, validFrom, validTo: validTo === '' ? null : validTo };
      await actionKey.run(body, (key) => createTaxRate(body, key));
    } else {
      await updateTaxRate(rate.id, { version: rate.version, ratePercent: percent, validFrom, validTo: validTo === '' ? null : validTo });
    }
    onSaved();
  });

  const apiError = error instanceof ApiError ? error : null;
  return (
    <form className="card" onSubmit={(event) => void run(event)} aria-label={rate === null ? 'New tax rate' : 'Tax rate'}>
      <div className="field-grid">
        <SelectField label="Category" value={categoryCode} onChange={setCategoryCode} disabled={rate !== null} error={apiError?.fieldError('taxCategoryCode')}>
          {categories.map((category) => (
            <option key={category.id} value={category.code}>
              {category.name} ({category.code})
            </option>
          ))}
        </SelectField>
        <Field label="Country" required maxLength={2} className="uppercase" readOnly={rate !== null} value={countryCode} onChange={setCountryCode} error={apiError?.fieldError('countryCode')} />
        <Field label="Rate (%)" required inputMode="decimal" className="num-input" value={ratePercent} onChange={setRatePercent} error={localError ?? apiError?.fieldError('ratePercent')} />
        <Field label="Valid from" type="date" required value={validFrom} onChange={setValidFrom} error={apiError?.fieldError('validFrom')} />
        <Field label="Valid to" type="date" value={validTo} onChange={setValidTo} error={apiError?.fieldError('validTo')} hint="Last day it applies; empty while in force" />
      </div>
      <SaveError error={error} shownFields={['taxCategoryCode', 'countryCode', 'ratePercent', 'validFrom', 'validTo']} onReload={onSaved} noun="this rate" />
      <FormActions submit={rate === null ? 'Add rate' : 'Save'} busy={busy} onCancel={onClose} />
    </form>
  );
}
