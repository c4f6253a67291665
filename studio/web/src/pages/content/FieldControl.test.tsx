import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { renderWith } from '../../test/render';
import type { Def } from '../model/fields';
import { DateTimeControl, FieldControl } from './FieldControl';
import { EntryContext, TypesContext, type FullType } from './typesContext';

const def = (key: string, kind: Def['kind'], over: Partial<Def> = {}): Def => ({
  key, name: null, description: null, kind, required: false, localized: false, unique: false,
  list: false, min: null, max: null, pattern: null, values: null, allowedTypes: null, ...over,
});

describe('the entry form, generated from the type', () => {
  it('gives every field kind its own control', () => {
    const fields = [
      def('title', 'TEXT', { required: true, max: 80 }), def('price', 'NUMBER'), def('onSale', 'BOOLEAN'),
      def('style', 'ENUM', { values: ['primary', 'ghost'] }), def('data', 'JSON'), def('tags', 'TEXT', { list: true }),
      def('startsAt', 'DATE_TIME'),
    ];
    renderWith(<>{fields.map((f) => <FieldControl key={f.key} def={f} value={f.key === 'tags' ? ['a', 'b'] : undefined} onChange={() => undefined} />)}</>);
    expect(screen.getByRole('textbox', { name: /^title/ }).getAttribute('maxlength')).toBe('80');
    expect(screen.getByRole('textbox', { name: /^title/ }).hasAttribute('required')).toBe(true);
    expect(screen.getByRole('spinbutton', { name: /^price/ })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: /^onSale/ })).toBeTruthy();
    const style = screen.getByRole('combobox', { name: /^style/ });
    expect(within(style).getAllByRole('option').map((o) => o.textContent)).toEqual(['None', 'primary', 'ghost']);
    expect(screen.getByRole('textbox', { name: /^data/ }).tagName).toBe('TEXTAREA');
    expect(screen.getByRole('textbox', { name: 'tags 1' })).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'tags 2' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Remove tags 2' })).toBeTruthy();
    expect(screen.getByLabelText('Time zone')).toBeTruthy();
  });

  it('sends typed values: numbers as numbers, booleans, enum choices, parsed JSON', () => {
    const changes: Record<string, unknown> = {};
    const fields = [def('price', 'NUMBER'), def('onSale', 'BOOLEAN'), def('style', 'ENUM', { values: ['primary', 'ghost'] }), def('data', 'JSON')];
    renderWith(<>{fields.map((f) => <FieldControl key={f.key} def={f} value={undefined} onChange={(v) => { changes[f.key] = v; }} />)}</>);
    fireEvent.change(screen.getByRole('spinbutton', { name: /^price/ }), { target: { value: '12.5' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /^onSale/ }));
    fireEvent.change(screen.getByRole('combobox', { name: /^style/ }), { target: { value: 'ghost' } });
    fireEvent.change(screen.getByRole('textbox', { name: /^data/ }), { target: { value: '{"a": [1]}' } });
    expect(changes).toEqual({ price: 12.5, onSale: true, style: 'ghost', data: { a: [1] } });
  });

  it('does not send JSON that does not parse, and says why', () => {
    const onChange = vi.fn();
    renderWith(<FieldControl def={def('data', 'JSON')} value={undefined} onChange={onChange} />);
    fireEvent.change(screen.getByRole('textbox', { name: /^data/ }), { target: { value: '{"a":' } });
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByText(/Not valid JSON/)).toBeTruthy();
  });

  it('composes blocks with the fields of each block type, variants kept', () => {
    const hero: FullType = { key: 'hero', name: 'Hero', kind: 'BLOCK', version: 1, fields: [def('headline', 'TEXT')] };
    const onChange = vi.fn();
    const blocks = [{ id: 'b1', type: 'hero', fields: { headline: 'Hi' }, variants: [{ key: 'vip' }] }];
    renderWith(
      <TypesContext.Provider value={new Map([['hero', hero]])}>
        <FieldControl def={def('blocks', 'BLOCKS', { allowedTypes: ['hero'] })} value={blocks} onChange={onChange} />
      </TypesContext.Provider>,
    );
    expect(screen.getByRole('button', { name: 'Drag to reorder Hero (b1)' })).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: /^headline/ }), { target: { value: 'Hello' } });
    expect(onChange).toHaveBeenLastCalledWith([{ id: 'b1', type: 'hero', fields: { headline: 'Hello' }, variants: [{ key: 'vip' }] }]);
    fireEvent.change(screen.getByRole('combobox', { name: 'Add block' }), { target: { value: 'hero' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add block' }));
    const added = onChange.mock.lastCall![0];
    expect(added).toHaveLength(2);
    expect(added[1]).toMatchObject({ type: 'hero', fields: {} });
    expect(added[1].id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    fireEvent.click(screen.getByRole('button', { name: 'Remove: Hero (b1)' }));
    expect(onChange).toHaveBeenLastCalledWith([]);
    // A new entry's blocks have no variants page yet.
    expect(screen.queryByRole('link', { name: /^Variants/ })).toBeNull();
  });

  it('links each block of a saved entry to its variants', () => {
    const hero: FullType = { key: 'hero', name: 'Hero', kind: 'BLOCK', version: 1, fields: [def('headline', 'TEXT')] };
    const blocks = [{ id: 'b1', type: 'hero', fields: {} }];
    renderWith(
      <TypesContext.Provider value={new Map([['hero', hero]])}>
        <EntryContext.Provider value={{ id: 'e1', locale: 'ro' }}>
          <FieldControl def={def('blocks', 'BLOCKS', { allowedTypes: ['hero'] })} value={blocks} onChange={() => undefined} />
        </EntryContext.Provider>
      </TypesContext.Provider>,
    );
    expect(screen.getByRole('link', { name: 'Variants: Hero (b1)' }).getAttribute('href')).toBe('/variants/e1?locale=ro&block=b1');
  });
});

describe('DateTimeControl', () => {
  it('reads wall-clock time in the chosen zone and stores the UTC instant', () => {
    const onChange = vi.fn();
    renderWith(<DateTimeControl value="2026-11-27T08:00:00Z" onChange={onChange} label="startsAt" />);
    fireEvent.change(screen.getByLabelText('Time zone'), { target: { value: 'Europe/Bucharest' } });
    const input = screen.getByLabelText('startsAt') as HTMLInputElement;
    expect(input.value).toBe('2026-11-27T10:00');
    fireEvent.change(input, { target: { value: '2026-11-27T09:30' } });
    expect(onChange).toHaveBeenLastCalledWith('2026-11-27T07:30:00Z');
  });
});
