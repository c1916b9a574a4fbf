// Deutsch: the shell of the workspace (top bar, shared buttons and words).
import type { Messages } from '../catalog';
import type { common as en } from '../en/common';

export const common: Messages<typeof en> = {
  brand: 'Omni Desk',
  headless: 'Headless',
  settings: 'Einstellungen',
  close: 'Schließen',
  cancel: 'Abbrechen',
  save: 'Speichern',
  language: 'Sprache',
  languageHint: 'Datum, Uhrzeit und Zahlen richten sich nach der hier gewählten Sprache.',
  sizeB: '{{value}} B',
  sizeKb: '{{value}} KB',
  sizeMb: '{{value}} MB',
};
