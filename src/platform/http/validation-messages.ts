import { z } from 'zod';

/**
 * Messages of request validation that say what to fix in plain words ("is
 * required", "must not be empty") where the schema library's defaults describe
 * types. Anything not handled here keeps the default message.
 */
z.config({
  customError(issue) {
    if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
    if (issue.code === 'invalid_type') return `must be ${article(issue.expected)} ${issue.expected}, not ${describe(issue.input)}`;
    if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) return 'must not be empty';
    if (issue.code === 'too_small' && issue.origin === 'array' && issue.minimum === 1) return 'needs at least one entry';
    if (issue.code === 'too_big' && issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
    if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => `"${key}"`).join(', ')}; remove ${issue.keys.length === 1 ? 'it' : 'them'}`;
    return undefined;
  },
});

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  return typeof input === 'object' ? 'an object' : `a ${typeof input}`;
}
