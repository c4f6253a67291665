// The rich-text control: TipTap (ProseMirror) with its starter kit, reading
// and writing the TipTap JSON Mosaic stores. TipTap's injected stylesheet
// is off (the studio's CSP allows only its own styles; studio.css has the
// few rules needed).
import { useEffect } from 'react';
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useI18n } from '../../i18n/i18n';
import { emptyDoc, sanitizeRichText, type RichNode } from './richtext';

type Props = { value: RichNode | null; onChange: (doc: RichNode) => void; label: string; readOnly?: boolean; id?: string };

export default function RichTextEditor({ value, onChange, label, readOnly, id }: Props) {
  const { t } = useI18n();
  const editor = useEditor({
    extensions: [StarterKit.configure({ link: { openOnClick: false } })],
    content: value ?? emptyDoc,
    editable: !readOnly,
    injectCSS: false,
    editorProps: { attributes: { 'aria-label': label, role: 'textbox', 'aria-multiline': 'true', ...(id ? { id } : {}) } },
    onUpdate: ({ editor: e }) => onChange(sanitizeRichText(e.getJSON() as RichNode)),
  });
  // A value replaced from outside (reload, locale switch) replaces the text.
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    const current = JSON.stringify(sanitizeRichText(editor.getJSON() as RichNode));
    if (value && JSON.stringify(sanitizeRichText(value)) !== current) editor.commands.setContent(value, { emitUpdate: false });
  }, [editor, value]);
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e?.isActive('bold') ?? false, italic: e?.isActive('italic') ?? false,
      h2: e?.isActive('heading', { level: 2 }) ?? false, list: e?.isActive('bulletList') ?? false,
    }),
  });
  if (!editor) return null;
  const button = (name: string, pressed: boolean, run: () => void, text: string) => (
    <button type="button" aria-pressed={pressed} aria-label={name} disabled={readOnly} onClick={run}>{text}</button>
  );
  return (
    <div className="rte">
      <div className="rte-bar" role="toolbar" aria-label={label}>
        {button(t('rte.bold'), !!state?.bold, () => editor.chain().focus().toggleBold().run(), 'B')}
        {button(t('rte.italic'), !!state?.italic, () => editor.chain().focus().toggleItalic().run(), 'I')}
        {button(t('rte.heading'), !!state?.h2, () => editor.chain().focus().toggleHeading({ level: 2 }).run(), 'H2')}
        {button(t('rte.list'), !!state?.list, () => editor.chain().focus().toggleBulletList().run(), t('rte.listShort'))}
      </div>
      <EditorContent editor={editor} />
    </div>
  );
}
