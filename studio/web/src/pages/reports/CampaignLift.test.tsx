import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { renderWith } from '../../test/render';
import { CampaignLift, type Lift } from './CampaignLift';

const group = (visitors: number, conversions: number, revenue: number) =>
  ({ visitors, conversions, revenue, conversionRate: visitors ? conversions / visitors : null, revenuePerVisitor: visitors ? revenue / visitors : null });

describe('CampaignLift', () => {
  it('shows both groups, the lift with its interval and its plot', () => {
    const lift: Lift = {
      observedHoldoutShare: 0.21, note: null,
      exposed: group(790, 237, 5000), heldOut: group(210, 21, 400),
      conversionRate: { lift: 2, ciLow: 0.9, ciHigh: 3.1, pValue: 0.0004, significant: true },
      revenuePerVisitor: { lift: null, ciLow: null, ciHigh: null, pValue: null, significant: false, reason: 'no variation in the data' },
    };
    renderWith(<CampaignLift lift={lift} holdout={0.2} />);
    expect(screen.getByRole('heading', { name: 'Lift against the holdout (20 % held out)' })).toBeTruthy();
    expect(screen.getByText('Held out: 21 % of people (configured 20 %)')).toBeTruthy();
    const groups = screen.getByRole('table', { name: 'Group' });
    const held = within(groups).getByRole('row', { name: /Held out/ });
    expect(within(held).getByText('210')).toBeTruthy();
    expect(within(held).getByText('10 %')).toBeTruthy();
    const lifts = screen.getByRole('table', { name: 'Lift against the holdout (20 % held out)' });
    const rate = within(lifts).getByRole('row', { name: /^Conversion rate/ });
    expect(within(rate).getByText('+200 %')).toBeTruthy();
    expect(within(rate).getByText('+90 % … +310 %')).toBeTruthy();
    expect(within(rate).getByText(/the interval excludes 0/)).toBeTruthy();
    expect(within(lifts).getByText('no variation in the data')).toBeTruthy();
    // The plot's data, for screen readers and CSV: the defined lift only.
    const plot = screen.getByRole('table', { name: 'Lift of the campaign over its holdout, with the 95 % interval' });
    expect(within(plot).getAllByRole('row')).toHaveLength(2);
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('says in words when there is no lift to show', () => {
    const lift: Lift = { note: 'no holdout: lift cannot be measured (set a holdout share on the campaign)', observedHoldoutShare: 0,
      exposed: group(100, 9, 0), heldOut: group(0, 0, 0) };
    renderWith(<CampaignLift lift={lift} holdout={0} />);
    expect(screen.getByRole('note').textContent).toContain('no holdout: lift cannot be measured');
    expect(screen.queryByRole('table', { name: 'Lift of the campaign over its holdout, with the 95 % interval' })).toBeNull();
    expect(within(screen.getByRole('row', { name: /Held out/ })).getAllByText('—')).toHaveLength(2);
  });
});
