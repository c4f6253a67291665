// Uploads one file with the uploadAsset mutation as a GraphQL multipart
// request (graphql-multipart-request-spec), over XMLHttpRequest because
// fetch reports no upload progress. onProgress gets fractions 0..1.
import { authHeaders } from './client';
import { setApiStatus } from './status';

export type UploadedAsset = { id: string; filename: string };

const mutation = 'mutation Upload($file: Upload!, $input: AssetInput) { uploadAsset(file: $file, input: $input) { id filename } }';

export function uploadAsset(file: File, onProgress: (f: number) => void, tags: string[] = []): Promise<UploadedAsset> {
  const form = new FormData();
  form.append('operations', JSON.stringify({
    query: mutation,
    variables: { file: null, input: tags.length ? { tags } : null },
  }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/graphql');
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onerror = () => { setApiStatus(false, 'upload failed'); reject(new Error('network error')); };
    xhr.onload = () => {
      setApiStatus(xhr.status < 502, `HTTP ${xhr.status}`);
      let body: any;
      try { body = JSON.parse(xhr.responseText); } catch { reject(new Error(`HTTP ${xhr.status}`)); return; }
      if (body.errors?.length) { reject(new Error(body.errors.map((e: any) => e.message).join('; '))); return; }
      onProgress(1);
      resolve(body.data.uploadAsset);
    };
    xhr.send(form);
  });
}
