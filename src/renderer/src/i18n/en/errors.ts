// English: what the workspace says when a request fails and main or the hub gave no sentence of its own.
export const errors = {
  generic: 'Something went wrong; try again.',
  timeline: 'The timeline could not be loaded.',
  older: 'Older events could not be loaded.',
  profile: 'The customer profile could not be loaded.',
  hubStatus: 'The hub status could not be read.',
  presence: 'The status could not be changed.',
  accept: 'The conversation could not be accepted.',
  decline: 'The offer could not be declined.',
  hubSettings: 'The hub settings could not be read.',
  kbSearch: 'The knowledge base could not be searched.',
  kbInsert: 'The article could not be inserted.',
  notifications: 'The notifications could not be read.',
  markRead: 'The notification could not be marked as read.',
  queue: 'The queue could not be loaded.',
  session: 'The workspace could not reach Omni Desk.',
};
