// Deutsch: what the composer says before a reply leaves on another channel under a handoff rule of the channel configuration.
import type { Messages } from '../catalog';
import type { handoff as en } from '../en/handoff';

export const handoff: Messages<typeof en> = {
  pattern: { email: 'E-Mail', chat: 'Chat', phone: 'Telefon', messenger: 'Messenger', instagram: 'Instagram', x: 'X', sms: 'SMS', in_app: 'In-App', portal: 'Portal', social: 'Social Media', any: 'beliebiger Kanal' },
  rule: '{{from}} → {{to}}',
  transcript: 'Das {{channel}}-Transkript wird angehängt (Übergaberegel {{rule}})',
  publicContext: 'Der öffentliche {{channel}}-Beitrag kommt als interne Notiz in dieses Gespräch, die Antwort bleibt privat (Übergaberegel {{rule}})',
};
