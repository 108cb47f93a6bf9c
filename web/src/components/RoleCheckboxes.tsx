import { roles, type Role } from '../api';
import { roleLabels } from '../access';

interface RoleCheckboxesProps {
  readonly legend?: string;
  readonly selected: readonly Role[];
  readonly onChange: (selected: Role[]) => void;
  readonly error?: string | undefined;
  readonly disabled?: boolean;
}

/** One checkbox per role, in the canonical order. */
export function RoleCheckboxes({ legend = 'Roles', selected, onChange, error, disabled = false }: RoleCheckboxesProps) {
  const toggle = (role: Role, checked: boolean) => {
    const next = new Set(selected);
    if (checked) next.add(role);
    else next.delete(role);
    onChange(roles.filter((candidate) => next.has(candidate)));
  };
  return (
    <fieldset className={error === undefined ? 'role-checkboxes' : 'role-checkboxes field-invalid'} disabled={disabled}>
      <legend>{legend}</legend>
      <div className="checkbox-grid">
        {roles.map((role) => (
          <label key={role} className="checkbox">
            <input type="checkbox" checked={selected.includes(role)} onChange={(event) => toggle(role, event.target.checked)} />
            {roleLabels[role]}
          </label>
        ))}
      </div>
      {error === undefined ? null : <small className="field-error">{error}</small>}
    </fieldset>
  );
}

export function RoleList({ roles: held }: { readonly roles: readonly Role[] }) {
  return (
    <span className="role-list">
      {held.map((role) => (
        <span key={role} className="role-badge">
          {roleLabels[role]}
        </span>
      ))}
    </span>
  );
}
