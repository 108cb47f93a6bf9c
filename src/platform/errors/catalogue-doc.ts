import { errorCatalogue } from './catalogue';
import { problemTypeUri } from '../http/problem';

/** The error catalogue as Markdown, for docs/ERRORS.md. */
export function renderErrorCatalogue(): string {
  const rows = Object.entries(errorCatalogue).map(([code, entry]) => `| \`${code}\` | ${entry.status} | ${entry.title} | \`${problemTypeUri(code)}\` |`);
  return [
    '# Error codes',
    '',
    'Every error answer of the o2c API is `application/problem+json` (RFC 9457):',
    '`type`, `title`, `status`, `detail` (what exactly to fix), `instance`, `requestId`',
    'and a stable `code` from this table. Validation errors add `errors: [{ path, message }]`,',
    'with paths like `body.lines.0.quantity`. Clients may branch on `code`; it never changes meaning.',
    '',
    '| code | status | meaning | type |',
    '|---|---|---|---|',
    ...rows,
    '',
    'This file is generated from `src/platform/errors/catalogue.ts` by `npm run docs:errors`.',
    '',
  ].join('\n');
}
