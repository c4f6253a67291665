import{t as e}from"./query.js";import{c as t,s as n}from"./index.js";var r=n(t(`
  query Locales { locales { default supported { code fallbackChain } } }
`));function i(){let[{data:t}]=e({query:r,requestPolicy:`cache-first`});return t?.locales??{default:`en`,supported:[{code:`en`,fallbackChain:[`en`]}]}}export{i as t};