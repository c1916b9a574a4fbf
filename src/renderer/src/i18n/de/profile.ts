// Deutsch: the customer profile pane.
import type { Messages } from '../catalog';
import type { profile as en } from '../en/profile';

export const profile: Messages<typeof en> = {
  pane: 'Kundenprofil',
  idle: 'Öffnen Sie eine Konversation, um zu sehen, wer der Kunde ist.',
  loading: 'Profil wird geladen…',
  failed: 'Das Profil konnte nicht geladen werden. {{error}}',
  retry: 'Erneut versuchen',
  health: { healthy: 'Gesund', atRisk: 'Gefährdet', critical: 'Kritisch' },
  verified: 'Bestätigt',
  unverified: 'Nicht bestätigt',
  healthScore: 'Health Score',
  healthOf100: '{{score}} von 100',
  language: 'Sprache',
  timezone: 'Zeitzone',
  localTime: ' · {{time}} Ortszeit',
  prefers: 'Bevorzugt',
  channelsUsed: 'Genutzte Kanäle',
  noConversations: 'Noch keine Konversationen.',
  identities: 'Identitäten',
  noIdentities: 'Keine bekannten Adressen.',
  openTickets: 'Offene Tickets ({{count}})',
  noOpenTickets: 'Keine offenen Tickets.',
  closedRecently: '<strong>{{count}}</strong> in den letzten 30 Tagen geschlossen',
  notes: 'Notizen',
  noNotes: 'Keine Notizen zu diesem Kunden.',
};
