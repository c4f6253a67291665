import{S as e,c as t,f as n,g as r,h as i,i as a,m as o,n as s,o as c,p as l,r as u,s as d,v as f,x as p,y as m}from"./index.js";import{i as h}from"./queries.js";var g=c(`
  query Locales { locales { default supported { code fallbackChain } } }
`);function _(){let[{data:e}]=n({query:g,requestPolicy:`cache-first`});return e?.locales??{default:`en`,supported:[{code:`en`,fallbackChain:[`en`]}]}}var v=e(p(),1),y=c(`
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
`);var x=t(),S=20;function C({type:e,locale:t}){let{t:r,date:i}=d(),[o,c]=(0,v.useState)([]),[f,p]=(0,v.useState)(``),[m,h]=(0,v.useState)(`updated`),[g,_]=(0,v.useState)(``),[C,w]=(0,v.useState)(``),T=o[o.length-1],[{data:E,fetching:D,error:O}]=n({query:y,variables:{type:e,locale:t,first:S,after:T},pause:!!C}),[k]=n({query:b,variables:{query:C,type:e,locale:t},pause:!C}),A=[...E?.drafts??[]];return f&&(A=A.filter(e=>e.status===f)),A.sort(m===`slug`?(e,t)=>e.slug.localeCompare(t.slug):(e,t)=>t.updatedAt.localeCompare(e.updatedAt)),(0,x.jsxs)(`div`,{className:`stack`,children:[(0,x.jsxs)(`form`,{className:`toolbar`,role:`search`,onSubmit:e=>{e.preventDefault(),w(g.trim())},children:[(0,x.jsxs)(`label`,{children:[r(`common.search`),(0,x.jsx)(`input`,{type:`search`,value:g,onChange:e=>{_(e.target.value),e.target.value||w(``)},"aria-describedby":`search-hint`})]}),(0,x.jsx)(`button`,{type:`submit`,children:r(`common.search`)}),!C&&(0,x.jsxs)(x.Fragment,{children:[(0,x.jsxs)(`label`,{children:[r(`content.status`),(0,x.jsxs)(`select`,{value:f,onChange:e=>p(e.target.value),children:[(0,x.jsx)(`option`,{value:``,children:r(`content.status.any`)}),[`DRAFT`,`PUBLISHED`,`CHANGED`].map(e=>(0,x.jsx)(`option`,{value:e,children:r(`content.status.${e}`)},e))]})]}),(0,x.jsxs)(`label`,{children:[r(`content.sort`),(0,x.jsxs)(`select`,{value:m,onChange:e=>h(e.target.value),children:[(0,x.jsx)(`option`,{value:`updated`,children:r(`content.sort.updated`)}),(0,x.jsx)(`option`,{value:`slug`,children:r(`content.sort.slug`)})]})]})]})]}),(0,x.jsx)(`p`,{className:`hint`,id:`search-hint`,children:r(`content.searchHint`)}),C?(0,x.jsxs)(x.Fragment,{children:[k.fetching&&!k.data&&(0,x.jsx)(a,{}),(0,x.jsx)(u,{error:k.error}),k.data&&!k.data.search.hits.length&&(0,x.jsx)(s,{children:r(`content.empty`)}),(0,x.jsx)(`ul`,{className:`list`,children:k.data?.search.hits.map(n=>(0,x.jsx)(`li`,{children:(0,x.jsx)(l,{to:`/content/${e}/${n.entry.id}?locale=${t}`,children:n.entry.slug})},n.cursor))})]}):(0,x.jsxs)(x.Fragment,{children:[D&&!E&&(0,x.jsx)(a,{}),(0,x.jsx)(u,{error:O}),E&&!A.length&&(0,x.jsx)(s,{children:r(`content.empty`)}),A.length>0&&(0,x.jsxs)(`table`,{children:[(0,x.jsx)(`thead`,{children:(0,x.jsxs)(`tr`,{children:[(0,x.jsx)(`th`,{children:r(`content.slug`)}),(0,x.jsx)(`th`,{children:r(`content.status`)}),(0,x.jsx)(`th`,{children:r(`content.updated`)})]})}),(0,x.jsx)(`tbody`,{children:A.map(n=>(0,x.jsxs)(`tr`,{"data-entry":n.slug,children:[(0,x.jsx)(`td`,{children:(0,x.jsx)(l,{to:`/content/${e}/${n.id}?locale=${t}`,children:n.slug})}),(0,x.jsxs)(`td`,{className:`status-${n.status}`,children:[r(`content.status.${n.status}`),` `,(0,x.jsxs)(`span`,{className:`muted`,children:[`v`,n.version,n.publishedVersion?` / live ${n.publishedVersion}`:``]})]}),(0,x.jsxs)(`td`,{children:[i(n.updatedAt),` `,(0,x.jsx)(`span`,{className:`muted`,children:n.updatedBy})]})]},n.id))})]}),(0,x.jsxs)(`div`,{className:`actions`,children:[(0,x.jsx)(`button`,{type:`button`,disabled:!o.length,onClick:()=>c([]),children:r(`common.first`)}),(0,x.jsx)(`button`,{type:`button`,disabled:(E?.drafts.length??0)<S,onClick:()=>c([...o,E.drafts[E.drafts.length-1].id]),children:r(`common.next`)})]})]})]})}function w(){return null}function T(){let{t:e}=d(),[{data:t,fetching:s,error:c}]=n({query:h});return(0,x.jsxs)(`section`,{children:[(0,x.jsx)(`h2`,{children:e(`content.title`)}),(0,x.jsxs)(`div`,{className:`columns`,children:[(0,x.jsxs)(`nav`,{"aria-label":e(`content.type`),className:`card`,children:[s&&!t&&(0,x.jsx)(a,{}),(0,x.jsx)(u,{error:c}),(0,x.jsx)(`ul`,{className:`list`,children:t?.contentTypes.map(t=>(0,x.jsx)(`li`,{children:(0,x.jsxs)(o,{to:`/content/${t.key}`,children:[t.name,` `,(0,x.jsx)(`span`,{className:`muted`,children:e(`model.kind.${t.kind}`)})]})},t.key))})]}),(0,x.jsxs)(r,{children:[(0,x.jsx)(i,{index:!0,element:(0,x.jsx)(`p`,{className:`muted`,children:e(`content.type`)})}),(0,x.jsx)(i,{path:`:type`,element:(0,x.jsx)(E,{})}),(0,x.jsx)(i,{path:`:type/new`,element:(0,x.jsx)(w,{})}),(0,x.jsx)(i,{path:`:type/:id`,element:(0,x.jsx)(w,{})})]})]})]})}function E(){let{t:e}=d(),{type:t=``}=f(),n=_(),[r,i]=m(),a=r.get(`locale`)??n.default;return(0,x.jsxs)(`div`,{className:`stack`,children:[(0,x.jsxs)(`div`,{className:`toolbar`,children:[(0,x.jsx)(`h3`,{children:t}),(0,x.jsxs)(`label`,{children:[e(`content.locale`),(0,x.jsx)(`select`,{value:a,onChange:e=>i({locale:e.target.value}),children:n.supported.map(e=>(0,x.jsx)(`option`,{value:e.code,children:e.code},e.code))})]}),(0,x.jsx)(o,{to:`/content/${t}/new?locale=${a}`,children:e(`content.new`)})]}),(0,x.jsx)(C,{type:t,locale:a},t+a)]})}export{T as default};