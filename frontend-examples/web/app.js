// The storefront asks for the whole personalized page in one query: the
// API decides every block's variant for this context and says why.
const QUERY = `query Home($locale: String, $context: ExperienceContext) {
  entry(slug: "home", type: "page", locale: $locale, context: $context) {
    id locale fields
    blocks {
      id type globalId fields
      decision { variant reason experiment arm }
      linked(field: "products") { id slug fields }
    }
  }
}`;

const form = document.getElementById('controls');
const page = document.getElementById('page');
const errorBox = document.getElementById('error');

function context() {
  const f = new FormData(form);
  const ctx = {
    channel: f.get('channel'),
    consent: f.get('consent') === 'on',
    visitorId: f.get('visitorId') || undefined,
    traits: { visits: Number(f.get('visits')), cart_value: Number(f.get('cart')) },
  };
  if (f.get('segment')) ctx.segments = [f.get('segment')];
  if (f.get('device')) ctx.device = f.get('device');
  return { locale: f.get('locale'), context: ctx };
}

// load asks for the page in the current context. Failures (the API down,
// a GraphQL error) show at the top of the page and keep what was shown.
async function load() {
  let body;
  try {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: context() }),
    });
    body = await res.json().catch(() => ({ errors: [{ message: `the API answered ${res.status} without a GraphQL response` }] }));
  } catch (err) {
    body = { errors: [{ message: `the API is unreachable (${err.message})` }] };
  }
  if (body.errors?.length) {
    const e = body.errors[0];
    showError(`Could not load the page: ${e.message}${e.extensions?.code ? ` (${e.extensions.code})` : ''}`);
    return;
  }
  errorBox.hidden = true;
  errorBox.textContent = '';
  render(body.data.entry);
}

function showError(text) {
  errorBox.textContent = text;
  errorBox.hidden = false;
  if (page.querySelector('p.muted')?.textContent === 'Loading…') page.replaceChildren();
}

const refresh = () => load().catch((err) => showError(`Could not show the page: ${err.message}`));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c !== undefined && c !== null) node.append(c);
  }
  return node;
}

// Only http(s) and site-relative links are rendered: content is data.
function safeHref(url) {
  return typeof url === 'string' && /^(https?:\/\/|\/)/.test(url) ? url : '#';
}

// Rich text arrives as a ProseMirror-style JSON document; it is rendered
// with DOM nodes, never innerHTML, so content cannot inject markup.
function richText(node) {
  const tags = { paragraph: 'p', heading: 'h3', bulletList: 'ul', orderedList: 'ol', listItem: 'li', blockquote: 'blockquote', codeBlock: 'pre' };
  if (node.type === 'text') {
    let out = document.createTextNode(node.text);
    for (const m of node.marks ?? []) {
      const tag = { bold: 'strong', italic: 'em', code: 'code', underline: 'u', strike: 's' }[m.type];
      if (tag) out = el(tag, {}, out);
      if (m.type === 'link') out = el('a', { href: safeHref(m.attrs?.href) }, out);
    }
    return out;
  }
  if (node.type === 'hardBreak') return el('br');
  const wrap = el(tags[node.type] ?? 'div');
  for (const c of node.content ?? []) wrap.append(richText(c));
  return wrap;
}

const renderers = {
  hero: (f) => el('section', { class: 'hero' }, el('h1', {}, f.title), el('p', {}, f.subtitle),
    f.ctaLabel ? el('a', { class: 'button', href: safeHref(f.ctaUrl) }, f.ctaLabel) : null),
  richText: (f) => el('section', { class: 'prose' }, richText(f.body ?? { type: 'doc' })),
  media: (f) => el('figure', {}, el('div', { class: 'media', role: 'img', 'aria-label': f.alt ?? '' }, f.alt ?? ''),
    f.caption ? el('figcaption', {}, f.caption) : null),
  productList: (f, b) => el('section', {}, el('h2', {}, f.title ?? ''),
    el('ul', { class: 'products' }, ...b.linked.map((p) => el('li', { 'data-slug': p.slug },
      el('strong', {}, p.fields.name), el('span', {}, `${p.fields.price} ${p.fields.currency}`))))),
  cta: (f) => el('section', { class: 'cta' }, el('a', { class: `button ${f.style ?? ''}`, href: safeHref(f.url) }, f.label)),
  promo: (f) => el('aside', { class: 'promo' }, el('strong', {}, f.headline), el('p', {}, f.body ?? ''),
    f.code ? el('code', {}, f.code) : null),
};

function render(entry) {
  if (!entry) {
    page.replaceChildren(el('p', { class: 'muted' }, 'No published home page.'));
    return;
  }
  page.replaceChildren(...entry.blocks.map((b) => {
    const body = (renderers[b.type] ?? ((f) => el('pre', {}, JSON.stringify(f, null, 2))))(b.fields, b);
    const badge = el('p', { class: 'decision' },
      el('span', { class: 'variant' }, b.decision.variant), ' — ', el('span', { class: 'reason' }, b.decision.reason));
    return el('div', { class: 'block', 'data-block': b.id, 'data-type': b.type, 'data-variant': b.decision.variant }, badge, body);
  }));
}

form.addEventListener('change', refresh);
form.addEventListener('input', (e) => { if (e.target.type !== 'number') return; refresh(); });
refresh();
