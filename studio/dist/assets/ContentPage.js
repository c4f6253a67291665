import{C as e,S as t,_ as n,b as r,c as i,g as a,h as o,i as s,m as c,n as l,o as u,p as d,r as f,s as p,y as m}from"./index.js";import{i as h}from"./queries.js";var g=u(`
  query Locales { locales { default supported { code fallbackChain } } }
`);function _(){let[{data:e}]=d({query:g,requestPolicy:`cache-first`});return e?.locales??{default:`en`,supported:[{code:`en`,fallbackChain:[`en`]}]}}var v=e(t(),1),y=u(`
  query Drafts($type: String, $locale: String, $first: Int, $after: String) {
    drafts(type: $type, locale: $locale, first: $first, after: $after) {
      id type locale slug status version publishedVersion updatedAt updatedBy
    }
  }
`),b=u(`
  query SearchEntries($query: String!, $type: String, $locale: String, $after: String) {
    search(query: $query, type: $type, locale: $locale, first: 20, after: $after) {
      total
      hits { cursor entry { id slug type locale } highlights { field fragments } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);u(`
  query Draft($id: ID!, $locale: String) {
    draft(id: $id, locale: $locale) {
      id type locale slug fields status version publishedVersion updatedAt updatedBy
      history { version slug fields publishedAt publishedBy }
    }
  }
`),u(`
  mutation CreateEntry($input: CreateEntryInput!) { createEntry(input: $input) { id locale version } }
`),u(`
  mutation UpdateEntry($id: ID!, $locale: String, $input: UpdateEntryInput!, $expectedVersion: Int!) {
    updateEntry(id: $id, locale: $locale, input: $input, expectedVersion: $expectedVersion) { id locale version status fields slug }
  }
`),u(`
  mutation PublishEntry($id: ID!, $locale: String, $expectedVersion: Int) {
    publishEntry(id: $id, locale: $locale, expectedVersion: $expectedVersion) { id locale version publishedVersion status }
  }
`),u(`
  mutation UnpublishEntry($id: ID!, $locale: String) { unpublishEntry(id: $id, locale: $locale) { id locale status publishedVersion } }
`),u(`
  mutation RollbackEntry($id: ID!, $locale: String, $version: Int!, $expectedVersion: Int) {
    rollbackEntry(id: $id, locale: $locale, version: $version, expectedVersion: $expectedVersion) { id locale version publishedVersion status }
  }
`),u(`
  mutation DeleteEntry($id: ID!) { deleteEntry(id: $id) }
`);var x=i(),S=20;function C({type:e,locale:t}){let{t:n,date:r}=p(),[i,a]=(0,v.useState)([]),[o,u]=(0,v.useState)(``),[m,h]=(0,v.useState)(`updated`),[g,_]=(0,v.useState)(``),[C,w]=(0,v.useState)(``),T=i[i.length-1],[{data:E,fetching:D,error:O}]=d({query:y,variables:{type:e,locale:t,first:S,after:T},pause:!!C}),[k]=d({query:b,variables:{query:C,type:e,locale:t},pause:!C}),A=[...E?.drafts??[]];return o&&(A=A.filter(e=>e.status===o)),A.sort(m===`slug`?(e,t)=>e.slug.localeCompare(t.slug):(e,t)=>t.updatedAt.localeCompare(e.updatedAt)),(0,x.jsxs)(`div`,{className:`stack`,children:[(0,x.jsxs)(`form`,{className:`toolbar`,role:`search`,onSubmit:e=>{e.preventDefault(),w(g.trim())},children:[(0,x.jsxs)(`label`,{children:[n(`common.search`),(0,x.jsx)(`input`,{type:`search`,value:g,onChange:e=>{_(e.target.value),e.target.value||w(``)},"aria-describedby":`search-hint`})]}),(0,x.jsx)(`button`,{type:`submit`,children:n(`common.search`)}),!C&&(0,x.jsxs)(x.Fragment,{children:[(0,x.jsxs)(`label`,{children:[n(`content.status`),(0,x.jsxs)(`select`,{value:o,onChange:e=>u(e.target.value),children:[(0,x.jsx)(`option`,{value:``,children:n(`content.status.any`)}),[`DRAFT`,`PUBLISHED`,`CHANGED`].map(e=>(0,x.jsx)(`option`,{value:e,children:n(`content.status.${e}`)},e))]})]}),(0,x.jsxs)(`label`,{children:[n(`content.sort`),(0,x.jsxs)(`select`,{value:m,onChange:e=>h(e.target.value),children:[(0,x.jsx)(`option`,{value:`updated`,children:n(`content.sort.updated`)}),(0,x.jsx)(`option`,{value:`slug`,children:n(`content.sort.slug`)})]})]})]})]}),(0,x.jsx)(`p`,{className:`hint`,id:`search-hint`,children:n(`content.searchHint`)}),C?(0,x.jsxs)(x.Fragment,{children:[k.fetching&&!k.data&&(0,x.jsx)(s,{}),(0,x.jsx)(f,{error:k.error}),k.data&&!k.data.search.hits.length&&(0,x.jsx)(l,{children:n(`content.empty`)}),(0,x.jsx)(`ul`,{className:`list`,children:k.data?.search.hits.map(n=>(0,x.jsx)(`li`,{children:(0,x.jsx)(c,{to:`/content/${e}/${n.entry.id}?locale=${t}`,children:n.entry.slug})},n.cursor))})]}):(0,x.jsxs)(x.Fragment,{children:[D&&!E&&(0,x.jsx)(s,{}),(0,x.jsx)(f,{error:O}),E&&!A.length&&(0,x.jsx)(l,{children:n(`content.empty`)}),A.length>0&&(0,x.jsxs)(`table`,{children:[(0,x.jsx)(`thead`,{children:(0,x.jsxs)(`tr`,{children:[(0,x.jsx)(`th`,{children:n(`content.slug`)}),(0,x.jsx)(`th`,{children:n(`content.status`)}),(0,x.jsx)(`th`,{children:n(`content.updated`)})]})}),(0,x.jsx)(`tbody`,{children:A.map(i=>(0,x.jsxs)(`tr`,{"data-entry":i.slug,children:[(0,x.jsx)(`td`,{children:(0,x.jsx)(c,{to:`/content/${e}/${i.id}?locale=${t}`,children:i.slug})}),(0,x.jsxs)(`td`,{className:`status-${i.status}`,children:[n(`content.status.${i.status}`),` `,(0,x.jsxs)(`span`,{className:`muted`,children:[`v`,i.version,i.publishedVersion?` / live ${i.publishedVersion}`:``]})]}),(0,x.jsxs)(`td`,{children:[r(i.updatedAt),` `,(0,x.jsx)(`span`,{className:`muted`,children:i.updatedBy})]})]},i.id))})]}),(0,x.jsxs)(`div`,{className:`actions`,children:[(0,x.jsx)(`button`,{type:`button`,disabled:!i.length,onClick:()=>a([]),children:n(`common.first`)}),(0,x.jsx)(`button`,{type:`button`,disabled:(E?.drafts.length??0)<S,onClick:()=>a([...i,E.drafts[E.drafts.length-1].id]),children:n(`common.next`)})]})]})]})}function w(){return null}function T(){let{t:e}=p(),[{data:t,fetching:r,error:i}]=d({query:h});return(0,x.jsxs)(`section`,{children:[(0,x.jsx)(`h2`,{children:e(`content.title`)}),(0,x.jsxs)(`div`,{className:`columns`,children:[(0,x.jsxs)(`nav`,{"aria-label":e(`content.type`),className:`card`,children:[r&&!t&&(0,x.jsx)(s,{}),(0,x.jsx)(f,{error:i}),(0,x.jsx)(`ul`,{className:`list`,children:t?.contentTypes.map(t=>(0,x.jsx)(`li`,{children:(0,x.jsxs)(o,{to:`/content/${t.key}`,children:[t.name,` `,(0,x.jsx)(`span`,{className:`muted`,children:e(`model.kind.${t.kind}`)})]})},t.key))})]}),(0,x.jsxs)(n,{children:[(0,x.jsx)(a,{index:!0,element:(0,x.jsx)(`p`,{className:`muted`,children:e(`content.type`)})}),(0,x.jsx)(a,{path:`:type`,element:(0,x.jsx)(E,{})}),(0,x.jsx)(a,{path:`:type/new`,element:(0,x.jsx)(w,{})}),(0,x.jsx)(a,{path:`:type/:id`,element:(0,x.jsx)(w,{})})]})]})]})}function E(){let{t:e}=p(),{type:t=``}=m(),n=_(),[i,a]=r(),s=i.get(`locale`)??n.default;return(0,x.jsxs)(`div`,{className:`stack`,children:[(0,x.jsxs)(`div`,{className:`toolbar`,children:[(0,x.jsx)(`h3`,{children:t}),(0,x.jsxs)(`label`,{children:[e(`content.locale`),(0,x.jsx)(`select`,{value:s,onChange:e=>a({locale:e.target.value}),children:n.supported.map(e=>(0,x.jsx)(`option`,{value:e.code,children:e.code},e.code))})]}),(0,x.jsx)(o,{to:`/content/${t}/new?locale=${s}`,children:e(`content.new`)})]}),(0,x.jsx)(C,{type:t,locale:s},t+s)]})}export{T as default};