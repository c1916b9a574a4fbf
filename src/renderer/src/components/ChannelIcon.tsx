// Channel icons as inline SVG (the CSP allows no remote images). 16px line icons drawn on a 24
// grid with currentColor, so a badge's text color tints them.
import type { ReactNode } from 'react';
import type { Channel } from '../../../shared/domain';
import { channelLabel } from '../labels';

const PATHS: Record<Channel, ReactNode> = {
  email: (
    <>
      <rect x="3" y="5" width="18" height="14" rx="2" />
      <path d="m3.5 6.5 8.5 6.5 8.5-6.5" />
    </>
  ),
  chat: (
    <>
      <path d="M4 5h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H10l-5 4v-4H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1Z" />
      <path d="M8 10h8M8 13h5" />
    </>
  ),
  phone: <path d="M5 3.5h3.5l1.8 4.6-2.3 1.5a11 11 0 0 0 6.4 6.4l1.5-2.3 4.6 1.8V19a1.5 1.5 0 0 1-1.6 1.5A16.5 16.5 0 0 1 3.5 5.1 1.5 1.5 0 0 1 5 3.5Z" />,
  messenger: (
    <>
      <path d="M12 3c-5 0-9 3.7-9 8.4 0 2.6 1.2 4.9 3.2 6.4V21l3-1.7c.9.3 1.8.4 2.8.4 5 0 9-3.7 9-8.3S17 3 12 3Z" />
      <path d="m7.5 13.5 3-3.2 2.3 2.2 3.7-2.9-3 3.2-2.3-2.2Z" />
    </>
  ),
  instagram: (
    <>
      <rect x="3.5" y="3.5" width="17" height="17" rx="5" />
      <circle cx="12" cy="12" r="4" />
      <circle cx="17.2" cy="6.8" r="0.6" />
    </>
  ),
  x: <path d="M4 4l16 16M20 4 4 20" />,
  sms: (
    <>
      <rect x="6" y="2.5" width="12" height="19" rx="2" />
      <path d="M9 7h6M9 10h4M11 18.5h2" />
    </>
  ),
  in_app: (
    <>
      <rect x="3" y="4" width="18" height="14" rx="2" />
      <path d="M3 8h18M6 6h.01M8.5 6h.01M8 12h8M8 15h5" />
    </>
  ),
  portal: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3c2.5 2.5 3.8 5.5 3.8 9s-1.3 6.5-3.8 9c-2.5-2.5-3.8-5.5-3.8-9S9.5 5.5 12 3Z" />
    </>
  ),
};

export function ChannelIcon({ channel, size = 16, title }: { channel: Channel; size?: number; title?: string }) {
  return (
    <svg
      className="channel-icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      role={title ? 'img' : undefined}
      aria-label={title}
      aria-hidden={title ? undefined : true}
      focusable="false"
    >
      {PATHS[channel]}
    </svg>
  );
}

/** Icon + label chip, e.g. "Email". */
export function ChannelBadge({ channel }: { channel: Channel }) {
  return (
    <span className={`channel-badge ch-${channel}`}>
      <ChannelIcon channel={channel} size={13} />
      {channelLabel(channel)}
    </span>
  );
}
