import fs from 'node:fs';
import { renderErrorCatalogue } from '../src/platform/errors/catalogue-doc';

fs.writeFileSync(new URL('../docs/ERRORS.md', import.meta.url), renderErrorCatalogue());
process.stdout.write('docs/ERRORS.md written\n');
