// Deutsch: what Settings → Language says about the native date and time pickers.
import type { Messages } from '../catalog';
import type { locale as en } from '../en/locale';

export const locale: Messages<typeof en> = {
  pickersAfterRestart: 'Die Datums- und Uhrzeitauswahl folgt nach einem Neustart der App.',
  pickersBrowser: 'Die Datums- und Uhrzeitauswahl folgt der Sprache Ihres Browsers.',
};
