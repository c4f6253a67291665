import { describe, expect, it } from 'vitest';
import { plainText, sanitizeRichText } from './richtext';

describe('sanitizeRichText', () => {
  it('keeps only the attributes the server accepts', () => {
    const tiptap = {
      type: 'doc', content: [
        { type: 'heading', attrs: { level: 2, textAlign: null }, content: [{ type: 'text', text: 'Hi' }] },
        { type: 'orderedList', attrs: { start: 1, type: null }, content: [] },
        { type: 'paragraph', content: [{ type: 'text', text: 'go', marks: [{ type: 'link', attrs: { href: 'https://x.test', target: '_blank', rel: 'noopener', class: null } }] }] },
      ],
    };
    expect(sanitizeRichText(tiptap)).toEqual({
      type: 'doc', content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Hi' }] },
        { type: 'orderedList', attrs: { start: 1 } },
        { type: 'paragraph', content: [{ type: 'text', text: 'go', marks: [{ type: 'link', attrs: { href: 'https://x.test', target: '_blank' } }] }] },
      ],
    });
  });
  it('reads the text back', () => {
    expect(plainText({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }, { type: 'paragraph', content: [{ type: 'text', text: 'c' }] }] })).toBe('ab\nc');
  });
});
