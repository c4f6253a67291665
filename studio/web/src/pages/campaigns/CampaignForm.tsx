// Create a campaign and schedule it in its own time zone: the start and end
// are typed as wall-clock times there (scheduleCampaignLocal), and the same
// instants are shown in the browser's zone beside them. An optional
// frequency cap counts every variant of the campaign together; an optional
// holdout keeps a share of its audience on the defaults, to measure its
// lift against.
import { useState } from 'react';
import { useMutation } from 'urql';
import { useI18n } from '../../i18n/i18n';
import { ErrorNote } from '../../ui/Notes';
import { capErrors, capInput, type CapDraft } from '../variants/cap';
import { CapEditor } from '../variants/CapEditor';
import { holdoutShare } from './holdout';
import { CreateCampaignDoc, ScheduleLocalDoc } from './queries';
import { allZones, browserZone, inZone } from './zones';

export function ZoneEcho({ local, zone }: { local: string; zone: string }) {
  const { t, date } = useI18n();
  const dt = inZone(local, zone);
  if (!local) return null;
  if (!dt) return <span className="error">{t('cal.noSuchTime', { zone })}</span>;
  return <span className="muted" data-browser-time>{t('cal.inYourZone', { zone: browserZone(), time: date(dt.toUTC().toISO()!) })}</span>;
}

export function CampaignForm({ onDone }: { onDone: (key: string) => void }) {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [zone, setZone] = useState(browserZone());
  const [priority, setPriority] = useState(0);
  const [channels, setChannels] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [cap, setCap] = useState<CapDraft | null>(null);
  const [holdout, setHoldout] = useState('');
  const share = holdoutShare(holdout);
  const [createRes, create] = useMutation(CreateCampaignDoc);
  const [schedRes, schedule] = useMutation(ScheduleLocalDoc);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (share == null) return;
    const ch = channels.split(',').map((s) => s.trim()).filter(Boolean);
    const res = await create({ input: { key, name, timeZone: zone, priority, channels: ch, ...(cap ? { cap: capInput(cap) } : {}), ...(share ? { holdout: share } : {}) } });
    if (res.error || !res.data) return;
    const c = res.data.createCampaign;
    if (start && end) {
      const s = await schedule({ id: c.id, startsAt: start, endsAt: end, expectedVersion: c.version });
      if (s.error) return;
    }
    onDone(c.key);
  };
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="new-campaign">
      <h3 id="new-campaign">{t('cal.new')}</h3>
      <div className="row">
        <label>{t('model.key')}<input name="key" required pattern="[a-z0-9][a-z0-9\-]*" value={key} onChange={(e) => setKey(e.target.value)} /></label>
        <label>{t('model.name')}<input name="name" required value={name} onChange={(e) => setName(e.target.value)} /></label>
        <label>{t('cal.zone')}<select name="timeZone" value={zone} onChange={(e) => setZone(e.target.value)}>
          {allZones().map((z) => <option key={z}>{z}</option>)}
        </select></label>
        <label>{t('cal.priority')}<input name="priority" type="number" value={priority} onChange={(e) => setPriority(Number(e.target.value))} style={{ width: 80 }} /></label>
        <label>{t('campaigns.channels')}<input name="channels" placeholder={t('cal.allChannels')} value={channels} onChange={(e) => setChannels(e.target.value)} /></label>
      </div>
      <div className="row">
        <label>{t('cal.startsLocal', { zone })}<input name="startsAt" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} /><ZoneEcho local={start} zone={zone} /></label>
        <label>{t('cal.endsLocal', { zone })}<input name="endsAt" type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} /><ZoneEcho local={end} zone={zone} /></label>
      </div>
      <p className="hint">{t('cal.scheduleHint')}</p>
      <CapEditor cap={cap} onChange={setCap} errors={capErrors(createRes.error)} />
      <div className="row">
        <label>{t('hold.share')}<input name="holdout" type="number" min={0} max={50} step={0.1} value={holdout} placeholder="0"
          aria-invalid={share == null} aria-describedby="holdout-hint" onChange={(e) => setHoldout(e.target.value)} style={{ width: 90 }} /></label>
        <span id="holdout-hint" className={share == null ? 'error' : 'hint'}>{share == null ? t('hold.bad') : t('hold.hint')}</span>
      </div>
      <ErrorNote error={createRes.error ?? schedRes.error} />
      <div className="actions"><button type="submit" disabled={createRes.fetching || schedRes.fetching || share == null}>{t('cal.create')}</button></div>
    </form>
  );
}
