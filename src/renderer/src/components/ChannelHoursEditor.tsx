// A channel's opening hours in the channel configuration: per weekday its open ranges (add, change,
// remove) and the holidays it is closed on. The matrix schema checks the result (overlaps, a range
// that ends before it starts, a week with no open hour) and its sentences show next to the cell.
import { useTranslation } from 'react-i18next';
import type { ChannelMatrix } from '../../../shared/channelConfig';
import type { Channel } from '../../../shared/domain';
import { WEEKDAYS, type Weekday } from '../../../shared/time';
import { currentLocale } from '../i18n';

type Hours = ChannelMatrix['channels'][Channel]['hours'];
type Weekly = Exclude<Hours['weekly'], '24/7'>;
type Edit = (f: (m: ChannelMatrix) => void) => void;

/** "Monday" … "Sunday" ("Mon" with `short`) in the agent's language (2024-01-01 was a Monday). */
export function weekdayName(day: Weekday, width: 'long' | 'short' = 'long'): string {
  return new Intl.DateTimeFormat(currentLocale(), { weekday: width, timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day)));
}

export function ChannelHoursEditor({ channel, label, hours, edit }: { channel: Channel; label: string; hours: Hours; edit: Edit }) {
  const { t } = useTranslation('channelConfig');
  if (hours.weekly === '24/7') return null;
  const weekly: Weekly = hours.weekly;
  const week = (f: (w: Weekly) => void) =>
    edit((m) => {
      const w = m.channels[channel].hours.weekly;
      if (w !== '24/7') f(w);
    });
  return (
    <details className="cc-hours-editor">
      <summary>{t('editHours')}</summary>
      <table className="cc-week" aria-label={t('hoursOf', { channel: label })}>
        <tbody>
          {WEEKDAYS.map((day) => {
            const ranges = weekly[day] ?? [];
            const name = weekdayName(day);
            return (
              <tr key={day}>
                <th scope="row">{name}</th>
                <td>
                  {ranges.length === 0 && <span className="cc-closed">{t('closed')}</span>}
                  {ranges.map((r, i) => (
                    <span key={i} className="cc-range">
                      <input
                        type="time"
                        aria-label={t('rangeFrom', { day: name, n: i + 1, channel: label })}
                        value={r.start}
                        onChange={(e) => week((w) => void (w[day]![i]!.start = e.target.value))}
                      />
                      –
                      <input
                        type="time"
                        aria-label={t('rangeTo', { day: name, n: i + 1, channel: label })}
                        value={r.end}
                        onChange={(e) => week((w) => void (w[day]![i]!.end = e.target.value))}
                      />
                      <button type="button" className="btn btn-quiet" aria-label={t('removeRange', { day: name, n: i + 1, channel: label })} onClick={() => week((w) => void w[day]!.splice(i, 1))}>
                        ×
                      </button>
                    </span>
                  ))}
                  <button
                    type="button"
                    className="btn btn-quiet"
                    aria-label={t('addRangeOn', { day: name, channel: label })}
                    onClick={() =>
                      week((w) => {
                        const list = (w[day] ??= []);
                        const last = list.at(-1);
                        // A second range starts where the last one ends; the admin moves its end.
                        list.push(last ? { start: last.end, end: '24:00' } : { start: '09:00', end: '18:00' });
                      })
                    }
                  >
                    {t('addRange')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <fieldset className="cc-holidays">
        <legend>{t('holidays')}</legend>
        {hours.holidays.length === 0 && <p className="cc-closed">{t('noHolidays')}</p>}
        {hours.holidays.map((h, i) => (
          <span key={i} className="cc-holiday">
            <input type="date" aria-label={t('holidayDate', { n: i + 1, channel: label })} value={h.date} onChange={(e) => edit((m) => void (m.channels[channel].hours.holidays[i]!.date = e.target.value))} />
            <input aria-label={t('holidayName', { n: i + 1, channel: label })} value={h.name} onChange={(e) => edit((m) => void (m.channels[channel].hours.holidays[i]!.name = e.target.value))} />
            <button type="button" className="btn btn-quiet" aria-label={t('removeHoliday', { n: i + 1, channel: label })} onClick={() => edit((m) => void m.channels[channel].hours.holidays.splice(i, 1))}>
              ×
            </button>
          </span>
        ))}
        <button type="button" className="btn btn-quiet" onClick={() => edit((m) => void m.channels[channel].hours.holidays.push({ date: '', name: '' }))}>
          {t('addHoliday')}
        </button>
      </fieldset>
    </details>
  );
}
