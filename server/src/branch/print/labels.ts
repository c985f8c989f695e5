// Printed labels in the visitor's language. The JSON files are the single source; this file only types them.
import type { Language } from '../../shared/contracts/domain.js';
import fr from './locales/fr.json' with { type: 'json' };
import wo from './locales/wo.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };

export type PrintLabels = typeof fr;

// Typed against fr: a key missing from wo or en fails the type check.
export const PRINT_LABELS: Record<Language, PrintLabels> = { fr, wo, en };

export function labelsFor(language: Language): PrintLabels {
  return PRINT_LABELS[language];
}

/** Replaces {{name}} placeholders. */
export function interpolate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
