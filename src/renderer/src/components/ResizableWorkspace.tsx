// The three panes with a handle between them: drag it, or focus it and use the arrow keys (Home and
// End for the limits). Each handle is a separator with its pane's width as aria-valuenow; the widths
// are remembered on this desktop.
import { useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { t } from '../i18n';
import { PANE_WIDTH_MAX, PANE_WIDTH_MIN } from '../../../shared/contractDesktop';
import { PANE_STEP, useDesktopStore, type Pane } from '../state/desktop';

export function ResizableWorkspace({ queue, conversation, profile }: { queue: ReactNode; conversation: ReactNode; profile: ReactNode }) {
  const queueWidth = useDesktopStore((s) => s.queueWidth);
  const profileWidth = useDesktopStore((s) => s.profileWidth);
  const style = {
    ...(queueWidth !== null ? { '--queue-width': `${queueWidth}px` } : {}),
    ...(profileWidth !== null ? { '--profile-width': `${profileWidth}px` } : {}),
  } as CSSProperties;
  return (
    <div className="workspace resizable" style={style}>
      {queue}
      <PaneHandle pane="queue" width={queueWidth} />
      {conversation}
      <PaneHandle pane="profile" width={profileWidth} />
      {profile}
    </div>
  );
}

function PaneHandle({ pane, width }: { pane: Pane; width: number | null }) {
  const ref = useRef<HTMLDivElement>(null);
  const [measured, setMeasured] = useState<number | null>(null);
  const drag = useRef<{ x: number; width: number } | null>(null);
  // Without a remembered width the pane has the workspace's default: read it from the page.
  useLayoutEffect(() => {
    const el = pane === 'queue' ? ref.current?.previousElementSibling : ref.current?.nextElementSibling;
    if (el instanceof HTMLElement) setMeasured(Math.round(el.offsetWidth));
  }, [pane, width]);
  const now = width ?? measured ?? PANE_WIDTH_MIN;
  // The profile pane is right of its handle: moving the handle right makes it narrower.
  const sign = pane === 'queue' ? 1 : -1;
  const set = (w: number) => useDesktopStore.getState().setPaneWidth(pane, w);

  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.shiftKey ? PANE_STEP * 4 : PANE_STEP;
    if (e.key === 'ArrowRight') set(now + sign * step);
    else if (e.key === 'ArrowLeft') set(now - sign * step);
    else if (e.key === 'Home') set(PANE_WIDTH_MIN);
    else if (e.key === 'End') set(PANE_WIDTH_MAX);
    else return;
    e.preventDefault();
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, width: now };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    set(drag.current.width + sign * (e.clientX - drag.current.x));
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const label = pane === 'queue' ? t('shell:resizeQueue') : t('shell:resizeProfile');
  return (
    <div
      ref={ref}
      className="pane-handle"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={now}
      aria-valuemin={PANE_WIDTH_MIN}
      aria-valuemax={PANE_WIDTH_MAX}
      aria-valuetext={t('shell:pixels', { count: now })}
      tabIndex={0}
      title={t('shell:resizeHint', { label })}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
    />
  );
}
