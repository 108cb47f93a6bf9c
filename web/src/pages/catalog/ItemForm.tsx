import { useState, type FormEvent } from 'react';
import { ApiError, type Item, type ItemFields, type TaxCategory, type Unit } from '../../api';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { SaveError } from '../../components/SaveError';

type Values = Record<Exclude<keyof ItemFields, 'active'>, string> & { active: boolean };

const fieldNames = ['sku', 'name', 'description', 'kind', 'unit', 'taxCategoryCode', 'revenueAccount', 'active'];

function toValues(item: Item | null): Values {
  return {
    sku: item?.sku ?? '',
    name: item?.name ?? '',
    description: item?.description ?? '',
    kind: item?.kind ?? 'goods',
    unit: item?.unit ?? 'C62',
    taxCategoryCode: item?.taxCategoryCode ?? 'standard',
    revenueAccount: item?.revenueAccount ?? '8400',
    active: item?.active ?? true,
  };
}

export function toItemFields(values: Values): ItemFields {
  return {
    sku: values.sku.trim(),
    name: values.name.trim(),
    description: values.description.trim() === '' ? null : values.description.trim(),
    kind: values.kind === 'service' ? 'service' : 'goods',
    unit: values.unit,
    taxCategoryCode: values.taxCategoryCode,
    revenueAccount: values.revenueAccount.trim(),
    active: values.active,
  };
}

interface ItemFormProps {
  readonly item: Item | null;
  readonly units: readonly Unit[];
  readonly taxCategories: readonly TaxCategory[];
  readonly readOnly?: boolean;
  readonly submitLabel: string;
  readonly onSubmit: (fields: ItemFields) => Promise<void>;
  readonly onReload?: () => void;
  readonly onCancel?: () => void;
}

/** The fields of an item, for creating one or changing it (its kind never changes). */
export function ItemForm({ item, units, taxCategories, readOnly = false, submitLabel, onSubmit, onReload, onCancel }: ItemFormProps) {
  const [values, setValues] = useState<Values>(() => toValues(item));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const set = <Name extends keyof Values>(name: Name) => (value: Values[Name]) => {
    setValues((current) => ({ ...current, [name]: value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(toItemFields(values));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  return (
    <form onSubmit={(event) => void submit(event)} aria-label={item === null ? 'New item' : `Item ${item.sku}`}>
      <div className="field-grid">
        <Field label="SKU" required readOnly={readOnly} value={values.sku} onChange={set('sku')} error={apiError?.fieldError('sku')} hint="Letters, digits, . _ -" autoComplete="off" />
        <Field label="Name" required readOnly={readOnly} value={values.name} onChange={set('name')} error={apiError?.fieldError('name')} autoComplete="off" />
        <SelectField
          label="Kind"
          value={values.kind}
          onChange={set('kind')}
          disabled={readOnly || item !== null}
          error={apiError?.fieldError('kind')}
          hint={item === null ? 'Goods are stocked, services are not' : 'The kind of an item never changes'}
        >
          <option value="goods">Goods</option>
          <option value="service">Service</option>
        </SelectField>
        <SelectField label="Unit" value={values.unit} onChange={set('unit')} disabled={readOnly} error={apiError?.fieldError('unit')}>
          {units.map((unit) => (
            <option key={unit.code} value={unit.code}>
              {unit.code} — {unit.name}
            </option>
          ))}
          {units.some((unit) => unit.code === values.unit) ? null : <option value={values.unit}>{values.unit}</option>}
        </SelectField>
        <SelectField label="Tax category" value={values.taxCategoryCode} onChange={set('taxCategoryCode')} disabled={readOnly} error={apiError?.fieldError('taxCategoryCode')}>
          {taxCategories.map((category) => (
            <option key={category.id} value={category.code}>
              {category.name} ({category.code})
            </option>
          ))}
          {taxCategories.some((category) => category.code === values.taxCategoryCode) ? null : (
            <option value={values.taxCategoryCode}>{values.taxCategoryCode}</option>
          )}
        </SelectField>
        <Field label="Revenue account" readOnly={readOnly} value={values.revenueAccount} onChange={set('revenueAccount')} error={apiError?.fieldError('revenueAccount')} hint="Ledger account, e.g. 8400" />
      </div>
      <TextAreaField label="Description" readOnly={readOnly} value={values.description} onChange={set('description')} error={apiError?.fieldError('description')} />
      <label className="checkbox">
        <input type="checkbox" checked={values.active} disabled={readOnly} onChange={(event) => set('active')(event.target.checked)} />
        Active (can be ordered)
      </label>
      <SaveError error={error} shownFields={fieldNames} {...(onReload === undefined ? {} : { onReload })} noun="this item" />
      {readOnly ? null : (
        <div className="actions">
          <button type="submit" disabled={busy}>
            {submitLabel}
          </button>
          {onCancel === undefined ? null : (
            <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
              Cancel
            </button>
          )}
        </div>
      )}
    </form>
  );
}
