// Placeholder replaced in the next commit by the asset library.
export default function AssetsPage() {
  return null;
}
