// Placeholder replaced in the next commit by the generated entry form.
export function EntryEditor() {
  return null;
}
