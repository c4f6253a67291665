import{_ as e,c as t,d as n,f as r,g as i,i as a,m as o,n as s,o as c,p as l,r as u,s as d,u as f,v as p,y as m}from"./index.js";import{i as h}from"./queries.js";var g=c(`
  query Locales { locales { default supported { code fallbackChain } } }
`);function _(){let[{data:e}]=f({query:g,requestPolicy:`cache-first`});return e?.locales??{default:`en`,supported:[{code:`en`,fallbackChain:[`en`]}]}}var v=m(p(),1),y=c(`
  query Drafts($type: String, $locale: String, $first: Int, $after: String) {
    drafts(type: $type, locale: $locale, first: $first, after: $after) {
      id type locale slug status version publishedVersion updatedAt updatedBy
    }
  }
`),b=c(`
  query SearchEntries($query: String!, $type: String, $locale: String, $after: String) {
    search(query: $query, type: $type, locale: $locale, first: 20, after: $after) {
      total
      hits { cursor entry { id slug type locale } highlights { field fragments } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);c(`
  query Draft($id: ID!, $locale: String) {
    draft(id: $id, locale: $locale) {
      id type locale slug fields status version publishedVersion updatedAt updatedBy
      history { version slug fields publishedAt publishedBy }
    }
  }
`),c(`
  mutation CreateEntry($input: CreateEntryInput!) { createEntry(input: $input) { id locale version } }
`),c(`
  mutation UpdateEntry($id: ID!, $locale: String, $input: UpdateEntryInput!, $expectedVersion: Int!) {
    updateEntry(id: $id, locale: $locale, input: $input, expectedVersion: $expectedVersion) { id locale version status fields slug }
  }
`),c(`
  mutation PublishEntry($id: ID!, $locale: String, $expectedVersion: Int) {
    publishEntry(id: $id, locale: $locale, expectedVersion: $expectedVersion) { id locale version publishedVersion status }
  }
`),c(`
  mutation UnpublishEntry($id: ID!, $locale: String) { unpublishEntry(id: $id, locale: $locale) { id locale status publishedVersion } }
`),c(`
  mutation RollbackEntry($id: ID!, $locale: String, $version: Int!, $expectedVersion: Int) {
    rollbackEntry(id: $id, locale: $locale, version: $version, expectedVersion: $expectedVersion) { id locale version publishedVersion status }
  }
`),c(`
  mutation DeleteEntry($id: ID!) { deleteEntry(id: $id) }
`);var x=t(),S=20;function C({type:e,locale:t}){let{t:r,date:i}=d(),[o,c]=(0,v.useState)([]),[l,p]=(0,v.useState)(``),[m,h]=(0,v.useState)(`updated`),[g,_]=(0,v.useState)(``),[C,w]=(0,v.useState)(``),T=o[o.length-1],[{data:E,fetching:D,error:O}]=f({query:y,variables:{type:e,locale:t,first:S,after:T},pause:!!C}),[k]=f({query:b,variables:{query:C,type:e,locale:t},pause:!C}),A=[...E?.drafts??[]];return l&&(A=A.filter(e=>e.status===l)),A.sort(m===`slug`?(e,t)=>e.slug.localeCompare(t.slug):(e,t)=>t.updatedAt.localeCompare(e.updatedAt)),(0,x.jsxs)(`div`,{className:`stack`,children:[(0,x.jsxs)(`form`,{className:`toolbar`,role:`search`,onSubmit:e=>{e.preventDefault(),w(g.trim())},children:[(0,x.jsxs)(`label`,{children:[r(`common.search`),(0,x.jsx)(`input`,{type:`search`,value:g,onChange:e=>{_(e.target.value),e.target.value||w(``)},"aria-describedby":`search-hint`})]}),(0,x.jsx)(`button`,{type:`submit`,children:r(`common.search`)}),!C&&(0,x.jsxs)(x.Fragment,{children:[(0,x.jsxs)(`label`,{children:[r(`content.status`),(0,x.jsxs)(`select`,{value:l,onChange:e=>p(e.target.value),children:[(0,x.jsx)(`option`,{value:``,children:r(`content.status.any`)}),[`DRAFT`,`PUBLISHED`,`CHANGED`].map(e=>(0,x.jsx)(`option`,{value:e,children:r(`content.status.${e}`)},e))]})]}),(0,x.jsxs)(`label`,{children:[r(`content.sort`),(0,x.jsxs)(`select`,{value:m,onChange:e=>h(e.target.value),children:[(0,x.jsx)(`option`,{value:`updated`,children:r(`content.sort.updated`)}),(0,x.jsx)(`option`,{value:`slug`,children:r(`content.sort.slug`)})]})]})]})]}),(0,x.jsx)(`p`,{className:`hint`,id:`search-hint`,children:r(`content.searchHint`)}),C?(0,x.jsxs)(x.Fragment,{children:[k.fetching&&!k.data&&(0,x.jsx)(a,{}),(0,x.jsx)(u,{error:k.error}),k.data&&!k.data.search.hits.length&&(0,x.jsx)(s,{children:r(`content.empty`)}),(0,x.jsx)(`ul`,{className:`list`,children:k.data?.search.hits.map(r=>(0,x.jsx)(`li`,{children:(0,x.jsx)(n,{to:`/content/${e}/${r.entry.id}?locale=${t}`,children:r.entry.slug})},r.cursor))})]}):(0,x.jsxs)(x.Fragment,{children:[D&&!E&&(0,x.jsx)(a,{}),(0,x.jsx)(u,{error:O}),E&&!A.length&&(0,x.jsx)(s,{children:r(`content.empty`)}),A.length>0&&(0,x.jsxs)(`table`,{children:[(0,x.jsx)(`thead`,{children:(0,x.jsxs)(`tr`,{children:[(0,x.jsx)(`th`,{children:r(`content.slug`)}),(0,x.jsx)(`th`,{children:r(`content.status`)}),(0,x.jsx)(`th`,{children:r(`content.updated`)})]})}),(0,x.jsx)(`tbody`,{children:A.map(a=>(0,x.jsxs)(`tr`,{"data-entry":a.slug,children:[(0,x.jsx)(`td`,{children:(0,x.jsx)(n,{to:`/content/${e}/${a.id}?locale=${t}`,children:a.slug})}),(0,x.jsxs)(`td`,{className:`status-${a.status}`,children:[r(`content.status.${a.status}`),` `,(0,x.jsxs)(`span`,{className:`muted`,children:[`v`,a.version,a.publishedVersion?` / live ${a.publishedVersion}`:``]})]}),(0,x.jsxs)(`td`,{children:[i(a.updatedAt),` `,(0,x.jsx)(`span`,{className:`muted`,children:a.updatedBy})]})]},a.id))})]}),(0,x.jsxs)(`div`,{className:`actions`,children:[(0,x.jsx)(`button`,{type:`button`,disabled:!o.length,onClick:()=>c([]),children:r(`common.first`)}),(0,x.jsx)(`button`,{type:`button`,disabled:(E?.drafts.length??0)<S,onClick:()=>c([...o,E.drafts[E.drafts.length-1].id]),children:r(`common.next`)})]})]})]})}function w(){return null}function T(){let{t:e}=d(),[{data:t,fetching:n,error:i}]=f({query:h});return(0,x.jsxs)(`section`,{children:[(0,x.jsx)(`h2`,{children:e(`content.title`)}),(0,x.jsxs)(`div`,{className:`columns`,children:[(0,x.jsxs)(`nav`,{"aria-label":e(`content.type`),className:`card`,children:[n&&!t&&(0,x.jsx)(a,{}),(0,x.jsx)(u,{error:i}),(0,x.jsx)(`ul`,{className:`list`,children:t?.contentTypes.map(t=>(0,x.jsx)(`li`,{children:(0,x.jsxs)(r,{to:`/content/${t.key}`,children:[t.name,` `,(0,x.jsx)(`span`,{className:`muted`,children:e(`model.kind.${t.kind}`)})]})},t.key))})]}),(0,x.jsxs)(o,{children:[(0,x.jsx)(l,{index:!0,element:(0,x.jsx)(`p`,{className:`muted`,children:e(`content.type`)})}),(0,x.jsx)(l,{path:`:type`,element:(0,x.jsx)(E,{})}),(0,x.jsx)(l,{path:`:type/new`,element:(0,x.jsx)(w,{})}),(0,x.jsx)(l,{path:`:type/:id`,element:(0,x.jsx)(w,{})})]})]})]})}function E(){let{t}=d(),{type:n=``}=i(),a=_(),[o,s]=e(),c=o.get(`locale`)??a.default;return(0,x.jsxs)(`div`,{className:`stack`,children:[(0,x.jsxs)(`div`,{className:`toolbar`,children:[(0,x.jsx)(`h3`,{children:n}),(0,x.jsxs)(`label`,{children:[t(`content.locale`),(0,x.jsx)(`select`,{value:c,onChange:e=>s({locale:e.target.value}),children:a.supported.map(e=>(0,x.jsx)(`option`,{value:e.code,children:e.code},e.code))})]}),(0,x.jsx)(r,{to:`/content/${n}/new?locale=${c}`,children:t(`content.new`)})]}),(0,x.jsx)(C,{type:n,locale:c},n+c)]})}export{T as default};