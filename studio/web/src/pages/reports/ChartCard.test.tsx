import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { renderWith } from '../../test/render';
import { ChartCard } from './ChartCard';

afterEach(() => vi.restoreAllMocks());

describe('ChartCard', () => {
  it('downloads exactly its table as CSV, named after its title, and shows it to screen readers', async () => {
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => { blobs.push(b); return 'blob:chart'; });
    URL.revokeObjectURL = vi.fn();
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { names.push(this.download); });
    const table = { columns: ['device', 'reach'], rows: [['mobile', 3], ['tv, "big"', 1]] };
    renderWith(<ChartCard title="Reach by device" table={table}><div /></ChartCard>);
    fireEvent.click(screen.getByRole('button', { name: 'Download CSV: Reach by device' }));
    expect(names).toEqual(['reach-by-device.csv']);
    expect(blobs[0].type).toBe('text/csv;charset=utf-8');
    expect(await blobs[0].text()).toBe('device,reach\r\nmobile,3\r\n"tv, ""big""",1\r\n');
    expect(screen.getByRole('table', { name: 'Reach by device' })).toBeTruthy();
    expect(screen.getByRole('cell', { name: 'tv, "big"' })).toBeTruthy();
  });
});
