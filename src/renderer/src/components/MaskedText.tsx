// Text as it left the store, with masked runs (•••• •••• •••• 4242) drawn as a visible "masked" chip.
import { Fragment } from 'react';
import { t } from '../i18n';

const MASKED_RUN = /(•+(?:[ -]•+)*)/;

export function MaskedText({ text }: { text: string }) {
  if (!text.includes('•')) return <>{text}</>;
  return (
    <>
      {text.split(MASKED_RUN).map((part, i) =>
        i % 2 === 1 ? (
          <span key={i} className="pii-mask" title={t('privacy:maskedData')}>
            {part}
          </span>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
