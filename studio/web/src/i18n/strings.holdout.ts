// UI strings of a campaign's holdout and lift (the campaign form, the
// campaign report), English and Romanian, merged into strings.ts: kept
// apart so branches adding pages merge without touching the same lines.
export const en5 = {
  'hold.share': 'Holdout (%)',
  'hold.hint': 'Share of the people the campaign would reach who keep seeing the defaults, 0 to 50 %: the control group its lift is measured against.',
  'hold.bad': 'A holdout is a share from 0 to 50 %.',
  'hold.tag': '{share} holdout',
  'hold.title': 'Lift against the holdout ({share} held out)',
  'hold.group': 'Group',
  'hold.exposed': 'Shown the campaign',
  'hold.heldOut': 'Held out',
  'hold.observed': 'Held out: {observed} of people (configured {share})',
  'hold.metric': 'Metric',
  'hold.rate': 'Conversion rate',
  'hold.rpv': 'Revenue per visitor',
  'hold.plot': 'Lift of the campaign over its holdout, with the 95 % interval',
  'hold.significant': 'the interval excludes 0',
  'hold.notSignificant': 'the interval includes 0: no difference shown yet',
};

export const ro5: Record<keyof typeof en5, string> = {
  'hold.share': 'Grup de control (%)',
  'hold.hint': 'Partea persoanelor pe care campania le-ar atinge care văd în continuare conținutul implicit, 0–50 %: grupul de control față de care se măsoară creșterea.',
  'hold.bad': 'Grupul de control este o parte între 0 și 50 %.',
  'hold.tag': '{share} grup de control',
  'hold.title': 'Creștere față de grupul de control ({share} exclus)',
  'hold.group': 'Grup',
  'hold.exposed': 'Au văzut campania',
  'hold.heldOut': 'Excluși',
  'hold.observed': 'Excluși: {observed} dintre persoane (configurat {share})',
  'hold.metric': 'Indicator',
  'hold.rate': 'Rata de conversie',
  'hold.rpv': 'Venit per vizitator',
  'hold.plot': 'Creșterea campaniei față de grupul de control, cu intervalul de 95 %',
  'hold.significant': 'intervalul nu conține 0',
  'hold.notSignificant': 'intervalul conține 0: nicio diferență demonstrată încă',
};
