// Shows one HTML email: sanitized (sanitizeEmail.ts), in a sandboxed srcdoc frame that can run
// nothing (no allow-scripts, and no allow-same-origin either, so the frame is an opaque origin),
// under its own CSP. Links open outside the app; remote images wait for the agent's permission.
// Without scripts in the frame and without same-origin access it cannot be measured, so its
// height is estimated from the content and clamped; longer mail scrolls inside, and the agent can
// drag the frame taller.
import { useMemo, type CSSProperties } from 'react';
import { t } from '../i18n';
import { buildEmailSrcdoc, DEFAULT_REMOTE_SOURCES, emailFrameCsp, sanitizeEmail, type SanitizedEmail } from './sanitizeEmail';

/** Popups so that links open (in the browser, via the shell's window-open handler); nothing else. */
export const EMAIL_FRAME_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';

export interface EmailFrameProps {
  /** The email's raw HTML, as received. */
  html: string;
  /** Whether the agent allowed remote images for this sender. */
  allowRemote: boolean;
  /** "Show images from sender": the owner remembers the choice and re-renders with allowRemote. */
  onAllowRemote: () => void;
  /** The app URL serving the inline part with this Content-ID, or null. Keep it stable (useCallback). */
  resolveCid: (cid: string) => string | null;
  /** The frame's accessible name. */
  title?: string;
  /** The origin that serves cid images; the workspace's own by default. */
  appOrigin?: string;
  /** Where remote images may load from once allowed (CSP sources); https: by default. */
  remoteSources?: readonly string[];
}

const FRAME_STYLE: CSSProperties = {
  display: 'block',
  width: '100%',
  border: 0,
  background: '#fff',
  colorScheme: 'light',
  resize: 'vertical',
  overflow: 'auto',
};

export function EmailFrame({ html, allowRemote, onAllowRemote, resolveCid, title, appOrigin, remoteSources = DEFAULT_REMOTE_SOURCES }: EmailFrameProps) {
  const origin = appOrigin ?? window.location.origin;
  const sanitized = useMemo<SanitizedEmail | null>(() => {
    try {
      return sanitizeEmail(html, { allowRemote, resolveCid, appOrigin: origin });
    } catch {
      return null;
    }
  }, [html, allowRemote, resolveCid, origin]);
  const srcdoc = useMemo(
    () => (sanitized ? buildEmailSrcdoc(sanitized, emailFrameCsp({ allowRemote, appOrigin: origin, remoteSources })) : null),
    [sanitized, allowRemote, origin, remoteSources],
  );

  if (sanitized === null || srcdoc === null) {
    return (
      <p className="email-frame-error" role="alert">
        {t('conversation:emailUnsafe')}
      </p>
    );
  }
  return (
    <div className="email-frame">
      {!allowRemote && sanitized.blockedRemote > 0 && (
        <div className="email-remote-bar" role="status">
          <span>{t('conversation:remoteBlocked', { count: sanitized.blockedRemote })}</span>{' '}
          <button type="button" className="link-btn" onClick={onAllowRemote}>
            {t('conversation:showImages')}
          </button>
        </div>
      )}
      <iframe title={title ?? t('conversation:emailContent')} sandbox={EMAIL_FRAME_SANDBOX} srcDoc={srcdoc} referrerPolicy="no-referrer" style={{ ...FRAME_STYLE, height: sanitized.estimatedHeight }} />
    </div>
  );
}
