// What the desktop shell tells the agent: the "Restart to update" banner (disabled, with the reason,
// during a call), a toast for an error in main or a link that could not be followed, and the dial pad
// a tel: link fills. Also applies the remembered zoom to the page.
import { useEffect, useId } from 'react';
import { t } from '../i18n';
import { selectToast, selectUpdate, useDesktopStore } from '../state/desktop';
import './desktop.css';
import { sentenceOf } from '../serverErrors';

export function DesktopNotices() {
  const zoom = useDesktopStore((s) => s.zoom);
  useEffect(() => {
    document.documentElement.style.setProperty('zoom', zoom === 1 ? '' : String(zoom));
  }, [zoom]);
  return (
    <>
      <UpdateBanner />
      <DesktopToast />
      <DialPad />
    </>
  );
}

function UpdateBanner() {
  const update = useDesktopStore(selectUpdate);
  const restarting = useDesktopStore((s) => s.restarting);
  const reasonId = useId();
  const banner = update?.banner;
  if (!update || !banner) return null;
  const offersRestart = update.phase === 'downloaded';
  const blocked = banner.action !== 'restart';
  const text = banner.textKey ? sentenceOf({ message: banner.text, ...banner.textKey }) : banner.text;
  return (
    <div className={`banner update-banner ${banner.tone}`} role="status" aria-label={t('shell:update')}>
      <span id={reasonId}>{text}</span>
      {offersRestart && (
        <button
          type="button"
          className="btn btn-primary"
          disabled={blocked || restarting}
          aria-describedby={blocked ? reasonId : undefined}
          title={blocked ? text : undefined}
          onClick={() => void useDesktopStore.getState().restart()}
        >
          {t('shell:restart')}
        </button>
      )}
    </div>
  );
}

function DesktopToast() {
  const toast = useDesktopStore(selectToast);
  if (!toast) return null;
  return (
    <div className={`desktop-toast ${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
      <span>{toast.text}</span>
      <button type="button" className="link-btn" onClick={() => useDesktopStore.getState().showToast(null)}>
        {t('shell:dismiss')}
      </button>
    </div>
  );
}

function DialPad() {
  const dial = useDesktopStore((s) => s.dial);
  const inputId = useId();
  if (!dial) return null;
  return (
    <section className="dial-pad" aria-label={t('shell:dialPad')}>
      <label htmlFor={inputId}>{t('shell:numberToCall')}</label>
      <input
        id={inputId}
        className="dial-input"
        type="tel"
        value={dial.number}
        onChange={(e) => useDesktopStore.setState({ dial: { ...dial, number: e.target.value } })}
        autoFocus
      />
      <p className="dial-note">{t('shell:fromLink', { display: dial.display })}</p>
      <button type="button" className="btn" onClick={() => useDesktopStore.getState().closeDial()}>
        {t('shell:close')}
      </button>
    </section>
  );
}
