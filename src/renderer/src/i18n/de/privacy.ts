// Deutsch: masked personal data, the audited reveal, export and erase.
import type { Messages } from '../catalog';
import type { privacy as en } from '../en/privacy';

export const privacy: Messages<typeof en> = {
  masked: '{{kind}} maskiert',
  maskedData: 'Maskierte personenbezogene Daten',
  reveal: 'Aufdecken',
  revealLabel: 'Maskierten Text dieser Nachricht von {{author}} aufdecken',
  revealTitle: 'Maskierten Text aufdecken',
  revealIntro: 'Der unmaskierte Text wird nur Ihnen angezeigt, und das Aufdecken wird mit Ihrer Begründung im Datenschutzprotokoll festgehalten.',
  reason: 'Begründung',
  revealed: 'Aufgedeckter Text',
  failed: 'Das hat nicht geklappt; bitte versuchen Sie es erneut.',
  section: 'Datenschutz',
  preparing: 'Export wird vorbereitet…',
  exported_one: '{{count}} Ereignis exportiert.',
  exported_other: '{{count}} Ereignisse exportiert.',
  exportedExcluded_one: '{{count}} Ereignis exportiert; {{notes}}',
  exportedExcluded_other: '{{count}} Ereignisse exportiert; {{notes}}',
  exportFailed: 'Der Export konnte nicht erstellt werden.',
  exportData: 'Daten exportieren',
  exportJson: 'Daten als JSON exportieren',
  json: 'JSON',
  erase: 'Kunden löschen…',
  eraseTitle: '{{name}} löschen?',
  eraseIntro: 'Alle Nachrichten, Anrufe, Notizen, Tickets und E-Mails dieses Kunden werden von diesem Desktop entfernt, auf allen Kanälen. Das kann nicht rückgängig gemacht werden. Geben Sie zur Bestätigung <strong>{{name}}</strong> ein.',
  eraseName: 'Name des Kunden',
  eraseConfirm: 'Kunden löschen',
  erased: 'Gelöscht. {{detail}}',
};
