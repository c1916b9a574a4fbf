// Deutsch: what the workspace says when a request fails and main or the hub gave no sentence of its own.
import type { Messages } from '../catalog';
import type { errors as en } from '../en/errors';

export const errors: Messages<typeof en> = {
  generic: 'Etwas ist schiefgegangen; bitte erneut versuchen.',
  timeline: 'Der Verlauf konnte nicht geladen werden.',
  older: 'Ältere Ereignisse konnten nicht geladen werden.',
  profile: 'Das Kundenprofil konnte nicht geladen werden.',
  hubStatus: 'Der Hub-Status konnte nicht gelesen werden.',
  presence: 'Der Status konnte nicht geändert werden.',
  accept: 'Die Konversation konnte nicht angenommen werden.',
  decline: 'Das Angebot konnte nicht abgelehnt werden.',
  hubSettings: 'Die Hub-Einstellungen konnten nicht gelesen werden.',
  kbSearch: 'Die Wissensdatenbank konnte nicht durchsucht werden.',
  kbInsert: 'Der Artikel konnte nicht eingefügt werden.',
  notifications: 'Die Benachrichtigungen konnten nicht gelesen werden.',
  markRead: 'Die Benachrichtigung konnte nicht als gelesen markiert werden.',
  queue: 'Die Warteschlange konnte nicht geladen werden.',
  session: 'Der Arbeitsbereich konnte Omni Desk nicht erreichen.',
};
