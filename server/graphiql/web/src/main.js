// GraphiQL for Mosaic: the whole IDE, its editor workers and styles are
// bundled here, so the page works with no internet access.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './mosaic.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';

const boot = window.mosaicGraphiQL ?? { started() {}, fail: (what) => console.error(what) };
const endpoint = document.querySelector('meta[name="mosaic-graphql-endpoint"]')?.content || '/graphql';

const defaultQuery = `# Mosaic's GraphQL API at ${endpoint}. GraphiQL is served by this Mosaic
# binary and needs no internet access. The Docs pane (book icon) shows the schema.
#
# Published content needs no credentials. For drafts, management and
# preview, add a header in the Headers tab below, for example
#   {"Authorization": "Bearer <token>"}   (\`mosaic token --role editor\`, or login)
#   {"X-API-Key": "<key>"}                 (a delivery or preview API key)
#
# Run with Ctrl-Enter.
{
  entry(slug: "home", type: "page") {
    id
    slug
    fields
  }
}
`;

const root = createRoot(document.getElementById('graphiql'), {
  onUncaughtError: (err) => boot.fail(`GraphiQL stopped: ${err?.message ?? err}`),
});
root.render(createElement(GraphiQL, {
  fetcher: createGraphiQLFetcher({ url: endpoint }),
  defaultQuery,
  // Headers hold tokens: they are not written to localStorage (the
  // studio, likewise, keeps its token for the tab only).
  shouldPersistHeaders: false,
}));
boot.started();
