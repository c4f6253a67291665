import{A as e,D as t,c as n,l as r,s as i,u as a}from"./index.js";import{a as o,c as s,d as c,f as l,i as u,l as d,n as f,o as p,p as m,r as h,s as ee,t as te,u as g}from"./dist.js";var _=e(t(),1);function v(e){if(e==null)return``;if(typeof e==`number`)return Number.isFinite(e)?String(e):``;let t=e;return/^[=+\-@\t\r]/.test(t)&&(t=`'${t}`),/[",\r\n]/.test(t)?`"${t.replace(/"/g,`""`)}"`:t}function y(e){let t=t=>e.columns.map((e,n)=>v(t[n])).join(`,`)+`\r
`;return t(e.columns)+e.rows.map(t).join(``)}function b(e){return`${e.toLowerCase().normalize(`NFKD`).replace(/\p{M}/gu,``).replace(/[^\p{L}\p{N}]+/gu,`-`).replace(/^-+|-+$/g,``)||`chart`}.csv`}function x(e,t){let n=URL.createObjectURL(new Blob([y(e)],{type:`text/csv;charset=utf-8`})),r=document.createElement(`a`);r.href=n,r.download=t,document.body.append(r),r.click(),r.remove(),setTimeout(()=>URL.revokeObjectURL(n),0)}var S=a();function C({title:e,table:t,children:n,id:r}){return(0,S.jsxs)(`figure`,{className:`chart card`,id:r,"data-chart":r,children:[(0,S.jsxs)(`figcaption`,{className:`toolbar`,children:[(0,S.jsx)(`span`,{children:e}),(0,S.jsx)(w,{title:e,table:t})]}),(0,S.jsx)(`div`,{className:`chart-area`,children:n}),(0,S.jsxs)(`table`,{className:`sr-only`,children:[(0,S.jsx)(`caption`,{children:e}),(0,S.jsx)(`thead`,{children:(0,S.jsx)(`tr`,{children:t.columns.map(e=>(0,S.jsx)(`th`,{scope:`col`,children:e},e))})}),(0,S.jsx)(`tbody`,{children:t.rows.map((e,n)=>(0,S.jsx)(`tr`,{children:t.columns.map((t,n)=>(0,S.jsx)(`td`,{children:e[n]??``},t))},n))})]})]})}function w({title:e,table:t}){let{t:n}=r();return(0,S.jsx)(`button`,{type:`button`,onClick:()=>x(t,b(e)),"aria-label":n(`rep.csvOf`,{title:e}),children:n(`rep.csv`)})}var T=`(prefers-color-scheme: dark)`;function E(e){if(typeof matchMedia>`u`)return()=>void 0;let t=matchMedia(T);return t.addEventListener(`change`,e),()=>t.removeEventListener(`change`,e)}var D=()=>typeof matchMedia<`u`&&matchMedia(T).matches;function O(){let e=(0,_.useSyncExternalStore)(E,D,()=>!1);return{ink:e?`#ecedf0`:`#1b1c1f`,grid:e?`#3a3e47`:`#dde0e6`,zero:e?`#b3b8c3`:`#4d5360`}}var k=[`#3b6fd8`,`#e67e22`,`#16a085`,`#8e44ad`,`#c2185b`,`#7f8c8d`];ee.register(u,o,p,d,s,g,c,l,m);function A({rows:e,label:t,estimateLabel:n,intervalLabel:r}){let{ink:i,grid:a,zero:o}=O(),s={labels:e.map(e=>e.label),datasets:[{type:`bar`,label:r,data:e.map(e=>[e.low,e.high]),backgroundColor:`#3b6fd866`,borderColor:`#3b6fd8`,borderWidth:1,barThickness:10},{type:`scatter`,label:n,data:e.map(e=>({x:e.estimate,y:e.label})),backgroundColor:`#e67e22`,borderColor:`#e67e22`,pointRadius:6,pointStyle:`rectRot`}]};return(0,S.jsx)(`div`,{style:{height:60+44*e.length},children:(0,S.jsx)(f,{type:`bar`,role:`img`,"aria-label":t,data:s,options:{indexAxis:`y`,maintainAspectRatio:!1,animation:!1,scales:{x:{type:`linear`,ticks:{color:i,callback:e=>`${e} %`},grid:{color:e=>e.tick?.value===0?o:a,lineWidth:e=>e.tick?.value===0?2:1}},y:{type:`category`,ticks:{color:i},grid:{color:a}}},plugins:{legend:{labels:{color:i}}}}})})}function j({labels:e,series:t,label:n,unit:r=``,horizontal:i=!1}){let{ink:a,grid:o}=O();return(0,S.jsx)(`div`,{style:{height:i?60+36*e.length*Math.max(1,t.length):240},children:(0,S.jsx)(te,{role:`img`,"aria-label":n,data:{labels:e,datasets:t.map((e,t)=>({label:e.name,data:e.values,backgroundColor:k[t%k.length],maxBarThickness:48}))},options:{indexAxis:i?`y`:`x`,maintainAspectRatio:!1,animation:!1,scales:i?{x:{beginAtZero:!0,ticks:{color:a,callback:e=>`${e}${r}`},grid:{color:o}},y:{ticks:{color:a},grid:{color:o}}}:{x:{ticks:{color:a},grid:{color:o}},y:{beginAtZero:!0,ticks:{color:a,callback:e=>`${e}${r}`},grid:{color:o}}},plugins:{legend:{labels:{color:a}}}}})})}function M({labels:e,series:t,label:n,unit:r=``}){let{ink:i,grid:a}=O();return(0,S.jsx)(`div`,{style:{height:240},children:(0,S.jsx)(h,{role:`img`,"aria-label":n,data:{labels:e,datasets:t.map((e,t)=>({label:e.name,data:e.values,borderColor:k[t%k.length],backgroundColor:k[t%k.length],spanGaps:!0}))},options:{maintainAspectRatio:!1,animation:!1,scales:{x:{ticks:{color:i},grid:{color:a}},y:{beginAtZero:!0,ticks:{color:i,callback:e=>`${e}${r}`},grid:{color:a}}},plugins:{legend:{labels:{color:i}}}}})})}var N=e=>e===`ro`?`ro-RO`:`en-GB`;function P(e,t,n=2){return new Intl.NumberFormat(N(e),{maximumFractionDigits:n,minimumFractionDigits:0}).format(t)}function F(e,t){return new Intl.NumberFormat(N(e),{maximumFractionDigits:0,useGrouping:!0}).format(t)}function I(e,t,n=1){return`${P(e,t*100,n)} %`}function L(e,t,n=1){let r=I(e,Math.abs(t),n);return Math.abs(t*100)<.5*10**-n?r:t>0?`+${r}`:`−${r}`}function R(e,t){return t<.001?`< ${P(e,.001,3)}`:P(e,t,3)}function z(e,t,n){return t===`CONVERSION`?I(e,n,2):P(e,n,2)}function ne(e,t,n){for(let r of[0,1,2]){let i=I(e,t,r),a=I(e,n,r);if(i!==a)return[i,a]}return[I(e,t,3),I(e,n,3)]}function B(e,t,n,r){let i=-1,a=-1;if(t.forEach((e,t)=>{let o=Math.abs((r[t]??0)-(n[t]??0)),s=(r[t]??0)>(n[t]??0);(o>a+1e-12||Math.abs(o-a)<=1e-12&&s)&&(i=t,a=o)}),i<0)return null;let[o,s]=ne(e,r[i]??0,n[i]??0);return{arm:t[i],observed:o,expected:s}}function V(e){return[{kind:`segment`,count:e.bySegment},{kind:`context`,count:e.byContext},{kind:`campaign`,count:e.byCampaign}].filter(e=>e.count>0).sort((e,t)=>t.count-e.count)}function H(e){let t=e.exposed+e.taken;return t?e.taken/t:0}function U(e,t){if(t<60)return`${P(e,t,0)} s`;if(t<3600)return`${P(e,t/60,0)} min`;if(t<86400){let e=Math.floor(t/3600),n=Math.round((t-e*3600)/60);return n?`${e} h ${n} min`:`${e} h`}return`${P(e,t/86400,1)} d`}var W=i(n(`
  query ReportExperiments { experiments { key name status startedAt stoppedAt winner coverage arms { key weight } } }
`)),G=i(n(`
  query ReportExperiment($key: String!) {
    experiment(key: $key) {
      key name status startedAt stoppedAt winner coverage holdout version arms { key weight }
      primaryMetric guardrailMetrics plannedSampleSize rollout { entryId locale version }
    }
    metrics { key name kind event conversionWindow goal guardrail }
  }
`)),K=i(n(`
  query ReportExperimentResults($key: String!, $metric: String!, $from: DateTime, $to: DateTime, $alpha: Float, $sequential: Boolean, $breakdown: [ExperimentBreakdown!]) {
    experimentResults(key: $key, metric: $metric, from: $from, to: $to, alpha: $alpha, sequential: $sequential, breakdown: $breakdown) {
      experiment visitors computedAt alpha sequential multipleExposures multipleExposureShare
      metric { key name kind goal conversionWindow }
      arms { key visitors conversions total rate lift ciLow ciHigh pValue chanceToWin expectedLoss reason }
      srm { pValue warning tooFewUnits expectedShare observedShare }
      daily { day arms { key visitors conversions rate cumulativeVisitors cumulativeRate } }
      breakdowns { dimension cells { value visitors arms { key visitors conversions rate lift ciLow ciHigh pValue chanceToWin reason } srm { warning pValue } } }
    }
  }
`)),q=i(n(`
  query ReportEligibility($key: String!, $from: DateTime!, $to: DateTime!) {
    experimentEligibility(key: $key, from: $from, to: $to) {
      scanned computedAt blocks { entryId blockId exposed taken bySegment byContext byCampaign }
    }
  }
`)),J=i(n(`
  mutation ReportStartExperiment($key: String!) { startExperiment(key: $key) { key status startedAt } }
`)),Y=i(n(`
  mutation ReportStopExperiment($key: String!, $winner: String, $rollout: Boolean) {
    stopExperiment(key: $key, winner: $winner, rollout: $rollout) { key status stoppedAt winner rollout { entryId locale version } }
  }
`)),X=i(n(`
  query ReportCampaigns { campaigns(includeArchived: false) { key name status } metrics { key event } }
`)),Z=i(n(`
  query ReportCampaign($key: String!, $from: DateTime, $to: DateTime, $event: String, $window: String) {
    campaignReport(key: $key, from: $from, to: $to, event: $event, window: $window) {
      campaign reach event window computedAt cpa roas
      cost { amount currency }
      variants { key reach exposures }
      devices { key reach exposures }
      channels { key reach exposures }
      outcomes { variant visitors conversions conversionRate revenue aov revenuePerVisitor }
      holdout
      lift {
        observedHoldoutShare note
        exposed { visitors conversions conversionRate revenue revenuePerVisitor }
        heldOut { visitors conversions conversionRate revenue revenuePerVisitor }
        conversionRate { lift ciLow ciHigh pValue significant reason }
        revenuePerVisitor { lift ciLow ciHigh pValue significant reason }
        srm { pValue warning }
      }
    }
  }
`)),re=i(n(`
  query ReportKpis($from: DateTime, $to: DateTime, $goal: String) {
    byDevice: kpis(from: $from, to: $to, goal: $goal, breakdown: [DEVICE]) {
      from to goal computedAt
      total { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }
      cells { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }
    }
    byChannel: kpis(from: $from, to: $to, goal: $goal, breakdown: [CHANNEL]) {
      cells { device channel locale visitors converters conversions conversionRate revenue orders aov revenuePerVisitor ltv timeToConversion { people medianSeconds p90Seconds } }
    }
  }
`)),ie=i(n(`
  query ReportFunnel($steps: [String!]!, $window: String, $from: DateTime, $to: DateTime, $breakdown: [KpiDimension!]) {
    funnel(steps: $steps, window: $window, from: $from, to: $to, breakdown: $breakdown) {
      steps window from to scanned computedAt
      total { people crossDevice crossDeviceShare steps { index event people crossDevice conversionRate stepRate dropOff dropOffRate medianSecondsFromPrevious } }
      groups { device channel locale people crossDevice crossDeviceShare steps { index event people conversionRate dropOff } }
    }
  }
`)),Q=(e,t=4)=>Math.round(e*10**t)/10**t;function ae(e){return{columns:[`arm`,`lift (%)`,`interval low (%)`,`interval high (%)`],rows:e.filter(e=>e.lift!=null&&e.ciLow!=null&&e.ciHigh!=null).map(e=>[e.key,Q(e.lift*100),Q(e.ciLow*100),Q(e.ciHigh*100)])}}function oe(e,t){return{columns:[`metric`,`lift (%)`,`interval low (%)`,`interval high (%)`,`p-value`],rows:[[t.rate,e.conversionRate],[t.rpv,e.revenuePerVisitor]].filter(([,e])=>e&&e.lift!=null&&e.ciLow!=null&&e.ciHigh!=null).map(([e,t])=>[e,Q(t.lift*100),Q(t.ciLow*100),Q(t.ciHigh*100),t.pValue==null?null:Q(t.pValue,6)])}}function $(e,t){return{columns:[e,`reach`,`exposures`],rows:t.map(e=>[e.key,e.reach,e.exposures])}}function se(e){return{columns:[`variant`,`visitors`,`conversions`,`conversion rate (%)`,`revenue`,`aov`,`revenue per visitor`],rows:e.map(e=>[e.variant,e.visitors,e.conversions,Q(e.conversionRate*100),Q(e.revenue,2),Q(e.aov,2),Q(e.revenuePerVisitor,4)])}}function ce(e,t){let n=e.columns.indexOf(t);return e.rows.map(e=>typeof e[n]==`number`?e[n]:null)}function le(e,t){let n=t.map(t=>e.columns.indexOf(t));return{columns:t,rows:e.rows.map(e=>n.map(t=>e[t]))}}function ue(e,t){let n=e[0]?.arms.map(e=>e.key)??[],r=t===`CONVERSION`?100:1;return{visitors:{columns:[`day`,...n],rows:e.map(e=>[e.day,...e.arms.map(e=>e.visitors)])},rate:{columns:[`day`,...n],rows:e.map(e=>[e.day,...e.arms.map(e=>Q(e.cumulativeRate*r))])}}}function de(e,t){return{columns:[e,`visitors`,`conversion rate (%)`,`aov`,`revenue per visitor`,`ltv`],rows:t.map(t=>[(t[e]??``)||`(unknown)`,t.visitors,Q(t.conversionRate*100),Q(t.aov,2),Q(t.revenuePerVisitor,4),Q(t.ltv,4)])}}function fe(e){return{columns:[`step`,`event`,`people`,`conversion rate (%)`,`drop-off`],rows:e.map(e=>[e.index,e.event,e.people,Q(e.conversionRate*100),e.dropOff])}}export{H as A,P as C,L as D,z as E,w as F,A as M,M as N,B as O,C as P,F as S,I as T,re as _,de as a,Y as b,le as c,Z as d,q as f,ie as g,K as h,fe as i,j,V as k,$ as l,W as m,ue as n,oe as o,G as p,ae as r,se as s,ce as t,Q as u,X as v,R as w,U as x,J as y};