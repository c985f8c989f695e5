import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineScreenConfig } from '../ui-shared/vite-app.js';

export default defineScreenConfig('agent', path.dirname(fileURLToPath(import.meta.url)));
