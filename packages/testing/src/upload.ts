// A GraphQL multipart request (the spec graphql-yoga implements) uploading one file as $file.

/** The upload mutation's body; `fields` are selected on the uploaded image. */
export function uploadForm(
  bytes: Uint8Array,
  filename: string,
  fields = 'id width height format sha256 byteSize',
): FormData {
  const form = new FormData();
  form.set(
    'operations',
    JSON.stringify({
      query: `mutation ($file: File!) { uploadImage(file: $file) { ${fields} } }`,
      variables: { file: null },
    }),
  );
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([bytes as Uint8Array<ArrayBuffer>]), filename);
  return form;
}
