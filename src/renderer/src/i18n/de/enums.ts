// Deutsch: the names of the product's fixed values (channels, priorities, statuses, presence…).
import type { Messages } from '../catalog';
import type { enums as en } from '../en/enums';

export const enums: Messages<typeof en> = {
  channel: { email: 'E-Mail', chat: 'Chat', phone: 'Telefon', messenger: 'Messenger', instagram: 'Instagram', x: 'X', sms: 'SMS', in_app: 'In-App', portal: 'Portal' },
  priority: { low: 'Niedrig', normal: 'Normal', high: 'Hoch', urgent: 'Dringend' },
  status: { open: 'Offen', pending: 'Wartend', snoozed: 'Zurückgestellt', resolved: 'Gelöst', closed: 'Geschlossen' },
  statusWord: { open: 'offen', pending: 'wartend', snoozed: 'zurückgestellt', resolved: 'gelöst', closed: 'geschlossen' },
  tier: { standard: 'Standard', premium: 'Premium', enterprise: 'Enterprise' },
  presence: { available: 'Verfügbar', busy: 'Beschäftigt', away: 'Abwesend', on_call: 'Im Gespräch', wrap_up: 'Nachbearbeitung', offline: 'Offline' },
  pii: { card: 'Kartennummer', ssn: 'Sozialversicherungsnummer', ni: 'National-Insurance-Nummer', iban: 'Kontonummer', password: 'Passwort' },
  delivery: { queued: 'In Warteschlange', sending: 'Wird gesendet…', delivered: 'Zugestellt', failed: 'Nicht zugestellt' },
  resolution: { solved: 'Gelöst', workaround: 'Workaround mitgeteilt', duplicate: 'Duplikat', not_reproducible: 'Nicht reproduzierbar', customer_unresponsive: 'Kunde reagiert nicht', spam: 'Spam' },
  snooze: { '1h': 'Für 1 Stunde', tomorrow: 'Morgen 9:00', nextMonday: 'Nächsten Montag 9:00' },
  issue: { technical: 'Technik', billing: 'Abrechnung', account: 'Konto', shipping: 'Versand', feedback: 'Feedback', other: 'Sonstiges' },
  identity: { email: 'E-Mail', phone: 'Telefon', social: 'Social Media', account: 'Konto' },
};
