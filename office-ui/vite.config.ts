import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineScreenConfig } from '../ui-shared/vite-app.js';

export default defineScreenConfig('office', path.dirname(fileURLToPath(import.meta.url)));
