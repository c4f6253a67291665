import { describe, expect, it } from 'vitest';
import { useState } from 'react';
import { fireEvent, screen, within } from '@testing-library/react';
import { renderWith } from '../../test/render';
import { FieldBuilder } from './FieldBuilder';
import { fromDef, toInput, type FieldDraft } from './fields';

let latest: FieldDraft[] = [];
function Harness({ initial }: { initial: FieldDraft[] }) {
  const [fields, setFields] = useState(initial);
  latest = fields;
  return <FieldBuilder fields={fields} onChange={setFields} typeKeys={[{ key: 'hero', kind: 'BLOCK' }, { key: 'banner', kind: 'BLOCK' }, { key: 'product', kind: 'ENTRY' }]} />;
}

const saved = fromDef({ key: 'title', name: 'Title', description: null, kind: 'TEXT', required: true, localized: true, unique: false, list: false, min: null, max: 120, pattern: null, values: null, allowedTypes: null });

describe('FieldBuilder', () => {
  it('shows the settings each kind takes, and only those', () => {
    renderWith(<Harness initial={[]} />);
    fireEvent.click(screen.getByRole('button', { name: 'Add field' }));
    const row = screen.getByRole('group', { name: 'field1' });
    expect(within(row).getByLabelText('Pattern')).toBeTruthy();
    expect(within(row).queryByText(/Allowed values/)).toBeNull();
    fireEvent.change(within(row).getByRole('combobox', { name: /^Kind/ }), { target: { value: 'ENUM' } });
    expect(within(row).getByLabelText(/Allowed values/)).toBeTruthy();
    expect(within(row).queryByLabelText('Pattern')).toBeNull();
    fireEvent.change(within(row).getByRole('combobox', { name: /^Kind/ }), { target: { value: 'BLOCKS' } });
    const allowed = within(row).getByRole('listbox', { name: /Allowed types/ });
    // A blocks field offers block types only.
    expect(within(allowed).getAllByRole('option').map((o) => o.textContent)).toEqual(['hero', 'banner']);
    fireEvent.change(within(row).getByRole('combobox', { name: /^Kind/ }), { target: { value: 'REFERENCE' } });
    expect(within(within(row).getByRole('listbox', { name: /Allowed types/ })).getAllByRole('option').map((o) => o.textContent)).toEqual(['product']);
  });

  it('never renames a saved field (its key is where content lives) nor moves it', () => {
    renderWith(<Harness initial={[saved]} />);
    const row = screen.getByRole('group', { name: 'title' });
    expect((within(row).getByLabelText('Field key') as HTMLInputElement).readOnly).toBe(true);
    expect((within(row).getByRole('button', { name: 'Move down: title' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('builds new fields with every setting, reorders and removes them', () => {
    renderWith(<Harness initial={[saved]} />);
    fireEvent.click(screen.getByRole('button', { name: 'Add field' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add field' }));
    const second = screen.getByRole('group', { name: 'field2' });
    fireEvent.change(within(second).getByLabelText('Field key'), { target: { value: 'subtitle' } });
    const row = screen.getByRole('group', { name: 'subtitle' });
    fireEvent.click(within(row).getByLabelText('Localized'));
    fireEvent.change(within(row).getByLabelText('Max'), { target: { value: '200' } });
    fireEvent.click(screen.getByRole('button', { name: 'Move down: subtitle' }));
    expect(latest.map((f) => f.key)).toEqual(['title', 'field3', 'subtitle']);
    expect(toInput(latest[2])).toEqual({ key: 'subtitle', kind: 'TEXT', required: false, localized: true, max: 200 });
    fireEvent.click(screen.getByRole('button', { name: 'Remove: field3' }));
    expect(latest.map((f) => f.key)).toEqual(['title', 'subtitle']);
  });
});
