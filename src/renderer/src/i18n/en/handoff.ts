// English: what the composer says before a reply leaves on another channel under a handoff rule of the channel configuration.
export const handoff = {
  /** A rule's channel pattern, as the rule reads in a sentence. */
  pattern: { email: 'email', chat: 'chat', phone: 'phone', messenger: 'Messenger', instagram: 'Instagram', x: 'X', sms: 'SMS', in_app: 'in-app', portal: 'portal', social: 'social', any: 'any channel' },
  rule: '{{from}} → {{to}}',
  transcript: 'The {{channel}} transcript will be attached (handoff rule {{rule}})',
  publicContext: 'The public {{channel}} post goes into this conversation as an internal note, and the reply stays private (handoff rule {{rule}})',
};
