import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { renderWith } from '../../test/render';
import { ConflictNote } from './Conflict';

describe('ConflictNote', () => {
  it('says who saved which version while you edited which, and offers reload', () => {
    const onReload = vi.fn();
    renderWith(<ConflictNote info={{ mine: 3, current: 4, by: 'ana@example.com', theirs: { title: 'Theirs', body: 'same' } }}
      myFields={{ title: 'Mine', body: 'same' }} onReload={onReload} />);
    expect(screen.getByRole('alert').textContent).toContain(
      'ana@example.com saved version 4 of this entry while you edited version 3: reload to see their changes, or review the difference before saving again.');
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(onReload).toHaveBeenCalledOnce();
  });

  it('shows only the fields that differ when asked', () => {
    renderWith(<ConflictNote info={{ mine: 3, current: 4, by: 'ana', theirs: { title: 'Theirs', body: 'same' } }}
      myFields={{ title: 'Mine', body: 'same' }} onReload={() => undefined} />);
    expect(screen.queryByRole('table')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Review the difference' }));
    const rows = screen.getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows).toEqual(['title"Mine""Theirs"']);
  });

  it('still explains itself when the current version is unknown', () => {
    renderWith(<ConflictNote info={{ mine: 3, current: null, by: '', theirs: null }} myFields={{}} onReload={() => undefined} />);
    expect(screen.getByRole('alert').textContent).toMatch(/Someone changed this entry while you edited it/);
    expect(screen.queryByRole('button', { name: 'Review the difference' })).toBeNull();
  });
});
