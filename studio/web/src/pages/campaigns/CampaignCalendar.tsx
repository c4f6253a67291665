// The calendar: FullCalendar's month / week / day views over every campaign
// window, release publish and conflict (calendar.ts), in the browser's zone
// or a chosen one (the Luxon plugin converts). Short campaigns keep a
// readable minimum height; axis labels are 24-hour "HH:mm".
import { useMemo, useRef, useState } from 'react';
import FullCalendar from '@fullcalendar/react';
import dayGridPlugin from '@fullcalendar/daygrid';
import timeGridPlugin from '@fullcalendar/timegrid';
import luxonPlugin from '@fullcalendar/luxon3';
import roLocale from '@fullcalendar/core/locales/ro';
import { useI18n } from '../../i18n/i18n';
import { calendarEvents, onChannel, type CalCampaign, type CalConflict } from './calendar';
import { allZones, browserZone } from './zones';

export function CampaignCalendar({ campaigns, conflicts, onPick }: { campaigns: CalCampaign[]; conflicts: CalConflict[]; onPick: (key: string) => void }) {
  const { t, lang } = useI18n();
  const [zone, setZone] = useState('local');
  // Worded buttons instead of FullCalendar's arrow icons, which are
  // role=img without a name (an accessibility failure under axe).
  const cal = useRef<FullCalendar>(null);
  const [channel, setChannel] = useState('');
  const channels = [...new Set(['web', 'app', 'kiosk', ...campaigns.flatMap((c) => c.channels)])].sort();
  const events = useMemo(() => calendarEvents(onChannel(campaigns, channel), onChannel(conflicts, channel)), [campaigns, conflicts, channel]);
  return (
    <div className="calendar card">
      <div className="row">
        <label>{t('cal.showIn')}<select value={zone} onChange={(e) => setZone(e.target.value)}>
          <option value="local">{t('cal.browserZone', { zone: browserZone() })}</option>
          {[...new Set(campaigns.map((c) => c.timeZone))].map((z) => <option key={'c' + z} value={z}>{z}</option>)}
          <option disabled>──</option>
          {allZones().map((z) => <option key={z} value={z}>{z}</option>)}
        </select></label>
        <label>{t('campaigns.channels')}<select name="calendarChannel" value={channel} onChange={(e) => setChannel(e.target.value)}>
          <option value="">{t('cal.allChannels')}</option>
          {channels.map((c) => <option key={c}>{c}</option>)}
        </select></label>
        <span className="legend"><span className="cal-sw cal-wins" /> {t('cal.wins')} <span className="cal-sw cal-loses" /> {t('cal.loses')} <span className="cal-sw cal-conflict" /> {t('cal.conflict')}</span>
      </div>
      <FullCalendar
        plugins={[dayGridPlugin, timeGridPlugin, luxonPlugin]}
        initialView="timeGridWeek"
        headerToolbar={{ left: 'earlier,later today', center: 'title', right: 'dayGridMonth,timeGridWeek,timeGridDay' }}
        buttonText={{ today: t('cal.today'), month: t('cal.month'), week: t('cal.week'), day: t('cal.day') }}
        locales={[roLocale]}
        locale={lang === 'ro' ? 'ro' : 'en-gb'}
        timeZone={zone}
        events={events}
        eventMinHeight={24}
        slotEventOverlap={false}
        nowIndicator
        dayMaxEvents
        height="auto"
        scrollTime="08:00:00"
        slotLabelFormat={{ hour: '2-digit', minute: '2-digit', hour12: false }}
        eventTimeFormat={{ hour: '2-digit', minute: '2-digit', hour12: false }}
        ref={cal}
        customButtons={{
          earlier: { text: `‹ ${t('cal.prev')}`, click: () => cal.current?.getApi().prev() },
          later: { text: `${t('cal.next')} ›`, click: () => cal.current?.getApi().next() },
        }}
        eventDidMount={(info) => {
          info.el.title = String(info.event.extendedProps.detail ?? info.event.title);
          info.el.setAttribute('data-campaign', String(info.event.extendedProps.campaign ?? ''));
          info.el.setAttribute('data-kind', String(info.event.extendedProps.kind));
        }}
        eventClick={(info) => { const k = info.event.extendedProps.campaign; if (k) onPick(String(k)); }}
      />
    </div>
  );
}
