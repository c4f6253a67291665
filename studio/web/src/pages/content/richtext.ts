// Rich text as the server accepts it (content/richtext.go): TipTap JSON
// with a fixed set of nodes, marks and attributes. TipTap's own output
// carries more (a link's rel and class, an ordered list's type, null
// attributes); sanitizeRichText keeps exactly what the server allows, so a
// document written in the editor always saves.
export type RichNode = { type: string; text?: string; attrs?: Record<string, unknown>; marks?: RichNode[]; content?: RichNode[] };

const attrNames: Record<string, string[]> = {
  heading: ['level'], image: ['src', 'alt', 'title'], codeBlock: ['language'],
  orderedList: ['start'], link: ['href', 'title', 'target'],
};

export function sanitizeRichText(node: RichNode): RichNode {
  const out: RichNode = { type: node.type };
  if (node.text !== undefined) out.text = node.text;
  const allowed = attrNames[node.type] ?? [];
  const attrs = Object.fromEntries(Object.entries(node.attrs ?? {}).filter(([k, v]) => allowed.includes(k) && v !== null && v !== undefined));
  if (Object.keys(attrs).length) out.attrs = attrs;
  if (node.marks?.length) out.marks = node.marks.map(sanitizeRichText);
  if (node.content?.length) out.content = node.content.map(sanitizeRichText);
  return out;
}

export const emptyDoc: RichNode = { type: 'doc', content: [{ type: 'paragraph' }] };

// plainText is a document's text, for summaries and diffs.
export function plainText(node: RichNode | null | undefined): string {
  if (!node) return '';
  if (node.text) return node.text;
  return (node.content ?? []).map(plainText).join(node.type === 'doc' ? '\n' : '');
}
