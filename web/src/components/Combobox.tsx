import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { describeError } from './ErrorMessage';

export interface ComboboxProps<T> {
  readonly label: string;
  /** The chosen record, or null while nothing is chosen. */
  readonly value: T | null;
  readonly onSelect: (item: T | null) => void;
  /** Finds the records matching what was typed (debounced). */
  readonly search: (text: string) => Promise<readonly T[]>;
  readonly getKey: (item: T) => string;
  /** The text the input shows for a chosen record. */
  readonly display: (item: T) => string;
  /** How an option reads in the list; defaults to display. */
  readonly renderOption?: (item: T) => ReactNode;
  /** Chosen without opening the list when the typed text matches one result exactly (e.g. a SKU typed in full). */
  readonly exactMatch?: (item: T, text: string) => boolean;
  readonly hint?: string;
  readonly error?: string | undefined;
  readonly placeholder?: string;
  readonly required?: boolean;
  readonly disabled?: boolean;
  /** The label is read by screen readers but not shown (inside a table row). */
  readonly hideLabel?: boolean;
  readonly className?: string;
  readonly autoFocus?: boolean;
}

const debounceMs = 250;

/**
 * A text input that searches as you type and offers the matches as a list
 * (WAI-ARIA combobox with a listbox popup): arrow keys move, Enter chooses,
 * Escape closes.
 */
export function Combobox<T>({
  label,
  value,
  onSelect,
  search,
  getKey,
  display,
  renderOption,
  exactMatch,
  hint,
  error,
  placeholder,
  required,
  disabled,
  hideLabel = false,
  className,
  autoFocus,
}: ComboboxProps<T>) {
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const [text, setText] = useState(value === null ? '' : display(value));
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<readonly T[]>([]);
  const [active, setActive] = useState(-1);
  const [loading, setLoading] = useState(false);
  const [searchError, setSearchError] = useState<string | null>(null);
  const ticket = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const selectedKey = value === null ? null : getKey(value);

  // A record chosen from outside (or after loading) shows its text.
  useEffect(() => {
    if (value !== null) setText(display(value));
  }, [selectedKey]);

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  const runSearch = (query: string, openList: boolean) => {
    if (timer.current !== null) clearTimeout(timer.current);
    const mine = ++ticket.current;
    setLoading(true);
    timer.current = setTimeout(() => {
      search(query).then(
        (found) => {
          if (mine !== ticket.current) return;
          setOptions(found);
          setActive(found.length > 0 ? 0 : -1);
          setLoading(false);
          setSearchError(null);
          if (openList) setOpen(true);
        },
        (failure: unknown) => {
          if (mine !== ticket.current) return;
          setOptions([]);
          setLoading(false);
          setSearchError(describeError(failure));
        },
      );
    }, debounceMs);
  };

  const choose = (item: T) => {
    ticket.current++;
    setLoading(false);
    setText(display(item));
    setOpen(false);
    onSelect(item);
  };

  const onChange = (next: string) => {
    setText(next);
    if (value !== null) onSelect(null);
    runSearch(next.trim(), true);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) {
          setOpen(true);
          if (options.length === 0) runSearch(text.trim(), true);
          return;
        }
        setActive((current) => (options.length === 0 ? -1 : (current + 1) % options.length));
        return;
      case 'ArrowUp':
        event.preventDefault();
        if (!open) return;
        setActive((current) => (options.length === 0 ? -1 : (current - 1 + options.length) % options.length));
        return;
      case 'Enter': {
        if (!open) return;
        const item = options[active];
        // Enter chooses instead of submitting the form.
        event.preventDefault();
        if (item !== undefined) choose(item);
        return;
      }
      case 'Escape':
        if (open) {
          event.preventDefault();
          setOpen(false);
        }
        return;
      default:
    }
  };

  const onBlur = () => {
    setOpen(false);
    if (value === null && exactMatch !== undefined && text.trim() !== '') {
      const typed = text.trim();
      const exact = options.filter((item) => exactMatch(item, typed));
      if (exact.length === 1 && exact[0] !== undefined) {
        choose(exact[0]);
      } else {
        // The search may still be running: ask once more and choose an exact match.
        void search(typed).then((found) => {
          const matches = found.filter((item) => exactMatch(item, typed));
          if (matches.length === 1 && matches[0] !== undefined) choose(matches[0]);
        }, () => undefined);
      }
    }
  };

  const shownError = error ?? (searchError === null ? undefined : searchError);
  const describedBy = [hint === undefined ? null : hintId, shownError === undefined ? null : errorId].filter(Boolean).join(' ');
  const activeId = open && active >= 0 && options[active] !== undefined ? `${id}-option-${active}` : undefined;
  const status = loading ? 'Searching…' : open ? (options.length === 0 ? 'No matches' : `${options.length} ${options.length === 1 ? 'match' : 'matches'}`) : '';

  return (
    <div className={['field', 'combobox', shownError === undefined ? '' : 'field-invalid', className ?? ''].join(' ').trim()}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <div className="combobox-control">
        <input
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={activeId}
          aria-invalid={shownError === undefined ? undefined : true}
          aria-describedby={describedBy === '' ? undefined : describedBy}
          value={text}
          placeholder={placeholder}
          required={required}
          disabled={disabled}
          autoFocus={autoFocus}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={onKeyDown}
          onBlur={onBlur}
          onFocus={() => {
            if (value === null && options.length === 0) runSearch(text.trim(), false);
          }}
        />
        <ul id={listId} role="listbox" aria-label={label} className="combobox-list" hidden={!open}>
          {options.map((item, index) => (
            <li
              key={getKey(item)}
              id={`${id}-option-${index}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'combobox-option active' : 'combobox-option'}
              onMouseDown={(event) => {
                // Keep the focus in the input; the click chooses.
                event.preventDefault();
                choose(item);
              }}
              onMouseEnter={() => setActive(index)}
            >
              {renderOption === undefined ? display(item) : renderOption(item)}
            </li>
          ))}
          {open && !loading && options.length === 0 ? (
            <li className="combobox-empty" role="presentation">
              No matches
            </li>
          ) : null}
        </ul>
      </div>
      <span className="visually-hidden" aria-live="polite">
        {status}
      </span>
      {hint === undefined ? null : (
        <small id={hintId} className="field-hint">
          {hint}
        </small>
      )}
      {shownError === undefined ? null : (
        <small id={errorId} className="field-error">
          {shownError}
        </small>
      )}
    </div>
  );
}
