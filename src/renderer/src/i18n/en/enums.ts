// English: the names of the product's fixed values (channels, priorities, statuses, presence…).
export const enums = {
  channel: { email: 'Email', chat: 'Chat', phone: 'Phone', messenger: 'Messenger', instagram: 'Instagram', x: 'X', sms: 'SMS', in_app: 'In-app', portal: 'Portal' },
  priority: { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' },
  status: { open: 'Open', pending: 'Pending', snoozed: 'Snoozed', resolved: 'Resolved', closed: 'Closed' },
  statusWord: { open: 'open', pending: 'pending', snoozed: 'snoozed', resolved: 'resolved', closed: 'closed' },
  tier: { standard: 'Standard', premium: 'Premium', enterprise: 'Enterprise' },
  presence: { available: 'Available', busy: 'Busy', away: 'Away', on_call: 'On a call', wrap_up: 'Wrap-up', offline: 'Offline' },
  pii: { card: 'card number', ssn: 'social security number', ni: 'national insurance number', iban: 'bank account number', password: 'password' },
  delivery: { queued: 'Queued', sending: 'Sending…', delivered: 'Delivered', failed: 'Not delivered' },
  resolution: { solved: 'Solved', workaround: 'Workaround given', duplicate: 'Duplicate', not_reproducible: 'Not reproducible', customer_unresponsive: 'Customer unresponsive', spam: 'Spam' },
  snooze: { '1h': 'For 1 hour', tomorrow: 'Tomorrow 9:00', nextMonday: 'Next Monday 9:00' },
  issue: { technical: 'Technical', billing: 'Billing', account: 'Account', shipping: 'Shipping', feedback: 'Feedback', other: 'Other' },
  identity: { email: 'Email', phone: 'Phone', social: 'Social', account: 'Account' },
};
