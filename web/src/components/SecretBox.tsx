import { useEffect, useRef, useState } from 'react';

interface SecretBoxProps {
  readonly name: string;
  readonly secret: string;
  readonly onDone: () => void;
}

/** Shows a new key's secret, the one time it exists outside the program that will use it. */
export function SecretBox({ name, secret, onDone }: SecretBoxProps) {
  const input = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  useEffect(() => {
    box.current?.focus();
  }, [secret]);

  const copy = async () => {
    try {
      if (navigator.clipboard === undefined) throw new Error('no clipboard API (page not served over HTTPS)');
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // Without the clipboard API, select the text so Ctrl+C copies it.
      input.current?.select();
      setCopied(document.execCommand('copy') ? 'yes' : 'failed');
    }
  };

  return (
    <section className="secret-box" ref={box} tabIndex={-1} aria-labelledby="secret-heading">
      <h2 id="secret-heading">API key “{name}” created</h2>
      <p className="secret-warning">
        <strong>Copy the secret now.</strong> It is shown only this once and cannot be shown again; if it is lost, revoke the key and
        create a new one.
      </p>
      <div className="secret-row">
        <label htmlFor="api-key-secret" className="visually-hidden">
          Secret
        </label>
        <input
          id="api-key-secret"
          ref={input}
          className="secret-value"
          readOnly
          value={secret}
          spellCheck={false}
          onFocus={(event) => event.target.select()}
        />
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p className="secret-status" role="status">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copying failed; select the secret and copy it by hand.' : ''}
      </p>
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>
          I have stored the secret
        </button>
      </div>
    </section>
  );
}
