// The bell in the top bar: the unread count, and a list of what the team sent this agent ("Ann Lee
// mentioned you on case #12"); picking one opens the case and marks it read. Esc closes the list.
import { useEffect, useId, useRef, useState } from 'react';
import { currentLocale, t } from '../i18n';
import { openConversation } from '../state/actions';
import { notificationText, startNotifications, useNotificationsStore } from '../state/notifications';
import './team.css';

export function NotificationBell() {
  const items = useNotificationsStore((s) => s.items);
  const unread = useNotificationsStore((s) => s.unread);
  const [open, setOpen] = useState(false);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => startNotifications(), []);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const label = unread > 0 ? t('shell:notificationsUnread', { count: unread }) : t('shell:notifications');
  return (
    <div className="bell" onKeyDown={(e) => e.key === 'Escape' && open && (e.stopPropagation(), close())}>
      <button ref={button} type="button" className="btn btn-quiet bell-button" aria-label={label} title={label} aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6Zm-2 15a2 2 0 0 0 4 0" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
        </svg>
        {unread > 0 && (
          <span className="bell-count" aria-hidden="true">
            {unread}
          </span>
        )}
      </button>
      {open && (
        <section id={id} className="bell-panel" aria-label={t('shell:notifications')}>
          {items.length === 0 ? (
            <p className="muted bell-empty">{t('shell:noNotifications')}</p>
          ) : (
            <ul className="bell-list">
              {items.map((n) => (
                <li key={n.id}>
                  <button
                    type="button"
                    className={`bell-item${n.read ? '' : ' is-unread'}`}
                    onClick={() => {
                      void useNotificationsStore.getState().markRead([n.id]);
                      setOpen(false);
                      void openConversation(n.customerId, n.caseId);
                    }}
                  >
                    <span className="bell-item-text">{notificationText(n)}</span>
                    <span className="bell-item-subject">{n.subject}</span>
                    <time className="bell-item-time" dateTime={new Date(n.createdAt).toISOString()}>
                      {new Date(n.createdAt).toLocaleTimeString(currentLocale(), { hour: '2-digit', minute: '2-digit' })}
                    </time>
                    {!n.read && <span className="visually-hidden">{t('shell:unread')}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
