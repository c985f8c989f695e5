// How a visitor's phone number or e-mail address is shown back to them (a booking's details, where a one-time code
// went): enough to recognise their own, not enough to read someone else's. One rule for every screen and answer.

/** +221 77 ••• •• 67 (an E.164 Senegalese number) / a•••@example.sn. */
export function maskContact(channel: 'sms' | 'email', target: string): string {
  if (channel === 'sms') return `${target.slice(0, 4)} ${target.slice(4, 6)} ••• •• ${target.slice(-2)}`;
  const [name = '', domain = ''] = target.split('@');
  return `${name.slice(0, 1)}•••@${domain}`;
}
