// The block composer: a page's blocks in order, each with the fields of its
// block type. Add a block of an allowed type, reuse a global block (a ref
// to a global block entry), remove one, and reorder by drag and drop —
// with the mouse, touch, or the keyboard (space to lift, arrows to move,
// space to drop), which @dnd-kit announces to screen readers. A block's
// variants ride along untouched: they are edited on the Variants page, which
// each saved block links to.
import { useState } from 'react';
import { Link } from 'react-router';
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useQuery } from '../../api/query';
import { useI18n } from '../../i18n/i18n';
import { Empty } from '../../ui/Notes';
import { FieldControl } from './FieldControl';
import { newBlockId } from './form';
import { PickEntriesDoc } from './queries';
import { useEntryRef, useTypes } from './typesContext';

export type Block = { id: string; type?: string; fields?: Record<string, unknown>; ref?: string; variants?: unknown[] };

type Props = { value: Block[]; onChange: (v: Block[]) => void; allowedTypes: string[]; readOnly?: boolean; label: string };

export function BlockComposer({ value, onChange, allowedTypes, readOnly, label }: Props) {
  const { t } = useI18n();
  const types = useTypes();
  const blockTypes = [...types.values()].filter((ty) => ty.kind === 'BLOCK' && (!allowedTypes.length || allowedTypes.includes(ty.key)));
  const [addType, setAddType] = useState('');
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = value.findIndex((b) => b.id === active.id);
    const to = value.findIndex((b) => b.id === over.id);
    onChange(arrayMove(value, from, to));
  };
  const add = (type: string) => onChange([...value, { id: newBlockId(), type, fields: {} }]);
  return (
    <div className="stack" aria-label={label} role="group">
      {!value.length && <Empty>{t('blocks.empty')}</Empty>}
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <SortableContext items={value.map((b) => b.id)} strategy={verticalListSortingStrategy}>
          <ol className="list">
            {value.map((b, i) => (
              <SortableBlock key={b.id} block={b} readOnly={readOnly}
                onChange={(nb) => onChange(value.map((x, j) => (j === i ? nb : x)))}
                onRemove={() => onChange(value.filter((_, j) => j !== i))} />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
      {!readOnly && (
        <div className="row">
          <label>{t('blocks.add')}
            <select value={addType} onChange={(e) => setAddType(e.target.value)}>
              <option value="">—</option>
              {blockTypes.map((ty) => <option key={ty.key} value={ty.key}>{ty.name} ({ty.key})</option>)}
            </select>
          </label>
          <button type="button" disabled={!addType} onClick={() => { add(addType); setAddType(''); }}>{t('blocks.add')}</button>
          <GlobalBlockPicker allowedTypes={blockTypes.map((ty) => ty.key)} onPick={(ref) => onChange([...value, { id: newBlockId(), ref }])} />
        </div>
      )}
    </div>
  );
}

function SortableBlock({ block, readOnly, onChange, onRemove }: { block: Block; readOnly?: boolean; onChange: (b: Block) => void; onRemove: () => void }) {
  const { t } = useI18n();
  const types = useTypes();
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: block.id, disabled: readOnly });
  const entry = useEntryRef();
  const bt = block.type ? types.get(block.type) : undefined;
  const [globals] = useQuery({ query: PickEntriesDoc, variables: { type: null }, pause: !block.ref });
  const target = block.ref ? globals.data?.drafts.find((d) => d.id === block.ref) : undefined;
  const name = block.ref
    ? `${t('blocks.globalNamed')}: ${target ? `${target.slug} (${target.type})` : block.ref.slice(0, 8)}`
    : `${bt?.name ?? block.type} (${block.id})`;
  return (
    <li ref={setNodeRef} className="block" data-block-type={block.type ?? 'ref'} data-block-id={block.id}
      style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1 }}>
      <header>
        <button type="button" className="handle" {...attributes} {...listeners} aria-label={t('blocks.drag', { name })}>⠿</button>
        <strong>{name}</strong>
        {block.variants?.length ? <span className="tag">{block.variants.length} variants</span> : null}
        {entry && !block.ref && (
          <Link to={`/variants/${entry.id}?locale=${entry.locale}&block=${encodeURIComponent(block.id)}`}
            aria-label={`${t('nav.variants')}: ${name}`}>{t('nav.variants')}</Link>
        )}
        <button type="button" disabled={readOnly} onClick={onRemove} aria-label={`${t('common.remove')}: ${name}`}>{t('common.remove')}</button>
      </header>
      {bt && !block.ref && (
        <div className="stack">
          {bt.fields.map((f) => (
            <FieldControl key={f.key} def={f} value={block.fields?.[f.key]} readOnly={readOnly}
              onChange={(v) => {
                const fields = { ...(block.fields ?? {}) };
                if (v === null || v === undefined || v === '') delete fields[f.key]; else fields[f.key] = v;
                onChange({ ...block, fields });
              }} />
          ))}
        </div>
      )}
    </li>
  );
}

// GlobalBlockPicker lists global block entries (entries of block types) to
// reuse by reference: one edit there shows on every page that uses it.
function GlobalBlockPicker({ allowedTypes, onPick }: { allowedTypes: string[]; onPick: (id: string) => void }) {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: PickEntriesDoc, variables: { type: null } });
  const globals = (data?.drafts ?? []).filter((d) => allowedTypes.includes(d.type));
  const [pick, setPick] = useState('');
  if (!globals.length) return null;
  return (
    <>
      <label>{t('blocks.global')}
        <select value={pick} onChange={(e) => setPick(e.target.value)}>
          <option value="">—</option>
          {globals.map((g) => <option key={g.id} value={g.id}>{g.slug} ({g.type})</option>)}
        </select>
      </label>
      <button type="button" disabled={!pick} onClick={() => { onPick(pick); setPick(''); }}>{t('common.add')}</button>
    </>
  );
}
