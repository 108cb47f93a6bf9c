import { useState, type FormEvent } from 'react';

/** Runs a form's save: busy while it runs, the failure kept for showing. */
export function useSubmit(send: () => Promise<void>) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await send();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, run };
}
