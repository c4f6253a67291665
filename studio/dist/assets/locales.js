import{t as e}from"./query.js";import{s as t}from"./index.js";var n=t(`
  query Locales { locales { default supported { code fallbackChain } } }
`);function r(){let[{data:t}]=e({query:n,requestPolicy:`cache-first`});return t?.locales??{default:`en`,supported:[{code:`en`,fallbackChain:[`en`]}]}}export{r as t};