// The asset library's GraphQL documents (typed by codegen).
import { doc, graphql } from '../../api/doc';

export const AssetsDoc = doc(graphql(`
  query Assets($tag: String, $after: String) {
    assets(first: 24, tag: $tag, after: $after) {
      nodes { id filename contentType size width height tags thumb: url(device: "mobile") }
      pageInfo { hasNextPage endCursor }
    }
  }
`));

export const AssetDetailDoc = doc(graphql(`
  query AssetDetail($id: ID!) {
    asset(id: $id) {
      id filename contentType size sha256 width height tags version createdAt updatedAt
      altTexts { locale text }
      focalPoint { x y }
      original: url
      watch: url(device: "watch")
      mobile: url(device: "mobile")
      tablet: url(device: "tablet")
      desktop: url(device: "desktop")
      tv: url(device: "tv")
      kiosk: url(device: "kiosk")
    }
  }
`));

export const UpdateAssetDoc = doc(graphql(`
  mutation UpdateAsset($id: ID!, $input: AssetInput!, $expectedVersion: Int!) {
    updateAsset(id: $id, input: $input, expectedVersion: $expectedVersion) {
      id version tags altTexts { locale text } focalPoint { x y }
    }
  }
`));
